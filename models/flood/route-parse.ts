// `flood route`, stage 1: the contract's case file → checked reaches, series and topology, every
// problem by JSON path; then the plan (./route-plan.ts).
import { childPath, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumberArray, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { makeChannel, type Channel } from './channel.ts';
import { checkBasinBalance, parseBasins, runBasin, type BasinInput, type BasinOutput } from './runoff.ts';
import { checkObserved } from './scores.ts';
import {
  channelReachParams, discharge, IMPLEMENTED_METHODS, muskingumReachParams, rectangularSectionParams, ROUTING_METHODS, type RouteMethod,
  MIN_CHANNEL_WIDTH_M, MIN_SIDE_SLOPE_H_PER_V, routeCaseParams, SECTION_SHAPES, trapezoidSectionParams,
} from './spec.ts';

import { planRoute } from './route-plan.ts';
import type { RouteCase } from './route-case.ts';

const CASE_KEYS = ['dt_s', 'steps', 'reaches', 'inflows', 'lateral', 'output', 'auto_subdivide', 'basins'];
const LINEAR_KEYS = ['id', 'downstream', 'method', 'name', 'observed_m3_per_s', ...Object.keys(muskingumReachParams)];
const CHANNEL_KEYS = ['id', 'downstream', 'method', 'name', 'section', 'observed_m3_per_s', ...Object.keys(channelReachParams)];

export interface SeriesInput { reach: number; values: Float64Array; path: string }

export function parseSeriesList(value: unknown, path: string, index: Map<string, number>, problems: Problem[]): SeriesInput[] {
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
function parseOutputSelection(value: unknown, index: Map<string, number>, n: number, problems: Problem[]): number[] {
  if (value === undefined) return Array.from({ length: n }, (_, k) => k);
  if (!isRecord(value) || !Array.isArray(value.reaches)) {
    problems.push({ path: '$.output', message: 'must name the reaches to output', value, expected: '{ "reaches": ["id", ...] }' });
    return [];
  }
  checkKnownKeys(value, ['reaches'], '$.output', problems);
  return value.reaches.map((id, k) => {
    const original = index.get(id as string);
    if (original === undefined) {
      problems.push({ path: `$.output.reaches[${k}]`, message: 'names no reach', value: id, expected: 'the id of a reach in $.reaches' });
      return 0;
    }
    return original;
  });
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

function parseSection(value: unknown, path: string, problems: Problem[]): { bottomWidth: number; sideSlope: number } | undefined {
  if (value === undefined || value === null) {
    problems.push({ path, message: 'is required', value, expected: '{ "shape": "rectangular", "width_m" } or { "shape": "trapezoid", "bottom_width_m", "side_slope_h_per_v" }' });
    return undefined;
  }
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "shape": "rectangular" | "trapezoid", ... }' });
    return undefined;
  }
  const shapePath = childPath(path, 'shape');
  if (value.shape === 'rectangular') {
    checkKnownKeys(value, ['shape', ...Object.keys(rectangularSectionParams)], path, problems);
    const p = checkParams(rectangularSectionParams, value, path, problems);
    return p.width_m === undefined ? undefined : { bottomWidth: p.width_m, sideSlope: 0 };
  }
  if (value.shape === 'trapezoid') {
    checkKnownKeys(value, ['shape', ...Object.keys(trapezoidSectionParams)], path, problems);
    const p = checkParams(trapezoidSectionParams, value, path, problems);
    if (p.bottom_width_m === undefined || p.side_slope_h_per_v === undefined) return undefined;
    if (p.bottom_width_m === 0 && p.side_slope_h_per_v === 0) {
      problems.push({ path, message: 'has no width', value: 0, expected: 'bottom_width_m > 0 or side_slope_h_per_v > 0' });
      return undefined;
    }
    // 0 means a triangle or vertical banks; a sliver above 0 (3e-166) leaves no area to carry flow.
    const sliver = (key: 'bottom_width_m' | 'side_slope_h_per_v', least: number) => {
      const v = p[key]!;
      if (v > 0 && v < least) problems.push({ path: childPath(path, key), message: 'is too small to carry flow', value: v, expected: `0 or at least ${least}` });
      return v > 0 && v < least;
    };
    const narrow = [sliver('bottom_width_m', MIN_CHANNEL_WIDTH_M), sliver('side_slope_h_per_v', MIN_SIDE_SLOPE_H_PER_V)];
    if (narrow.includes(true)) return undefined;
    return { bottomWidth: p.bottom_width_m, sideSlope: p.side_slope_h_per_v };
  }
  problems.push({ path: shapePath, message: value.shape === undefined ? 'is required' : 'is not a section shape', value: value.shape, expected: `one of ${SECTION_SHAPES.join(', ')}` });
  return undefined;
}

export interface ReachInput {
  method: RouteMethod;
  kSeconds: number;
  x: number;
  initial: number;
  channel?: Channel;
  lengthM: number;
  referenceQ: number;
  observed?: Float64Array;
}

/** A reach's fields as values, keyed as in the case file (its spec's names). */
export type SectionValues = { shape: 'rectangular'; width_m: number } | { shape: 'trapezoid'; bottom_width_m: number; side_slope_h_per_v: number };
export type ReachValues =
  | { method: 'muskingum'; K_s: number; X: number; initial_outflow_m3_per_s?: number }
  | {
    method: Exclude<RouteMethod, 'muskingum'>; length_m: number; slope: number; manning_n: number;
    initial_outflow_m3_per_s?: number; reference_discharge_m3_per_s?: number; section: SectionValues;
  };

function parseReach(reach: Record<string, unknown>, path: string, problems: Problem[]): ReachInput | undefined {
  // No default: a reach without a method was routed as Muskingum, a choice the user never saw.
  if (reach.method === undefined) {
    problems.push({ path: `${path}.method`, message: 'is required', value: undefined, expected: `one of ${IMPLEMENTED_METHODS.join(', ')}` });
    return undefined;
  }
  const method = reach.method as RouteMethod;
  if (!IMPLEMENTED_METHODS.includes(method)) {
    const known = (ROUTING_METHODS as readonly unknown[]).includes(method);
    problems.push({
      path: `${path}.method`, message: known ? 'is not implemented in this engine version' : 'is not a routing method',
      value: method, expected: `one of ${IMPLEMENTED_METHODS.join(', ')}`,
    });
    return undefined;
  }
  checkKnownKeys(reach, method === 'muskingum' ? LINEAR_KEYS : CHANNEL_KEYS, path, problems);
  return reachInputOf(reach as unknown as ReachValues, path, problems);
}

/**
 * One reach's checked input from its values: the file form's checks after its method and keys
 * (ranges, the section, a kinematic reach's reference discharge), with the same paths.
 */
export function reachInputOf(reach: ReachValues, path: string, problems: Problem[]): ReachInput | undefined {
  const { method } = reach;
  if (reach.method === 'muskingum') {
    const p = checkParams(muskingumReachParams, { ...reach }, path, problems);
    return { method: 'muskingum', kSeconds: p.K_s, x: p.X, initial: p.initial_outflow_m3_per_s ?? NaN, lengthM: 0, referenceQ: 0 };
  }
  const p = checkParams(channelReachParams, { ...reach }, path, problems);
  if (method === 'kinematic-wave' && reach.reference_discharge_m3_per_s !== undefined) {
    problems.push({ path: `${path}.reference_discharge_m3_per_s`, message: 'applies to muskingum-cunge and diffusive-wave only', value: reach.reference_discharge_m3_per_s, expected: 'no such field on a kinematic-wave reach' });
  }
  const section = parseSection(reach.section, childPath(path, 'section'), problems);
  if (!section || p.slope === undefined || p.manning_n === undefined || p.length_m === undefined) return undefined;
  return {
    method, kSeconds: 0, x: 0, initial: p.initial_outflow_m3_per_s ?? NaN,
    channel: makeChannel(section.bottomWidth, section.sideSlope, p.slope, p.manning_n),
    lengthM: p.length_m, referenceQ: p.reference_discharge_m3_per_s ?? 0,
  };
}

export function parseRouteCase(input: unknown): RouteCase {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, CASE_KEYS, '$', problems);
  const { dt_s: dtSeconds, steps: givenSteps } = checkParams(routeCaseParams, root, '$', problems);
  const autoSubdivide = root.auto_subdivide ?? true;
  if (typeof autoSubdivide !== 'boolean') {
    problems.push({ path: '$.auto_subdivide', message: 'must be true or false', value: autoSubdivide, expected: 'a boolean (default true)' });
  }

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
  const inputs: ReachInput[] = new Array(n);
  reachInputs.forEach((reach, i) => {
    const path = `$.reaches[${i}]`;
    if (!isRecord(reach)) {
      problems.push({ path, message: 'must be an object', value: reach, expected: 'a reach { "id", "downstream", "method", ... }' });
      return;
    }
    const parsed = parseReach(reach, path, problems);
    if (!parsed) return;
    if (reach.observed_m3_per_s !== undefined) {
      parsed.observed = checkNumberArray(reach.observed_m3_per_s, `${path}.observed_m3_per_s`, problems, discharge);
    }
    inputs[i] = parsed;
    if (reach.downstream !== undefined && reach.downstream !== null) linkDownstream(reach.downstream as string, i, path, index, downstreamById, problems);
  });

  const inflows = parseSeriesList(root.inflows, '$.inflows', index, problems);
  const laterals = parseSeriesList(root.lateral, '$.lateral', index, problems);
  const basins = root.basins === undefined ? [] : parseBasins(root.basins, '$.basins', problems, true);
  for (const b of basins) {
    if (b.reach !== undefined && !index.has(b.reach)) {
      problems.push({ path: `${b.path}.reach`, message: 'names no reach', value: b.reach, expected: 'the id of a reach in $.reaches' });
    }
  }
  const selection = parseOutputSelection(root.output, index, n, problems);
  throwIfAny(problems);
  return routeCaseOf({ dtSeconds, givenSteps, autoSubdivide: autoSubdivide !== false, ids, index, inputs, downstreamById, inflows, laterals, basins, selection });
}

