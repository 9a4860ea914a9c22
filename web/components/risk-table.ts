// The risk list at the clock's time: every item with its level, the cause and time of its last
// change; sortable by column, filterable by category and district. Selecting a row selects the item.
import { css, html, LitElement } from 'lit';
import { rowKeys } from './row-keys.ts';
import { customElement, property, state } from 'lit/decorators.js';
import type { RiskChange } from '../../models/scenario/run.ts';
import type { RegionItem } from '../../models/scenario/region.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { categoryName, districtName } from '../content-text.ts';
import { translate, type Lang } from '../i18n.ts';
import { causeText, LEVEL_COLOURS, levelName } from '../levels.ts';
import { elapsedText } from '../time-format.ts';

type SortKey = 'level' | 'id' | 'category' | 'area' | 'changed';

@customElement('risk-table')
export class RiskTable extends LitElement {
  static styles = css`
    :host { display: block; font-size: 0.82rem; }
    .filters { display: flex; gap: 0.5rem; margin-bottom: 0.4rem; flex-wrap: wrap; align-items: center; }
    select { font: inherit; padding: 0.15rem 0.3rem; }
    .counts span { display: inline-block; padding: 0 0.45rem; border-radius: 3px; color: #fff; margin-right: 0.2rem; font-variant-numeric: tabular-nums; }
    .scroll { max-height: 22rem; overflow: auto; border: 1px solid #e3e7ec; border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #eef1f4; white-space: nowrap; }
    th { position: sticky; top: 0; background: #f7f9fb; cursor: pointer; user-select: none; }
    th[aria-sort] { text-decoration: underline; }
    tr.selected { outline: 2px solid #1d2430; outline-offset: -2px; }
    tbody tr { cursor: pointer; }
    tbody tr:focus-visible { outline: 3px solid #2e86c1; outline-offset: -3px; }
    .chip { display: inline-block; min-width: 3.5rem; padding: 0 0.35rem; border-radius: 3px; color: #fff; text-align: center; }
    .chip.l2 { color: #1d2430; }
    .why { color: #556; white-space: normal; min-width: 10rem; }
    .name { color: #445; }
  `;

  @property({ attribute: false }) items: RegionItem[] = [];
  @property({ attribute: false }) levels: Map<string, number> = new Map();
  @property({ attribute: false }) changes: Map<string, RiskChange> = new Map();
  @property() selected?: string;
  @property() lang: Lang = 'zh-CN';
  /** District names (areas are ids). */
  @property({ attribute: false }) manifest?: RegionManifest;
  @state() private sortKey: SortKey = 'level';
  @state() private category = '';
  @state() private area = '';

  private onRowKey = (event: KeyboardEvent) => rowKeys(event, (row) => this.dispatchEvent(new CustomEvent('feature-select', { detail: { id: row.dataset.item }, bubbles: true, composed: true })));

  render() {
    const t = (key: string) => translate(this.lang, key);
    const categories = [...new Set(this.items.map((i) => i.category))].sort();
    const areas = [...new Set(this.items.map((i) => i.area))].sort();
    const shown = this.items.filter((i) => (!this.category || i.category === this.category) && (!this.area || i.area === this.area));
    const level = (id: string) => this.levels.get(id) ?? 1;
    const changedAt = (id: string) => this.changes.get(id)?.t_s ?? -1;
    const compare: Record<SortKey, (a: RegionItem, b: RegionItem) => number> = {
      level: (a, b) => level(b.id) - level(a.id) || changedAt(b.id) - changedAt(a.id) || a.id.localeCompare(b.id),
      id: (a, b) => a.id.localeCompare(b.id),
      category: (a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id),
      area: (a, b) => a.area.localeCompare(b.area) || a.id.localeCompare(b.id),
      changed: (a, b) => changedAt(b.id) - changedAt(a.id) || a.id.localeCompare(b.id),
    };
    const sorted = [...shown].sort(compare[this.sortKey]);
    const counts = [1, 2, 3, 4].map((l) => shown.filter((i) => level(i.id) === l).length);
    const header = (key: SortKey, label: string) => html`<th aria-sort=${this.sortKey === key ? 'descending' : 'none'} @click=${() => { this.sortKey = key; }}>${label}</th>`;
    return html`
      <div class="filters">
        <label>${t('category')} <select @change=${(e: Event) => { this.category = (e.target as HTMLSelectElement).value; }}>
          <option value="">${t('all')}</option>${categories.map((c) => html`<option value=${c}>${categoryName(c, this.lang)}</option>`)}</select></label>
        <label>${t('district')} <select @change=${(e: Event) => { this.area = (e.target as HTMLSelectElement).value; }}>
          <option value="">${t('all')}</option>${areas.map((a) => html`<option value=${a}>${districtName(this.manifest, a, this.lang)}</option>`)}</select></label>
        <span class="counts" aria-label=${t('itemsPerLevel')}>${counts.map((n, k) => html`<span style="background:${LEVEL_COLOURS[k + 1]}; ${k === 1 ? 'color:#1d2430' : ''}">${n}</span>`)}</span>
      </div>
      <div class="scroll">
        <table>
          <thead><tr>${header('level', t('level'))}${header('id', `ID · ${t('name')}`)}${header('area', t('district'))}${header('changed', t('lastChange'))}<th>${t('cause')}</th></tr></thead>
          <tbody @keydown=${this.onRowKey}>${sorted.map((item, k) => {
            const l = level(item.id);
            const change = this.changes.get(item.id);
            // One Tab stop: the selected row, else the first (web/components/row-keys.ts).
            const stop = this.selected && sorted.some((i) => i.id === this.selected) ? item.id === this.selected : k === 0;
            return html`<tr class=${item.id === this.selected ? 'selected' : ''} data-item=${item.id} tabindex=${stop ? 0 : -1} aria-selected=${item.id === this.selected}
              @click=${() => this.dispatchEvent(new CustomEvent('feature-select', { detail: { id: item.id }, bubbles: true, composed: true }))}>
              <td><span class="chip l${l}" style="background:${LEVEL_COLOURS[l]}">${levelName(this.lang, l)}</span></td>
              <td><strong>${item.id}</strong> <span class="name">${this.lang === 'zh-CN' ? item.name_zh : item.name}</span></td><td>${districtName(this.manifest, item.area, this.lang)}</td>
              <td>${change ? elapsedText(change.t_s) : ''}</td><td class="why">${change ? causeText(change.reason, this.lang) : ''}</td></tr>`;
          })}</tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'risk-table': RiskTable }
}
