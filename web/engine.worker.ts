// The engine in a Web Worker. It is exposed at once (no top-level await): Comlink messages sent
// while the wasm is still compiling would otherwise be lost. Each method awaits the kernels itself.
import * as Comlink from 'comlink';
import wasmUrl from '../build/sandtable.wasm?url';
import '../models/comlink-errors.ts';
import { createEngine } from '../models/engine.ts';

const engine = createEngine(async () => {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`could not load the kernels from ${wasmUrl}: HTTP ${response.status}`);
  return response.arrayBuffer();
});

Comlink.expose(engine);
