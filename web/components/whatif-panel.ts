// What-if: the trainer moves the levers that act on this scenario, the app runs the variant beside
// the base, and this panel shows the two side by side: the settings used, a table of outcomes, the
// curve of the gauge (or the burned area) the trainer picks, and a switch to show it on the map;
// below, every what-if run this session (kept across a reload) with its settings and results.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { whatIfParams } from '../../models/scenario/schema.ts';
import type { ComparisonRow, WhatIfChange, WhatIfLever, WhatIfRecord } from '../../models/scenario/whatif.ts';
import { translate, type Lang } from '../i18n.ts';
import { elapsedText } from '../time-format.ts';
import { formatDifference, formatInUnit, kindOfUnit } from '../quantity-format.ts';
import { curvesOmittedText, rowLabel, settingsText, whatIfResultsText } from '../whatif-text.ts';
import './hydrograph-chart.ts';
import type { ChartSeries } from './hydrograph-chart.ts';

export interface WhatIfRunRequest { change: WhatIfChange; fireBreak: boolean }

@customElement('whatif-panel')
export class WhatIfPanel extends LitElement {
  static styles = css`
    /* One column that may shrink: a chart drawn at a wider screen must not hold the table and notes wide (cut off) after a resize. */
    :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.7rem; font-size: 0.85rem; }
    .controls { display: grid; grid-template-columns: auto 1fr auto; gap: 0.4rem 0.6rem; align-items: center; }
    input[type=range] { width: 100%; }
    button { font: inherit; padding: 0.3rem 0.8rem; border: 1px solid #1d2430; border-radius: 4px; background: #1d2430; color: #fff; cursor: pointer; }
    button[disabled] { opacity: 0.5; cursor: wait; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #eef1f4; font-variant-numeric: tabular-nums; }
    td.up { color: #a93226; }
    td.down { color: #1e8449; }
    .settings { background: #eaf2f8; border-radius: 4px; padding: 0.3rem 0.5rem; }
    .options { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; }
    select { font: inherit; }
    caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
    table.history td { vertical-align: top; }
    .hint { color: #5d6d7e; }
    .curves-omitted { margin: 0.2rem 0 0; padding: 0.25rem 0.5rem; border-left: 3px solid #b9770e; background: #fef5e7; color: #6e4a0c; }
    table.compare th + th, table.compare td + td { text-align: right; }
  `;

