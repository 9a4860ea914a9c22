// `flood route`, stage 3: the kernel's run → the mass balance (every run) and the contract's output.
import { NumericalError } from '../errors.ts';
import { roundBasinOutput, roundDischarge } from './runoff.ts';
import { forecastScores } from './scores.ts';
import { STATE_PER_SEGMENT, S_PEAK } from '../../assembly/flood/layout.ts';
import type { MixedRun, NetworkRun } from './packed.ts';

import { MASS_BALANCE_TOLERANCE, type RouteCase, type RouteOutput, type RouteReachOutput, type RouteRun } from './route-case.ts';

/** Volume entering over the run: trapezoid rule, as every scheme's continuity equation uses. */
function seriesVolume(values: Float64Array, count: number, steps: number, dtSeconds: number): number {
  let volume = 0;
  for (let t = 1; t <= steps; t++) {
    for (let k = 0; k < count; k++) volume += 0.5 * (values[(t - 1) * count + k] + values[t * count + k]) * dtSeconds;
  }
  return volume;
}

/** Linear kernel: storage S = K[X·I + (1 − X)·O] summed over segments, at t = 0 and at the end. */
export function linearStorage(c: RouteCase, inflow: Float64Array, outflow: Float64Array): { initial: number; final: number } {
  const net = c.mixed;
  const n = net.segments;
  const pending = new Float64Array(n);
  for (let k = 0; k < net.boundaryReach.length; k++) pending[net.boundaryReach[k]] += net.boundary[k];
  for (let k = 0; k < net.lateralReach.length; k++) pending[net.lateralReach[k]] += net.lateral[k];
  let initial = 0;
  let final = 0;
  for (let i = 0; i < n; i++) {
    const in0 = pending[i];
    const out0 = Number.isNaN(net.initialOutflow[i]) ? pending[i] : net.initialOutflow[i];
    if (net.downstream[i] >= 0) pending[net.downstream[i]] += out0;
    const k = c.segmentK[i];
    const x = c.segmentX[i];
    initial += k * (x * in0 + (1 - x) * out0);
    final += k * (x * inflow[i] + (1 - x) * outflow[i]);
  }
  return { initial, final };
}

export function massBalance(c: RouteCase, run: RouteRun) {
  const net = c.mixed;
  const inflowVolume = seriesVolume(net.boundary, net.boundaryReach.length, net.steps, net.dtSeconds)
    + seriesVolume(net.lateral, net.lateralReach.length, net.steps, net.dtSeconds);
  const storageChange = run.finalStorage - run.initialStorage;
  const residual = inflowVolume - run.outletVolume - storageChange;
  const scale = Math.max(Math.abs(inflowVolume), Math.abs(run.outletVolume), Math.abs(storageChange), Math.abs(run.initialStorage), Number.MIN_VALUE);
  return { inflow_m3: inflowVolume, outflow_m3: run.outletVolume, storage_change_m3: storageChange, relative_error: residual / scale };
}

export function formatRouteOutput(c: RouteCase, run: RouteRun): RouteOutput {
  const warnings = [...c.warnings];
  if (run.nonFiniteCount > 0) {
    throw new NumericalError(`routing produced ${run.nonFiniteCount} non-finite outflows (NaN or infinity)`);
  }
  if (run.negativeCount > 0) {
    warnings.push(`outflow fell below zero at ${run.negativeCount} reach-steps (minimum ${run.minOutflow.toPrecision(6)} m³/s): see the coefficient warnings`);
  }
  if (run.depthFailures > 0) {
    warnings.push(`the normal-depth solve did not converge ${run.depthFailures} times; parameters there use the last iterate`);
  }
  const recordCount = c.mixed.recordReach.length;
  const m = c.substeps;
  const reaches: RouteOutput['reaches'] = {};
  for (let k = 0; k < recordCount; k++) {
    const plan = c.reaches[c.recordedReaches[k]];
    const last = c.mixed.recordReach[k];
    const series: number[] = [];
    for (let t = 0; t <= c.steps; t++) series.push(run.recorded[t * m * recordCount + k]);
    const out: RouteReachOutput = { outflow_m3_per_s: series, peak_m3_per_s: run.peak[last], peak_time_s: run.peakStep[last] * c.mixed.dtSeconds };
    if (plan.subreaches > 1 || plan.method !== 'muskingum') out.subreaches = plan.diffusive?.cells ?? plan.subreaches;
    if (plan.observed) out.scores = forecastScores(series, plan.observed, c.dtSeconds);
    reaches[plan.id] = out;
  }
  const balance = massBalance(c, run);
  if (!(Math.abs(balance.relative_error) <= MASS_BALANCE_TOLERANCE)) {
    throw new NumericalError(`mass balance broken: relative error ${balance.relative_error} exceeds ${MASS_BALANCE_TOLERANCE}`);
  }
  return { dt_s: c.dtSeconds, reaches, mass_balance: balance, warnings, ...(c.basins ? { basins: c.basins } : {}) };
}

/** The mixed kernel's per-segment state, as RouteRun. */
export function mixedToRouteRun(run: MixedRun): RouteRun {
  const n = run.peakStep.length;
  const peak = new Float64Array(n);
  for (let i = 0; i < n; i++) peak[i] = run.state[i * STATE_PER_SEGMENT + S_PEAK];
  return {
    recorded: run.recorded, peak, peakStep: run.peakStep, outletVolume: run.outletVolume, minOutflow: run.minOutflow,
    negativeCount: run.negativeCount, nonFiniteCount: run.nonFiniteCount, initialStorage: run.initialStorage,
    finalStorage: run.finalStorage, depthFailures: run.depthFailures,
  };
}

/** The linear kernel's result, as RouteRun (storage from K, X of each segment). */
export function linearToRouteRun(c: RouteCase, run: NetworkRun): RouteRun {
  const storage = linearStorage(c, run.inflow, run.outflow);
  return {
    recorded: run.recorded, peak: run.peak, peakStep: run.peakStep, outletVolume: run.outletVolume, minOutflow: run.minOutflow,
    negativeCount: run.negativeCount, nonFiniteCount: run.nonFiniteCount, initialStorage: storage.initial,
    finalStorage: storage.final, depthFailures: 0,
  };
}

// One rounding for route and runoff output (it lives with runoff, which route already imports).
export { roundDischarge };

export function roundRouteOutput(out: RouteOutput): RouteOutput {
  const reaches: RouteOutput['reaches'] = {};
  for (const [id, r] of Object.entries(out.reaches)) {
    reaches[id] = { ...r, outflow_m3_per_s: r.outflow_m3_per_s.map(roundDischarge), peak_m3_per_s: roundDischarge(r.peak_m3_per_s) };
  }
  const basins = out.basins && Object.fromEntries(Object.entries(out.basins).map(([id, b]) => [id, roundBasinOutput(b)]));
  return { ...out, reaches, ...(basins ? { basins } : {}) };
}
