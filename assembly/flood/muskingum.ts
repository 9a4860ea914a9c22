// Linear Muskingum routing over a river network (Chow, Maidment & Mays 1988, §8.4).
//
// Reaches are laid out in topological order: every reach drains into one with a larger
// index (or into the outlet, -1), so a pass over the reaches in index order sees each reach's
// complete inflow before it routes it.
//
// Time tiling: one pass routes `tileSteps` steps, not one. A reach loads its coefficients and
// state once, routes all the tile's steps from its row of `pending` (the tile's inflows) and adds
// each step's outflow into its downstream reach's row. At 10⁶ reaches a pass per step streamed
// ~100 B per reach-step from memory; per tile the per-reach arrays cost that only once, and the
// rows mostly stay in cache (a reach's downstream is usually a few reaches on). Each inflow is
// still summed in the same order as with one pass per step — boundary series, then lateral series,
// then upstream reaches by index — so results do not depend on the tile length, bit for bit.
//
// Memory layout (all regions allocated by the host; their pointers and the counts come in one
// argument block, ARG_* in layout.ts):
//   coefficients  f64[3·reaches]       C0, C1, C2 of each reach, interleaved
//   downstream    i32[reaches]         index of the reach drained into, or -1
//   boundary      f64[(steps+1)·nb]    upstream hydrographs, time-major; boundaryReach i32[nb]
//   lateral       f64[(steps+1)·nl]    lateral inflows, time-major;      lateralReach  i32[nl]
//   initialOutflow f64[reaches]        NaN = steady state (outflow = inflow at t = 0)
//   recorded      f64[(steps+1)·nr]    outflow of the reaches in recordReach i32[nr]
//   inflowState, outflowState f64[reaches]  (out) state at the last step
//   pending       f64[(reaches+1)·rowLength]  scratch: a row of the tile's inflows per reach,
//                                      the last row the outlets' summed outflow; rowLength is
//                                      tileSteps rounded up to a multiple of 8 (pendingRowLength)
//   recordSlot    i32[reaches]         scratch: the first k with recordReach[k] = reach, or -1
//   peak f64[reaches], peakStep i32[reaches]  (out)
//   summary       f64[SUMMARY_LENGTH]  (out) see the SUMMARY_* indices
import { f64At, i32Arg, i32At, pointerArg, setF64 } from "../memory";
import {
  ARG_BOUNDARY, ARG_BOUNDARY_COUNT, ARG_BOUNDARY_REACH, ARG_COEFFICIENTS, ARG_DOWNSTREAM, ARG_DT, ARG_INFLOW, ARG_INITIAL_OUTFLOW, ARG_LATERAL, ARG_LATERAL_COUNT, ARG_LATERAL_REACH, ARG_OUTFLOW, ARG_PEAK, ARG_PEAK_STEP, ARG_PENDING, ARG_REACHES, ARG_RECORDED, ARG_RECORD_COUNT, ARG_RECORD_REACH, ARG_RECORD_SLOT, ARG_STEPS, ARG_SUMMARY, ARG_TILE_STEPS,
} from "./layout";
import { COEFFICIENTS_PER_REACH, SUMMARY_MIN_OUTFLOW, SUMMARY_NEGATIVE_COUNT, SUMMARY_NONFINITE_COUNT, SUMMARY_OUTLET_VOLUME } from "./layout";

/**
 * Adds the sparse boundary or lateral inflows of steps first … first+count−1 into column
 * 0 … count−1 of their reaches' rows of `pending`.
 */
function gatherSeries(
  seriesCount: i32, reachPtr: usize, seriesPtr: usize,
  first: i32, count: i32, pending: usize, rowBytes: usize,
): void {
  for (let t = 0; t < count; t++) {
    const row = seriesPtr + ((<usize>(first + t) * <usize>seriesCount) << 3);
    const column = <usize>t << 3;
    for (let k = 0; k < seriesCount; k++) {
      const at = pending + <usize>i32At(reachPtr, k) * rowBytes + column;
      store<f64>(at, load<f64>(at) + f64At(row, k));
    }
  }
}

function recordStep(count: i32, reachPtr: usize, recordedPtr: usize, step: i32, outflow: usize): void {
  const row = recordedPtr + ((<usize>step * <usize>count) << 3);
  for (let k = 0; k < count; k++) {
    setF64(row, k, f64At(outflow, i32At(reachPtr, k)));
  }
}

/** The tile records each reach once, in its first slot; a reach listed again gets a copy. */
function copyRepeatedRecords(
  count: i32, reachPtr: usize, recordSlot: usize, recordedPtr: usize, first: i32, steps: i32,
): void {
  for (let k = 0; k < count; k++) {
    const slot = i32At(recordSlot, i32At(reachPtr, k));
    if (slot == k) continue;
    for (let step = first; step < first + steps; step++) {
      const row = recordedPtr + ((<usize>step * <usize>count) << 3);
      setF64(row, k, f64At(row, slot));
    }
  }
}

