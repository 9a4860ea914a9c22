// The ensemble tab's state: an ensemble run on the pool of ensemble workers or opened from a CLI
// output folder, the layer the map shows, the value under the pointer and the gauge of the fan chart.
// The app draws `overlay()` on its map and `legend()` over it while the tab is open.
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { InputError } from '../models/errors.ts';
import { ensembleBlobsIn, type EnsembleView } from '../models/ensemble/open-products.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import type { MapOverlay } from './components/region-map.ts';
import './components/ensemble-panel.ts';
import './components/ensemble-run.ts';
import type { PageRun } from './engine.worker.ts';
import { BROWSER_MAX_MEMBERS, DETAIL_FROM_ZOOM, districtAreas, fanData, gridOffset, itemPoints, layersOf, OVERVIEW_FACTOR, probabilityAt, type PreparedLayer, type ProbabilityLayer } from './ensemble-layers.ts';
import { GRID_COMMAND, manifestCommand, type GridEnsembleInfo, type GridOpenProgress } from './ensemble-grid-open.ts';
import { EnsembleOpener, OpenCancelled } from './ensemble-opener.ts';
import type { Grid } from '../models/grid/ascii.ts';
import { gridLabels, gridSource, slopeTimeSelect } from './ensemble-grid-view.ts';
import { EnsembleMore } from './ensemble-more-desk.ts';
import { isValueLayer, valueGrid } from './ensemble-more.ts';
import type { BrowserEnsemble } from './ensemble-worker.ts';
import { EnsembleCancelled, EnsemblePool, MAX_POOL_WORKERS, poolSizeFor, type BadMember, type PoolProgress } from './ensemble-pool.ts';
import { duration, quarterPassed } from './ensemble-progress.ts';
import { translate, type Lang } from './i18n.ts';
import { levelName } from './levels.ts';
import { percent, PROBABILITY_CLASSES } from './probability-ramp.ts';
import { filesFromInput } from './region-files.ts';
import { regionSource } from './region-source.ts';

export interface EnsembleSource {
  /** The scenario file as opened (what `sandtable ensemble` would be given). */
  scenarioJson: () => Record<string, unknown>;
  scenarioId: string;
  run?: PageRun;
  manifest?: RegionManifest;
  items: RegionItem[];
  outlines: ReadonlyMap<string, [number, number][]>;
  districtAt: (x: number, y: number) => string | undefined;
}

export class EnsembleDesk implements ReactiveController {
  view?: EnsembleView;
  private source: { folder?: string; wallS?: number } = {};
  /** A grid landslide ensemble's own facts (landslide fs --members), and the output time its P layer shows (undefined: any). */
  grid?: { info: GridEnsembleInfo; anyTime: EnsembleView['slope']; slopeTime?: number; frame: NonNullable<MapOverlay['frame']> };
  layer?: ProbabilityLayer;
  level = 3;
  gauge?: string;
  /** The last run that finished here, without its files: its hashes are `sandtable ensemble`'s manifest's. */
  lastRun?: Omit<BrowserEnsemble, 'files'>;
  private progress?: PoolProgress;
  /** What the run controls last announced, as a message key and its values (rendered in the current language). */
  private runStatus?: { key: string; values: Record<string, string | number> };
  private badMembers: BadMember[] = [];
  private readonly pool = new EnsemblePool();
  /** Opens folders and colours layers in a worker: parsing or drawing millions of cells here held the page. */
  private readonly opener = new EnsembleOpener();
  /** An ensemble folder being opened: how far; and the last open's outcome to announce, as a message key. */
  opening?: GridOpenProgress & { scenario?: boolean };
  private openStatus?: string;
  private openToken = 0;
  /** Layers' pixels as the worker made them, by their grid: shown again without asking it. */
  private readonly prepared = new WeakMap<Grid, PreparedLayer>();
  private paintToken = 0;
  private progressRender?: ReturnType<typeof setTimeout>;
  private running = false;
  private error = '';
  private readout = '';
  private image?: { layer: ProbabilityLayer; bitmap: ImageBitmap; cols: number; rows: number; col0: number; row0: number; overview?: ImageBitmap };
  /** Reaches, first failure, flame length, exposure and members (web/ensemble-more-desk.ts). */
  readonly more = new EnsembleMore();

