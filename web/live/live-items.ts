// The list as filtered: id, category, district, current level.
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { categoryName } from '../content-text.ts';
import type { Lang } from '../i18n.ts';
import { levelName } from '../levels.ts';
import type { LiveItem } from './live-api.ts';
import { liveText } from './live-i18n.ts';
import { liveStyles } from './live-styles.ts';

@customElement('live-items')
export class LiveItems extends LitElement {
  static styles = liveStyles;

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) items: LiveItem[] = [];
  @property({ type: Number }) total = 0;
  /** District id → name in the page's language. */
  @property({ attribute: false }) areaName: (id: string) => string = (id) => id;

  render() {
    const say = (k: Parameters<typeof liveText>[1]) => liveText(this.lang, k);
    return html`
      <h2>${say('items')} <small>${liveText(this.lang, 'shown', { shown: this.items.length, total: this.total })}</small></h2>
      <table>
        <thead><tr><th>${say('item')}</th><th>${say('category')}</th><th>${say('district')}</th><th>${say('level')}</th></tr></thead>
        <tbody>${this.items.map((i) => html`<tr data-item=${i.id}>
          <td class="mono">${i.id}</td>
          <td>${i.category ? categoryName(i.category, this.lang) : ''}</td>
          <td>${i.area ? this.areaName(i.area) : ''}</td>
          <td><span class="badge l${i.level}" data-level=${i.level}>${levelName(this.lang, i.level)}</span></td>
        </tr>`)}</tbody>
      </table>`;
  }
}
