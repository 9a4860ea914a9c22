// Tiles of a landslide grid on the ensemble's BullMQ queue: the coordinator adds one job per tile
// (`<run id>-tile-<index>`), `sandtable worker --queue URL` runs them next to its members, on an
// engine worker thread it keeps, so the main thread stays free to renew the job's lock while a tile
// computes. With a results folder (and always for a grid ensemble's tiles) the grids go there as
// files, and Redis holds only their paths and hashes (tile-files.ts): a tile's input, cut by the
// coordinator (tile-inputs.ts; a grid ensemble's, fs-grid-inputs.ts), and its output (formatted by
// the worker as ESRI ASCII rows when the coordinator writes ASCII files: tile-text.ts). Without one,
// a worker reads the case and its grids from the path the job names (the same path on every
// machine, as for a scenario's region) once per run, and the output grids cross Redis.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnEngineWorker, type EngineWorker } from '../engine-node.ts';
import { InputError, type Problem } from '../errors.ts';
import { collectOnQueue, openQueue } from './queue.ts';
import { loadTiledRun, runTile, type GridRunner, type LoadedTiledRun } from './tile-run.ts';
import { MAX_QUEUE_INLINE_BYTES } from '../limits.ts';
import { cutTile, decodeValues, TileStitcher, type EncodedTile, type TiledCase, type TileSize } from './tiles.ts';
import type { GridOutput } from '../landslide/grid.ts';
import { loadProbabilityRun, writeProbabilityTile, type ProbabilityRun } from './fs-grid-run.ts';
import { probabilityTileCase, runProbabilityTileCase, type ProbabilityTileCase } from './fs-grid-prob.ts';
import { readProbabilityInput } from './fs-grid-inputs.ts';
import type { GridEnsembleSpec } from './fs-grid-block.ts';
import { readTileFile, type TileFileRef } from './tile-files.ts';
import { runTileInput, writeTileInput, writeTileOutput } from './tile-inputs.ts';
import { CpuLaps, cpuPartsWanted, processCpuS } from './cpu-parts.ts';
import { readTileText, TextStitcher, writeTileText, type AsciiFormat } from './tile-text.ts';

export interface TileJob {
  runId: string; index: number; casePath: string; tile: TileSize | 'whole';
  /** A shared results folder: the tile's grids go there as a file and the job returns its path and hash. */
  results?: string;
  /** A grid ensemble's tile (fs-grid-prob.ts): every member on this tile, reduced to its products. */
  probability?: { members: number; seed: number };
  /** A grid ensemble's rerun: members left out of the tile's counts (bad in other tiles; fs-grid-queue.ts). */
  exclude?: number[];
  /** The tile's own input grids, cut by the coordinator into the results folder (tile-inputs.ts). */
  input?: TileFileRef;
  /** With `input` and `results`: the worker writes its output grids as ESRI ASCII rows in this format (tile-text.ts). */
  ascii?: AsciiFormat;
}
/** A tile's output (inline, or its file in the results folder), or why the engine refused its input (the coordinator then names the error). */
export type TileJobResult = EncodedTile | TileFileRef | { index: number; problem: string; problems?: Problem[] };

export const tileJobId = (runId: string, index: number) => `${runId}-tile-${index}`;

/** A text run's output format by name: `ascii-7`, `ascii-full` (--full-precision). */
const formatName = (format: AsciiFormat) => `ascii-${format.digits ?? 'full'}`;

/** A text tile's job id names its format: a coordinator restarted with other digits must not find the first one's tiles done. */
const textTileJobId = (runId: string, index: number, format: AsciiFormat) => `${tileJobId(runId, index)}-${formatName(format)}`;

/**
 * A text run's files go to a sub-folder of the results folder named after its format: two
 * coordinators of one case in other precisions, sharing the folder, would otherwise write their
 * tiles under one name (the second then refusing the first's by its SHA-256) and remove each
 * other's inputs. A coordinator restarted in the same precision finds its own folder again.
 */
const textResultsFolder = (results: string, format: AsciiFormat) => join(results, formatName(format));

/**
 * SANDTABLE_CPU_PARTS=1: a tile job's main-thread CPU by part, the process's CPU to the compute's
 * end and in all, and its times (bench.ts --parts cpu reads the idle gaps between tiles from them).
 */
class TileCpu {
  readonly laps = new CpuLaps();
  private readonly process = processCpuS();
  private readonly startedMs = Date.now();
  private computeEndS?: number;

  static start(): TileCpu | undefined { return cpuPartsWanted() ? new TileCpu() : undefined; }

  /** The lap that ends with the tile computed. */
  computed(lap: string): void {
    this.laps.lap(lap);
    this.computeEndS = processCpuS() - this.process;
  }

