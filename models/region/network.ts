// A river network from a DEM: D8 drainage on the depression-filled surface, stream cells where the
// drainage area passes a threshold, reaches split at confluences, and each reach's own sub-basin
// (the cells that drain into it without passing through an upstream reach).
import type { Grid } from '../grid/ascii.ts';
import { downstreamCell, fillDepressions, flowAccumulation, flowDirections, labelDownstream } from './terrain.ts';

export interface ExtractedReach {
  id: string;
  downstream: string | null;
  /** Stream cells from upstream to downstream end. */
  cells: number[];
  lengthM: number;
  /** Mean bed slope along the reach (m/m), floored so routing never sees a flat reach. */
  slope: number;
  /** Drainage area at the downstream end, km². */
  drainageAreaKm2: number;
  /** This reach's own sub-basin area, km². */
  localAreaKm2: number;
  strahlerOrder: number;
}

export interface ExtractedNetwork {
  reaches: ExtractedReach[];
  /** Index into `reaches` of the sub-basin each cell drains to (−1: leaves the grid elsewhere). */
  basinOfCell: Int32Array;
  filledElevation: Float64Array;
  /** D8 direction of every cell on the filled surface (models/region/terrain.ts). */
  direction: Int8Array;
  accumulationCells: Float64Array;
  /** 1 on stream cells (drainage area at or above the threshold, less pruned headwater stubs). */
  isStream: Uint8Array;
  /** First-order stubs shorter than `minHeadwaterCells` that were pruned. */
  prunedHeadwaters: number;
}

export const MIN_REACH_SLOPE = 1e-4;

/**
 * `minHeadwaterCells`: a first-order stream of fewer cells that ends at a confluence is not a stream
 * but the threshold crossed just above the confluence; it is pruned (its cells and sub-basin join
 * the reach below, and the two reaches it separated become one), as GRASS r.stream.extract's
 * `stream_length` and WhiteboxTools' RemoveShortStreams do. Left in, such a stub is a reach a few
 * tens of metres long and, on steep ground, its Muskingum–Cunge stability limit (Δt ≤ (Δx + Q/(βTS0c))/v)
 * sub-steps the whole network's routing: the real DEM's transverse-Mercator copy had a 42 m, 12 %
 * stub that took its storm's routing from 37 to 100 sub-steps of the 900 s step and its flood stage
 * to 8–12× the UTM copy's time. Streams leaving the grid are kept whatever their length (their water has
 * no other reach to join). 0 keeps every stream (the shipped region's generator).
 */
