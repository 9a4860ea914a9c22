// `flood route`: the contract's case file → a packed network → kernel → the contract's output.
import { childPath, NumericalError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumberArray, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { muskingumCoefficients, type NetworkRun, type PackedNetwork } from './muskingum.ts';
import { discharge, IMPLEMENTED_METHODS, muskingumReachParams, ROUTING_METHODS, routeCaseParams } from './spec.ts';

export interface RouteCase {
  net: PackedNetwork;
  /** Reach ids in kernel (topological) order. */
  ids: string[];
  kSeconds: Float64Array;
  x: Float64Array;
  warnings: string[];
}

export interface RouteOutput {
  dt_s: number;
  reaches: Record<string, { outflow_m3_per_s: number[]; peak_m3_per_s: number; peak_time_s: number }>;
  mass_balance: { inflow_m3: number; outflow_m3: number; storage_change_m3: number; relative_error: number };
  warnings: string[];
}

const CASE_KEYS = ['dt_s', 'steps', 'reaches', 'inflows', 'lateral', 'output'];
const REACH_KEYS = ['id', 'downstream', 'method', 'name', ...Object.keys(muskingumReachParams)];
/** Mass balance beyond this relative error means the kernel is broken, not the input. */
const MASS_BALANCE_TOLERANCE = 1e-9;

interface SeriesInput { reach: number; values: Float64Array; path: string }

function parseSeriesList(value: unknown, path: string, index: Map<string, number>, problems: Problem[]): SeriesInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be an array', value, expected: 'an array of { "reach", "m3_per_s": [...] }' });
    return [];
  }
  const out: SeriesInput[] = [];
  value.forEach((item, i) => {
    const itemPath = childPath(path, i);
    if (!isRecord(item)) {
      problems.push({ path: itemPath, message: 'must be an object', value: item, expected: '{ "reach", "m3_per_s": [...] }' });
      return;
    }
    checkKnownKeys(item, ['reach', 'm3_per_s'], itemPath, problems);
    const reach = index.get(item.reach as string);
    if (reach === undefined) {
      problems.push({ path: childPath(itemPath, 'reach'), message: 'names no reach', value: item.reach, expected: 'the id of a reach in $.reaches' });
    }
    const values = checkNumberArray(item.m3_per_s, childPath(itemPath, 'm3_per_s'), problems, discharge);
    if (values && values.length === 0) {
      problems.push({ path: childPath(itemPath, 'm3_per_s'), message: 'is empty', value: item.m3_per_s, expected: 'at least one value (t = 0)' });
    }
    if (reach !== undefined && values) out.push({ reach, values, path: childPath(itemPath, 'm3_per_s') });
  });
  return out;
}

/** Which reaches get a full outflow series (default all): a large network's full output is huge. */
function parseOutputSelection(
  value: unknown, index: Map<string, number>, position: Int32Array, n: number, problems: Problem[],
): Int32Array {
  if (value === undefined) return Int32Array.from({ length: n }, (_, k) => k);
  if (!isRecord(value) || !Array.isArray(value.reaches)) {
    problems.push({ path: '$.output', message: 'must name the reaches to output', value, expected: '{ "reaches": ["id", ...] }' });
    return new Int32Array(0);
  }
  checkKnownKeys(value, ['reaches'], '$.output', problems);
  const chosen = value.reaches.map((id, k) => {
    const original = index.get(id as string);
    if (original === undefined) {
      problems.push({ path: `$.output.reaches[${k}]`, message: 'names no reach', value: id, expected: 'the id of a reach in $.reaches' });
      return 0;
    }
    return position[original];
  });
  return Int32Array.from(chosen);
}

