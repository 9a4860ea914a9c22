// Linear Muskingum (Chow, Maidment & Mays 1988, eq. 8.4.7–8.4.9), and the plain-TypeScript
// reference of the network kernel in assembly/flood/muskingum.ts: the same time-tiled loop, the
// same order of floating-point operations, so the two agree bit for bit. (The kernel counts
// negative and non-finite outflows only where a tile had one; this counts them every step.)

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

/** Adds the series' inflows of steps first … first+count−1 into columns 0 … count−1 of `pending`'s rows. */
function gather(reach: Int32Array, series: Float64Array, first: number, count: number, pending: Float64Array, tile: number): void {
  const seriesCount = reach.length;
  for (let t = 0; t < count; t++) {
    const row = (first + t) * seriesCount;
    for (let k = 0; k < seriesCount; k++) pending[reach[k] * tile + t] += series[row + k];
  }
}

function record(net: PackedNetwork, recorded: Float64Array, step: number, outflow: Float64Array): void {
  const count = net.recordReach.length;
  for (let k = 0; k < count; k++) recorded[step * count + k] = outflow[net.recordReach[k]];
}

export function routeNetworkReference(net: PackedNetwork, tile = tileStepsFor(net.reaches, net.steps)): NetworkRun {
  const n = net.reaches;
  const { coefficients: c, downstream, recordReach } = net;
  const recordCount = recordReach.length;
  const inflow = new Float64Array(n);
  const outflow = new Float64Array(n);
  // A row of the tile's inflows per reach; the last row sums the outlets' outflows.
  const pending = new Float64Array((n + 1) * tile);
  const outletRow = n * tile;
  const recordSlot = new Int32Array(n).fill(-1);
  for (let k = recordCount - 1; k >= 0; k--) recordSlot[recordReach[k]] = k;
  const peak = new Float64Array(n);
  const peakStep = new Int32Array(n);
  const recorded = new Float64Array((net.steps + 1) * recordCount);

  gather(net.boundaryReach, net.boundary, 0, 1, pending, tile);
  gather(net.lateralReach, net.lateral, 0, 1, pending, tile);
  let previousOutletFlow = 0;
  for (let i = 0; i < n; i++) {
    const given = net.initialOutflow[i];
    inflow[i] = pending[i * tile];
    outflow[i] = Number.isNaN(given) ? pending[i * tile] : given;
    pending[i * tile] = 0;
    peak[i] = outflow[i];
    const next = downstream[i];
    if (next >= 0) pending[next * tile] += outflow[i];
    else previousOutletFlow += outflow[i];
  }
  record(net, recorded, 0, outflow);

  let outletVolume = 0;
  let minOutflow = Infinity;
  let negativeCount = 0;
  let nonFiniteCount = 0;
  for (let first = 1; first <= net.steps; first += tile) {
    const count = Math.min(tile, net.steps - first + 1);
    gather(net.boundaryReach, net.boundary, first, count, pending, tile);
    gather(net.lateralReach, net.lateral, first, count, pending, tile);
    for (let i = 0; i < n; i++) {
      const c0 = c[3 * i], c1 = c[3 * i + 1], c2 = c[3 * i + 2];
      let inflowOld = inflow[i];
      let outflowOld = outflow[i];
      let peakFlow = peak[i];
      let peakAt = peakStep[i];
      const own = i * tile;
      const next = downstream[i];
      const target = next >= 0 ? next * tile : outletRow;
      const slot = recordSlot[i];
      let lowest = Infinity;
      let negatives = 0;
      let nonFinite = 0;
      for (let t = 0; t < count; t++) {
        const inflowNew = pending[own + t];
        pending[own + t] = 0;
        const outflowNew = c0 * inflowNew + c1 * inflowOld + c2 * outflowOld;
        inflowOld = inflowNew;
        outflowOld = outflowNew;
        if (outflowNew > peakFlow) {
          peakFlow = outflowNew;
          peakAt = first + t;
        }
        if (outflowNew < lowest) lowest = outflowNew;
        if (outflowNew < 0) negatives++;
        if (!Number.isFinite(outflowNew)) nonFinite++;
        pending[target + t] += outflowNew;
        if (slot >= 0) recorded[(first + t) * recordCount + slot] = outflowNew;
      }
      inflow[i] = inflowOld;
      outflow[i] = outflowOld;
      peak[i] = peakFlow;
      peakStep[i] = peakAt;
      if (lowest < minOutflow) minOutflow = lowest;
      negativeCount += negatives;
      nonFiniteCount += nonFinite;
    }
    for (let t = 0; t < count; t++) {
      const outletFlow = pending[outletRow + t];
      pending[outletRow + t] = 0;
      outletVolume += 0.5 * (previousOutletFlow + outletFlow) * net.dtSeconds;
      previousOutletFlow = outletFlow;
    }
    for (let k = 0; k < recordCount; k++) {
      const slot = recordSlot[recordReach[k]];
      if (slot === k) continue;
      for (let step = first; step < first + count; step++) recorded[step * recordCount + k] = recorded[step * recordCount + slot];
    }
  }
  return { recorded, inflow, outflow, peak, peakStep, outletVolume, minOutflow, negativeCount, nonFiniteCount };
}
