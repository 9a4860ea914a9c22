// The MSEL as the trainer sees it: every inject with its due time, kind, route and state; deliver a
// manual or held inject, cancel one, edit one; import and export the list as CSV. Changes go up as
// events. Delivering and cancelling never touch the editor: only the Edit button opens an inject
// in it (issue 17: a Deliver click that also selected the row turned the next Add into an edit).
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import type { Inject } from '../../models/scenario/injects.ts';
import { injectText } from '../content-text.ts';
import { translate, type Lang } from '../i18n.ts';
import { elapsedText } from '../time-format.ts';
import './inject-form.ts';

export interface InjectCommand { command: 'deliver' | 'cancel'; id: string }

export type { InjectDraft } from './inject-form.ts';

@customElement('inject-list')
export class InjectList extends LitElement {
  static styles = css`
    :host { display: block; font-size: 0.85rem; }
    .bar { display: flex; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
    h2 { font-size: 1rem; margin: 0 auto 0 0; }
    button, label.file { font: inherit; padding: 0.2rem 0.6rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #f7f9fb; cursor: pointer; }
    label.file input { display: none; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.3rem 0.4rem; border-bottom: 1px solid #e3e7ec; vertical-align: top; }
    th { color: #556; font-weight: 600; }
    tr.delivered { background: #eef7ee; }
    tr.cancelled { color: #889; text-decoration: line-through; }
    .state, .due { white-space: nowrap; }
    .kind { word-break: keep-all; }
    .actions div { display: flex; flex-wrap: wrap; gap: 0.2rem; justify-content: flex-end; min-width: 8.8rem; max-width: 10rem; }
    .actions button { font-size: 0.8rem; padding: 0.1rem 0.45rem; white-space: nowrap; }
    .route { color: #667; font-size: 0.8rem; }
    .bar { flex-wrap: wrap; }
    .problems { color: #a93226; white-space: pre-wrap; font-family: ui-monospace, monospace; }
    tr.editing { outline: 2px solid #2e86c1; outline-offset: -2px; }
    .actions button.edit { color: #1f618d; background: #fff; }
  `;

  /** The injects as they stand at the clock (states derived from time and the trainer's actions). */
  @property({ attribute: false }) injects: Inject[] = [];
  /** The MSEL as written (file, imports, edits): what the editor edits. */
  @property({ attribute: false }) msel: Inject[] = [];
  /** Due time of each inject (undefined: waits for a condition or a trainer). */
  @property({ attribute: false }) dueTimes: Map<string, number | undefined> = new Map();
  /** When the run will fire a condition inject that has not fired yet at the clock. */
  @property({ attribute: false }) expected: Map<string, number> = new Map();
  /** Why the last CSV import was refused. */
  @property({ attribute: false }) problems: string[] = [];
  /** Why the editor's last draft was refused: shown in the editor. */
  @property({ attribute: false }) formProblems: string[] = [];
  @property() lang: Lang = 'zh-CN';
  /** A ready-made model change per action type, for the editor to start from. */
  @property({ attribute: false }) actionTemplates: Record<string, unknown> = {};
  /** The inject in the editor, as the MSEL holds it; undefined when adding a new one. */
  @state() private editing?: Inject;

  protected willUpdate(changed: PropertyValues<this>): void {
    // An MSEL replaced under the editor (an import, another scenario) ends the edit: its inject is gone.
    if (changed.has('msel') && this.editing && !this.msel.includes(this.editing)) this.editing = undefined;
  }

  private send(detail: InjectCommand): void {
    this.dispatchEvent(new CustomEvent<InjectCommand>('inject-command', { detail, bubbles: true, composed: true }));
  }

  private async onImport(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    input.value = '';
    this.dispatchEvent(new CustomEvent('msel-import', { detail: { text, fileName: file.name }, bubbles: true, composed: true }));
  }

  private due(inject: Inject): string {
    const t = this.dueTimes.get(inject.id);
    if (t !== undefined) return elapsedText(t);
    if (inject.trigger.type !== 'condition') return translate(this.lang, 'manual');
    const expected = this.expected.get(inject.id);
    return `${translate(this.lang, 'onCondition')}${expected === undefined ? '' : ` · ${translate(this.lang, 'expectedAt')} ${elapsedText(expected)}`}`;
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const sorted = [...this.injects].sort((a, b) => a.sequence - b.sequence);
    return html`
      <div class="bar">
        <h2>${t('injects')}</h2>
        <label class="file">${t('importCsv')}<input type="file" accept=".csv,text/csv" @change=${this.onImport} /></label>
        <button @click=${() => this.dispatchEvent(new CustomEvent('msel-export', { bubbles: true, composed: true }))}>${t('exportCsv')}</button>
      </div>
      ${this.problems.length ? html`<p class="problems" role="alert">${t('csvProblems')}:\n${this.problems.join('\n')}</p>` : ''}
      <table>
        <thead><tr><th>#</th><th>${t('due')}</th><th>${t('title')}</th><th>${t('kind')}</th><th>${t('state')}</th><th></th></tr></thead>
        <tbody>
          ${sorted.map((inject) => html`
            <tr class="${inject.state} ${inject.id === this.editing?.id ? 'editing' : ''}" data-inject=${inject.id}>
              <td>${inject.sequence}</td>
              <td class="due">${this.due(inject)}</td>
              <td title=${injectText(inject, 'description', this.lang)}>${injectText(inject, 'title', this.lang)}${inject.from || inject.to ? html`<div class="route">${injectText(inject, 'from', this.lang)} → ${injectText(inject, 'to', this.lang)}</div>` : ''}</td>
              <td class="kind">${t(`kind_${inject.kind}`)}</td>
              <td class="state">${t(`inject_${inject.state}`)}</td>
              <td class="actions">${inject.state === 'scheduled' || inject.state === 'on-hold' ? html`<div>
                <button @click=${() => this.send({ command: 'deliver', id: inject.id })}>${t('deliver')}</button>
                <button @click=${() => this.send({ command: 'cancel', id: inject.id })}>${t('cancel')}</button>
                <button class="edit" @click=${() => this.edit(inject.id)}>${t('edit')}</button></div>` : ''}</td>
            </tr>`)}
        </tbody>
      </table>
      <inject-form .inject=${this.editing} nextId=${this.freeId()} .nextSequence=${Math.max(0, ...this.msel.map((i) => i.sequence)) + 1}
        lang=${this.lang} .actionTemplates=${this.actionTemplates} .problems=${this.formProblems} @edit-end=${() => { this.editing = undefined; }}></inject-form>`;
  }

  /** Opens an inject in the editor below the table, and brings the editor into view. */
  private async edit(id: string): Promise<void> {
    this.editing = this.msel.find((i) => i.id === id);
    await this.updateComplete;
    this.renderRoot.querySelector('inject-form')?.scrollIntoView({ block: 'nearest' });
  }

  /** The first T<n> no inject uses. */
  private freeId(): string {
    const used = new Set(this.msel.map((i) => i.id));
    let n = this.msel.length + 1;
    while (used.has(`T${n}`)) n++;
    return `T${n}`;
  }

}

declare global {
  interface HTMLElementTagNameMap { 'inject-list': InjectList }
}
