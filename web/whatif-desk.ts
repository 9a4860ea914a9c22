// The what-if tab: the variant the trainer asks for (only the levers that act on this scenario's
// hazards) run in the engine worker beside the base run, compared row by row (numbers from the
// runs' summaries, models/scenario/whatif.ts) and on the curve the trainer picks; the variant can
// be shown on the map. Every what-if run is kept for the after-action record with its settings and
// results; the comparison shown keeps the variant's curves (bounded) in the saved session, so after a
// reload over the same base it returns, chart included. Its map needs the whole run (risk levels,
// warnings, flood depth, fire arrival: megabytes), so the page does not keep it: shown on the map
// after a reload, the variant is run again in the worker, visibly, and shown only if its results
// hash equals the one recorded at its first run. Its failure goes to `problems`.
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Inject } from '../models/scenario/injects.ts';
import type { Scenario } from '../models/scenario/schema.ts';
import {
  applyWhatIf, changeOf, compareSummaries, effectiveChange, whatIfLevers, whatIfRecord, type ComparisonRow, type WhatIfChange, type WhatIfRecord,
} from '../models/scenario/whatif.ts';
import './components/whatif-panel.ts';
import './components/model-warnings-notice.ts';
import type { WhatIfRunRequest } from './components/whatif-panel.ts';
import type { EngineHandle } from './engine-client.ts';
import type { WorkerScenarioRun } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import type { Problems } from './problems.ts';
import { regionSource } from './region-source.ts';
import { BURNED, chartSeries, recordCurves, type KeptChart } from './whatif-chart.ts';
import { chartNotKeptText, curvesOmittedText, gaugeRowsLeftOutText, settingsText } from './whatif-text.ts';

export interface WhatIfSource {
  engine?: EngineHandle;
  result?: WorkerScenarioRun;
  scenario: Scenario;
  injects: readonly Inject[];
  nowS: number;
  /** What the engine runs now (the MSEL, cancellations and acting decisions) and the deliveries. */
  engineScenarioJson: () => unknown;
  deliveries: () => [string, number][];
  /** The map switched to the variant's run (or back to the base: undefined). */
  showOnMap: (variant: WorkerScenarioRun | undefined) => void;
}


export class WhatIfDesk implements ReactiveController {
  /** The comparison on show; `variant` is the run itself while this page holds it (not after a reload). */
  private comparison?: { rows: ComparisonRow[]; variant?: WorkerScenarioRun; record: WhatIfRecord; kept?: KeptChart };
  /** A restored session's comparison, shown once the base is recomputed, if it is the same base. */
  private pending?: KeptChart;
  private running = false;
  /** The variant of a restored comparison is being run again for the map. */
  private recomputing = false;
  private chart?: string;
  private onMap = false;
  /** Every what-if run this session, oldest first: the after-action record keeps them. */
  history: WhatIfRecord[] = [];

