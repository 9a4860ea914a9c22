// Over ~400 lines on purpose: one kernel whose four per-segment steps share the record layout and
// the step loop; the channel geometry they share is already in ./channel.ts.
//
// Mixed-method routing over a river network: linear Muskingum, Muskingum–Cunge–Todini (MCT,
// Todini 2007) and the kinematic wave (Chow, Maidment & Mays 1988 §9.6, four-point implicit,
// solved for the new outflow), one computational sub-reach ("segment") per entry.
//
// The host splits each reach into segments and lays them out in topological order, a reach's
// segments consecutive, each draining into the next one (or into the outlet, -1); so one pass per
// time step sees every segment's complete inflow, as in assembly/flood/muskingum.ts.
//
// Every scheme here is written so that with its own storage S,
//   S(t+Δt) − S(t) = Δt·[I(t) + I(t+Δt)]/2 − Δt·[O(t) + O(t+Δt)]/2   (exactly, up to rounding),
// which is what lets the host close a mass balance to 1e-9 on any network:
//   linear      S = K·[X·I + (1 − X)·O]
//   MCT         S = Δt/(2C)·[(1 − D)·I + (1 + D)·O]      C, D: Todini's corrected Courant and
//                                                          cell Reynolds numbers at t+Δt
//   kinematic   S = Δx·A(O) + Δt·(O − I)/2                 (the implicit flux lag as storage)
//   diffusive   S = Σ Δx·(A_ref + (Q_j − Q_ref)/c) + lag     (cells of a Crank–Nicolson grid; lag:
//                                                          outflow volume of the reach's own
//                                                          sub-steps minus the network's trapezoid)
//
// Memory (regions allocated by the host; their pointers and the counts come in one argument block,
// ARG_* in layout.ts):
//   method     i32[segments]   METHOD_*
//   downstream i32[segments]   index of the segment drained into, or -1
//   params     f64[8·segments] linear: C0, C1, C2, K, X
//                              channel: Δx, S0, bottom width, side slope z, 2√(1+z²), n/√S0,
//                                       reference discharge (0 = variable parameters)
//                              diffusive: cell Δx, celerity c, diffusivity D, A_ref − Q_ref/c,
//                                       cells N, sub-steps m, first node in `nodes`
//   nodes      f64[3·cells]    diffusive reaches: cell discharges Q, then the Thomas factors of
//                              their constant matrix (upper, 1/pivot), N each
//   boundary/lateral, initialOutflow, record*: as in assembly/flood/muskingum.ts
//   state      f64[8·segments] (out) inflow, outflow, Courant, Reynolds, depth, peak, pending,
//                              the discharge the depth belongs to (MCT)
//   peakStep   i32[segments]   (out)
//   summary    f64[SUMMARY_LENGTH] (out)
import { f64At, i32Arg, i32At, pointerArg, setF64 } from "../memory";
import {
  ARG_BOUNDARY, ARG_BOUNDARY_COUNT, ARG_BOUNDARY_REACH, ARG_DOWNSTREAM, ARG_DT, ARG_INITIAL_OUTFLOW, ARG_LATERAL, ARG_LATERAL_COUNT, ARG_LATERAL_REACH, ARG_METHOD, ARG_NODES, ARG_PARAMS, ARG_PEAK_STEP, ARG_REACHES, ARG_RECORDED, ARG_RECORD_COUNT, ARG_RECORD_REACH, ARG_STATE, ARG_STEPS, ARG_SUMMARY,
} from "./layout";
import { METHOD_DIFFUSIVE, METHOD_KINEMATIC, METHOD_LINEAR, METHOD_MCT, MIXED_DEPTH_FAILURES, MIXED_FINAL_STORAGE, MIXED_INITIAL_STORAGE, MIXED_MIN_OUTFLOW, MIXED_NEGATIVE_COUNT, MIXED_NONFINITE_COUNT, MIXED_OUTLET_VOLUME, P_AREA_OFFSET, P_C0, P_C1, P_C2, P_CELERITY, P_CELLS, P_DIFFUSIVITY, P_DX, P_K, P_NODES, P_PERIMETER, P_REFERENCE, P_RESISTANCE, P_SIDE, P_SLOPE, P_SUBSTEPS, P_WIDTH, P_X, PARAMS_PER_SEGMENT, S_COURANT, S_DEPTH, S_DEPTH_DISCHARGE, S_INFLOW, S_LAG, S_OUTFLOW, S_PEAK, S_PENDING, S_REYNOLDS } from "./layout";
import { celerity, depthFailures, normalDepth, normalDepthFrom, resetDepthFailures, sectionArea } from './channel';

