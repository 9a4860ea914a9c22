// One local pool worker: its own engine (kernels compiled once), the region loaded once, then
// members one at a time as the coordinator hands out their indices.
import { parentPort, workerData } from 'node:worker_threads';
import { createNodeEngine } from '../engine-node.ts';
import { InputError } from '../errors.ts';
import { memberContext, runMember, type ContextOptions } from './member.ts';

interface Init { raw: Record<string, unknown>; scenarioDir: string; options: ContextOptions }

if (!parentPort) throw new Error('pool-worker.ts must run as a worker thread');
const port = parentPort;
const { raw, scenarioDir, options } = workerData as Init;
const failure = (error: unknown) => port.postMessage({
  type: 'error', message: error instanceof Error ? error.message : String(error),
  ...(error instanceof InputError ? { problems: error.problems } : {}),
});
const context = memberContext(createNodeEngine(), raw, scenarioDir, options);
context.then(() => port.postMessage({ type: 'ready' }), failure);
port.on('message', (message: { index: number }) => {
  context.then((ctx) => runMember(ctx, message.index)).then((result) => port.postMessage({ type: 'result', result }), failure);
});
