// The plain-TypeScript twin of assembly/flood/network.ts (mixed-method network routing): the same
// loops and the same order of floating-point operations, so the two agree bit for bit. Tests and
// benchmarks only.
import {
  METHOD_DIFFUSIVE, METHOD_KINEMATIC, METHOD_LINEAR, METHOD_MCT, P_AREA_OFFSET, P_CELERITY, P_CELLS, P_DIFFUSIVITY, P_DX, P_NODES,
  P_PERIMETER, P_REFERENCE, P_RESISTANCE, P_SIDE, P_SLOPE, P_SUBSTEPS, P_WIDTH, S_COURANT, S_DEPTH,
  S_DEPTH_DISCHARGE, S_INFLOW, S_LAG, S_OUTFLOW, S_PEAK, S_PENDING, S_REYNOLDS, STATE_PER_SEGMENT,
} from '../../assembly/flood/layout.ts';
import { celerity, DepthSolver, sectionArea } from './channel.ts';
import type { MixedNetwork, MixedRun } from './packed.ts';

export const PARAMETER_MIN_DISCHARGE = 1e-6;
export const MCT_ITERATIONS = 2;
export const KINEMATIC_MAX_ITERATIONS = 100;
export const KINEMATIC_TOLERANCE = 1e-13;

export function routeMixedReference(net: MixedNetwork): MixedRun {
  const n = net.segments;
  const dt = net.dtSeconds;
  const { method, downstream, params: P } = net;
  const S = new Float64Array(STATE_PER_SEGMENT * n);
  const peakStep = new Int32Array(n);
  const recorded = new Float64Array((net.steps + 1) * net.recordReach.length);
  const solver = new DepthSolver();
  const nodes = new Float64Array(net.nodeCount ?? 0);
  let dwCourant = 0;
  let dwAlpha = 0;
  let dwBeta = 0;

  const gather = (reach: Int32Array, series: Float64Array, step: number) => {
    const count = reach.length;
    for (let k = 0; k < count; k++) S[reach[k] * 8 + S_PENDING] += series[step * count + k];
  };
  const record = (step: number) => {
    const count = net.recordReach.length;
    for (let k = 0; k < count; k++) recorded[step * count + k] = S[net.recordReach[k] * 8 + S_OUTFLOW];
  };
  // The kernel's mctParameters (t = 0, a cold depth solve).
  const mctParameters = (p: number, s: number, q: number) => {
    const width = P[p + P_WIDTH];
    const side = P[p + P_SIDE];
    const perimeterFactor = P[p + P_PERIMETER];
    const reference = q < PARAMETER_MIN_DISCHARGE ? PARAMETER_MIN_DISCHARGE : q;
    const h = solver.normalDepth(reference, P[p + P_RESISTANCE], width, side, perimeterFactor, S[s + S_DEPTH]);
    S[s + S_DEPTH] = h;
    S[s + S_DEPTH_DISCHARGE] = reference;
    const area = sectionArea(h, width, side);
    const top = width + 2 * side * h;
    const perimeter = width + perimeterFactor * h;
    const shape = 5 * perimeter * top - 2 * perimeterFactor * area;
    const slopeShape2 = P[p + P_SLOPE] * shape * shape;
    const inverse = 1 / (area * P[p + P_DX] * slopeShape2);
    const courant = reference * dt * slopeShape2 * inverse;
    const reynolds = 9 * area * perimeter * perimeter * top * area * inverse;
    S[s + S_COURANT] = courant;
    S[s + S_REYNOLDS] = reynolds < 1 + courant ? reynolds : 1 + courant;
  };
  // The kernel's stepMct: mctParameters inlined, the parameters read only for a new reference.
  const stepMct = (p: number, s: number, inflowNew: number) => {
    const inflowOld = S[s + S_INFLOW];
    const outflowOld = S[s + S_OUTFLOW];
    const c0 = S[s + S_COURANT];
    const d0 = S[s + S_REYNOLDS];
    let c1 = c0;
    let d1 = d0;
    let outflow = outflowOld + (inflowNew - inflowOld);
    let lastReference = -1;
    for (let iteration = 0; iteration < MCT_ITERATIONS; iteration++) {
      const guess = outflow > 0 ? outflow : 0;
      const reference = 0.5 * (inflowNew + guess);
      if (reference === lastReference) break;
      lastReference = reference;
      const q = reference < PARAMETER_MIN_DISCHARGE ? PARAMETER_MIN_DISCHARGE : reference;
      const q0 = S[s + S_DEPTH_DISCHARGE];
      let fixed = false;
      if (q !== q0) {
        fixed = P[p + P_REFERENCE] > 0;
        if (!fixed) {
          const width = P[p + P_WIDTH];
          const side = P[p + P_SIDE];
          const perimeterFactor = P[p + P_PERIMETER];
          const h = solver.normalDepthFrom(q, P[p + P_RESISTANCE], width, side, perimeterFactor, S[s + S_DEPTH], q0);
          S[s + S_DEPTH] = h;
          S[s + S_DEPTH_DISCHARGE] = q;
          const area = sectionArea(h, width, side);
          const top = width + 2 * side * h;
          const perimeter = width + perimeterFactor * h;
          const shape = 5 * perimeter * top - 2 * perimeterFactor * area;
          const slopeShape2 = P[p + P_SLOPE] * shape * shape;
          const inverse = 1 / (area * P[p + P_DX] * slopeShape2);
          c1 = q * dt * slopeShape2 * inverse;
          const reynolds = 9 * area * perimeter * perimeter * top * area * inverse;
          d1 = reynolds < 1 + c1 ? reynolds : 1 + c1;
          S[s + S_COURANT] = c1;
          S[s + S_REYNOLDS] = d1;
        }
      }
      const scale = 1 / (c0 * (1 + c1 + d1));
      const inverse = c0 * scale;
      const ratio = c1 * scale;
      // The kernel's steady-exact form: O + a(I' − O) + b(I − O) + (a + b + c − 1)O.
      outflow = outflowOld + (-1 + c1 + d1) * inverse * (inflowNew - outflowOld) + (1 + c0 - d0) * ratio * (inflowOld - outflowOld)
        + 2 * (c1 - c0) * scale * outflowOld;
      if (fixed) break;
    }
    return outflow;
  };
  const stepKinematic = (p: number, s: number, inflowNew: number) => {
    const width = P[p + P_WIDTH];
    const side = P[p + P_SIDE];
    const perimeterFactor = P[p + P_PERIMETER];
    const resistance = P[p + P_RESISTANCE];
    const ratio = dt / P[p + P_DX];
    let h = S[s + S_DEPTH];
    const rhs = ratio * inflowNew + sectionArea(h, width, side);
    if (!(rhs > 0)) {
      S[s + S_DEPTH] = 0;
      return rhs / ratio;
    }
    let low = 0;
    let high = rhs / ratio;
    let outflow = S[s + S_OUTFLOW] + (inflowNew - S[s + S_INFLOW]);
    if (!(outflow > low && outflow < high)) outflow = 0.5 * high;
    for (let iteration = 0; iteration < KINEMATIC_MAX_ITERATIONS; iteration++) {
      h = solver.normalDepth(outflow, resistance, width, side, perimeterFactor, h);
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
    S[s + S_DEPTH] = solver.normalDepth(outflow, resistance, width, side, perimeterFactor, h);
    return outflow;
  };

  const diffusiveCoefficients = (p: number) => {
    const h = dt / P[p + P_SUBSTEPS];
    const dx = P[p + P_DX];
    dwCourant = P[p + P_CELERITY] * h / dx;
    const r = P[p + P_DIFFUSIVITY] * h / (dx * dx);
    dwAlpha = 0.5 * r + 0.25 * dwCourant;
    dwBeta = 0.5 * r - 0.25 * dwCourant;
  };
  const diffusiveLoss = (j: number, cells: number) => (j > 0 ? dwBeta : 0) + (j < cells - 1 ? dwAlpha : 0.5 * dwCourant);
  const diffusiveFactor = (p: number) => {
    diffusiveCoefficients(p);
    const cells = P[p + P_CELLS];
    const base = P[p + P_NODES];
    const upper = base + cells;
    const pivot = upper + cells;
    let previousUpper = 0;
    for (let j = 0; j < cells; j++) {
      const w = 1 + diffusiveLoss(j, cells) + dwAlpha * previousUpper;
      const inverse = 1 / w;
      previousUpper = -dwBeta * inverse;
      nodes[upper + j] = previousUpper;
      nodes[pivot + j] = inverse;
    }
  };
  const stepDiffusive = (p: number, s: number, inflowNew: number) => {
    diffusiveCoefficients(p);
    const cells = P[p + P_CELLS];
    const substeps = P[p + P_SUBSTEPS];
    const base = P[p + P_NODES];
    const upper = base + cells;
    const pivot = upper + cells;
    const inflowOld = S[s + S_INFLOW];
    const outflowOld = S[s + S_OUTFLOW];
    const h = dt / substeps;
    const alpha = dwAlpha;
    const beta = dwBeta;
    let inflowFrom = inflowOld;
    let outflow = outflowOld;
    let outflowSum = 0;
    for (let k = 1; k <= substeps; k++) {
      const inflowTo = k === substeps ? inflowNew : inflowOld + (inflowNew - inflowOld) * (k / substeps);
      let oldLeft = 0;
      let eliminated = 0;
      for (let j = 0; j < cells; j++) {
        const oldHere = nodes[base + j];
        const loss = diffusiveLoss(j, cells);
        let rhs = (1 - loss) * oldHere;
        if (j > 0) rhs += alpha * oldLeft;
        else rhs += 0.5 * dwCourant * (inflowFrom + inflowTo);
        if (j < cells - 1) rhs += beta * nodes[base + j + 1];
        eliminated = (rhs + alpha * eliminated) * nodes[pivot + j];
        nodes[base + j] = eliminated;
        oldLeft = oldHere;
      }
      let next = eliminated;
      for (let j = cells - 2; j >= 0; j--) {
        next = nodes[base + j] - nodes[upper + j] * next;
        nodes[base + j] = next;
      }
      const outflowTo = nodes[base + cells - 1];
      outflowSum += outflow + outflowTo;
      outflow = outflowTo;
      inflowFrom = inflowTo;
    }
    S[s + S_LAG] = S[s + S_LAG] + (0.5 * h * outflowSum - 0.5 * dt * (outflowOld + outflow));
    return outflow;
  };
  const diffusiveStorage = (p: number, s: number) => {
    const cells = P[p + P_CELLS];
    const base = P[p + P_NODES];
    let total = 0;
    for (let j = 0; j < cells; j++) total += nodes[base + j];
    const dx = P[p + P_DX];
    return dx * cells * P[p + P_AREA_OFFSET] + dx / P[p + P_CELERITY] * total + S[s + S_LAG];
  };
  const diffusiveInitialise = (p: number, s: number, inflow: number, outflow: number) => {
    const cells = P[p + P_CELLS];
    const base = P[p + P_NODES];
    for (let j = 0; j < cells; j++) nodes[base + j] = j === cells - 1 ? outflow : inflow + (outflow - inflow) * ((j + 1) / cells);
    S[s + S_LAG] = 0;
    diffusiveFactor(p);
  };
  const storageOf = (kind: number, p: number, s: number) => {
    const inflow = S[s + S_INFLOW];
    const outflow = S[s + S_OUTFLOW];
    if (kind === METHOD_LINEAR) {
      const x = P[p + 4];
      return P[p + 3] * (x * inflow + (1 - x) * outflow);
    }
    if (kind === METHOD_MCT) {
      const d = S[s + S_REYNOLDS];
      return dt / (2 * S[s + S_COURANT]) * ((1 - d) * inflow + (1 + d) * outflow);
    }
    if (kind === METHOD_DIFFUSIVE) return diffusiveStorage(p, s);
    return P[p + P_DX] * sectionArea(S[s + S_DEPTH], P[p + P_WIDTH], P[p + P_SIDE]) + 0.5 * dt * (outflow - inflow);
  };
  const totalStorage = () => {
    let total = 0;
    for (let i = 0; i < n; i++) total += storageOf(method[i], i * 8, i * 8);
    return total;
  };

  gather(net.boundaryReach, net.boundary, 0);
  gather(net.lateralReach, net.lateral, 0);
  let previousOutletFlow = 0;
  for (let i = 0; i < n; i++) {
    const s = i * 8;
    const p = i * 8;
    const inflowNow = S[s + S_PENDING];
    S[s + S_PENDING] = 0;
    const given = net.initialOutflow[i];
    const outflowNow = Number.isNaN(given) ? inflowNow : given;
    S[s + S_INFLOW] = inflowNow;
    S[s + S_OUTFLOW] = outflowNow;
    S[s + S_PEAK] = outflowNow;
    S[s + S_DEPTH] = 0;
    S[s + S_DEPTH_DISCHARGE] = 0;
    if (method[i] === METHOD_MCT) {
      const reference = P[p + P_REFERENCE];
      mctParameters(p, s, reference > 0 ? reference : 0.5 * (inflowNow + outflowNow));
    } else if (method[i] === METHOD_KINEMATIC) {
      S[s + S_DEPTH] = solver.normalDepth(outflowNow, P[p + P_RESISTANCE], P[p + P_WIDTH], P[p + P_SIDE], P[p + P_PERIMETER], 0);
    } else if (method[i] === METHOD_DIFFUSIVE) {
      diffusiveInitialise(p, s, inflowNow, outflowNow);
    }
    const next = downstream[i];
    if (next >= 0) S[next * 8 + S_PENDING] += outflowNow;
    else previousOutletFlow += outflowNow;
  }
  record(0);
  const initialStorage = totalStorage();

  let outletVolume = 0;
  let minOutflow = Infinity;
  let negativeCount = 0;
  let nonFiniteCount = 0;
  for (let step = 1; step <= net.steps; step++) {
    gather(net.boundaryReach, net.boundary, step);
    gather(net.lateralReach, net.lateral, step);
    let outletFlow = 0;
    for (let i = 0; i < n; i++) {
      const s = i * 8;
      const p = i * 8;
      const inflowNew = S[s + S_PENDING];
      const kind = method[i];
      let outflowNew: number;
      if (kind === METHOD_LINEAR) outflowNew = P[p] * inflowNew + P[p + 1] * S[s + S_INFLOW] + P[p + 2] * S[s + S_OUTFLOW];
      else if (kind === METHOD_MCT) outflowNew = stepMct(p, s, inflowNew);
      else if (kind === METHOD_DIFFUSIVE) outflowNew = stepDiffusive(p, s, inflowNew);
      else outflowNew = stepKinematic(p, s, inflowNew);
      S[s + S_PENDING] = 0;
      S[s + S_INFLOW] = inflowNew;
      S[s + S_OUTFLOW] = outflowNew;
      if (outflowNew > S[s + S_PEAK]) {
        S[s + S_PEAK] = outflowNew;
        peakStep[i] = step;
      }
      if (outflowNew < minOutflow) minOutflow = outflowNew;
      if (outflowNew < 0) negativeCount++;
      if (!Number.isFinite(outflowNew)) nonFiniteCount++;
      const next = downstream[i];
      if (next >= 0) S[next * 8 + S_PENDING] += outflowNew;
      else outletFlow += outflowNew;
    }
    outletVolume += 0.5 * (previousOutletFlow + outletFlow) * dt;
    previousOutletFlow = outletFlow;
    record(step);
  }
  return {
    recorded, state: S, peakStep, outletVolume, minOutflow, negativeCount, nonFiniteCount,
    initialStorage, finalStorage: totalStorage(), depthFailures: solver.failures,
  };
}
