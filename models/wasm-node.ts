// Node's way to the kernel bytes; the browser fetches the same file (web/engine.worker.ts).
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import { Kernels } from './wasm.ts';

// V8 runs a wasm function's first call in baseline (Liftoff) code and cannot move a running call
// to optimized code, so a kernel called once — every CLI run — would loop in baseline code
// throughout: measured 1.45× slower on a 1024² fire spread. Compile optimized from the start.
// (Browsers decide this themselves; the flag only reaches Node's V8.)
v8.setFlagsFromString('--no-liftoff');

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
