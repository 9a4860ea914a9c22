// The header's region control: which region is open, and opening another from a folder, a .zip or
// a scenario .json (file pickers, or a drop anywhere on the page). What could not be opened is
// shown here in the UI's language, file and field first; the region open before stays on the map.
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { describeValue, InputError } from '../../models/errors.ts';
import { translate, type Lang } from '../i18n.ts';
import { filesFromDrop, filesFromInput } from '../region-files.ts';
import { regionMessage } from '../region-messages.ts';
import type { RegionSource } from '../region-source.ts';
import './region-build-dialog.ts';

@customElement('region-picker')
export class RegionPicker extends LitElement {
  static styles = css`
    :host { display: flex; align-items: center; gap: 0.4rem; font-size: 0.8rem; position: relative; }
    details { position: relative; }
    summary { list-style: none; border: 1px solid #6b7a90; border-radius: 4px; padding: 0.15rem 0.45rem; cursor: pointer; white-space: nowrap; }
    summary::after { content: ' ▾'; }
    .menu { position: absolute; top: calc(100% + 0.4rem); left: 0; z-index: 25; display: grid; gap: 0.35rem; min-width: 14rem; padding: 0.6rem; background: #1d2430; border-radius: 6px; box-shadow: 0 4px 18px #0006; }
    .menu small { opacity: 0.75; white-space: normal; }
    .name { white-space: nowrap; opacity: 0.9; }
    label, button { border: 1px solid #6b7a90; border-radius: 4px; padding: 0.15rem 0.45rem; background: transparent; color: inherit; cursor: pointer; white-space: nowrap; font: inherit; }
    label:hover, button:hover { background: #2e3a4d; }
    input { display: none; }
    .box { position: fixed; top: 3.2rem; right: 1rem; z-index: 20; max-width: 40rem; background: #fff; color: #1d2430; border-radius: 6px; padding: 0.6rem 0.8rem; box-shadow: 0 4px 18px #0004; font-size: 0.85rem; }
    .box.problem { border-left: 5px solid #c0392b; }
    .box.notice { border-left: 5px solid #2f6fb0; }
    .box ul { margin: 0.3rem 0 0; padding-left: 1.1rem; }
    .box code { font-size: 0.8rem; background: #f1f3f6; padding: 0 0.2rem; border-radius: 3px; }
    .box button { color: #1d2430; border-color: #ccd; float: right; margin-left: 0.6rem; }
    .drop { position: fixed; inset: 0; z-index: 30; background: #1d2430cc; color: #fff; display: grid; place-items: center; font-size: 1.4rem; pointer-events: none; }
  `;

  @property({ attribute: false }) source!: RegionSource;
  @property() lang: Lang = 'zh-CN';
  @state() private dragging = false;
  @state() private dismissed = false;
  @state() private building = false;

  private readonly refresh = () => { this.dismissed = false; this.requestUpdate(); };
  private readonly onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = true;
  };
  private readonly onDragLeave = (e: DragEvent) => { if (!e.relatedTarget) this.dragging = false; };
  private readonly onDrop = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = false;
    const transfer = e.dataTransfer;
    // The entries must be taken before the event returns; reading them goes on after.
    void filesFromDrop(transfer).then(({ files, source }) => this.source.openFiles(files, source), (error) => this.fail(error));
  };

  connectedCallback(): void {
    super.connectedCallback();
    this.source.addEventListener('state', this.refresh);
    this.source.addEventListener('change', this.refresh);
    document.addEventListener('dragover', this.onDragOver);
    document.addEventListener('dragleave', this.onDragLeave);
    document.addEventListener('drop', this.onDrop);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.source.removeEventListener('state', this.refresh);
    this.source.removeEventListener('change', this.refresh);
    document.removeEventListener('dragover', this.onDragOver);
    document.removeEventListener('dragleave', this.onDragLeave);
    document.removeEventListener('drop', this.onDrop);
  }

  private fail(error: unknown): void {
    this.source.problem = error;
    this.refresh();
  }

  private async onPick(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    if (!input.files?.length) return;
    try {
      const { files, source } = await filesFromInput(input.files);
      await this.source.openFiles(files, source);
      this.renderRoot.querySelector('details')?.removeAttribute('open');
    } catch (error) {
      this.fail(error);
    } finally {
      input.value = '';
    }
  }

  private problemView() {
    const error = this.source.problem;
    if (!error || this.dismissed) return '';
    const t = (key: string) => translate(this.lang, key);
    const problems = error instanceof InputError ? error.problems : [{ path: '', message: error instanceof Error ? error.message : String(error) }];
    return html`<div class="box problem" role="alert">
      <button @click=${() => { this.dismissed = true; }}>${t('regionClose')}</button>
      <strong>${t('regionProblem')}</strong>
      <ul>${problems.slice(0, 8).map((p) => html`<li>${p.path ? html`<code>${p.path}</code> ` : ''}${regionMessage(this.lang, p.message)}${'value' in p && p.value !== undefined ? ` (${t('regionGot')} ${describeValue(p.value)}${'expected' in p && p.expected ? `, ${t('regionExpected')} ${p.expected}` : ''})` : ''}</li>`)}</ul>
    </div>`;
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const region = this.source.current;
    const notice = this.source.notice;
    return html`
      <span class="name" title=${region.origin === 'shipped' ? t('regionShippedTitle') : region.key}>${t('regionLabel')}: ${this.lang === 'zh-CN' ? region.nameZh : region.name}</span>
      <details>
        <summary>${t('regionOpen')}</summary>
        <div class="menu">
          <label>${t('regionOpenFolder')}<input class="folder" type="file" webkitdirectory @change=${this.onPick} /></label>
          <label>${t('regionOpenZip')}<input class="zip" type="file" accept=".zip,application/zip" @change=${this.onPick} /></label>
          <label>${t('regionOpenScenario')}<input class="scenario" type="file" accept=".json,application/json" multiple @change=${this.onPick} /></label>
          <button class="build" @click=${() => { this.building = true; this.renderRoot.querySelector('details')?.removeAttribute('open'); }}>${t('buildOpen')}</button>
          ${region.origin === 'shipped' ? '' : html`<button class="shipped" @click=${() => void this.source.useShipped()}>${t('regionShipped')}</button>`}
          <small>${t('regionDropHint')}</small>
        </div>
      </details>
      ${this.source.busy ? html`<span role="status">${t('regionReading')}</span>` : ''}
      ${this.problemView()}
      ${notice && !this.source.problem && !this.dismissed ? html`<div class="box notice" role="status"><button @click=${() => { this.dismissed = true; }}>${t('regionClose')}</button>${t(notice.key).replace('{name}', notice.name)}</div>` : ''}
      ${this.building ? html`<region-build-dialog .source=${this.source} lang=${this.lang} @close=${() => { this.building = false; }}></region-build-dialog>` : ''}
      ${this.dragging ? html`<div class="drop">${t('regionDrop')}</div>` : ''}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'region-picker': RegionPicker }
}
