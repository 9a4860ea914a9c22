// A run's model warnings (unstable routing, clamped inputs…) above the run's charts: a notice that
// stays in view while the run is shown, its count in the UI's language, its lines opened on demand.
// The true warnings (the results may be inexact) lead; information (sub-steps that met their
// stability bound…) is folded below them, so a run with only information does not say "inexact".
// The run-wide warnings (outflow below zero) come before the reach-by-reach ones.
// Each line says which model, where (a reach, the scenario field, a region grid) and what, in the
// UI's language by the warning's code (web/model-warning-text.ts). Lines of one code at many places
// are one line that says how many (web/model-warning-groups.ts), each place's own line folded in it
// behind a button (an ensemble's lines excepted: each place carries its own member count).
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { translate, type Lang } from '../i18n.ts';
import { groupKey, groupText, groupWarnings, groupWhereText } from '../model-warning-groups.ts';
import { isInfo, readingOrder, warningText, whereText, type NoticeWarning } from '../model-warning-text.ts';

/** How many of an ensemble's members gave a warning, and the lowest such index (models/ensemble/member-warnings.ts). */
interface MemberCount { members: number; first_member: number }

@customElement('model-warnings-notice')
export class ModelWarningsNotice extends LitElement {
  static styles = css`
    :host { display: block; font-size: 0.82rem; }
    details { border: 1px solid #e0b252; border-left-width: 4px; background: #fff8e6; border-radius: 3px; padding: 0.35rem 0.6rem; margin: 0.4rem 0; }
    details.info { border-color: #a9bccf; background: #f3f6fa; }
    details details.info { margin: 0.5rem 0 0.1rem; }
    summary { cursor: pointer; font-weight: 600; color: #7a4b00; }
    .info > summary { color: #34495e; font-weight: 500; }
    p { margin: 0.3rem 0; color: #556; }
    ol { margin: 0.2rem 0 0; padding-left: 1.2rem; max-height: 14rem; overflow: auto; }
    li { margin: 0.15rem 0; overflow-wrap: anywhere; }
    .model, .where { font-weight: 600; }
    /* The places of a group open from a real button: 32 px high (WCAG 2.5.8 asks 24), a ring when focused from the keyboard. */
    button.places-toggle {
      display: inline-flex; align-items: center; gap: 0.3rem; vertical-align: middle; margin: 0.35rem 0 0.35rem 0.4rem;
      min-height: 2rem; min-width: 2.75rem; padding: 0.15rem 0.65rem; font: inherit; font-size: 0.8rem; font-weight: 600;
      color: #7a4b00; background: #fff; border: 1px solid #d4a548; border-radius: 4px; cursor: pointer;
    }
    .info button.places-toggle { color: #34495e; border-color: #a9bccf; }
    button.places-toggle:hover { background: #fdf0cf; }
    .info button.places-toggle:hover { background: #e6edf5; }
    button.places-toggle:focus-visible { outline: 3px solid #1f5fa8; outline-offset: 2px; }
    button.places-toggle .marker { font-size: 1rem; line-height: 1; }
    ul.places { margin: 0.15rem 0 0.3rem; padding-left: 1rem; font-size: 0.78rem; color: #445; }
  `;

  /** The run's warnings, information among them (`severity: 'info'`); the order within each kind is kept. */
  @property({ attribute: false }) warnings: readonly (NoticeWarning & Partial<MemberCount>)[] = [];
  @property() lang: Lang = 'zh-CN';
  /** Which run the warnings are of, before the count (the what-if tab: its variant's); none for the run on show. */
  @property() label = '';
  /** An ensemble's member count: each line then says in how many members it arose, and the first. */
  @property({ type: Number }) members = 0;
  /** Places an ensemble's manifest left out past its cap. */
  @property({ type: Number }) leftOut = 0;

  /** The groups whose places are open, by their key (groupKey: model, code, severity). */
  @state() private openGroups: ReadonlySet<string> = new Set();

  private toggle(key: string): void {
    const open = new Set(this.openGroups);
    if (!open.delete(key)) open.add(key);
    this.openGroups = open;
  }

  private lines(warnings: readonly (NoticeWarning & Partial<MemberCount>)[], list: 'warnings' | 'info') {
    // Lit sets every value below as text: a reach id or message holding markup shows as written.
    const t = (key: string) => translate(this.lang, key);
    // An ensemble's lines are already one per model, place and code, each with its own member count:
    // they stay one line each rather than hide those counts in a fold.
    const groups = this.members ? warnings.map((w) => ({ model: w.model, code: w.code, warnings: [w] })) : groupWarnings(warnings);
    return html`<ol>${groups.map((g, k) => {
      const head = html`<span class="model">${t(`model_${g.model}`)}</span> · <span class="where">${groupWhereText(g, this.lang)}</span>: ${groupText(g, this.lang)}`;
      if (g.warnings.length === 1) return html`<li data-model=${g.model} data-code=${g.code ?? ''} data-count="1">${head}${this.inMembers(g.warnings[0])}</li>`;
      // Severity is in the key: a group of the warnings and one of the information never share it.
      const key = groupKey(g.warnings[0]);
      const open = this.openGroups.has(key);
      const id = `places-${list}-${k}`;
      // The marker is drawn, not read: the button's name is its words, its state aria-expanded.
      return html`<li class="group" data-model=${g.model} data-code=${g.code ?? ''} data-count=${g.warnings.length}><span class="line">${head}</span><button
          type="button" class="places-toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls=${id} @click=${() => this.toggle(key)}><span class="marker" aria-hidden="true">${open ? '▾' : '▸'}</span>${t('modelWarningGroupPlaces')}</button>
        <ul class="places" id=${id} ?hidden=${!open}>${g.warnings.map((w) => html`<li><span class="where">${whereText(w.where, this.lang)}</span>: ${warningText(w, this.lang)}</li>`)}</ul></li>`;
    })}</ol>`;
  }

  /** The label leads the notice's outer summary only. */
  private labelPrefix(outer: readonly NoticeWarning[]) {
    return this.label && outer.length === 0 ? `${this.label} · ` : '';
  }

  private info(info: readonly NoticeWarning[], warnings: readonly NoticeWarning[]) {
    const t = (key: string) => translate(this.lang, key);
    return info.length === 0 ? '' : html`<details class="info">
      <summary>${this.labelPrefix(warnings)}${t('modelInfoTitle').replace('{n}', String(info.length))}</summary>
      <p>${t('modelInfoNote')}</p>
      ${this.lines(info, 'info')}
    </details>`;
  }

  render() {
    if (this.warnings.length === 0) return html``;
    const t = (key: string) => translate(this.lang, key);
    const warnings = readingOrder(this.warnings.filter((w) => !isInfo(w)));
    const info = this.warnings.filter(isInfo);
    const leftOut = this.leftOut ? html`<p>${t('modelWarningsLeftOut').replace('{n}', String(this.leftOut))}</p>` : '';
    if (warnings.length === 0) return html`<div role="status">${this.info(info, warnings)}${leftOut}</div>`;
    return html`<details role="status" class="warnings">
      <summary>${this.label ? `${this.label} · ` : ''}${t('modelWarningsTitle').replace('{n}', String(warnings.length))}</summary>
      <p>${t(this.members ? 'modelWarningsEnsembleNote' : 'modelWarningsNote')}</p>
      ${this.lines(warnings, 'warnings')}
      ${leftOut}
      ${this.info(info, warnings)}
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
