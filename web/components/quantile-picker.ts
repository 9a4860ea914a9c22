// Which first-failure quantile the map shows (5, 50 or 95 % of the members' first failure times).
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { FAILURE_QUANTILES, type FailureQuantile } from '../../models/ensemble/open-more-products.ts';
import { translate, type Lang } from '../i18n.ts';

@customElement('quantile-picker')
export class QuantilePicker extends LitElement {
  @property() lang: Lang = 'zh-CN';
  @property() quantile: FailureQuantile = 'q50';

  render() {
    const t = (key: string) => translate(this.lang, key);
    return html`<label>${t('ensQuantile')} <select name="ens-quantile" @change=${(e: Event) => this.dispatchEvent(new CustomEvent('ensemble-quantile', { detail: (e.target as HTMLSelectElement).value, bubbles: true, composed: true }))}>
      ${FAILURE_QUANTILES.map((q) => html`<option value=${q} ?selected=${q === this.quantile}>${t(`ensQuantile_${q}`)}</option>`)}</select></label>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'quantile-picker': QuantilePicker }
}