// Reach-steps of the last revisited tile with outflow < 0 and with a non-finite outflow.
let revisitedNegatives: i32 = 0;
let revisitedNonFinite: i32 = 0;

/**
 * Routes a reach's tile again from its row of inflows — the same operations on the same values,
 * so the same bits — to record its outflows and count negative and non-finite ones. The routing
 * loop, run for every reach, only keeps the lowest outflow and the last: a negative outflow makes
 * the lowest negative, and a non-finite outflow makes every later one non-finite (c2·O is NaN or
 * infinite, and a sum with a NaN or infinite term is too); only such reaches, and recorded ones,
 * come here.
 */
function revisitTile(
  own: usize, ownEnd: usize, c0: f64, c1: f64, c2: f64, inflowOld: f64, outflowOld: f64,
  recordAt: usize, recordStride: usize,
): void {
  let negatives: i32 = 0;
  let nonFinite: i32 = 0;
  for (let at = own; at < ownEnd; at += 8) {
    const inflowNew = load<f64>(at);
    const outflowNew = c0 * inflowNew + c1 * inflowOld + c2 * outflowOld;
    inflowOld = inflowNew;
    outflowOld = outflowNew;
    if (outflowNew < 0) negatives++;
    // x - x is NaN exactly when x is NaN or infinite.
    if (outflowNew - outflowNew != 0) nonFinite++;
    if (recordStride != 0) {
      store<f64>(recordAt, outflowNew);
      recordAt += recordStride;
    }
  }
  revisitedNegatives = negatives;
  revisitedNonFinite = nonFinite;
}

/** Routes t = 0 from column 0 of `pending`; returns the summed outflow of the outlets. */
function initialise(
  reaches: i32, downstream: usize, initialOutflow: usize,
  inflow: usize, outflow: usize, pending: usize, rowBytes: usize, peak: usize, peakStep: usize,
): f64 {
  let outletFlow: f64 = 0;
  for (let i = 0; i < reaches; i++) {
    const own = pending + <usize>i * rowBytes;
    const inflowNow = load<f64>(own);
    store<f64>(own, 0);
    const given = f64At(initialOutflow, i);
    const outflowNow = given != given ? inflowNow : given;
    setF64(inflow, i, inflowNow);
    setF64(outflow, i, outflowNow);
    setF64(peak, i, outflowNow);
    store<i32>(peakStep + (<usize>i << 2), 0);
    const next = i32At(downstream, i);
    if (next >= 0) {
      const at = pending + <usize>next * rowBytes;
      store<f64>(at, load<f64>(at) + outflowNow);
    } else outletFlow += outflowNow;
  }
  return outletFlow;
}

