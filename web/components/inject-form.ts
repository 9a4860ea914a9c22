// The MSEL editor: adds a new inject, or edits the one the trainer chose with its Edit button. What
// the form shows is its own draft, started afresh from the inject (or empty) whenever the inject
// changes, so one inject's values never carry into another (issue 17). The app validates a saved
// draft against the whole MSEL and refuses it with preventDefault(); only an accepted draft
// empties the form.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ACTION_TYPES, INJECT_KINDS, type Inject } from '../../models/scenario/injects.ts';
import { translate, type Lang } from '../i18n.ts';

/** An inject as the editor hands it up: the scenario file's form, for the app to validate. */
export interface InjectDraft { editing?: string; inject: Record<string, unknown> }

interface Fields { title: string; title_zh: string; hours: string; kind: string; from: string; to: string; action: string; description: string; description_zh: string }

const EMPTY: Fields = { title: '', title_zh: '', hours: '', kind: 'information', from: '', to: '', action: '', description: '', description_zh: '' };

function fieldsOf(inject: Inject | undefined): Fields {
  if (!inject) return { ...EMPTY };
  return {
    title: inject.title, title_zh: inject.title_zh ?? '', description_zh: inject.description_zh ?? '', hours: inject.trigger.type === 'time' ? String(inject.trigger.t_s / 3600) : '', kind: inject.kind,
    from: inject.from, to: inject.to, action: inject.action ? JSON.stringify(inject.action) : '', description: inject.description,
  };
}

@customElement('inject-form')
export class InjectForm extends LitElement {
  static styles = css`
    :host { display: block; }
    form { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 0.3rem 0.5rem; margin-top: 0.8rem; align-items: center; border-top: 1px solid #e3e7ec; padding-top: 0.6rem; }
    form.editing { border-top: 2px solid #2e86c1; background: #f4f9fd; padding: 0.6rem 0.4rem 0.4rem; }
    input, select, textarea, button { font: inherit; padding: 0.2rem 0.35rem; border: 1px solid #b8c0cc; border-radius: 4px; }
    button { padding: 0.2rem 0.6rem; background: #f7f9fb; cursor: pointer; }
    button[type=submit] { background: #2e86c1; color: #fff; border-color: #2e86c1; }
    textarea { grid-column: 2 / 5; min-height: 2.2rem; }
    .wide { grid-column: 2 / 5; }
    h3 { grid-column: 1 / 5; margin: 0; font-size: 0.9rem; }
    .problems { grid-column: 1 / 5; margin: 0; color: #a93226; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.8rem; }
    .problems strong { font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
  `;

