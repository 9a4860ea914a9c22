// The page's side of web/ensemble-grid-open.worker.ts: one worker, started on the first grid folder
// and kept for the next; Cancel terminates it (a grid's parse has no point to stop at), so control
// comes back at once and the next open starts a fresh one.
import * as Comlink from 'comlink';
import '../models/comlink-errors.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { GridEnsemble, GridOpenProgress } from './ensemble-grid-open.ts';
import type { GridOpenApi } from './ensemble-grid-open.worker.ts';
import type { PreparedLayer } from './ensemble-layers.ts';

export class GridOpenCancelled extends Error {
  constructor() {
    super('opening the grid ensemble was cancelled');
    this.name = 'GridOpenCancelled';
  }
}

const startWorker = () => new Worker(new URL('./ensemble-grid-open.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-grid-open' });

/** The worker's script and its imports, for the offline cache (web/offline.ts); the worker is ended at once. */
export async function gridOpenWorkerResources(spawn: () => Worker = startWorker): Promise<string[]> {
  const worker = spawn();
  try {
    return await Comlink.wrap<GridOpenApi>(worker).loadedResources();
  } finally {
    worker.terminate();
  }
}

export class GridOpener {
  private worker?: { worker: Worker; remote: Comlink.Remote<GridOpenApi> };
  private stop?: (reason: Error) => void;

  constructor(private readonly spawn: () => Worker = startWorker) {}

  get opening(): boolean {
    return this.stop !== undefined;
  }

  /** Reads, checks and parses the folder's files in the worker; rejects with GridOpenCancelled on cancel(). */
  async open(blobs: Record<string, Blob>, region: RegionManifest | undefined, progress?: (p: GridOpenProgress) => void): Promise<GridEnsemble & { pLayer: PreparedLayer }> {
    if (this.stop) throw new Error('a grid ensemble is already being opened');
    const stopped = new Promise<never>((_, reject) => { this.stop = reject; });
    try {
      const w = (this.worker ??= this.start());
      // Only what placing and the CRS check read: the region's reaches and items stay on the page.
      const where = region && { crs: region.crs, crs_definition: region.crs_definition, grid: region.grid };
      return await Promise.race([w.remote.open(blobs, where, progress && Comlink.proxy(progress)), stopped]);
    } finally {
      this.stop = undefined;
    }
  }

  cancel(): void {
    if (!this.stop) return;
    this.terminate();
    this.stop(new GridOpenCancelled());
  }

  dispose(): void {
    this.cancel();
    this.terminate();
  }

  private start() {
    const worker = this.spawn();
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.terminate();
      this.stop?.(new Error(`the grid ensemble reader failed: ${event.message || 'it could not start'}`));
    });
    return { worker, remote: Comlink.wrap<GridOpenApi>(worker) };
  }

  private terminate(): void {
    this.worker?.worker.terminate();
    this.worker = undefined;
  }
}
