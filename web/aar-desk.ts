// The decisions and record tab: players' decisions entered (checked in full, web/decisions.ts),
// corrected or withdrawn; objectives rated; the record exported as JSON, printed in the UI's
// language, or imported and replayed (with the verdict whether it reproduces); a warning's CAP
// messages downloaded. Refusals and the verdict live here; the decisions on the console.
import { html } from 'lit';
import { InputError } from '../models/errors.ts';
import { buildAar, decisionState, objectivesOf, parseAar, type Decision } from '../models/scenario/aar.ts';
import { aarFacts, type AarFacts } from './aar-facts.ts';
import { aarReportHtml } from './aar-report.ts';
import './components/aar-record.ts';
import './components/aar-panel.ts';
import type { RatingChange } from './components/aar-panel.ts';
import { actsDifferently, enterDecision, withdrawDecision, type DecisionEntry, type EntryContext } from './decisions.ts';
import { download, type DrillHost } from './drill-host.ts';
import { decisionTemplates } from './drill-helpers.ts';
import { regionSource } from './region-source.ts';
import { clockText, elapsedText, offsetMinutesOf } from './time-format.ts';
import { runRecordCurves } from './whatif-chart.ts';

export class AarDesk {
  private refusals: string[] = [];
  private replay?: { identical: boolean; hash: string };
  /** The record's facts for the tab, read again only when what they come from changes (not each clock frame). */
  private facts?: { key: unknown[]; facts: AarFacts };

  constructor(private readonly app: DrillHost) {}

  reset(): void {
    this.refusals = [];
    this.replay = undefined;
  }

  record() {
    const app = this.app;
    const run = runRecordCurves(app.result!.run);
    return buildAar({
      scenarioJson: app.currentScenarioJson(), scenario: app.scenario, run: app.result!.run, resultsSha256: app.result!.resultsSha256,
      manualDeliveries: app.delivered, cancellations: app.cancelled, decisions: app.decisions, ratings: app.ratings, exported: new Date().toISOString(), whatIfs: app.whatIfRuns,
      observed: app.observedScores, curves: run.curves, curvesOmitted: run.omitted, region: app.manifest?.name ? { name: app.manifest.name, name_zh: app.manifest.name_zh || app.manifest.name } : undefined,
    });
  }

  /** A decision (or a correction), logged with the model state it was taken in; one that acts recomputes. */
  private decide(event: CustomEvent<DecisionEntry>): void {
    const app = this.app;
    const state = app.result ? decisionState(app.result.run, app.items.map((i) => i.id), app.nowS) : undefined;
    this.change(event, (ctx) => enterDecision(app.decisions, event.detail, { ...ctx, ...(state ? { state } : {}) }));
  }

  private change(event: Event, change: (ctx: EntryContext) => Decision[]): void {
    const app = this.app;
    const ctx: EntryContext = { nowS: app.nowS, durationS: app.scenario.durationS, injects: app.injects, region: app.regionRefs(), at: new Date().toISOString() };
    try {
      const before = app.decisions;
      app.decisions = change(ctx);
      this.refusals = [];
      if (actsDifferently(before, app.decisions)) void app.compute();
    } catch (error) {
      // A refused decision stays in the form beside the reason (preventDefault).
      event.preventDefault();
      this.refusals = error instanceof InputError ? error.message.split('\n') : [String(error)];
      app.requestUpdate();
    }
  }

  private async import(event: CustomEvent<{ text: string; fileName: string }>): Promise<void> {
    const app = this.app;
    // The verdict and problem of an earlier import are about that import, not this one.
    this.replay = undefined;
    app.problems.clear('import');
    try {
      const { record, scenario, manualDeliveries, whatIfs, cancelled, ratings } = parseAar(JSON.parse(event.detail.text));
      // The record of this very session (exported, then imported to replay it) loses nothing.
      const same = app.session.sameWork({ injects: scenario.injects, delivered: manualDeliveries, cancelled, decisions: record.decisions, ratings, whatIfs });
      if (!same && !(await app.leaveSessionFor(() => undefined, 'discardForImport'))) return;
      // The what-ifs come back into the drill's list as they were run, checked field by field.
      const result = await app.open(record.scenario, { delivered: manualDeliveries, cancelled, decisions: record.decisions, ratings, whatIfs });
      if (result) this.replay = { identical: result.resultsSha256 === record.results_sha256, hash: result.resultsSha256 };
      app.requestUpdate();
    } catch (error) {
      app.problems.set('import', error, event.detail.fileName);
    }
  }

