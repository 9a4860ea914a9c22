// The risk list's change log up to the clock: every level change, newest first, with its cause, so
// the duty officer can read what moved and why without opening each item. Selecting a row selects
// the item (an event up, like the table's).
import { css, html, LitElement } from 'lit';
import { rowKeys } from './row-keys.ts';
import { customElement, property } from 'lit/decorators.js';
import type { RegionItem } from '../../models/scenario/region.ts';
import type { RiskChange } from '../../models/scenario/run.ts';
import { translate, type Lang } from '../i18n.ts';
import { causeText, LEVEL_COLOURS, levelName } from '../levels.ts';
import { elapsedText } from '../time-format.ts';

/** Rows drawn at most: a storm's log runs to thousands of changes, the newest matter at the table. */
const SHOWN_ROWS = 200;

@customElement('risk-log')
export class RiskLog extends LitElement {
  static styles = css`
    :host { display: block; font-size: 0.8rem; }
    h3 { font-size: 0.9rem; margin: 0.8rem 0 0.3rem; }
    .scroll { max-height: 16rem; overflow: auto; border: 1px solid #e3e7ec; border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #eef1f4; white-space: nowrap; }
    th { position: sticky; top: 0; background: #f7f9fb; }
    tbody tr { cursor: pointer; }
    tbody tr:focus-visible { outline: 3px solid #2e86c1; outline-offset: -3px; }
    .up { color: #a93226; } .down { color: #1e8449; }
    .why { color: #556; white-space: normal; }
    .more { color: #667; padding: 0.3rem 0.4rem; }
  `;

  /** Every change of the run, in time order (the grader's); the log shows those up to `timeS`. */
  @property({ attribute: false }) changes: readonly RiskChange[] = [];
  @property({ attribute: false }) items: readonly RegionItem[] = [];
  @property({ type: Number }) timeS = 0;
  @property() lang: Lang = 'zh-CN';

  private onRowKey = (event: KeyboardEvent) => rowKeys(event, (row) => this.dispatchEvent(new CustomEvent('feature-select', { detail: { id: row.dataset.item }, bubbles: true, composed: true })));

  render() {
    const t = (key: string) => translate(this.lang, key);
    const upToNow = this.changes.filter((c) => c.t_s <= this.timeS);
    const count = upToNow.length;
    const shown = upToNow.slice(Math.max(0, count - SHOWN_ROWS)).reverse();
    const names = new Map(this.items.map((i) => [i.id, this.lang === 'zh-CN' ? i.name_zh : i.name]));
    const dot = (level: number) => html`<span style="color:${LEVEL_COLOURS[level]}">●</span>`;
    return html`
      <h3>${t('changeLog')} (${count})</h3>
      <div class="scroll">
        <table>
          <thead><tr><th>${t('due')}</th><th>ID · ${t('name')}</th><th>${t('level')}</th><th>${t('cause')}</th></tr></thead>
          <tbody @keydown=${this.onRowKey}>${shown.map((c, k) => html`<tr data-item=${c.item} tabindex=${k === 0 ? 0 : -1}
            @click=${() => this.dispatchEvent(new CustomEvent('feature-select', { detail: { id: c.item }, bubbles: true, composed: true }))}>
            <td>${elapsedText(c.t_s)}</td>
            <td><strong>${c.item}</strong> ${names.get(c.item) ?? ''}</td>
            <td class=${c.to > c.from ? 'up' : 'down'}>${dot(c.from)} → ${dot(c.to)} ${levelName(this.lang, c.to)} ${c.to > c.from ? '▲' : '▼'}</td>
            <td class="why">${causeText(c.reason, this.lang)}</td></tr>`)}</tbody>
        </table>
        ${count === 0 ? html`<div class="more">${t('noChangeYet')}</div>` : ''}
        ${count > SHOWN_ROWS ? html`<div class="more">${t('olderChanges').replace('{n}', String(count - SHOWN_ROWS))}</div>` : ''}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'risk-log': RiskLog }
}
