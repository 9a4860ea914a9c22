// The engine in Node: in-process, or in a worker_threads worker behind Comlink (the same API the
// browser's Web Worker exposes), for running several kernels at once.
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import './comlink-errors.ts';
import { createEngine, type Engine } from './engine.ts';
import { readKernelBytes } from './wasm-node.ts';

export function createNodeEngine(): Engine {
  return createEngine(readKernelBytes);
}

export interface EngineWorker {
  engine: Comlink.Remote<Engine>;
  terminate(): Promise<void>;
}

export function spawnEngineWorker(): EngineWorker {
  const worker = new Worker(new URL('./engine.node-worker.js', import.meta.url));
  const engine = Comlink.wrap<Engine>(nodeEndpoint(worker));
  return {
    engine,
    async terminate() {
      engine[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}