/** Parameters are evaluated at no less than this discharge (m³/s): a dry channel has no celerity. */
export const PARAMETER_MIN_DISCHARGE: f64 = 1e-6;
/** MCT iterations on the reference discharge at t+Δt (two, as LISFLOOD's MCT). */
export const MCT_ITERATIONS: i32 = 2;
export const KINEMATIC_MAX_ITERATIONS: i32 = 100;
export const KINEMATIC_TOLERANCE: f64 = 1e-13;

// One record size for params and state: PARAMS_PER_SEGMENT = STATE_PER_SEGMENT.
const RECORD: usize = <usize>PARAMS_PER_SEGMENT << 3;


@inline function addPending(state: usize, index: i32, value: f64): void {
  const at = state + <usize>index * RECORD + (<usize>S_PENDING << 3);
  store<f64>(at, load<f64>(at) + value);
}

function gatherSeries(count: i32, reachPtr: usize, seriesPtr: usize, step: i32, state: usize): void {
  const row = seriesPtr + ((<usize>step * <usize>count) << 3);
  for (let k = 0; k < count; k++) addPending(state, i32At(reachPtr, k), f64At(row, k));
}

function recordStep(count: i32, reachPtr: usize, recordedPtr: usize, step: i32, state: usize): void {
  const row = recordedPtr + ((<usize>step * <usize>count) << 3);
  for (let k = 0; k < count; k++) {
    store<f64>(row + (<usize>k << 3), f64At(state + <usize>i32At(reachPtr, k) * RECORD, S_OUTFLOW));
  }
}

/**
 * C = c·Δt/(β·Δx) and D = Q/(β·T·S0·c·Δx) with β = c/v (Todini 2007, eqs. 43–44): with them the
 * storage Δt/(2C)·[(1−D)I + (1+D)O] is the channel's water volume at steady state (K = Δx/v).
 * Stored with the depth and the discharge they belong to. Here for t = 0 (a cold depth solve);
 * stepMct has the same arithmetic inline.
 */
function mctParameters(p: usize, s: usize, q: f64, dt: f64): void {
  const width = f64At(p, P_WIDTH);
  const side = f64At(p, P_SIDE);
  const perimeterFactor = f64At(p, P_PERIMETER);
  const reference = q < PARAMETER_MIN_DISCHARGE ? PARAMETER_MIN_DISCHARGE : q;
  const h = normalDepth(reference, f64At(p, P_RESISTANCE), width, side, perimeterFactor, f64At(s, S_DEPTH));
  setF64(s, S_DEPTH, h);
  setF64(s, S_DEPTH_DISCHARGE, reference);
  const area = sectionArea(h, width, side);
  const top = width + 2 * side * h;
  const perimeter = width + perimeterFactor * h;
  // With c = (Q/3)(5/A − 2pf/(PT)) and β = c/v substituted, Q drops out of D.
  const shape = 5 * perimeter * top - 2 * perimeterFactor * area;
  const slopeShape2 = f64At(p, P_SLOPE) * shape * shape;
  // One division for both: C = QΔt/(AΔx), D = 9AP²T/(S0Δx·shape²).
  const inverse = 1 / (area * f64At(p, P_DX) * slopeShape2);
  const courant = reference * dt * slopeShape2 * inverse;
  const reynolds = 9 * area * perimeter * perimeter * top * area * inverse;
  // D ≤ 1 + C keeps the coefficient on the old inflow ≥ 0; only a sub-reach much shorter than the
  // flow's diffusion length gets here, where the cap trims a diffusion too small to matter.
  setF64(s, S_COURANT, courant);
  setF64(s, S_REYNOLDS, reynolds < 1 + courant ? reynolds : 1 + courant);
}

