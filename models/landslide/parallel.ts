// The grid form on several engine workers: the grid is cut into bands of rows, each band runs on
// its own worker (cells are independent columns, so the split changes no result), and the bands'
// output grids are stitched back together. A DEM's slope is taken on the whole DEM first, so band
// edges see the same neighbours as an undivided run.
import * as Comlink from 'comlink';
import { gridBuffers } from '../engine-transfer.ts';
import { isRecord } from '../params.ts';
import type { Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { flatCellsIn, flatCellsWarning, type GridOutput, type GridTimeSummary } from './grid.ts';

export interface GridRunner {
  landslideGrid(input: unknown, grids: Record<string, Grid>): Promise<GridOutput>;
}

const DEM_SLOPE = 'slope from elevation_m';

function band(grid: Grid, firstRow: number, endRow: number): Grid {
  return {
    ...grid,
    nrows: endRow - firstRow,
    yllcorner: grid.yllcorner + (grid.nrows - endRow) * grid.cellsize,
    values: grid.values.slice(firstRow * grid.ncols, endRow * grid.ncols),
  };
}

/**
 * Row cuts that give each band about the same number of cells with data: a NODATA cell costs the
 * kernel almost nothing, so equal row bands of a city with its NODATA outside the boundary leave
 * some workers idle while one finishes. Only the cell-parameter grids are looked at (not rain grids):
 * the balance needs to be close, not exact, and it runs on the main thread.
 */
export function balancedCuts(grids: Grid[], ncols: number, nrows: number, bands: number): [number, number][] {
  const count = ncols * nrows;
  const empty = new Uint8Array(count);
  for (const g of grids) {
    const v = g.values;
    for (let i = 0; i < count; i++) if (v[i] !== v[i]) empty[i] = 1;
  }
  // A NODATA cell still costs a little (packing, one kernel test, copying out): weigh it 1/50.
  const rowWeight = new Float64Array(nrows);
  let total = 0;
  for (let r = 0; r < nrows; r++) {
    let w = 0;
    for (let i = r * ncols; i < (r + 1) * ncols; i++) w += empty[i] ? 0.02 : 1;
    rowWeight[r] = w;
    total += w;
  }
  const cuts: [number, number][] = [];
  let first = 0;
  let sum = 0;
  for (let r = 0; r < nrows && cuts.length < bands - 1; r++) {
    sum += rowWeight[r];
    // Leave at least one row for each band still to come.
    const rowsLeft = nrows - (r + 1);
    if (sum >= (total * (cuts.length + 1)) / bands || rowsLeft === bands - 1 - cuts.length) {
      cuts.push([first, r + 1]);
      first = r + 1;
    }
  }
  cuts.push([first, nrows]);
  return cuts;
}

function isInputError(e: unknown): boolean {
  return e instanceof Error && e.name === 'InputError';
}

export async function runGridOnWorkers(runners: GridRunner[], input: unknown, grids: Record<string, Grid>): Promise<GridOutput> {
  if (!isRecord(input) || !isRecord(input.grid)) throw new Error('not a grid case');
  if (runners.length <= 1) return runners[0].landslideGrid(input, grids);
  let caseInput = input;
  let files = grids;
  if (typeof input.grid.elevation_m === 'string' && input.grid.slope_deg === undefined && grids[input.grid.elevation_m]) {
    const dem = grids[input.grid.elevation_m];
    const { elevation_m: _, ...rest } = input.grid;
    caseInput = { ...input, grid: { ...rest, slope_deg: DEM_SLOPE } };
    files = { ...grids, [DEM_SLOPE]: { ...dem, values: slopeAspect(dem).slopeDeg } };
  }
  const reference = Object.values(files)[0];
  if (!reference) return runners[0].landslideGrid(input, grids);
  const bands = Math.min(runners.length, reference.nrows);
  const cellGrids = Object.entries(files)
    .filter(([name, g]) => g.nrows === reference.nrows && g.ncols === reference.ncols && Object.values(caseInput.grid as object).includes(name))
    .map(([, g]) => g);
  const cuts = balancedCuts(cellGrids, reference.ncols, reference.nrows, bands);
  let outputs: GridOutput[];
  try {
    outputs = await Promise.all(cuts.map(([a, b], k) => {
      const part = Object.fromEntries(Object.entries(files).map(([name, g]) => [name, g.nrows === reference.nrows ? band(g, a, b) : g]));
      // The band's slices are this call's own: hand them over rather than copy them.
      const owned = Object.entries(part).filter(([name]) => part[name] !== files[name]).map(([, g]) => g);
      return runners[k].landslideGrid(caseInput, Comlink.transfer(part, gridBuffers(owned)));
    }));
  } catch (e) {
    // Bad input: run the whole case on one worker, so the error names rows of the files (not of a
    // band), lists at most five cells per grid over the whole grid, and is the one a single run gives.
    // Input errors are the rare path, so the valid path never parses the whole grid on one thread.
    if (isInputError(e)) return runners[0].landslideGrid(input, grids);
    throw e;
  }

  const grids_: Record<string, Grid> = {};
  for (const name of Object.keys(outputs[0].grids)) {
    const values = new Float64Array(reference.ncols * reference.nrows);
    let at = 0;
    for (const o of outputs) { values.set(o.grids[name].values, at); at += o.grids[name].values.length; }
    grids_[name] = { ...outputs[0].grids[name], nrows: reference.nrows, yllcorner: reference.yllcorner, values };
  }
  const { grid, times, warnings } = mergePartSummaries(outputs, reference.ncols, reference.nrows);
  return { grid, times, grids: grids_, warnings };
}

/**
 * A grid run's summary from its parts' own (row bands or tiles), not from a second pass over the
 * grids: counts add; the lowest FS is the lowest of the parts' lowest, taken in part order as a
 * scan of the whole grid takes it; the flat-cells warning counts every part's cells once.
 */
export function mergePartSummaries(parts: readonly Omit<GridOutput, 'grids'>[], ncols: number, nrows: number): Omit<GridOutput, 'grids'> {
  const times = parts[0].times.map((t0, j): GridTimeSummary => {
    let below = 0;
    let lowest: number | null = null;
    for (const o of parts) {
      const t = o.times[j];
      below += t.cells_fs_below_1;
      if (t.fs_min !== null && (lowest === null || t.fs_min < lowest)) lowest = t.fs_min;
    }
    const summary: GridTimeSummary = { ...t0, cells_fs_below_1: below, fs_min: lowest };
    if (t0.cells_by_warning_level) {
      const counts = { 1: 0, 2: 0, 3: 0, 4: 0 };
      for (const o of parts) for (const l of [1, 2, 3, 4] as const) counts[l] += o.times[j].cells_by_warning_level![l];
      summary.cells_by_warning_level = counts;
    }
    return summary;
  });
  const flat = parts.reduce((n, o) => n + o.grid.flat_cells, 0);
  const warnings = [...new Set(parts.flatMap((o) => o.warnings).filter((w) => flatCellsIn(w) === undefined))];
  if (flat > 0) warnings.push(flatCellsWarning(flat));
  return {
    grid: { ncols, nrows, cells: ncols * nrows, nodata_cells: parts.reduce((n, o) => n + o.grid.nodata_cells, 0), flat_cells: flat },
    times, warnings,
  };
}
