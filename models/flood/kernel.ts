// Packs a network into wasm memory, runs assembly/flood/muskingum.ts, copies results out.
import type { Arena, Kernels } from '../wasm.ts';
import { pendingRowLength, tileStepsFor, type NetworkRun, type PackedNetwork } from './packed.ts';
import { linearToRouteRun, mixedToRouteRun, type RouteCase, type RouteRun } from './route.ts';
import { basinForcing, subDailyCoefficients, type BasinInput, type XinanjiangSeries } from './runoff.ts';
import type { MixedNetwork, MixedRun } from './packed.ts';
import {
  ARG_BOUNDARY, ARG_BOUNDARY_COUNT, ARG_BOUNDARY_REACH, ARG_COEFFICIENTS, ARG_DOWNSTREAM, ARG_DT, ARG_INFLOW, ARG_INITIAL_OUTFLOW, ARG_LATERAL,
  ARG_LATERAL_COUNT, ARG_LATERAL_REACH, ARG_LENGTH, ARG_METHOD, ARG_NODES, ARG_OUTFLOW, ARG_PARAMS, ARG_PEAK, ARG_PEAK_STEP, ARG_PENDING,
  ARG_REACHES, ARG_RECORD_COUNT, ARG_RECORD_REACH, ARG_RECORD_SLOT, ARG_RECORDED, ARG_STATE, ARG_STEPS, ARG_SUMMARY, ARG_TILE_STEPS,
  MIXED_DEPTH_FAILURES, MIXED_FINAL_STORAGE, MIXED_INITIAL_STORAGE, MIXED_MIN_OUTFLOW, MIXED_NEGATIVE_COUNT, MIXED_NONFINITE_COUNT,
  MIXED_OUTLET_VOLUME, MIXED_SUMMARY_LENGTH, STATE_PER_SEGMENT, SUMMARY_LENGTH, SUMMARY_MIN_OUTFLOW, SUMMARY_NEGATIVE_COUNT,
  SUMMARY_NONFINITE_COUNT, SUMMARY_OUTLET_VOLUME, XINANJIANG_OUTPUTS, XINANJIANG_PARAMS, XINANJIANG_STATE,
} from '../../assembly/flood/layout.ts';

/** assembly/flood/muskingum.ts as the host sees it: every argument a number or a pointer. */
export interface FloodKernels {
  /** `args`: f64[ARG_LENGTH], the ARG_* slots of assembly/flood/layout.ts. */
  routeMuskingumNetwork(args: number): void;
  runXinanjiang(basins: number, steps: number, params: number, state: number, rain: number, evaporation: number, out: number): void;
  routeMixedNetwork(args: number): void;
}

/** The argument slots both routing kernels read that are not pointers. */
function writeCommonArgs(
  a: Float64Array, reaches: number,
  net: { steps: number; dtSeconds: number; boundaryReach: ArrayLike<number>; lateralReach: ArrayLike<number>; recordReach: ArrayLike<number> },
): void {
  a[ARG_REACHES] = reaches;
  a[ARG_STEPS] = net.steps;
  a[ARG_DT] = net.dtSeconds;
  a[ARG_BOUNDARY_COUNT] = net.boundaryReach.length;
  a[ARG_LATERAL_COUNT] = net.lateralReach.length;
  a[ARG_RECORD_COUNT] = net.recordReach.length;
}

/**
 * Copies the network into `arena` once and returns a function that routes it and copies the
 * results out; the benchmark calls that repeatedly without re-packing.
 */
