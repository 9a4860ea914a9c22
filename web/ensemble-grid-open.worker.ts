// Opens a grid landslide ensemble's folder off the page's thread: a city's grid holds millions of
// cells per file, and reading, hashing (SHA-256 against the manifest) and parsing its ESRI ASCII
// grids took seconds of the page's main thread, the map and every button frozen meanwhile. Here the
// same reader (web/ensemble-grid-open.ts) runs in a module worker of the app's own origin (the CSP's
// worker-src 'self'), says how far it is, and hands the grids back without copying them. The page
// cancels by terminating it.
import * as Comlink from 'comlink';
import wasmUrl from '../build/sandtable.wasm?url';
import '../models/comlink-errors.ts';
import { createEngine, type Engine } from '../models/engine.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import { openGridEnsemble, type GridEnsemble, type GridOpenProgress } from './ensemble-grid-open.ts';
import { preparedLayer, type PreparedLayer } from './ensemble-layers.ts';


export interface GridOpenApi {
  /**
   * The folder's files by path below it (ensembleBlobsIn), read, checked and placed on `region`,
   * with the P(FS < 1) layer's pixels (the layer the tab shows first): the page only wraps them.
   */
  open(blobs: Record<string, Blob>, region: Pick<RegionManifest, 'crs' | 'crs_definition' | 'grid'> | undefined, progress?: (p: GridOpenProgress) => void): Promise<GridEnsemble & { pLayer: PreparedLayer }>;
  /** This worker's own script and the modules it imported: for the offline cache. */
  loadedResources(): Promise<string[]>;
}

let engine: Engine | undefined;

const hex = (digest: ArrayBuffer) => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');

/** Comparing a .prj with the region's CRS projects a point with the kernels' deterministic math: loaded only then. */
function kernels(): Promise<unknown> {
  engine ??= createEngine(async () => {
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`could not load the kernels from ${wasmUrl}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  return engine.ready();
}

const api: GridOpenApi = {
  async open(blobs, region, progress) {
    const names = Object.keys(blobs).sort();
    const prj = names.some((n) => /\.prj$/i.test(n)) ? kernels() : undefined;
    prj?.catch(() => {}); // awaited below, after the files are read
    // Each file's SHA-256 from its bytes as read (digest copies them; the text is decoded meanwhile),
    // rather than re-encoding the decoded text: a city's folder is hundreds of MB.
    let read = 0;
    const sha256: Record<string, Promise<string>> = {};
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const texts = Object.fromEntries(await Promise.all(names.map(async (name) => {
      const bytes = await blobs[name].arrayBuffer();
      sha256[name] = crypto.subtle.digest('SHA-256', bytes).then(hex);
      const text = decoder.decode(bytes);
      void progress?.({ stage: 'read', done: ++read, total: names.length });
      return [name, text] as const;
    })));
    await prj;
    const opened = await openGridEnsemble(texts, region as RegionManifest | undefined, (p) => void progress?.(p), sha256);
    const p = opened.view.slope!;
    const pLayer = preparedLayer(p, region!.grid.cellsize_m);
    const raster = pLayer.raster;
    const grids = [p, opened.view.firstFailure?.q05, opened.view.firstFailure?.q50, opened.view.firstFailure?.q95, ...opened.info.atTimes.map((a) => a.grid)];
    const buffers = new Set([...grids.flatMap((g) => (g ? [g.values.buffer as ArrayBuffer] : [])), raster.rgba.buffer as ArrayBuffer, ...(pLayer.overview ? [pLayer.overview.rgba.buffer as ArrayBuffer] : [])]);
    return Comlink.transfer({ ...opened, pLayer }, [...buffers]);
  },
  async loadedResources() {
    return [self.location.href, ...performance.getEntriesByType('resource').map((entry) => entry.name)];
  },
};

Comlink.expose(api);
