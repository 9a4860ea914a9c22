// A V valley with a steep side gully whose drainage area reaches the stream threshold only in its
// last cell: left unpruned, a one-cell first-order reach, 30 m at 12 %, whose Muskingum–Cunge
// stability limit sub-steps the whole network (test/region/headwater-stubs.test.ts). Shared with
// test/scenario/model-warnings.test.ts, which routes a storm over it.
import type { Grid } from '../../models/grid/ascii.ts';
import { flowAccumulation, flowDirections, fillDepressions } from '../../models/region/terrain.ts';

export const NCOLS = 41; export const NROWS = 60; export const CELL = 30; export const MID = 20;
/** The gully's row: east-bank cells within 3 rows of it drain along it, 12 % down to the main stem. */
export const GULLY_ROW = 30;
export const STUB = GULLY_ROW * NCOLS + MID + 1;

export function gullyValley(): Grid {
  const values = new Float64Array(NCOLS * NROWS);
  for (let r = 0; r < NROWS; r++) {
    for (let c = 0; c < NCOLS; c++) {
      const gully = c > MID ? 0.4 * Math.min(Math.abs(r - GULLY_ROW), 3) * CELL : 0;
      values[r * NCOLS + c] = 200 + 0.12 * Math.abs(c - MID) * CELL + 0.01 * (NROWS - r) * CELL + gully;
    }
  }
  return { ncols: NCOLS, nrows: NROWS, xllcorner: 480000, yllcorner: 3300000, cellsize: CELL, nodata: -9999, values };
}

/** The stub cell's drainage area, km² (the kernels must be loaded): as the threshold, it makes the gully a stream in that one cell. */
export function stubThresholdKm2(dem: Grid): number {
  const accumulation = flowAccumulation(flowDirections(fillDepressions(dem), NCOLS, NROWS), NCOLS);
  return (accumulation[STUB] * CELL * CELL) / 1e6;
}

/** The DEM as an ESRI ASCII grid file. */
export function gullyAsc(dem: Grid): string {
  return [`ncols ${NCOLS}`, `nrows ${NROWS}`, `xllcorner ${dem.xllcorner}`, `yllcorner ${dem.yllcorner}`, `cellsize ${CELL}`, 'NODATA_value -9999',
    ...Array.from({ length: NROWS }, (_, r) => Array.from(dem.values.subarray(r * NCOLS, (r + 1) * NCOLS), (v) => v.toFixed(3)).join(' ')), ''].join('\n');
}
