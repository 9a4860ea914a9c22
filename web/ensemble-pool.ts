// The app's ensemble runs on a pool of web workers (web/ensemble.worker.ts), each with its own
// kernels and its own copy of the region, loaded once and kept for the next run. Workers pull the
// next member index as they finish one; every result is kept at its index and the products are
// reduced from them in index order, so they are `sandtable ensemble`'s bytes for any pool size and
// any completion order. Cancel terminates the workers (a member is one long kernel call with no
// point to stop at), so control comes back at once; the next run starts fresh workers.
import * as Comlink from 'comlink';
import '../models/comlink-errors.ts';
import { InputError } from '../models/errors.ts';
import type { MemberResult } from '../models/ensemble/member-run.ts';
import { ensembleWarnings } from '../models/ensemble/member-warnings.ts';
import type { RegionUrls } from './engine.worker.ts';
import type { EnsembleWorkerApi } from './ensemble.worker.ts';
import type { BrowserEnsemble, EnsembleRequest } from './ensemble-worker.ts';

/**
 * Workers at most, whatever the machine says: each holds the region's grids and its kernels' memory
 * (≈ 0.2 GB for the shipped 1024² region, benchmarks/web/ensemble-pool.ts), and a browser tab
 * beyond ~1–2 GB risks being killed.
 */
export const MAX_POOL_WORKERS = 4;

/** The pool for a machine with `cores` logical processors (navigator.hardwareConcurrency). */
export function poolSizeFor(cores: number | undefined): number {
  return Math.max(1, Math.min(MAX_POOL_WORKERS, Math.floor(cores ?? 1) || 1));
}

export interface BadMember { index: number; problem: string }

export interface PoolProgress {
  done: number;
  total: number;
  /** Members left out so far, in index order. */
  bad: BadMember[];
  workers: number;
  /** performance.now() when the run started, and when its members started (the shared inputs loaded). */
  startedMs: number;
  membersFromMs?: number;
}

export class EnsembleCancelled extends Error {
  constructor(readonly done = 0, readonly total = 0) {
    super(`the ensemble was cancelled after ${done} of ${total} members`);
    this.name = 'EnsembleCancelled';
  }
}

interface PoolWorker { worker: Worker; remote: Comlink.Remote<EnsembleWorkerApi> }

const startWorker = () => new Worker(new URL('./ensemble.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-ensemble' });

/**
 * The pool worker's script and its imports, for the offline cache: a drill room that loses its
 * network before anyone ran an ensemble can still run one. A worker is started to learn its hashed
 * names and ended at once (its kernels have only begun to compile; no region is loaded).
 */
export async function ensembleWorkerResources(spawn: () => Worker = startWorker): Promise<string[]> {
  const worker = spawn();
  try {
    return await Comlink.wrap<EnsembleWorkerApi>(worker).loadedResources();
  } finally {
    worker.terminate();
  }
}

export class EnsemblePool {
  private workers: PoolWorker[] = [];
  private stop?: (reason: Error) => void;

  constructor(private readonly spawn: () => Worker = startWorker) {}

  get running(): boolean {
    return this.stop !== undefined;
  }

  /** Workers alive now (kept between runs; none after a cancel). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * `arrived` (tests only) is awaited when a member's result reaches the pool, before it is counted:
   * holding one member's result forces the order in which the pool receives them.
   */
  async run(scenarioJson: Record<string, unknown>, urls: RegionUrls, request: EnsembleRequest, options: { size: number; progress?: (p: PoolProgress) => void; arrived?: (index: number) => Promise<void> }): Promise<BrowserEnsemble> {
    if (this.stop) throw new Error('an ensemble is already running');
    const startedMs = performance.now();
    let stop!: (reason: Error) => void;
    const stopped = new Promise<never>((_, reject) => { stop = reject; });
    stopped.catch(() => {});
    let halted = false;
    this.stop = (reason) => { halted = true; stop(reason); };
    const guard = <T>(work: Promise<T>) => Promise.race([work, stopped]);
    const size = Math.max(1, Math.min(options.size, request.members ?? options.size));
    const progress: PoolProgress = { done: 0, total: request.members ?? 0, bad: [], workers: size, startedMs };
    try {
      while (this.workers.length < size) this.workers.push(this.start());
      const pool = this.workers.slice(0, size);
      const [prepared] = await guard(Promise.all(pool.map((w) => w.remote.prepare(scenarioJson, urls, request))));
      const total = prepared.members;
      const results: MemberResult[] = new Array(total);
      let next = 0;
      Object.assign(progress, { total, membersFromMs: performance.now() });
      options.progress?.({ ...progress });
      await guard(Promise.all(pool.map(async (w) => {
        while (!halted && next < total) {
          const index = next++;
          const result = await w.remote.member(index);
          if (options.arrived) await options.arrived(index);
          if (halted) return;
          results[index] = result;
          progress.done++;
          if (result.problem !== undefined) progress.bad = [...progress.bad, { index, problem: result.problem }].sort((a, b) => a.index - b.index);
          options.progress?.({ ...progress });
        }
      })));
      const products = await guard(pool[0].remote.products(results));
      return { ...products, ...prepared, badMembers: progress.bad, modelWarnings: ensembleWarnings(results), wallMs: Math.round(performance.now() - startedMs), workers: size };
    } catch (error) {
      if (error instanceof EnsembleCancelled) throw new EnsembleCancelled(progress.done, progress.total);
      // A refused scenario leaves the workers as they were; anything else may have left one mid-member.
      if (!(error instanceof InputError)) this.terminate();
      throw error;
    } finally {
      this.stop = undefined;
    }
  }

  /** Stops the run now: its workers are terminated, it rejects with EnsembleCancelled. */
  cancel(): void {
    if (!this.stop) return;
    this.terminate();
    this.stop(new EnsembleCancelled());
  }

  dispose(): void {
    this.cancel();
    this.terminate();
  }

  private start(): PoolWorker {
    const worker = this.spawn();
    // A worker that fails to load or throws outside a call fails the run (rather than leaving its
    // member pending forever) and is dropped, so a later run never waits on it.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      worker.terminate();
      this.workers = this.workers.filter((w) => w.worker !== worker);
      this.stop?.(new Error(`an ensemble worker failed: ${event.message || 'it could not start'}`));
    });
    return { worker, remote: Comlink.wrap<EnsembleWorkerApi>(worker) };
  }

  private terminate(): void {
    for (const w of this.workers) w.worker.terminate();
    this.workers = [];
  }
}