  constructor(private readonly host: ReactiveControllerHost, private readonly problems: Problems, private readonly source: () => WhatIfSource) {
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * A new scenario or record: the comparison and the what-ifs were about the previous one; a
   * restored session brings its own what-ifs back (their records, not their runs) and the
   * comparison it showed (`chart`), which returns once the base is computed again.
   */
  clear(history: WhatIfRecord[] = [], chart?: KeptChart): void {
    this.comparison = undefined;
    this.pending = chart;
    this.history = history;
    this.setOnMap(false);
    this.host.requestUpdate();
  }

  /**
   * The base was recomputed (a decision acts, an inject changed): the comparison shown was against
   * the old base and goes; the what-ifs already run stay in the record as they were.
   */
  baseChanged(): void {
    const pending = this.pending;
    this.pending = undefined;
    const record = pending && this.history[pending.index];
    // Only against the base it was run with: the same session recomputed gives the same hash.
    if (pending && record && this.source().result?.resultsSha256 === pending.base_results_sha256) {
      this.comparison = { rows: record.outcomes, record, kept: pending };
      this.chart = pending.shown;
      // It was on the map when the page was left: it comes back there.
      if (pending.on_map) this.setOnMap(true);
      this.host.requestUpdate();
      return;
    }
    if (!this.comparison) return;
    this.comparison = undefined;
    this.setOnMap(false);
  }

  /** What the saved session keeps of the comparison on show (undefined: none). */
  get keptChart(): KeptChart | undefined {
    return this.comparison?.kept;
  }

  /** The trainer picks the chart's curve; the kept comparison remembers it (a new object: the session saves). */
  private pick(chart: string): void {
    this.chart = chart;
    if (this.comparison?.kept) this.comparison.kept = { ...this.comparison.kept, shown: chart };
    this.host.requestUpdate();
  }

  /** The variant's run when the trainer shows it on the map. */
  get mapResult(): WorkerScenarioRun | undefined {
    return this.onMap ? this.comparison?.variant : undefined;
  }

  /** The map's banner in the UI's language: the variant on show with its settings, or being run again for it. */
  mapBanner(lang: Lang): string | undefined {
    if (!this.onMap || !this.comparison) return undefined;
    const key = this.mapResult ? 'whatifMapBanner' : this.recomputing ? 'whatifMapRecomputing' : undefined;
    return key && translate(lang, key).replace('{settings}', settingsText(this.comparison.record.settings, lang));
  }

  private setOnMap(on: boolean): void {
    const changed = this.onMap !== on;
    this.onMap = on;
    const kept = this.comparison?.kept;
    if (kept && (kept.on_map === true) !== on) {
      const { on_map: _, ...rest } = kept;
      this.comparison!.kept = on ? { ...rest, on_map: true } : rest;
    }
    if (on && this.comparison && !this.comparison.variant) void this.rerun();
    if (changed) this.source().showOnMap(this.mapResult);
    this.host.requestUpdate();
  }

  /** The fire break the what-if cuts: along the ridge-foot road, the line the scenario's own break inject uses. */
  private breakLine(s: WhatIfSource): [number, number][] | undefined {
    return (s.injects.find((i) => i.action?.type === 'barrier')?.action as { polyline_m?: [number, number][] } | undefined)?.polyline_m;
  }

  /**
   * Runs a restored comparison's variant again, as it was first run (its settings over the same
   * base), for the map. Deterministic runs give the same bytes: a different results hash means the
   * inputs are not those of the record, and the map is not shown a variant the record does not describe.
   */
  private async rerun(): Promise<void> {
    const comparison = this.comparison;
    const s = this.source();
    if (!comparison || comparison.variant || this.recomputing || !s.result || !s.engine) return;
    this.recomputing = true;
    this.problems.clear('whatIf');
    this.host.requestUpdate();
    try {
      const change = changeOf(comparison.record.settings, this.breakLine(s));
      const variant = await s.engine.remote.runScenario(applyWhatIf(s.engineScenarioJson(), change), regionSource.current.urls, s.deliveries());
      // The base changed meanwhile (or another what-if was run): this comparison is gone.
      if (this.comparison !== comparison) return;
      if (variant.resultsSha256 !== comparison.record.results_sha256) {
        throw new Error(`the what-if run again gave results ${variant.resultsSha256}, not ${comparison.record.results_sha256} as at its first run: its inputs differ, so the map keeps the base`);
      }
      comparison.variant = variant;
      if (this.onMap) s.showOnMap(variant);
    } catch (error) {
      if (this.comparison === comparison) { this.problems.set('whatIf', error); this.setOnMap(false); }
    } finally {
      this.recomputing = false;
      this.host.requestUpdate();
    }
  }

  private levers(s: WhatIfSource) {
    return s.result ? whatIfLevers(s.scenario, s.result.run.fire !== undefined) : [];
  }

  private async run(event: CustomEvent<WhatIfRunRequest>): Promise<void> {
    const s = this.source();
    if (!s.result || !s.engine) return;
    this.running = true;
    this.problems.clear('whatIf');
    this.host.requestUpdate();
    try {
      const breakLine = this.breakLine(s);
      const asked: WhatIfChange = { ...event.detail.change, ...(event.detail.fireBreak && breakLine ? { fireBreak: breakLine } : {}) };
      // Only the levers that act here: a wind setting asked of a storm without fire was never used.
      const change = effectiveChange(asked, this.levers(s));
      const variant = await s.engine.remote.runScenario(applyWhatIf(s.engineScenarioJson(), change), regionSource.current.urls, s.deliveries());
      const rows = compareSummaries(s.result.summary, variant.summary);
      // The record keeps the compared curves too (bounded), for the printed report's charts.
      const { curves, omitted } = recordCurves(this.history, s.result.run, variant.run);
      const record = whatIfRecord(s.nowS, change, rows, variant.resultsSha256, curves, omitted, variant.run.modelWarnings);
      this.history = [...this.history, record];
      // Kept whatever its size: past the bound without the variant's curves, and it says so.
      const kept: KeptChart = { base_results_sha256: s.result.resultsSha256, index: this.history.length - 1, ...(this.chart ? { shown: this.chart } : {}), ...chartSeries(variant.run), ...(this.onMap ? { on_map: true as const } : {}) };
      this.comparison = { rows, variant, record, kept };
      if (this.onMap) s.showOnMap(variant);
    } catch (error) {
      this.problems.set('whatIf', error);
    } finally {
      this.running = false;
      this.host.requestUpdate();
    }
  }

  view(lang: Lang) {
    const s = this.source();
    const base = s.result?.run;
    const variant = this.comparison?.variant?.run;
    const kept = this.comparison?.kept;
    const times = base ? Array.from({ length: base.grid.steps + 1 }, (_, j) => j * base.grid.stepS) : [];
    const t = (key: string) => translate(lang, key);
    const choices = [
      ...(base?.fire ? [{ id: BURNED, label: t('whatifBurnedCurve') }] : []),
      ...(base?.route ? base.gauges.map((g) => ({ id: g.id, label: `${g.id} (m³/s)` })) : []),
    ];
    // The trainer's pick; else the burned area on a fire day, else the outlet (the whole basin's answer).
    const chart = choices.find((c) => c.id === this.chart)?.id ?? (base?.fire ? BURNED : choices.find((c) => c.id === 'G-outlet')?.id ?? choices[0]?.id);
    const curve = (run: typeof base, label: string, color: string, keptValues?: number[]) => {
      if (!run) return keptValues ? { label, color, values: keptValues } : undefined;
      if (chart === BURNED) return run.fire ? { label, color, values: [0, ...run.fire.burnedAreaM2.map((a) => a / 1e6)] } : undefined;
      const gauge = run.gauges.find((g) => g.id === chart);
      return gauge && run.route ? { label, color, values: run.route.reaches[gauge.reach].outflow_m3_per_s } : undefined;
    };
    // After a reload the variant's run is gone; its curves were kept with the session.
    const keptVariant = base && kept?.series?.find((c) => c.id === chart)?.values;
    const curves = [curve(base, t('base'), '#1f618d'), curve(variant, t('whatif'), '#c0392b', keptVariant)].filter((c) => c !== undefined);
    // The variant's own warnings (a wetter what-if may cap its routing where the base did not), kept in its record.
    return html`<section>${this.comparison ? html`<model-warnings-notice .warnings=${this.comparison.record.model_warnings ?? []} lang=${lang} label=${t('modelWarningsWhatIfLabel')}></model-warnings-notice>` : ''}<whatif-panel .levers=${this.levers(s)} .running=${this.running} .rows=${this.comparison?.rows ?? []}
      settings=${this.comparison ? settingsText(this.comparison.record.settings, lang) : ''}
      rowsNote=${this.comparison && this.comparison.rows === this.comparison.record.outcomes ? gaugeRowsLeftOutText(this.comparison.record, lang) : ''}
      curvesNote=${this.comparison?.record.curves_omitted ? curvesOmittedText(this.comparison.record.curves_omitted, lang) : ''}
      chartNote=${kept?.series_left_out ? chartNotKeptText(kept.series_left_out, !variant, lang) : ''}
      .timesSeconds=${times} .curves=${curves} curveUnit=${chart === BURNED ? 'km²' : 'm³/s'} .chartChoices=${choices} chart=${chart ?? ''}
      ?onMap=${this.onMap} ?recomputing=${this.recomputing} lang=${lang} .history=${this.history}
      @whatif-chart=${(e: CustomEvent<string>) => this.pick(e.detail)}
      @whatif-map=${(e: CustomEvent<boolean>) => this.setOnMap(e.detail)}
      @whatif-run=${(e: CustomEvent<WhatIfRunRequest>) => void this.run(e)}></whatif-panel>${this.problems.view('whatIf', lang)}</section>`;
  }
}
