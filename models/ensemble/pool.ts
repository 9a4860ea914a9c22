// The local pool: K worker_threads, each with its own engine and region, pulling member indices
// from one list until it is empty. Which worker runs which member, and in what order they finish,
// changes nothing: results are keyed by index and reduced in index order (reduce.ts).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, type Problem } from '../errors.ts';
import type { ContextOptions, MemberResult } from './member.ts';

export interface PoolOptions {
  raw: Record<string, unknown>;
  scenarioDir: string;
  options: ContextOptions;
  indices: readonly number[];
  /** Worker threads; default: the machine's cores. Never more than there are members. */
  workers?: number;
  onResult?: (result: MemberResult) => void;
}

type Message = { type: 'ready' } | { type: 'result'; result: MemberResult } | { type: 'error'; message: string; problems?: Problem[] };

export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runLocalPool({ raw, scenarioDir, options, indices, workers = defaultWorkers(), onResult }: PoolOptions): Promise<MemberResult[]> {
  const pending = [...indices];
  const results: MemberResult[] = [];
  const count = Math.max(1, Math.min(workers, pending.length));
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const next = (worker: Worker) => {
        const index = pending.shift();
        if (index === undefined) {
          if (busy === 0) resolve();
          return;
        }
        busy++;
        worker.postMessage({ index });
      };
      if (pending.length === 0) { resolve(); return; }
      for (let k = 0; k < count; k++) {
        const worker = new Worker(new URL('./pool.node-worker.js', import.meta.url), { workerData: { raw, scenarioDir, options } });
        threads.push(worker);
        worker.on('message', (message: Message) => {
          if (message.type === 'ready') next(worker);
          else if (message.type === 'result') {
            busy--;
            results.push(message.result);
            onResult?.(message.result);
            next(worker);
          } else reject(message.problems ? new InputError(message.problems) : new Error(`ensemble worker: ${message.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => { if (code !== 0) reject(new Error(`ensemble worker exited with code ${code}`)); });
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}

/**
 * One pool worker thread kept for many members (the queue worker's): members run off the main
 * thread, so the main thread stays free to renew the queue's job locks while a member computes.
 */
export class MemberThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private pending?: { resolve: (r: MemberResult) => void; reject: (e: Error) => void };
  private failure?: Error;

  constructor(raw: Record<string, unknown>, scenarioDir: string, options: ContextOptions) {
    this.worker = new Worker(new URL('./pool.node-worker.js', import.meta.url), { workerData: { raw, scenarioDir, options } });
    let started!: () => void; let refused!: (e: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => { started = resolve; refused = reject; });
    this.ready.catch(() => undefined);
    const fail = (error: Error) => { this.failure = error; refused(error); this.pending?.reject(error); this.pending = undefined; };
    this.worker.on('message', (message: Message) => {
      if (message.type === 'ready') started();
      else if (message.type === 'result') { this.pending?.resolve(message.result); this.pending = undefined; }
      else fail(message.problems ? new InputError(message.problems) : new Error(`ensemble worker: ${message.message}`));
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => { if (code !== 0) fail(new Error(`ensemble worker exited with code ${code}`)); });
  }

  async run(index: number): Promise<MemberResult> {
    await this.ready;
    if (this.failure) throw this.failure;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ index });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
