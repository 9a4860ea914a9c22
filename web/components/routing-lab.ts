// The routing lab: one reach routed in the engine worker, its parameters editable, its hydrographs
// drawn. An analyst's what-if on K, X and Δt, on the Chow 8.4.1 case shipped in scenarios/.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import defaultCase from '../../scenarios/chow-8.4.1-flood-route.json';
import { InputError } from '../../models/errors.ts';
import type { RouteOutput } from '../../models/flood/route.ts';
import { muskingumReachParams, routeCaseParams } from '../../models/flood/spec.ts';
import type { EngineHandle } from '../engine-client.ts';
import { translate, type Lang } from '../i18n.ts';
import './hydrograph-chart.ts';
import './param-form.ts';
import type { ParamChange } from './param-form.ts';

type Reach = (typeof defaultCase.reaches)[number];

const formSpec = { dt_s: routeCaseParams.dt_s, K_s: muskingumReachParams.K_s, X: muskingumReachParams.X };

@customElement('routing-lab')
export class RoutingLab extends LitElement {
  static styles = css`
    :host { display: grid; gap: 1rem; }
    :host([hidden]) { display: none; }
    section { background: #fff; border-radius: 6px; padding: 1rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
    .reach { display: grid; grid-template-columns: 1fr auto; gap: 1rem; }
    h2 { font-size: 1rem; margin: 0 0 0.75rem; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 1rem; margin: 0; font-size: 0.9rem; }
    dt { color: #556; }
    dd { margin: 0; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .problems { color: #a93226; font-family: ui-monospace, monospace; font-size: 0.8rem; white-space: pre-wrap; }
  `;

  @property({ attribute: false }) engine?: EngineHandle;
  @property() lang: Lang = 'zh-CN';
  @state() private flowCase = structuredClone(defaultCase);
  @state() private result?: RouteOutput;
  @state() private problems: string[] = [];
  /** How long the last routing took in the worker, for the status line. */
  @state() lastRouteMs?: number;

  protected updated(changed: Map<string, unknown>): void {
    if (changed.has('engine') && this.engine && !this.result) void this.route();
  }

  private get reach(): Reach {
    return this.flowCase.reaches[0];
  }

  private async route(): Promise<void> {
    if (!this.engine) return;
    const started = performance.now();
    try {
      this.result = await this.engine.remote.floodRoute(this.flowCase);
      this.problems = [];
      this.lastRouteMs = performance.now() - started;
      this.dispatchEvent(new CustomEvent('routed', { detail: { ms: this.lastRouteMs }, bubbles: true, composed: true }));
    } catch (error) {
      this.problems = error instanceof InputError ? error.message.split('\n') : [String(error)];
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
    const t = (key: string) => translate(this.lang, key);
    const reachId = this.reach.id;
    const out = this.result?.reaches[reachId];
    const inflow = this.flowCase.inflows[0].m3_per_s;
    const times = inflow.map((_, i) => i * this.flowCase.dt_s);
    return html`
      <section aria-label=${t('reachParameters')} class="reach">
        <div>
          <h2>${t('routingReach')} ${reachId}: ${t('muskingum')} (Chow 8.4.1)</h2>
          <param-form lang=${this.lang} .spec=${formSpec} .values=${{ dt_s: this.flowCase.dt_s, K_s: this.reach.K_s, X: this.reach.X }}
            @param-change=${this.onParamChange}></param-form>
        </div>
        <div>
          ${out ? html`<dl>
            <dt>${t('peakOutflow')}</dt><dd>${out.peak_m3_per_s.toFixed(2)} m³/s</dd>
            <dt>${t('peakTime')}</dt><dd>${(out.peak_time_s / 3600).toFixed(1)} h</dd>
            <dt>${t('massBalanceError')}</dt><dd>${this.result!.mass_balance.relative_error.toExponential(1)}</dd>
          </dl>` : ''}
          ${this.result?.warnings.length ? html`<p class="problems">${this.result.warnings.join('\n')}</p>` : ''}
          ${this.problems.length ? html`<p class="problems" role="alert">${this.problems.join('\n')}</p>` : ''}
        </div>
      </section>
      <section aria-label=${t('hydrographs')}>
        <h2>${t('hydrographs')}</h2>
        <hydrograph-chart lang=${this.lang} .timesSeconds=${times} .height=${300} .series=${out ? [
          { label: t('inflow'), color: '#2e86c1', values: inflow },
          { label: `${t('outflow')} ${reachId}`, color: '#c0392b', values: out.outflow_m3_per_s },
        ] : []}></hydrograph-chart>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'routing-lab': RoutingLab }
}
