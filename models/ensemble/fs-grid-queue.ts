// A grid ensemble's tiles on queue workers (`landslide fs case.json --members N --tile RxC --queue
// URL --results DIR`), bad members included: the first pass queues every tile under the ids the
// deterministic tiles use (`<run id>-tile-<i>`); tiles that disagree on the bad members (bad in some
// tiles only) are queued again with the union as `exclude`, under ids that name the left-out members
// and writing into their own folder (rerunFolder), and merged with their first pass as the local
// run merges them (withBadMembersExcluded), so the products are the local run's bytes. A restarted
// coordinator re-adds the same ids and finds finished jobs done; the first pass's jobs are removed
// once its results are read, so a coordinator killed during the reruns runs the first pass again
// (the same bytes into the same files) before picking up the reruns.
import { basename } from 'node:path';
import type { Problem } from '../errors.ts';
import { withBadMembersExcluded, type ProbabilityTile } from './fs-grid-prob.ts';
import { readProbabilityTile, rerunFolder } from './fs-grid-run.ts';
import { collectOnQueue } from './queue.ts';
import { isTileFileRef, tileJobId, type TileJob, type TileJobResult } from './tile-queue.ts';

export type ProbabilityQueueJob = Omit<TileJob, 'index' | 'exclude' | 'results'> & { results: string };

/**
 * Every tile of the run over the same good members; a tile whose input was refused goes to
 * `refused` (which throws), with the worker's problems when it sent them.
 */
export function runProbabilityOnQueue(url: string, job: ProbabilityQueueJob, count: number, refused: (index: number, problem: string, problems?: Problem[]) => Promise<never>): Promise<ProbabilityTile[]> {
  return withBadMembersExcluded(Array.from({ length: count }, (_, i) => i), async (indices, exclude) => {
    const results = exclude.length ? rerunFolder(job.results, exclude) : job.results;
    const jobs = indices.map((index) => ({
      name: 'tile', index,
      id: exclude.length ? `${tileJobId(job.runId, index)}-${basename(results)}` : tileJobId(job.runId, index),
      data: { ...job, index, results, ...(exclude.length ? { exclude } : {}) },
    }));
    const tiles: ProbabilityTile[] = [];
    for (const r of await collectOnQueue<TileJob, TileJobResult>(url, jobs)) {
      if ('problem' in r) return refused(r.index, r.problem, r.problems);
      if (!isTileFileRef(r)) throw new Error(`tile ${r.index} came back without its result file`);
      tiles.push(await readProbabilityTile(r.path, job.runId, r.index, r.sha256));
    }
    return tiles;
  });
}
