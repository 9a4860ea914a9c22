// What-if: the analyst picks a change, the app runs the variant beside the base, and this panel
// shows the two side by side: a table of outcomes and the key curve of each.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { whatIfParams } from '../../models/scenario/schema.ts';
import type { ComparisonRow, WhatIfChange } from '../../models/scenario/whatif.ts';
import { translate, type Lang } from '../i18n.ts';
import './hydrograph-chart.ts';
import type { ChartSeries } from './hydrograph-chart.ts';

@customElement('whatif-panel')
export class WhatIfPanel extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.7rem; font-size: 0.85rem; }
    .controls { display: grid; grid-template-columns: auto 1fr auto; gap: 0.4rem 0.6rem; align-items: center; }
    input[type=range] { width: 100%; }
    button { font: inherit; padding: 0.3rem 0.8rem; border: 1px solid #1d2430; border-radius: 4px; background: #1d2430; color: #fff; cursor: pointer; }
    button[disabled] { opacity: 0.5; cursor: wait; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #eef1f4; font-variant-numeric: tabular-nums; }
    td.up { color: #a93226; }
    td.down { color: #1e8449; }
  `;

  @property({ type: Boolean }) hasFire = false;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) rows: ComparisonRow[] = [];
  @property({ attribute: false }) timesSeconds: number[] = [];
  @property({ attribute: false }) curves: ChartSeries[] = [];
  @property() curveUnit = 'm³/s';
  @property() lang: Lang = 'zh-CN';
  @state() private rainFactor = 1.5;
  @state() private windShiftDeg = 0;
  @state() private windFactor = 1;
  @state() private fireBreak = false;

  private run(): void {
    const change: WhatIfChange = { rainFactor: this.rainFactor, windShiftDeg: this.windShiftDeg, windFactor: this.windFactor };
    this.dispatchEvent(new CustomEvent<{ change: WhatIfChange; fireBreak: boolean }>('whatif-run', { detail: { change, fireBreak: this.fireBreak }, bubbles: true, composed: true }));
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    // Ranges and steps from the one declaration of the what-if levers (models/scenario/schema.ts).
    const slider = (label: string, value: number, lever: keyof typeof whatIfParams, set: (v: number) => void, show: string) => html`
      <label for=${label}>${label}</label>
      <input id=${label} type="range" min=${whatIfParams[lever].min} max=${whatIfParams[lever].max} step=${whatIfParams[lever].step} .value=${String(value)} @input=${(e: Event) => set(Number((e.target as HTMLInputElement).value))} />
      <span>${show}</span>`;
    return html`
      <div class="controls">
        ${slider(t('rainFactor'), this.rainFactor, 'rain_factor', (v) => { this.rainFactor = v; }, `×${this.rainFactor.toFixed(1)}`)}
        ${slider(t('windShift'), this.windShiftDeg, 'wind_shift_deg', (v) => { this.windShiftDeg = v; }, `${this.windShiftDeg > 0 ? '+' : ''}${this.windShiftDeg}°`)}
        ${slider(t('windFactor'), this.windFactor, 'wind_factor', (v) => { this.windFactor = v; }, `×${this.windFactor.toFixed(1)}`)}
        ${this.hasFire ? html`<label for="break">${t('fireBreak')}</label><input id="break" type="checkbox" .checked=${this.fireBreak}
          @change=${(e: Event) => { this.fireBreak = (e.target as HTMLInputElement).checked; }} /><span></span>` : ''}
      </div>
      <div><button ?disabled=${this.running} @click=${this.run}>${this.running ? t('whatifRunning') : t('whatifRun')}</button></div>
      ${this.rows.length ? html`
        <table>
          <thead><tr><th></th><th>${t('base')}</th><th>${t('whatif')}</th><th>Δ</th></tr></thead>
          <tbody>${this.rows.map((r) => {
            const delta = r.base !== null && r.variant !== null ? r.variant - r.base : null;
            const cls = delta === null || delta === 0 ? '' : delta > 0 ? 'up' : 'down';
            const fmt = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(1));
            const label = t(`whatif_${r.metric}`).replace('{gauge}', r.gauge ?? '');
            return html`<tr data-key=${r.key}><td>${label}${r.unit ? ` (${r.unit})` : ''}</td><td>${fmt(r.base)}</td><td>${fmt(r.variant)}</td>
              <td class=${cls}>${delta === null ? '' : `${delta > 0 ? '+' : ''}${fmt(delta)}`}</td></tr>`;
          })}</tbody>
        </table>
        <hydrograph-chart lang=${this.lang} .timesSeconds=${this.timesSeconds} .height=${180} yLabel=${this.curveUnit} .series=${this.curves}></hydrograph-chart>` : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'whatif-panel': WhatIfPanel }
}
