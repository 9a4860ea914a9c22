// The app shell. The engine worker computes the shipped scenario; the exercise clock then walks
// through it: the map shows risk items by level, rivers by flow and districts by warning at the
// clock's time, beside gauges, warnings, the risk list and the MSEL. State lives here and flows
// down as properties; components send changes up as events.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { InputError } from '../models/errors.ts';
import { aarHtml, buildAar, decisionDeliveries, decisionInjects, decisionState, objectivesOf, parseAar, type Decision } from '../models/scenario/aar.ts';
import { ExerciseClock, type ClockSnapshot } from '../models/scenario/clock.ts';
import { districtOutlines } from '../models/scenario/districts.ts';
import { injectsToCsv, parseInjects, type Inject } from '../models/scenario/injects.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import { loadObservations, scoreGauges, type GaugeScore, type ObservedSeries } from '../models/scenario/observations.ts';
import { isoAt, parseScenario, type Scenario } from '../models/scenario/schema.ts';
import { districtLevels, lastChanges, levelCounts, levelsAt } from '../models/scenario/timeline.ts';
import { elapsedText } from './time-format.ts';
import './components/aar-panel.ts';
import type { RatingChange } from './components/aar-panel.ts';
import './components/hydrograph-chart.ts';
import './components/risk-log.ts';
import type { ChartSeries } from './components/hydrograph-chart.ts';
import './components/inject-list.ts';
import type { InjectCommand, InjectDraft } from './components/inject-list.ts';
import './components/region-map.ts';
import './components/risk-table.ts';
import './components/routing-lab.ts';
import './components/timeline-bar.ts';
import type { ClockCommand } from './components/timeline-bar.ts';
import './components/warning-feed.ts';
import './components/whatif-panel.ts';
import { applyWhatIf, compareSummaries, type ComparisonRow, type WhatIfChange } from '../models/scenario/whatif.ts';
import { startEngineWorker, type EngineHandle } from './engine-client.ts';
import type { BaseMap, FireCells, PageRun, WorkerScenarioRun } from './engine.worker.ts';
import type { MapOverlay } from './components/region-map.ts';
import { RAIN_CLASSES, rainMapIsDry } from '../models/scenario/rain-map.ts';
import { translate, type Lang } from './i18n.ts';
import { causeText, LEVEL_COLOURS, levelName } from './levels.ts';
import { fetchRegionRefs } from './region-urls.ts';
import { regionSource } from './region-source.ts';
import './components/region-picker.ts';
import { keepForOffline } from './offline.ts';
import { FIRE_ISOCHRONE_COLOUR, rainLayer, scenarioOverlay, SLOPE_FAILED_COLOUR } from './scenario-overlay.ts';
import { offsetMinutesOf } from './time-format.ts';
import { Problems } from './problems.ts';
import { DueAlerts, dueAlertStyles } from './due-alerts.ts';
import { mselAt, selfDelivery } from './msel-state.ts';
import { Confirm, confirmStyles } from './confirm.ts';
import { importMsel, reportText } from './msel-merge.ts';
import { clockHold, runBanner, runState, runStateStyles } from './run-state.ts';
import { SessionKeeper } from './session-keeper.ts';
import { actsDifferently, enterDecision, withdrawDecision, type DecisionEntry, type EntryContext } from './decisions.ts';
import { checkInjectReferences, type RegionRefs } from '../models/scenario/entry-check.ts';

