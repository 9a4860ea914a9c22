// An ensemble pool worker (web/ensemble-pool.ts starts several): its own kernels and its own copy
// of the region, loaded once, then members by index until the pool has none left. It runs no
// scenario of the drill and renders nothing, so it can be terminated at any moment (Cancel).
import * as Comlink from 'comlink';
import type { MemberResult } from '../models/ensemble/member-run.ts';
import type { EnsembleProducts } from '../models/ensemble/products.ts';
import type { RegionUrls } from './engine.worker.ts';
import { prepareEnsemble, type EnsembleRequest, type EnsembleShare, type PreparedEnsemble } from './ensemble-worker.ts';
import { gradedRegionCache, loadRainGrids, scenarioGrid } from './region-fetch.ts';
import { kernelEngine, wasmMemoryBytes, workerResources } from './worker-kernels.ts';

export interface EnsembleWorkerApi {
  /** Loads what the run's members share; the same scenario, URLs and request again reuse it. */
  prepare(scenarioJson: Record<string, unknown>, urls: RegionUrls, request: EnsembleRequest): Promise<PreparedEnsemble>;
  member(index: number): Promise<MemberResult>;
  products(results: MemberResult[]): Promise<EnsembleProducts>;
  /** The kernels' linear memory now, bytes (benchmarks/web/ensemble-pool.ts). */
  wasmMemoryBytes(): Promise<number>;
  /** This worker's own script and the modules it imported: for the offline cache. */
  loadedResources(): Promise<string[]>;
}

const engine = kernelEngine();
const gradedRegion = gradedRegionCache();
let share: { key: string; share: Promise<EnsembleShare> } | undefined;

function current(): Promise<EnsembleShare> {
  if (!share) throw new Error('an ensemble member was asked for before the run was prepared');
  return share.share;
}

const api: EnsembleWorkerApi = {
  async prepare(scenarioJson, urls, request) {
    const key = JSON.stringify([scenarioJson, urls, request]);
    if (share?.key !== key) {
      share = {
        key,
        share: prepareEnsemble(engine, scenarioJson, request, {
          region: (base) => gradedRegion(base, urls),
          rainGrids: (scenario) => loadRainGrids(scenario, urls),
          grid: (file, path) => scenarioGrid(urls, file, path),
        }),
      };
      // A refused scenario is not kept: the next prepare tries again.
      share.share.catch(() => { if (share?.key === key) share = undefined; });
    }
    return (await share.share).prepared;
  },
  async member(index) {
    return (await current()).member(index);
  },
  async products(results) {
    return (await current()).products(results);
  },
  async wasmMemoryBytes() {
    await engine.ready();
    return wasmMemoryBytes();
  },
  async loadedResources() {
    return workerResources();
  },
};

Comlink.expose(api);
