// The page's side of web/ensemble-open.worker.ts: one worker, started on the first folder opened or
// layer painted and kept for the next; Cancel terminates it (a grid's parse has no point to stop
// at), so control comes back at once and the next call starts a fresh one.
import * as Comlink from 'comlink';
import '../models/comlink-errors.ts';
import type { EnsembleView } from '../models/ensemble/open-products.ts';
import type { Grid } from '../models/grid/ascii.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { GridEnsemble, GridOpenProgress } from './ensemble-grid-open.ts';
import type { EnsembleOpenApi } from './ensemble-open.worker.ts';
import type { PreparedLayer, ProbabilityLayer } from './ensemble-layers.ts';

export class OpenCancelled extends Error {
  constructor() {
    super('opening the ensemble was cancelled');
    this.name = 'OpenCancelled';
  }
}

const startWorker = () => new Worker(new URL('./ensemble-open.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-ensemble-open' });

/** The worker's script and its imports, for the offline cache (web/offline.ts); the worker is ended at once. */
export async function openWorkerResources(spawn: () => Worker = startWorker): Promise<string[]> {
  const worker = spawn();
  try {
    return await Comlink.wrap<EnsembleOpenApi>(worker).loadedResources();
  } finally {
    worker.terminate();
  }
}

interface Started {
  worker: Worker;
  remote: Comlink.Remote<EnsembleOpenApi>;
  /** Rejects every call still waiting on this worker when it is ended or fails. */
  ended: Promise<never>;
  end: (reason: Error) => void;
}

export class EnsembleOpener {
  private worker?: Started;
  /** The open under way, if any (a cancelled one's end may land after the next has begun). */
  private current?: object;

  constructor(private readonly spawn: () => Worker = startWorker) {}

  get opening(): boolean {
    return this.current !== undefined;
  }

  /** Reads, checks and parses a grid ensemble folder's files in the worker; rejects with OpenCancelled on cancel(). */
  openGrid(blobs: Record<string, Blob>, region: RegionManifest | undefined, progress?: (p: GridOpenProgress) => void): Promise<GridEnsemble & { pLayer: PreparedLayer }> {
    // Only what placing and the CRS check read: the region's reaches and items stay on the page.
    const where = region && { crs: region.crs, crs_definition: region.crs_definition, grid: region.grid };
    return this.opened((remote) => remote.openGrid(blobs, where, progress && Comlink.proxy(progress)));
  }

  /** The same for a scenario ensemble folder (or a browser run's products, with their manifest). */
  openScenario(blobs: Record<string, Blob>, progress?: (p: GridOpenProgress) => void, manifestText?: string): Promise<EnsembleView> {
    return this.opened((remote) => remote.openScenario(blobs, manifestText, progress && Comlink.proxy(progress)));
  }

  /** A grid layer's pixels made in the worker (the grid is copied there): rejects with OpenCancelled if an open is cancelled meanwhile. */
  paint(grid: Grid, layer: ProbabilityLayer, regionCellsize: number): Promise<PreparedLayer> {
    const w = (this.worker ??= this.start());
    return Promise.race([w.remote.paint(grid, layer, regionCellsize), w.ended]);
  }

  /** Ends the open under way at once (and any paint waiting behind it); nothing if none is. */
  cancel(): void {
    if (this.current) this.terminate(new OpenCancelled());
  }

  dispose(): void {
    this.terminate(new OpenCancelled());
  }

  private async opened<T>(call: (remote: Comlink.Remote<EnsembleOpenApi>) => Promise<T>): Promise<T> {
    if (this.current) throw new Error('an ensemble folder is already being opened');
    const mine = {};
    this.current = mine;
    try {
      const w = (this.worker ??= this.start());
      return await Promise.race([call(w.remote), w.ended]);
    } finally {
      if (this.current === mine) this.current = undefined;
    }
  }

  private start(): Started {
    const worker = this.spawn();
    let end!: (reason: Error) => void;
    const ended = new Promise<never>((_, reject) => { end = reject; });
    ended.catch(() => {}); // a worker ended with no call waiting is no failure
    const started: Started = { worker, remote: Comlink.wrap<EnsembleOpenApi>(worker), ended, end };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (this.worker === started) this.terminate(new Error(`the ensemble folder reader failed: ${event.message || 'it could not start'}`));
    });
    return started;
  }

  private terminate(reason: Error): void {
    const w = this.worker;
    this.worker = undefined;
    this.current = undefined;
    w?.worker.terminate();
    w?.end(reason);
  }
}
