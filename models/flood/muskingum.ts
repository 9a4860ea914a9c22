// Linear Muskingum (Chow, Maidment & Mays 1988, eq. 8.4.7–8.4.9), and the plain-TypeScript
// reference of the network kernel in assembly/flood/muskingum.ts: the same loop, the same
// order of floating-point operations, so the two agree bit for bit.

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

function gather(reach: Int32Array, series: Float64Array, step: number, pending: Float64Array): void {
  const count = reach.length;
  const row = step * count;
  for (let k = 0; k < count; k++) pending[reach[k]] += series[row + k];
}

function record(net: PackedNetwork, recorded: Float64Array, step: number, outflow: Float64Array): void {
  const count = net.recordReach.length;
  for (let k = 0; k < count; k++) recorded[step * count + k] = outflow[net.recordReach[k]];
}

export function routeNetworkReference(net: PackedNetwork): NetworkRun {
  const n = net.reaches;
  const { coefficients: c, downstream } = net;
  const inflow = new Float64Array(n);
  const outflow = new Float64Array(n);
  const pending = new Float64Array(n);
  const peak = new Float64Array(n);
  const peakStep = new Int32Array(n);
  const recorded = new Float64Array((net.steps + 1) * net.recordReach.length);

  gather(net.boundaryReach, net.boundary, 0, pending);
  gather(net.lateralReach, net.lateral, 0, pending);
  let previousOutletFlow = 0;
  for (let i = 0; i < n; i++) {
    const given = net.initialOutflow[i];
    inflow[i] = pending[i];
    outflow[i] = Number.isNaN(given) ? pending[i] : given;
    pending[i] = 0;
    peak[i] = outflow[i];
    const next = downstream[i];
    if (next >= 0) pending[next] += outflow[i];
    else previousOutletFlow += outflow[i];
  }
  record(net, recorded, 0, outflow);

  let outletVolume = 0;
  let minOutflow = Infinity;
  let negativeCount = 0;
  let nonFiniteCount = 0;
  for (let step = 1; step <= net.steps; step++) {
    gather(net.boundaryReach, net.boundary, step, pending);
    gather(net.lateralReach, net.lateral, step, pending);
    let outletFlow = 0;
    for (let i = 0; i < n; i++) {
      const inflowNew = pending[i];
      const outflowNew = c[3 * i] * inflowNew + c[3 * i + 1] * inflow[i] + c[3 * i + 2] * outflow[i];
      pending[i] = 0;
      inflow[i] = inflowNew;
      outflow[i] = outflowNew;
      if (outflowNew > peak[i]) {
        peak[i] = outflowNew;
        peakStep[i] = step;
      }
      if (outflowNew < minOutflow) minOutflow = outflowNew;
      if (outflowNew < 0) negativeCount++;
      if (!Number.isFinite(outflowNew)) nonFiniteCount++;
      const next = downstream[i];
      if (next >= 0) pending[next] += outflowNew;
      else outletFlow += outflowNew;
    }
    outletVolume += 0.5 * (previousOutletFlow + outletFlow) * net.dtSeconds;
    previousOutletFlow = outletFlow;
    record(net, recorded, step, outflow);
  }
  return { recorded, inflow, outflow, peak, peakStep, outletVolume, minOutflow, negativeCount, nonFiniteCount };
}