  json(head: Record<string, unknown>, enqueuedMs?: number): string {
    return JSON.stringify({ ...head, enqueued_ms: enqueuedMs, started_ms: this.startedMs, ended_ms: Date.now(), main_s: this.laps.parts, process_to_compute_end_s: this.computeEndS, process_s: processCpuS() - this.process });
  }
}

/** A rerun's mark in the worker's log lines. */
const withoutLabel = (job: TileJob) => (job.exclude?.length ? ` without members ${job.exclude.join(',')}` : '');

export class TileJobs {
  private cached?: { runId: string; loaded: LoadedTiledRun };
  private cachedProbability?: ProbabilityRun;
  private engine?: EngineWorker;

  constructor(private readonly log: (line: string) => void) {}

  /** `enqueuedMs`: when the coordinator added the job (for SANDTABLE_CPU_PARTS=1's idle gaps). */
  async run(job: TileJob, enqueuedMs?: number): Promise<TileJobResult> {
    this.log(`running tile ${job.index} of run ${job.runId}${withoutLabel(job)}`);
    try {
      if (job.probability) return await this.runProbability(job, job.probability, enqueuedMs);
      if (job.tile === 'whole') throw new Error('a deterministic tile job needs a tile size');
      const { cpu, engine } = this.begin();
      let out: TileJobResult;
      if (job.input && job.results) {
        const output = await runTileInput(engine, job.input, job.runId);
        cpu?.computed('read_input_compute');
        out = job.ascii ? await writeTileText(job.results, job.runId, job.index, output, job.ascii) : await writeTileOutput(job.results, job.runId, job.index, output);
      } else {
        const prepared = await this.loadCase(job, job.tile);
        cpu?.laps.lap('load');
        const result = await runTile(engine, prepared, job.index);
        cpu?.computed('cut_send_encode');
        out = job.results ? await writeEncodedTile(job.results, job.runId, result) : result;
      }
      this.finished(job, cpu, { tile: job.index }, enqueuedMs);
      return out;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // The problems themselves too: a grid ensemble's drawn value is refused only by its tile, not by the whole case.
      return { index: job.index, problem: error.problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems: error.problems };
    }
  }

  /** The case's whole grids, read and parsed once per run: the path of a job whose coordinator cut no tile inputs. */
  private async loadCase(job: TileJob, size: TileSize): Promise<TiledCase> {
    if (this.cached?.runId !== job.runId) {
      this.cached = undefined; // the last run's grids may be large: let them go before reading the next
      this.cachedProbability = undefined;
      const loaded = await loadTiledRun(job.casePath, size);
      if (loaded.runId !== job.runId) throw new Error(`${job.casePath} is not the case of run ${job.runId} (changed since it was queued?)`);
      this.cached = { runId: job.runId, loaded };
    }
    return this.cached.loaded.prepared;
  }

  private async runProbability(job: TileJob, overrides: { members: number; seed: number }, enqueuedMs?: number): Promise<TileFileRef> {
    if (!job.results) throw new Error('a probability tile job needs a results folder');
    const { cpu, engine } = this.begin();
    let tileCase: ProbabilityTileCase;
    let spec: GridEnsembleSpec;
    if (job.input) {
      ({ tileCase, spec } = await readProbabilityInput(job.input, job.runId));
      if (spec.members !== overrides.members || spec.seed !== overrides.seed) throw new Error(`tile ${job.index}'s input is not of run ${job.runId} (members ${spec.members}, seed ${spec.seed})`);
    } else {
      const run = await this.loadProbability(job, overrides);
      tileCase = probabilityTileCase(run.prepared, job.index);
      spec = run.spec;
    }
    cpu?.laps.lap('read_input');
    const tile = await runProbabilityTileCase(engine, tileCase, spec, job.exclude);
    cpu?.laps.lap('members_count');
    const ref = await writeProbabilityTile(job.results, job.runId, tile);
    this.finished(job, cpu, { tile: job.index, probability: true }, enqueuedMs);
    return ref;
  }

  /** A tile job's start: its CPU count (SANDTABLE_CPU_PARTS=1), and the engine thread, started (its kernels compile) while the inputs are read. */
  private begin(): { cpu?: TileCpu; engine: EngineWorker['engine'] } {
    const cpu = TileCpu.start();
    this.engine ??= spawnEngineWorker();
    return { cpu, engine: this.engine.engine };
  }

  /** After the tile's output is written: the `finished` line, and with SANDTABLE_CPU_PARTS=1 its CPU parts. */
  private finished(job: TileJob, cpu: TileCpu | undefined, head: Record<string, unknown>, enqueuedMs?: number): void {
    cpu?.laps.lap('write');
    this.log(`finished tile ${job.index} of run ${job.runId}${withoutLabel(job)}`);
    if (cpu) this.log(`cpu-parts ${cpu.json(head, enqueuedMs)}`);
  }

