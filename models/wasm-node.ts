// Node's way to the kernel bytes; the browser fetches the same file (web/engine.worker.ts).
import { readFile } from 'node:fs/promises';
import { Kernels } from './wasm.ts';

export const WASM_FILE = new URL('../build/sandtable.wasm', import.meta.url);

export async function readKernelBytes(): Promise<Uint8Array> {
  try {
    return await readFile(WASM_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`the wasm kernels are not built (${WASM_FILE.pathname} is missing): run \`npm run build:wasm\``);
    }
    throw error;
  }
}

export async function loadKernels(): Promise<Kernels> {
  return Kernels.instantiate(await readKernelBytes());
}
