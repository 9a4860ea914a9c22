// The plain-TypeScript twin of the network kernel in assembly/flood/muskingum.ts: the same
// time-tiled loop, the same order of floating-point operations, so the two agree bit for bit. (The
// kernel counts negative and non-finite outflows only where a tile had one; this counts them every
// step.) Tests and benchmarks only.
import { COEFFICIENTS_PER_REACH } from '../../assembly/flood/layout.ts';
import { tileStepsFor, type NetworkRun, type PackedNetwork } from './packed.ts';

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
      const c0 = c[COEFFICIENTS_PER_REACH * i], c1 = c[COEFFICIENTS_PER_REACH * i + 1], c2 = c[COEFFICIENTS_PER_REACH * i + 2];
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
