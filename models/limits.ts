// Resource limits, in one place: every reader checks what a file claims against these BEFORE
// allocating, so a hostile header ends in an input error naming the file and the limit, never
// in a RangeError, an out-of-memory abort or a blown stack.
import { InputError, type Problem } from './errors.ts';

/**
 * Most cells in one grid: 32 million (e.g. 5656 × 5656). The kernels run in wasm32 memory (at
 * most 4 GiB), where the heaviest, fire spread, keeps about 80 bytes per cell (≈ 2.4 GiB here),
 * 32 of them in one region that AssemblyScript's allocator caps at 1 GiB (so fewer than 2^25
 * cells). Fire spread pads columns to its strips; it checks its padded count against this too.
 */
export const MAX_GRID_CELLS = 32_000_000;

/**
 * Largest text file read (a JSON case, an ESRI ASCII grid): 500 MiB. V8 cannot hold a string of
 * more than 2^29 − 24 characters, so a larger file could not even be decoded.
 */
export const MAX_TEXT_BYTES = 500 * 2 ** 20;

/** Largest binary grid file (GeoTIFF): 2 GiB, the most a Node Buffer read in one piece holds. */
export const MAX_BINARY_BYTES = 2 * 2 ** 30;

/**
 * Most bytes a tiled run's output grids may put through Redis (`--queue` without `--results`: each
 * tile's doubles as base64, its job's return value, kept until the run ends): 1 GiB. Redis holds
 * everything in memory and Debian's redis-server sets no maxmemory, so a whole-region run of tens of
 * millions of cells would take its host's memory silently; such a run needs a shared results folder.
 * 1 GiB keeps the 10 M-cell city grid (≈ 509 MiB) working on Redis alone, as it did before the cap. The tests
 * lower it with SANDTABLE_QUEUE_INLINE_MAX_BYTES.
 */
export const MAX_QUEUE_INLINE_BYTES = 2 ** 30;

/** Deepest nesting of arrays and objects in a JSON file: far beyond any real case. */
export const MAX_JSON_DEPTH = 256;

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : `${bytes / 2 ** 20} MiB`;
}

/** The problem with a grid of more than MAX_GRID_CELLS cells, at `path` (a file or a JSON path). */
export function gridCellsProblem(ncols: number, nrows: number, path: string, kernelCells = ncols * nrows): Problem | undefined {
  if (ncols * nrows <= MAX_GRID_CELLS && kernelCells <= MAX_GRID_CELLS) return undefined;
  const value = kernelCells > ncols * nrows ? `${ncols} × ${nrows} cells, ${kernelCells} in kernel strips` : `${ncols} × ${nrows} = ${ncols * nrows} cells`;
  return {
    path, message: 'has more cells than this engine can hold', value,
    expected: `at most ${MAX_GRID_CELLS} cells (the memory budget of the wasm32 kernels)`,
  };
}

export function checkGridCells(ncols: number, nrows: number, path: string): void {
  const problem = gridCellsProblem(ncols, nrows, path);
  if (problem) throw new InputError([problem]);
}

/** Refuses a file of more than `limit` bytes before it is read. */
export function checkFileSize(bytes: number, limit: number, path: string, what: string): void {
  if (bytes > limit) {
    throw InputError.single(path, `is too large for ${what}`, `${bytes} bytes`, `at most ${formatBytes(limit)}`);
  }
}

/**
 * Most what-ifs an imported after-action record may carry, and rows and text per what-if: a drill
 * runs a few dozen; the bounds keep a hand-edited record from filling the saved session. A
 * what-if's rows are one peak per gauge and at most MAX_WHATIF_OTHER_ROWS others (the metrics of
 * models/scenario/whatif.ts besides a gauge's peak); a region may have any number of gauges, so the
 * record keeps the first MAX_WHATIF_GAUGE_ROWS gauges' peaks and counts the rest
 * (`gauge_rows_left_out`): what the app writes always fits what it reads back.
 */
export const MAX_RECORD_WHATIFS = 500;
export const MAX_WHATIF_GAUGE_ROWS = 56;
export const MAX_WHATIF_OTHER_ROWS = 8;
export const MAX_WHATIF_ROWS = MAX_WHATIF_GAUGE_ROWS + MAX_WHATIF_OTHER_ROWS;
export const MAX_WHATIF_TEXT = 200;

/**
 * A what-if's chart kept in the saved session so it returns after a reload: the variant's curves
 * (every gauge and the burned area), at most this many numbers over them all. The constraint is
 * the bytes each save rewrites (the whole session goes to IndexedDB on every change, the
 * browser's quota being far larger): 160,000 numbers are ≈ 1.4 MB structured-cloned, ≈ 5 ms to
 * serialize (node's v8.serialize, the serializer Chrome's IndexedDB uses; 2 busy cores), beside
 * ≈ 1.2 MB for a record's full what-if curve budget. A count of curves is no constraint: 40
 * gauges of a 72-hour storm are 11,560 numbers (≈ 105 kB). A chart past this keeps its results
 * and says its curves return only when it is run again.
 */
export const MAX_KEPT_CHART_VALUES = 160_000;

/**
 * A what-if's curves in the after-action record (printed as charts): at most this many curves per
 * what-if, each base and variant at most this many points (a printed chart is ~8 cm wide; the 72-hour
 * storm's quarter-hours are 289; longer series are sampled every k-th step), and at most this many
 * numbers over all the record's what-ifs (≈ 1.5 MB of JSON; about 70 storm what-ifs of 3 gauges).
 * What-ifs past that budget keep their rows without curves.
 */
export const MAX_WHATIF_CURVES = 16;
export const MAX_WHATIF_CURVE_POINTS = 300;
export const MAX_RECORD_CURVE_VALUES = 120_000;

/**
 * A run's model warnings in an after-action record (the base run's and each what-if's): at most this
 * many lines per run (the router names at most 20 reaches), the rest counted; each text at most
 * MAX_MODEL_WARNING_TEXT characters.
 */
export const MAX_RECORD_RUN_WARNINGS = 50;
export const MAX_MODEL_WARNING_TEXT = 2000;
