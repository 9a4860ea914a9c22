// The app shell: the shipped scenario on the map, its forcing and MSEL beside it, the exercise
// clock below, a routing lab for single-reach what-ifs. State lives here and flows down as
// properties; components send changes up as events.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import stormScenario from '../scenarios/mountain-city/storm-72h.json';
import demUrl from '../scenarios/mountain-city/region/dem.asc?url';
import landcoverUrl from '../scenarios/mountain-city/region/landcover.asc?url';
import { InputError } from '../models/errors.ts';
import { ExerciseClock, type ClockSnapshot } from '../models/scenario/clock.ts';
import { injectStatesAt, injectsFromCsv, injectsToCsv, scheduledTimes, type Inject } from '../models/scenario/injects.ts';
import { parseScenario, type Scenario } from '../models/scenario/schema.ts';
import './components/hydrograph-chart.ts';
import './components/inject-list.ts';
import type { InjectCommand } from './components/inject-list.ts';
import './components/region-map.ts';
import './components/routing-lab.ts';
import './components/timeline-bar.ts';
import type { ClockCommand } from './components/timeline-bar.ts';
import { startEngineWorker, type EngineHandle } from './engine-client.ts';
import type { BaseMap } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import { offsetMinutesOf } from './time-format.ts';

type Tab = 'scenario' | 'routing';

