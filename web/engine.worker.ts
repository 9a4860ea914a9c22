// The engine in a Web Worker. It is exposed at once (no top-level await): Comlink messages sent
// while the wasm is still compiling would otherwise be lost. Each method awaits the kernels itself.
// Besides the engine API, the worker renders base maps, so the main thread never parses a grid.
import * as Comlink from 'comlink';
import type { Engine } from '../models/engine.ts';
import { transferringEngine } from '../models/engine-transfer.ts';
import { parseAsciiGrid } from '../models/grid/ascii.ts';
import { renderBaseMap } from '../models/region/render.ts';
import { flameLengthsM } from '../models/fire/flame.ts';
import { fileHashes, resultsHash, runOutputs, runSummary } from '../models/scenario/outputs.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import { createModelMemo, memoizeModels } from '../models/scenario/memo.ts';
import { runScenario, type ScenarioRun } from '../models/scenario/run.ts';
import type { FireRun } from '../models/scenario/fire-coupling.ts';
import type { Inundation } from '../models/scenario/inundation.ts';
import { isoAt, parseScenario } from '../models/scenario/schema.ts';
import { capSender, districtCapAreas, warningsToCap, type CapMessage } from '../models/scenario/cap.ts';
import type { IssuedWarning } from '../models/scenario/warning-rules.ts';
import { fetchText, gradedRegionCache, loadRainGrids } from './region-fetch.ts';
import { kernelEngine, wasmMemoryBytes, workerResources } from './worker-kernels.ts';

export interface BaseMap {
  width: number;
  height: number;
  /** Map extent in metres: west, south, cell size. */
  xllcorner: number;
  yllcorner: number;
  cellsize: number;
  rgba: Uint8ClampedArray;
}

/** Where a region's files are: the manifest, the risk-list items and each grid. */
export interface RegionUrls {
  manifest: string; items: string;
  dem: string; landcover: string; districts: string; basins: string; population: string; buildings: string; hand: string; fuel: string;
  /** Files the scenario names beside itself (rain grids, a category table), by the name it uses. */
  files?: Record<string, string>;
  /** A built region's own category table (region.json's risk_categories), where it carries one. */
  categories?: string;
}

/** A run as the page needs it: the fire's fronts and series, not its full-resolution grids. */
export type PageRun = Omit<ScenarioRun, 'fire' | 'inundation'> & {
  fire?: Omit<FireRun, 'arrivalS' | 'output'>;
  inundation?: Omit<Inundation, 'maxDepthM'>;
};

/** A raster drawn over the base map, on its grid: RGBA, transferred rather than copied. */
export interface MapRaster { width: number; height: number; rgba: Uint8ClampedArray }

export interface WorkerScenarioRun {
  run: PageRun;
  summary: ReturnType<typeof runSummary>;
  resultsSha256: string;
  fileSha256: Record<string, string>;
  /** The deepest flood water over the land, rendered (blue, deeper darker). */
  floodLayer?: MapRaster;
  /** What the fire did in each region cell, for a click on the map (NaN: not burned). */
  fireCells?: FireCells;
}

/** Per region cell (row-major): arrival time, s; head rate of spread, m/min; Byram intensity, kW/m. */
export interface FireCells { arrivalS: Float32Array; rosMPerMin: Float32Array; intensityKwPerM: Float32Array; flameLengthM: Float32Array }

export interface WorkerApi extends Engine {
  /** Renders a region's shaded land-cover map from its DEM and land-cover grid URLs. */
  regionBaseMap(demUrl: string, landcoverUrl: string): Promise<BaseMap>;
  /**
   * Runs a scenario (its JSON) on the region at `urls`, exactly as `sandtable run` does in Node;
   * `delivered` lists the manual or held injects the trainer delivered, with their times.
   */
  runScenario(scenarioJson: unknown, urls: RegionUrls, delivered?: [string, number][]): Promise<WorkerScenarioRun>;
  /** What this worker has loaded (its own script, the kernels, grids): for the offline cache. */
  loadedResources(): Promise<string[]>;
  /**
   * One warning's CAP 1.2 messages (its alert or update, and its cancel once lifted) among a run's
   * warnings. Built here because district polygons go through the kernels' deterministic math.
   */
  warningCap(scenarioJson: unknown, urls: RegionUrls, warnings: IssuedWarning[], id: string): Promise<CapMessage[]>;
  /** The kernels' linear memory now, bytes: for a memory account (benchmarks/web/region-build.ts). */
  wasmMemoryBytes(): Promise<number>;
}