  /** One warning's CAP 1.2 messages, built in the worker (district polygons need the kernels' math). */
  async exportCap(id: string): Promise<void> {
    const app = this.app;
    const warnings = app.result?.run.warnings;
    if (!warnings?.some((w) => w.id === id)) return;
    app.problems.clear('cap');
    try {
      const messages = await app.engine!.remote.warningCap(app.currentScenarioJson(), regionSource.current.urls, warnings, id);
      for (const message of messages) download(message.fileName, message.xml, 'application/xml');
    } catch (error) {
      app.problems.set('cap', error, id);
    }
  }

  /** Scenario seconds as the report and the tab write them: the clock's local time, and T+h:mm. */
  private timeAt(tS: number): string {
    const s = this.app.scenario;
    return `${clockText(s.startEpochMs, offsetMinutesOf(s.startTime), tS)} (${elapsedText(tS)})`;
  }

  /** The printable report of the session as it stands, in the UI's language. */
  reportHtml(): string {
    const app = this.app;
    const s = app.scenario;
    return aarReportHtml(this.record(), {
      lang: app.uiLang, title: app.uiLang === 'zh-CN' ? s.titleZh : s.title, manifest: app.manifest, injects: app.injects, timeAt: (tS) => this.timeAt(tS),
    });
  }

  /** What the record holds of the run, as the printed report prints it (one reading: web/aar-facts.ts). */
  private recordFacts(): AarFacts | undefined {
    const app = this.app;
    if (!app.result) return undefined;
    const key = [app.result, app.whatIfRuns, app.uiLang, app.manifest, app.observedScores, app.scenario];
    if (!this.facts || key.some((k, i) => k !== this.facts!.key[i])) this.facts = { key, facts: aarFacts(this.record(), { lang: app.uiLang, timeAt: (tS) => this.timeAt(tS) }) };
    return this.facts.facts;
  }

  private print(): void {
    download(`${this.app.scenario.id}-aar-${this.app.uiLang}.html`, this.reportHtml(), 'text/html;charset=utf-8');
  }

  view() {
    const app = this.app;
    const roles = [...new Set([...app.injects.map((i) => i.to).filter((r) => r), 'Trainer'])];
    return html`<section><aar-panel .decisions=${app.decisions} .objectives=${objectivesOf(app.scenario)} .ratings=${app.ratings}
      .roles=${roles} .injects=${app.injects} .manifest=${app.manifest} .replay=${this.replay} lang=${app.uiLang}
      .actionTemplates=${decisionTemplates(app.templateSource())} .problems=${this.refusals} .importProblem=${app.problems.of('import', app.uiLang)}
      @decision-add=${(e: CustomEvent<DecisionEntry>) => this.decide(e)}
      @decision-withdraw=${(e: CustomEvent<{ id: string; by: string }>) => this.change(e, (ctx) => withdrawDecision(app.decisions, e.detail.id, e.detail.by, ctx))}
      @rating-change=${(e: CustomEvent<RatingChange>) => { app.ratings = new Map(app.ratings).set(e.detail.id, e.detail); }}
      @aar-export=${() => app.result && download(`${app.scenario.id}-aar.json`, JSON.stringify(this.record(), null, 1), 'application/json')}
      @aar-print=${() => app.result && this.print()}
      @aar-import=${(e: CustomEvent<{ text: string; fileName: string }>) => void this.import(e)}></aar-panel>
      <aar-record .facts=${this.recordFacts()} lang=${app.uiLang}></aar-record></section>`;
  }
}
