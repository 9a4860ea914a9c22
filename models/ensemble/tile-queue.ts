// Tiles of a landslide grid on the ensemble's BullMQ queue: the coordinator adds one job per tile
// (`<run id>-tile-<index>`), `sandtable worker --queue URL` runs them next to its members. A
// worker reads the case and its grids from the path the job names (the same path on every machine,
// as for a scenario's region) once per run, and keeps an engine worker thread for its tiles, so
// the main thread stays free to renew the job's lock while a tile computes. With a results folder
// (and always for a grid ensemble's tiles) the grids go there as a file, and Redis holds only its
// path and hash (tile-files.ts).
import { spawnEngineWorker, type EngineWorker } from '../engine-node.ts';
import { InputError } from '../errors.ts';
import { collectOnQueue } from './queue.ts';
import { loadTiledRun, runTile, type LoadedTiledRun } from './tile-run.ts';
import { decodeValues, type EncodedTile, type TiledCase, type TileSize } from './tiles.ts';
import { loadProbabilityRun, writeProbabilityTile, type ProbabilityRun } from './fs-grid-run.ts';
import { runProbabilityTile } from './fs-grid-prob.ts';
import { readTileFile, writeTileFile, type TileFileRef } from './tile-files.ts';
import { CpuLaps, cpuPartsWanted, processCpuS } from './cpu-parts.ts';

export interface TileJob {
  runId: string; index: number; casePath: string; tile: TileSize | 'whole';
  /** A shared results folder: the tile's grids go there as a file and the job returns its path and hash. */
  results?: string;
  /** A grid ensemble's tile (fs-grid-prob.ts): every member on this tile, reduced to its products. */
  probability?: { members: number; seed: number };
}
/** A tile's output (inline, or its file in the results folder), or why the engine refused its input (the coordinator then names the error). */
export type TileJobResult = EncodedTile | TileFileRef | { index: number; problem: string };

export const tileJobId = (runId: string, index: number) => `${runId}-tile-${index}`;

export class TileJobs {
  private cached?: { runId: string; loaded: LoadedTiledRun };
  private cachedProbability?: ProbabilityRun;
  private engine?: EngineWorker;

  constructor(private readonly log: (line: string) => void) {}

  /** `enqueuedMs`: when the coordinator added the job (for SANDTABLE_CPU_PARTS=1's idle gaps). */
  async run(job: TileJob, enqueuedMs?: number): Promise<TileJobResult> {
    this.log(`running tile ${job.index} of run ${job.runId}`);
    try {
      if (job.probability) return await this.runProbability(job, job.probability);
      if (job.tile === 'whole') throw new Error('a deterministic tile job needs a tile size');
      const cpu = cpuPartsWanted() ? { laps: new CpuLaps(), process: processCpuS(), startedMs: Date.now() } : undefined;
      if (this.cached?.runId !== job.runId) {
        this.cached = undefined; // the last run's grids may be large: let them go before reading the next
        this.cachedProbability = undefined;
        const loaded = await loadTiledRun(job.casePath, job.tile);
        if (loaded.runId !== job.runId) throw new Error(`${job.casePath} is not the case of run ${job.runId} (changed since it was queued?)`);
        this.cached = { runId: job.runId, loaded };
      }
      cpu?.laps.lap('load');
      this.engine ??= spawnEngineWorker();
      const result = await runTile(this.engine.engine, this.cached.loaded.prepared, job.index);
      cpu?.laps.lap('cut_send_encode');
      const computeProcessS = cpu && processCpuS() - cpu.process;
      const out = job.results ? await writeEncodedTile(job.results, job.runId, result) : result;
      cpu?.laps.lap('write');
      this.log(`finished tile ${job.index} of run ${job.runId}`);
      if (cpu) this.log(`cpu-parts ${JSON.stringify({ tile: job.index, enqueued_ms: enqueuedMs, started_ms: cpu.startedMs, ended_ms: Date.now(), main_s: cpu.laps.parts, process_to_compute_end_s: computeProcessS, process_s: processCpuS() - cpu.process })}`);
      return out;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { index: job.index, problem: error.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
    }
  }

  private async runProbability(job: TileJob, overrides: { members: number; seed: number }): Promise<TileFileRef> {
    if (!job.results) throw new Error('a probability tile job needs a results folder');
    if (this.cachedProbability?.runId !== job.runId) {
      this.cached = undefined;
      this.cachedProbability = undefined;
      const loaded = await loadProbabilityRun(job.casePath, job.tile, overrides);
      if (loaded.runId !== job.runId) throw new Error(`${job.casePath} is not the case of run ${job.runId} (changed since it was queued?)`);
      this.cachedProbability = loaded;
    }
    this.engine ??= spawnEngineWorker();
    const tile = await runProbabilityTile(this.engine.engine, this.cachedProbability.prepared, job.index, this.cachedProbability.spec);
    const ref = await writeProbabilityTile(job.results, job.runId, tile);
    this.log(`finished tile ${job.index} of run ${job.runId}`);
    return ref;
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

/** A tile the engine refused: the coordinator reruns the whole case for the error an undivided run gives. */
export interface RefusedTile { index: number; problem: string }

/**
 * A deterministic tiled run on queue workers, each tile's output in hand (read back and checked
 * when it went through the results folder), or the first refused tile.
 */
export async function runTilesOnQueueRead(url: string, job: Omit<TileJob, 'index' | 'probability'>, prepared: TiledCase, { onResult }: { onResult?: (index: number) => void } = {}): Promise<{ tiles: EncodedTile[]; refused?: RefusedTile }> {
  const results = await runTilesOnQueue(url, job, prepared.tiles.length, (r) => onResult?.(r.index));
  const refused = results.find((r): r is RefusedTile => 'problem' in r);
  if (refused) return { tiles: [], refused };
  const tiles: EncodedTile[] = [];
  for (const r of results) tiles.push(isTileFileRef(r) ? await readEncodedTile(r, job.runId) : r as EncodedTile);
  return { tiles };
}

/** A deterministic tile's grids into the results folder; its summary travels in the file's header. */
export async function writeEncodedTile(dir: string, runId: string, tile: EncodedTile): Promise<TileFileRef> {
  const { grids, ...summary } = tile;
  const heads = Object.fromEntries(Object.entries(grids).map(([name, g]) => [name, { nodata: g.nodata, cellsize: g.cellsize }]));
  const values = Object.fromEntries(Object.entries(grids).map(([name, g]) => [name, decodeValues(g.f64)]));
  return writeTileFile(dir, 'tile', runId, tile.index, { ...summary, heads }, values);
}

/** The tile a worker wrote to the results folder, its hash checked, back in the inline form the stitch takes. */
export async function readEncodedTile(ref: TileFileRef, runId: string): Promise<EncodedTile> {
  const { meta, grids } = await readTileFile(ref.path, 'tile', runId, ref.index, ref.sha256);
  const { heads, ...summary } = meta as Omit<EncodedTile, 'grids'> & { heads: Record<string, { nodata: number; cellsize: number }> };
  return { ...summary, grids: Object.fromEntries(Object.entries(grids).map(([name, values]) => [name, { ...heads[name], f64: values }])) };
}

export const isTileFileRef = (r: TileJobResult): r is TileFileRef => 'sha256' in r;