  /** The case and its whole grids, read and parsed once per run: the path of a job whose coordinator cut no tile inputs. */
  private async loadProbability(job: TileJob, overrides: { members: number; seed: number }): Promise<ProbabilityRun> {
    if (this.cachedProbability?.runId !== job.runId) {
      this.cached = undefined;
      this.cachedProbability = undefined;
      const loaded = await loadProbabilityRun(job.casePath, job.tile, overrides);
      if (loaded.runId !== job.runId) throw new Error(`${job.casePath} is not the case of run ${job.runId} (changed since it was queued?)`);
      this.cachedProbability = loaded;
    }
    return this.cachedProbability;
  }

  async close(): Promise<void> {
    await this.engine?.terminate();
  }
}

/** Every tile of the run, from queue workers; a refused tile comes back as its problem. */
export async function runTilesOnQueue(url: string, job: Omit<TileJob, 'index'>, count: number, onResult?: (r: TileJobResult) => void): Promise<TileJobResult[]> {
  return collectOnQueue<TileJob, TileJobResult>(url, tileJobs(job, count), onResult, TILE_POLL_MS);
}

/** A tile is seconds of work: looking every 50 ms for the finished ones costs Redis little and shortens the wait after the last. */
const TILE_POLL_MS = 50;

/** A queue job per tile; `inputs`: each tile's cut input, by index. */
const tileJobs = (job: Omit<TileJob, 'index'>, count: number, inputs?: readonly TileFileRef[]) =>
  Array.from({ length: count }, (_, index) => ({ name: 'tile', id: jobIdOf(job, index), index, data: { ...job, index, ...(inputs ? { input: inputs[index] } : {}) } }));

/**
 * Cuts each tile's input into the results folder (`cut`) and queues the tile at once, so workers
 * start on the first tiles while the coordinator cuts the rest; answers the inputs, by tile index.
 */
export async function queueTileInputs(url: string, prepared: TiledCase, cut: (index: number) => Promise<TileFileRef>, job: Omit<TileJob, 'index' | 'input'>): Promise<TileFileRef[]> {
  const inputs: TileFileRef[] = [];
  const queue = await openQueue(url);
  try {
    for (const { index } of prepared.tiles) {
      inputs.push(await cut(index));
      await queue.add('tile', jobIdOf(job, index), { ...job, index, input: inputs[index] });
    }
  } finally { await queue.close(); }
  return inputs;
}

/** Once every tile is done the cut inputs were the coordinator's to hand over: nobody reads them again. */
export const removeTileInputs = async (inputs: readonly TileFileRef[]) => { await Promise.all(inputs.map((ref) => rm(ref.path, { force: true }))); };

/**
 * Waits for the tiles' jobs, reading each tile's result file (`read`) as soon as its job is done,
 * while the others still run; answers every job's result and each file's read by tile index, all
 * settled. `onResult` sees every result as it comes (a refused tile's, an inline one's).
 */
export async function collectTileFiles<T>(url: string, jobs: readonly { name: string; id: string; index: number; data: TileJob }[], read: (ref: TileFileRef) => Promise<T>, { keepJobs = false, onResult }: { keepJobs?: boolean; onResult?: (r: TileJobResult) => void } = {}): Promise<{ results: TileJobResult[]; files: Map<number, Promise<T>> }> {
  const files = new Map<number, Promise<T>>();
  const results = await collectOnQueue<TileJob, TileJobResult>(url, jobs, (r) => {
    if (isTileFileRef(r)) {
      const file = read(r);
      file.catch(() => undefined); // awaited by the caller; until then a failed read must not count as unhandled
      files.set(r.index, file);
    }
    onResult?.(r);
  }, TILE_POLL_MS, { keepJobs });
  await Promise.allSettled(files.values());
  return { results, files };
}

const jobIdOf = (job: Omit<TileJob, 'index'>, index: number) => (job.ascii && job.results ? textTileJobId(job.runId, index, job.ascii) : tileJobId(job.runId, index));

/** Bytes a tiled run's output grids put through Redis without a results folder: every double, base64 (4 bytes per 3). */
export const inlineTileBytes = (cells: number, outputGrids: number) => Math.ceil((cells * outputGrids * 8) / 3) * 4;

/**
 * Refuses, before any job is queued, a run whose output grids would not fit through Redis
 * (MAX_QUEUE_INLINE_BYTES). The output grids are counted on the grid's first cell, run alone: a
 * cell's own input error is the whole case's too, and `refused` gives it as the undivided run does.
 */
