// Sensors silent for longer than their stale_after_s: they block down-moves (RISKLIST.md).
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { factorName } from '../content-text.ts';
import type { Lang } from '../i18n.ts';
import type { StaleFactor } from './live-api.ts';
import { liveText } from './live-i18n.ts';
import { displayName, listStyles, liveStyles, liveTime } from './live-styles.ts';

@customElement('live-stale')
export class LiveStale extends LitElement {
  static styles = [liveStyles, listStyles];

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) stale: StaleFactor[] = [];
  /** Stale factors under the filter, on show or not. */
  @property({ type: Number }) total = 0;
  @property({ type: Boolean }) more = false;
  /** Bumped with every filter: the list goes back to its top. */
  @property({ type: Number }) generation = 0;

  updated(changed: Map<string, unknown>) {
    if (changed.has('generation')) this.renderRoot.querySelector('.scroll')?.scrollTo(0, 0);
  }
  @property({ type: Number }) epochMs = 0;

  render() {
    const say = (k: Parameters<typeof liveText>[1]) => liveText(this.lang, k);
    const shown = liveText(this.lang, 'shown', { shown: this.stale.length.toLocaleString(this.lang), total: this.total.toLocaleString(this.lang) });
    return html`<h2>${say('stale')} <small>${shown}</small></h2>${this.stale.length === 0 ? html`<div class="empty">${say('noStale')}</div>` : html`
      <div class="scroll"><table>
        <thead><tr><th>${say('item')}</th><th>${say('factor')}</th><th>${say('staleSince')}</th></tr></thead>
        <tbody>${this.stale.map((s) => html`<tr data-item=${s.item}>
          <td><span class="mono">${s.item}</span>${displayName(s, this.lang) ? html`<div class="item-name">${displayName(s, this.lang)}</div>` : ''}</td><td>${factorName(s.factor, this.lang)}</td><td class="mono">${liveTime(this.epochMs, s.since_s)}</td>
        </tr>`)}</tbody>
      </table>
      ${this.more ? html`<button class="more" @click=${() => this.dispatchEvent(new CustomEvent('more', { bubbles: true, composed: true }))}>${say('more')}</button>` : ''}</div>`}`;
  }
}
