// Opens an ensemble's output folder off the page's thread, both kinds: a scenario ensemble's
// (`sandtable ensemble --out DIR`: flood depth, burn and flame on every region cell) and a grid
// landslide ensemble's (`landslide fs --members`: a city's grid, millions of cells per file).
// Reading, hashing (SHA-256 against the manifest) and parsing their ESRI ASCII grids took seconds
// of the page's main thread, the map and every button frozen meanwhile. Here the same readers
// (models/ensemble/open-products.ts, web/ensemble-grid-open.ts) run in a module worker of the app's
// own origin (the CSP's worker-src 'self'), say how far they are, and hand the grids back without
// copying them. It also colours a layer's pixels when the tab shows another one. The page cancels
// an open by terminating it.
import * as Comlink from 'comlink';
import type { Engine } from '../models/engine.ts';
import { openEnsemble, type EnsembleView } from '../models/ensemble/open-products.ts';
import type { Grid } from '../models/grid/ascii.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import { bytesSha256Hex } from '../models/scenario/outputs.ts';
import { openGridEnsemble, type GridEnsemble, type GridOpenProgress } from './ensemble-grid-open.ts';
import { preparedLayer, type PreparedLayer, type ProbabilityLayer } from './ensemble-layers.ts';
import { isValueLayer, valueLayerPixels } from './ensemble-more.ts';
import { kernelEngine, workerResources } from './worker-kernels.ts';

/** Where a grid ensemble is placed: what placing and the CRS check read of the region's manifest. */
export type RegionPlace = Pick<RegionManifest, 'crs' | 'crs_definition' | 'grid'>;

export interface EnsembleOpenApi {
  /**
   * A grid ensemble folder's files by path below it (ensembleBlobsIn), read, checked and placed on
   * `region`, with the P(FS < 1) layer's pixels (the layer the tab shows first): the page only wraps them.
   */
  openGrid(blobs: Record<string, Blob>, region: RegionPlace | undefined, progress?: (p: GridOpenProgress) => void): Promise<GridEnsemble & { pLayer: PreparedLayer }>;
  /** A scenario ensemble folder's files, read and checked against `manifestText` (the folder's manifest.json if undefined). */
  openScenario(blobs: Record<string, Blob>, manifestText: string | undefined, progress?: (p: GridOpenProgress) => void): Promise<EnsembleView>;
  /** One grid layer's pixels: the probability ramp or a value layer's classes, with its overview. */
  paint(grid: Grid, layer: ProbabilityLayer, regionCellsize: number): Promise<PreparedLayer>;
  /** This worker's own script and the modules it imported: for the offline cache. */
  loadedResources(): Promise<string[]>;
}

let engine: Engine | undefined;

/** Comparing a .prj with the region's CRS projects a point with the kernels' deterministic math: loaded only then. */
function kernels(): Promise<unknown> {
  engine ??= kernelEngine();
  return engine.ready();
}

/**
 * The files' texts and each one's SHA-256 from its bytes as read (digest copies them; the text is
 * decoded meanwhile), rather than re-encoding the decoded text: a city's folder is hundreds of MB.
 */
async function readFolder(blobs: Record<string, Blob>, progress?: (p: GridOpenProgress) => void) {
  const names = Object.keys(blobs).sort();
  let read = 0;
  const sha256: Record<string, Promise<string>> = {};
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const texts = Object.fromEntries(await Promise.all(names.map(async (name) => {
    const bytes = await blobs[name].arrayBuffer();
    sha256[name] = bytesSha256Hex(bytes);
    const text = decoder.decode(bytes);
    void progress?.({ stage: 'read', done: ++read, total: names.length });
    return [name, text] as const;
  })));
  return { texts, sha256 };
}

const buffersOf = (grids: (Grid | undefined)[]) => grids.flatMap((g) => (g ? [g.values.buffer as ArrayBuffer] : []));
const layerBuffers = (layer: PreparedLayer) => [layer.raster.rgba.buffer as ArrayBuffer, ...(layer.overview ? [layer.overview.rgba.buffer as ArrayBuffer] : [])];

const api: EnsembleOpenApi = {
  async openGrid(blobs, region, progress) {
    const prj = Object.keys(blobs).some((n) => /\.prj$/i.test(n)) ? kernels() : undefined;
    prj?.catch(() => {}); // awaited below, after the files are read
    const { texts, sha256 } = await readFolder(blobs, progress);
    await prj;
    const opened = await openGridEnsemble(texts, region as RegionManifest | undefined, (p) => void progress?.(p), sha256);
    const p = opened.view.slope!;
    const pLayer = preparedLayer(p, region!.grid.cellsize_m);
    const f = opened.view.firstFailure;
    const buffers = new Set([...buffersOf([p, f?.q05, f?.q50, f?.q95, ...opened.info.atTimes.map((a) => a.grid)]), ...layerBuffers(pLayer)]);
    return Comlink.transfer({ ...opened, pLayer }, [...buffers]);
  },
  async openScenario(blobs, manifestText, progress) {
    const { texts, sha256 } = await readFolder(blobs, progress);
    const view = await openEnsemble(texts, manifestText, { sha256, progress: (p) => void progress?.(p) });
    const f = view.firstFailure;
    return Comlink.transfer(view, [...new Set(buffersOf([view.depth, view.burn, view.slope, view.flame, f?.q05, f?.q50, f?.q95]))]);
  },
  async paint(grid, layer, regionCellsize) {
    const prepared = isValueLayer(layer) ? valueLayerPixels(grid, layer, regionCellsize) : preparedLayer(grid, regionCellsize);
    return Comlink.transfer(prepared, layerBuffers(prepared));
  },
  async loadedResources() {
    return workerResources();
  },
};

Comlink.expose(api);