/** The CSV files scenarios may name beside them (gauge observations), loaded when a scenario asks. */
const SCENARIO_FILES = import.meta.glob('../scenarios/mountain-city/*.csv', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

async function readScenarioFile(file: string): Promise<string> {
  const load = SCENARIO_FILES[`../scenarios/mountain-city/${file}`];
  if (!load) throw new Error(`${file} is not a file of the shipped scenarios`);
  return load();
}

type Tab = 'scenario' | 'risk' | 'msel' | 'aar' | 'whatif' | 'routing';

@customElement('sandtable-app')
export class SandtableApp extends LitElement {
  static styles = [dueAlertStyles, confirmStyles, runStateStyles, css`
    :host { display: grid; grid-template-rows: auto 1fr auto; grid-template-columns: minmax(0, 1fr); height: 100vh; font-family: system-ui, "Noto Sans CJK SC", sans-serif; color: #1d2430; background: #f4f5f7; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #1d2430; color: #fff; }
    h1 { font-size: 1.1rem; margin: 0; font-weight: 600; white-space: nowrap; }
    header > * { flex-shrink: 0; }
    header > .scenario-title, header > .status { flex-shrink: 1; min-width: 0; }
    header > .status { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .exercise { white-space: nowrap; }
    .exercise { background: #f1c40f; color: #1d2430; font-weight: 700; letter-spacing: 0.08em; padding: 0.15rem 0.7rem; border-radius: 3px; }
    .scenario-title { color: #fff; background: #2c3646; border: 1px solid #4a5668; border-radius: 4px; font: inherit; font-size: 0.9rem; padding: 0.15rem 0.4rem; }
    header button { font: inherit; font-size: 0.85rem; background: transparent; color: #fff; border: 1px solid #7f8b99; border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
    main { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); gap: 1rem; padding: 0.8rem 1rem; min-height: 0; }
    .map { position: relative; min-height: 20rem; display: grid; }
    region-map { min-height: 20rem; }
    .legend { position: absolute; right: 10px; top: 10px; background: rgba(255,255,255,.92); border-radius: 4px; padding: 0.4rem 0.6rem; font-size: 0.75rem; display: grid; gap: 0.2rem; }
    .legend .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; vertical-align: -2px; margin-right: 0.25rem; }
    .legend .bar { display: inline-block; width: 1.2rem; height: 0.3rem; vertical-align: middle; margin-right: 0.25rem; }
    .legend label { cursor: pointer; } .legend input { margin: 0 0.3rem 0 0; vertical-align: -2px; }
    .legend .bar.thin { height: 0.12rem; }
    .legend .ramp { display: flex; gap: 1px; margin-left: 1.3rem; }
    .legend .ramp span { flex: 1; font-size: 0.6rem; text-align: center; color: #fff; padding: 0 2px; }
    .legend .ramp span.light { color: #1d2430; }
    .detail { position: absolute; left: 10px; top: 10px; width: 24rem; max-height: calc(100% - 40px); overflow: auto; background: rgba(255,255,255,.95); border-radius: 4px; padding: 0.5rem 0.7rem; font-size: 0.8rem; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
    .detail h3 { margin: 0 1.2rem 0.3rem 0; font-size: 0.9rem; }
    .detail .close { position: absolute; right: 0.3rem; top: 0.2rem; border: none; background: transparent; font-size: 1.1rem; cursor: pointer; color: #5d6875; }
    .detail .sub { margin-top: 0.4rem; font-weight: 600; font-size: 0.78rem; color: #445; }
    .detail table.changes { border-collapse: collapse; width: 100%; font-size: 0.75rem; }
    .detail table.changes td { padding: 0.1rem 0.3rem 0.1rem 0; border-top: 1px solid #eef1f4; vertical-align: top; }
    .side { display: grid; grid-template-rows: auto auto 1fr; min-height: 0; }
    .side > .tabs { margin-bottom: 0.5rem; }
    .alerts:not(:empty) { margin-bottom: 0.5rem; }
    .tabs { display: flex; gap: 0.2rem; overflow-x: auto; }
    .tabs button { font: inherit; font-size: 0.85rem; white-space: nowrap; padding: 0.3rem 0.65rem; border: 1px solid #c5ccd6; border-bottom: none; border-radius: 4px 4px 0 0; background: #e8ecf1; cursor: pointer; }
    .tabs button[aria-selected=true] { background: #fff; font-weight: 600; }
    .panel { overflow: auto; min-height: 0; display: grid; gap: 0.6rem; align-content: start; }
    section { background: #fff; border-radius: 6px; padding: 0.6rem 0.9rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
    h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
    table.scores { border-collapse: collapse; width: 100%; font-size: 0.8rem; margin-top: 0.3rem; }
    table.scores th, table.scores td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #eef1f4; }
    table.scores tbody tr { cursor: pointer; }
    table.scores tr[aria-selected=true] { background: #eaf2f8; font-weight: 600; }
    table.scores .ok { color: #1e8449; } table.scores .bad { color: #a93226; }
    .note { font-size: 0.75rem; color: #5d6875; margin: 0.3rem 0 0; }
    .problems { color: #a93226; font-family: ui-monospace, monospace; font-size: 0.8rem; white-space: pre-wrap; margin: 0.3rem 0 0; }
    .problems strong { font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
    .panel > .run-problem { background: #fdedec; border: 1px solid #e6b0aa; border-radius: 6px; padding: 0.5rem 0.8rem; margin: 0; }
    .map > .map-problem { position: absolute; left: 10px; bottom: 10px; right: 10px; background: rgba(253,237,236,.95); border-radius: 4px; padding: 0.4rem 0.6rem; }
    .msel-notice { font-size: 0.8rem; background: #eaf2f8; border-radius: 4px; padding: 0.3rem 0.5rem; margin: 0 0 0.3rem; display: flex; gap: 0.5rem; align-items: start; }
    .msel-notice button, .session-notice button { font: inherit; font-size: 0.75rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; cursor: pointer; }
    .session-notice { font-size: 0.8rem; background: #e9f7ef; border: 1px solid #a9dfbf; border-radius: 6px; padding: 0.35rem 0.6rem; display: flex; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
    .session-notice span { flex: 1; }
    .msel-options { font-size: 0.8rem; color: #445; display: flex; gap: 0.3rem; align-items: center; margin-bottom: 0.3rem; }
  `];

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
  private scenarioJson: unknown = regionSource.current.scenarios[0].json;

  private engine?: EngineHandle;
  /** What went wrong, by what it is about (the map, the run, an import, a what-if, a CAP export). */
  private problems = new Problems(this);
  /** Notices of injects falling due as the clock runs, and whether the clock stops for them. */
  private dueAlerts = new DueAlerts(this);
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
  private clock!: ExerciseClock;
  private carried = { seconds: 0 };
  private frame?: number;
  private lastFrameMs?: number;
  /** Settles once the base map is drawn or has failed (loadMap reports its own errors). */
  private mapReady: Promise<void> = Promise.resolve();
  private outlines = new Map<string, [number, number][]>();
  private counts?: ReturnType<typeof levelCounts>;

  connectedCallback(): void {
    super.connectedCallback();
    this.engine = { remote: startEngineWorker() };
    // The region (shipped, by link, or kept from files) gives the map and the scenarios; another opened reopens all.
    this.scenario = parseScenario(this.scenarioJson);
    void regionSource.start().then(() => { this.openRegion(); void this.restoreSession(); regionSource.addEventListener('change', this.openRegion); });
  }

  private readonly openRegion = () => { this.mapReady = this.loadMap(); void this.loadRegionRefs(); void this.open(regionSource.current.scenarios[0].json); };

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.frame) cancelAnimationFrame(this.frame);
    regionSource.removeEventListener('change', this.openRegion);
  }

  /** The region's districts and items, small files loaded at once: entries are checked against them. */
  private async loadRegionRefs(): Promise<void> {
    const refs = await fetchRegionRefs(regionSource.current.urls).catch(() => undefined); // the run loads them too, and says what failed
    if (!refs) return;
    this.manifest ??= refs.manifest;
    if (!this.items.length) this.items = refs.items;
  }

  /** The session saved in this browser, if any, reopened as it was left (the clock paused there). */
  private async restoreSession(): Promise<void> {
    const saved = await this.session.restore();
    if (!saved || !regionSource.offers(saved.scenarioJson)) return;
    try {
      void this.open(saved.scenarioJson, {
        injects: saved.injects, delivered: new Map(saved.delivered), cancelled: new Map(saved.cancelled),
        decisions: saved.decisions, ratings: new Map(saved.ratings),
      });
      this.clock.seek(saved.clockS);
      this.syncClock();
      this.restoredAt = saved.saved;
    } catch (error) {
      // A session this app cannot open again (a scenario it no longer reads): start afresh.
      this.problems.set('import', error, 'session');
      void this.open(regionSource.current.scenarios[0].json);
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
    const next = regionSource.current.scenarios[Number(select.value)].json;
    if (!(await this.leaveSessionFor(() => { void this.open(next); }))) {
      // Kept: the menu shows the open scenario again.
      select.value = String(regionSource.current.scenarios.findIndex((s) => parseScenario(s.json).id === this.scenario.id));
    }
  }

  private async loadMap(): Promise<void> {
    try {
      this.baseMap = await this.engine!.remote.regionBaseMap(regionSource.current.urls.dem, regionSource.current.urls.landcover);
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
    this.clock = new ExerciseClock(this.scenario.durationS, this.scenario.stepS);
    this.clock.setSpeed(600);
    this.syncClock();
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
    if (this.clock.state === 'running') {
      this.clock.pause();
      this.syncClock();
      this.resumeAfterCompute = true;
    }
    try {
      // The worker is one thread: a run started beside the base map would hold the first frame
      // behind its models (4.8–13 s measured); the map first takes ~1 s and the run follows.
      await this.mapReady;
      const [{ manifest, items }, result] = await Promise.all([
        fetchRegionRefs(regionSource.current.urls),
        this.engine!.remote.runScenario(this.engineScenarioJson(), regionSource.current.urls, this.deliveries()),
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
        this.clock.play();
        this.syncClock();
        if (!this.frame) this.loop();
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

  private onClockCommand(event: CustomEvent<ClockCommand>): void {
    const c = event.detail;
    if ((c.command === 'play' || c.command === 'step') && clockHold(this.runState)) return;
    if (c.command === 'play') this.clock.play();
    else if (c.command === 'pause') this.clock.pause();
    else if (c.command === 'step') { const before = this.clock.timeS; this.clock.step(); this.noticeDue(before); }
    else if (c.command === 'rewind') { this.clock.reset(); this.carried.seconds = 0; }
    else if (c.command === 'seek') this.clock.seek(c.timeS);
    else if (c.command === 'speed') this.clock.setSpeed(c.speed);
    this.syncClock();
    if (this.clock.state === 'running' && !this.frame) this.loop();
  }

  private loop = (): void => {
    this.frame = requestAnimationFrame((now) => {
      const elapsed = this.lastFrameMs === undefined ? 0 : (now - this.lastFrameMs) / 1000;
      this.lastFrameMs = now;
      const before = this.clock.timeS;
      this.clock.tick(Math.min(elapsed, 0.25), this.carried);
      this.noticeDue(before);
      if (this.clock.timeS !== before || this.clock.state !== this.clockSnapshot.state) this.syncClock();
      if (this.clock.state === 'running') this.loop();
      else { this.frame = undefined; this.lastFrameMs = undefined; }
    });
  };

  /** The clock moved on from `beforeS`: tell the trainer what fell due, and stop there if asked. */
  private noticeDue(beforeS: number): void {
    const actions = { delivered: this.delivered, cancelled: this.cancelled };
    const stop = this.dueAlerts.autoPause && this.clock.state === 'running';
    const first = this.dueAlerts.advance(beforeS, this.clock.timeS, selfDelivery(this.injects, actions, this.result?.run), this.injects, stop);
    if (first === undefined || !stop) return;
    this.clock.pause();
    this.clock.seek(Math.ceil(first / this.scenario.stepS) * this.scenario.stepS);
    this.carried.seconds = 0;
  }

  private syncClock(): void {
    this.clockSnapshot = this.clock.snapshot();
  }

  private onInjectCommand(event: CustomEvent<InjectCommand>): void {
    const { command, id } = event.detail;
    const now = this.clock.timeS;
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
    const state = this.result ? decisionState(this.result.run, this.items.map((i) => i.id), this.clock.timeS) : undefined;
    this.changeDecisions(event, (ctx) => enterDecision(this.decisions, event.detail, { ...ctx, ...(state ? { state } : {}) }));
  }

  private onDecisionWithdraw(event: CustomEvent<{ id: string; by: string }>): void {
    this.changeDecisions(event, (ctx) => withdrawDecision(this.decisions, event.detail.id, event.detail.by, ctx));
  }

  private changeDecisions(event: Event, change: (ctx: EntryContext) => Decision[]): void {
    const ctx: EntryContext = { nowS: this.clock.timeS, durationS: this.scenario.durationS, injects: this.injects, region: this.regionRefs(), at: new Date().toISOString() };
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
      const variant = await this.engine!.remote.runScenario(applyWhatIf(this.engineScenarioJson(), change), regionSource.current.urls, this.deliveries());
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
      const messages = await this.engine!.remote.warningCap(this.currentScenarioJson(), regionSource.current.urls, warnings, id);
      for (const message of messages) this.download(message.fileName, message.xml, 'application/xml');
    } catch (error) {
      this.problems.set('cap', error, id);
    }
  }

  private renderAarPanel() {
    const roles = [...new Set([...this.injects.map((i) => i.to).filter((r) => r), 'Trainer'])];
    return html`<section><aar-panel .decisions=${this.decisions} .objectives=${objectivesOf(this.scenario)} .ratings=${this.ratings}
      .roles=${roles} .replay=${this.replay} lang=${this.uiLang} .actionTemplates=${this.actionTemplates()} .problems=${this.decisionProblems}
      .importProblem=${this.problems.of('import', this.uiLang)}
      @decision-add=${this.onDecision} @decision-withdraw=${this.onDecisionWithdraw}
      @rating-change=${(e: CustomEvent<RatingChange>) => { this.ratings = new Map(this.ratings).set(e.detail.id, e.detail); }}
      @aar-export=${() => this.result && this.download(`${this.scenario.id}-aar.json`, JSON.stringify(this.record(), null, 1), 'application/json')}
      @aar-print=${() => this.result && this.download(`${this.scenario.id}-aar.html`, aarHtml(this.record(), this.scenario.title, (t) => isoAt(this.scenario, t)), 'text/html;charset=utf-8')}
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

  /**
   * The charts' data, built once per run and language: handing the charts new arrays at every clock
   * step would make each redraw all its data (and feed the garbage collector) while playing.
   */
  private chartData?: { key: unknown[]; value: ReturnType<SandtableApp['buildCharts']> };

  private charts() {
    const key = [this.result, this.uiLang, this.counts, this.scenario, this.observed, this.scoredGauge];
    if (!this.chartData || this.chartData.key.some((k, i) => k !== key[i])) this.chartData = { key, value: this.buildCharts() };
    return this.chartData.value;
  }

  private buildCharts() {
    const t = (key: string) => translate(this.uiLang, key);
    const run = this.result?.run;
    const rain = this.scenario.rain.series ?? meanDistrictRain(run);
    const stepTimes = run ? Array.from({ length: run.grid.steps + 1 }, (_, j) => j * run.grid.stepS) : [];
    const gaugeColours = ['#1f618d', '#17a589', '#8e44ad'];
    return {
      stepTimes, stepEnds: stepTimes.slice(1),
      rainTimes: Array.from(rain.values, (_, i) => i * rain.periodS),
      rain: [{ label: t('rain'), color: '#2e86c1', values: rain.values }],
      gauges: run?.route ? run.gauges.map((g, k) => ({ label: `${g.id} ${g.reach}`, color: gaugeColours[k % 3], values: run.route!.reaches[g.reach].outflow_m3_per_s })) : undefined,
      observed: this.observedChart(stepTimes),
      burned: run?.fire ? [{ label: t('burnedArea'), color: '#d35400', values: [0, ...run.fire.burnedAreaM2.map((a) => a / 1e6)] }] : undefined,
      counts: this.counts ? [1, 2, 3, 4].map((l) => ({ label: levelName(this.uiLang, l), color: LEVEL_COLOURS[l], values: this.counts![l as 1 | 2 | 3 | 4] })) : undefined,
      people: run ? [4, 3, 2, 1].map((l) => ({ label: levelName(this.uiLang, l), color: LEVEL_COLOURS[l], values: run.peopleByWarningLevel[l as 1 | 2 | 3 | 4] })) : undefined,
    };
  }

  /** The scored gauge's forecast (line) and observations (dots on the step times they fall on). */
  private observedChart(stepTimes: number[]) {
    const run = this.result?.run;
    const observed = this.observed?.series.find((o) => o.gauge === this.scoredGauge);
    const gauge = run?.gauges.find((g) => g.id === this.scoredGauge);
    if (!run?.route || !observed || !gauge) return undefined;
    const t = (key: string) => translate(this.uiLang, key);
    const dots: (number | null)[] = stepTimes.map(() => null);
    observed.tS.forEach((tS, k) => { dots[Math.round(tS / run.grid.stepS)] = observed.m3PerS[k]; });
    return [
      { label: `${gauge.id} ${t('forecast')}`, color: '#1f618d', values: run.route.reaches[gauge.reach].outflow_m3_per_s },
      { label: `${gauge.id} ${t('observed')}`, color: '#c0392b', values: dots, dash: [5, 4], points: true },
    ];
  }

  /** Forecast against observations: the chart of one gauge, and every observed gauge's scores. */
  private renderObserved(series: NonNullable<ReturnType<SandtableApp['observedChart']>>) {
    const t = (key: string) => translate(this.uiLang, key);
    const hours = (s: number) => `${s > 0 ? '+' : ''}${(s / 3600).toFixed(0)} h`;
    return html`<section class="observed">
      <h2>${t('observedVsForecast')}</h2>
      <hydrograph-chart lang=${this.uiLang} .timesSeconds=${this.charts().stepTimes} .height=${170} .cursorS=${this.clockSnapshot.timeS} .series=${series}></hydrograph-chart>
      <table class="scores">
        <thead><tr><th>${t('gauge')}</th><th title="Nash–Sutcliffe">NSE</th><th title="Kling–Gupta 2012">KGE</th>
          <th>${t('peakError')}</th><th>${t('peakTimeError')}</th><th>GB/T 22482</th></tr></thead>
        <tbody>${this.observed!.scores.map(({ gauge, scores: s }) => html`
          <tr data-gauge=${gauge} aria-selected=${gauge === this.scoredGauge} @click=${() => { this.scoredGauge = gauge; }}>
            <td>${gauge}</td><td class="nse">${s.nse.toFixed(3)}</td><td>${s.kge_2012.toFixed(3)}</td>
            <td>${(100 * s.peak_error_relative).toFixed(1)} %</td><td>${hours(s.peak_time_error_s)}</td>
            <td class=${s.gb_t_22482.qualified ? 'ok' : 'bad'}>${s.gb_t_22482.qualified ? t('qualified') : t('notQualified')}${s.gb_t_22482.dc_grade ? ` · ${t('grade')} ${s.gb_t_22482.dc_grade}` : ''}</td>
          </tr>`)}</tbody>
      </table>
      <p class="note">${t('observedNote')}</p>
    </section>`;
  }

  private renderScenarioPanel() {
    const t = (key: string) => translate(this.uiLang, key);
    const now = this.clockSnapshot.timeS;
    const run = this.result?.run;
    const c = this.charts();
    return html`
      <section>
        ${!run ? html`<p>${t('computing')}</p>` : ''}
        ${c.gauges ? html`<h2>${t('gauges')}</h2><hydrograph-chart lang=${this.uiLang} .timesSeconds=${c.stepTimes} .height=${170} .cursorS=${now} .series=${c.gauges}></hydrograph-chart>` : ''}
        ${c.burned ? html`<h2>${t('burnedArea')}</h2><hydrograph-chart lang=${this.uiLang} .timesSeconds=${c.stepTimes} .height=${150} yLabel="km²" .cursorS=${now} .series=${c.burned}></hydrograph-chart>` : ''}
        <h2>${t('rain')}</h2>
        <hydrograph-chart lang=${this.uiLang} .timesSeconds=${c.rainTimes} .height=${150} yLabel="mm/h" .cursorS=${now} .series=${c.rain}></hydrograph-chart>
        ${c.counts ? html`<h2>${t('itemsPerLevel')}</h2>
          <hydrograph-chart lang=${this.uiLang} .timesSeconds=${c.stepTimes} .height=${140} yLabel=${t('itemsAxis')} .cursorS=${now} .series=${c.counts}></hydrograph-chart>` : ''}
      </section>
      ${c.observed ? this.renderObserved(c.observed) : ''}
      ${c.people ? html`<section>
        <h2>${t('peopleUnderWarning')}</h2>
        <hydrograph-chart lang=${this.uiLang} .timesSeconds=${c.stepEnds} .height=${140} yLabel=${t('people')} .cursorS=${now} .series=${c.people}></hydrograph-chart>
      </section>` : ''}
      <section>
        <h2>${t('warnings')}</h2>
        <warning-feed .warnings=${run?.warnings ?? []} .timeS=${now} lang=${this.uiLang}
          @cap-export=${(e: CustomEvent<{ id: string }>) => void this.exportCap(e.detail.id)}></warning-feed>
        ${this.problems.view('cap', this.uiLang)}
      </section>`;
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

  /** Histories for the details box, built once per selection, run and language (not per frame). */
  private historyCache?: { key: unknown[]; value: { times: number[]; series: ChartSeries[]; yLabel: string } | undefined };

  private history(kind: string, id: string) {
    const key = [kind, id, this.result, this.uiLang];
    if (!this.historyCache || this.historyCache.key.some((k, i) => k !== key[i])) this.historyCache = { key, value: this.buildHistory(kind, id) };
    return this.historyCache.value;
  }

  private buildHistory(kind: string, id: string) {
    const run = this.result?.run;
    if (!run) return undefined;
    const t = (key: string) => translate(this.uiLang, key);
    const times = Array.from({ length: run.grid.steps + 1 }, (_, j) => j * run.grid.stepS);
    if (kind === 'item') {
      // The item's level at every step boundary, from the risk list's changes.
      const changes = run.risk.changes.filter((c) => c.item === id);
      let level = changes[0]?.from ?? run.risk.final[id] ?? 1;
      let next = 0;
      const values = times.map((tS) => {
        while (next < changes.length && changes[next].t_s <= tS) level = changes[next++].to;
        return level;
      });
      return { times, yLabel: t('level'), series: [{ label: t('level'), color: '#c0392b', values }] };
    }
    if (kind === 'reach' && run.route?.reaches[id]) {
      const flows = run.route.reaches[id].outflow_m3_per_s;
      const warning = run.warningFlowByReach[id];
      return { times, yLabel: 'm³/s', series: [
        { label: `${id} ${t('flow')}`, color: '#1f618d', values: flows },
        { label: t('warningFlow'), color: '#e67e22', values: times.map(() => warning), dash: [6, 4] },
      ] };
    }
    if (kind === 'district') {
      const residents = run.residentsByDistrict[id] ?? 0;
      const levels = times.map((tS) => districtLevels(run.warnings, tS).get(id) ?? 0);
      return { times, yLabel: t('people'), series: [4, 3, 2, 1].map((l) => ({
        label: levelName(this.uiLang, l), color: LEVEL_COLOURS[l], values: levels.map((x) => (x === l ? residents : 0)),
      })) };
    }
    return undefined;
  }

  private renderDetail(levels: Map<string, number>) {
    if (!this.result) return '';
    const t = (key: string) => translate(this.uiLang, key);
    const now = this.clockSnapshot.timeS;
    const run = this.result.run;
    const close = html`<button class="close" aria-label=${t('close')} @click=${() => { this.selected = undefined; this.feature = undefined; }}>×</button>`;
    const chart = (kind: string, id: string) => {
      const h = this.history(kind, id);
      return h ? html`<hydrograph-chart lang=${this.uiLang} class="history" .timesSeconds=${h.times} .height=${140} yLabel=${h.yLabel} .cursorS=${now} .series=${h.series}></hydrograph-chart>` : '';
    };
    if (this.feature?.kind === 'reach') {
      const id = this.feature.id;
      const flows = run.route?.reaches[id]?.outflow_m3_per_s;
      if (!flows) return '';
      const reach = this.manifest?.reaches.find((r) => r.id === id) as { id: string; river?: string } | undefined;
      const gauge = run.gauges.find((g) => g.reach === id);
      const q = flows[Math.min(flows.length - 1, Math.floor(now / run.grid.stepS))];
      return html`<div class="detail" role="dialog" aria-label=${id}>${close}
        <h3>${t('reach')} ${id}${gauge ? ` · ${gauge.id}` : ''}${reach?.river ? ` · ${reach.river}` : ''}</h3>
        <div>${t('flow')} ${q.toFixed(0)} m³/s · ${t('warningFlow')} ${run.warningFlowByReach[id].toFixed(0)} m³/s · ${t('peak')} ${run.route!.reaches[id].peak_m3_per_s.toFixed(0)} m³/s @ ${elapsedText(run.route!.reaches[id].peak_time_s)}</div>
        ${chart('reach', id)}
      </div>`;
    }
    if (this.feature?.kind === 'fire-cell' && this.result.fireCells) return this.renderFireCell(this.feature.cell, this.result.fireCells, close);
    if (this.feature?.kind === 'district') {
      const id = this.feature.id;
      const district = this.manifest?.districts.find((d) => d.id === id);
      const level = districtLevels(run.warnings, now).get(id) ?? 0;
      const inDistrict = this.items.filter((i) => i.area === id);
      const byLevel = [4, 3, 2, 1].map((l) => [l, inDistrict.filter((i) => (levels.get(i.id) ?? 1) === l).length]);
      return html`<div class="detail" role="dialog" aria-label=${id}>${close}
        <h3>${t('district')} · ${this.uiLang === 'zh-CN' ? district?.name_zh : district?.name}</h3>
        <div>${t('residents')} ${(run.residentsByDistrict[id] ?? 0).toLocaleString(this.uiLang)} ·
          ${level ? html`<span style="color:${LEVEL_COLOURS[level]}; font-weight:700">● ${levelName(this.uiLang, level)}</span>` : t('noWarning')}</div>
        <div>${t('itemsNow')}: ${byLevel.map(([l, n]) => html`<span style="color:${LEVEL_COLOURS[l]}">● ${n}</span> `)}</div>
        <div class="sub">${t('peopleByLevelHistory')}</div>
        ${chart('district', id)}
      </div>`;
    }
    const item = this.items.find((i) => i.id === this.selected);
    if (!item) return '';
    const level = levels.get(item.id) ?? 1;
    const changes = run.risk.changes.filter((c) => c.item === item.id && c.t_s <= now);
    return html`<div class="detail" role="dialog" aria-label=${item.id}>${close}
      <h3>${item.id} · ${this.uiLang === 'zh-CN' ? item.name_zh : item.name}</h3>
      <div>${item.category} · ${item.area}</div>
      <div><span style="color:${LEVEL_COLOURS[level]}; font-weight:700">● ${levelName(this.uiLang, level)}</span></div>
      ${this.renderSlopeChart(item.id)}
      <div class="sub">${t('levelHistory')}</div>
      ${chart('item', item.id)}
      <table class="changes">${changes.slice(-5).reverse().map((c) => html`<tr>
        <td>${elapsedText(c.t_s)}</td>
        <td><span style="color:${LEVEL_COLOURS[c.from]}">●</span> → <span style="color:${LEVEL_COLOURS[c.to]}">●</span> ${levelName(this.uiLang, c.to)}</td>
        <td>${causeText(c.reason, this.uiLang)}</td></tr>`)}
        ${changes.length === 0 ? html`<tr><td>${t('noChangeYet')}</td></tr>` : ''}
      </table>
    </div>`;
  }

  /**
   * What the fire does at one cell: when it arrives (or is forecast to), how fast and how hot the
   * head burns there, and what that means for the crews — the fire characteristics chart's
   * intensity classes (Andrews & Rothermel 1982: flame length 1.2 / 2.4 / 3.4 m ≈ Byram intensity
   * 346 / 1730 / 3460 kW/m; flame length from Byram 1959, computed in the worker: models/fire/flame.ts).
   */
  private renderFireCell(cell: number, cells: FireCells, close: unknown) {
    const t = (key: string) => translate(this.uiLang, key);
    const g = this.manifest!.grid;
    const arrival = cells.arrivalS[cell];
    const intensity = cells.intensityKwPerM[cell];
    const flameM = cells.flameLengthM[cell];
    const attack = intensity < 346 ? 'attackHandCrews' : intensity < 1730 ? 'attackEquipment' : intensity < 3460 ? 'attackProblematic' : 'attackIndirect';
    const burned = arrival <= this.clockSnapshot.timeS;
    const x = g.xllcorner + ((cell % g.ncols) + 0.5) * g.cellsize_m;
    const y = g.yllcorner + (g.nrows - Math.floor(cell / g.ncols) - 0.5) * g.cellsize_m;
    return html`<div class="detail" role="dialog" aria-label=${t('fireCell')}>${close}
      <h3>${t('fireCell')} · ${x.toFixed(0)} E, ${y.toFixed(0)} N</h3>
      <div>${burned ? t('fireArrived') : t('fireArrives')} ${elapsedText(arrival)}</div>
      <div>${t('headRos')} ${cells.rosMPerMin[cell].toFixed(1)} m/min · ${t('fireIntensity')} ${intensity.toFixed(0)} kW/m · ${t('flameLength')} ${flameM.toFixed(1)} m</div>
      <div class="sub">${t(attack)}</div>
    </div>`;
  }

  /** A monitored slope's factor of safety through the storm, with the clock's time marked. */
  private renderSlopeChart(itemId: string) {
    const fs = this.result?.run.fsBySlope.get(itemId);
    if (!fs) return '';
    const t = (key: string) => translate(this.uiLang, key);
    return html`<hydrograph-chart lang=${this.uiLang} .timesSeconds=${fs.tS} .height=${150} yLabel="FS" .cursorS=${this.clockSnapshot.timeS}
      .series=${this.slopeSeries(itemId, fs.fs, t('factorOfSafety'))}></hydrograph-chart>`;
  }

  private slopeSeriesCache?: { id: string; series: { label: string; color: string; values: number[] }[] };

  private slopeSeries(id: string, values: number[], label: string) {
    if (this.slopeSeriesCache?.id !== id || this.slopeSeriesCache.series[0].values !== values) {
      this.slopeSeriesCache = { id, series: [{ label, color: '#8e44ad', values }] };
    }
    return this.slopeSeriesCache.series;
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
    const tabs: [Tab, string][] = [['scenario', t('scenarioTab')], ['risk', t('riskList')], ['msel', t('injects')], ['aar', t('aarTab')], ['whatif', t('whatifTab')], ['routing', t('routingTab')]];
    return html`
      <header>
        <h1>${t('appTitle')}</h1>
        ${this.scenario.exercise ? html`<span class="exercise" role="note">${t('exercise')}</span>` : ''}
        <select class="scenario-title" aria-label=${t('scenario')} @change=${(e: Event) => void this.onScenarioSelect(e)}>
          ${regionSource.current.scenarios.map((s, k) => {
            const parsed = parseScenario(s.json);
            return html`<option value=${k} ?selected=${parsed.id === this.scenario.id}>${this.uiLang === 'zh-CN' ? parsed.titleZh : parsed.title}</option>`;
          })}
        </select>
        <region-picker .source=${regionSource} lang=${this.uiLang}></region-picker>
        ${this.renderStatus()}
        <button @click=${() => { this.uiLang = this.uiLang === 'zh-CN' ? 'en' : 'zh-CN'; }} aria-label="language">${t('language')}</button>
      </header>
      <main>
        <div class="map ${this.runState === 'ready' ? '' : 'not-ready'}">
          ${runBanner(this.runState, this.uiLang)}
          <region-map .baseMap=${this.baseMap} .overlay=${overlay} selected=${this.selected ?? ''} label=${t('mapLabel')}
            @feature-select=${this.onFeatureSelect} @map-click=${this.onMapClick}></region-map>
          <div class="legend" aria-label="legend">
            <strong>${t('legendItems')}</strong>
            ${[1, 2, 3, 4].map((l) => html`<span><span class="swatch" style="background:${LEVEL_COLOURS[l]}"></span>${levelName(this.uiLang, l)}</span>`)}
            ${run?.route ? html`<strong>${t('legendRiver')}</strong>
              ${[['#2f6fb0', '< 0.5'], ['#1f4e8c', '0.5–1'], ['#e67e22', '1–1.3'], ['#c0392b', '≥ 1.3']].map(([c, label]) => html`<span><span class="bar" style="background:${c}"></span>${label}</span>`)}` : ''}
            ${run?.warnings.length ? html`<span><span class="swatch" style="background:${LEVEL_COLOURS[4]}55;border-radius:0"></span>${t('legendDistricts')}</span>` : ''}
            ${run && !this.dry(run) ? html`<label><input type="checkbox" .checked=${this.showRain} @change=${(e: Event) => { this.showRain = (e.target as HTMLInputElement).checked; }}>
              ${t('layerRain')}</label>
            <span class="ramp" aria-hidden="true">${RAIN_CLASSES.map((c, k) => html`<span class=${k < 3 ? 'light' : ''} style="background:rgb(${c.colour.join(',')})">${c.fromMmPerH}</span>`)}</span>` : ''}
            ${run?.inundation ? html`<label><input type="checkbox" .checked=${this.showFlood} @change=${(e: Event) => { this.showFlood = (e.target as HTMLInputElement).checked; }}>
              <span class="bar" style="background:#2878dc"></span>${t('layerFlood')}</label>` : ''}
            ${run?.slopeGrid ? html`<label><input type="checkbox" .checked=${this.showSlopes} @change=${(e: Event) => { this.showSlopes = (e.target as HTMLInputElement).checked; }}>
              <span class="swatch" style="background:${SLOPE_FAILED_COLOUR};border-radius:0"></span>${t('layerSlopes')}</label>` : ''}
            ${run?.fire ? html`<span><span class="bar" style="background:#ff3d00"></span>${t('fireFront')}</span>
              <span><span class="bar thin" style="background:${FIRE_ISOCHRONE_COLOUR}"></span>${t('fireIsochrones')}</span>
              <span><span class="bar" style="background:#4a235a"></span>${t('fireBreakLine')}</span>` : ''}
          </div>
          ${this.renderDetail(levels)}
          ${this.problems.view('map', this.uiLang)}
        </div>
        <div class="side">
          <div class="alerts">${this.renderRestored()}${this.dueAlerts.view(this.uiLang, () => { this.tab = 'msel'; })}</div>
          <div class="tabs" role="tablist">
            ${tabs.map(([id, label]) => html`<button role="tab" aria-selected=${this.tab === id} @click=${() => { this.tab = id; }}>${label}</button>`)}
          </div>
          <div class="panel" role="tabpanel">
            ${this.problems.view('run', this.uiLang)}
            ${this.tab === 'scenario' ? this.renderScenarioPanel() : ''}
            ${this.tab === 'risk' ? html`<section><risk-table .items=${this.items} .levels=${levels}
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
        @clock-command=${this.onClockCommand}></timeline-bar>
      ${this.confirm.view(this.uiLang)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'sandtable-app': SandtableApp }
}

/** Rain given per sub-basin or as grids: the chart shows the mean of the districts' rain, mm/h. */
function meanDistrictRain(run: PageRun | undefined): { periodS: number; values: Float64Array } {
  if (!run) return { periodS: 3600, values: new Float64Array(0) };
  const series = [...run.rainMmByDistrict.values()];
  const values = new Float64Array(run.grid.steps);
  for (const depths of series) for (let j = 0; j < values.length; j++) values[j] += (depths[j] * 3600) / run.grid.stepS / series.length;
  return { periodS: run.grid.stepS, values };
}
