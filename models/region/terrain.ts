// Terrain from a DEM, computed by the wasm kernels (assembly/region/terrain.ts): slope and aspect
// (Horn 1981, as gdaldem), priority-flood depression filling, D8 flow, accumulation, HAND. The
// functions keep the names and signatures of their plain-TS twin (models/region/reference.ts), which
// they match bit for bit (test/region/twin.test.ts); they need the kernels loaded once (any
// Kernels.instantiate, e.g. models/wasm-node.ts loadKernels), then every call is synchronous.
// NODATA (NaN) cells stay NaN in every output and never drain anywhere.
import type { Grid } from '../grid/ascii.ts';
import { installedKernels, type Arena, type Kernels } from '../wasm.ts';
import {
  FILL_HEAP_FULL, HEAP_ENTRY_BYTES, STATS_FILLED_CELLS, STATS_FLAT_CELLS, STATS_LENGTH, STATS_MAX_FILL_DEPTH, STATS_NODATA_CELLS,
} from '../../assembly/region/layout.ts';

export interface SlopeAspect {
  slopeDeg: Float64Array;
  /** Direction the slope faces (downslope), degrees clockwise from north; NaN on flat cells. */
  aspectDeg: Float64Array;
}

/** D8 neighbour offsets, clockwise from north (as the kernels' own table). */
export const D8_ROW = [-1, -1, 0, 1, 1, 1, 0, -1];
export const D8_COL = [0, 1, 1, 1, 0, -1, -1, -1];

/** Index of the cell each cell drains into, or −1. */
export function downstreamCell(direction: Int8Array, ncols: number, i: number): number {
  const k = direction[i];
  return k < 0 ? -1 : i + D8_ROW[k] * ncols + D8_COL[k];
}

/** assembly/region/terrain.ts as the host sees it: every argument a number or a pointer. */
export interface RegionKernels {
  regionFill(nrows: number, ncols: number, dem: number, epsilon: number, filled: number, done: number, heap: number, heapCapacity: number, pit: number): number;
  regionFillStats(nrows: number, ncols: number, dem: number, filled: number, stats: number): void;
  regionFlowDirections(nrows: number, ncols: number, elevation: number, direction: number): void;
  regionAccumulation(n: number, ncols: number, direction: number, inflow: number, queue: number, accumulation: number): void;
  regionHand(n: number, ncols: number, elevation: number, direction: number, isStream: number, drain: number, path: number, hand: number): void;
  regionLabelDownstream(n: number, ncols: number, direction: number, label: number, unlabelled: number, path: number): void;
  regionSlopeAspect(nrows: number, ncols: number, cellsize: number, values: number, slopeDeg: number, aspectDeg: number): void;
}

function loaded(): { kernels: Kernels; k: RegionKernels } {
  const kernels = installedKernels();
  return { kernels, k: kernels.exportsAs<RegionKernels>() };
}

/** Direction grids are i8 in memory; the arena knows u8, so the view is taken here. */
function int8View(kernels: Kernels, ptr: number, length: number): Int8Array {
  return new Int8Array(kernels.exports.memory.buffer, ptr, length);
}

function checkCells(ncols: number, nrows: number, length: number, what: string): void {
  if (ncols * nrows !== length) throw new Error(`${what}: ${length} values for a ${ncols} × ${nrows} grid`);
}

export function slopeAspect(dem: Grid): SlopeAspect {
  const { ncols, nrows, cellsize, values } = dem;
  checkCells(ncols, nrows, values.length, 'slopeAspect');
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const n = values.length;
    const slope = arena.allocate('f64', n);
    const aspect = arena.allocate('f64', n);
    const input = arena.copyIn('f64', values);
    k.regionSlopeAspect(nrows, ncols, cellsize, input.ptr, slope.ptr, aspect.ptr);
    return { slopeDeg: arena.copyOut(slope), aspectDeg: arena.copyOut(aspect) };
  });
}

/** First heap size tried: a flood front is usually far smaller than the grid; a full one retries. */
function firstHeapCapacity(n: number): number {
  return Math.min(n, Math.max(1 << 16, n >> 3));
}

function fillInArena(kernels: Kernels, arena: Arena, dem: Grid, epsilon: number) {
  const { ncols, nrows, values } = dem;
  const n = values.length;
  const k = kernels.exportsAs<RegionKernels>();
  const filled = arena.allocate('f64', n);
  const done = arena.allocate('u8', n);
  const pit = arena.allocate('i32', n);
  const input = arena.copyIn('f64', values);
  let capacity = firstHeapCapacity(n);
  for (;;) {
    const heap = arena.allocate('u8', Math.max(1, capacity) * HEAP_ENTRY_BYTES);
    const flooded = k.regionFill(nrows, ncols, input.ptr, epsilon, filled.ptr, done.ptr, heap.ptr, capacity, pit.ptr);
    if (flooded !== FILL_HEAP_FULL) return { input, filled };
    if (capacity >= n) throw new Error('regionFill: heap full at one entry per cell');
    capacity = n;
  }
}

/**
 * Priority-flood depression filling with flats resolved (Barnes, Lehman & Mulla 2014, Priority-
 * Flood+ε): every cell drains to the grid edge or to NODATA, so D8 finds a direction everywhere.
 */
