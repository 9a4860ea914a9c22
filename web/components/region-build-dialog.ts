// "Build a region": a city's DEM, districts, items and other layers, picked or dropped, built by the
// CLI's own builder in a worker (web/region-build.ts) with its stage and progress shown; a problem
// appears beside the file it names, in the CLI's words. When built, the region opens through the
// region source (checked, kept for offline use) and its .zip can be downloaded.
import { css, html, LitElement, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatProblem, InputError, type Problem } from '../../models/errors.ts';
import { translate, type Lang } from '../i18n.ts';
import { buildInWorker, caseFromChoice, entriesOfCase, entriesOfPreset, LAYERS, rowOfFile, rowOfProblem, type BuildChoice, type BuildRow, type BuildStageName, type BuiltRegion, type ClassEntry, type Layer } from '../region-build.ts';
import { REGION_CASE_SCHEMA } from '../../models/region/builder/case.ts';
import './landcover-classes.ts';
import type { RegionSource } from '../region-source.ts';

type FileRow = 'dem' | 'districts' | 'items' | 'others' | Layer;

@customElement('region-build-dialog')
export class RegionBuildDialog extends LitElement {
  static styles = css`
    :host { position: fixed; inset: 0; z-index: 40; display: grid; place-items: center; background: #0008; color: #1d2430; font-size: 0.85rem; }
    .card { width: min(46rem, calc(100vw - 2rem)); max-height: calc(100vh - 2rem); overflow: auto; background: #fff; border-radius: 8px; padding: 1rem 1.2rem; box-shadow: 0 8px 30px #0006; box-sizing: border-box; }
    h2 { margin: 0 0 0.3rem; font-size: 1.1rem; }
    p.intro { margin: 0 0 0.7rem; color: #4a5568; }
    .row { display: grid; grid-template-columns: 10rem 1fr; gap: 0.2rem 0.8rem; align-items: baseline; padding: 0.35rem 0; border-top: 1px solid #e6e9ee; }
    .row > .label { font-weight: 600; }
    .row small { color: #5a6578; }
    .pick { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem; }
    .chosen { color: #1d2430; word-break: break-all; }
    .chosen.none { color: #8a94a6; }
    label.button, button { border: 1px solid #8a94a6; border-radius: 4px; padding: 0.2rem 0.55rem; background: #f6f7f9; color: inherit; cursor: pointer; font: inherit; white-space: nowrap; }
    label.button:hover, button:hover:not(:disabled) { background: #e6e9ee; }
    button.primary { background: #2f6fb0; border-color: #2f6fb0; color: #fff; }
    button:disabled { opacity: 0.5; cursor: default; }
    input[type=file] { display: none; }
    input[type=text], input[type=number] { font: inherit; padding: 0.15rem 0.3rem; border: 1px solid #b8c0cc; border-radius: 4px; min-width: 0; }
    .names { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .layers { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.3rem 0.8rem; }
    .problem { grid-column: 1 / -1; margin: 0.15rem 0 0; padding: 0.3rem 0.5rem; background: #fdecea; border-left: 4px solid #c0392b; font-family: ui-monospace, monospace; font-size: 0.78rem; white-space: pre-wrap; word-break: break-word; }
    .status { margin-top: 0.7rem; display: grid; gap: 0.3rem; }
    progress { width: 100%; height: 0.8rem; }
    .done { padding: 0.4rem 0.6rem; background: #eaf4ea; border-left: 4px solid #2e7d32; }
    .actions { display: flex; justify-content: flex-end; gap: 0.5rem; margin-top: 0.8rem; flex-wrap: wrap; }
    .hint { color: #5a6578; margin-top: 0.4rem; }
    :host(.dropping) .card { outline: 3px dashed #2f6fb0; outline-offset: -6px; }
  `;

  @property({ attribute: false }) source!: RegionSource;
  @property() lang: Lang = 'zh-CN';
  @state() private choice: BuildChoice = { name: '', nameZh: '', crs: '', thresholdKm2: 2, dem: [], layers: {}, others: [] };
  @state() private busy = false;
  @state() private stage?: BuildStageName;
  @state() private fraction = 0;
  @state() private problems: { row: BuildRow; text: string }[] = [];
  @state() private built?: { region: BuiltRegion; fileName: string };

  private t(key: string): string { return translate(this.lang, key); }

  private setFiles(row: FileRow, files: File[]): void {
    const c = { ...this.choice, layers: { ...this.choice.layers } };
    if (row === 'dem') c.dem = files;
    else if (row === 'districts') c.districts = files[0];
    else if (row === 'items') c.items = files[0];
    else if (row === 'others') c.others = files;
    else c.layers[row] = files[0];
    if (row === 'landcover' && files[0] && !c.landcoverClasses) c.landcoverClasses = entriesOfPreset('esa-worldcover');
    this.choice = c;
    if (row === 'others') void this.classesFromCase(files);
  }