export function prepareNetworkRun(
  kernels: Kernels, arena: Arena, net: PackedNetwork, tile = tileStepsFor(net.reaches, net.steps),
): () => NetworkRun {
  const n = net.reaches;
  const coefficients = arena.copyIn('f64', net.coefficients);
  const downstream = arena.copyIn('i32', net.downstream);
  const boundaryReach = arena.copyIn('i32', net.boundaryReach);
  const boundary = arena.copyIn('f64', net.boundary);
  const lateralReach = arena.copyIn('i32', net.lateralReach);
  const lateral = arena.copyIn('f64', net.lateral);
  const initialOutflow = arena.copyIn('f64', net.initialOutflow);
  const recordReach = arena.copyIn('i32', net.recordReach);
  const recorded = arena.allocate('f64', (net.steps + 1) * net.recordReach.length);
  const inflow = arena.allocate('f64', n);
  const outflow = arena.allocate('f64', n);
  const pending = arena.allocate('f64', (n + 1) * pendingRowLength(tile));
  const recordSlot = arena.allocate('i32', n);
  const peak = arena.allocate('f64', n);
  const peakStep = arena.allocate('i32', n);
  const summary = arena.allocate('f64', SUMMARY_LENGTH);
  const args = arena.allocate('f64', ARG_LENGTH);
  const a = arena.view(args);
  writeCommonArgs(a, n, net);
  a[ARG_COEFFICIENTS] = coefficients.ptr;
  a[ARG_DOWNSTREAM] = downstream.ptr;
  a[ARG_BOUNDARY_REACH] = boundaryReach.ptr;
  a[ARG_BOUNDARY] = boundary.ptr;
  a[ARG_LATERAL_REACH] = lateralReach.ptr;
  a[ARG_LATERAL] = lateral.ptr;
  a[ARG_INITIAL_OUTFLOW] = initialOutflow.ptr;
  a[ARG_RECORD_REACH] = recordReach.ptr;
  a[ARG_RECORDED] = recorded.ptr;
  a[ARG_INFLOW] = inflow.ptr;
  a[ARG_OUTFLOW] = outflow.ptr;
  a[ARG_PENDING] = pending.ptr;
  a[ARG_TILE_STEPS] = tile;
  a[ARG_RECORD_SLOT] = recordSlot.ptr;
  a[ARG_PEAK] = peak.ptr;
  a[ARG_PEAK_STEP] = peakStep.ptr;
  a[ARG_SUMMARY] = summary.ptr;

  return () => {
    kernels.exportsAs<FloodKernels>().routeMuskingumNetwork(args.ptr);
    const totals = arena.view(summary);
    return {
      recorded: arena.copyOut(recorded),
      inflow: arena.copyOut(inflow),
      outflow: arena.copyOut(outflow),
      peak: arena.copyOut(peak),
      peakStep: arena.copyOut(peakStep),
      outletVolume: totals[SUMMARY_OUTLET_VOLUME],
      minOutflow: totals[SUMMARY_MIN_OUTFLOW],
      negativeCount: totals[SUMMARY_NEGATIVE_COUNT],
      nonFiniteCount: totals[SUMMARY_NONFINITE_COUNT],
    };
  };
}

/** `tile`: steps per pass (results are the same for any; tests vary it). */
export function routeNetworkWasm(kernels: Kernels, net: PackedNetwork, tile?: number): NetworkRun {
  return kernels.withArena((arena) => prepareNetworkRun(kernels, arena, net, tile)());
}

/** As prepareNetworkRun, for assembly/flood/network.ts (mixed methods, sub-reaches as segments). */
export function prepareMixedRun(kernels: Kernels, arena: Arena, net: MixedNetwork): () => MixedRun {
  const n = net.segments;
  const method = arena.copyIn('i32', net.method);
  const downstream = arena.copyIn('i32', net.downstream);
  const params = arena.copyIn('f64', net.params);
  const boundaryReach = arena.copyIn('i32', net.boundaryReach);
  const boundary = arena.copyIn('f64', net.boundary);
  const lateralReach = arena.copyIn('i32', net.lateralReach);
  const lateral = arena.copyIn('f64', net.lateral);
  const initialOutflow = arena.copyIn('f64', net.initialOutflow);
  const recordReach = arena.copyIn('i32', net.recordReach);
  const recorded = arena.allocate('f64', (net.steps + 1) * net.recordReach.length);
  const state = arena.allocate('f64', STATE_PER_SEGMENT * n);
  const peakStep = arena.allocate('i32', n);
  const summary = arena.allocate('f64', MIXED_SUMMARY_LENGTH);
  // At least one element: a zero-length region may share its address with the next one.
  const nodes = arena.allocate('f64', Math.max(1, net.nodeCount ?? 0));
  const args = arena.allocate('f64', ARG_LENGTH);
  const a = arena.view(args);
  writeCommonArgs(a, n, net);
  a[ARG_METHOD] = method.ptr;
  a[ARG_DOWNSTREAM] = downstream.ptr;
  a[ARG_PARAMS] = params.ptr;
  a[ARG_BOUNDARY_REACH] = boundaryReach.ptr;
  a[ARG_BOUNDARY] = boundary.ptr;
  a[ARG_LATERAL_REACH] = lateralReach.ptr;
  a[ARG_LATERAL] = lateral.ptr;
  a[ARG_INITIAL_OUTFLOW] = initialOutflow.ptr;
  a[ARG_RECORD_REACH] = recordReach.ptr;
  a[ARG_RECORDED] = recorded.ptr;
  a[ARG_STATE] = state.ptr;
  a[ARG_PEAK_STEP] = peakStep.ptr;
  a[ARG_SUMMARY] = summary.ptr;
  a[ARG_NODES] = nodes.ptr;

  return () => {
    kernels.exportsAs<FloodKernels>().routeMixedNetwork(args.ptr);
    const totals = arena.view(summary);
    return {
      recorded: arena.copyOut(recorded),
      state: arena.copyOut(state),
      peakStep: arena.copyOut(peakStep),
      outletVolume: totals[MIXED_OUTLET_VOLUME],
      minOutflow: totals[MIXED_MIN_OUTFLOW],
      negativeCount: totals[MIXED_NEGATIVE_COUNT],
      nonFiniteCount: totals[MIXED_NONFINITE_COUNT],
      initialStorage: totals[MIXED_INITIAL_STORAGE],
      finalStorage: totals[MIXED_FINAL_STORAGE],
      depthFailures: totals[MIXED_DEPTH_FAILURES],
    };
  };
}

