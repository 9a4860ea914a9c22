// members.csv as a table: drawn inputs, headline outcomes, status and problem; sorted by the
// heading clicked (the sort comes down as a property, the click goes up as an event). Bad members
// are highlighted with their reason. Every cell is text from a file, so it is bound as text (Lit
// escapes it), never as markup.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { MembersTable as Table } from '../../models/ensemble/open-more-products.ts';
import { sortMembers, type SortKey } from '../ensemble-more.ts';
import { translate, type Lang } from '../i18n.ts';

@customElement('members-table')
export class MembersTable extends LitElement {
  static styles = css`
    :host { display: block; font-size: 12px; }
    .scroll { overflow: auto; max-height: 16rem; border: 1px solid #e3e6ea; border-radius: 4px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.15rem 0.4rem; border-bottom: 1px solid #eef0f2; white-space: nowrap; text-align: right; }
    thead th { position: sticky; top: 0; background: #f4f5f7; font-weight: 600; }
    thead tr.groups th { top: 0; text-align: left; color: #556; font-weight: normal; }
    thead tr.names th { top: 1.5em; }
    th button { all: unset; cursor: pointer; }
    th button:focus-visible { outline: 2px solid #2e86c1; }
    td.text { text-align: left; }
    tr.bad td { background: #fdedec; color: #7b241c; }
    td.problem { white-space: normal; min-width: 16rem; text-align: left; }
    .count { margin: 0 0 0.3rem; color: #7b241c; }
    .count ul { margin: 0.15rem 0 0; padding-left: 1.2rem; overflow-wrap: anywhere; }
  `;

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) table?: Table;
  @property({ attribute: false }) sort: SortKey = { column: 'member', descending: false };

  private heading(column: string, label: string) {
    const sorted = this.sort.column === column;
    return html`<th scope="col" aria-sort=${sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none'}><button data-column=${column}
      @click=${() => this.dispatchEvent(new CustomEvent('members-sort', { detail: { column, descending: sorted ? !this.sort.descending : false }, bubbles: true, composed: true }))}
      >${label}${sorted ? (this.sort.descending ? ' ▼' : ' ▲') : ''}</button></th>`;
  }

  render() {
    const table = this.table;
    if (!table) return '';
    const t = (key: string) => translate(this.lang, key);
    const bad = table.rows.filter((r) => r.bad).length;
    // The reasons first, where they are read without scrolling the wide table sideways.
    return html`${bad ? html`<div class="count" role="status">${t('ensBadCount').replace('{n}', String(bad))}
        <ul>${table.rows.filter((r) => r.bad).map((r) => html`<li data-member=${r.member}>${t('ensMember')} ${r.member}: ${r.problem}</li>`)}</ul></div>` : ''}
      <div class="scroll" tabindex="0" role="region" aria-label=${t('ensMembersAria')}><table>
      <thead>
        <tr class="groups"><th></th><th colspan=${table.inputs.length || 1}>${t('ensInputs')}</th>${table.headlines.length ? html`<th colspan=${table.headlines.length}>${t('ensOutcomes')}</th>` : ''}<th colspan="2"></th></tr>
        <tr class="names">${this.heading('member', t('ensMember'))}${table.inputs.map((c) => this.heading(c, c))}${table.inputs.length ? '' : html`<th></th>`}
          ${table.headlines.map((c) => this.heading(c, c))}${this.heading('status', t('ensStatus'))}${this.heading('problem', t('ensProblem'))}</tr>
      </thead>
      <tbody>${sortMembers(table.rows, this.sort).map((r) => html`<tr class=${r.bad ? 'bad' : ''} data-member=${r.member}>
        <td>${r.member}</td>${table.inputs.map((c) => html`<td>${r.cells[c]}</td>`)}${table.inputs.length ? '' : html`<td></td>`}
        ${table.headlines.map((c) => html`<td>${r.cells[c]}</td>`)}
        <td class="text">${r.bad ? t('ensBad') : t('ensOk')}</td><td class="text problem">${r.problem}</td></tr>`)}</tbody>
    </table></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'members-table': MembersTable }
}
