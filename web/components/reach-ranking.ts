// Reaches ranked by their peak P(flow > warning flow): each a button that chooses the reach for
// the chart (and the map's highlight). The chosen one is marked; state comes down, the choice goes up.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RankedReach } from '../ensemble-more.ts';
import { translate, type Lang } from '../i18n.ts';
import { percent } from '../probability-ramp.ts';

@customElement('reach-ranking')
export class ReachRanking extends LitElement {
  static styles = css`
    :host { display: block; font-size: 13px; }
    ol { margin: 0; padding-left: 1.6rem; max-height: 9.5rem; overflow-y: auto; font-variant-numeric: tabular-nums; }
    button { all: unset; cursor: pointer; padding: 0.05rem 0.3rem; border-radius: 3px; }
    button:hover { background: #eef4f7; }
    button:focus-visible { outline: 2px solid #2e86c1; }
    button[aria-pressed=true] { background: #2a788e; color: #fff; }
    .when { color: #667; }
    button[aria-pressed=true] .when { color: #e8f1f4; }
  `;

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) reaches: RankedReach[] = [];
  @property() chosen = '';
  /** How many to list (the rest are on the map). */
  @property({ type: Number }) limit = 12;

  render() {
    const t = (key: string) => translate(this.lang, key);
    if (!this.reaches.length) return html`<p>${t('ensReachNone')}</p>`;
    return html`<ol>${this.reaches.slice(0, this.limit).map((r) => html`<li><button aria-pressed=${r.id === this.chosen ? 'true' : 'false'} data-reach=${r.id}
      @click=${() => this.dispatchEvent(new CustomEvent('ensemble-reach', { detail: r.id, bubbles: true, composed: true }))}>${r.id}
      <span class="when">${t('ensReachPeakAt').replace('{p}', percent(r.peak)).replace('{h}', String(Number((r.peakAtS / 3600).toFixed(2))))}</span></button></li>`)}</ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'reach-ranking': ReachRanking }
}
