// The app shell. Today it shows the shipped region's map and routes the shipped flood case in the
// engine worker; the drill app (timeline, layers, risk list, injects) grows from here.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import defaultCase from '../scenarios/chow-8.4.1-flood-route.json';
import { InputError } from '../models/errors.ts';
import type { RouteOutput } from '../models/flood/route.ts';
import { muskingumReachParams, routeCaseParams } from '../models/flood/spec.ts';
import demUrl from '../scenarios/mountain-city/region/dem.asc?url';
import landcoverUrl from '../scenarios/mountain-city/region/landcover.asc?url';
import './components/hydrograph-chart.ts';
import './components/region-map.ts';
import './components/param-form.ts';
import type { ParamChange } from './components/param-form.ts';
import { startEngineWorker, type RemoteEngine } from './engine-client.ts';
import type { BaseMap } from './engine.worker.ts';

type Reach = (typeof defaultCase.reaches)[number];

const formSpec = { dt_s: routeCaseParams.dt_s, K_s: muskingumReachParams.K_s, X: muskingumReachParams.X };

@customElement('sandtable-app')
export class SandtableApp extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-rows: auto 1fr; min-height: 100vh; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.6rem 1.2rem; background: #1d2430; color: #fff; }
    h1 { font-size: 1.15rem; margin: 0; font-weight: 600; }
    .status { margin-left: auto; font-size: 0.85rem; color: #c9d1dc; }
    main { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(26rem, 1fr); gap: 1rem; padding: 1rem; min-height: 0; }
    .side { display: grid; gap: 1rem; align-content: start; }
    region-map { height: calc(100vh - 5.5rem); min-height: 24rem; }
    .reach { display: grid; grid-template-columns: 1fr auto; gap: 1rem; }
    dd { white-space: nowrap; }
    section { background: #fff; border-radius: 6px; padding: 1rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
    h2 { font-size: 1rem; margin: 0 0 0.75rem; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 1rem; margin: 1rem 0 0; font-size: 0.9rem; }
    dt { color: #556; }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
    .problems { color: #a93226; font-family: ui-monospace, monospace; font-size: 0.8rem; white-space: pre-wrap; }
  `;

  @state() private flowCase = structuredClone(defaultCase);
  @state() private result?: RouteOutput;
  @state() private problems: string[] = [];
  @state() private status = 'starting the engine…';
  @state() private baseMap?: BaseMap;

  private engine?: RemoteEngine;

  connectedCallback(): void {
    super.connectedCallback();
    this.engine = startEngineWorker();
    void this.route();
    void this.loadMap();
  }

  private get reach(): Reach {
    return this.flowCase.reaches[0];
  }

  private async route(): Promise<void> {
    if (!this.engine) return;
    const started = performance.now();
    try {
      this.result = await this.engine.floodRoute(this.flowCase);
      this.problems = [];
      this.status = `routed in the worker (wasm) in ${(performance.now() - started).toFixed(0)} ms`;
    } catch (error) {
      this.problems = error instanceof InputError ? error.message.split('\n') : [String(error)];
      this.status = 'the case has errors';
    }
  }

  private async loadMap(): Promise<void> {
    try {
      this.baseMap = await this.engine!.regionBaseMap(new URL(demUrl, location.href).href, new URL(landcoverUrl, location.href).href);
    } catch (error) {
      this.problems = [...this.problems, `map: ${String(error)}`];
    }
  }

  private onParamChange(event: CustomEvent<ParamChange>): void {
    const { name, value } = event.detail;
    const next = structuredClone(this.flowCase);
    if (name === 'dt_s') next.dt_s = value;
    else (next.reaches[0] as Record<string, unknown>)[name] = value;
    this.flowCase = next;
    void this.route();
  }

  render() {
    const reachId = this.reach.id;
    const out = this.result?.reaches[reachId];
    const inflow = this.flowCase.inflows[0].m3_per_s;
    const times = inflow.map((_, i) => i * this.flowCase.dt_s);
    return html`
      <header>
        <h1>Sandtable 沙盘 · Mountain City 山城</h1>
        <span class="status" role="status">${this.status}</span>
      </header>
      <main>
        <region-map .baseMap=${this.baseMap} label="Mountain City: shaded terrain and land cover"></region-map>
        <div class="side">
          <section aria-label="reach parameters" class="reach">
            <div>
              <h2>Reach ${reachId}: Muskingum</h2>
              <param-form .spec=${formSpec} .values=${{ dt_s: this.flowCase.dt_s, K_s: this.reach.K_s, X: this.reach.X }}
                @param-change=${this.onParamChange}></param-form>
            </div>
            <div>
              ${out ? html`<dl>
                <dt>Peak outflow</dt><dd>${out.peak_m3_per_s.toFixed(2)} m³/s</dd>
                <dt>Peak time</dt><dd>${(out.peak_time_s / 3600).toFixed(1)} h</dd>
                <dt>Mass balance error</dt><dd>${this.result!.mass_balance.relative_error.toExponential(1)}</dd>
              </dl>` : ''}
              ${this.result?.warnings.length ? html`<p class="problems">${this.result.warnings.join('\n')}</p>` : ''}
              ${this.problems.length ? html`<p class="problems" role="alert">${this.problems.join('\n')}</p>` : ''}
            </div>
          </section>
          <section aria-label="hydrographs">
            <h2>Hydrographs</h2>
            <hydrograph-chart .timesSeconds=${times} .height=${300} .series=${out ? [
              { label: 'inflow', color: '#2e86c1', values: inflow },
              { label: `outflow ${reachId}`, color: '#c0392b', values: out.outflow_m3_per_s },
            ] : []}></hydrograph-chart>
          </section>
        </div>
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'sandtable-app': SandtableApp }
}
