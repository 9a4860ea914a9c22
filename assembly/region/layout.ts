// Memory layout shared by the terrain kernels (assembly/region/terrain.ts), their host
// (models/region/terrain.ts) and, checked by test/engine/layout.test.ts, the C yardstick
// (benchmarks/region/terrain.c). Plain number literals so that both asc and tsc accept the file.

/** D8 direction of a cell whose water leaves the grid (or that is NODATA). Directions 0–7 run
 * clockwise from north, as D8_ROW/D8_COL in models/region/terrain.ts. */
export const DIR_OUTLET = -1;

/** A priority-flood heap entry: f64 elevation at byte 0, i32 cell index at byte 8, 4 bytes pad. */
export const HEAP_ENTRY_BYTES = 16;
export const HEAP_KEY = 0;
export const HEAP_CELL = 8;
/** regionFill's answer when the heap the host gave it was too small (the host retries with one
 * entry per cell, which always fits). */
export const FILL_HEAP_FULL = -1;

/** regionHand's mark for a cell whose stream is not known yet. */
export const HAND_UNKNOWN = -2;

// regionFillStats' totals, f64[STATS_LENGTH].
export const STATS_FILLED_CELLS = 0; // cells the filled surface raised (depressions and flats)
export const STATS_MAX_FILL_DEPTH = 1; // largest raise, m
export const STATS_FLAT_CELLS = 2; // cells of the original DEM with no lower neighbour and no outlet
export const STATS_NODATA_CELLS = 3;
export const STATS_LENGTH = 4;