/**
 * One MCT step: up to MCT_ITERATIONS reference discharges, each giving C1 and D1 and the outflow.
 * mctParameters inlined, with C1 and D1 kept in locals, and the reach's parameters read only when
 * the reference discharge is new: a steady reach (the same reference as last time, whose stored C
 * and D are then already C1 and D1) touches nothing but its state record. A reach with a fixed
 * reference discharge keeps C1 = C0, D1 = D0 whatever the reference, as before.
 */
function stepMct(p: usize, s: usize, inflowNew: f64, dt: f64): f64 {
  const inflowOld = f64At(s, S_INFLOW);
  const outflowOld = f64At(s, S_OUTFLOW);
  const c0 = f64At(s, S_COURANT);
  const d0 = f64At(s, S_REYNOLDS);
  let c1 = c0;
  let d1 = d0;
  let outflow = outflowOld + (inflowNew - inflowOld);
  let lastReference: f64 = -1;
  for (let iteration = 0; iteration < MCT_ITERATIONS; iteration++) {
    const guess = outflow > 0 ? outflow : 0;
    const reference = 0.5 * (inflowNew + guess);
    // The same reference discharge again gives the same parameters and the same outflow.
    if (reference == lastReference) break;
    lastReference = reference;
    const q = reference < PARAMETER_MIN_DISCHARGE ? PARAMETER_MIN_DISCHARGE : reference;
    const q0 = f64At(s, S_DEPTH_DISCHARGE);
    let fixed = false;
    // S_COURANT and S_REYNOLDS hold the parameters at S_DEPTH_DISCHARGE, and c1, d1 equal them
    // here (read at the start, or stored by the last iteration): the same q again needs nothing.
    if (q != q0) {
      fixed = f64At(p, P_REFERENCE) > 0;
      if (!fixed) {
        const width = f64At(p, P_WIDTH);
        const side = f64At(p, P_SIDE);
        const perimeterFactor = f64At(p, P_PERIMETER);
        // Predicted from the depth at the last reference discharge, then one Halley step as a rule.
        const h = normalDepthFrom(q, f64At(p, P_RESISTANCE), width, side, perimeterFactor, f64At(s, S_DEPTH), q0);
        setF64(s, S_DEPTH, h);
        setF64(s, S_DEPTH_DISCHARGE, q);
        // As mctParameters.
        const area = sectionArea(h, width, side);
        const top = width + 2 * side * h;
        const perimeter = width + perimeterFactor * h;
        const shape = 5 * perimeter * top - 2 * perimeterFactor * area;
        const slopeShape2 = f64At(p, P_SLOPE) * shape * shape;
        const inverse = 1 / (area * f64At(p, P_DX) * slopeShape2);
        c1 = q * dt * slopeShape2 * inverse;
        const reynolds = 9 * area * perimeter * perimeter * top * area * inverse;
        d1 = reynolds < 1 + c1 ? reynolds : 1 + c1;
        setF64(s, S_COURANT, c1);
        setF64(s, S_REYNOLDS, d1);
      }
    }
    // One division: 1/(C0·(1 + C1 + D1)) gives both 1/(1 + C1 + D1) and (C1/C0)/(1 + C1 + D1).
    const scale = 1 / (c0 * (1 + c1 + d1));
    const inverse = c0 * scale;
    const ratio = c1 * scale;
    // a·I' + b·I + c·O written as O + a·(I' − O) + b·(I − O) + (a + b + c − 1)·O, where
    // a + b + c − 1 = 2(C1 − C0)/(C0·(1 + C1 + D1)): a steady reach (I' = I = O, C1 = C0) keeps O
    // exactly instead of drifting by rounding, so its next reference discharge repeats too.
    outflow = outflowOld + (-1 + c1 + d1) * inverse * (inflowNew - outflowOld) + (1 + c0 - d0) * ratio * (inflowOld - outflowOld)
      + 2 * (c1 - c0) * scale * outflowOld;
    if (fixed) break;
  }
  return outflow;
}

