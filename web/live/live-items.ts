// The list as filtered, most urgent first, a page at a time: id and display name, category,
// district, current level; "more" asks the page for the next page.
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { categoryName } from '../content-text.ts';
import type { Lang } from '../i18n.ts';
import { levelName } from '../levels.ts';
import type { LiveItem } from './live-api.ts';
import { liveText } from './live-i18n.ts';
import { displayName, listStyles, liveStyles } from './live-styles.ts';

@customElement('live-items')
export class LiveItems extends LitElement {
  static styles = [liveStyles, listStyles];

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) items: LiveItem[] = [];
  @property({ type: Number }) total = 0;
  /** Whether the service has a further page. */
  @property({ type: Boolean }) more = false;
  /** Bumped with every filter: the list goes back to its top. */
  @property({ type: Number }) generation = 0;
  /** District id → name in the page's language. */
  @property({ attribute: false }) areaName: (id: string) => string = (id) => id;

  updated(changed: Map<string, unknown>) {
    if (changed.has('generation')) this.renderRoot.querySelector('.scroll')?.scrollTo(0, 0);
  }

  render() {
    const say = (k: Parameters<typeof liveText>[1]) => liveText(this.lang, k);
    return html`
      <h2>${say('items')} <small>${liveText(this.lang, 'shown', { shown: this.items.length.toLocaleString(this.lang), total: this.total.toLocaleString(this.lang) })}</small></h2>
      <div class="scroll"><table>
        <thead><tr><th>${say('item')}</th><th>${say('category')}</th><th>${say('district')}</th><th>${say('level')}</th></tr></thead>
        <tbody>${this.items.map((i) => html`<tr data-item=${i.id}>
          <td><span class="mono">${i.id}</span>${displayName(i, this.lang) ? html`<div class="item-name">${displayName(i, this.lang)}</div>` : ''}</td>
          <td>${i.category ? categoryName(i.category, this.lang) : ''}</td>
          <td>${i.area ? this.areaName(i.area) : ''}</td>
          <td><span class="badge l${i.level}" data-level=${i.level}>${levelName(this.lang, i.level)}</span></td>
        </tr>`)}</tbody>
      </table>
      ${this.items.length === 0 ? html`<div class="empty">${say('noItems')}</div>` : ''}
      ${this.more ? html`<button class="more" @click=${() => this.dispatchEvent(new CustomEvent('more', { bubbles: true, composed: true }))}>${say('more')}</button>` : ''}</div>`;
  }
}