/** Orders reaches so each drains into a later one (Kahn's algorithm); reports cycles by path. */
function topologicalOrder(downstream: Int32Array, ids: string[], problems: Problem[]): Int32Array | undefined {
  const n = downstream.length;
  const upstreamCount = new Int32Array(n);
  for (let i = 0; i < n; i++) if (downstream[i] >= 0) upstreamCount[downstream[i]]++;
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (upstreamCount[i] === 0) order[tail++] = i;
  while (head < tail) {
    const next = downstream[order[head++]];
    if (next >= 0 && --upstreamCount[next] === 0) order[tail++] = next;
  }
  if (tail === n) return order;
  const inCycle = Array.from(upstreamCount.keys()).find((i) => upstreamCount[i] > 0)!;
  const loop = [ids[inCycle]];
  for (let i = downstream[inCycle]; i !== inCycle; i = downstream[i]) loop.push(ids[i]);
  problems.push({
    path: `$.reaches[${inCycle}].downstream`, message: `forms a cycle (${[...loop, ids[inCycle]].join(' → ')})`,
    value: ids[downstream[inCycle]], expected: 'a river network without loops',
  });
  return undefined;
}

export function parseRouteCase(input: unknown): RouteCase {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, CASE_KEYS, '$', problems);
  const { dt_s: dtSeconds, steps: givenSteps } = checkParams(routeCaseParams, root, '$', problems);

  if (!Array.isArray(root.reaches) || root.reaches.length === 0) {
    problems.push({ path: '$.reaches', message: 'must be a non-empty array', value: root.reaches, expected: 'an array of reaches' });
    throwIfAny(problems);
  }
  const reachInputs = root.reaches as unknown[];
  const index = new Map<string, number>();
  const ids: string[] = [];
  reachInputs.forEach((reach, i) => {
    const id = isRecord(reach) ? reach.id : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      problems.push({ path: `$.reaches[${i}].id`, message: 'must be a non-empty string', value: id, expected: 'a unique reach id' });
    } else if (index.has(id)) {
      problems.push({ path: `$.reaches[${i}].id`, message: `repeats the id of $.reaches[${index.get(id)}]`, value: id, expected: 'a unique reach id' });
    } else {
      index.set(id, i);
    }
    ids.push(typeof id === 'string' ? id : `#${i}`);
  });

  const n = reachInputs.length;
  const downstreamById = new Int32Array(n).fill(-1);
  const kSecondsById = new Float64Array(n);
  const xById = new Float64Array(n);
  const initialById = new Float64Array(n).fill(NaN);
  reachInputs.forEach((reach, i) => {
    const path = `$.reaches[${i}]`;
    if (!isRecord(reach)) {
      problems.push({ path, message: 'must be an object', value: reach, expected: 'a reach { "id", "downstream", "method", ... }' });
      return;
    }
    const method = reach.method ?? 'muskingum';
    if (!IMPLEMENTED_METHODS.includes(method as string)) {
      const known = (ROUTING_METHODS as readonly unknown[]).includes(method);
      problems.push({
        path: `${path}.method`, message: known ? 'is not implemented in this engine version' : 'is not a routing method',
        value: method, expected: `one of ${IMPLEMENTED_METHODS.join(', ')}`,
      });
      return;
    }
    checkKnownKeys(reach, REACH_KEYS, path, problems);
    if (reach.downstream !== undefined && reach.downstream !== null) {
      const target = index.get(reach.downstream as string);
      if (target === undefined) {
        problems.push({ path: `${path}.downstream`, message: 'names no reach', value: reach.downstream, expected: 'the id of another reach, or null at an outlet' });
      } else if (target === i) {
        problems.push({ path: `${path}.downstream`, message: 'names the reach itself', value: reach.downstream, expected: 'the id of another reach, or null at an outlet' });
      } else {
        downstreamById[i] = target;
      }
    }
    const p = checkParams(muskingumReachParams, reach, path, problems);
    kSecondsById[i] = p.K_s;
    xById[i] = p.X;
    if (p.initial_outflow_m3_per_s !== undefined) initialById[i] = p.initial_outflow_m3_per_s;
  });

  const inflows = parseSeriesList(root.inflows, '$.inflows', index, problems);
  const laterals = parseSeriesList(root.lateral, '$.lateral', index, problems);
  throwIfAny(problems);
  const order = topologicalOrder(downstreamById, ids, problems);
  throwIfAny(problems);

  const longest = Math.max(1, ...inflows.map((s) => s.values.length));
  const steps = givenSteps ?? longest - 1;
  if (steps < 1) {
    problems.push({ path: '$.steps', message: 'leaves nothing to route', value: givenSteps, expected: 'steps ≥ 1, or an inflow series of at least 2 values' });
  }
  for (const s of [...inflows, ...laterals]) {
    if (s.values.length < steps + 1) {
      problems.push({ path: s.path, message: `is too short for ${steps} steps`, value: s.values, expected: `${steps + 1} values, one per step from t = 0` });
    }
  }
  throwIfAny(problems);

  const position = new Int32Array(n);
  order!.forEach((original, k) => { position[original] = k; });
  const pack = (series: SeriesInput[]) => {
    const reach = Int32Array.from(series, (s) => position[s.reach]);
    const values = new Float64Array((steps + 1) * series.length);
    for (let t = 0; t <= steps; t++) series.forEach((s, k) => { values[t * series.length + k] = s.values[t]; });
    return { reach, values };
  };
  const boundary = pack(inflows);
  const lateral = pack(laterals);

  const coefficients = new Float64Array(3 * n);
  const downstream = new Int32Array(n);
  const kSeconds = new Float64Array(n);
  const x = new Float64Array(n);
  const initialOutflow = new Float64Array(n);
  const orderedIds: string[] = [];
  const warnings: string[] = [];
  order!.forEach((original, k) => {
    const c = muskingumCoefficients(kSecondsById[original], xById[original], dtSeconds);
    coefficients.set([c.c0, c.c1, c.c2], 3 * k);
    downstream[k] = downstreamById[original] >= 0 ? position[downstreamById[original]] : -1;
    kSeconds[k] = kSecondsById[original];
    x[k] = xById[original];
    initialOutflow[k] = initialById[original];
    orderedIds.push(ids[original]);
    const twoKX = 2 * kSecondsById[original] * xById[original];
    if (dtSeconds < twoKX) {
      warnings.push(`reach ${ids[original]}: dt_s = ${dtSeconds} < 2·K·X = ${twoKX.toFixed(1)} s, so C0 = ${c.c0.toFixed(5)} < 0 and outflow can dip below zero; use a smaller X or split the reach`);
    }
    const twoKOneMinusX = 2 * kSecondsById[original] * (1 - xById[original]);
    if (dtSeconds > twoKOneMinusX) {
      warnings.push(`reach ${ids[original]}: dt_s = ${dtSeconds} > 2·K·(1−X) = ${twoKOneMinusX.toFixed(1)} s, so C2 = ${c.c2.toFixed(5)} < 0 and outflow can oscillate; use a smaller dt_s`);
    }
  });

  const recordReach = parseOutputSelection(root.output, index, position, n, problems);
  throwIfAny(problems);
  return {
    net: {
      reaches: n, steps, dtSeconds, coefficients, downstream,
      boundaryReach: boundary.reach, boundary: boundary.values,
      lateralReach: lateral.reach, lateral: lateral.values,
      initialOutflow, recordReach,
    },
    ids: orderedIds, kSeconds, x, warnings,
  };
}