  /** The inject being edited (as the MSEL holds it), or undefined to add a new one. */
  @property({ attribute: false }) inject?: Inject;
  /** Id and sequence a new inject gets: the first free ones. */
  @property() nextId = 'T1';
  @property({ type: Number }) nextSequence = 1;
  @property() lang: Lang = 'zh-CN';
  /** A ready-made model change per action type, for the editor to start from. */
  @property({ attribute: false }) actionTemplates: Record<string, unknown> = {};
  /** Why the last draft was refused (the engine's messages, by JSON path). */
  @property({ attribute: false }) problems: string[] = [];
  @state() private fields: Fields = { ...EMPTY };
  @state() private template = '';
  /** The draft in the form is the one the app refused: its problems are about it. */
  @state() private refused = false;
  /** Texts changed in one language while their twin in the other kept the old words. */
  @state() private staleTwins: string[] = [];

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('inject')) this.reset();
  }

  /** Empties the form, or fills it from the inject being edited. */
  reset(): void {
    this.fields = fieldsOf(this.inject);
    this.template = '';
    this.refused = false;
    this.staleTwins = [];
  }

  private set(name: keyof Fields) {
    return (event: Event) => { this.fields = { ...this.fields, [name]: (event.target as HTMLInputElement).value }; };
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const f = this.fields;
    const current = this.inject;
    return html`<form class=${current ? 'editing' : ''} @submit=${this.onSave}>
      <h3>${current ? `${t('editInject')} ${current.id}` : t('addInject')}</h3>
      ${this.twin('title', 'title_zh')}
      <label for="hours">${t('atHours')}</label><input id="hours" name="hours" type="number" min="0" step="0.25" .value=${live(f.hours)} @input=${this.set('hours')} placeholder=${t('manual')} />
      <label for="kind">${t('kind')}</label><select id="kind" name="kind" .value=${live(f.kind)} @change=${this.set('kind')}>
        ${INJECT_KINDS.map((k) => html`<option value=${k} ?selected=${f.kind === k}>${t(`kind_${k}`)}</option>`)}</select>
      <label for="from">${t('from')}</label><input id="from" name="from" .value=${live(f.from)} @input=${this.set('from')} />
      <label for="to">${t('to')}</label><input id="to" name="to" .value=${live(f.to)} @input=${this.set('to')} />
      <label for="actionType">${t('actionTemplate')}</label><select id="actionType" class="wide" .value=${live(this.template)} @change=${this.onTemplate}>
        <option value="">—</option>
        ${ACTION_TYPES.filter((type) => type in this.actionTemplates).map((type) => html`<option value=${type}>${t(`action_${type}`)}</option>`)}
      </select>
      <label for="action">${t('action')}</label><textarea id="action" name="action" placeholder=${`{"type": "${ACTION_TYPES[0]}", "factor": 1.5, "duration_s": 10800}`}
        .value=${live(f.action)} @input=${this.set('action')}></textarea>
      ${this.twin('description', 'description_zh')}
      ${this.staleTwins.length ? html`<p class="problems" role="alert"><strong>${t('notSaved')}</strong>
${this.staleTwins.join('\n')}</p>` : this.refused && this.problems.length ? html`<p class="problems" role="alert"><strong>${t('notSaved')}</strong>
${this.problems.join('\n')}</p>` : ''}
      <span></span><span class="wide"><button type="submit">${current ? t('save') : t('add')}</button>
        ${current ? html`<button type="button" @click=${this.leave}>${t('newInject')}</button>` : ''}</span>
    </form>`;
  }

  /**
   * A text and its Chinese twin, each labelled by its language, the one in the UI's language first:
   * the trainer edits the words the console shows, and sees the other beside it.
   */
  private twin(en: 'title' | 'description', zh: 'title_zh' | 'description_zh') {
    const t = (key: string) => translate(this.lang, key);
    const stale = (name: string) => this.staleTwins.length > 0 && this.staleField.includes(name);
    const field = (name: typeof en | typeof zh) => {
      const label = t(`${en}${name === zh ? 'Zh' : 'En'}`);
      const common = { value: this.fields[name], input: this.set(name) };
      return en === 'title'
        ? html`<label for=${name}>${label}</label><input id=${name} name=${name} lang=${name === zh ? 'zh-CN' : 'en'} ?required=${name === en} class="wide" aria-invalid=${stale(name) ? 'true' : 'false'} .value=${live(common.value)} @input=${common.input} />`
        : html`<label for=${name}>${label}</label><textarea id=${name} name=${name} lang=${name === zh ? 'zh-CN' : 'en'} aria-invalid=${stale(name) ? 'true' : 'false'} .value=${live(common.value)} @input=${common.input}></textarea>`;
    };
    return this.lang === 'zh-CN' ? html`${field(zh)}${field(en)}` : html`${field(en)}${field(zh)}`;
  }

  /** The fields whose twin was changed without them, at the last refused save. */
  private staleField: string[] = [];

  /**
   * A text changed in one language while its twin kept the words it had would leave the other
   * language's players reading the old inject: the trainer changes both, or empties the Chinese.
   */
  private staleTwinsOf(f: Fields, current: Inject | undefined): { fields: string[]; messages: string[] } {
    const fields: string[] = [];
    const messages: string[] = [];
    if (!current) return { fields, messages };
    const t = (key: string) => translate(this.lang, key);
    for (const [en, zh] of [['title', 'title_zh'], ['description', 'description_zh']] as const) {
      const enChanged = f[en] !== current[en].trim();
      const zhBefore = (current[zh] ?? '').trim();
      const zhChanged = f[zh] !== zhBefore;
      const name = (key: string) => t(`${en}${key}`);
      if (enChanged && !zhChanged && zhBefore) { fields.push(zh); messages.push(t('staleTwin').replace('{changed}', name('En')).replace('{stale}', name('Zh'))); }
      if (zhChanged && !enChanged && f[zh]) { fields.push(en); messages.push(t('staleTwin').replace('{changed}', name('Zh')).replace('{stale}', name('En'))); }
    }
    return { fields, messages };
  }

  /** A chosen action type fills the action with its template and makes the inject a model change. */
  private onTemplate(event: Event): void {
    this.template = (event.target as HTMLSelectElement).value;
    if (!this.template) return;
    this.fields = { ...this.fields, action: JSON.stringify(this.actionTemplates[this.template]), kind: 'model-change' };
  }

  /** Back to adding: the list drops the edited inject, which empties the form. */
  private leave(): void {
    this.dispatchEvent(new CustomEvent('edit-end'));
  }

  private onSave(event: Event): void {
    event.preventDefault();
    // What the trainer sees is what is saved: the fields as they stand in the form.
    const form = event.target as HTMLFormElement;
    const value = (name: keyof Fields) => (form.elements.namedItem(name) as HTMLInputElement).value;
    this.fields = Object.fromEntries(Object.keys(EMPTY).map((k) => [k, value(k as keyof Fields)])) as unknown as Fields;
    const f = Object.fromEntries(Object.entries(this.fields).map(([k, v]) => [k, v.trim()])) as unknown as Fields;
    const current = this.inject;
    const stale = this.staleTwinsOf(f, current);
    this.staleField = stale.fields;
    this.staleTwins = stale.messages;
    if (stale.messages.length) return;
    let action: unknown;
    if (f.action) {
      try { action = JSON.parse(f.action); } catch { action = f.action; }
    }
    const inject: Record<string, unknown> = {
      id: current?.id ?? this.nextId, sequence: current?.sequence ?? this.nextSequence,
      trigger: triggerOf(f.hours, current), title: f.title, kind: f.kind, from: f.from, to: f.to, description: f.description,
      expected_action: current?.expected_action ?? '', objective: current?.objective ?? '',
      // The Chinese texts the form shows are saved as written; those it does not show stay with
      // their English twin while that is unchanged.
      ...zhOf(f, current),
      state: stateOf(f.hours, current),
      ...(action !== undefined ? { action } : {}),
    };
    const accepted = this.dispatchEvent(new CustomEvent<InjectDraft>('inject-save', {
      detail: { editing: current?.id, inject }, bubbles: true, composed: true, cancelable: true,
    }));
    this.refused = !accepted;
    if (!accepted) return;
    if (current) this.leave();
    else this.reset();
  }
}

