// Decisions and the after-action record: players' decisions are entered here (time and model state
// are taken by the app), objectives rated P/S/M/U, and the record exported, printed or imported.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RATINGS, standing, type Decision } from '../../models/scenario/aar.ts';
import type { Inject } from '../../models/scenario/injects.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { actionLine, injectTermText } from '../content-text.ts';
import { translate, type Lang } from '../i18n.ts';
import { elapsedText } from '../time-format.ts';

export interface RatingChange { id: string; rating: (typeof RATINGS)[number] | null; notes: string }

@customElement('aar-panel')
export class AarPanel extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.8rem; font-size: 0.85rem; }
    form { display: grid; grid-template-columns: minmax(0, auto) minmax(0, 1fr) auto; gap: 0.4rem; align-items: center; }
    form select, form input { min-width: 0; max-width: 100%; }
    td.withdrawal { overflow-wrap: anywhere; }
    form .action { grid-column: 1 / -1; display: grid; grid-template-columns: auto 1fr; gap: 0.4rem; align-items: start; }
    form textarea { font-family: ui-monospace, monospace; font-size: 0.78rem; min-height: 2.6rem; resize: vertical; }
    .problems { color: #a93226; font-family: ui-monospace, monospace; font-size: 0.78rem; white-space: pre-wrap; margin: 0.3rem 0; }
    .problems strong { font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
    .acts { color: #1a5276; font-size: 0.8rem; }
    td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
    td.state { font-size: 0.78rem; color: #5d6875; white-space: nowrap; }
    .role { color: #5d6875; font-size: 0.8rem; }
    button { white-space: nowrap; }
    input, select, button, textarea { font: inherit; padding: 0.25rem 0.4rem; border: 1px solid #b8c0cc; border-radius: 4px; }
    button { background: #f7f9fb; cursor: pointer; }
    button.primary { background: #1d2430; color: #fff; border-color: #1d2430; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #eef1f4; vertical-align: top; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
    label.file input { display: none; }
    label.file { padding: 0.25rem 0.6rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #f7f9fb; cursor: pointer; }
    .replay.ok { color: #1e8449; font-weight: 600; }
    .replay.bad { color: #a93226; font-weight: 600; }
    h3 { margin: 0 0 0.3rem; font-size: 0.9rem; }
    tr.withdrawn td.what { text-decoration: line-through; color: #7f8b99; }
    tr.withdrawn .acts { color: #7f8b99; }
    td.withdrawal { color: #7f5200; font-size: 0.78rem; }
    .row-actions { display: flex; flex-wrap: wrap; gap: 0.3rem; }
    .row-actions button { font-size: 0.75rem; padding: 0.1rem 0.4rem; }
    form .correcting { grid-column: 1 / -1; font-weight: 600; color: #1a5276; display: flex; gap: 0.5rem; align-items: center; }
  `;

  @property({ attribute: false }) decisions: Decision[] = [];
  @property({ attribute: false }) objectives: string[] = [];
  @property({ attribute: false }) ratings: Map<string, RatingChange> = new Map();
  @property({ attribute: false }) roles: string[] = [];
  /** The MSEL and the region: roles, objectives and places are shown by their names in the UI's language. */
  @property({ attribute: false }) injects: readonly Inject[] = [];
  @property({ attribute: false }) manifest?: RegionManifest;
  /** Outcome of the last replay: undefined, or whether it reproduced the record. */
  @property({ attribute: false }) replay?: { identical: boolean; hash: string };
  @property() lang: Lang = 'zh-CN';
  /** Ready-made engine actions by type, for the action field to start from. */
  @property({ attribute: false }) actionTemplates: Record<string, unknown> = {};
  /** Why the last decision was refused (its action), as the app found it. */
  @property({ attribute: false }) problems: string[] = [];
  /** Why the last import failed (a heading in the UI's language, then the detail), shown beside it. */
  @property({ attribute: false }) importProblem?: { heading: string; detail: string };
  @state() private text = '';
  @state() private actionType = '';
  @state() private actionJson = '';
  @state() private jsonProblem = '';
  /** The decision the form corrects, if any: Record then logs a correction of it. */
  @state() private correcting?: string;
  @state() private draftRole = '';

  private send(name: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private addDecision(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const role = (form.elements.namedItem('role') as HTMLSelectElement).value;
    if (!this.text.trim()) return;
    let action: unknown;
    if (this.actionType) {
      try { action = JSON.parse(this.actionJson); } catch (error) { this.jsonProblem = `${translate(this.lang, 'actionNotJson')}: ${(error as Error).message}`; return; }
    }
    this.jsonProblem = '';
    const detail = { role, text: this.text.trim(), ...(action !== undefined ? { action } : {}), ...(this.correcting ? { corrects: this.correcting } : {}) };
    const sent = new CustomEvent('decision-add', { detail, bubbles: true, composed: true, cancelable: true });
    // A refused decision stays in the form, beside the reason, to be fixed rather than retyped.
    if (!this.dispatchEvent(sent)) return;
    this.reset();
  }

  private reset(): void {
    this.text = '';
    this.actionType = '';
    this.actionJson = '';
    this.jsonProblem = '';
    this.correcting = undefined;
  }

  /** Fills the form with a decision to correct: Record replaces it (it stays in the record, withdrawn). */
  private correct(d: Decision): void {
    this.correcting = d.id;
    this.text = d.text;
    this.draftRole = d.role;
    this.actionType = d.action?.type ?? '';
    this.actionJson = d.action ? JSON.stringify(d.action) : '';
    this.jsonProblem = '';
  }

  private withdraw(d: Decision): void {
    const role = (this.renderRoot.querySelector('select[name=role]') as HTMLSelectElement | null)?.value ?? d.role;
    this.send('decision-withdraw', { id: d.id, by: role });
    if (this.correcting === d.id) this.reset();
  }

  private withdrawalText(d: Decision): string {
    const t = (key: string) => translate(this.lang, key);
    const w = d.withdrawn;
    const corrects = d.corrects ? `${t('corrects')} ${d.corrects}` : '';
    if (!w) return corrects;
    const how = w.replaced_by ? `${t('correctedBy')} ${w.replaced_by}` : t('withdrawnState');
    return [corrects, `${how} · ${elapsedText(w.t_s)} · ${injectTermText(w.by, this.injects, this.lang)}`].filter((x) => x).join(' · ');
  }

  private chooseAction(type: string): void {
    this.actionType = type;
    this.actionJson = type ? JSON.stringify(this.actionTemplates[type] ?? { type }) : '';
  }

  private async onImport(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    input.value = '';
    this.send('aar-import', { text, fileName: file.name });
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    return html`
      <div>
        <h3>${t('decisions')}</h3>
        <form @submit=${this.addDecision}>
          ${this.correcting ? html`<div class="correcting">${t('correctingDecision')} ${this.correcting}
            <button type="button" @click=${() => this.reset()}>${t('cancelCorrection')}</button></div>` : ''}
          <select name="role" aria-label=${t('role')} @change=${(e: Event) => { this.draftRole = (e.target as HTMLSelectElement).value; }}>
            ${this.roles.map((r) => html`<option value=${r} ?selected=${r === this.draftRole}>${injectTermText(r, this.injects, this.lang)}</option>`)}</select>
          <input name="text" .value=${this.text} @input=${(e: Event) => { this.text = (e.target as HTMLInputElement).value; }}
            placeholder=${t('decisionPlaceholder')} aria-label=${t('decision')} />
          <button class="primary" type="submit">${this.correcting ? t('recordCorrection') : t('recordDecision')}</button>
          <div class="action">
            <select name="actionType" aria-label=${t('engineAction')} @change=${(e: Event) => this.chooseAction((e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!this.actionType}>${t('noEngineAction')}</option>
              ${Object.keys(this.actionTemplates).map((type) => html`<option value=${type} ?selected=${this.actionType === type}>${t(`action_${type}`)}</option>`)}
            </select>
            ${this.actionType ? html`<textarea name="action" aria-label=${t('action')} .value=${this.actionJson}
              @input=${(e: Event) => { this.actionJson = (e.target as HTMLTextAreaElement).value; }}></textarea>` : html`<span></span>`}
          </div>
        </form>
        ${this.jsonProblem || this.problems.length ? html`<p class="problems" role="alert"><strong>${t('decisionNotLogged')}</strong>
${[this.jsonProblem, ...this.problems].filter((p) => p).join('\n')}</p>` : ''}
        <table>
          <tbody>${this.decisions.map((d) => html`<tr data-decision=${d.id} class=${standing(d) ? '' : 'withdrawn'}>
            <td class="when">${d.id} · ${elapsedText(d.t_s)}</td>
            <td class="what"><span class="role">${injectTermText(d.role, this.injects, this.lang)}</span> ${d.text}
              ${d.action ? html`<div class="acts">⚙ ${actionLine(d.action, this.lang, this.manifest)}</div>` : ''}</td>
            <td class="state">${d.state ? `${t('red')} ${d.state.items_by_level[4]} · ${d.state.active_warnings} ${t('warningsShort')}` : ''}</td>
            <td class="withdrawal">${this.withdrawalText(d)}${standing(d) ? html`<span class="row-actions">
              <button class="correct" @click=${() => this.correct(d)}>${t('correctDecision')}</button>
              <button class="withdraw" @click=${() => this.withdraw(d)}>${t('withdrawDecision')}</button></span>` : ''}</td></tr>`)}</tbody>
        </table>
      </div>
      <div>
        <h3>${t('objectives')}</h3>
        <table><tbody>${this.objectives.map((id) => {
          const current = this.ratings.get(id);
          return html`<tr><td>${injectTermText(id, this.injects, this.lang)}</td><td>
            <select aria-label=${`${t('rating')} ${injectTermText(id, this.injects, this.lang)}`} @change=${(e: Event) => this.send('rating-change', { id, rating: ((e.target as HTMLSelectElement).value || null), notes: current?.notes ?? '' })}>
              <option value="">—</option>${RATINGS.map((r) => html`<option value=${r} ?selected=${current?.rating === r} title=${t(`rating_${r}`)}>${r} · ${t(`rating_${r}`)}</option>`)}
            </select></td>
            <td><input aria-label=${`${t('notes')} ${injectTermText(id, this.injects, this.lang)}`} .value=${current?.notes ?? ''}
              @change=${(e: Event) => this.send('rating-change', { id, rating: current?.rating ?? null, notes: (e.target as HTMLInputElement).value })} /></td></tr>`;
        })}</tbody></table>
      </div>
      <div class="actions">
        <button @click=${() => this.send('aar-export')}>${t('exportAar')}</button>
        <button @click=${() => this.send('aar-print')}>${t('printAar')}</button>
        <label class="file">${t('importAar')}<input type="file" accept=".json,application/json" @change=${this.onImport} /></label>
        ${this.replay ? html`<span class="replay ${this.replay.identical ? 'ok' : 'bad'}" role="status">
          ${this.replay.identical ? t('replayIdentical') : t('replayDiffers')}</span>` : ''}
      </div>
      ${this.importProblem ? html`<p class="problems import-problem" role="alert"><strong>${this.importProblem.heading}</strong>
${this.importProblem.detail}</p>` : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'aar-panel': AarPanel }
}
