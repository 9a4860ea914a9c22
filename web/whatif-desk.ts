// The what-if tab: the variant the trainer asks for (rain, wind, a fire break) run in the engine
// worker beside the base run, compared row by row and on the key curve (the outlet's flow, or the
// burned area). Its result lives here until the scenario changes; its failure goes to `problems`.
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Inject } from '../models/scenario/injects.ts';
import { applyWhatIf, compareSummaries, type ComparisonRow, type WhatIfChange } from '../models/scenario/whatif.ts';
import './components/whatif-panel.ts';
import type { EngineHandle } from './engine-client.ts';
import type { WorkerScenarioRun } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import type { Problems } from './problems.ts';
import { regionSource } from './region-source.ts';

export interface WhatIfSource {
  engine?: EngineHandle;
  result?: WorkerScenarioRun;
  injects: readonly Inject[];
  /** What the engine runs now (the MSEL, cancellations and acting decisions) and the deliveries. */
  engineScenarioJson: () => unknown;
  deliveries: () => [string, number][];
}

export class WhatIfDesk implements ReactiveController {
  private comparison?: { rows: ComparisonRow[]; variant: WorkerScenarioRun };
  private running = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly problems: Problems, private readonly source: () => WhatIfSource) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A new scenario or record: the comparison was about the previous one. */
  clear(): void {
    this.comparison = undefined;
    this.host.requestUpdate();
  }

  private async run(event: CustomEvent<{ change: WhatIfChange; fireBreak: boolean }>): Promise<void> {
    const s = this.source();
    if (!s.result || !s.engine) return;
    this.running = true;
    this.problems.clear('whatIf');
    this.host.requestUpdate();
    try {
      // A fire break along the ridge-foot road, the line the scenario's own break inject uses.
      const breakLine = (s.injects.find((i) => i.action?.type === 'barrier')?.action as { polyline_m?: [number, number][] } | undefined)?.polyline_m;
      const change = { ...event.detail.change, ...(event.detail.fireBreak && breakLine ? { fireBreak: breakLine } : {}) };
      const variant = await s.engine.remote.runScenario(applyWhatIf(s.engineScenarioJson(), change), regionSource.current.urls, s.deliveries());
      this.comparison = { rows: compareSummaries(s.result.summary, variant.summary), variant };
    } catch (error) {
      this.problems.set('whatIf', error);
    } finally {
      this.running = false;
      this.host.requestUpdate();
    }
  }

  view(lang: Lang) {
    const base = this.source().result?.run;
    const variant = this.comparison?.variant.run;
    const times = base ? Array.from({ length: base.grid.steps + 1 }, (_, j) => j * base.grid.stepS) : [];
    const t = (key: string) => translate(lang, key);
    const curve = (run: typeof base, label: string, color: string) => {
      if (!run) return undefined;
      if (run.fire) return { label, color, values: [0, ...run.fire.burnedAreaM2.map((a) => a / 1e6)] };
      const outlet = run.gauges.find((g) => g.id === 'G-outlet');
      return outlet && run.route ? { label, color, values: run.route.reaches[outlet.reach].outflow_m3_per_s } : undefined;
    };
    const curves = [curve(base, t('base'), '#1f618d'), curve(variant, t('whatif'), '#c0392b')].filter((c) => c !== undefined);
    return html`<section><whatif-panel .hasFire=${!!base?.fire} .running=${this.running} .rows=${this.comparison?.rows ?? []}
      .timesSeconds=${times} .curves=${curves} curveUnit=${base?.fire ? 'km²' : 'm³/s'} lang=${lang}
      @whatif-run=${(e: CustomEvent<{ change: WhatIfChange; fireBreak: boolean }>) => void this.run(e)}></whatif-panel>${this.problems.view('whatIf', lang)}</section>`;
  }
}