export function fillDepressions(dem: Grid, epsilon = 1e-4): Float64Array {
  checkCells(dem.ncols, dem.nrows, dem.values.length, 'fillDepressions');
  const { kernels } = loaded();
  return kernels.withArena((arena) => arena.copyOut(fillInArena(kernels, arena, dem, epsilon).filled));
}

export interface FillStats {
  /** Cells the filled surface lies above the DEM (filled depressions and resolved flats). */
  cellsFilled: number;
  maxFillDepthM: number;
  /** Cells of the DEM (not on its edge, not beside NODATA) with no lower neighbour: pits and flats. */
  flatCells: number;
  nodataCells: number;
}

/** What filling did to a DEM, for a build report. */
export function fillStats(dem: Grid, filled: Float64Array): FillStats {
  checkCells(dem.ncols, dem.nrows, dem.values.length, 'fillStats');
  checkCells(dem.ncols, dem.nrows, filled.length, 'fillStats (filled)');
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const stats = arena.allocate('f64', STATS_LENGTH);
    const input = arena.copyIn('f64', dem.values);
    const surface = arena.copyIn('f64', filled);
    k.regionFillStats(dem.nrows, dem.ncols, input.ptr, surface.ptr, stats.ptr);
    const s = arena.view(stats);
    return { cellsFilled: s[STATS_FILLED_CELLS], maxFillDepthM: s[STATS_MAX_FILL_DEPTH], flatCells: s[STATS_FLAT_CELLS], nodataCells: s[STATS_NODATA_CELLS] };
  });
}

/** fillDepressions and fillStats in one trip to the kernels. */
export function fillDepressionsWithStats(dem: Grid, epsilon = 1e-4): { filled: Float64Array; stats: FillStats } {
  checkCells(dem.ncols, dem.nrows, dem.values.length, 'fillDepressions');
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const stats = arena.allocate('f64', STATS_LENGTH);
    const { input, filled } = fillInArena(kernels, arena, dem, epsilon);
    k.regionFillStats(dem.nrows, dem.ncols, input.ptr, filled.ptr, stats.ptr);
    const s = arena.view(stats);
    return {
      filled: arena.copyOut(filled),
      stats: { cellsFilled: s[STATS_FILLED_CELLS], maxFillDepthM: s[STATS_MAX_FILL_DEPTH], flatCells: s[STATS_FLAT_CELLS], nodataCells: s[STATS_NODATA_CELLS] },
    };
  });
}

/** Steepest-descent D8 direction (index into D8_ROW/D8_COL) per cell; −1 where water leaves the grid. */
export function flowDirections(elevation: Float64Array, ncols: number, nrows: number): Int8Array {
  checkCells(ncols, nrows, elevation.length, 'flowDirections');
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const direction = arena.allocate('u8', elevation.length);
    const input = arena.copyIn('f64', elevation);
    k.regionFlowDirections(nrows, ncols, input.ptr, direction.ptr);
    return int8View(kernels, direction.ptr, elevation.length).slice();
  });
}

function copyInDirections(kernels: Kernels, arena: Arena, direction: Int8Array) {
  const region = arena.allocate('u8', direction.length);
  int8View(kernels, region.ptr, direction.length).set(direction);
  return region;
}

/** Number of cells draining through each cell, itself included (upstream before downstream). */
export function flowAccumulation(direction: Int8Array, ncols: number): Float64Array {
  const n = direction.length;
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const inflow = arena.allocate('i32', n);
    const queue = arena.allocate('i32', n);
    const accumulation = arena.allocate('f64', n);
    const dir = copyInDirections(kernels, arena, direction);
    k.regionAccumulation(n, ncols, dir.ptr, inflow.ptr, queue.ptr, accumulation.ptr);
    return arena.copyOut(accumulation);
  });
}

/**
 * Height above nearest drainage (HAND; Rennó et al. 2008, Nobre et al. 2011): each cell's height
 * above the stream cell its D8 path first reaches, on the conditioned surface. NaN where the path
 * leaves the grid before meeting a stream.
 */
export function heightAboveDrainage(elevation: Float64Array, direction: Int8Array, ncols: number, isStream: Uint8Array): Float64Array {
  const n = elevation.length;
  if (direction.length !== n || isStream.length !== n) throw new Error(`heightAboveDrainage: grids of ${n}, ${direction.length} and ${isStream.length} cells`);
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const drain = arena.allocate('i32', n);
    const path = arena.allocate('i32', n);
    const hand = arena.allocate('f64', n);
    const z = arena.copyIn('f64', elevation);
    const dir = copyInDirections(kernels, arena, direction);
    const stream = arena.copyIn('u8', isStream);
    k.regionHand(n, ncols, z.ptr, dir.ptr, stream.ptr, drain.ptr, path.ptr, hand.ptr);
    return arena.copyOut(hand);
  });
}

/**
 * Each cell marked `unlabelled` gets the label of the first other cell its D8 path reaches, or −1
 * where the path leaves the grid first (sub-basins from the reaches' cells). Returns a new array.
 */
export function labelDownstream(direction: Int8Array, ncols: number, labels: Int32Array, unlabelled: number): Int32Array {
  const n = direction.length;
  const { kernels, k } = loaded();
  return kernels.withArena((arena) => {
    const path = arena.allocate('i32', n);
    const label = arena.copyIn('i32', labels);
    const dir = copyInDirections(kernels, arena, direction);
    k.regionLabelDownstream(n, ncols, dir.ptr, label.ptr, unlabelled, path.ptr);
    return arena.copyOut(label);
  });
}