/** A route case's checked values, read from the file (parseRouteCase) or built by a coupling (./route-typed.ts). */
export interface RouteValues {
  dtSeconds: number;
  /** As given; absent: from the longest series. */
  givenSteps: number | undefined;
  autoSubdivide: boolean;
  ids: string[];
  index: Map<string, number>;
  inputs: ReachInput[];
  downstreamById: Int32Array;
  inflows: SeriesInput[];
  laterals: SeriesInput[];
  basins: BasinInput[];
  selection: number[];
}

/**
 * What both forms check once every value is known (the network's order, the series against the
 * steps), then the basins' runoff joins its reaches and the plan is made.
 */
export function routeCaseOf(values: RouteValues): RouteCase {
  const { dtSeconds, givenSteps, autoSubdivide, ids, index, inputs, downstreamById, inflows, basins, selection } = values;
  const laterals = [...values.laterals];
  const problems: Problem[] = [];
  const order = topologicalOrder(downstreamById, ids, problems)!;
  throwIfAny(problems);

  const longest = Math.max(1, ...inflows.map((s) => s.values.length), ...basins.map((b) => b.rain.length + 1));
  const steps = givenSteps ?? longest - 1;
  if (steps < 1) {
    problems.push({ path: '$.steps', message: 'leaves nothing to route', value: givenSteps, expected: 'steps ≥ 1, or an inflow series of at least 2 values' });
  }
  inputs.forEach((r, i) => {
    if (r.observed) checkObserved(r.observed, `$.reaches[${i}].observed_m3_per_s`, steps, problems);
  });
  for (const b of basins) if (b.observed) checkObserved(b.observed, `${b.path}.observed_m3_per_s`, steps, problems);
  for (const b of basins) {
    // Padding a short series with dry steps would route a storm that stops where the file stops.
    if (b.rain.length < steps) {
      problems.push({ path: `${b.path}.rain_mm`, message: `is too short for ${steps} steps`, value: `${b.rain.length} values`, expected: `${steps} values, one rain depth per step` });
    }
  }
  throwIfAny(problems);
  const basinOutputs: Record<string, BasinOutput> = {};
  for (const b of basins) {
    const out = runBasin(b, dtSeconds, steps);
    // `flood runoff` checked this balance; routing the same basins skipped it, so a broken one went unseen.
    checkBasinBalance(b.id, out);
    basinOutputs[b.id] = out;
    laterals.push({ reach: index.get(b.reach!)!, values: Float64Array.from(out.discharge_m3_per_s), path: `${b.path}.rain_mm` });
  }
  for (const s of [...inflows, ...laterals]) {
    if (s.values.length < steps + 1) {
      problems.push({ path: s.path, message: `is too short for ${steps} steps`, value: s.values, expected: `${steps + 1} values, one per step from t = 0` });
    }
  }
  throwIfAny(problems);
  const planned = planRoute({ dtSeconds, steps, autoSubdivide, ids, inputs, downstreamById, order, inflows, laterals, selection });
  if (basins.length > 0) planned.basins = basinOutputs;
  return planned;
}

/** Reach i's downstream link by id (the file form and the typed case alike): another reach, never itself. */
export function linkDownstream(downstream: string, i: number, path: string, index: Map<string, number>, downstreamById: Int32Array, problems: Problem[]): void {
  const target = index.get(downstream);
  if (target === undefined) {
    problems.push({ path: `${path}.downstream`, message: 'names no reach', value: downstream, expected: 'the id of another reach, or null at an outlet' });
  } else if (target === i) {
    problems.push({ path: `${path}.downstream`, message: 'names the reach itself', value: downstream, expected: 'the id of another reach, or null at an outlet' });
  } else {
    downstreamById[i] = target;
  }
}
