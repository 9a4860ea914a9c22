// What the app's workers share (engine, ensemble pool, ensemble folder reader, region build): the
// kernels fetched from the build's own wasm URL, an engine on them, the kernels' memory for the
// memory accounts, and the worker's own script and imports for the offline cache. Importing it also
// installs the Comlink handler that carries an InputError's problems across to the page.
import wasmUrl from '../build/sandtable.wasm?url';
import '../models/comlink-errors.ts';
import { createEngine, type Engine } from '../models/engine.ts';
import { installedKernels } from '../models/wasm.ts';

/** The kernels' wasm bytes from the build's URL (the CSP's connect-src 'self'). */
export async function kernelBytes(): Promise<ArrayBuffer> {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`could not load the kernels from ${wasmUrl}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** An engine whose kernels start loading now; every method awaits them itself. */
export function kernelEngine(): Engine {
  return createEngine(kernelBytes);
}

/** The installed kernels' linear memory now, bytes (loaded first by the caller). */
export function wasmMemoryBytes(): number {
  return installedKernels().exports.memory.buffer.byteLength;
}

/** This worker's own script and everything it fetched (modules, the kernels, grids): for the offline cache. */
export function workerResources(): string[] {
  return [self.location.href, ...performance.getEntriesByType('resource').map((entry) => entry.name)];
}
