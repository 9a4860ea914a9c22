// What the flood kernels (assembly/flood/muskingum.ts, network.ts) and their plain-TS twins
// (./reference.ts) exchange with the host: packed networks, their runs, linear Muskingum's
// coefficients (Chow, Maidment & Mays 1988, eq. 8.4.7–8.4.9) and the time tiling of the linear kernel.

export interface MuskingumCoefficients { c0: number; c1: number; c2: number }

export function muskingumCoefficients(kSeconds: number, x: number, dtSeconds: number): MuskingumCoefficients {
  const denominator = 2 * kSeconds * (1 - x) + dtSeconds;
  return {
    c0: (dtSeconds - 2 * kSeconds * x) / denominator,
    c1: (dtSeconds + 2 * kSeconds * x) / denominator,
    c2: (2 * kSeconds * (1 - x) - dtSeconds) / denominator,
  };
}

/** A network packed for the kernel: reaches in topological order (downstream index > own). */
export interface PackedNetwork {
  reaches: number;
  steps: number;
  dtSeconds: number;
  coefficients: Float64Array; // c0, c1, c2 per reach
  downstream: Int32Array; // -1 = outlet
  boundaryReach: Int32Array;
  boundary: Float64Array; // (steps + 1) × boundaryReach.length, time-major
  lateralReach: Int32Array;
  lateral: Float64Array;
  initialOutflow: Float64Array; // NaN = steady state
  recordReach: Int32Array;
}

export interface NetworkRun {
  recorded: Float64Array; // (steps + 1) × recordReach.length, time-major
  inflow: Float64Array; // state after the last step
  outflow: Float64Array;
  peak: Float64Array;
  peakStep: Int32Array;
  outletVolume: number;
  minOutflow: number;
  negativeCount: number;
  nonFiniteCount: number;
}

/** Most steps one pass over the network routes (assembly/flood/muskingum.ts: time tiling). */
export const TILE_STEPS = 16;
/**
 * Most bytes the tile's inflow rows may take, 8·(reaches + 1)·tile: 128 MiB gives a million
 * reaches the full tile; larger networks get shorter tiles rather than more memory.
 */
export const PENDING_BUDGET_BYTES = 128 * 2 ** 20;

/** Steps per pass for a network: results are the same bit for bit whatever it is. */
export function tileStepsFor(reaches: number, steps: number): number {
  return Math.max(1, Math.min(TILE_STEPS, steps, Math.floor(PENDING_BUDGET_BYTES / (8 * (reaches + 1)))));
}

/** The kernel's pending row length for a tile: rounded up to 64 bytes, whole rounds of vector stores. */
export function pendingRowLength(tile: number): number {
  return (tile + 7) & ~7;
}

/** Segments (computational sub-reaches) in topological order, as the mixed kernel reads them. */
export interface MixedNetwork {
  segments: number;
  steps: number;
  dtSeconds: number;
  method: Int32Array;
  downstream: Int32Array;
  params: Float64Array; // PARAMS_PER_SEGMENT per segment
  boundaryReach: Int32Array;
  boundary: Float64Array;
  lateralReach: Int32Array;
  lateral: Float64Array;
  initialOutflow: Float64Array;
  recordReach: Int32Array;
  /** Length of the diffusive reaches' node region: 3 per cell (absent: none). */
  nodeCount?: number;
}

/** The balance and health counts both routing kernels report, in the same units. */
export interface RouteBalance {
  outletVolume: number;
  minOutflow: number;
  negativeCount: number;
  nonFiniteCount: number;
  initialStorage: number;
  finalStorage: number;
  depthFailures: number;
}

export interface MixedRun extends RouteBalance {
  recorded: Float64Array;
  state: Float64Array;
  peakStep: Int32Array;
}
