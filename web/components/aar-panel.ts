// Decisions and the after-action record: players' decisions are entered here (time and model state
// are taken by the app), objectives rated P/S/M/U, and the record exported, printed or imported.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RATINGS, RATING_MEANING, type Decision } from '../../models/scenario/aar.ts';
import { translate, type Lang } from '../i18n.ts';
import { elapsedText } from '../time-format.ts';

export interface RatingChange { id: string; rating: (typeof RATINGS)[number] | null; notes: string }

@customElement('aar-panel')
export class AarPanel extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.8rem; font-size: 0.85rem; }
    form { display: grid; grid-template-columns: auto 1fr auto; gap: 0.4rem; align-items: center; }
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
  `;

  @property({ attribute: false }) decisions: Decision[] = [];
  @property({ attribute: false }) objectives: string[] = [];
  @property({ attribute: false }) ratings: Map<string, RatingChange> = new Map();
  @property({ attribute: false }) roles: string[] = [];
  /** Outcome of the last replay: undefined, or whether it reproduced the record. */
  @property({ attribute: false }) replay?: { identical: boolean; hash: string };
  @property() lang: Lang = 'zh-CN';
  @state() private text = '';

  private send(name: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private addDecision(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const role = (form.elements.namedItem('role') as HTMLSelectElement).value;
    if (!this.text.trim()) return;
    this.send('decision-add', { role, text: this.text.trim() });
    this.text = '';
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
          <select name="role" aria-label=${t('role')}>${this.roles.map((r) => html`<option>${r}</option>`)}</select>
          <input name="text" .value=${this.text} @input=${(e: Event) => { this.text = (e.target as HTMLInputElement).value; }}
            placeholder=${t('decisionPlaceholder')} aria-label=${t('decision')} />
          <button class="primary" type="submit">${t('recordDecision')}</button>
        </form>
        <table>
          <tbody>${this.decisions.map((d) => html`<tr><td>${elapsedText(d.t_s)}</td><td>${d.role}</td><td>${d.text}</td>
            <td>${d.state ? `${t('red')} ${d.state.items_by_level[4]} · ${d.state.active_warnings} ${t('warningsShort')}` : ''}</td></tr>`)}</tbody>
        </table>
      </div>
      <div>
        <h3>${t('objectives')}</h3>
        <table><tbody>${this.objectives.map((id) => {
          const current = this.ratings.get(id);
          return html`<tr><td>${id}</td><td>
            <select aria-label=${`${t('rating')} ${id}`} @change=${(e: Event) => this.send('rating-change', { id, rating: ((e.target as HTMLSelectElement).value || null), notes: current?.notes ?? '' })}>
              <option value="">—</option>${RATINGS.map((r) => html`<option value=${r} ?selected=${current?.rating === r} title=${RATING_MEANING[r]}>${r}</option>`)}
            </select></td>
            <td><input aria-label=${`${t('notes')} ${id}`} .value=${current?.notes ?? ''}
              @change=${(e: Event) => this.send('rating-change', { id, rating: current?.rating ?? null, notes: (e.target as HTMLInputElement).value })} /></td></tr>`;
        })}</tbody></table>
      </div>
      <div class="actions">
        <button @click=${() => this.send('aar-export')}>${t('exportAar')}</button>
        <button @click=${() => this.send('aar-print')}>${t('printAar')}</button>
        <label class="file">${t('importAar')}<input type="file" accept=".json,application/json" @change=${this.onImport} /></label>
        ${this.replay ? html`<span class="replay ${this.replay.identical ? 'ok' : 'bad'}" role="status">
          ${this.replay.identical ? t('replayIdentical') : t('replayDiffers')}</span>` : ''}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'aar-panel': AarPanel }
}