  /** A region case among the other files brings its class table into the editor. */
  private async classesFromCase(files: File[]): Promise<void> {
    for (const file of files.filter((f) => /\.json$/i.test(f.name))) {
      let json: unknown;
      try { json = JSON.parse(await file.text()); } catch { continue; }
      if ((json as { schema?: unknown })?.schema !== REGION_CASE_SCHEMA) continue;
      const entries = entriesOfCase(json);
      if (entries) this.choice = { ...this.choice, landcoverClasses: entries };
    }
  }

  private async saveCase(): Promise<void> {
    const { caseJson } = await caseFromChoice(this.choice);
    this.save(new Blob([`${JSON.stringify(caseJson, null, 2)}\n`], { type: 'application/json' }), 'region-case.json');
  }

  private onPick(row: FileRow, event: Event): void {
    const input = event.target as HTMLInputElement;
    this.setFiles(row, [...(input.files ?? [])]);
    input.value = '';
  }

  // A drop here is the dialog's: the page's own drop (open a region) must not see it.
  private readonly onDragOver = (e: DragEvent) => { e.preventDefault(); e.stopPropagation(); this.classList.add('dropping'); };
  private readonly onDragLeave = (e: DragEvent) => { if (!e.relatedTarget) this.classList.remove('dropping'); };
  private readonly onDrop = (e: DragEvent) => {
    e.preventDefault(); e.stopPropagation();
    this.classList.remove('dropping');
    const byRow = new Map<FileRow, File[]>();
    for (const file of e.dataTransfer?.files ?? []) {
      const row = rowOfFile(file.name);
      byRow.set(row, [...(byRow.get(row) ?? []), file]);
    }
    for (const [row, files] of byRow) this.setFiles(row, files);
  };

  private async build(): Promise<void> {
    if (!this.choice.dem.length) { this.problems = [{ row: 'dem', text: this.t('buildNeedDem') }]; return; }
    this.busy = true; this.problems = []; this.built = undefined; this.stage = 'reading'; this.fraction = 0;
    const { caseJson, files } = await caseFromChoice(this.choice);
    try {
      const region = await buildInWorker(caseJson, files, (stage, fraction) => { this.stage = stage; this.fraction = fraction; });
      const name = String(caseJson.name ?? 'region').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'region';
      const fileName = `${name}.zip`;
      await this.source.openFiles(new Map(Object.entries(region.files)), fileName);
      if (this.source.problem) throw this.source.problem;
      this.built = { region, fileName };
      this.dispatchEvent(new CustomEvent('region-built', { detail: { report: region.report, wasmBytes: region.wasmBytes }, bubbles: true, composed: true }));
    } catch (error) {
      const problems: Problem[] = error instanceof InputError ? error.problems : [{ path: 'region build', message: error instanceof Error ? error.message : String(error) }];
      this.problems = problems.map((p) => ({ row: rowOfProblem(p.path, caseJson), text: formatProblem(p) }));
      this.stage = undefined;
    } finally {
      this.busy = false;
    }
  }

  private download(): void {
    if (this.built) this.save(this.built.region.zip, this.built.fileName);
  }

