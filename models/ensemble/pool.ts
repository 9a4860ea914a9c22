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
