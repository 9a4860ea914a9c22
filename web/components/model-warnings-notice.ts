// A run's model warnings (unstable routing, clamped inputs…) above the run's charts: a notice that
// stays in view while the run is shown, its count in the UI's language, its lines opened on demand
// (they are the models' own English text, as `sandtable run` prints them on stderr). Each line says
// which model, where (a reach, the scenario field, a region grid) and what.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ModelWarning } from '../../models/scenario/model-warnings.ts';
import { translate, type Lang } from '../i18n.ts';

/** How many of an ensemble's members gave a warning, and the lowest such index (models/ensemble/member-warnings.ts). */
interface MemberCount { members: number; first_member: number }

@customElement('model-warnings-notice')
export class ModelWarningsNotice extends LitElement {
  static styles = css`
    :host { display: block; font-size: 0.82rem; }
    details { border: 1px solid #e0b252; border-left-width: 4px; background: #fff8e6; border-radius: 3px; padding: 0.35rem 0.6rem; margin: 0.4rem 0; }
    summary { cursor: pointer; font-weight: 600; color: #7a4b00; }
    p { margin: 0.3rem 0; color: #556; }
    ol { margin: 0.2rem 0 0; padding-left: 1.2rem; max-height: 14rem; overflow: auto; }
    li { margin: 0.15rem 0; overflow-wrap: anywhere; }
    .model, .where { font-weight: 600; }
  `;

  @property({ attribute: false }) warnings: readonly (ModelWarning & Partial<MemberCount>)[] = [];
  @property() lang: Lang = 'zh-CN';
  /** An ensemble's member count: each line then says in how many members it arose, and the first. */
  @property({ type: Number }) members = 0;
  /** Places an ensemble's manifest left out past its cap. */
  @property({ type: Number }) leftOut = 0;

  render() {
    if (this.warnings.length === 0) return html``;
    const t = (key: string) => translate(this.lang, key);
    // Lit sets every value below as text: a reach id or message holding markup shows as written.
    return html`<details role="status">
      <summary>${t('modelWarningsTitle').replace('{n}', String(this.warnings.length))}</summary>
      <p>${t(this.members ? 'modelWarningsEnsembleNote' : 'modelWarningsNote')}</p>
      <ol>${this.warnings.map((w) => html`<li data-model=${w.model}><span class="model">${t(`model_${w.model}`)}</span> · <span class="where">${w.where}</span>: ${w.what}${this.inMembers(w)}</li>`)}</ol>
      ${this.leftOut ? html`<p>${t('modelWarningsLeftOut').replace('{n}', String(this.leftOut))}</p>` : ''}
    </details>`;
  }

  private inMembers(w: Partial<MemberCount>) {
    if (!this.members || w.members === undefined) return '';
    const text = translate(this.lang, 'modelWarningsInMembers').replace('{n}', String(w.members)).replace('{m}', String(this.members)).replace('{k}', String(w.first_member));
    return html` <span class="members">${text}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'model-warnings-notice': ModelWarningsNotice }
}
