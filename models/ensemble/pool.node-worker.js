// Entry of an ensemble pool worker: registers the TypeScript loader in this thread, then starts
// the worker proper (as models/engine.node-worker.js does). The thread's CPU so far (Node's start
// and the loader) is measured here, before the worker's own modules load.
import { register } from 'tsx/esm/api';

register();
const { threadCpuS } = await import('./cpu-parts.ts');
const bootS = threadCpuS();
const { startPoolWorker } = await import('./pool-worker.ts');
startPoolWorker(bootS, threadCpuS() - bootS);
