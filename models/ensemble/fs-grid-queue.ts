// A grid ensemble's tiles on queue workers (`landslide fs case.json --members N --tile RxC --queue
// URL --results DIR`), bad members included. The coordinator cuts each tile's inputs into the
// results folder (fs-grid-inputs.ts) and queues the tile at once, so a worker reads only its tile's
// bytes, never the case's whole grids; it places each tile's products as the tile finishes
// (ProbabilityStitcher), while the others still run. The first pass queues every tile under the ids
// the deterministic tiles use (`<run id>-tile-<i>`); tiles that disagree on the bad members (bad in
// some tiles only) are queued again with the union as `exclude`, under ids that name the left-out
// members and writing into their own folder (rerunFolder), and merged with their first pass as the
// local run merges them (withBadMembersExcluded), so the products are the local run's bytes. A
// restarted coordinator re-adds the same ids and finds finished jobs done: every job is kept in
// Redis until the products are written (`cleanUp`), so a coordinator killed during the reruns
// reads the first pass's results instead of running it again.
import { basename } from 'node:path';
import type { Problem } from '../errors.ts';
import type { GridEnsembleSpec } from './fs-grid-block.ts';
import { writeProbabilityInput } from './fs-grid-inputs.ts';
import { ProbabilityStitcher, withBadMembersExcluded, type ProbabilityProducts, type ProbabilityTile } from './fs-grid-prob.ts';
import { readProbabilityTile, rerunFolder } from './fs-grid-run.ts';
import { removeJobs } from './queue.ts';
import { holdRunBeat } from './run-beat.ts';
import { collectTileFiles, isTileFileRef, queueTileInputs, removeTileInputs, tileJobId, type TileJob } from './tile-queue.ts';
import type { TiledCase } from './tiles.ts';

// No `ascii`: the first pass's ids (below) are then the ones queueTileInputs gives the tiles it queues.
export type ProbabilityQueueJob = Omit<TileJob, 'index' | 'exclude' | 'results' | 'input' | 'ascii'> & { results: string };

export interface ProbabilityQueueRun {
  products: ProbabilityProducts;
  /** Once the products are written: the run's heartbeat stopped, its jobs out of Redis and the cut inputs out of the results folder. */
  cleanUp(): Promise<void>;
  /** When writing the products failed: the heartbeat stopped, the jobs kept for a restart (once cleanUp ran, nothing left to do). */
  release(): Promise<void>;
}

/**
 * Every tile of the run over the same good members, stitched; a tile whose input was refused goes
 * to `refused` (which throws), with the worker's problems when it sent them.
 */
export async function runProbabilityOnQueue(url: string, job: ProbabilityQueueJob, prepared: TiledCase, spec: GridEnsembleSpec, refused: (index: number, problem: string, problems?: Problem[]) => Promise<never>): Promise<ProbabilityQueueRun> {
  // The run beats from its first job until cleanUp: between its passes, and while the caller writes the products.
  const beat = holdRunBeat(url, job.runId);
  try {
    const inputs = await queueTileInputs(url, prepared, (index) => writeProbabilityInput(job.results, job.runId, prepared, spec, index), job);
    const stitcher = new ProbabilityStitcher(prepared);
    const ids: string[] = [];
    const cleanUp = async () => {
      await beat.release();
      await removeJobs(url, ids);
      await removeTileInputs(inputs);
    };
    const tiles = await withBadMembersExcluded(prepared.tiles.map((t) => t.index), async (indices, exclude) => {
      const results = exclude.length ? rerunFolder(job.results, exclude) : job.results;
      const jobs = indices.map((index) => ({
        name: 'tile', index,
        id: exclude.length ? `${tileJobId(job.runId, index)}-${basename(results)}` : tileJobId(job.runId, index),
        data: { ...job, index, results, input: inputs[index], ...(exclude.length ? { exclude } : {}) },
      }));
      ids.push(...jobs.map((j) => j.id));
      // Each tile's file is read and its grids placed as soon as it is done; only its counts stay.
      const { results: done, files } = await collectTileFiles(url, jobs, (ref) => readProbabilityTile(ref.path, job.runId, ref.index, ref.sha256).then((t) => {
        stitcher.place(t);
        return { ...t, grids: {} };
      }), { keepJobs: true });
      const placed: ProbabilityTile[] = [];
      for (const r of done) {
        if ('problem' in r) {
          // A refused input is the run's answer: a run of the corrected case must not find these jobs done.
          await cleanUp();
          return refused(r.index, r.problem, r.problems);
        }
        if (!isTileFileRef(r)) throw new Error(`tile ${r.index} came back without its result file`);
        placed.push(await files.get(r.index)!);
      }
      return placed;
    });
    return { products: stitcher.finish(tiles), cleanUp, release: () => beat.release() };
  } catch (error) {
    await beat.release(); // idempotent: a refused tile's cleanUp released it already
    throw error;
  }
}