  @property({ attribute: false }) levers: WhatIfLever[] = [];
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) rows: ComparisonRow[] = [];
  /** The settings the comparison shown was run with, in the UI's language. */
  @property() settings = '';
  /** Why the record keeps not all of this comparison's curves (its bounds), in the UI's language; '' when it keeps them. */
  @property() curvesNote = '';
  /** Gauges' peaks the record left out of these rows (a comparison restored from the record), in the UI's language; '' for none. */
  @property() rowsNote = '';
  /** Why the saved session does not keep this comparison's chart (its size), in the UI's language; '' when it does. */
  @property() chartNote = '';
  @property({ attribute: false }) timesSeconds: number[] = [];
  @property({ attribute: false }) curves: ChartSeries[] = [];
  @property() curveUnit = 'm³/s';
  /** What the chart can show (gauges, the burned area) and which it shows. */
  @property({ attribute: false }) chartChoices: { id: string; label: string }[] = [];
  @property() chart = '';
  @property({ type: Boolean }) onMap = false;
  /** The variant is being run again for the map (after a reload only its curves were kept). */
  @property({ type: Boolean }) recomputing = false;
  @property() lang: Lang = 'zh-CN';
  /** Every what-if run this session, oldest first, as the record keeps them. */
  @property({ attribute: false }) history: readonly WhatIfRecord[] = [];
  @state() private rainFactor = 1.5;
  @state() private windShiftDeg = 0;
  @state() private windFactor = 1;
  @state() private fireBreak = false;

  private run(): void {
    const change: WhatIfChange = { rainFactor: this.rainFactor, windShiftDeg: this.windShiftDeg, windFactor: this.windFactor };
    this.dispatchEvent(new CustomEvent<WhatIfRunRequest>('whatif-run', { detail: { change, fireBreak: this.fireBreak }, bubbles: true, composed: true }));
  }

  private send(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const has = (lever: WhatIfLever) => this.levers.includes(lever);
    // Ranges and steps from the one declaration of the what-if levers (models/scenario/schema.ts).
    const slider = (id: string, label: string, value: number, lever: keyof typeof whatIfParams, set: (v: number) => void, show: string) => (has(lever) ? html`
      <label for=${id}>${label}</label>
      <input id=${id} type="range" min=${whatIfParams[lever].min} max=${whatIfParams[lever].max} step=${whatIfParams[lever].step} .value=${String(value)} @input=${(e: Event) => set(Number((e.target as HTMLInputElement).value))} />
      <span>${show}</span>` : '');
    return html`
      <div class="controls">
        ${slider('rain', t('rainFactor'), this.rainFactor, 'rain_factor', (v) => { this.rainFactor = v; }, `×${this.rainFactor.toFixed(1)}`)}
        ${slider('wind-shift', t('windShift'), this.windShiftDeg, 'wind_shift_deg', (v) => { this.windShiftDeg = v; }, `${this.windShiftDeg > 0 ? '+' : ''}${this.windShiftDeg}°`)}
        ${slider('wind-factor', t('windFactor'), this.windFactor, 'wind_factor', (v) => { this.windFactor = v; }, `×${this.windFactor.toFixed(1)}`)}
        ${has('fire_break') ? html`<label for="break">${t('fireBreak')}</label><input id="break" type="checkbox" .checked=${this.fireBreak}
          @change=${(e: Event) => { this.fireBreak = (e.target as HTMLInputElement).checked; }} /><span></span>` : ''}
      </div>
      ${this.levers.length ? html`<div><button class="run" ?disabled=${this.running} @click=${this.run}>${this.running ? t('whatifRunning') : t('whatifRun')}</button></div>`
        : html`<p>${t('whatifNoLevers')}</p>`}
      ${this.rows.length ? html`
        <div class="settings">${t('whatifSettings')}: <strong>${this.settings}</strong></div>
        <table class="compare">
          <thead><tr><th></th><th>${t('base')}</th><th>${t('whatif')}</th><th>Δ</th></tr></thead>
          <tbody>${this.rows.map((r) => {
            const delta = formatDifference(r.base, r.variant, kindOfUnit(r.unit), this.lang);
            // Coloured by the difference as printed: one that rounds to nothing is no change.
            const cls = delta.startsWith('+') ? 'up' : delta.startsWith('-') ? 'down' : '';
            return html`<tr data-key=${r.key}><td>${rowLabel(r, this.lang)}</td><td>${formatInUnit(r.base, r.unit, this.lang)}</td><td>${formatInUnit(r.variant, r.unit, this.lang)}</td>
              <td class=${cls}>${delta}</td></tr>`;
          })}</tbody>
        </table>
        ${this.rowsNote ? html`<p class="curves-omitted rows-left-out" role="note">${this.rowsNote}</p>` : ''}
        <div class="options">
          <label>${t('whatifChartShows')} <select name="chart" @change=${(e: Event) => this.send('whatif-chart', (e.target as HTMLSelectElement).value)}>
            ${this.chartChoices.map((c) => html`<option value=${c.id} ?selected=${c.id === this.chart}>${c.label}</option>`)}</select></label>
          <label><input type="checkbox" name="on-map" .checked=${this.onMap} @change=${(e: Event) => this.send('whatif-map', (e.target as HTMLInputElement).checked)} /> ${t('whatifOnMap')}</label>
          ${this.recomputing ? html`<span class="hint recomputing" role="status">${t('whatifRecomputing')}</span>` : ''}
        </div>
        ${this.curvesNote ? html`<p class="curves-omitted" role="note">${this.curvesNote}</p>` : ''}
        ${this.chartNote ? html`<p class="curves-omitted chart-not-kept" role="note">${this.chartNote}</p>` : ''}
        <hydrograph-chart lang=${this.lang} .timesSeconds=${this.timesSeconds} .height=${180} yLabel=${this.curveUnit} .series=${this.curves}></hydrograph-chart>` : ''}
      ${this.historyView()}`;
  }

  private historyView() {
    if (!this.history.length) return '';
    const t = (key: string) => translate(this.lang, key);
    return html`<table class="history" aria-label=${t('report_whatifs')}>
      <caption>${t('report_whatifs')}</caption>
      <thead><tr><th>${t('report_time')}</th><th>${t('report_whatifSettings')}</th><th>${t('report_whatifResults')}</th></tr></thead>
      <tbody>${this.history.map((w) => html`<tr><td>${elapsedText(w.t_s)}</td><td>${settingsText(w.settings, this.lang)}</td>
        <td>${whatIfResultsText(w, this.lang)}${w.curves_omitted ? html`<div class="curves-omitted">${curvesOmittedText(w.curves_omitted, this.lang)}</div>` : ''}</td></tr>`)}</tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'whatif-panel': WhatIfPanel }
}