  private save(blob: Blob, fileName: string): void {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url; a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  private problemsOf(row: BuildRow): TemplateResult[] {
    return this.problems.filter((p) => p.row === row).map((p) => html`<p class="problem" role="alert">${p.text}</p>`);
  }

  private fileRow(row: Exclude<FileRow, Layer>, label: string, hint: string, accept: string, multiple: boolean): TemplateResult {
    const files = row === 'dem' ? this.choice.dem : row === 'others' ? this.choice.others : [this.choice[row]].filter((f): f is File => !!f);
    const problemRow: BuildRow = row === 'others' ? 'names' : row;
    return html`<div class="row ${row}">
      <span class="label">${label}</span>
      <span class="pick">
        <label class="button">${this.t('buildChoose')}<input class="file-${row}" type="file" accept=${accept} ?multiple=${multiple} @change=${(e: Event) => this.onPick(row, e)} /></label>
        <span class="chosen ${files.length ? '' : 'none'}">${files.length ? files.map((f) => f.name).join(', ') : this.t('buildNone')}</span>
        <small>${hint}</small>
      </span>
      ${row === 'others' ? '' : this.problemsOf(problemRow)}
    </div>`;
  }

  private layerPick(layer: Layer): TemplateResult {
    const file = this.choice.layers[layer];
    return html`<span class="pick">
      <label class="button" title=${layer === 'landcover' ? this.t('buildLandcoverTitle') : ''}>${this.t(`buildLayer_${layer}`)}<input class="file-${layer}" type="file" accept=".tif,.tiff,.asc" @change=${(e: Event) => this.onPick(layer, e)} /></label>
      <span class="chosen ${file ? '' : 'none'}">${file?.name ?? this.t('buildNone')}</span>
    </span>`;
  }

  render() {
    const c = this.choice;
    // The choice as it is when the event comes, not as it was at this render.
    const text = (key: 'name' | 'nameZh' | 'crs', e: Event) => { this.choice = { ...this.choice, [key]: (e.target as HTMLInputElement).value }; };
    const report = this.built?.region.report;
    return html`<div class="card" role="dialog" aria-modal="true" aria-labelledby="build-title"
        @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
      <h2 id="build-title">${this.t('buildTitle')}</h2>
      <p class="intro">${this.t('buildIntro')}</p>
      ${this.fileRow('dem', this.t('buildDem'), this.t('buildDemHint'), '.tif,.tiff,.asc,.txt,.prj', true)}
      ${this.fileRow('districts', this.t('buildDistricts'), this.t('buildDistrictsHint'), '.geojson,.json', false)}
      ${this.fileRow('items', this.t('buildItems'), this.t('buildItemsHint'), '.csv,.geojson,.json', false)}
      <div class="row layers-row"><span class="label">${this.t('buildLayers')}</span><span class="layers">${LAYERS.map((l) => this.layerPick(l))}</span>${this.problemsOf('layers')}</div>
      ${c.layers.landcover ? html`<div class="row classes-row">
        <span class="label">${this.t('buildClasses')}</span>
        <landcover-classes .entries=${c.landcoverClasses ?? []} .lang=${this.lang} @classes-change=${(e: CustomEvent<ClassEntry[]>) => { this.choice = { ...this.choice, landcoverClasses: e.detail }; }}></landcover-classes>
        ${this.problemsOf('classes')}
      </div>` : ''}
      ${this.fileRow('others', this.t('buildOthers'), this.t('buildOthersHint'), '', true)}
      <div class="row names-row">
        <span class="label">${this.t('buildNames')}</span>
        <span class="names">
          <input class="name" type="text" aria-label=${this.t('buildName')} placeholder="Big Valley" .value=${c.name} @input=${(e: Event) => text('name', e)} />
          <input class="name-zh" type="text" aria-label=${this.t('buildNameZh')} placeholder="大河谷" .value=${c.nameZh} @input=${(e: Event) => text('nameZh', e)} />
          <label>${this.t('buildThreshold')} <input class="threshold" type="number" min="0.001" step="any" style="width:5rem" .value=${String(c.thresholdKm2)} @input=${(e: Event) => { this.choice = { ...this.choice, thresholdKm2: Number((e.target as HTMLInputElement).value) }; }} /></label>
        </span>
        ${this.problemsOf('names')}
      </div>
      <div class="row crs-row">
        <span class="label">${this.t('buildCrs')}</span>
        <span class="pick"><input class="crs" type="text" aria-label=${this.t('buildCrs')} placeholder="EPSG:4545" .value=${c.crs} @input=${(e: Event) => text('crs', e)} /><small>${this.t('buildCrsHint')}</small></span>
        ${this.problemsOf('crs')}
      </div>
      <div class="status">
        ${this.problems.length ? html`<strong class="failed">${this.t('buildFailed')}</strong>` : ''}
        ${this.stage ? html`<progress max="1" .value=${this.fraction}></progress><span class="stage" role="status">${this.t(`buildStage_${this.stage}`)} · ${Math.round(this.fraction * 100)} %</span>` : ''}
        ${report ? html`<div class="done" role="status">${this.t('buildDone').replace('{reaches}', String(report.streams.reaches)).replace('{items}', String(report.items.placed)).replace('{districts}', String(report.districts.length)).replace('{warnings}', String(report.warnings.length))}</div>` : ''}
      </div>
      <p class="hint">${this.t('buildDropHint')}</p>
      <div class="actions">
        ${this.built ? html`<button class="download" @click=${this.download}>${this.t('buildDownload')}</button>` : ''}
        <button class="save-case" @click=${() => void this.saveCase()}>${this.t('buildSaveCase')}</button>
        <button class="close" @click=${this.close}>${this.t('buildClose')}</button>
        <button class="primary start" ?disabled=${this.busy} @click=${() => void this.build()}>${this.t('buildStart')}</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'region-build-dialog': RegionBuildDialog }
}
