// Packs a network into wasm memory, runs assembly/flood/muskingum.ts, copies results out.
import type { Arena, Kernels } from '../wasm.ts';
import { pendingRowLength, tileStepsFor, type NetworkRun, type PackedNetwork } from './packed.ts';
import { linearToRouteRun, mixedToRouteRun, type RouteCase, type RouteRun } from './route.ts';
import { basinForcing, subDailyCoefficients, type BasinInput, type XinanjiangSeries } from './runoff.ts';
import type { MixedNetwork, MixedRun } from './packed.ts';
import {
  MIXED_DEPTH_FAILURES, MIXED_FINAL_STORAGE, MIXED_INITIAL_STORAGE, MIXED_MIN_OUTFLOW, MIXED_NEGATIVE_COUNT, MIXED_NONFINITE_COUNT,
  MIXED_OUTLET_VOLUME, MIXED_SUMMARY_LENGTH, STATE_PER_SEGMENT, SUMMARY_LENGTH, SUMMARY_MIN_OUTFLOW, SUMMARY_NEGATIVE_COUNT,
  SUMMARY_NONFINITE_COUNT, SUMMARY_OUTLET_VOLUME, XINANJIANG_OUTPUTS, XINANJIANG_PARAMS, XINANJIANG_STATE,
} from '../../assembly/flood/layout.ts';

/** assembly/flood/muskingum.ts as the host sees it: every argument a number or a pointer. */
export interface FloodKernels {
  routeMuskingumNetwork(
    reaches: number, steps: number, dtSeconds: number,
    coefficients: number, downstream: number,
    boundaryCount: number, boundaryReach: number, boundary: number,
    lateralCount: number, lateralReach: number, lateral: number,
    initialOutflow: number,
    recordCount: number, recordReach: number, recorded: number,
    inflow: number, outflow: number, pending: number, tileSteps: number, recordSlot: number,
    peak: number, peakStep: number, summary: number,
  ): void;
  runXinanjiang(basins: number, steps: number, params: number, state: number, rain: number, evaporation: number, out: number): void;
  routeMixedNetwork(
    segments: number, steps: number, dtSeconds: number,
    method: number, downstream: number, params: number,
    boundaryCount: number, boundaryReach: number, boundary: number,
    lateralCount: number, lateralReach: number, lateral: number,
    initialOutflow: number,
    recordCount: number, recordReach: number, recorded: number,
    state: number, peakStep: number, summary: number, nodes: number,
  ): void;
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

  return () => {
    kernels.exportsAs<FloodKernels>().routeMuskingumNetwork(
      n, net.steps, net.dtSeconds,
      coefficients.ptr, downstream.ptr,
      net.boundaryReach.length, boundaryReach.ptr, boundary.ptr,
      net.lateralReach.length, lateralReach.ptr, lateral.ptr,
      initialOutflow.ptr,
      net.recordReach.length, recordReach.ptr, recorded.ptr,
      inflow.ptr, outflow.ptr, pending.ptr, tile, recordSlot.ptr,
      peak.ptr, peakStep.ptr, summary.ptr,
    );
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

  return () => {
    kernels.exportsAs<FloodKernels>().routeMixedNetwork(
      n, net.steps, net.dtSeconds,
      method.ptr, downstream.ptr, params.ptr,
      net.boundaryReach.length, boundaryReach.ptr, boundary.ptr,
      net.lateralReach.length, lateralReach.ptr, lateral.ptr,
      initialOutflow.ptr,
      net.recordReach.length, recordReach.ptr, recorded.ptr,
      state.ptr, peakStep.ptr, summary.ptr, nodes.ptr,
    );
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