export function extractRiverNetwork(dem: Grid, thresholdKm2: number, idPrefix = 'R', minHeadwaterCells = 0): ExtractedNetwork {
  const { ncols, nrows, cellsize } = dem;
  const cellAreaKm2 = (cellsize * cellsize) / 1e6;
  const filledElevation = fillDepressions(dem);
  const direction = flowDirections(filledElevation, ncols, nrows);
  const accumulationCells = flowAccumulation(direction, ncols);
  const n = ncols * nrows;
  const thresholdCells = thresholdKm2 / cellAreaKm2;
  const streamMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (accumulationCells[i] >= thresholdCells) streamMask[i] = 1;
  const isStream = (i: number) => i >= 0 && streamMask[i] === 1;
  const streamInflows = countStreamInflows(streamMask, direction, ncols);
  const prunedHeadwaters = minHeadwaterCells > 1 ? pruneHeadwaterStubs(streamMask, streamInflows, direction, ncols, minHeadwaterCells) : 0;
  // A reach starts at a stream head (no stream inflow) or just below a confluence (2+ inflows).
  const reachOfCell = new Int32Array(n).fill(-1);
  const reaches: ExtractedReach[] = [];
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!isStream(i)) continue;
    if (streamInflows[i] !== 1) starts.push(i);
  }
  // Walk each start down to the cell before the next start (a confluence) or off the grid.
  for (const start of starts) {
    const cells: number[] = [];
    let i = start;
    do {
      cells.push(i);
      i = downstreamCell(direction, ncols, i);
    } while (isStream(i) && streamInflows[i] === 1);
    const index = reaches.length;
    for (const c of cells) reachOfCell[c] = index;
    reaches.push({ id: '', downstream: null, cells, lengthM: 0, slope: 0, drainageAreaKm2: 0, localAreaKm2: 0, strahlerOrder: 1 });
  }
  const downstreamIndex = reaches.map((r) => reachOfCell[downstreamCell(direction, ncols, r.cells[r.cells.length - 1])] ?? -1);

  // Length and slope along the cells. The slope is the drop over the distance the two elevations
  // span: to the next reach's first cell, or to the last cell where water leaves the grid.
  const step = (a: number, b: number) => (Math.abs(a - b) === 1 || Math.abs(a - b) === ncols ? 1 : Math.SQRT2) * cellsize;
  reaches.forEach((r) => {
    let span = 0;
    for (let k = 1; k < r.cells.length; k++) span += step(r.cells[k - 1], r.cells[k]);
    const last = r.cells[r.cells.length - 1];
    const next = downstreamCell(direction, ncols, last);
    const zBottom = next >= 0 ? filledElevation[next] : filledElevation[last];
    if (next >= 0) span += step(last, next);
    r.lengthM = next >= 0 ? span : span + cellsize;
    r.slope = Math.max(MIN_REACH_SLOPE, span > 0 ? (filledElevation[r.cells[0]] - zBottom) / span : 0);
    r.drainageAreaKm2 = accumulationCells[last] * cellAreaKm2;
  });

  // Sub-basins: follow each cell downslope to the first stream cell it meets.
  const UNLABELLED = -2;
  const reachLabels = new Int32Array(n).fill(UNLABELLED);
  for (let i = 0; i < n; i++) {
    if (reachOfCell[i] >= 0) reachLabels[i] = reachOfCell[i];
    else if (Number.isNaN(dem.values[i])) reachLabels[i] = -1;
  }
  const basinOfCell = labelDownstream(direction, ncols, reachLabels, UNLABELLED);
  for (let i = 0; i < n; i++) if (basinOfCell[i] >= 0) reaches[basinOfCell[i]].localAreaKm2 += cellAreaKm2;

  // Strahler order, upstream first: reaches are walked from heads, so order by drainage area.
  const byArea = reaches.map((_, k) => k).sort((a, b) => reaches[a].drainageAreaKm2 - reaches[b].drainageAreaKm2);
  const highestIn = new Int32Array(reaches.length);
  const countOfHighest = new Int32Array(reaches.length);
  for (const k of byArea) {
    const own = highestIn[k] === 0 ? 1 : countOfHighest[k] >= 2 ? highestIn[k] + 1 : highestIn[k];
    reaches[k].strahlerOrder = own;
    const d = downstreamIndex[k];
    if (d < 0) continue;
    if (own > highestIn[d]) { highestIn[d] = own; countOfHighest[d] = 1; } else if (own === highestIn[d]) countOfHighest[d]++;
  }

  // Ids numbered from the largest drainage area down, so R001 is the main outlet reach.
  const byAreaDesc = [...byArea].reverse();
  byAreaDesc.forEach((k, rank) => { reaches[k].id = `${idPrefix}${String(rank + 1).padStart(3, '0')}`; });
  reaches.forEach((r, k) => { r.downstream = downstreamIndex[k] >= 0 ? reaches[downstreamIndex[k]].id : null; });
  return { reaches, basinOfCell, filledElevation, direction, accumulationCells, isStream: streamMask, prunedHeadwaters };
}

function countStreamInflows(streamMask: Uint8Array, direction: Int8Array, ncols: number): Int32Array {
  const inflows = new Int32Array(streamMask.length);
  for (let i = 0; i < streamMask.length; i++) {
    if (!streamMask[i]) continue;
    const j = downstreamCell(direction, ncols, i);
    if (j >= 0 && streamMask[j]) inflows[j]++;
  }
  return inflows;
}

/**
 * Unmarks first-order streams of fewer than `minCells` cells that end at a confluence, keeping
 * `inflows` in step. Repeated because two stubs meeting leave their confluence a new head.
 */
function pruneHeadwaterStubs(streamMask: Uint8Array, inflows: Int32Array, direction: Int8Array, ncols: number, minCells: number): number {
  let total = 0;
  for (let pruned = true; pruned;) {
    pruned = false;
    const stubs: number[][] = [];
    for (let head = 0; head < streamMask.length; head++) {
      if (!streamMask[head] || inflows[head] !== 0) continue;
      const cells = [head];
      let next = downstreamCell(direction, ncols, head);
      while (next >= 0 && streamMask[next] && inflows[next] === 1 && cells.length < minCells) {
        cells.push(next);
        next = downstreamCell(direction, ncols, next);
      }
      if (cells.length < minCells && next >= 0 && streamMask[next] && inflows[next] >= 2) stubs.push(cells);
    }
    for (const cells of stubs) {
      for (const c of cells) streamMask[c] = 0;
      inflows[downstreamCell(direction, ncols, cells[cells.length - 1])]--;
      pruned = true;
      total++;
    }
  }
  return total;
}
