// The MSEL as the trainer sees it: every inject with its due time, kind, route and state; deliver a
// manual or held inject, cancel one; import and export the list as CSV. Changes go up as events.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ACTION_TYPES, INJECT_KINDS, type Inject } from '../../models/scenario/injects.ts';
import { translate, type Lang } from '../i18n.ts';
import { elapsedText } from '../time-format.ts';

export interface InjectCommand { command: 'deliver' | 'cancel'; id: string }

/** An inject as the editor hands it up: the scenario file's form, for the app to validate. */
export interface InjectDraft { editing?: string; inject: Record<string, unknown> }

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
    .state, .kind, .due, .actions { white-space: nowrap; }
    .actions button { margin-left: 0.2rem; }
    .route { color: #667; font-size: 0.8rem; }
    .bar { flex-wrap: wrap; }
    .problems { color: #a93226; white-space: pre-wrap; font-family: ui-monospace, monospace; }
    form { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 0.3rem 0.5rem; margin-top: 0.8rem; align-items: center; border-top: 1px solid #e3e7ec; padding-top: 0.6rem; }
    form input, form select, form textarea { font: inherit; padding: 0.2rem 0.35rem; border: 1px solid #b8c0cc; border-radius: 4px; }
    form textarea { grid-column: 2 / 5; min-height: 2.2rem; }
    form .wide { grid-column: 2 / 5; }
    form h3 { grid-column: 1 / 5; margin: 0; font-size: 0.9rem; }
    tr.editing { outline: 2px solid #2e86c1; outline-offset: -2px; }
    tbody tr { cursor: pointer; }
  `;

  @property({ attribute: false }) injects: Inject[] = [];
  /** Due time of each inject (undefined: waits for a condition or a trainer). */
  @property({ attribute: false }) dueTimes: Map<string, number | undefined> = new Map();
  @property({ attribute: false }) problems: string[] = [];
  @property() lang: Lang = 'zh-CN';
  /** A ready-made model change per action type, for the editor to start from. */
  @property({ attribute: false }) actionTemplates: Record<string, unknown> = {};
  /** Id of the inject in the editor, or undefined when adding a new one. */
  @state() private editing?: string;

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
    return translate(this.lang, inject.trigger.type === 'condition' ? 'onCondition' : 'manual');
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
            <tr class="${inject.state} ${inject.id === this.editing ? 'editing' : ''}" data-inject=${inject.id} @click=${() => { this.editing = inject.id; }}>
              <td>${inject.sequence}</td>
              <td class="due">${this.due(inject)}</td>
              <td title=${inject.description}>${inject.title}${inject.from || inject.to ? html`<div class="route">${inject.from} → ${inject.to}</div>` : ''}</td>
              <td class="kind">${t(`kind_${inject.kind}`)}</td>
              <td class="state">${t(`inject_${inject.state}`)}</td>
              <td class="actions">${inject.state === 'scheduled' || inject.state === 'on-hold' ? html`
                <button @click=${() => this.send({ command: 'deliver', id: inject.id })}>${t('deliver')}</button>
                <button @click=${() => this.send({ command: 'cancel', id: inject.id })}>${t('cancel')}</button>` : ''}</td>
            </tr>`)}
        </tbody>
      </table>
      ${this.renderEditor(sorted)}`;
  }

  private renderEditor(sorted: Inject[]) {
    const t = (key: string) => translate(this.lang, key);
    const current = this.injects.find((i) => i.id === this.editing);
    const time = current?.trigger.type === 'time' ? String(current.trigger.t_s / 3600) : '';
    const nextId = `T${sorted.length + 1}`;
    return html`<form @submit=${this.onSave}>
      <h3>${current ? `${t('editInject')} ${current.id}` : t('addInject')}</h3>
      <label for="title">${t('title')}</label><input id="title" name="title" required class="wide" .value=${current?.title ?? ''} />
      <label for="hours">${t('atHours')}</label><input id="hours" name="hours" type="number" min="0" step="0.25" .value=${time} placeholder=${t('manual')} />
      <label for="kind">${t('kind')}</label><select id="kind" name="kind">${INJECT_KINDS.map((k) => html`<option value=${k} ?selected=${(current?.kind ?? 'information') === k}>${t(`kind_${k}`)}</option>`)}</select>
      <label for="from">${t('from')}</label><input id="from" name="from" .value=${current?.from ?? ''} />
      <label for="to">${t('to')}</label><input id="to" name="to" .value=${current?.to ?? ''} />
      <label for="actionType">${t('actionTemplate')}</label><select id="actionType" class="wide" @change=${this.onTemplate}>
        <option value="">—</option>
        ${ACTION_TYPES.filter((type) => type in this.actionTemplates).map((type) => html`<option value=${type} ?selected=${current?.action?.type === type}>${t(`action_${type}`)}</option>`)}
      </select>
      <label for="action">${t('action')}</label><textarea id="action" name="action" placeholder=${`{"type": "${ACTION_TYPES[0]}", "factor": 1.5, "duration_s": 10800}`}
        .value=${current?.action ? JSON.stringify(current.action) : ''}></textarea>
      <label for="description">${t('description')}</label><textarea id="description" name="description" .value=${current?.description ?? ''}></textarea>
      <span></span><span class="wide"><button type="submit">${current ? t('save') : t('add')}</button>
        ${current ? html`<button type="button" @click=${() => { this.editing = undefined; }}>${t('newInject')}</button>` : ''}
        <input type="hidden" name="id" .value=${current?.id ?? nextId} /></span>
    </form>`;
  }

  /** A chosen action type fills the action with its template and makes the inject a model change. */
  private onTemplate(event: Event): void {
    const type = (event.target as HTMLSelectElement).value;
    const form = (event.target as HTMLElement).closest('form')!;
    if (!type) return;
    (form.elements.namedItem('action') as HTMLTextAreaElement).value = JSON.stringify(this.actionTemplates[type]);
    (form.elements.namedItem('kind') as HTMLSelectElement).value = 'model-change';
  }

  private onSave(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const current = this.injects.find((i) => i.id === this.editing);
    let action: unknown;
    if (field('action')) {
      try { action = JSON.parse(field('action')); } catch { action = field('action'); }
    }
    const hours = field('hours');
    const inject: Record<string, unknown> = {
      id: field('id'), sequence: current?.sequence ?? this.injects.length + 1,
      trigger: hours === '' ? (current && current.trigger.type !== 'time' ? current.trigger : { type: 'manual' }) : { type: 'time', t_s: Number(hours) * 3600 },
      title: field('title'), kind: field('kind'), from: field('from'), to: field('to'), description: field('description'),
      expected_action: current?.expected_action ?? '', objective: current?.objective ?? '',
      state: current?.state === 'delivered' || current?.state === 'cancelled' ? 'scheduled' : current?.state ?? (hours === '' ? 'on-hold' : 'scheduled'),
      ...(action !== undefined ? { action } : {}),
    };
    this.dispatchEvent(new CustomEvent<InjectDraft>('inject-save', { detail: { editing: current?.id, inject }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap { 'inject-list': InjectList }
}
