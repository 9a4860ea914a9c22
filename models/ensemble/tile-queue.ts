// Tiles of a landslide grid on the ensemble's BullMQ queue: the coordinator adds one job per tile
// (`<run id>-tile-<index>`), `sandtable worker --queue URL` runs them next to its members. A
// worker reads the case and its grids from the path the job names (the same path on every machine,
// as for a scenario's region) once per run, and keeps an engine worker thread for its tiles, so
// the main thread stays free to renew the job's lock while a tile computes.
import { spawnEngineWorker, type EngineWorker } from '../engine-node.ts';
import { InputError } from '../errors.ts';
import { collectOnQueue } from './queue.ts';
import { loadTiledRun, runTile, type LoadedTiledRun } from './tile-run.ts';
import type { EncodedTile, TileSize } from './tiles.ts';

export interface TileJob { runId: string; index: number; casePath: string; tile: TileSize }
/** A tile's output, or why the engine refused its input (the coordinator then names the error). */
export type TileJobResult = EncodedTile | { index: number; problem: string };

export const tileJobId = (runId: string, index: number) => `${runId}-tile-${index}`;

export class TileJobs {
  private cached?: { runId: string; loaded: LoadedTiledRun };
  private engine?: EngineWorker;

  constructor(private readonly log: (line: string) => void) {}

  async run(job: TileJob): Promise<TileJobResult> {
    this.log(`running tile ${job.index} of run ${job.runId}`);
    try {
      if (this.cached?.runId !== job.runId) {
        this.cached = undefined; // the last run's grids may be large: let them go before reading the next
        const loaded = await loadTiledRun(job.casePath, job.tile);
        if (loaded.runId !== job.runId) throw new Error(`${job.casePath} is not the case of run ${job.runId} (changed since it was queued?)`);
        this.cached = { runId: job.runId, loaded };
      }
      this.engine ??= spawnEngineWorker();
      const result = await runTile(this.engine.engine, this.cached.loaded.prepared, job.index);
      this.log(`finished tile ${job.index} of run ${job.runId}`);
      return result;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { index: job.index, problem: error.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
    }
  }

  async close(): Promise<void> {
    await this.engine?.terminate();
  }
}

/** Every tile of the run, from queue workers; a refused tile comes back as its problem. */
export async function runTilesOnQueue(url: string, job: Omit<TileJob, 'index'>, count: number, onResult?: (r: TileJobResult) => void): Promise<TileJobResult[]> {
  const jobs = Array.from({ length: count }, (_, index) => ({ name: 'tile', id: tileJobId(job.runId, index), index, data: { ...job, index } }));
  return collectOnQueue<TileJob, TileJobResult>(url, jobs, onResult);
}
