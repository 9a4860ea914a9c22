// The record tab's view of what the after-action record holds of the run: the region, the forecast
// against observed gauges, the run's own curves (the charts the printed report draws) and every
// note of curves the record leaves out, and each run's model warnings grouped as the notice groups them. The facts come read (web/aar-facts.ts), the same ones the
// printed report prints, so the tab and the paper never disagree.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { AarFacts } from '../aar-facts.ts';
import type { RunWarnings } from '../aar-model-warnings.ts';
import { translate, type Lang } from '../i18n.ts';

@customElement('aar-record')
export class AarRecord extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.4rem; font-size: 0.85rem; }
    h3 { margin: 0; font-size: 0.9rem; }
    h4 { margin: 0.3rem 0 0; font-size: 0.85rem; }
    p { margin: 0; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #eef1f4; font-variant-numeric: tabular-nums; }
    /* Scores and times stay whole ("-4.0 h", not "h" on a line of its own). */
    td + td + td { white-space: nowrap; }
    /* The charts keep their drawn proportions and shrink with the column (never cut at 1024 px). */
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.4rem 0.8rem; }
    .charts svg { width: 100%; max-width: 22rem; height: auto; }
    ul { margin: 0; padding-left: 1.1rem; }
    .model-warnings .run { font-weight: 600; margin-top: 0.2rem; }
    .model-warnings li { overflow-wrap: anywhere; }
    .model-warnings summary { cursor: pointer; }
    .model-warnings .places { font-size: 0.8rem; color: #445; }
    .curves-omitted { padding: 0.2rem 0.4rem; border-left: 3px solid #b9770e; background: #fef5e7; color: #6e4a0c; list-style: none; margin-left: -1.1rem; margin-top: 0.2rem; }
  `;

  /** The record's facts in the UI's language (undefined before the run is computed). */
  @property({ attribute: false }) facts?: AarFacts;
  @property() lang: Lang = 'zh-CN';

  render() {
    const f = this.facts;
    if (!f) return '';
    const t = (key: string) => translate(this.lang, key);
    return html`<h3>${t('report_recordHolds')}</h3>
      ${f.region ? html`<p class="region">${f.region}</p>` : ''}
      ${f.observed ? html`<h4>${t('report_observed')}</h4><table class="observed"><thead><tr>${f.observed.head.map((h) => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${f.observed.rows.map((r) => html`<tr>${r.map((x) => html`<td>${x}</td>`)}</tr>`)}</tbody></table>` : ''}
      ${f.runCharts ? html`<div class="charts run-charts">${unsafeHTML(f.runCharts)}</div>` : ''}
      ${f.leftOut.length ? html`<h4>${t('report_leftOut')}</h4>
        <ul class="left-out">${f.leftOut.map((n) => html`<li class="curves-omitted">${n.text}</li>`)}</ul>` : ''}
      ${f.modelWarnings.length ? html`<h4>${t('report_modelWarnings')}</h4><div class="model-warnings">${f.modelWarnings.map((r) => this.run(r))}</div>` : ''}`;
  }

  /** A run's lines; a line of many places opens on its places, each with its own numbers. Lit sets all as text. */
  private run(r: RunWarnings) {
    return html`<p class="run">${r.run}</p><ul>${r.lines.map((l) => {
      const head = `${l.kind} · ${l.model} · ${l.where}: ${l.text}`;
      return l.places ? html`<li data-places=${l.places.length}><details><summary>${head}</summary>
        <ul class="places">${l.places.map((p) => html`<li>${p.where}: ${p.text}</li>`)}</ul></details></li>` : html`<li>${head}</li>`;
    })}${r.leftOut ? html`<li class="left-out">${r.leftOut}</li>` : ''}</ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'aar-record': AarRecord }
}
