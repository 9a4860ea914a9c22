// The main thread's handle on the engine worker. The main thread never runs a kernel.
import * as Comlink from 'comlink';
import '../models/comlink-errors.ts';
import type { WorkerApi } from './engine.worker.ts';

export type RemoteEngine = Comlink.Remote<WorkerApi>;

export function startEngineWorker(): RemoteEngine {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-engine' });
  return Comlink.wrap<WorkerApi>(worker);
}