function zhOf(f: Fields, current: Inject | undefined): Record<string, string> {
  const zh: Record<string, string> = {};
  if (f.title_zh) zh.title_zh = f.title_zh;
  if (f.description_zh) zh.description_zh = f.description_zh;
  if (current) {
    const kept: [keyof Fields | 'expected_action' | 'objective', keyof Inject][] = [['from', 'from_zh'], ['to', 'to_zh']];
    for (const [field, twin] of kept) if (current[twin] && (f as unknown as Record<string, string>)[field] === current[field as keyof Inject]) zh[twin] = current[twin] as string;
    if (current.expected_action_zh) zh.expected_action_zh = current.expected_action_zh;
    if (current.objective_zh) zh.objective_zh = current.objective_zh;
  }
  return zh;
}

/** A time given is a time trigger; none keeps a condition, chain or manual trigger as it was. */
function triggerOf(hours: string, current: Inject | undefined): unknown {
  if (hours !== '') return { type: 'time', t_s: Number(hours) * 3600 };
  return current && current.trigger.type !== 'time' ? current.trigger : { type: 'manual' };
}

/**
 * A new inject without a time waits on hold for the trainer; one given a time is scheduled. An
 * edited inject keeps its hold unless the trainer gives a manual one a time: it then goes out at
 * that time, as the form shows. Delivered and cancelled are what the trainer did during the run,
 * not the file's, so an edited one is scheduled again.
 */
function stateOf(hours: string, current: Inject | undefined): string {
  const kept = current?.state === 'on-hold' ? 'on-hold' : 'scheduled';
  if (hours === '') return current && current.trigger.type !== 'time' ? kept : 'on-hold';
  return current?.trigger.type === 'time' ? kept : 'scheduled';
}

declare global {
  interface HTMLElementTagNameMap { 'inject-form': InjectForm }
}
