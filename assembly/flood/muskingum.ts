// Linear Muskingum routing over a river network (Chow, Maidment & Mays 1988, §8.4).
//
// Reaches are laid out in topological order: every reach drains into one with a larger
// index (or into the outlet, -1). One pass over the reaches per time step then sees each
// reach's complete inflow, and the downstream accumulator is written forward in memory,
// which is what keeps a million-reach network cache-friendly.
//
// Memory layout (all regions allocated by the host):
//   coefficients  f64[3·reaches]       C0, C1, C2 of each reach, interleaved
//   downstream    i32[reaches]         index of the reach drained into, or -1
//   boundary      f64[(steps+1)·nb]    upstream hydrographs, time-major; boundaryReach i32[nb]
//   lateral       f64[(steps+1)·nl]    lateral inflows, time-major;      lateralReach  i32[nl]
//   initialOutflow f64[reaches]        NaN = steady state (outflow = inflow at t = 0)
//   recorded      f64[(steps+1)·nr]    outflow of the reaches in recordReach i32[nr]
//   inflowState, outflowState f64[reaches]  (out) state at the last step
//   pending       f64[reaches]         scratch: inflow gathered for the current step
//   peak f64[reaches], peakStep i32[reaches]  (out)
//   summary       f64[SUMMARY_LENGTH]  (out) see the SUMMARY_* indices

export const SUMMARY_OUTLET_VOLUME: i32 = 0; // m³ leaving the network through outlets (trapezoid rule)
export const SUMMARY_MIN_OUTFLOW: i32 = 1; // smallest outflow of any reach at any step
export const SUMMARY_NEGATIVE_COUNT: i32 = 2; // reach-steps with outflow < 0
export const SUMMARY_NONFINITE_COUNT: i32 = 3; // reach-steps with NaN or infinite outflow
export const SUMMARY_LENGTH: i32 = 4;

@inline function f64At(base: usize, index: i32): f64 {
  return load<f64>(base + (<usize>index << 3));
}

@inline function setF64(base: usize, index: i32, value: f64): void {
  store<f64>(base + (<usize>index << 3), value);
}

@inline function i32At(base: usize, index: i32): i32 {
  return load<i32>(base + (<usize>index << 2));
}

@inline function addF64(base: usize, index: i32, value: f64): void {
  const at = base + (<usize>index << 3);
  store<f64>(at, load<f64>(at) + value);
}

/** Adds the sparse boundary or lateral inflows of one step into `pending`. */
function gatherSeries(count: i32, reachPtr: usize, seriesPtr: usize, step: i32, pending: usize): void {
  const row = seriesPtr + ((<usize>step * <usize>count) << 3);
  for (let k = 0; k < count; k++) {
    addF64(pending, i32At(reachPtr, k), f64At(row, k));
  }
}

function recordStep(count: i32, reachPtr: usize, recordedPtr: usize, step: i32, outflow: usize): void {
  const row = recordedPtr + ((<usize>step * <usize>count) << 3);
  for (let k = 0; k < count; k++) {
    setF64(row, k, f64At(outflow, i32At(reachPtr, k)));
  }
}

/** Returns the summed outflow of the reaches that drain out of the network. */
function initialise(
  reaches: i32, downstream: usize, initialOutflow: usize,
  inflow: usize, outflow: usize, pending: usize, peak: usize, peakStep: usize,
): f64 {
  let outletFlow: f64 = 0;
  for (let i = 0; i < reaches; i++) {
    const inflowNow = f64At(pending, i);
    setF64(pending, i, 0);
    const given = f64At(initialOutflow, i);
    const outflowNow = given != given ? inflowNow : given;
    setF64(inflow, i, inflowNow);
    setF64(outflow, i, outflowNow);
    setF64(peak, i, outflowNow);
    store<i32>(peakStep + (<usize>i << 2), 0);
    const next = i32At(downstream, i);
    if (next >= 0) addF64(pending, next, outflowNow);
    else outletFlow += outflowNow;
  }
  return outletFlow;
}

export function routeMuskingumNetwork(
  reaches: i32, steps: i32, dtSeconds: f64,
  coefficients: usize, downstream: usize,
  boundaryCount: i32, boundaryReach: usize, boundary: usize,
  lateralCount: i32, lateralReach: usize, lateral: usize,
  initialOutflow: usize,
  recordCount: i32, recordReach: usize, recorded: usize,
  inflow: usize, outflow: usize, pending: usize,
  peak: usize, peakStep: usize, summary: usize,
): void {
  memory.fill(pending, 0, <usize>reaches << 3);
  gatherSeries(boundaryCount, boundaryReach, boundary, 0, pending);
  gatherSeries(lateralCount, lateralReach, lateral, 0, pending);
  let previousOutletFlow = initialise(reaches, downstream, initialOutflow, inflow, outflow, pending, peak, peakStep);
  recordStep(recordCount, recordReach, recorded, 0, outflow);

  let outletVolume: f64 = 0;
  let minOutflow: f64 = Infinity;
  let negativeCount: f64 = 0;
  let nonFiniteCount: f64 = 0;
  for (let step = 1; step <= steps; step++) {
    gatherSeries(boundaryCount, boundaryReach, boundary, step, pending);
    gatherSeries(lateralCount, lateralReach, lateral, step, pending);
    let outletFlow: f64 = 0;
    for (let i = 0; i < reaches; i++) {
      const c = coefficients + (<usize>i * 24);
      const inflowNew = f64At(pending, i);
      const outflowNew = load<f64>(c) * inflowNew + load<f64>(c, 8) * f64At(inflow, i) + load<f64>(c, 16) * f64At(outflow, i);
      setF64(pending, i, 0);
      setF64(inflow, i, inflowNew);
      setF64(outflow, i, outflowNew);
      if (outflowNew > f64At(peak, i)) {
        setF64(peak, i, outflowNew);
        store<i32>(peakStep + (<usize>i << 2), step);
      }
      if (outflowNew < minOutflow) minOutflow = outflowNew;
      if (outflowNew < 0) negativeCount += 1;
      // x - x is NaN exactly when x is NaN or infinite.
      if (outflowNew - outflowNew != 0) nonFiniteCount += 1;
      const next = i32At(downstream, i);
      if (next >= 0) addF64(pending, next, outflowNew);
      else outletFlow += outflowNew;
    }
    outletVolume += 0.5 * (previousOutletFlow + outletFlow) * dtSeconds;
    previousOutletFlow = outletFlow;
    recordStep(recordCount, recordReach, recorded, step, outflow);
  }
  setF64(summary, SUMMARY_OUTLET_VOLUME, outletVolume);
  setF64(summary, SUMMARY_MIN_OUTFLOW, minOutflow);
  setF64(summary, SUMMARY_NEGATIVE_COUNT, negativeCount);
  setF64(summary, SUMMARY_NONFINITE_COUNT, nonFiniteCount);
}
