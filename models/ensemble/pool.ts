// The local pool: K worker_threads, each with its own engine and region, pulling member indices
// from one list until it is empty. Which worker runs which member, and in what order they finish,
// changes nothing: results are keyed by index and reduced in index order (reduce.ts).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, type Problem } from '../errors.ts';
import { cpuByThread, splitThreads, type WorkerStartCpu } from './cpu-parts.ts';
import type { ContextOptions, MemberResult } from './member.ts';
import type { SharedInputs } from './member-run.ts';
import type { PoolWorkerInit } from './pool-worker.ts';
import { readKernelBytes } from '../wasm-node.ts';

/** CPU seconds the pool's threads report (filled in as they come): each thread's start, each member's run. */
export interface PoolCpu {
  starts: WorkerStartCpu[];
  members: { index: number; cpu_s: number }[];
  /** Every thread of the process by Linux thread id, when the last thread was ready and just before the threads end. */
  threadsAtReady?: Record<number, number>;
  /** The helper threads' CPU seconds so far at each member's result, in arrival order: late members show the steady state, without the first members' compiles. */
  helpersAtResult?: number[];
  threads?: Record<number, number>;
}

export interface PoolOptions {
  raw: Record<string, unknown>;
  scenarioDir: string;
  options: ContextOptions;
  indices: readonly number[];
  /** Worker threads; default: the machine's cores. Never more than there are members. */
  workers?: number;
  onResult?: (result: MemberResult) => void;
  /**
   * What every member shares, loaded once by the caller: the threads start (Node, modules) while it
   * loads, and get a copy when it is there. Without it each thread loads its own. A rejection ends the pool with it.
   */
  shared?: Promise<SharedInputs>;
  /** Receives the threads' CPU accounts (benchmarks/ensemble/bench.ts --parts cpu). */
  cpu?: PoolCpu;
}

type Message = { type: 'ready'; cpu: WorkerStartCpu } | { type: 'result'; result: MemberResult; cpuS: number } | { type: 'error'; message: string; problems?: Problem[] };

export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runLocalPool({ raw, scenarioDir, options, indices, workers = defaultWorkers(), onResult, cpu, shared }: PoolOptions): Promise<MemberResult[]> {
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
        worker.postMessage({ type: 'member', index });
      };
      if (pending.length === 0) { resolve(); return; }
      const init: PoolWorkerInit = { raw, scenarioDir, options, sharedFollows: shared !== undefined };
      for (let k = 0; k < count; k++) {
        const worker = new Worker(new URL('./pool.node-worker.js', import.meta.url), { workerData: init });
        threads.push(worker);
        worker.on('message', (message: Message) => {
          if (message.type === 'ready') {
            cpu?.starts.push(message.cpu);
            if (cpu && cpu.starts.length === count) cpu.threadsAtReady = cpuByThread();
            next(worker);
          }
          else if (message.type === 'result') {
            busy--;
            cpu?.members.push({ index: message.result.index, cpu_s: message.cpuS });
            if (cpu) (cpu.helpersAtResult ??= []).push(splitThreads(cpuByThread(), cpu.starts.map((s) => s.tid)).helpers_s);
            results.push(message.result);
            onResult?.(message.result);
            next(worker);
          } else reject(message.problems ? new InputError(message.problems) : new Error(`ensemble worker: ${message.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => { if (code !== 0) reject(new Error(`ensemble worker exited with code ${code}`)); });
      }
      if (shared) {
        // Compiled once here (V8 compiles on its background threads) rather than once per thread.
        readKernelBytes().then((bytes) => WebAssembly.compile(bytes as BufferSource))
          .then((kernels) => { for (const t of threads) t.postMessage({ type: 'kernels', kernels }); }).catch(reject);
        shared.then((inputs) => { for (const t of threads) t.postMessage({ type: 'shared', shared: inputs }); }, reject);
      }
    });
  } finally {
    if (cpu) cpu.threads = cpuByThread();
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
  /** The thread's CPU accounts, as the local pool's. */
  readonly cpu: PoolCpu = { starts: [], members: [] };

  constructor(raw: Record<string, unknown>, scenarioDir: string, options: ContextOptions) {
    const init: PoolWorkerInit = { raw, scenarioDir, options };
    this.worker = new Worker(new URL('./pool.node-worker.js', import.meta.url), { workerData: init });
    let started!: () => void; let refused!: (e: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => { started = resolve; refused = reject; });
    this.ready.catch(() => undefined);
    const fail = (error: Error) => { this.failure = error; refused(error); this.pending?.reject(error); this.pending = undefined; };
    this.worker.on('message', (message: Message) => {
      if (message.type === 'ready') { this.cpu.starts.push(message.cpu); started(); }
      else if (message.type === 'result') { this.cpu.members.push({ index: message.result.index, cpu_s: message.cpuS }); this.pending?.resolve(message.result); this.pending = undefined; }
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
      this.worker.postMessage({ type: 'member', index });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