const engine = kernelEngine();

// Reruns after a trainer's model-change inject or for a what-if reuse every model run whose input
// is unchanged (models/scenario/memo.ts): a fire break does not rerun the rivers.
const modelMemo = createModelMemo(12);
const memoEngine = memoizeModels(engine, modelMemo);
const gradedRegion = gradedRegionCache();

/** Flood depth as map colours: nothing below 10 cm, then lighter to darker blue by depth. */
function floodRaster(depthM: Float32Array, width: number, height: number): MapRaster {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < depthM.length; i++) {
    const d = depthM[i];
    if (!(d >= 0.1)) continue;
    const [r, g, b, a] = d < 0.5 ? [120, 190, 240, 150] : d < 2 ? [40, 120, 220, 175] : [10, 50, 160, 200];
    rgba.set([r, g, b, a], i * 4);
  }
  return { width, height, rgba };
}

const api: WorkerApi = {
  ...transferringEngine(engine),
  async regionBaseMap(demUrl, landcoverUrl) {
    const [demText, landcoverText] = await Promise.all([fetchText(demUrl), fetchText(landcoverUrl), engine.ready()]);
    const dem = parseAsciiGrid(demText, 'dem.asc');
    const landcover = parseAsciiGrid(landcoverText, 'landcover.asc');
    const rgba = renderBaseMap(dem, landcover);
    const map = { width: dem.ncols, height: dem.nrows, xllcorner: dem.xllcorner, yllcorner: dem.yllcorner, cellsize: dem.cellsize, rgba };
    return Comlink.transfer(map, [rgba.buffer]);
  },
  async warningCap(scenarioJson, urls, warnings, id) {
    await engine.ready();
    const scenario = parseScenario(scenarioJson);
    const manifest = JSON.parse(await fetchText(urls.manifest)) as RegionManifest;
    return warningsToCap(warnings, {
      sender: capSender(manifest), exercise: scenario.exercise, scenarioId: scenario.id,
      timeAt: (t) => isoAt(scenario, t), areas: districtCapAreas(manifest),
    }).filter((m) => m.fileName.startsWith(`${id}.`));
  },
  async wasmMemoryBytes() {
    await engine.ready();
    return wasmMemoryBytes();
  },
  async loadedResources() {
    return workerResources();
  },
  async runScenario(scenarioJson, urls, delivered = []) {
    const scenario = parseScenario(scenarioJson);
    const region = await gradedRegion(scenario, urls);
    const rainGrids = await loadRainGrids(scenario, urls);
    const run = await runScenario(memoEngine, scenario, region, { delivered: new Map(delivered), rainGrids });
    const files = runOutputs(run, scenario, region);
    const resultsSha256 = await resultsHash(files);
    const summary = runSummary(run, scenario, resultsSha256);
    const fire = run.fire && (({ arrivalS: _arrival, output: _output, ...rest }) => rest)(run.fire);
    const inundation = run.inundation && (({ maxDepthM: _depth, ...rest }) => rest)(run.inundation);
    const floodLayer = run.inundation && floodRaster(run.inundation.maxDepthM, region.manifest.grid.ncols, region.manifest.grid.nrows);
    const fireCells: FireCells | undefined = run.fire && {
      arrivalS: Float32Array.from(run.fire.output.arrival.values), rosMPerMin: Float32Array.from(run.fire.output.ros.values),
      intensityKwPerM: Float32Array.from(run.fire.output.intensity.values),
      flameLengthM: flameLengthsM(run.fire.output.intensity.values),
    };
    const answer: WorkerScenarioRun = {
      run: { ...run, fire, inundation }, summary, resultsSha256, fileSha256: await fileHashes(files),
      ...(floodLayer ? { floodLayer } : {}), ...(fireCells ? { fireCells } : {}),
    };
    // The big arrays move to the page rather than being copied.
    const buffers = [run.rainMap.mmPerH.buffer, floodLayer?.rgba.buffer, ...(fireCells ? Object.values(fireCells).map((a) => a.buffer) : [])];
    return Comlink.transfer(answer, buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
  },
};

Comlink.expose(api);