/** Volume entering over the run: trapezoid rule, as the Muskingum continuity equation uses. */
function seriesVolume(values: Float64Array, count: number, steps: number, dtSeconds: number): number {
  let volume = 0;
  for (let t = 1; t <= steps; t++) {
    for (let k = 0; k < count; k++) volume += 0.5 * (values[(t - 1) * count + k] + values[t * count + k]) * dtSeconds;
  }
  return volume;
}

export function massBalance(c: RouteCase, run: NetworkRun, initialInflow: Float64Array, initialOutflow: Float64Array) {
  const { net } = c;
  const inflowVolume = seriesVolume(net.boundary, net.boundaryReach.length, net.steps, net.dtSeconds)
    + seriesVolume(net.lateral, net.lateralReach.length, net.steps, net.dtSeconds);
  let storageChange = 0;
  for (let i = 0; i < net.reaches; i++) {
    // Muskingum storage S = K[X·I + (1 − X)·O].
    storageChange += c.kSeconds[i] * (c.x[i] * (run.inflow[i] - initialInflow[i]) + (1 - c.x[i]) * (run.outflow[i] - initialOutflow[i]));
  }
  const residual = inflowVolume - run.outletVolume - storageChange;
  const scale = Math.max(Math.abs(inflowVolume), Math.abs(run.outletVolume), Math.abs(storageChange), Number.MIN_VALUE);
  return { inflow_m3: inflowVolume, outflow_m3: run.outletVolume, storage_change_m3: storageChange, relative_error: residual / scale };
}

