// Resource limits, in one place: every reader checks what a file claims against these BEFORE
// allocating, so a hostile header ends in an input error naming the file and the limit, never
// in a RangeError, an out-of-memory abort or a blown stack.
import { InputError } from './errors.ts';

/**
 * Most cells in one grid: 2^25 (e.g. 5792 × 5792). The kernels run in wasm32 memory, which cannot
 * exceed 4 GiB, and the heaviest (fire spread) keeps about 80 bytes per cell there besides the
 * host's own copies (8 bytes per cell per f64 layer): 2^25 cells is ≈ 2.5 GiB of kernel memory.
 */
export const MAX_GRID_CELLS = 2 ** 25;

/**
 * Largest text file read (a JSON case, an ESRI ASCII grid): 500 MiB. V8 cannot hold a string of
 * more than 2^29 − 24 characters, so a larger file could not even be decoded.
 */
export const MAX_TEXT_BYTES = 500 * 2 ** 20;

/** Largest binary grid file (GeoTIFF): 2 GiB, the most a Node Buffer read in one piece holds. */
export const MAX_BINARY_BYTES = 2 * 2 ** 30;

/** Deepest nesting of arrays and objects in a JSON file: far beyond any real case. */
export const MAX_JSON_DEPTH = 256;

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : `${bytes / 2 ** 20} MiB`;
}

/** Refuses a grid of more than MAX_GRID_CELLS cells, at `path` (a file or a JSON path). */
export function checkGridCells(ncols: number, nrows: number, path: string): void {
  if (ncols * nrows > MAX_GRID_CELLS) {
    throw InputError.single(path, 'has more cells than this engine can hold', `${ncols} × ${nrows} = ${ncols * nrows} cells`,
      `at most ${MAX_GRID_CELLS} cells (the memory budget of the wasm32 kernels)`);
  }
}

/** Refuses a file of more than `limit` bytes before it is read. */
export function checkFileSize(bytes: number, limit: number, path: string, what: string): void {
  if (bytes > limit) {
    throw InputError.single(path, `is too large for ${what}`, `${bytes} bytes`, `at most ${formatBytes(limit)}`);
  }
}
