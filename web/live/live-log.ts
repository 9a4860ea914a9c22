// The change log, newest first, as the feed delivers it.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Lang } from '../i18n.ts';
import { causeText, levelName } from '../levels.ts';
import type { LiveChange } from './live-api.ts';
import { liveText } from './live-i18n.ts';
import { listStyles, liveStyles, liveTime } from './live-styles.ts';

@customElement('live-log')
export class LiveLog extends LitElement {
  // Under 1100 px the cause needs the room: the names stay in the list beside.
  static styles = [liveStyles, listStyles, css`@media (max-width: 1100px) { .item-name { display: none; } }`];

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) changes: LiveChange[] = [];
  @property({ type: Number }) epochMs = 0;
  /** Whether changes older than those on show exist. */
  @property({ type: Boolean }) older = false;
  /** An item's display name, when the page knows it. */
  @property({ attribute: false }) nameOf: (id: string) => string = () => '';

  render() {
    const say = (k: Parameters<typeof liveText>[1]) => liveText(this.lang, k);
    if (this.changes.length === 0) return html`<h2>${say('changeLog')}</h2><div class="empty">${say('noChanges')}</div>`;
    return html`<h2>${say('changeLog')}</h2>
      <div class="scroll"><table>
        <thead><tr><th>${say('time')}</th><th>${say('item')}</th><th>${say('change')}</th><th>${say('cause')}</th></tr></thead>
        <tbody>${this.changes.map((c) => html`<tr data-seq=${c.seq} data-item=${c.item}>
          <td class="mono">${liveTime(this.epochMs, c.t_s)}</td>
          <td><span class="mono">${c.item}</span>${this.nameOf(c.item) ? html`<div class="item-name">${this.nameOf(c.item)}</div>` : ''}</td>
          <td class="mono"><span class="badge l${c.from}">${levelName(this.lang, c.from)}</span> → <span class="badge l${c.to}">${levelName(this.lang, c.to)}</span></td>
          <td>${causeText(c.reason, this.lang)}</td>
        </tr>`)}</tbody>
      </table>
      ${this.older ? html`<button class="more" @click=${() => this.dispatchEvent(new CustomEvent('more', { bubbles: true, composed: true }))}>${say('older')}</button>` : ''}</div>`;
  }
}