export function formatRouteOutput(c: RouteCase, run: NetworkRun): RouteOutput {
  const { net } = c;
  const warnings = [...c.warnings];
  if (run.nonFiniteCount > 0) {
    throw new NumericalError(`routing produced ${run.nonFiniteCount} non-finite outflows (NaN or infinity)`);
  }
  if (run.negativeCount > 0) {
    warnings.push(`outflow fell below zero at ${run.negativeCount} reach-steps (minimum ${run.minOutflow.toPrecision(6)} m³/s): see the coefficient warnings`);
  }
  const recordCount = net.recordReach.length;
  const initialInflow = new Float64Array(net.reaches);
  const initialOutflow = new Float64Array(net.reaches);
  const reaches: RouteOutput['reaches'] = {};
  for (let k = 0; k < recordCount; k++) {
    const i = net.recordReach[k];
    const series: number[] = [];
    for (let t = 0; t <= net.steps; t++) series.push(run.recorded[t * recordCount + k]);
    reaches[c.ids[i]] = { outflow_m3_per_s: series, peak_m3_per_s: run.peak[i], peak_time_s: run.peakStep[i] * net.dtSeconds };
  }
  // The t = 0 state is the steady state or the given outflow; rebuild it for the storage term.
  const pending = new Float64Array(net.reaches);
  for (let k = 0; k < net.boundaryReach.length; k++) pending[net.boundaryReach[k]] += net.boundary[k];
  for (let k = 0; k < net.lateralReach.length; k++) pending[net.lateralReach[k]] += net.lateral[k];
  for (let i = 0; i < net.reaches; i++) {
    initialInflow[i] = pending[i];
    initialOutflow[i] = Number.isNaN(net.initialOutflow[i]) ? pending[i] : net.initialOutflow[i];
    if (net.downstream[i] >= 0) pending[net.downstream[i]] += initialOutflow[i];
  }
  const balance = massBalance(c, run, initialInflow, initialOutflow);
  if (!(Math.abs(balance.relative_error) <= MASS_BALANCE_TOLERANCE)) {
    throw new NumericalError(`mass balance broken: relative error ${balance.relative_error} exceeds ${MASS_BALANCE_TOLERANCE}`);
  }
  return { dt_s: net.dtSeconds, reaches, mass_balance: balance, warnings };
}

/**
 * Discharge as printed: to 0.01 m³/s, or to 4 significant figures where that is finer (small
 * streams), as gauging tables report it. The engine itself keeps full doubles.
 */
export function roundDischarge(q: number): number {
  if (q === 0 || !Number.isFinite(q)) return q;
  const decimals = Math.min(15, Math.max(2, 3 - Math.floor(Math.log10(Math.abs(q)))));
  return Number(q.toFixed(decimals));
}

export function roundRouteOutput(out: RouteOutput): RouteOutput {
  const reaches: RouteOutput['reaches'] = {};
  for (const [id, r] of Object.entries(out.reaches)) {
    reaches[id] = { ...r, outflow_m3_per_s: r.outflow_m3_per_s.map(roundDischarge), peak_m3_per_s: roundDischarge(r.peak_m3_per_s) };
  }
  return { ...out, reaches };
}
