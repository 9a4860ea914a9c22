// Entry of an ensemble pool worker: registers the TypeScript loader in this thread, then starts
// the worker proper (as models/engine.node-worker.js does).
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
