// The ensemble tab: run an ensemble in the browser (the run controls come in the `run` slot) or
// open a CLI output folder, choose the probability layer the map shows, read the value under the
// pointer, and a gauge's fan chart.
// State comes down as properties; choices go up as events (web/ensemble-desk.ts acts on them).
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EnsembleView } from '../../models/ensemble/open-products.ts';
import type { GridOpenProgress } from '../ensemble-grid-open.ts';
import type { FanData, ProbabilityLayer } from '../ensemble-layers.ts';
import { translate, type Lang } from '../i18n.ts';
import { levelName } from '../levels.ts';
import { percent } from '../probability-ramp.ts';
import './fan-chart.ts';
import './model-warnings-notice.ts';

@customElement('ensemble-panel')
export class EnsemblePanel extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.6rem; font-size: 14px; }
    p { margin: 0; color: #445; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    fieldset { border: 1px solid #d5d8dc; border-radius: 6px; padding: 0.4rem 0.7rem; margin: 0; display: grid; gap: 0.2rem; }
    legend { font-weight: 600; padding: 0 0.3rem; }
    .error { background: #fdedec; border: 1px solid #e6b0aa; border-radius: 6px; padding: 0.4rem 0.7rem; color: #7b241c; white-space: pre-wrap; }
    .opened { background: #eef4f7; border-radius: 6px; padding: 0.4rem 0.7rem; }
    .opening progress { flex: 1 1 8rem; }
    .opening span { font-size: 12px; color: #445; font-variant-numeric: tabular-nums; }
    .open-status { color: #1b4f72; }
    .readout { font-variant-numeric: tabular-nums; min-height: 1.3em; }
    h3 { margin: 0.3rem 0 0; font-size: 15px; }
    .note { font-size: 12px; color: #667; }
    ol { margin: 0; padding-left: 1.4rem; font-variant-numeric: tabular-nums; }
    li:focus { outline: 2px solid #2e86c1; }
  `;

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) view?: EnsembleView;
  /** What the view came from: "browser · 4" or the folder's name. */
  @property() source = '';
  @property({ attribute: false }) layers: ProbabilityLayer[] = [];
  /** Messages said otherwise for this ensemble, by key (a grid ensemble's layers are per cell). */
  @property({ attribute: false }) labels: Record<string, string> = {};
  @property() layer?: ProbabilityLayer;
  @property({ type: Number }) level = 3;
  @property({ attribute: false }) gauges: string[] = [];
  @property() gauge?: string;
  @property({ attribute: false }) fan?: FanData;
  @property() fanNote = '';
  @property() error = '';
  /** An ensemble folder being opened in the worker: its stage and how far, and whether it is a scenario ensemble's (else a grid's). */
  @property({ attribute: false }) opening?: GridOpenProgress & { scenario?: boolean };
  /** What the last open came to, when worth announcing (cancelled). */
  @property() openStatus = '';
  @property() readout = '';
  @property({ attribute: false }) topItems: { id: string; p: number }[] = [];

  private send(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    return html`
      <p>${t('ensIntro')}</p>
      <slot name="run"></slot>
      <div class="row">
        <label>${t('ensOpen')} <input class="folder" type="file" webkitdirectory @change=${this.onPick}></label>
        <label>${t('ensOpenZip')} <input class="zip" type="file" accept=".zip,application/zip" @change=${this.onPick}></label>
      </div>
      <div class="row grid-open">
        <label>${t('ensOpenGrid')} <input class="grid-folder" type="file" webkitdirectory @change=${this.onPick}></label>
        <label>${t('ensOpenGridZip')} <input class="grid-zip" type="file" accept=".zip,application/zip" @change=${this.onPick}></label>
      </div>
      ${this.opening ? html`<div class="row opening">
        <progress max=${this.opening.total} .value=${this.opening.done} aria-label=${t(this.opening.scenario ? 'ensOpening' : 'ensGridOpening')}
          aria-valuetext=${this.openingText()}></progress><span>${this.openingText()}</span>
        <button type="button" class="cancel-open" @click=${() => this.send('ensemble-open-cancel', undefined)}>${t('ensGridOpenCancel')}</button></div>` : ''}
      <p class="open-status" role="status">${this.openStatus}</p>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : ''}
      ${this.view ? this.viewControls() : html`<p>${t('ensNothing')}</p>`}`;
  }

  private viewControls() {
    const t = (key: string) => translate(this.lang, key);
    const v = this.view!;
    const levelled = this.layer === 'items' || this.layer === 'districts';
    return html`
      <div class="opened">${t('ensOpened')}: <strong>${v.scenario}</strong>${this.source ? ` · ${this.source}` : ''} · ${t('ensSeed')} ${v.seed} · ${v.goodMembers}/${v.members} ${t('ensGood')}</div>
      <model-warnings-notice .warnings=${v.modelWarnings?.warnings ?? []} members=${v.members} leftOut=${v.modelWarnings?.left_out ?? 0} lang=${this.lang}></model-warnings-notice>
      <fieldset role="radiogroup">
        <legend>${t('ensLayer')}</legend>
        ${this.layers.map((layer) => html`<label><input type="radio" name="ens-layer" value=${layer} .checked=${layer === this.layer}
          @change=${() => this.send('ensemble-layer', layer)}> ${this.labels[`ensLayer_${layer}`] ?? t(`ensLayer_${layer}`)}</label>`)}
      </fieldset>
      ${levelled ? html`<label>${t('ensLevel')} <select name="ens-level" @change=${(e: Event) => this.send('ensemble-level', Number((e.target as HTMLSelectElement).value))}>
        ${[1, 2, 3, 4].map((l) => html`<option value=${l} ?selected=${l === this.level}>${levelName(this.lang, l)}</option>`)}</select></label>` : ''}
      <div class="readout" aria-live="polite">${t('ensHere')}: ${this.readout || '—'}</div>
      ${this.layer === 'items' && this.topItems.length ? html`<h3>${t('ensTopItems')}</h3>
        <ol>${this.topItems.map((item) => html`<li tabindex="0" @focus=${() => this.send('ensemble-item', item.id)}>${item.id}: ${percent(item.p)}</li>`)}</ol>` : ''}
      ${this.gauges.length ? html`<h3>${t('ensFan')}</h3>
        <label>${t('ensGauge')} <select name="ens-gauge" @change=${(e: Event) => this.send('ensemble-gauge', (e.target as HTMLSelectElement).value)}>
          ${this.gauges.map((g) => html`<option value=${g} ?selected=${g === this.gauge}>${g}</option>`)}</select></label>
        <fan-chart .data=${this.fan} lang=${this.lang}></fan-chart>
        ${this.fanNote ? html`<p class="note">${this.fanNote}</p>` : ''}` : ''}`;
  }

  private openingText(): string {
    const o = this.opening!;
    return translate(this.lang, `ensGridOpen_${o.stage}`).replace('{done}', String(o.done)).replace('{total}', String(o.total));
  }

  private onPick(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) this.send('ensemble-open', [...input.files]);
    input.value = '';
  }
}

declare global {
  interface HTMLElementTagNameMap { 'ensemble-panel': EnsemblePanel }
}
