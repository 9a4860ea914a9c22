// The MSEL as the trainer sees it: every inject with its due time, kind, route and state; deliver a
// manual or held inject, cancel one; import and export the list as CSV. Changes go up as events.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Inject } from '../../models/scenario/injects.ts';
import { translate, type Lang } from '../i18n.ts';
import { elapsedText } from '../time-format.ts';

export interface InjectCommand { command: 'deliver' | 'cancel'; id: string }

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
  `;

  @property({ attribute: false }) injects: Inject[] = [];
  /** Due time of each inject (undefined: waits for a condition or a trainer). */
  @property({ attribute: false }) dueTimes: Map<string, number | undefined> = new Map();
  @property({ attribute: false }) problems: string[] = [];
  @property() lang: Lang = 'zh-CN';

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
            <tr class=${inject.state} data-inject=${inject.id}>
              <td>${inject.sequence}</td>
              <td class="due">${this.due(inject)}</td>
              <td title=${inject.description}>${inject.title}<div class="route">${inject.from} → ${inject.to}</div></td>
              <td class="kind">${t(`kind_${inject.kind}`)}</td>
              <td class="state">${t(`inject_${inject.state}`)}</td>
              <td class="actions">${inject.state === 'scheduled' || inject.state === 'on-hold' ? html`
                <button @click=${() => this.send({ command: 'deliver', id: inject.id })}>${t('deliver')}</button>
                <button @click=${() => this.send({ command: 'cancel', id: inject.id })}>${t('cancel')}</button>` : ''}</td>
            </tr>`)}
        </tbody>
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'inject-list': InjectList }
}