/**
 * Kinematic wave over one segment, Chow et al. (1988) eq. 9.6.5 with A(Q) from Manning:
 * (Δt/Δx)·O' + A(O') = (Δt/Δx)·I' + A(O). The left side rises with O', so a bracketed Newton
 * (bisection when a step leaves the bracket) finds the one root, and O' ≥ 0 always.
 */
function stepKinematic(p: usize, s: usize, inflowNew: f64, dt: f64): f64 {
  const width = f64At(p, P_WIDTH);
  const side = f64At(p, P_SIDE);
  const perimeterFactor = f64At(p, P_PERIMETER);
  const resistance = f64At(p, P_RESISTANCE);
  const ratio = dt / f64At(p, P_DX);
  let h = f64At(s, S_DEPTH);
  const rhs = ratio * inflowNew + sectionArea(h, width, side);
  if (!(rhs > 0)) {
    // Only a negative inflow (from a reach upstream that dipped below zero) gets here: the dry
    // channel passes it on, (Δt/Δx)·O' = rhs, so volume stays conserved and the dip stays visible.
    setF64(s, S_DEPTH, 0);
    return rhs / ratio;
  }
  let low: f64 = 0;
  let high = rhs / ratio;
  let outflow = f64At(s, S_OUTFLOW) + (inflowNew - f64At(s, S_INFLOW));
  if (!(outflow > low && outflow < high)) outflow = 0.5 * high;
  for (let iteration = 0; iteration < KINEMATIC_MAX_ITERATIONS; iteration++) {
    h = normalDepth(outflow, resistance, width, side, perimeterFactor, h);
    const residual = ratio * outflow + sectionArea(h, width, side) - rhs;
    if (residual > 0) high = outflow;
    else low = outflow;
    const slope = ratio + 1 / celerity(outflow, h, width, side, perimeterFactor);
    let next = outflow - residual / slope;
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    const change = next - outflow;
    outflow = next;
    if ((change < 0 ? -change : change) <= KINEMATIC_TOLERANCE * outflow) break;
  }
  setF64(s, S_DEPTH, normalDepth(outflow, resistance, width, side, perimeterFactor, h));
  return outflow;
}


// Crank–Nicolson coefficients of a diffusive reach for one of its sub-steps h = Δt/m, left here:
// a = c·h/Δx (Courant), r = D·h/Δx² (diffusion number), α = r/2 + a/4 (weight of the cell
// upstream), β = r/2 − a/4 (of the cell downstream; ≥ 0 iff the cell Péclet number cΔx/D ≤ 2).
let dwCourant: f64 = 0;
let dwAlpha: f64 = 0;
let dwBeta: f64 = 0;

function diffusiveCoefficients(p: usize, dt: f64): void {
  const h = dt / f64At(p, P_SUBSTEPS);
  const dx = f64At(p, P_DX);
  dwCourant = f64At(p, P_CELERITY) * h / dx;
  const r = f64At(p, P_DIFFUSIVITY) * h / (dx * dx);
  dwAlpha = 0.5 * r + 0.25 * dwCourant;
  dwBeta = 0.5 * r - 0.25 * dwCourant;
}

/** Outflow weight of cell j out of its own volume per half step: β from the face upstream, α (or a/2 at the outlet) downstream. */
@inline function diffusiveLoss(j: i32, cells: i32): f64 {
  return (j > 0 ? dwBeta : 0) + (j < cells - 1 ? dwAlpha : 0.5 * dwCourant);
}

