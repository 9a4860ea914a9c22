import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import './comlink-errors.ts';
import { createNodeEngine } from './engine-node.ts';
import { transferringEngine } from './engine-transfer.ts';

if (!parentPort) throw new Error('engine.node-worker.ts must run as a worker thread');
Comlink.expose(transferringEngine(createNodeEngine()), nodeEndpoint(parentPort));
