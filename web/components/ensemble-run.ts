// The ensemble tab's run controls: members, Run and Cancel, the cap beside them, how far the run
// is (a progressbar whose value text a screen reader reads on demand) and a polite status that
// speaks only at the start, each quarter and the end; then the members the run left out, each
// with its index (members.csv's `member`) and reason. Choices go up as events.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BadMember, PoolProgress } from '../ensemble-pool.ts';
import { progressFigures, progressLine } from '../ensemble-progress.ts';
import { translate, type Lang } from '../i18n.ts';

@customElement('ensemble-run-controls')
export class EnsembleRunControls extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.4rem; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    input[type=number] { width: 4.5rem; }
    button { padding: 0.3rem 0.8rem; }
    progress { width: 100%; height: 0.9rem; }
    p { margin: 0; }
    .note, .figures { font-size: 12px; color: #556; font-variant-numeric: tabular-nums; }
    .status { color: #1b4f72; }
    details { border: 1px solid #e6b0aa; border-radius: 6px; padding: 0.3rem 0.6rem; background: #fdf2f1; }
    summary { color: #7b241c; cursor: pointer; }
    ul { margin: 0.2rem 0 0; padding-left: 1.2rem; max-height: 9rem; overflow: auto; font-size: 12px; }
    li { overflow-wrap: anywhere; }
  `;

  @property() lang: Lang = 'zh-CN';
  @property({ type: Number }) cap = 50;
  @property({ type: Number }) workers = 1;
  @property({ type: Number }) maxWorkers = 4;
  @property({ type: Number }) cores = 1;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) progress?: PoolProgress;
  /** The last thing worth announcing: started, a quarter done, finished, cancelled. */
  @property() status = '';
  @property({ attribute: false }) bad: BadMember[] = [];

  /** Redraws the elapsed and remaining times between members: this element only, not the app. */
  private ticker?: ReturnType<typeof setInterval>;

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  protected updated(changed: Map<string, unknown>): void {
    if (this.progress && !this.ticker) this.ticker = setInterval(() => this.requestUpdate(), 1000);
    if (!this.progress && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    // Cancel turns disabled when the run stops: keyboard focus goes on to Run rather than to the page.
    if (changed.get('running') === true && !this.running && this.renderRoot.querySelector('button.cancel:focus')) {
      (this.renderRoot.querySelector('button.run') as HTMLButtonElement).focus();
    }
  }

  private send(name: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const f = this.progress && progressFigures(this.progress, performance.now());
    const cap = t('ensCap').replace('{cap}', String(this.cap)).replace('{workers}', String(this.workers)).replace('{cores}', String(this.cores)).replace('{max}', String(this.maxWorkers));
    return html`
      <form class="row" @submit=${(e: Event) => { e.preventDefault(); this.send('ensemble-run', { members: Number((this.renderRoot.querySelector('input[name=members]') as HTMLInputElement).value) }); }}>
        <label>${t('ensMembers')} <input name="members" type="number" min="1" max=${this.cap} value="10" required aria-describedby="cap"></label>
        <button type="submit" class="run" ?disabled=${this.running}>${t('ensRun')}</button>
        <button type="button" class="cancel" ?disabled=${!this.running} @click=${() => this.send('ensemble-cancel')}>${t('ensCancel')}</button>
      </form>
      <p class="note" id="cap">${cap}</p>
      ${f ? html`<progress max=${f.total} .value=${f.done} aria-label=${t('ensProgressLabel')} aria-valuetext=${progressLine(this.lang, f)}></progress>
        <p class="figures">${progressLine(this.lang, f)}</p>` : ''}
      <p class="status" role="status">${this.status}</p>
      ${this.bad.length ? html`<details open><summary>${t('ensBadMembers')}: ${this.bad.length}</summary>
        <ul>${this.bad.map((b) => html`<li>${t('ensBadMember').replace('{index}', String(b.index)).replace('{problem}', () => b.problem)}</li>`)}</ul></details>` : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'ensemble-run-controls': EnsembleRunControls }
}