/** Thomas factors of the constant implicit matrix: its rows never change, so they are set once. */
function diffusiveFactor(p: usize, nodes: usize, dt: f64): void {
  diffusiveCoefficients(p, dt);
  const cells = <i32>f64At(p, P_CELLS);
  const base = nodes + (<usize><i32>f64At(p, P_NODES) << 3);
  const upper = base + (<usize>cells << 3);
  const pivot = upper + (<usize>cells << 3);
  let previousUpper: f64 = 0;
  for (let j = 0; j < cells; j++) {
    const w = 1 + diffusiveLoss(j, cells) + dwAlpha * previousUpper;
    const inverse = 1 / w;
    previousUpper = -dwBeta * inverse;
    store<f64>(upper + (<usize>j << 3), previousUpper);
    store<f64>(pivot + (<usize>j << 3), inverse);
  }
}

/**
 * Linear diffusion wave ∂Q/∂t + c∂Q/∂x = D∂²Q/∂x² on the reach's N cells, in conservative form
 * (volume Δx·Q/c per cell, face flux Q − (D/c)∂Q/∂x, central in space), Crank–Nicolson in time:
 * inflow flux I at the upstream face, zero gradient (outflow = Q of the last cell) at the outlet,
 * m sub-steps with the inflow interpolated linearly. The matrix is an M-matrix and the explicit
 * half has non-negative weights when Pe ≤ 2 and r ≤ 1, so flows stay non-negative.
 */
function stepDiffusive(p: usize, s: usize, nodes: usize, inflowNew: f64, dt: f64): f64 {
  diffusiveCoefficients(p, dt);
  const cells = <i32>f64At(p, P_CELLS);
  const substeps = <i32>f64At(p, P_SUBSTEPS);
  const base = nodes + (<usize><i32>f64At(p, P_NODES) << 3);
  const upper = base + (<usize>cells << 3);
  const pivot = upper + (<usize>cells << 3);
  const inflowOld = f64At(s, S_INFLOW);
  const outflowOld = f64At(s, S_OUTFLOW);
  const h = dt / <f64>substeps;
  const alpha = dwAlpha;
  const beta = dwBeta;
  let inflowFrom = inflowOld;
  let outflow = outflowOld;
  let outflowSum: f64 = 0;
  for (let k = 1; k <= substeps; k++) {
    const inflowTo = k == substeps ? inflowNew : inflowOld + (inflowNew - inflowOld) * (<f64>k / <f64>substeps);
    // Forward sweep: the right-hand side from the old cells, eliminated in place of them.
    let oldLeft: f64 = 0;
    let eliminated: f64 = 0;
    for (let j = 0; j < cells; j++) {
      const at = base + (<usize>j << 3);
      const oldHere = load<f64>(at);
      const loss = diffusiveLoss(j, cells);
      let rhs = (1 - loss) * oldHere;
      if (j > 0) rhs += alpha * oldLeft;
      else rhs += 0.5 * dwCourant * (inflowFrom + inflowTo);
      if (j < cells - 1) rhs += beta * load<f64>(at + 8);
      eliminated = (rhs + alpha * eliminated) * load<f64>(pivot + (<usize>j << 3));
      store<f64>(at, eliminated);
      oldLeft = oldHere;
    }
    // Back substitution.
    let next = eliminated;
    for (let j = cells - 2; j >= 0; j--) {
      const at = base + (<usize>j << 3);
      next = load<f64>(at) - load<f64>(upper + (<usize>j << 3)) * next;
      store<f64>(at, next);
    }
    const outflowTo = load<f64>(base + (<usize>(cells - 1) << 3));
    outflowSum += outflow + outflowTo;
    outflow = outflowTo;
    inflowFrom = inflowTo;
  }
  setF64(s, S_LAG, f64At(s, S_LAG) + (0.5 * h * outflowSum - 0.5 * dt * (outflowOld + outflow)));
  return outflow;
}

function diffusiveStorage(p: usize, s: usize, nodes: usize): f64 {
  const cells = <i32>f64At(p, P_CELLS);
  const base = nodes + (<usize><i32>f64At(p, P_NODES) << 3);
  let total: f64 = 0;
  for (let j = 0; j < cells; j++) total += load<f64>(base + (<usize>j << 3));
  const dx = f64At(p, P_DX);
  return dx * <f64>cells * f64At(p, P_AREA_OFFSET) + dx / f64At(p, P_CELERITY) * total + f64At(s, S_LAG);
}

