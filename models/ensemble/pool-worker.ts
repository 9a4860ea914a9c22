// One local pool worker: its own engine, then members one at a time as the coordinator hands out
// their indices. What every member shares (region, rain grids, density) and the compiled kernels
// come from the coordinator, which has them already: a worker that read and parsed the region
// itself paid ~1.2 s of CPU per thread before its first member, serial work the pool repeated K
// times. A worker started without them (the queue worker's thread) loads them itself.
// Each message carries the thread's CPU seconds (ready: its start; result: the member).
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../engine.ts';
import { createNodeEngine } from '../engine-node.ts';
import { InputError } from '../errors.ts';
import { threadCpuS, threadId } from './cpu-parts.ts';
import { memberContext, runMember, type ContextOptions, type MemberContext } from './member.ts';
import { ensembleOf, type SharedInputs } from './member-run.ts';

export interface PoolWorkerInit {
  raw: Record<string, unknown>;
  scenarioDir: string;
  options: ContextOptions;
  /**
   * True: the kernels compiled once by the coordinator (a WebAssembly.Module clones to threads as
   * it is) and the shared inputs follow in messages; else the worker compiles and loads them itself.
   */
  sharedFollows?: boolean;
}

type Incoming = { type: 'kernels'; kernels: WebAssembly.Module } | { type: 'shared'; shared: SharedInputs } | { type: 'member'; index: number };

export function startPoolWorker(bootS: number, modulesS: number): void {
  if (!parentPort) throw new Error('pool-worker.ts must run as a worker thread');
  const port = parentPort;
  const { raw, scenarioDir, options, sharedFollows } = workerData as PoolWorkerInit;
  const failure = (error: unknown) => port.postMessage({
    type: 'error', message: error instanceof Error ? error.message : String(error),
    ...(error instanceof InputError ? { problems: error.problems } : {}),
  });
  const contextStart = threadCpuS();
  let kernelsCame!: (kernels: WebAssembly.Module) => void;
  const kernels = new Promise<WebAssembly.Module>((resolve) => { kernelsCame = resolve; });
  let received!: (shared: SharedInputs) => void;
  const shared = new Promise<SharedInputs>((resolve) => { received = resolve; });
  const engine = sharedFollows ? createEngine(() => kernels) : createNodeEngine();
  const context: Promise<MemberContext> = sharedFollows
    ? Promise.all([engine.ready(), shared]).then(([, inputs]) => ({ engine, raw, ...ensembleOf(raw, options), ...inputs }))
    : memberContext(engine, raw, scenarioDir, options);
  context.then(() => port.postMessage({ type: 'ready', cpu: { tid: threadId(), boot_s: bootS, modules_s: modulesS, context_s: threadCpuS() - contextStart } }), failure);
  port.on('message', (message: Incoming) => {
    if (message.type === 'kernels') { kernelsCame(message.kernels); return; }
    if (message.type === 'shared') { received(message.shared); return; }
    context.then(async (ctx) => {
      const start = threadCpuS();
      const result = await runMember(ctx, message.index);
      port.postMessage({ type: 'result', result, cpuS: threadCpuS() - start });
    }).catch(failure);
  });
}
