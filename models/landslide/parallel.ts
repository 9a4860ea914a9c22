// The grid form on several engine workers: the grid is cut into bands of rows, each band runs on
// its own worker (cells are independent columns, so the split changes no result), and the bands'
// output grids are stitched back together. A DEM's slope is taken on the whole DEM first, so band
// edges see the same neighbours as an undivided run.
import { isRecord } from '../params.ts';
import type { Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { flatCellsWarning, type GridOutput, type GridTimeSummary } from './grid.ts';

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

export async function runGridOnWorkers(runners: GridRunner[], input: unknown, grids: Record<string, Grid>): Promise<GridOutput> {
  if (!isRecord(input) || !isRecord(input.grid)) throw new Error('not a grid case');
  let caseInput = input;
  let files = grids;
  if (typeof input.grid.elevation_m === 'string' && input.grid.slope_deg === undefined && grids[input.grid.elevation_m]) {
    const dem = grids[input.grid.elevation_m];
    const { elevation_m: _, ...rest } = input.grid;
    caseInput = { ...input, grid: { ...rest, slope_deg: DEM_SLOPE } };
    files = { ...grids, [DEM_SLOPE]: { ...dem, values: slopeAspect(dem).slopeDeg } };
  }
  const reference = Object.values(files)[0];
  if (!reference || runners.length <= 1) return runners[0].landslideGrid(caseInput, files);
  const bands = Math.min(runners.length, reference.nrows);
  const rowsPer = Math.ceil(reference.nrows / bands);
  const cuts = Array.from({ length: bands }, (_, k) => [k * rowsPer, Math.min(reference.nrows, (k + 1) * rowsPer)]).filter(([a, b]) => b > a);
  const outputs = await Promise.all(cuts.map(([a, b], k) => {
    const part = Object.fromEntries(Object.entries(files).map(([name, g]) => [name, g.nrows === reference.nrows ? band(g, a, b) : g]));
    return runners[k].landslideGrid(caseInput, part);
  }));

  const grids_: Record<string, Grid> = {};
  for (const name of Object.keys(outputs[0].grids)) {
    const values = new Float64Array(reference.ncols * reference.nrows);
    let at = 0;
    for (const o of outputs) { values.set(o.grids[name].values, at); at += o.grids[name].values.length; }
    grids_[name] = { ...outputs[0].grids[name], nrows: reference.nrows, yllcorner: reference.yllcorner, values };
  }
  const times = outputs[0].times.map((t0): GridTimeSummary => {
    const fs = grids_[`fs_min_t${t0.t_s}.asc`].values;
    let below = 0;
    let lowest = Infinity;
    for (const v of fs) { if (v < 1) below++; if (v < lowest) lowest = v; }
    const summary: GridTimeSummary = { ...t0, cells_fs_below_1: below, fs_min: lowest === Infinity ? null : lowest };
    const levels = grids_[`warning_level_t${t0.t_s}.asc`]?.values;
    if (levels) {
      const counts = { 1: 0, 2: 0, 3: 0, 4: 0 };
      for (const l of levels) if (l >= 1 && l <= 4) counts[l as 1 | 2 | 3 | 4]++;
      summary.cells_by_warning_level = counts;
    }
    return summary;
  });
  const flat = outputs.reduce((n, o) => n + o.grid.flat_cells, 0);
  const warnings = [...new Set(outputs.flatMap((o) => o.warnings).filter((w) => !w.includes('flat cells')))];
  if (flat > 0) warnings.push(flatCellsWarning(flat));
  return {
    grid: {
      ncols: reference.ncols, nrows: reference.nrows, cells: reference.ncols * reference.nrows,
      nodata_cells: outputs.reduce((n, o) => n + o.grid.nodata_cells, 0), flat_cells: flat,
    },
    times, grids: grids_, warnings,
  };
}
