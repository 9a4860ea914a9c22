// The main thread's handle on the engine worker. The main thread never runs a kernel.
import * as Comlink from 'comlink';
import '../models/comlink-errors.ts';
import type { WorkerApi } from './engine.worker.ts';

export type RemoteEngine = Comlink.Remote<WorkerApi>;

export function startEngineWorker(): RemoteEngine {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-engine' });
  return Comlink.wrap<WorkerApi>(worker);
}

/**
 * A plain holder for the remote engine. A Comlink proxy answers every property access (Lit's
 * directive check included) with another proxy, so components receive this wrapper, never the
 * proxy itself.
 */
export interface EngineHandle {
  readonly remote: RemoteEngine;
}
