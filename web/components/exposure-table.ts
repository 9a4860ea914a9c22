// People exposed over the members: 5 / 50 / 95 % of each headline exposure_quantiles.csv gives,
// people under each warning level, flooded and burned first.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ExposureRow } from '../../models/ensemble/open-more-products.ts';
import { translate, type Lang } from '../i18n.ts';
import { levelName } from '../levels.ts';

@customElement('exposure-table')
export class ExposureTable extends LitElement {
  static styles = css`
    :host { display: block; font-size: 13px; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.15rem 0.4rem; border-bottom: 1px solid #e3e6ea; }
    td { text-align: right; }
    th[scope=row] { text-align: left; font-weight: normal; }
    thead th { text-align: right; font-weight: 600; }
    thead th:first-child { text-align: left; }
  `;

  @property() lang: Lang = 'zh-CN';
  @property({ attribute: false }) rows: ExposureRow[] = [];

  private label(metric: string): string {
    const level = /^people_level_(\d)_peak$/.exec(metric);
    if (level) return translate(this.lang, 'ensExpLevel').replace('{level}', levelName(this.lang, Number(level[1])));
    return translate(this.lang, `ensExp_${metric}`);
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const number = (v: number) => v.toLocaleString(this.lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 3 });
    return html`<table aria-label=${t('ensExposure')}>
      <thead><tr><th scope="col">${t('ensExpMetric')}</th><th scope="col">5 %</th><th scope="col">50 %</th><th scope="col">95 %</th></tr></thead>
      <tbody>${this.rows.map((r) => html`<tr data-metric=${r.metric}><th scope="row">${this.label(r.metric)}</th>
        <td>${number(r.q05)}</td><td>${number(r.q50)}</td><td>${number(r.q95)}</td></tr>`)}</tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'exposure-table': ExposureTable }
}