export function routeMixedWasm(kernels: Kernels, net: MixedNetwork): MixedRun {
  return kernels.withArena((arena) => prepareMixedRun(kernels, arena, net)());
}

/** Routes a parsed case with the wasm kernels: the linear kernel when every reach is linear. */
export function routeCaseWasm(kernels: Kernels, c: RouteCase): RouteRun {
  if (c.net) return linearToRouteRun(c, routeNetworkWasm(kernels, c.net));
  return mixedToRouteRun(routeMixedWasm(kernels, c.mixed));
}

/** Xinanjiang generation of many basins in one call of assembly/flood/xinanjiang.ts. */
export function runXinanjiangWasm(kernels: Kernels, basins: BasinInput[], dtSeconds: number, steps: number): XinanjiangSeries[] {
  const count = basins.length;
  const params = new Float64Array(XINANJIANG_PARAMS * count);
  const state = new Float64Array(XINANJIANG_STATE * count);
  const rain = new Float64Array(steps * count);
  const evaporation = new Float64Array(steps * count);
  basins.forEach((b, k) => {
    const x = b.xinanjiang!;
    const p = x.params;
    const step = subDailyCoefficients(p, dtSeconds);
    params.set([p.K, p.B, p.IM, p.UM, p.LM, p.DM, p.C, p.SM, p.EX, step.KI, step.KG], XINANJIANG_PARAMS * k);
    state.set([x.initial.WU, x.initial.WL, x.initial.WD, x.initial.S, x.initial.FR], XINANJIANG_STATE * k);
    const forcing = basinForcing(b, steps);
    for (let t = 0; t < steps; t++) {
      rain[t * count + k] = forcing.rain[t];
      evaporation[t * count + k] = forcing.evaporation[t];
    }
  });
  return kernels.withArena((arena) => {
    const paramsRegion = arena.copyIn('f64', params);
    const stateRegion = arena.copyIn('f64', state);
    const rainRegion = arena.copyIn('f64', rain);
    const evaporationRegion = arena.copyIn('f64', evaporation);
    const outRegion = arena.allocate('f64', XINANJIANG_OUTPUTS * steps * count);
    kernels.exportsAs<FloodKernels>().runXinanjiang(count, steps, paramsRegion.ptr, stateRegion.ptr, rainRegion.ptr, evaporationRegion.ptr, outRegion.ptr);
    const out = arena.copyOut(outRegion);
    const final = arena.copyOut(stateRegion);
    return basins.map((_, k) => {
      const series = (j: number) => Float64Array.from({ length: steps }, (_, t) => out[XINANJIANG_OUTPUTS * (t * count + k) + j]);
      return {
        evaporation: series(0), runoff: series(1), surface: series(2), interflow: series(3), groundwater: series(4),
        final: { WU: final[XINANJIANG_STATE * k], WL: final[XINANJIANG_STATE * k + 1], WD: final[XINANJIANG_STATE * k + 2], S: final[XINANJIANG_STATE * k + 3], FR: final[XINANJIANG_STATE * k + 4] },
      };
    });
  });
}
