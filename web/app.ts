// The app shell. The engine worker computes the shipped scenario; the exercise clock then walks
// through it: the map shows risk items by level, rivers by flow and districts by warning at the
// clock's time, beside gauges, warnings, the risk list and the MSEL. State lives here and flows
// down as properties; components send changes up as events.
import { html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import fireScenario from '../scenarios/mountain-city/fire-summer.json';
import stormScenario from '../scenarios/mountain-city/storm-72h.json';
import stormPeakScenario from '../scenarios/mountain-city/storm-peak-24h.json';
import stormRadarScenario from '../scenarios/mountain-city/storm-radar-24h.json';
import { InputError } from '../models/errors.ts';
import { buildAar, decisionDeliveries, decisionInjects, decisionState, objectivesOf, parseAar, type Decision } from '../models/scenario/aar.ts';
import type { ClockSnapshot } from '../models/scenario/clock.ts';
import { districtOutlines } from '../models/scenario/districts.ts';
import { checkInjectReferences, type RegionRefs } from '../models/scenario/entry-check.ts';
import { injectsToCsv, parseInjects, type Inject } from '../models/scenario/injects.ts';
import { loadObservations, scoreGauges, type GaugeScore, type ObservedSeries } from '../models/scenario/observations.ts';
import { rainMapIsDry } from '../models/scenario/rain-map.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import { parseScenario, type Scenario } from '../models/scenario/schema.ts';
import { lastChanges, levelCounts, levelsAt } from '../models/scenario/timeline.ts';
import { applyWhatIf, compareSummaries, type ComparisonRow, type WhatIfChange } from '../models/scenario/whatif.ts';
import { aarReportHtml } from './aar-report.ts';
import { appStyles } from './app-styles.ts';
import './components/aar-panel.ts';
import type { RatingChange } from './components/aar-panel.ts';
import './components/inject-list.ts';
import type { InjectCommand, InjectDraft } from './components/inject-list.ts';
import './components/region-map.ts';
import type { MapOverlay } from './components/region-map.ts';
import './components/risk-log.ts';
import './components/risk-table.ts';
import './components/routing-lab.ts';
import './components/timeline-bar.ts';
import type { ClockCommand } from './components/timeline-bar.ts';
import './components/whatif-panel.ts';
import { Confirm } from './confirm.ts';
import { districtName } from './content-text.ts';
import { actsDifferently, enterDecision, withdrawDecision, type DecisionEntry, type EntryContext } from './decisions.ts';
import { DueAlerts } from './due-alerts.ts';
import { startEngineWorker, type EngineHandle } from './engine-client.ts';
import type { BaseMap, PageRun, WorkerScenarioRun } from './engine.worker.ts';
import { FeatureDetail } from './feature-detail.ts';
import { translate, type Lang } from './i18n.ts';
import { ClockShortcuts, tabAfterKey } from './keyboard.ts';
import { mapLegend } from './map-legend.ts';
import { importMsel, reportText } from './msel-merge.ts';
import { mselAt, selfDelivery } from './msel-state.ts';
import { keepForOffline } from './offline.ts';
import { Playback } from './playback.ts';
import { PlayerLink, playerPicture } from './player-link.ts';
import { Problems } from './problems.ts';
import { fetchRegionRefs, MOUNTAIN_CITY } from './region-urls.ts';
import { clockHold, runBanner, runState } from './run-state.ts';
import { ScenarioPanel } from './scenario-panel.ts';
import { rainLayer, scenarioOverlay } from './scenario-overlay.ts';
import { SessionKeeper } from './session-keeper.ts';
import { clockText, elapsedText, offsetMinutesOf } from './time-format.ts';

/** The CSV files scenarios may name beside them (gauge observations), loaded when a scenario asks. */
const SCENARIO_FILES = import.meta.glob('../scenarios/mountain-city/*.csv', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

async function readScenarioFile(file: string): Promise<string> {
  const load = SCENARIO_FILES[`../scenarios/mountain-city/${file}`];
  if (!load) throw new Error(`${file} is not a file of the shipped scenarios`);
  return load();
}

type Tab = 'scenario' | 'risk' | 'msel' | 'aar' | 'whatif' | 'routing';

/** The shipped scenarios an analyst can open; the first is the default. */
const SHIPPED_SCENARIOS: { id: string; json: unknown }[] = [
  { id: 'storm-72h', json: stormScenario },
  { id: 'storm-peak-24h', json: stormPeakScenario },
  { id: 'storm-radar-24h', json: stormRadarScenario },
  { id: 'fire-summer', json: fireScenario },
];

/** District names at their centres, drawn over every layer so the map reads at the storm's peak. */
export function districtLabels(manifest: RegionManifest, lang: Lang): NonNullable<MapOverlay['labels']> {
  return manifest.districts.map((d) => {
    const [x, y] = (d as { centre_m: [number, number] }).centre_m;
    return { x, y, text: districtName(manifest, d.id, lang) };
  });
}

let titles: { id: string; title: string; titleZh: string }[] | undefined;

/** The shipped scenarios' ids and titles, read once (not at every render). */
function shippedTitles() {
  titles ??= SHIPPED_SCENARIOS.map((s) => parseScenario(s.json)).map(({ id, title, titleZh }) => ({ id, title, titleZh }));
  return titles;
}

@customElement('sandtable-app')
export class SandtableApp extends LitElement {
  static styles = appStyles;

  @state() private uiLang: Lang = 'zh-CN';
  @state() private tab: Tab = 'scenario';
  @state() private baseMap?: BaseMap;
  @state() private clockSnapshot: ClockSnapshot = { state: 'ready', timeS: 0, speed: 600 };
  @state() private injects: Inject[] = [];
  @state() private delivered = new Map<string, number>();
  @state() private cancelled = new Map<string, number>();
  /** Why the last CSV import, and the last inject the editor saved, were refused. */
  @state() private mselProblems: string[] = [];
  @state() private injectProblems: string[] = [];
  @state() private result?: WorkerScenarioRun;
  /** The run's forecast flood extent, drawn over the base map; and which layers are on. */
  @state() private floodImage?: ImageBitmap;
  @state() private showFlood = true;
  @state() private showSlopes = true;
  @state() private showRain = true;
  /** Folded or unfolded by the trainer; until then it folds while a details box is open. */
  @state() private legendFolded?: boolean;
  /** The rain layer's pixels, repainted only when the hour or the run changes. */
  private rainCanvas = document.createElement('canvas');
  @state() private computeMs?: number;
  @state() private selected?: string;
  @state() private manifest?: RegionManifest;
  @state() private items: RegionItem[] = [];
  @state() private decisions: Decision[] = [];
  @state() private ratings = new Map<string, RatingChange>();
  @state() private replay?: { identical: boolean; hash: string };
  @state() private computing = false;
  @state() private whatIf?: { rows: ComparisonRow[]; variant: WorkerScenarioRun };
  @state() private whatIfRunning = false;
  /** Gauge observations of the open scenario and the forecast's scores against them. */
  @state() private observed?: { series: ObservedSeries[]; scores: GaugeScore[] };
  @state() private scoredGauge?: string;
  @state() private decisionProblems: string[] = [];
  /** A river reach or district shown in the details box (risk items use `selected`). */
  @state() private feature?: { kind: 'reach' | 'district'; id: string } | { kind: 'fire-cell'; cell: number };
  /** The scenario as given (JSON): an imported after-action record replaces it. */
  private scenarioJson: unknown = stormScenario;

  private engine?: EngineHandle;
  /** What went wrong, by what it is about (the map, the run, an import, a what-if, a CAP export). */
  private problems = new Problems(this);
  /** Notices of injects falling due as the clock runs, and whether the clock stops for them. */
  private dueAlerts = new DueAlerts(this);
  /** The details box over the map, and the scenario tab: views with their caches. */
  private detail = new FeatureDetail();
  private scenarioPanel = new ScenarioPanel();
  /** The players' window (`?view=player`) sees the picture this console sends it. */
  private playerLink = new PlayerLink(this);
  /** Asks before work is discarded (switching scenario, importing over it). */
  private confirm = new Confirm(this);
  /** Saves the session in the browser as it changes; restores it on reload. */
  private session = new SessionKeeper(this, () => (this.scenario ? {
    scenarioJson: this.scenarioJson, scenarioInjects: this.scenario.injects, injects: this.injects, delivered: this.delivered, cancelled: this.cancelled,
    decisions: this.decisions, ratings: this.ratings, clockS: this.clockSnapshot.timeS, clockRunning: this.clockSnapshot.state === 'running',
  } : undefined));
  /** What the last MSEL import changed; and when the session was restored from the browser. */
  @state() private mselNotice?: string;
  @state() private restoredAt?: string;
  /** The clock was running when a recomputation stopped it: it runs on once the run is there. */
  private resumeAfterCompute = false;
  /** Counts computations: only the latest one started may show its result or its failure. */
  private computeGeneration = 0;
  private scenario!: Scenario;
  /** The exercise clock: the timeline and the keyboard drive it; it holds while there is no current run. */
  private playback = new Playback(this, {
    hold: () => clockHold(this.runState),
    moved: (beforeS, running) => this.noticeDue(beforeS, running),
    changed: (snapshot) => { this.clockSnapshot = snapshot; },
  });
  readonly shortcuts = new ClockShortcuts(this, () => (this.playback.running ? 'pause' : 'play'), (c) => this.playback.command(c));
  /** Settles once the base map is drawn or has failed (loadMap reports its own errors). */
  private mapReady: Promise<void> = Promise.resolve();
  private outlines = new Map<string, [number, number][]>();
  private counts?: ReturnType<typeof levelCounts>;

  connectedCallback(): void {
    super.connectedCallback();
    this.engine = { remote: startEngineWorker() };
    this.mapReady = this.loadMap();
    void this.loadRegionRefs();
    void this.open(this.scenarioJson);
    void this.restoreSession();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
  }

  /** The region's districts and items, small files loaded at once: entries are checked against them. */
  private async loadRegionRefs(): Promise<void> {
    const refs = await fetchRegionRefs(MOUNTAIN_CITY).catch(() => undefined); // the run loads them too, and says what failed
    if (!refs) return;
    this.manifest ??= refs.manifest;
    if (!this.items.length) this.items = refs.items;
  }

  /** The session saved in this browser, if any, reopened as it was left (the clock paused there). */
  private async restoreSession(): Promise<void> {
    const saved = await this.session.restore();
    if (!saved) return;
    try {
      void this.open(saved.scenarioJson, {
        injects: saved.injects, delivered: new Map(saved.delivered), cancelled: new Map(saved.cancelled),
        decisions: saved.decisions, ratings: new Map(saved.ratings),
      });
      this.playback.seek(saved.clockS);
      this.restoredAt = saved.saved;
    } catch (error) {
      // A session this app cannot open again (a scenario it no longer reads): start afresh.
      this.problems.set('import', error, 'session');
      void this.open(SHIPPED_SCENARIOS[0].json);
    }
  }

  /** Leaves the current session for `next` once the trainer agrees to lose its work (if any). */
  private async leaveSessionFor(next: () => void | Promise<unknown>, question = 'discardScenario'): Promise<boolean> {
    if (this.session.hasWork() && !(await this.confirm.ask(this.session.discardQuestion(question, this.uiLang)))) return false;
    this.restoredAt = undefined;
    await next();
    return true;
  }

  private async onScenarioSelect(event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const next = SHIPPED_SCENARIOS[Number(select.value)].json;
    if (!(await this.leaveSessionFor(() => { void this.open(next); }))) {
      // Kept: the menu shows the open scenario again.
      select.value = String(shippedTitles().findIndex((s) => s.id === this.scenario.id));
    }
  }

  private async loadMap(): Promise<void> {
    try {
      this.baseMap = await this.engine!.remote.regionBaseMap(MOUNTAIN_CITY.dem, MOUNTAIN_CITY.landcover);
    } catch (error) {
      this.problems.set('map', error);
    }
  }

  /**
   * Opens a scenario with a fresh clock, and the trainer's record empty (another scenario) or as an
   * imported after-action record left it; computes it.
   */
  private open(json: unknown, record: {
    injects?: Inject[]; delivered?: Map<string, number>; cancelled?: Map<string, number>; decisions?: Decision[]; ratings?: Map<string, RatingChange>;
  } = {}): Promise<WorkerScenarioRun | undefined> {
    const scenario = parseScenario(json);
    this.scenarioJson = json;
    this.scenario = scenario;
    this.injects = record.injects ?? this.scenario.injects;
    this.resumeAfterCompute = false;
    this.mselNotice = undefined;
    this.playback.reset(this.scenario.durationS, this.scenario.stepS);
    this.delivered = record.delivered ?? new Map();
    this.cancelled = record.cancelled ?? new Map();
    this.decisions = record.decisions ?? [];
    this.ratings = record.ratings ?? new Map();
    this.replay = undefined;
    this.decisionProblems = [];
    this.mselProblems = [];
    this.injectProblems = [];
    this.problems.clearScenario();
    this.dueAlerts.dismiss();
    this.whatIf = undefined;
    this.result = undefined;
    this.counts = undefined;
    return this.compute();
  }

  private async compute(): Promise<WorkerScenarioRun | undefined> {
    const started = performance.now();
    const generation = ++this.computeGeneration;
    const current = () => generation === this.computeGeneration;
    this.computing = true;
    // The clock never runs over a run that is not there: it stops here and runs on with the new run.
    if (this.playback.pause()) this.resumeAfterCompute = true;
    try {
      // The worker is one thread: a run started beside the base map would hold the first frame
      // behind its models (4.8–13 s measured); the map first takes ~1 s and the run follows.
      await this.mapReady;
      const [{ manifest, items }, result] = await Promise.all([
        fetchRegionRefs(MOUNTAIN_CITY),
        this.engine!.remote.runScenario(this.engineScenarioJson(), MOUNTAIN_CITY, this.deliveries()),
      ]);
      // A newer computation (another scenario, a later edit) has started: this one is history.
      if (!current()) return undefined;
      this.manifest = manifest;
      this.items = items;
      this.outlines = districtOutlines(manifest);
      this.counts = levelCounts(result.run, this.items.map((i) => i.id), result.run.grid.stepS, result.run.grid.steps);
      this.result = result;
      const flood = result.floodLayer;
      this.floodImage = flood ? await createImageBitmap(new ImageData(new Uint8ClampedArray(flood.rgba), flood.width, flood.height)) : undefined;
      this.computeMs = performance.now() - started;
      this.problems.clear('run');
      if (this.resumeAfterCompute) {
        this.resumeAfterCompute = false;
        this.playback.play();
      }
      await this.scoreObservations(result);
      void keepForOffline(this.engine!.remote);
      return result;
    } catch (error) {
      if (current()) { this.problems.set('run', error); this.resumeAfterCompute = false; }
      return undefined;
    } finally {
      if (current()) this.computing = false;
    }
  }

  /** Loads the scenario's gauge observations (small CSVs) and scores the forecast against them. */
  private async scoreObservations(result: WorkerScenarioRun): Promise<void> {
    const scenario = this.scenario;
    this.observed = undefined;
    if (!scenario.observations.length) return;
    const series = await loadObservations(scenario.observations, scenario, readScenarioFile);
    const run = result.run;
    const scores = scoreGauges(series, (id) => {
      const g = run.gauges.find((x) => x.id === id);
      return g && run.route?.reaches[g.reach].outflow_m3_per_s;
    }, run.grid.stepS, run.gauges.map((g) => g.id));
    this.observed = { series, scores };
    if (!scores.some((s) => s.gauge === this.scoredGauge)) this.scoredGauge = scores.at(-1)?.gauge;
  }

  /** Whether the map shows a current run: computing, failed or stale runs hold the clock. */
  private get runState() {
    return runState(this.computing, this.result !== undefined, this.problems.get('run') !== undefined);
  }

  /** The clock moved on from `beforeS`: tell the trainer what fell due; the time to stop at, if asked. */
  private noticeDue(beforeS: number, running: boolean): number | undefined {
    const actions = { delivered: this.delivered, cancelled: this.cancelled };
    const stop = this.dueAlerts.autoPause && running;
    const first = this.dueAlerts.advance(beforeS, this.playback.timeS, selfDelivery(this.injects, actions, this.result?.run), this.injects, stop);
    return stop ? first : undefined;
  }

  private onInjectCommand(event: CustomEvent<InjectCommand>): void {
    const { command, id } = event.detail;
    const now = this.playback.timeS;
    if (command === 'deliver') this.delivered = new Map(this.delivered).set(id, now);
    else this.cancelled = new Map(this.cancelled).set(id, now);
    // A model change delivered or cancelled by the trainer changes the running scenario: recompute.
    if (this.injects.find((i) => i.id === id)?.kind === 'model-change') void this.compute();
  }

  /**
   * A player's decision (or a correction of one), logged with the model state it was taken in once
   * it is checked in full (web/decisions.ts); one that acts recomputes the run with it. A refused
   * one stays in the form (preventDefault) beside the reason.
   */
  private onDecision(event: CustomEvent<DecisionEntry>): void {
    const state = this.result ? decisionState(this.result.run, this.items.map((i) => i.id), this.playback.timeS) : undefined;
    this.changeDecisions(event, (ctx) => enterDecision(this.decisions, event.detail, { ...ctx, ...(state ? { state } : {}) }));
  }

  private onDecisionWithdraw(event: CustomEvent<{ id: string; by: string }>): void {
    this.changeDecisions(event, (ctx) => withdrawDecision(this.decisions, event.detail.id, event.detail.by, ctx));
  }

  private changeDecisions(event: Event, change: (ctx: EntryContext) => Decision[]): void {
    const ctx: EntryContext = { nowS: this.playback.timeS, durationS: this.scenario.durationS, injects: this.injects, region: this.regionRefs(), at: new Date().toISOString() };
    try {
      const before = this.decisions;
      this.decisions = change(ctx);
      this.decisionProblems = [];
      if (actsDifferently(before, this.decisions)) void this.compute();
    } catch (error) {
      event.preventDefault();
      this.decisionProblems = error instanceof InputError ? error.message.split('\n') : [String(error)];
    }
  }

  /** The region's districts and items, once loaded: what entries are checked against. */
  private regionRefs(): RegionRefs | undefined {
    return this.manifest ? { manifest: this.manifest, items: this.items } : undefined;
  }

  private barriersAt(run: PageRun, tS: number): [number, number][][] {
    const engineInjects = [...this.injects, ...decisionInjects(this.decisions)];
    return run.delivered.filter((d) => d.t_s <= tS).flatMap((d) => {
      const action = engineInjects.find((i) => i.id === d.id)?.action as { type?: string; polyline_m?: [number, number][] } | undefined;
      return action?.type === 'barrier' && Array.isArray(action.polyline_m) ? [action.polyline_m] : [];
    });
  }

  /**
   * What the engine runs: the MSEL plus an inject for each decision that acts. An inject the trainer
   * cancelled (always before it went out: Cancel is offered only then) never acts on the models.
   */
  private engineScenarioJson(): unknown {
    const injects = this.injects.map((i) => (this.cancelled.has(i.id) ? { ...i, state: 'cancelled' } : i));
    return { ...(this.currentScenarioJson() as Record<string, unknown>), injects: [...injects, ...decisionInjects(this.decisions)] };
  }

  /** The trainer's manual deliveries and the acting decisions', with their times. */
  private deliveries(): [string, number][] {
    return [...this.delivered, ...decisionDeliveries(this.decisions)];
  }

  /** Ready-made engine actions a decision can take, filled from this scenario and run. */
  private actionTemplates(): Record<string, unknown> {
    const districts = this.manifest?.districts.map((d) => d.id) ?? [];
    const release = this.injects.find((i) => i.action?.type === 'dam-release')?.action;
    const barrier = this.injects.find((i) => i.action?.type === 'barrier')?.action;
    const lifts = [...(this.result?.run.warnings ?? []), ...this.decisions.map((d) => d.action).filter((a) => a?.type === 'warning-issue') as { id?: string }[]]
      .filter((w) => (w as { source?: string }).source !== 'rule' && w.id);
    const next = this.decisions.length + 1;
    return {
      'warning-issue': { type: 'warning-issue', id: `W-DEC-${next}`, hazard: this.result?.run.fire ? 'forest-fire' : 'flood', level: 3, areas: districts.slice(0, 1) },
      'warning-lift': { type: 'warning-lift', id: lifts.at(-1)?.id ?? 'W-…' },
      'dam-release': release ?? { type: 'dam-release', reservoir: 'clear-creek-dam', m3_per_s: 500, duration_s: 21600 },
      barrier: barrier ?? { type: 'barrier', polyline_m: [[646400, 3271500], [647400, 3278500]] },
      evacuation: { type: 'evacuation', areas: districts.slice(0, 1) },
    };
  }

  /** Every model change the MSEL editor can start from: the decisions' actions and the trainer's own. */
  private mselActionTemplates(): Record<string, unknown> {
    const districts = this.manifest?.districts.map((d) => d.id) ?? [];
    const item = this.items[0]?.id ?? 'WL-001';
    const ignition = this.injects.find((i) => i.action?.type === 'ignition')?.action;
    return {
      rain: { type: 'rain', factor: 1.5, areas: districts.slice(0, 1), duration_s: 10800 },
      ignition: ignition ?? { type: 'ignition', x_m: 645200, y_m: 3274500 },
      'sensor-reading': { type: 'sensor-reading', item, factor: 'depth_cm', value: 35 },
      ...this.actionTemplates(),
    };
  }

  /** The scenario as it stands: its file with the MSEL as the trainer has it now (imports, edits). */
  private currentScenarioJson(): unknown {
    return { ...(this.scenarioJson as Record<string, unknown>), injects: this.injects };
  }

  private record() {
    return buildAar({
      scenarioJson: this.currentScenarioJson(), scenario: this.scenario, run: this.result!.run, resultsSha256: this.result!.resultsSha256,
      manualDeliveries: this.delivered, cancellations: this.cancelled, decisions: this.decisions,
      ratings: this.ratings, exported: new Date().toISOString(),
    });
  }

  private async onAarImport(event: CustomEvent<{ text: string; fileName: string }>): Promise<void> {
    // The verdict and problem of an earlier import are about that import, not this one.
    this.replay = undefined;
    this.problems.clear('import');
    try {
      const { record, scenario, manualDeliveries } = parseAar(JSON.parse(event.detail.text));
      const cancelled = new Map(record.injects_cancelled.map((c) => [c.id, c.t_s]));
      const ratings = new Map(record.objectives.map((o) => [o.id, o]));
      // The record of this very session (exported, then imported to replay it) loses nothing.
      const same = this.session.sameWork({ injects: scenario.injects, delivered: manualDeliveries, cancelled, decisions: record.decisions, ratings });
      if (!same && !(await this.leaveSessionFor(() => undefined, 'discardForImport'))) return;
      const result = await this.open(record.scenario, {
        delivered: manualDeliveries, cancelled, decisions: record.decisions, ratings,
      });
      if (result) this.replay = { identical: result.resultsSha256 === record.results_sha256, hash: result.resultsSha256 };
    } catch (error) {
      this.problems.set('import', error, event.detail.fileName);
    }
  }

  private async runWhatIf(event: CustomEvent<{ change: WhatIfChange; fireBreak: boolean }>): Promise<void> {
    if (!this.result) return;
    this.whatIfRunning = true;
    this.problems.clear('whatIf');
    try {
      // A fire break along the ridge-foot road, the line the scenario's own break inject uses.
      const breakLine = (this.injects.find((i) => i.action?.type === 'barrier')?.action as { polyline_m?: [number, number][] } | undefined)?.polyline_m;
      const change = { ...event.detail.change, ...(event.detail.fireBreak && breakLine ? { fireBreak: breakLine } : {}) };
      const variant = await this.engine!.remote.runScenario(applyWhatIf(this.engineScenarioJson(), change), MOUNTAIN_CITY, this.deliveries());
      this.whatIf = { rows: compareSummaries(this.result.summary, variant.summary), variant };
    } catch (error) {
      this.problems.set('whatIf', error);
    } finally {
      this.whatIfRunning = false;
    }
  }

  private renderWhatIfPanel() {
    const base = this.result?.run;
    const variant = this.whatIf?.variant.run;
    const times = base ? Array.from({ length: base.grid.steps + 1 }, (_, j) => j * base.grid.stepS) : [];
    const t = (key: string) => translate(this.uiLang, key);
    const curve = (run: typeof base, label: string, color: string) => {
      if (!run) return undefined;
      if (run.fire) return { label, color, values: [0, ...run.fire.burnedAreaM2.map((a) => a / 1e6)] };
      const outlet = run.gauges.find((g) => g.id === 'G-outlet');
      return outlet && run.route ? { label, color, values: run.route.reaches[outlet.reach].outflow_m3_per_s } : undefined;
    };
    const curves = [curve(base, t('base'), '#1f618d'), curve(variant, t('whatif'), '#c0392b')].filter((c) => c !== undefined);
    return html`<section><whatif-panel .hasFire=${!!base?.fire} .running=${this.whatIfRunning} .rows=${this.whatIf?.rows ?? []}
      .timesSeconds=${times} .curves=${curves} curveUnit=${base?.fire ? 'km²' : 'm³/s'} lang=${this.uiLang}
      @whatif-run=${this.runWhatIf}></whatif-panel>${this.problems.view('whatIf', this.uiLang)}</section>`;
  }

  /**
   * Downloads one warning's CAP 1.2 messages (its alert or update, and its cancel once lifted). The
   * worker builds them: district polygons need the kernels' deterministic math, which the main
   * thread never loads.
   */
  private async exportCap(id: string): Promise<void> {
    const warnings = this.result?.run.warnings;
    if (!warnings?.some((w) => w.id === id)) return;
    this.problems.clear('cap');
    try {
      const messages = await this.engine!.remote.warningCap(this.currentScenarioJson(), MOUNTAIN_CITY, warnings, id);
      for (const message of messages) this.download(message.fileName, message.xml, 'application/xml');
    } catch (error) {
      this.problems.set('cap', error, id);
    }
  }

  private renderAarPanel() {
    const roles = [...new Set([...this.injects.map((i) => i.to).filter((r) => r), 'Trainer'])];
    return html`<section><aar-panel .decisions=${this.decisions} .objectives=${objectivesOf(this.scenario)} .ratings=${this.ratings}
      .roles=${roles} .injects=${this.injects} .manifest=${this.manifest} .replay=${this.replay} lang=${this.uiLang} .actionTemplates=${this.actionTemplates()} .problems=${this.decisionProblems}
      .importProblem=${this.problems.of('import', this.uiLang)}
      @decision-add=${this.onDecision} @decision-withdraw=${this.onDecisionWithdraw}
      @rating-change=${(e: CustomEvent<RatingChange>) => { this.ratings = new Map(this.ratings).set(e.detail.id, e.detail); }}
      @aar-export=${() => this.result && this.download(`${this.scenario.id}-aar.json`, JSON.stringify(this.record(), null, 1), 'application/json')}
      @aar-print=${() => this.result && this.download(`${this.scenario.id}-aar-${this.uiLang}.html`, aarReportHtml(this.record(), {
        lang: this.uiLang, title: this.uiLang === 'zh-CN' ? this.scenario.titleZh : this.scenario.title, manifest: this.manifest, injects: this.injects,
        timeAt: (tS) => `${clockText(this.scenario.startEpochMs, offsetMinutesOf(this.scenario.startTime), tS)} (${elapsedText(tS)})`,
      }), 'text/html;charset=utf-8')}
      @aar-import=${this.onAarImport}></aar-panel></section>`;
  }

  /**
   * Adds an inject, or replaces the edited one in its place; the whole MSEL is validated as a file
   * would be, and a refused draft stays in the form (preventDefault) beside the problems.
   */
  private onInjectSave(event: CustomEvent<InjectDraft>): void {
    const { editing, inject } = event.detail;
    const before = this.injects.find((i) => i.id === editing);
    const drafts: unknown[] = editing === undefined ? [...this.injects, inject] : this.injects.map((i) => (i.id === editing ? inject : i));
    try {
      const injects = parseInjects(drafts, '$.injects', this.scenario.durationS);
      const region = this.regionRefs();
      const index = editing === undefined ? injects.length - 1 : this.injects.findIndex((i) => i.id === editing);
      if (region) checkInjectReferences(injects, this.decisions, index, region);
      this.injects = injects;
      this.injectProblems = [];
      if (inject.kind === 'model-change' || before?.kind === 'model-change') void this.compute();
    } catch (error) {
      event.preventDefault();
      this.injectProblems = error instanceof InputError ? error.message.split('\n') : [String(error)];
    }
  }

  /**
   * An MSEL CSV, checked in full (form, then the region), merged by inject id: deliveries and
   * cancellations stay with their injects, and the trainer is asked before any would be lost.
   */
  private async onMselImport(event: CustomEvent<{ text: string; fileName: string }>): Promise<void> {
    const { text, fileName } = event.detail;
    const t = (key: string) => translate(this.uiLang, key);
    this.mselNotice = undefined;
    let merged;
    try {
      merged = importMsel(text, fileName, { injects: this.injects, delivered: this.delivered, cancelled: this.cancelled, decisions: this.decisions, durationS: this.scenario.durationS, region: this.regionRefs() });
      this.mselProblems = [];
    } catch (error) {
      this.mselProblems = error instanceof InputError ? error.message.split('\n') : [String(error)];
      return;
    }
    const lost = merged.report.lost;
    if (lost.length && !(await this.confirm.ask({ title: 'importLosesTitle', body: t('importLosesBody').replace('{ids}', lost.join(', ')), confirm: 'importAnyway', keep: 'discardKeep' }))) return;
    this.injects = merged.injects;
    this.delivered = merged.delivered;
    this.cancelled = merged.cancelled;
    this.mselNotice = reportText(merged.report, fileName, t('mselMerged'));
    void this.compute();
  }

  private download(name: string, text: string, type: string): void {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  /** The session came back from the browser: say so, and offer a fresh start (asked first). */
  private renderRestored() {
    if (!this.restoredAt) return '';
    const t = (key: string) => translate(this.uiLang, key);
    return html`<div class="session-notice" role="status"><span>${t('sessionRestored').replace('{at}', new Date(this.restoredAt).toLocaleString(this.uiLang, { hour12: false }))}</span>
      <button class="fresh" @click=${() => void this.leaveSessionFor(() => { void this.open(this.scenarioJson, {}); }, 'discardFresh')}>${t('freshSession')}</button>
      <button aria-label=${t('close')} @click=${() => { this.restoredAt = undefined; }}>×</button></div>`;
  }

  private renderMselPanel() {
    const t = (key: string) => translate(this.uiLang, key);
    const msel = mselAt(this.injects, this.clockSnapshot.timeS, { delivered: this.delivered, cancelled: this.cancelled }, this.result?.run);
    return html`<section>
      ${this.mselNotice ? html`<p class="msel-notice" role="status"><span>${this.mselNotice}</span><button aria-label=${t('close')} @click=${() => { this.mselNotice = undefined; }}>×</button></p>` : ''}
      <label class="msel-options"><input type="checkbox" name="pause-on-due" .checked=${this.dueAlerts.autoPause}
        @change=${(e: Event) => { this.dueAlerts.autoPause = (e.target as HTMLInputElement).checked; this.requestUpdate(); }}>${t('pauseOnDue')}</label>
      <inject-list .injects=${msel.injects} .msel=${this.injects} .dueTimes=${msel.due} .expected=${msel.expected}
        .problems=${this.mselProblems} .formProblems=${this.injectProblems} lang=${this.uiLang} .actionTemplates=${this.mselActionTemplates()}
        @inject-command=${this.onInjectCommand} @inject-save=${this.onInjectSave} @msel-import=${this.onMselImport}
        @msel-export=${() => this.download(`${this.scenario.id}-msel.csv`, injectsToCsv(this.injects), 'text/csv;charset=utf-8')}></inject-list>
    </section>`;
  }

  private onFeatureSelect = (event: CustomEvent<{ id: string; kind?: 'item' | 'reach' }>): void => {
    if (event.detail.kind === 'reach') { this.feature = { kind: 'reach', id: event.detail.id }; this.selected = undefined; }
    else { this.selected = event.detail.id; this.feature = undefined; }
  };

  /** Rain under the flood extent, each when its layer is on. */
  private mapRasters(run: PageRun, tS: number): NonNullable<MapOverlay['rasters']> {
    const rasters: NonNullable<MapOverlay['rasters']> = [];
    if (this.showRain && !this.dry(run)) rasters.push(rainLayer(run.rainMap, tS, this.rainCanvas));
    if (this.showFlood && this.floodImage && this.manifest) rasters.push({ image: this.floodImage, cols: this.manifest.grid.ncols, rows: this.manifest.grid.nrows });
    return rasters;
  }

  private dryCache = new WeakMap<PageRun, boolean>();

  /** A run without rain worth a colour (a fire day) has no rain layer. */
  private dry(run: PageRun): boolean {
    if (!this.dryCache.has(run)) this.dryCache.set(run, rainMapIsDry(run.rainMap));
    return this.dryCache.get(run)!;
  }

  /** A click on the map away from items and rivers: the cell the fire reaches there, else the district. */
  private onMapClick = (event: CustomEvent<{ x: number; y: number }>): void => {
    const { x, y } = event.detail;
    const cell = this.fireCellAt(x, y);
    if (cell !== undefined) { this.selected = undefined; this.feature = { kind: 'fire-cell', cell }; return; }
    const inside = (ring: [number, number][]) => {
      let odd = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]; const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
      }
      return odd;
    };
    const district = [...this.outlines].find(([, ring]) => inside(ring))?.[0];
    this.selected = undefined;
    this.feature = district ? { kind: 'district', id: district } : undefined;
  };

  /** The region cell at a map point, when the fire reaches it within the scenario. */
  private fireCellAt(x: number, y: number): number | undefined {
    const cells = this.result?.fireCells;
    const g = this.manifest?.grid;
    if (!cells || !g) return undefined;
    const col = Math.floor((x - g.xllcorner) / g.cellsize_m);
    const row = g.nrows - 1 - Math.floor((y - g.yllcorner) / g.cellsize_m);
    if (col < 0 || row < 0 || col >= g.ncols || row >= g.nrows) return undefined;
    const cell = row * g.ncols + col;
    return Number.isFinite(cells.arrivalS[cell]) ? cell : undefined;
  }

  protected updated(): void {
    if (!this.result || !this.manifest) return;
    this.playerLink.publish(playerPicture({
      lang: this.uiLang, scenario: this.scenario, run: this.result.run, manifest: this.manifest, items: this.items, outlines: this.outlines,
      injects: this.injects, trainer: { delivered: this.delivered, cancelled: this.cancelled }, barriers: this.barriersAt(this.result.run, this.clockSnapshot.timeS), clock: this.clockSnapshot,
      labels: districtLabels(this.manifest, this.uiLang),
    }));
  }

  /** WAI-ARIA tabs: arrows, Home and End open the next, previous, first or last tab and focus it. */
  private async onTabKey(event: KeyboardEvent, ids: Tab[]): Promise<void> {
    const next = tabAfterKey(ids, this.tab, event.key);
    if (!next) return;
    event.preventDefault();
    this.tab = next;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
  }

  /** Computing, failed (over the previous run if there is one) or computed, with the time it took. */
  private renderStatus() {
    const t = (key: string) => translate(this.uiLang, key);
    const state = this.runState;
    const text = state === 'computing' ? t('computing') : state === 'recomputing' ? t('recomputing') : state === 'stale' ? t('runFailedStale')
      : state === 'failed' ? t('runFailed') : `${t('computed')} · ${((this.computeMs ?? 0) / 1000).toFixed(1)} s`;
    return html`<span class="status ${state}" role="status">${text}</span>`;
  }

  render() {
    const t = (key: string) => translate(this.uiLang, key);
    const now = this.clockSnapshot.timeS;
    const run = this.result?.run;
    const levels = run ? levelsAt(run, now, this.items.map((i) => i.id)) : new Map<string, number>();
    const overlay = run && this.manifest ? scenarioOverlay(run, this.manifest, this.items, this.outlines, levels, now,
      { slopes: this.showSlopes, rasters: this.mapRasters(run, now) }) : undefined;
    // Fire breaks and barriers in place by now (MSEL or decisions), drawn as the crews cut them.
    if (overlay && run) for (const path of this.barriersAt(run, now)) overlay.lines.push({ path, colour: '#4a235a', width: 4 });
    if (overlay && this.manifest) overlay.labels = districtLabels(this.manifest, this.uiLang);
    const tabs: [Tab, string][] = [['scenario', t('scenarioTab')], ['risk', t('riskList')], ['msel', t('injects')], ['aar', t('aarTab')], ['whatif', t('whatifTab')], ['routing', t('routingTab')]];
    return html`
      <header>
        <h1>${t('appTitle')}</h1>
        ${this.scenario.exercise ? html`<span class="exercise" role="note">${t('exercise')}</span>` : ''}
        <select class="scenario-title" aria-label=${t('scenario')} @change=${(e: Event) => void this.onScenarioSelect(e)}>
          ${shippedTitles().map((s, k) => html`<option value=${k} ?selected=${s.id === this.scenario.id}>${this.uiLang === 'zh-CN' ? s.titleZh : s.title}</option>`)}
        </select>
        ${this.renderStatus()}
        <button class="lang-toggle" lang=${this.uiLang === 'zh-CN' ? 'en' : 'zh-CN'} @click=${() => { this.uiLang = this.uiLang === 'zh-CN' ? 'en' : 'zh-CN'; }} aria-label=${t('languageLabel')}>${t('language')}</button>
        <button class="player-open" title=${t('playerOpenTitle')} @click=${() => window.open(`${location.pathname}?view=player`, 'sandtable-player')}>${t('playerOpen')}</button>
      </header>
      <main>
        <div class="map ${this.runState === 'ready' ? '' : 'not-ready'}">
          ${runBanner(this.runState, this.uiLang)}
          <region-map .baseMap=${this.baseMap} .overlay=${overlay} selected=${this.selected ?? ''} label=${t('mapLabel')}
            @feature-select=${this.onFeatureSelect} @map-click=${this.onMapClick}></region-map>
          ${mapLegend({
            run, lang: this.uiLang, dry: run ? this.dry(run) : true, offerFlood: true, collapsed: this.legendFolded ?? (this.selected !== undefined || this.feature !== undefined),
            layers: { rain: this.showRain, flood: this.showFlood, slopes: this.showSlopes },
            toggle: (layer, on) => { if (layer === 'rain') this.showRain = on; else if (layer === 'flood') this.showFlood = on; else this.showSlopes = on; },
            fold: (folded) => { this.legendFolded = folded; },
          })}
          ${this.detail.view({
            result: this.result, manifest: this.manifest, items: this.items, selected: this.selected, feature: this.feature, levels, now, lang: this.uiLang,
            close: () => { this.selected = undefined; this.feature = undefined; },
          })}
          ${this.problems.view('map', this.uiLang)}
        </div>
        <div class="side">
          <div class="alerts">${this.renderRestored()}${this.dueAlerts.view(this.uiLang, () => { this.tab = 'msel'; })}</div>
          <div class="tabs" role="tablist" aria-label=${t('panels')} @keydown=${(e: KeyboardEvent) => this.onTabKey(e, tabs.map(([id]) => id))}>
            ${tabs.map(([id, label]) => html`<button role="tab" id=${`tab-${id}`} aria-controls="panel" aria-selected=${this.tab === id}
              tabindex=${this.tab === id ? 0 : -1} @click=${() => { this.tab = id; }}>${label}</button>`)}
          </div>
          <div class="panel" id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`} tabindex="0">
            ${this.problems.view('run', this.uiLang)}
            ${this.tab === 'scenario' ? this.scenarioPanel.view({
              result: this.result, scenario: this.scenario, manifest: this.manifest, injects: this.injects, counts: this.counts, observed: this.observed,
              scoredGauge: this.scoredGauge, now, lang: this.uiLang, capProblem: this.problems.view('cap', this.uiLang),
              scoreGauge: (gauge) => { this.scoredGauge = gauge; }, exportCap: (id) => void this.exportCap(id),
            }) : ''}
            ${this.tab === 'risk' ? html`<section><risk-table .manifest=${this.manifest} .items=${this.items} .levels=${levels}
              .changes=${run ? lastChanges(run, now) : new Map()} selected=${this.selected ?? ''} lang=${this.uiLang}
              @feature-select=${this.onFeatureSelect}></risk-table>
              <risk-log .changes=${run?.risk.changes ?? []} .items=${this.items} .timeS=${now} lang=${this.uiLang}
              @feature-select=${this.onFeatureSelect}></risk-log></section>` : ''}
            ${this.tab === 'msel' ? this.renderMselPanel() : ''}
            ${this.tab === 'aar' ? this.renderAarPanel() : ''}
            ${this.tab === 'whatif' ? this.renderWhatIfPanel() : ''}
            <routing-lab .engine=${this.engine} lang=${this.uiLang} ?hidden=${this.tab !== 'routing'}></routing-lab>
          </div>
        </div>
      </main>
      <timeline-bar .clock=${this.clockSnapshot} .durationS=${this.scenario.durationS} .stepS=${this.scenario.stepS}
        .startEpochMs=${this.scenario.startEpochMs} .offsetMinutes=${offsetMinutesOf(this.scenario.startTime)} lang=${this.uiLang}
        hold=${clockHold(this.runState) ? t(`holdShort_${this.runState}`) : ''}
        @clock-command=${(e: CustomEvent<ClockCommand>) => this.playback.command(e.detail)}></timeline-bar>
      ${this.confirm.view(this.uiLang)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'sandtable-app': SandtableApp }
}