export async function checkInlineTiles(runner: GridRunner, prepared: TiledCase, refused: (error: InputError) => Promise<never>): Promise<void> {
  const firstCell = { index: 0, row0: 0, row1: 1, col0: 0, col1: 1 };
  const probe = await runner.landslideGrid(prepared.input, cutTile(prepared, firstCell)).catch((e) => (e instanceof InputError ? refused(e) : Promise.reject(e)));
  const outputGrids = Object.keys(probe.grids).length;
  const cells = prepared.reference.ncols * prepared.reference.nrows;
  const bytes = inlineTileBytes(cells, outputGrids);
  const env = Number(process.env.SANDTABLE_QUEUE_INLINE_MAX_BYTES);
  const limit = Number.isInteger(env) && env > 0 ? env : MAX_QUEUE_INLINE_BYTES;
  if (bytes <= limit) return;
  const shown = (n: number) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`);
  throw InputError.single('--results', `is required for this grid on the queue: its output grids would put ${shown(bytes)} of base64 through Redis`, `${cells} cells × ${outputGrids} output grids`,
    `at most ${shown(limit)} through Redis; --results DIR, a folder the coordinator and every worker share, takes the tiles' grids as files instead`);
}

/** A tile the engine refused: the coordinator reruns the whole case for the error an undivided run gives. */
export interface RefusedTile { index: number; problem: string }

/** The stitched run: its summary, and its grids as doubles or (a job with `ascii`) as each output file's bytes. */
export type StitchedTiles = { output: GridOutput; files?: Record<string, () => Uint8Array> };

/**
 * A deterministic tiled run on queue workers, stitched, or its first refused tile. With a results
 * folder, the coordinator cuts each tile's inputs there (tile-inputs.ts) and queues the tile at
 * once, so workers start while it cuts the rest; it reads each tile's output (its hash checked)
 * and stitches it as soon as the tile is done, while the others still run, so only the last tile's
 * read and the summary remain after the workers finish. With `ascii` too, the workers format their
 * tiles' output grids and the coordinator only joins their rows (tile-text.ts).
 */
export async function runTilesOnQueueRead(url: string, job: Omit<TileJob, 'index' | 'probability' | 'input'>, prepared: TiledCase, { onResult }: { onResult?: (index: number) => void } = {}): Promise<StitchedTiles | { refused: RefusedTile }> {
  // Text tiles need the inputs the coordinator cuts: without a results folder the grids cross Redis as doubles.
  const queued = !job.results ? { ...job, ascii: undefined } : job.ascii ? { ...job, results: textResultsFolder(job.results, job.ascii) } : job;
  const inputs = queued.results ? await queueTileInputs(url, prepared, (index) => writeTileInput(queued.results!, job.runId, prepared, index), queued) : undefined;
  const stitcher = new TileStitcher(prepared);
  const text = queued.ascii ? new TextStitcher(prepared, queued.ascii) : undefined;
  let refused: RefusedTile | undefined;
  const { files } = await collectTileFiles(url, tileJobs(queued, prepared.tiles.length, inputs),
    (ref) => (text ? readTileText(ref, job.runId).then((tile) => text.add(tile)) : readEncodedTile(ref, job.runId).then((tile) => stitcher.add(tile))), {
      onResult: (r) => {
        if ('problem' in r) refused ??= r;
        else if (!isTileFileRef(r)) stitcher.add(r);
        onResult?.(r.index);
      },
    });
  await Promise.all(files.values());
  await removeTileInputs(inputs ?? []);
  if (refused) return { refused };
  return text ? text.finish() : { output: stitcher.finish() };
}

/** A deterministic tile's grids into the results folder (writeTileOutput's file); its summary travels in the file's header. */
export async function writeEncodedTile(dir: string, runId: string, tile: EncodedTile): Promise<TileFileRef> {
  const grids = Object.fromEntries(Object.entries(tile.grids).map(([name, g]) => [name, { nodata: g.nodata, cellsize: g.cellsize, values: decodeValues(g.f64) }]));
  return writeTileOutput(dir, runId, tile.index, { ...tile, grids });
}

/** The tile a worker wrote to the results folder, its hash checked, back in the inline form the stitch takes. */
export async function readEncodedTile(ref: TileFileRef, runId: string): Promise<EncodedTile> {
  const { meta, grids } = await readTileFile(ref.path, 'tile', runId, ref.index, ref.sha256);
  const { heads, ...summary } = meta as Omit<EncodedTile, 'grids'> & { heads: Record<string, { nodata: number; cellsize: number }> };
  return { ...summary, grids: Object.fromEntries(Object.entries(grids).map(([name, values]) => [name, { ...heads[name], f64: values }])) };
}

export const isTileFileRef = (r: TileJobResult): r is TileFileRef => 'sha256' in r;