  constructor(private readonly host: ReactiveControllerHost, private readonly context: () => EnsembleSource) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.pool.dispose();
    this.opener.dispose();
    clearTimeout(this.progressRender);
  }

  /** Workers a run uses on this machine. */
  get workers(): number {
    return poolSizeFor(navigator.hardwareConcurrency);
  }

  /**
   * Runs the open scenario's ensemble on the worker pool. The view changes only when the run
   * finishes: a cancelled or failed run leaves the products on screen as they were.
   */
  async run(members: number): Promise<void> {
    if (this.running) return;
    this.running = true;
    const c = this.context();
    this.error = '';
    this.badMembers = [];
    const workers = Math.min(this.workers, members);
    this.runStatus = { key: 'ensStarted', values: { total: members, workers } };
    this.progress = { done: 0, total: members, bad: [], workers, startedMs: performance.now() };
    this.host.requestUpdate();
    try {
      const result = await this.pool.run(c.scenarioJson(), regionSource.current.urls, { members }, {
        size: this.workers,
        progress: (p) => {
          const quarter = quarterPassed(this.progress?.done ?? 0, p.done, p.total);
          if (quarter !== undefined) this.runStatus = { key: 'ensQuarter', values: { percent: quarter, done: p.done, total: p.total } };
          this.progress = p;
          this.badMembers = p.bad;
          this.host.requestUpdate();
        },
      });
      const { files: _files, ...summary } = result;
      this.lastRun = summary;
      const manifest = JSON.stringify({ command: 'ensemble', scenario: result.scenario, seed: result.seed, members: result.members, good_members: result.members - result.badMembers.length, product_sha256: result.productSha256,
        model_warnings: result.modelWarnings.warnings, model_warnings_left_out: result.modelWarnings.left_out });
      // A folder picked while the run went on is what the user asked for last: it stays.
      if (!this.opener.opening) {
        const blobs = Object.fromEntries(Object.entries(result.files).map(([name, text]) => [name, new Blob([text])]));
        const token = this.openToken;
        const view = await this.opener.openScenario(blobs, undefined, manifest);
        if (token === this.openToken) await this.show(view, { wallS: Math.round(result.wallMs / 1000) });
      }
      this.runStatus = { key: 'ensFinished', values: { total: result.members, bad: result.badMembers.length, seconds: result.wallMs / 1000 } };
    } catch (error) {
      if (error instanceof EnsembleCancelled) this.runStatus = { key: 'ensCancelled', values: { done: error.done, total: error.total } };
      else if (error instanceof OpenCancelled) this.runStatus = undefined;
      else {
        this.runStatus = undefined;
        this.fail(error);
      }
    } finally {
      this.progress = undefined;
      this.running = false;
      this.host.requestUpdate();
    }
  }

  /** Stops the run at once (its workers are terminated); what is shown stays. */
  cancel(): void {
    this.pool.cancel();
  }

  private runControls(lang: Lang) {
    const status = this.runStatus;
    const text = status ? Object.entries(status.values).reduce((line, [k, v]) => line.replace(`{${k}}`, String(v)), translate(lang, status.key))
      .replace('{time}', duration(lang, Number(status.values.seconds ?? 0))) : '';
    return html`<ensemble-run-controls slot="run" lang=${lang} cap=${BROWSER_MAX_MEMBERS} workers=${this.workers} maxWorkers=${MAX_POOL_WORKERS}
      cores=${navigator.hardwareConcurrency ?? 1} ?running=${this.running} .progress=${this.progress}
      status=${text} .bad=${this.badMembers}
      @ensemble-run=${(e: CustomEvent<{ members: number }>) => void this.run(e.detail.members)}
      @ensemble-cancel=${() => this.cancel()}></ensemble-run-controls>`;
  }

  /**
   * Opens a folder (or a .zip) written by `sandtable ensemble --out DIR` or `sandtable landslide fs
   * --members N --out DIR`. Either is read, checked and parsed in a worker (a region's grids hold a
   * million cells or more), with progress and Cancel; another pick meanwhile replaces it.
   */
  async open(list: File[]): Promise<void> {
    const token = ++this.openToken;
    // The worker's progress comes on a channel of its own: a report may land after the open ended.
    let live = true;
    const progress = (scenario: boolean) => (p: GridOpenProgress) => {
      if (!live || token !== this.openToken) return;
      const first = !this.opening;
      this.opening = { ...p, scenario };
      if (first) this.host.requestUpdate();
      else this.renderSoon();
    };
    this.opener.cancel();
    this.error = '';
    this.openStatus = undefined;
    try {
      const { files, source } = await filesFromInput(list);
      const blobs = ensembleBlobsIn(files, source);
      // Files picked without their folder say no folder name (the source would be the first file's).
      const folder = list.length > 1 && list.every((f) => !f.webkitRelativePath) ? '' : source;
      const grid = manifestCommand(await blobs['manifest.json']?.text()) === GRID_COMMAND;
      progress(!grid)({ stage: 'read', done: 0, total: Object.keys(blobs).length });
      if (grid) {
        const { view, info, pLayer } = await this.opener.openGrid(blobs, this.context().manifest, progress(false));
        this.prepared.set(view.slope!, pLayer);
        if (token === this.openToken) await this.show(view, { folder }, info);
      } else {
        const view = await this.opener.openScenario(blobs, progress(true));
        if (token === this.openToken) await this.show(view, { folder });
      }
    } catch (error) {
      if (token !== this.openToken) return;
      if (error instanceof OpenCancelled) this.openStatus = 'ensGridOpenCancelled';
      else this.fail(error);
    } finally {
      live = false;
      if (token === this.openToken) this.opening = undefined;
    }
    this.host.requestUpdate();
  }

  /**
   * One render of the app for the progress reports of the next quarter second: each render redraws
   * the map and the drill's picture (≈ 0.1–0.2 s on a loaded machine), and a folder's files report
   * dozens of times a second, which held the page longer than the parse the worker took off it.
   */
  private renderSoon(): void {
    this.progressRender ??= setTimeout(() => {
      this.progressRender = undefined;
      this.host.requestUpdate();
    }, 250);
  }

  /** Stops opening an ensemble folder at once; what is shown stays. */
  cancelOpen(): void {
    this.opener.cancel();
  }

  private fail(error: unknown): void {
    this.error = error instanceof InputError ? error.problems.map((p) => `${p.path}: ${p.message}${p.value === undefined ? '' : ` (got ${String(p.value)}${p.expected ? `, expected ${p.expected}` : ''})`}`).join('\n') : String((error as Error)?.message ?? error);
  }

  private async show(view: EnsembleView, source: EnsembleDesk['source'], grid?: GridEnsembleInfo): Promise<void> {
    this.view = view;
    this.source = source;
    const p = view.slope;
    this.grid = grid && p && { info: grid, anyTime: p, frame: { x0: p.xllcorner, y0: p.yllcorner, x1: p.xllcorner + p.ncols * p.cellsize, y1: p.yllcorner + p.nrows * p.cellsize } };
    this.more.shown(view);
    const layers = layersOf(view);
    if (!this.layer || !layers.includes(this.layer)) this.layer = layers[0];
    if (!this.gauge || !view.gauges.some((g) => g.gauge === this.gauge)) this.gauge = view.gauges.at(-1)?.gauge;
    await this.setLayer(this.layer);
  }

  async setLayer(layer: ProbabilityLayer | undefined): Promise<void> {
    this.layer = layer;
    this.readout = '';
    const grid = !this.view || !layer ? undefined : isValueLayer(layer) ? valueGrid(this.view, layer, this.more.quantile) : layer === 'depth' || layer === 'burn' || layer === 'slope' ? this.view[layer] : undefined;
    const manifest = this.context().manifest;
    if (grid && manifest && layer) {
      // The last layer asked for is drawn, whichever worker answer lands last.
      const token = ++this.paintToken;
      try {
        const { raster, overview } = await this.pixels(grid, layer, manifest.grid.cellsize_m);
        const bitmap = (r: { rgba: Uint8ClampedArray; width: number; height: number }) => createImageBitmap(new ImageData(r.rgba as Uint8ClampedArray<ArrayBuffer>, r.width, r.height));
        const image = { layer, bitmap: await bitmap(raster), cols: raster.cols, rows: raster.rows, ...gridOffset(grid, manifest.grid), overview: overview ? await bitmap(overview) : undefined };
        if (token === this.paintToken) this.image = image;
      } catch (error) {
        if (token === this.paintToken) this.fail(error);
      }
    }
    this.host.requestUpdate();
  }

  /** A grid layer's pixels, made by the worker once; a cancelled open ends the worker, and a fresh one makes them. */
  private async pixels(grid: Grid, layer: ProbabilityLayer, regionCellsize: number): Promise<PreparedLayer> {
    let prepared = this.prepared.get(grid);
    for (let attempt = 0; !prepared; attempt++) {
      try {
        prepared = await this.opener.paint(grid, layer, regionCellsize);
      } catch (error) {
        if (!(error instanceof OpenCancelled) || attempt > 0) throw error;
      }
    }
    this.prepared.set(grid, prepared);
    return prepared;
  }

  /** The pointer over the map (or the keyboard on an item): what the layer says there. */
  hover(at: { x: number; y: number; id?: string }, lang: Lang): void {
    if (!this.view || !this.layer) return;
    if (isValueLayer(this.layer)) { this.more.at = at; this.readout = this.more.readout(this.view, this.layer, at, lang); this.host.requestUpdate(); return; }
    const c = this.context();
    const district = this.layer === 'districts' ? c.districtAt(at.x, at.y) : undefined;
    const p = probabilityAt(this.view, this.layer, this.level, { x: at.x, y: at.y, item: at.id, district });
    const what = this.layer === 'items' ? at.id : this.layer === 'districts' ? district : undefined;
    this.readout = p === undefined ? (what ?? '') : `${what ? `${what}: ` : ''}${Number.isNaN(p) ? translate(lang, 'ensNoValue') : percent(p)}`;
    this.host.requestUpdate();
  }

  /** The map's picture while the tab is open: the chosen layer, district names on top. */
  overlay(labels: MapOverlay['labels']): MapOverlay | undefined {
    const c = this.context();
    if (!this.view || !this.layer) return undefined;
    const overlay: MapOverlay = { areas: [], lines: [], points: [], labels, frame: this.grid?.frame };
    const image = this.image?.layer === this.layer ? this.image : undefined;
    if (image?.overview) {
      const { cols, rows, col0, row0 } = image;
      overlay.rasters = [
        { image: image.overview, cols: Math.ceil(cols / OVERVIEW_FACTOR) * OVERVIEW_FACTOR, rows: Math.ceil(rows / OVERVIEW_FACTOR) * OVERVIEW_FACTOR, col0, row0, alpha: 0.9, belowZoom: DETAIL_FROM_ZOOM },
        { image: image.bitmap, cols, rows, col0, row0, alpha: 0.9, fromZoom: DETAIL_FROM_ZOOM },
      ];
    } else if (image) overlay.rasters = [{ image: image.bitmap, cols: image.cols, rows: image.rows, col0: image.col0, row0: image.row0, alpha: 0.9 }];
    if (this.layer === 'items') overlay.points = itemPoints(this.view, c.items, this.level);
    if (this.layer === 'districts') overlay.areas = districtAreas(this.view, c.outlines, this.level);
    if (this.layer === 'reaches') overlay.lines = this.more.reachLines(this.view, c.manifest);
    return overlay;
  }

  /** A reach clicked on the map: charted in the panel. Says whether the click was the tab's. */
  chooseReach(id: string): boolean {
    if (this.layer !== 'reaches' || !this.view?.reachP?.reaches.some((r) => r.id === id)) return false;
    this.more.reach = id;
    this.host.requestUpdate();
    return true;
  }

  /** P(FS < 1) at one output time of a grid ensemble, or at any (undefined): its own grid on the map. */
  chooseSlopeTime(tS: number | undefined): void {
    if (!this.grid || !this.view) return;
    this.grid.slopeTime = tS;
    const grid = tS === undefined ? this.grid.anyTime : this.grid.info.atTimes.find((a) => a.tS === tS)?.grid;
    if (!grid) return;
    this.view = { ...this.view, slope: grid };
    void this.setLayer('slope');
  }

  legend(lang: Lang) {
    if (!this.view || !this.layer) return '';
    if (isValueLayer(this.layer)) return this.more.legend(this.view, this.layer, lang, (q) => { this.more.quantile = q; void this.setLayer(this.layer); }, this.grid ? gridLabels(lang) : undefined);
    const t = (key: string) => gridLabels(this.grid ? lang : undefined)[key] ?? translate(lang, key);
    const levelled = this.layer === 'items' || this.layer === 'districts';
    const bounds = [...PROBABILITY_CLASSES.map((c) => c.from), 1];
    return html`<div class="legend ensemble-legend" role="group" aria-label=${t('ensLegend')}>
      <strong>${t(`ensLayer_${this.layer}`)}${levelled ? ` · ≥ ${levelName(lang, this.level)}` : ''}</strong>
      ${this.grid && this.layer === 'slope' ? slopeTimeSelect(lang, this.grid.info, this.grid.slopeTime, (tS) => this.chooseSlopeTime(tS)) : ''}
      <span class="ramp" role="list" style="margin-left:0">${PROBABILITY_CLASSES.map((c, k) => html`<span role="listitem" class=${k >= 3 ? '' : 'light'}
        style="background:rgb(${c.rgb.join(',')})" title=${`${percent(bounds[k])}–${percent(bounds[k + 1])}`}>${k === 0 ? '> 0' : `${bounds[k] * 100}`}</span>`)}</span>
      <span>${t('ensLegend')} (%) · ${t('ensHere')}: ${this.readout || '—'}</span>
      ${this.image?.layer === this.layer && this.image?.overview ? html`<span>${t('ensOverview')}</span>` : ''}
    </div>`;
  }

  panel(lang: Lang) {
    const c = this.context();
    const view = this.view;
    const gaugeRun = c.run?.gauges.find((g) => g.id === this.gauge);
    const sameScenario = view?.scenario === c.scenarioId;
    const fan = view && this.gauge ? fanData(view, this.gauge, {
      warningM3PerS: gaugeRun ? c.run!.warningFlowByReach[gaugeRun.reach] : undefined,
      deterministic: sameScenario && gaugeRun ? c.run!.route?.reaches[gaugeRun.reach]?.outflow_m3_per_s : undefined,
    }) : undefined;
    const topItems = view && this.layer === 'items' ? view.items.map((i) => ({ id: i.id, p: i.p[this.level - 1] })).filter((i) => i.p > 0).sort((a, b) => b.p - a.p || a.id.localeCompare(b.id)).slice(0, 8) : [];
    const source = this.source.folder ?? `${translate(lang, 'ensBrowserRun')} · ${this.source.wallS} s`;
    return html`<ensemble-panel lang=${lang} .view=${view} source=${this.grid ? [source, gridSource(lang, this.grid.info, c.manifest)].filter(Boolean).join(' · ') : source} .layers=${view ? layersOf(view) : []} layer=${this.layer ?? ''}
      .labels=${this.grid ? gridLabels(lang) : {}}
      level=${this.level} .gauges=${view?.gauges.map((g) => g.gauge) ?? []} gauge=${this.gauge ?? ''} .fan=${fan}
      fanNote=${view && !sameScenario && fan ? translate(lang, 'ensOtherScenario') : ''} error=${this.error}
      .opening=${this.opening} openStatus=${this.openStatus ? translate(lang, this.openStatus) : ''}
      @ensemble-open-cancel=${() => this.cancelOpen()} readout=${isValueLayer(this.layer) && view && this.more.at ? this.more.readout(view, this.layer, this.more.at, lang) : this.readout} .topItems=${topItems}
      @ensemble-open=${(e: CustomEvent<File[]>) => void this.open(e.detail)}
      @ensemble-layer=${(e: CustomEvent<ProbabilityLayer>) => void this.setLayer(e.detail)}
      @ensemble-level=${(e: CustomEvent<number>) => { this.level = e.detail; this.readout = ''; this.host.requestUpdate(); }}
      @ensemble-gauge=${(e: CustomEvent<string>) => { this.gauge = e.detail; this.host.requestUpdate(); }}
      @ensemble-item=${(e: CustomEvent<string>) => { const item = c.items.find((i) => i.id === e.detail); if (item) this.hover({ x: item.x_m, y: item.y_m, id: item.id }, lang); }}
    >${this.runControls(lang)}</ensemble-panel>${this.more.panel(view, lang, () => this.host.requestUpdate())}`;
  }
}
