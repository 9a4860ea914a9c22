// Entry of the Node engine worker: registers the TypeScript loader in this thread, then starts
// the worker proper. (Node's worker execArgv does not carry `--import` loaders everywhere.)
import { register } from 'tsx/esm/api';

register();
await import('./engine.node-worker.ts');