/** t = 0: cells from the inflow to the outflow linearly (all equal at steady state). */
function diffusiveInitialise(p: usize, s: usize, nodes: usize, inflow: f64, outflow: f64, dt: f64): void {
  const cells = <i32>f64At(p, P_CELLS);
  const base = nodes + (<usize><i32>f64At(p, P_NODES) << 3);
  for (let j = 0; j < cells; j++) {
    const q = j == cells - 1 ? outflow : inflow + (outflow - inflow) * (<f64>(j + 1) / <f64>cells);
    store<f64>(base + (<usize>j << 3), q);
  }
  setF64(s, S_LAG, 0);
  diffusiveFactor(p, nodes, dt);
}

function storageOf(method: i32, p: usize, s: usize, nodes: usize, dt: f64): f64 {
  const inflow = f64At(s, S_INFLOW);
  const outflow = f64At(s, S_OUTFLOW);
  if (method == METHOD_LINEAR) {
    const x = f64At(p, P_X);
    return f64At(p, P_K) * (x * inflow + (1 - x) * outflow);
  }
  if (method == METHOD_MCT) {
    const d = f64At(s, S_REYNOLDS);
    return dt / (2 * f64At(s, S_COURANT)) * ((1 - d) * inflow + (1 + d) * outflow);
  }
  if (method == METHOD_DIFFUSIVE) return diffusiveStorage(p, s, nodes);
  return f64At(p, P_DX) * sectionArea(f64At(s, S_DEPTH), f64At(p, P_WIDTH), f64At(p, P_SIDE)) + 0.5 * dt * (outflow - inflow);
}

function totalStorage(segments: i32, method: usize, params: usize, state: usize, nodes: usize, dt: f64): f64 {
  let total: f64 = 0;
  for (let i = 0; i < segments; i++) {
    total += storageOf(i32At(method, i), params + <usize>i * RECORD, state + <usize>i * RECORD, nodes, dt);
  }
  return total;
}

/** t = 0: steady state unless an outflow is given; channel parameters at (I + O)/2. */
function initialise(
  segments: i32, dt: f64, method: usize, downstream: usize, params: usize, initialOutflow: usize,
  state: usize, peakStep: usize, nodes: usize,
): f64 {
  let outletFlow: f64 = 0;
  for (let i = 0; i < segments; i++) {
    const s = state + <usize>i * RECORD;
    const p = params + <usize>i * RECORD;
    const inflowNow = f64At(s, S_PENDING);
    setF64(s, S_PENDING, 0);
    const given = f64At(initialOutflow, i);
    const outflowNow = given != given ? inflowNow : given;
    setF64(s, S_INFLOW, inflowNow);
    setF64(s, S_OUTFLOW, outflowNow);
    setF64(s, S_PEAK, outflowNow);
    setF64(s, S_DEPTH, 0);
    setF64(s, S_DEPTH_DISCHARGE, 0);
    store<i32>(peakStep + (<usize>i << 2), 0);
    const kind = i32At(method, i);
    if (kind == METHOD_MCT) {
      const reference = f64At(p, P_REFERENCE);
      mctParameters(p, s, reference > 0 ? reference : 0.5 * (inflowNow + outflowNow), dt);
    } else if (kind == METHOD_KINEMATIC) {
      setF64(s, S_DEPTH, normalDepth(outflowNow, f64At(p, P_RESISTANCE), f64At(p, P_WIDTH), f64At(p, P_SIDE), f64At(p, P_PERIMETER), 0));
    } else if (kind == METHOD_DIFFUSIVE) {
      diffusiveInitialise(p, s, nodes, inflowNow, outflowNow, dt);
    }
    const next = i32At(downstream, i);
    if (next >= 0) addPending(state, next, outflowNow);
    else outletFlow += outflowNow;
  }
  return outletFlow;
}