export function routeMuskingumNetwork(args: usize): void {
  const reaches = i32Arg(args, ARG_REACHES);
  const steps = i32Arg(args, ARG_STEPS);
  const dtSeconds = f64At(args, ARG_DT);
  const coefficients = pointerArg(args, ARG_COEFFICIENTS);
  const downstream = pointerArg(args, ARG_DOWNSTREAM);
  const boundaryCount = i32Arg(args, ARG_BOUNDARY_COUNT);
  const boundaryReach = pointerArg(args, ARG_BOUNDARY_REACH);
  const boundary = pointerArg(args, ARG_BOUNDARY);
  const lateralCount = i32Arg(args, ARG_LATERAL_COUNT);
  const lateralReach = pointerArg(args, ARG_LATERAL_REACH);
  const lateral = pointerArg(args, ARG_LATERAL);
  const initialOutflow = pointerArg(args, ARG_INITIAL_OUTFLOW);
  const recordCount = i32Arg(args, ARG_RECORD_COUNT);
  const recordReach = pointerArg(args, ARG_RECORD_REACH);
  const recorded = pointerArg(args, ARG_RECORDED);
  const inflow = pointerArg(args, ARG_INFLOW);
  const outflow = pointerArg(args, ARG_OUTFLOW);
  const pending = pointerArg(args, ARG_PENDING);
  const tileSteps = i32Arg(args, ARG_TILE_STEPS);
  const recordSlot = pointerArg(args, ARG_RECORD_SLOT);
  const peak = pointerArg(args, ARG_PEAK);
  const peakStep = pointerArg(args, ARG_PEAK_STEP);
  const summary = pointerArg(args, ARG_SUMMARY);
  // Rows rounded up to 64 bytes: cleared by four vector stores a round.
  const rowBytes = <usize>((tileSteps + 7) & ~7) << 3;
  const outletRow = pending + <usize>reaches * rowBytes;
  memory.fill(pending, 0, <usize>(reaches + 1) * rowBytes);
  memory.fill(recordSlot, 0xff, <usize>reaches << 2);
  for (let k = recordCount - 1; k >= 0; k--) store<i32>(recordSlot + (<usize>i32At(recordReach, k) << 2), k);

  gatherSeries(boundaryCount, boundaryReach, boundary, 0, 1, pending, rowBytes);
  gatherSeries(lateralCount, lateralReach, lateral, 0, 1, pending, rowBytes);
  let previousOutletFlow = initialise(reaches, downstream, initialOutflow, inflow, outflow, pending, rowBytes, peak, peakStep);
  recordStep(recordCount, recordReach, recorded, 0, outflow);

  let outletVolume: f64 = 0;
  let minOutflow: f64 = Infinity;
  let negativeCount: f64 = 0;
  let nonFiniteCount: f64 = 0;
  for (let first = 1; first <= steps; first += tileSteps) {
    const count = steps - first + 1 < tileSteps ? steps - first + 1 : tileSteps;
    gatherSeries(boundaryCount, boundaryReach, boundary, first, count, pending, rowBytes);
    gatherSeries(lateralCount, lateralReach, lateral, first, count, pending, rowBytes);
    const countBytes = <usize>count << 3;
    for (let i = 0; i < reaches; i++) {
      const c = coefficients + (<usize>i * (COEFFICIENTS_PER_REACH << 3));
      const c0 = load<f64>(c);
      const c1 = load<f64>(c, 8);
      const c2 = load<f64>(c, 16);
      let inflowOld = f64At(inflow, i);
      let outflowOld = f64At(outflow, i);
      let peakFlow = f64At(peak, i);
      let peakAt = i32At(peakStep, i);
      const own = pending + <usize>i * rowBytes;
      const ownEnd = own + countBytes;
      const next = i32At(downstream, i);
      let target = next >= 0 ? pending + <usize>next * rowBytes : outletRow;
      // The reach's own minimum, merged below: a minimum carried across all reach-steps would
      // chain each step to the one before and keep reaches from overlapping in the CPU.
      let lowest: f64 = Infinity;
      for (let at = own; at < ownEnd; at += 8, target += 8) {
        const inflowNew = load<f64>(at);
        const outflowNew = c0 * inflowNew + c1 * inflowOld + c2 * outflowOld;
        inflowOld = inflowNew;
        outflowOld = outflowNew;
        if (outflowNew > peakFlow) {
          peakFlow = outflowNew;
          peakAt = first + <i32>((at - own) >> 3);
        }
        if (outflowNew < lowest) lowest = outflowNew;
        store<f64>(target, load<f64>(target) + outflowNew);
      }
      const slot = i32At(recordSlot, i);
      if (slot >= 0 || lowest < 0 || outflowOld - outflowOld != 0) {
        // inflow[i] and outflow[i] still hold the state before the tile.
        revisitTile(own, ownEnd, c0, c1, c2, f64At(inflow, i), f64At(outflow, i),
          recorded + ((<usize>first * <usize>recordCount + <usize>slot) << 3), slot >= 0 ? <usize>recordCount << 3 : 0);
        negativeCount += revisitedNegatives;
        nonFiniteCount += revisitedNonFinite;
      }
      if (lowest < minOutflow) minOutflow = lowest;
      // Rows are a multiple of 64 bytes long (see rowBytes), so these stores stay inside this one.
      const zero = i64x2.splat(0);
      for (let at = own; at < ownEnd; at += 64) {
        v128.store(at, zero);
        v128.store(at, zero, 16);
        v128.store(at, zero, 32);
        v128.store(at, zero, 48);
      }
      setF64(inflow, i, inflowOld);
      setF64(outflow, i, outflowOld);
      setF64(peak, i, peakFlow);
      store<i32>(peakStep + (<usize>i << 2), peakAt);
    }
    // The outlets' flows of each step, summed in reach order as a pass per step would.
    for (let at: usize = 0; at < countBytes; at += 8) {
      const outletFlow = load<f64>(outletRow + at);
      store<f64>(outletRow + at, 0);
      outletVolume += 0.5 * (previousOutletFlow + outletFlow) * dtSeconds;
      previousOutletFlow = outletFlow;
    }
    copyRepeatedRecords(recordCount, recordReach, recordSlot, recorded, first, count);
  }
  setF64(summary, SUMMARY_OUTLET_VOLUME, outletVolume);
  setF64(summary, SUMMARY_MIN_OUTFLOW, minOutflow);
  setF64(summary, SUMMARY_NEGATIVE_COUNT, negativeCount);
  setF64(summary, SUMMARY_NONFINITE_COUNT, nonFiniteCount);
}
