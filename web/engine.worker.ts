// The engine in a Web Worker. It is exposed at once (no top-level await): Comlink messages sent
// while the wasm is still compiling would otherwise be lost. Each method awaits the kernels itself.
// Besides the engine API, the worker renders base maps, so the main thread never parses a grid.
import * as Comlink from 'comlink';
import wasmUrl from '../build/sandtable.wasm?url';
import '../models/comlink-errors.ts';
import { createEngine, type Engine } from '../models/engine.ts';
import { parseAsciiGrid } from '../models/grid/ascii.ts';
import { renderBaseMap } from '../models/region/render.ts';

export interface BaseMap {
  width: number;
  height: number;
  /** Map extent in metres: west, south, cell size. */
  xllcorner: number;
  yllcorner: number;
  cellsize: number;
  rgba: Uint8ClampedArray;
}

export interface WorkerApi extends Engine {
  /** Renders a region's shaded land-cover map from its DEM and land-cover grid URLs. */
  regionBaseMap(demUrl: string, landcoverUrl: string): Promise<BaseMap>;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return response.text();
}

const engine = createEngine(async () => {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`could not load the kernels from ${wasmUrl}: HTTP ${response.status}`);
  return response.arrayBuffer();
});

const api: WorkerApi = {
  ...engine,
  async regionBaseMap(demUrl, landcoverUrl) {
    const [demText, landcoverText] = await Promise.all([fetchText(demUrl), fetchText(landcoverUrl)]);
    const dem = parseAsciiGrid(demText, 'dem.asc');
    const landcover = parseAsciiGrid(landcoverText, 'landcover.asc');
    const rgba = renderBaseMap(dem, landcover);
    const map = { width: dem.ncols, height: dem.nrows, xllcorner: dem.xllcorner, yllcorner: dem.yllcorner, cellsize: dem.cellsize, rgba };
    return Comlink.transfer(map, [rgba.buffer]);
  },
};

Comlink.expose(api);