export function routeMixedNetwork(args: usize): void {
  const segments = i32Arg(args, ARG_REACHES);
  const steps = i32Arg(args, ARG_STEPS);
  const dt = f64At(args, ARG_DT);
  const method = pointerArg(args, ARG_METHOD);
  const downstream = pointerArg(args, ARG_DOWNSTREAM);
  const params = pointerArg(args, ARG_PARAMS);
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
  const state = pointerArg(args, ARG_STATE);
  const peakStep = pointerArg(args, ARG_PEAK_STEP);
  const summary = pointerArg(args, ARG_SUMMARY);
  const nodes = pointerArg(args, ARG_NODES);
  resetDepthFailures();
  for (let i = 0; i < segments; i++) setF64(state + <usize>i * RECORD, S_PENDING, 0);
  gatherSeries(boundaryCount, boundaryReach, boundary, 0, state);
  gatherSeries(lateralCount, lateralReach, lateral, 0, state);
  let previousOutletFlow = initialise(segments, dt, method, downstream, params, initialOutflow, state, peakStep, nodes);
  recordStep(recordCount, recordReach, recorded, 0, state);
  const initialStorage = totalStorage(segments, method, params, state, nodes, dt);

  let outletVolume: f64 = 0;
  let minOutflow: f64 = Infinity;
  let negativeCount: f64 = 0;
  let nonFiniteCount: f64 = 0;
  for (let step = 1; step <= steps; step++) {
    gatherSeries(boundaryCount, boundaryReach, boundary, step, state);
    gatherSeries(lateralCount, lateralReach, lateral, step, state);
    let outletFlow: f64 = 0;
    for (let i = 0; i < segments; i++) {
      const s = state + <usize>i * RECORD;
      const p = params + <usize>i * RECORD;
      const inflowNew = f64At(s, S_PENDING);
      const kind = i32At(method, i);
      let outflowNew: f64;
      if (kind == METHOD_LINEAR) {
        outflowNew = f64At(p, P_C0) * inflowNew + f64At(p, P_C1) * f64At(s, S_INFLOW) + f64At(p, P_C2) * f64At(s, S_OUTFLOW);
      } else if (kind == METHOD_MCT) {
        outflowNew = stepMct(p, s, inflowNew, dt);
      } else if (kind == METHOD_DIFFUSIVE) {
        outflowNew = stepDiffusive(p, s, nodes, inflowNew, dt);
      } else {
        outflowNew = stepKinematic(p, s, inflowNew, dt);
      }
      setF64(s, S_PENDING, 0);
      setF64(s, S_INFLOW, inflowNew);
      setF64(s, S_OUTFLOW, outflowNew);
      if (outflowNew > f64At(s, S_PEAK)) {
        setF64(s, S_PEAK, outflowNew);
        store<i32>(peakStep + (<usize>i << 2), step);
      }
      if (outflowNew < minOutflow) minOutflow = outflowNew;
      if (outflowNew < 0) negativeCount += 1;
      if (outflowNew - outflowNew != 0) nonFiniteCount += 1;
      const next = i32At(downstream, i);
      if (next >= 0) addPending(state, next, outflowNew);
      else outletFlow += outflowNew;
    }
    outletVolume += 0.5 * (previousOutletFlow + outletFlow) * dt;
    previousOutletFlow = outletFlow;
    recordStep(recordCount, recordReach, recorded, step, state);
  }
  store<f64>(summary + (<usize>MIXED_OUTLET_VOLUME << 3), outletVolume);
  store<f64>(summary + (<usize>MIXED_MIN_OUTFLOW << 3), minOutflow);
  store<f64>(summary + (<usize>MIXED_NEGATIVE_COUNT << 3), negativeCount);
  store<f64>(summary + (<usize>MIXED_NONFINITE_COUNT << 3), nonFiniteCount);
  store<f64>(summary + (<usize>MIXED_INITIAL_STORAGE << 3), initialStorage);
  store<f64>(summary + (<usize>MIXED_FINAL_STORAGE << 3), totalStorage(segments, method, params, state, nodes, dt));
  store<f64>(summary + (<usize>MIXED_DEPTH_FAILURES << 3), <f64>depthFailures);
}
