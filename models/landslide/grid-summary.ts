// The grid form for a coupling that keeps only the run's extremes (models/scenario/slope-grid.ts):
// each output time's summary, the lowest FS over all output times and the first-failure grid,
// folded block by block out of the kernel's results. The full form scatters every output time
// into grids of its own: for an ensemble member's 72-hour slope grid that was 2 × 72 grids
// (48 MB) per member, read once to find each block's lowest value and then dropped.
// The folds visit cells and times in the order runGridCase and the slope grid's own fold did, so
// every number (NaN handling and the sign of a zero included) is the same as theirs.
import { DEFAULT_NODATA } from '../grid/ascii.ts';
import type { Kernels } from '../wasm.ts';
import { flatCellsWarning, foldBelowOneAndLowest, runBlocks, timeSummary, type GridCase, type GridOutput, type GridTimeSummary } from './grid.ts';

/** Folds one block (cell c, time j at c·T + j) into each cell's lowest FS over the times (NaN: not evaluated; a number beats NaN). */
function foldLowestOfCell(fsMin: Float64Array, n: number, T: number, lowest: Float64Array, at: number): void {
  for (let c = 0; c < n; c++) {
    let low = lowest[at + c];
    for (let j = 0; j < T; j++) {
      const fs = fsMin[c * T + j];
      if (fs < low || (Number.isNaN(low) && !Number.isNaN(fs))) low = fs;
    }
    lowest[at + c] = low;
  }
}

export function runGridSummary(kernels: Kernels, parsed: GridCase): GridOutput {
  const { setup, geometry, packed, cellCount } = parsed;
  // What the summary form leaves out would need the per-time grids: a coupling asking for both is a bug.
  if (parsed.warning || parsed.pressureHeadDepths.length > 0) throw new Error('the grid summary form has no warning levels or pressure heads');
  const T = setup.times.length;
  const lowest = new Float64Array(cellCount).fill(NaN);
  const first = new Float64Array(cellCount);
  const below = new Float64Array(T);
  const lowestAtTime = new Float64Array(T).fill(Infinity);
  let noDataCells = 0;
  runBlocks(kernels, packed, setup, cellCount, (block, at) => {
    const n = block.firstFailure.length;
    foldLowestOfCell(block.fsMin, n, T, lowest, at);
    foldBelowOneAndLowest(block.fsMin, n, T, below, lowestAtTime);
    first.set(block.firstFailure, at);
    noDataCells += block.noDataCells;
  });
  const times: GridTimeSummary[] = [];
  for (let j = 0; j < T; j++) {
    times.push(timeSummary(setup.times[j], below, lowestAtTime, j));
  }
  const nodata = geometry.nodata ?? DEFAULT_NODATA;
  return {
    grid: { ncols: geometry.ncols, nrows: geometry.nrows, cells: cellCount, nodata_cells: noDataCells, flat_cells: parsed.flatCells },
    times,
    grids: { 'first_fs_below_1_t_s.asc': { ...geometry, nodata, values: first } },
    lowestFs: { ...geometry, nodata, values: lowest },
    warnings: parsed.flatCells > 0 ? [flatCellsWarning(parsed.flatCells)] : [],
  };
}
