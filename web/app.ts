// The app shell. The engine worker computes the shipped scenario; the exercise clock then walks
// through it: the map shows risk items by level, rivers by flow and districts by warning at the
// clock's time, beside gauges, warnings, the risk list and the MSEL. State lives here and flows
// down as properties; components send changes up as events. About 420 lines: it wires seven desks,
// the map and the clock; what each does lives in its own file (the desks, drill-helpers.ts).
import { html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { decisionDeliveries, decisionInjects, type Decision } from '../models/scenario/aar.ts';
import type { ClockSnapshot } from '../models/scenario/clock.ts';
import { districtOutlines } from '../models/scenario/districts.ts';
import type { RegionRefs } from '../models/scenario/entry-check.ts';
import type { Inject } from '../models/scenario/injects.ts';
import type { GaugeScore, ObservedSeries } from '../models/scenario/observations.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import type { WhatIfRecord } from '../models/scenario/whatif.ts';
import { parseScenario, type Scenario } from '../models/scenario/schema.ts';
import { levelCounts, levelsAt } from '../models/scenario/timeline.ts';
import { AarDesk } from './aar-desk.ts';
import { appStyles } from './app-styles.ts';
import type { RatingChange } from './components/aar-panel.ts';
import './components/region-map.ts';
import './components/routing-lab.ts';
import './components/timeline-bar.ts';
import type { ClockCommand } from './components/timeline-bar.ts';
import { Confirm } from './confirm.ts';
import { consoleHeader, regionMapLabel, restoredNotice, tabList } from './console-header.ts';
import { barrierLabel, barriersAt, districtAt, drillOverlay, fireCellAt, itemLabel } from './drill-helpers.ts';
import { DueAlerts } from './due-alerts.ts';
import { EnsembleDesk } from './ensemble-desk.ts';
import { startEngineWorker, type EngineHandle } from './engine-client.ts';
import type { BaseMap, WorkerScenarioRun } from './engine.worker.ts';
import { FeatureDetail, type DetailFeature } from './feature-detail.ts';
import { translate, type Lang } from './i18n.ts';
import { ClockShortcuts } from './keyboard.ts';
import { MapLayers } from './map-legend.ts';
import { MselDesk } from './msel-desk.ts';
import { selfDelivery } from './msel-state.ts';
import { keepForOffline } from './offline.ts';
import { Playback } from './playback.ts';
import { PlayerLink, playerPicture } from './player-link.ts';
import { Problems } from './problems.ts';
import { riskPanel } from './risk-desk.ts';
import { fetchRegionRefs } from './region-urls.ts';
import { regionSource } from './region-source.ts';
import { clockHold, runBanner, runState } from './run-state.ts';
import { ScenarioPanel, scoreRun } from './scenario-panel.ts';
import { SessionKeeper } from './session-keeper.ts';
import { districtLabels, readScenarioFile, scenarioTitles } from './shipped.ts';
import { offsetMinutesOf } from './time-format.ts';
import type { KeptChart } from './whatif-chart.ts';
import { WhatIfDesk } from './whatif-desk.ts';

type Tab = 'scenario' | 'risk' | 'msel' | 'aar' | 'whatif' | 'routing' | 'ensemble';

@customElement('sandtable-app')
export class SandtableApp extends LitElement {
  static styles = appStyles;

  @state() uiLang: Lang = 'zh-CN';
  @state() private tab: Tab = 'scenario';
  @state() private baseMap?: BaseMap;
  @state() private clockSnapshot: ClockSnapshot = { state: 'ready', timeS: 0, speed: 600 };
  @state() injects: Inject[] = [];
  @state() delivered = new Map<string, number>();
  @state() cancelled = new Map<string, number>();
  @state() result?: WorkerScenarioRun;
  /** The map's layers as the legend switches them, with their images. */
  private mapLayers = new MapLayers(this);
  @state() private computeMs?: number;
  @state() private selected?: string;
  @state() manifest?: RegionManifest;
  @state() items: RegionItem[] = [];
  @state() decisions: Decision[] = [];
  @state() ratings = new Map<string, RatingChange>();
  @state() private computing = false;
  /** Gauge observations of the open scenario and the forecast's scores against them. */
  @state() private observed?: { series: ObservedSeries[]; scores: GaugeScore[] };
  @state() private scoredGauge?: string;
  /** A river reach or district shown in the details box (risk items use `selected`). */
  @state() private feature?: DetailFeature;
  /** The scenario as given (JSON): an imported after-action record replaces it. */
  private scenarioJson: unknown = regionSource.current.scenarios[0].json;

  engine?: EngineHandle;
  /** What went wrong, by what it is about (the map, the run, an import, a what-if, a CAP export). */
  problems = new Problems(this);
  /** Notices of injects falling due as the clock runs, and whether the clock stops for them. */
  dueAlerts = new DueAlerts(this);
  /** The details box over the map, and the scenario tab: views with their caches. */
  private detail = new FeatureDetail(() => this.requestUpdate());
  private scenarioPanel = new ScenarioPanel();
  /** The players' window (`?view=player`) sees the picture this console sends it. */
  private playerLink = new PlayerLink(this);
  /** The MSEL tab and the decisions-and-record tab, acting on this console's session. */
  private mselDesk = new MselDesk(this);
  private aarDesk = new AarDesk(this);
  private whatIfDesk = new WhatIfDesk(this, this.problems, () => ({
    engine: this.engine, result: this.result, scenario: this.scenario, injects: this.injects, nowS: this.nowS, engineScenarioJson: () => this.engineScenarioJson(), deliveries: () => this.deliveries(),
    showOnMap: (variant) => void this.mapLayers.setFlood((variant ?? this.result)?.floodLayer),
  }));
  /** The ensemble tab: probabilities run here or opened from `sandtable ensemble`'s folder. */
  private ensembleDesk = new EnsembleDesk(this, () => ({
    scenarioJson: () => this.scenarioJson as Record<string, unknown>, scenarioId: this.scenario.id, run: this.result?.run,
    manifest: this.manifest, items: this.items, outlines: this.outlines, districtAt: (x, y) => districtAt(this.outlines, x, y),
  }));
  /** Asks before work is discarded (switching scenario, importing over it). */
  confirm = new Confirm(this);
  /** Saves the session in the browser as it changes; restores it on reload. */
  session = new SessionKeeper(this, () => (this.scenario ? {
    scenarioJson: this.scenarioJson, scenarioInjects: this.scenario.injects, injects: this.injects, delivered: this.delivered, cancelled: this.cancelled,
    decisions: this.decisions, ratings: this.ratings, whatIfs: this.whatIfDesk.history, whatIfChart: this.whatIfDesk.keptChart, clockS: this.clockSnapshot.timeS, clockRunning: this.clockSnapshot.state === 'running',
  } : undefined));
  /** When the session was restored from the browser. */
  @state() private restoredAt?: string;
  /** The clock was running when a recomputation stopped it: it runs on once the run is there. */
  private resumeAfterCompute = false;
  /** Counts computations: only the latest one started may show its result or its failure. */
  private computeGeneration = 0;
  scenario!: Scenario;
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
    // The region (shipped, by link, or kept from files) gives the map and the scenarios; another opened reopens all.
    this.scenario = parseScenario(this.scenarioJson);
    void regionSource.start().then(() => { this.openRegion(); void this.restoreSession(); regionSource.addEventListener('change', this.openRegion); });
  }

  private readonly openRegion = () => { this.mapReady = this.loadMap(); void this.loadRegionRefs(); void this.open(regionSource.current.scenarios[0].json); };

  disconnectedCallback(): void {
    super.disconnectedCallback();
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
        decisions: saved.decisions, ratings: new Map(saved.ratings), whatIfs: saved.whatifs, whatIfChart: saved.whatif_chart,
      });
      this.playback.seek(saved.clockS);
      this.restoredAt = saved.saved;
    } catch (error) {
      // A session this app cannot open again (a scenario it no longer reads): start afresh.
      this.problems.set('import', error, 'session');
      void this.open(regionSource.current.scenarios[0].json);
    }
  }

  /** Leaves the current session for `next` once the trainer agrees to lose its work (if any). */
  async leaveSessionFor(next: () => void | Promise<unknown>, question = 'discardScenario'): Promise<boolean> {
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
      select.value = String(scenarioTitles(regionSource.current.scenarios).findIndex((s) => s.id === this.scenario.id));
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
  open(json: unknown, record: {
    injects?: Inject[]; delivered?: Map<string, number>; cancelled?: Map<string, number>; decisions?: Decision[]; ratings?: Map<string, RatingChange>; whatIfs?: WhatIfRecord[]; whatIfChart?: KeptChart;
  } = {}): Promise<WorkerScenarioRun | undefined> {
    const scenario = parseScenario(json);
    this.scenarioJson = json;
    this.scenario = scenario;
    this.injects = record.injects ?? this.scenario.injects;
    this.resumeAfterCompute = false;
    this.playback.reset(this.scenario.durationS, this.scenario.stepS);
    this.delivered = record.delivered ?? new Map();
    this.cancelled = record.cancelled ?? new Map();
    this.decisions = record.decisions ?? [];
    this.ratings = record.ratings ?? new Map();
    this.problems.clearScenario();
    this.dueAlerts.dismiss();
    this.whatIfDesk.clear(record.whatIfs, record.whatIfChart);
    this.mselDesk.reset();
    this.aarDesk.reset();
    this.result = undefined;
    this.counts = undefined;
    return this.compute();
  }

  async compute(): Promise<WorkerScenarioRun | undefined> {
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
      this.whatIfDesk.baseChanged();
      await this.mapLayers.setFlood(result.floodLayer);
      this.computeMs = performance.now() - started;
      this.problems.clear('run');
      if (this.resumeAfterCompute) {
        this.resumeAfterCompute = false;
        this.playback.play();
      }
      this.observed = await scoreRun(this.scenario, result.run, readScenarioFile);
      if (this.observed && !this.observed.scores.some((s) => s.gauge === this.scoredGauge)) this.scoredGauge = this.observed.scores.at(-1)?.gauge;
      void keepForOffline(this.engine!.remote);
      return result;
    } catch (error) {
      if (current()) { this.problems.set('run', error); this.resumeAfterCompute = false; }
      return undefined;
    } finally {
      if (current()) this.computing = false;
    }
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

  /** The after-action record of the session as it stands. */
  record() {
    return this.aarDesk.record();
  }

  get nowS(): number {
    return this.playback.timeS;
  }

  get observedScores() {
    return this.observed?.scores;
  }

  /** The what-ifs run this session, for the after-action record. */
  get whatIfRuns() {
    return this.whatIfDesk.history;
  }

  /** The region's districts and items, once loaded: what entries are checked against. */
  regionRefs(): RegionRefs | undefined {
    return this.manifest ? { manifest: this.manifest, items: this.items } : undefined;
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

  templateSource() {
    return { manifest: this.manifest, items: this.items, injects: this.injects, decisions: this.decisions, run: this.result?.run };
  }

  /** The scenario as it stands: its file with the MSEL as the trainer has it now (imports, edits). */
  currentScenarioJson(): unknown {
    return { ...(this.scenarioJson as Record<string, unknown>), injects: this.injects };
  }

  private mapPointName = (id: string, kind: string): string => (kind === 'barrier'
    ? barrierLabel(id, this.result?.run, this.injects, this.decisions, this.nowS, this.uiLang)
    : itemLabel(id, this.items, this.result?.run, this.nowS, this.uiLang, this.manifest));

  private onFeatureSelect = (event: CustomEvent<{ id: string; kind?: 'item' | 'reach' | 'district' | 'warning' | 'barrier' }>): void => {
    const kind = event.detail.kind;
    if (kind === 'reach' || kind === 'district' || kind === 'warning' || kind === 'barrier') { this.feature = { kind, id: event.detail.id }; this.selected = undefined; }
    else { this.selected = event.detail.id; this.feature = undefined; }
  };

  /** A click on the map away from items and rivers: the cell the fire reaches there, else the district. */
  private onMapClick = (event: CustomEvent<{ x: number; y: number }>): void => {
    const { x, y } = event.detail;
    const cell = fireCellAt(this.result?.fireCells, this.manifest?.grid, x, y);
    const district = cell === undefined ? districtAt(this.outlines, x, y) : undefined;
    this.selected = undefined;
    this.feature = cell !== undefined ? { kind: 'fire-cell', cell } : district ? { kind: 'district', id: district } : undefined;
  };

  protected updated(): void {
    if (!this.result || !this.manifest) return;
    this.playerLink.publish(playerPicture({
      lang: this.uiLang, scenario: this.scenario, run: this.result.run, manifest: this.manifest, items: this.items, outlines: this.outlines,
      injects: this.injects, trainer: { delivered: this.delivered, cancelled: this.cancelled }, barriers: barriersAt(this.result.run, this.injects, this.decisions, this.clockSnapshot.timeS), clock: this.clockSnapshot,
      labels: districtLabels(this.manifest, this.uiLang),
    }));
  }

  private async openTab(tab: Tab, focus: boolean): Promise<void> {
    this.tab = tab;
    await this.updateComplete;
    if (focus) this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus();
  }

  render() {
    const t = (key: string) => translate(this.uiLang, key);
    const now = this.clockSnapshot.timeS;
    const run = this.result?.run;
    const levels = run ? levelsAt(run, now, this.items.map((i) => i.id)) : new Map<string, number>();
    const { mapRun, overlay } = drillOverlay({
      run, whatIfRun: this.whatIfDesk.mapResult?.run, manifest: this.manifest, items: this.items, outlines: this.outlines,
      injects: this.injects, decisions: this.decisions, layers: this.mapLayers, levels, nowS: now, lang: this.uiLang,
    });
    const variantBanner = this.whatIfDesk.mapBanner(this.uiLang);
    const tabs: [Tab, string][] = [['scenario', t('scenarioTab')], ['risk', t('riskList')], ['msel', t('injects')], ['aar', t('aarTab')], ['whatif', t('whatifTab')], ['routing', t('routingTab')], ['ensemble', t('ensembleTab')]];
    // The ensemble tab shows its probability layer in place of the drill's picture.
    const ensembleOverlay = this.tab === 'ensemble' && this.manifest ? this.ensembleDesk.overlay(districtLabels(this.manifest, this.uiLang)) : undefined;
    return html`
      ${consoleHeader({
        lang: this.uiLang, exercise: this.scenario.exercise, scenarios: scenarioTitles(regionSource.current.scenarios), scenarioId: this.scenario.id, runState: this.runState, computeMs: this.computeMs,
        chooseScenario: (e) => void this.onScenarioSelect(e), switchLanguage: () => { this.uiLang = this.uiLang === 'zh-CN' ? 'en' : 'zh-CN'; },
      })}
      <main>
        <div class="map ${this.runState === 'ready' ? '' : 'not-ready'}">
          ${runBanner(this.runState, this.uiLang)}
          ${variantBanner && !ensembleOverlay ? html`<div class="variant-banner" role="status">${variantBanner}</div>` : ''}
          <region-map .baseMap=${this.baseMap} .overlay=${ensembleOverlay ?? overlay} selected=${this.selected ?? ''} label=${regionMapLabel(this.uiLang)} .pointName=${this.mapPointName}
            @feature-select=${(e: CustomEvent<{ id: string; kind?: 'item' | 'reach' }>) => { if (!(ensembleOverlay && e.detail.kind === 'reach' && this.ensembleDesk.chooseReach(e.detail.id))) this.onFeatureSelect(e); }} @map-click=${this.onMapClick}
            @map-hover=${(e: CustomEvent<{ x: number; y: number; id?: string }>) => { if (ensembleOverlay) this.ensembleDesk.hover(e.detail, this.uiLang); }}></region-map>
          ${ensembleOverlay ? this.ensembleDesk.legend(this.uiLang) : this.mapLayers.legend(mapRun, this.uiLang, this.selected !== undefined || this.feature !== undefined)}
          ${this.detail.view({
            result: this.result, manifest: this.manifest, items: this.items, injects: this.injects, decisions: this.decisions, selected: this.selected, feature: this.feature, levels, now, lang: this.uiLang,
            close: () => { this.selected = undefined; this.feature = undefined; }, map: this.renderRoot.querySelector('region-map') ?? undefined,
          })}
          ${this.problems.view('map', this.uiLang)}
        </div>
        <div class="side">
          <div class="alerts">${restoredNotice(this.uiLang, this.restoredAt, this.session.dropped, () => void this.leaveSessionFor(() => { void this.open(this.scenarioJson, {}); }, 'discardFresh'), () => { this.restoredAt = undefined; })}${this.dueAlerts.view(this.uiLang, () => { this.tab = 'msel'; })}</div>
          ${tabList({ lang: this.uiLang, tabs, current: this.tab, choose: (tab, focus) => void this.openTab(tab, focus) })}
          <div class="panel" id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`} tabindex="0">
            ${this.problems.view('run', this.uiLang)}
            ${this.tab === 'scenario' ? this.scenarioPanel.view({
              result: this.result, scenario: this.scenario, manifest: this.manifest, injects: this.injects, counts: this.counts, observed: this.observed,
              scoredGauge: this.scoredGauge, now, lang: this.uiLang, capProblem: this.problems.view('cap', this.uiLang),
              scoreGauge: (gauge) => { this.scoredGauge = gauge; }, exportCap: (id) => void this.aarDesk.exportCap(id), select: this.onFeatureSelect,
            }) : ''}
            ${this.tab === 'risk' ? riskPanel({ manifest: this.manifest, items: this.items, levels, run, nowS: now, selected: this.selected, lang: this.uiLang, select: this.onFeatureSelect }) : ''}
            ${this.tab === 'msel' ? this.mselDesk.view() : ''}
            ${this.tab === 'aar' ? this.aarDesk.view() : ''}
            ${this.tab === 'whatif' ? this.whatIfDesk.view(this.uiLang) : ''}
            ${this.tab === 'ensemble' ? this.ensembleDesk.panel(this.uiLang) : ''}
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