@customElement('sandtable-app')
export class SandtableApp extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-rows: auto 1fr auto; height: 100vh; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #1d2430; color: #fff; }
    h1 { font-size: 1.1rem; margin: 0; font-weight: 600; }
    .exercise { background: #f1c40f; color: #1d2430; font-weight: 700; letter-spacing: 0.08em; padding: 0.15rem 0.7rem; border-radius: 3px; }
    .scenario-title { color: #c9d1dc; font-size: 0.95rem; }
    .status { margin-left: auto; font-size: 0.8rem; color: #c9d1dc; }
    header button { font: inherit; font-size: 0.85rem; background: transparent; color: #fff; border: 1px solid #7f8b99; border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
    main { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 1rem; padding: 1rem; min-height: 0; }
    region-map { min-height: 20rem; }
    .side { display: grid; grid-template-rows: auto 1fr; gap: 0.75rem; min-height: 0; }
    .tabs { display: flex; gap: 0.25rem; }
    .tabs button { font: inherit; padding: 0.35rem 0.9rem; border: 1px solid #c5ccd6; border-bottom: none; border-radius: 4px 4px 0 0; background: #e8ecf1; cursor: pointer; }
    .tabs button[aria-selected=true] { background: #fff; font-weight: 600; }
    .panel { overflow: auto; min-height: 0; display: grid; gap: 0.75rem; align-content: start; }
    section { background: #fff; border-radius: 6px; padding: 0.8rem 1rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
    h2 { font-size: 1rem; margin: 0 0 0.5rem; }
    .problems { color: #a93226; font-family: ui-monospace, monospace; font-size: 0.8rem; white-space: pre-wrap; }
  `;

  @state() private uiLang: Lang = 'zh-CN';
  @state() private tab: Tab = 'scenario';
  /** How long the last worker routing took; the status line says it in the UI language. */
  @state() private lastRouteMs?: number;
  @state() private baseMap?: BaseMap;
  @state() private clockSnapshot: ClockSnapshot = { state: 'ready', timeS: 0, speed: 600 };
  @state() private injects: Inject[] = [];
  @state() private delivered = new Map<string, number>();
  @state() private cancelled = new Map<string, number>();
  @state() private mselProblems: string[] = [];
  @state() private problems: string[] = [];

  private engine?: EngineHandle;
  private scenario!: Scenario;
  private clock!: ExerciseClock;
  private carried = { seconds: 0 };
  private frame?: number;
  private lastFrameMs?: number;

  connectedCallback(): void {
    super.connectedCallback();
    this.scenario = parseScenario(stormScenario);
    this.injects = this.scenario.injects;
    this.clock = new ExerciseClock(this.scenario.durationS, this.scenario.stepS);
    this.clock.setSpeed(600);
    this.syncClock();
    this.engine = { remote: startEngineWorker() };
    void this.loadMap();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  private async loadMap(): Promise<void> {
    try {
      this.baseMap = await this.engine!.remote.regionBaseMap(new URL(demUrl, location.href).href, new URL(landcoverUrl, location.href).href);
    } catch (error) {
      this.problems = [...this.problems, `map: ${String(error)}`];
    }
  }

  private onClockCommand(event: CustomEvent<ClockCommand>): void {
    const c = event.detail;
    if (c.command === 'play') this.clock.play();
    else if (c.command === 'pause') this.clock.pause();
    else if (c.command === 'step') this.clock.step();
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
      if (this.clock.timeS !== before || this.clock.state !== this.clockSnapshot.state) this.syncClock();
      if (this.clock.state === 'running') this.loop();
      else { this.frame = undefined; this.lastFrameMs = undefined; }
    });
  };

  private syncClock(): void {
    this.clockSnapshot = this.clock.snapshot();
  }

  private onInjectCommand(event: CustomEvent<InjectCommand>): void {
    const { command, id } = event.detail;
    const now = this.clock.timeS;
    if (command === 'deliver') this.delivered = new Map(this.delivered).set(id, now);
    else this.cancelled = new Map(this.cancelled).set(id, now);
  }

  private onMselImport(event: CustomEvent<{ text: string; fileName: string }>): void {
    try {
      this.injects = injectsFromCsv(event.detail.text, event.detail.fileName, this.scenario.durationS);
      this.delivered = new Map();
      this.cancelled = new Map();
      this.mselProblems = [];
    } catch (error) {
      this.mselProblems = error instanceof InputError ? error.message.split('\n') : [String(error)];
    }
  }

  private onMselExport(): void {
    const blob = new Blob([injectsToCsv(this.injects)], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${this.scenario.id}-msel.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  private renderScenarioPanel() {
    const t = (key: string) => translate(this.uiLang, key);
    const rain = this.scenario.rain.series;
    const rainTimes = Array.from(rain.values, (_, i) => i * rain.periodS);
    const inflowSeries = this.scenario.riverInflows;
    const inflowTimes = inflowSeries.length ? Array.from(inflowSeries[0].series.values, (_, i) => i * inflowSeries[0].series.periodS) : [];
    const actions = { delivered: this.delivered, cancelled: this.cancelled };
    const states = injectStatesAt(this.injects, this.clockSnapshot.timeS, actions);
    const dueTimes = scheduledTimes(this.injects, '$.injects', new Map([...this.delivered].filter(([, at]) => at <= this.clockSnapshot.timeS)));
    return html`
      <section aria-label=${t('forcing')}>
        <h2>${t('rain')}</h2>
        <hydrograph-chart .timesSeconds=${rainTimes} .height=${150} yLabel="mm/h" .cursorS=${this.clockSnapshot.timeS}
          .series=${[{ label: t('rain'), color: '#2e86c1', values: rain.values }]}></hydrograph-chart>
        <h2>${t('riverInflow')}</h2>
        <hydrograph-chart .timesSeconds=${inflowTimes} .height=${150} .cursorS=${this.clockSnapshot.timeS}
          .series=${inflowSeries.map((r, k) => ({ label: r.river, color: ['#1f618d', '#17a589'][k % 2], values: r.series.values }))}></hydrograph-chart>
      </section>
      <section>
        <inject-list .injects=${states} .dueTimes=${dueTimes} .problems=${this.mselProblems} lang=${this.uiLang}
          @inject-command=${this.onInjectCommand} @msel-import=${this.onMselImport} @msel-export=${this.onMselExport}></inject-list>
      </section>`;
  }

  render() {
    const t = (key: string) => translate(this.uiLang, key);
    return html`
      <header>
        <h1>${t('appTitle')}</h1>
        ${this.scenario.exercise ? html`<span class="exercise" role="note">${t('exercise')}</span>` : ''}
        <span class="scenario-title">${this.uiLang === 'zh-CN' ? this.scenario.titleZh : this.scenario.title}</span>
        <span class="status" role="status">${this.lastRouteMs === undefined ? '' : `${t('engineReady')} · ${this.lastRouteMs.toFixed(0)} ms`}</span>
        <button @click=${() => { this.uiLang = this.uiLang === 'zh-CN' ? 'en' : 'zh-CN'; }} aria-label="language">${t('language')}</button>
      </header>
      <main>
        <region-map .baseMap=${this.baseMap} label=${t('mapLabel')}></region-map>
        <div class="side">
          <div class="tabs" role="tablist">
            <button role="tab" aria-selected=${this.tab === 'scenario'} @click=${() => { this.tab = 'scenario'; }}>${t('scenarioTab')}</button>
            <button role="tab" aria-selected=${this.tab === 'routing'} @click=${() => { this.tab = 'routing'; }}>${t('routingTab')}</button>
          </div>
          <div class="panel" role="tabpanel">
            ${this.tab === 'scenario' ? this.renderScenarioPanel() : ''}
            <routing-lab .engine=${this.engine} ?hidden=${this.tab !== 'routing'}
              @routed=${(e: CustomEvent<{ ms: number }>) => { this.lastRouteMs = e.detail.ms; }}></routing-lab>
            ${this.problems.length ? html`<p class="problems" role="alert">${this.problems.join('\n')}</p>` : ''}
          </div>
        </div>
      </main>
      <timeline-bar .clock=${this.clockSnapshot} .durationS=${this.scenario.durationS} .stepS=${this.scenario.stepS}
        .startEpochMs=${this.scenario.startEpochMs} .offsetMinutes=${offsetMinutesOf(this.scenario.startTime)} lang=${this.uiLang}
        @clock-command=${this.onClockCommand}></timeline-bar>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'sandtable-app': SandtableApp }
}
