// `flood route`: the contract's case file → a plan (reaches split into sub-reaches, the time step
// into sub-steps where the schemes' conditions ask for it) → packed segments → kernel → the
// contract's output with a mass balance.
import { childPath, NumericalError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumberArray, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { makeChannel, uniformFlow, type Channel } from './channel.ts';
import { parseBasins, roundBasinOutput, roundDischarge, runBasin, type BasinOutput } from './runoff.ts';
import { checkObserved, forecastScores, type ForecastScores } from './scores.ts';
import { METHOD_DIFFUSIVE, METHOD_KINEMATIC, METHOD_LINEAR, METHOD_MCT, PARAMS_PER_SEGMENT, STATE_PER_SEGMENT } from '../../assembly/flood/layout.ts';
import { muskingumCoefficients, type MixedNetwork, type MixedRun, type NetworkRun, type PackedNetwork } from './packed.ts';
import { S_PEAK } from '../../assembly/flood/layout.ts';
import {
  channelReachParams, discharge, IMPLEMENTED_METHODS, muskingumReachParams, rectangularSectionParams, ROUTING_METHODS, type RouteMethod,
  MIN_CHANNEL_WIDTH_M, MIN_SIDE_SLOPE_H_PER_V, routeCaseParams, SECTION_SHAPES, trapezoidSectionParams,
} from './spec.ts';

export type { RouteMethod } from './spec.ts';

/** One reach after planning, in topological order. */
export interface PlannedReach {
  id: string;
  method: RouteMethod;
  subreaches: number;
  firstSegment: number;
  /** Linear Muskingum: K and X of each sub-reach. */
  kSeconds?: number;
  x?: number;
  channel?: Channel;
  lengthM?: number;
  observed?: Float64Array;
  /** Diffusive wave: the grid and the wave parameters it was built from. */
  diffusive?: DiffusivePlan;
}

export interface RouteCase {
  /** The linear kernel's network when every reach is linear Muskingum, else undefined. */
  net?: PackedNetwork;
  mixed: MixedNetwork;
  reaches: PlannedReach[];
  /** Per segment: K and X for linear segments (mass balance of the linear kernel). */
  segmentK: Float64Array;
  segmentX: Float64Array;
  /** Reach indices (into `reaches`) whose series are output, parallel to the recorded segments. */
  recordedReaches: number[];
  dtSeconds: number;
  steps: number;
  substeps: number;
  warnings: string[];
  /** Rainfall–runoff of the case's sub-basins, whose outlet flow joined their reaches. */
  basins?: Record<string, BasinOutput>;
}

/** What either kernel returns, brought to one form. */
export interface RouteRun {
  recorded: Float64Array; // (fine steps + 1) × recorded reaches
  peak: Float64Array; // per segment
  peakStep: Int32Array; // per segment, in sub-steps
  outletVolume: number;
  minOutflow: number;
  negativeCount: number;
  nonFiniteCount: number;
  initialStorage: number;
  finalStorage: number;
  depthFailures: number;
}

export interface RouteReachOutput {
  outflow_m3_per_s: number[];
  peak_m3_per_s: number;
  peak_time_s: number;
  subreaches?: number;
  scores?: ForecastScores;
}

export interface RouteOutput {
  dt_s: number;
  reaches: Record<string, RouteReachOutput>;
  mass_balance: { inflow_m3: number; outflow_m3: number; storage_change_m3: number; relative_error: number };
  warnings: string[];
  basins?: Record<string, BasinOutput>;
}

const CASE_KEYS = ['dt_s', 'steps', 'reaches', 'inflows', 'lateral', 'output', 'auto_subdivide', 'basins'];
const LINEAR_KEYS = ['id', 'downstream', 'method', 'name', 'observed_m3_per_s', ...Object.keys(muskingumReachParams)];
const CHANNEL_KEYS = ['id', 'downstream', 'method', 'name', 'section', 'observed_m3_per_s', ...Object.keys(channelReachParams)];
/** Mass balance beyond this relative error means the kernel is broken, not the input. */
export const MASS_BALANCE_TOLERANCE = 1e-9;
export const MAX_SUBSTEPS = 100;
export const MAX_SUBREACHES = 100;
/** Channel reaches may be split finer: a long reach at a short step needs many sub-reaches. */
export const MAX_CHANNEL_SUBREACHES = 1000;
/** Diffusive-wave reaches: most cells, and most sub-steps of their own per network step. */
export const MAX_DIFFUSIVE_CELLS = 1000;
export const MAX_DIFFUSIVE_SUBSTEPS = 100;
/** Per-reach warnings beyond this many are summarised: a big network must not print a million lines. */
const MAX_REACH_WARNINGS = 20;

interface SeriesInput { reach: number; values: Float64Array; path: string }

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

interface ReachInput {
  method: RouteMethod;
  kSeconds: number;
  x: number;
  initial: number;
  channel?: Channel;
  lengthM: number;
  referenceQ: number;
  observed?: Float64Array;
}

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
  if (method === 'muskingum') {
    checkKnownKeys(reach, LINEAR_KEYS, path, problems);
    const p = checkParams(muskingumReachParams, reach, path, problems);
    return { method, kSeconds: p.K_s, x: p.X, initial: p.initial_outflow_m3_per_s ?? NaN, lengthM: 0, referenceQ: 0 };
  }
  checkKnownKeys(reach, CHANNEL_KEYS, path, problems);
  const p = checkParams(channelReachParams, reach, path, problems);
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

/**
 * Sub-reaches N and sub-steps m for a linear reach so that 2K'X' ≤ Δt/m ≤ 2K'(1 − X') with
 * K' = K/N. X' = max(0, ½ − N(½ − X)) keeps the cascade's added variance N·K'²(1 − 2X') equal to
 * the reach's K²(1 − 2X) where that is possible (and as close as possible where not); the lag K is
 * kept exactly. Returns undefined if no N ≤ MAX_SUBREACHES works at this m.
 */
export function linearSubdivision(kSeconds: number, x: number, dt: number): { n: number; x: number } | undefined {
  const slack = 1 + 1e-12;
  for (let n = 1; n <= MAX_SUBREACHES; n++) {
    const xs = n === 1 ? x : Math.max(0, 0.5 - n * (0.5 - x));
    const ks = kSeconds / n;
    if (2 * ks * xs <= dt * slack && dt <= 2 * ks * (1 - xs) * slack) return { n, x: xs };
    if (dt > 2 * ks * (1 - xs) * slack) return undefined; // more sub-reaches only shorten K'
  }
  return undefined;
}

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

/** Bounds on each reach's flow from the inflows above it: sub-reach lengths are chosen from them. */
function flowBounds(order: Int32Array, downstream: Int32Array, inputs: ReachInput[], series: SeriesInput[]) {
  const n = order.length;
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  for (const s of series) {
    let min = Infinity;
    let max = 0;
    for (const v of s.values) { if (v < min) min = v; if (v > max) max = v; }
    low[s.reach] += min;
    high[s.reach] += max;
  }
  for (const i of order) {
    const given = inputs[i].initial;
    if (!Number.isNaN(given)) { low[i] = Math.min(low[i], given); high[i] = Math.max(high[i], given); }
    if (downstream[i] >= 0) { low[downstream[i]] += low[i]; high[downstream[i]] += high[i]; }
  }
  return { low, high };
}

/** Uniform-flow hydraulics of a channel reach at the lowest and highest flow it can see. */
interface ChannelFlows {
  low: ReturnType<typeof uniformFlow>;
  high: ReturnType<typeof uniformFlow>;
}

function channelFlows(input: ReachInput, low: number, high: number): ChannelFlows | undefined {
  if (!(high > 0)) return undefined;
  const channel = input.channel!;
  if (input.referenceQ > 0) {
    const f = uniformFlow(channel, input.referenceQ);
    return { low: f, high: f };
  }
  return { low: uniformFlow(channel, Math.max(low, 0.01 * high)), high: uniformFlow(channel, high) };
}

/**
 * The longest step at which an MCT reach (not split) keeps C − D ≤ 1 at its highest flow, i.e. a
 * non-negative coefficient on the old outflow: beyond it the scheme oscillates and can blow up.
 */
function mctStableStep(input: ReachInput, flows: ChannelFlows | undefined): number {
  if (input.method !== 'muskingum-cunge' || !flows) return Infinity;
  return (input.lengthM + flows.high.diffusionLength) / flows.high.velocity;
}

/**
 * Sub-reaches of a channel reach at step dt.
 * Muskingum–Cunge (MCT): as many as C + D ≥ 1 at the lowest flow needs (Δx ≤ vΔt + Q/(βTS0c)), so
 * the coefficient on the new inflow is ≥ 0 and the outflow cannot dip below baseflow; but never so
 * many that C − D > 1 at the highest flow (Δx ≥ vΔt − Q/(βTS0c)), which would make the scheme
 * oscillate: stability first, and a warning when the two cannot both hold.
 * Kinematic wave: Δx ≤ cΔt at the highest flow, which bounds the scheme's numerical diffusion.
 */
function channelSubreaches(input: ReachInput, dt: number, flows: ChannelFlows | undefined): { n: number; dips: boolean; capped: boolean } {
  if (!flows) return { n: 1, dips: false, capped: false };
  const length = input.lengthM;
  if (input.method === 'kinematic-wave') {
    const n = Math.max(1, Math.ceil(length / (flows.high.celerity * dt) - 1e-9));
    return { n: Math.min(n, MAX_CHANNEL_SUBREACHES), dips: false, capped: n > MAX_CHANNEL_SUBREACHES };
  }
  const noDip = Math.max(1, Math.ceil(length / (flows.low.velocity * dt + flows.low.diffusionLength) - 1e-9));
  const shortest = flows.high.velocity * dt - flows.high.diffusionLength;
  const stable = shortest > 0 ? Math.max(1, Math.floor(length / shortest + 1e-9)) : Infinity;
  const n = Math.min(noDip, stable, MAX_CHANNEL_SUBREACHES);
  return { n, dips: n < noDip, capped: noDip > MAX_CHANNEL_SUBREACHES && n === MAX_CHANNEL_SUBREACHES };
}

export interface DiffusivePlan {
  referenceQ: number;
  celerity: number;
  diffusivity: number;
  areaOffset: number;
  cells: number;
  substeps: number;
  peclet: number;
  /** Largest outflow weight of a cell per sub-step (r, r/2 + a/4 or a/2): ≤ 1 keeps flows non-negative. */
  weight: number;
}

/**
 * Grid of a diffusive-wave reach at network step dt. c and D = Q/(2·T·S0) (Hayami 1951; T the top
 * width) are evaluated once, at the given reference discharge or else midway between the lowest
 * and highest flow the reach can see. Cells: the fewest with Pe = cΔx/D ≤ 2 (central differences
 * without wiggles) and Δx ≤ (cΔt + √(2DΔt))/2 (what one step carries and spreads a wave spans at
 * least two cells), but never so many
 * that r = D·h/Δx² ≤ 1 would need more than MAX_DIFFUSIVE_SUBSTEPS sub-steps h; at most
 * MAX_DIFFUSIVE_CELLS. Sub-steps: the fewest that give the explicit half of Crank–Nicolson
 * non-negative weights (r ≤ 1 in the interior, r/2 + a/4 ≤ 1 at the ends, a/2 ≤ 1 for one cell)
 * and a Courant number a = c·h/Δx ≤ 1 (Crank–Nicolson's phase error grows with a: at a ≈ 1.9 the
 * Hayami peak was 0.37 % off, at a ≤ 1 0.15 %).
 */
function diffusivePlan(input: ReachInput, dt: number, low: number, high: number): DiffusivePlan {
  const channel = input.channel!;
  const referenceQ = input.referenceQ > 0 ? input.referenceQ : high > 0 ? 0.5 * (Math.max(low, 0.01 * high) + high) : 1;
  const f = uniformFlow(channel, referenceQ);
  const celerity = f.celerity;
  const diffusivity = referenceQ / (2 * f.top * channel.slope);
  const length = input.lengthM;
  const wanted = Math.max(Math.ceil(length * celerity / (2 * diffusivity) - 1e-9), Math.ceil(2 * length / (celerity * dt + Math.sqrt(2 * diffusivity * dt)) - 1e-9));
  const positive = Math.floor(length / Math.sqrt(diffusivity * dt / MAX_DIFFUSIVE_SUBSTEPS) + 1e-9);
  const cells = Math.max(1, Math.min(wanted, positive, MAX_DIFFUSIVE_CELLS));
  const dx = length / cells;
  const r = diffusivity * dt / (dx * dx);
  const a = celerity * dt / dx;
  const loss = cells > 1 ? Math.max(r, 0.5 * r + 0.25 * a) : 0.5 * a;
  const substeps = Math.min(MAX_DIFFUSIVE_SUBSTEPS, Math.max(1, Math.ceil(Math.max(loss, a) - 1e-9)));
  return {
    referenceQ, celerity, diffusivity, areaOffset: f.area - referenceQ / celerity, cells, substeps,
    peclet: celerity * dx / diffusivity, weight: loss / substeps,
  };
}

function interpolate(values: Float64Array, count: number, steps: number, m: number): Float64Array {
  if (m === 1) return values;
  const out = new Float64Array((steps * m + 1) * count);
  for (let t = 0; t < steps; t++) {
    for (let r = 0; r < m; r++) {
      const w = r / m;
      for (let k = 0; k < count; k++) {
        const a = values[t * count + k];
        out[(t * m + r) * count + k] = a + (values[(t + 1) * count + k] - a) * w;
      }
    }
  }
  for (let k = 0; k < count; k++) out[steps * m * count + k] = values[steps * count + k];
  return out;
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
    basinOutputs[b.id] = out;
    laterals.push({ reach: index.get(b.reach!)!, values: Float64Array.from(out.discharge_m3_per_s), path: `${b.path}.rain_mm` });
  }
  for (const s of [...inflows, ...laterals]) {
    if (s.values.length < steps + 1) {
      problems.push({ path: s.path, message: `is too short for ${steps} steps`, value: s.values, expected: `${steps + 1} values, one per step from t = 0` });
    }
  }
  throwIfAny(problems);
  const planned = planRoute({ dtSeconds, steps, autoSubdivide: autoSubdivide !== false, ids, inputs, downstreamById, order, inflows, laterals, selection });
  if (basins.length > 0) planned.basins = basinOutputs;
  return planned;
}

interface PlanInput {
  dtSeconds: number;
  steps: number;
  autoSubdivide: boolean;
  ids: string[];
  inputs: ReachInput[];
  downstreamById: Int32Array;
  order: Int32Array;
  inflows: SeriesInput[];
  laterals: SeriesInput[];
  selection: number[];
}

function planRoute(plan: PlanInput): RouteCase {
  const { dtSeconds, steps, ids, inputs, downstreamById, order } = plan;
  const n = ids.length;
  const warnings: string[] = [];
  const reachWarnings: string[] = [];

  // 1. Sub-steps: the smallest m that lets every linear reach meet both conditions with some N,
  // and every Muskingum–Cunge reach stay stable (C − D ≤ 1 at its highest flow) unsplit.
  const bounds = flowBounds(order, downstreamById, inputs, [...plan.inflows, ...plan.laterals]);
  const flows = inputs.map((r, i) => (r.method === 'muskingum' || r.method === 'diffusive-wave' ? undefined : channelFlows(r, bounds.low[i], bounds.high[i])));
  const stableStep = Math.min(...inputs.map((r, i) => mctStableStep(r, flows[i])));
  let substeps = 1;
  if (plan.autoSubdivide) {
    for (; substeps <= MAX_SUBSTEPS; substeps++) {
      const dt = dtSeconds / substeps;
      let ok = dt <= stableStep * (1 + 1e-12);
      for (let i = 0; i < n && ok; i++) {
        const r = inputs[i];
        if (r.method === 'muskingum' && !linearSubdivision(r.kSeconds, r.x, dt)) ok = false;
      }
      if (ok) break;
    }
    if (substeps > MAX_SUBSTEPS) {
      substeps = Math.min(MAX_SUBSTEPS, Math.max(1, Math.ceil(dtSeconds / stableStep)));
      warnings.push(`no sub-step of dt_s down to 1/${MAX_SUBSTEPS} meets every reach's conditions; routing with ${substeps}`);
    }
  }
  const dt = dtSeconds / substeps;
  const fineSteps = steps * substeps;

  const reaches: PlannedReach[] = [];
  const position = new Int32Array(n);
  let segments = 0;
  const subreachCount = new Int32Array(n);
  const subX = new Float64Array(n);
  const linearPlanFailed: number[] = [];
  const diffusive: (DiffusivePlan | undefined)[] = new Array(n);
  let nodeCount = 0;
  for (const i of order) {
    const r = inputs[i];
    let count = 1;
    if (r.method === 'muskingum') {
      const twoKX = 2 * r.kSeconds * r.x;
      const twoKOneMinusX = 2 * r.kSeconds * (1 - r.x);
      const c = muskingumCoefficients(r.kSeconds, r.x, dtSeconds);
      const split = plan.autoSubdivide ? linearSubdivision(r.kSeconds, r.x, dt) : { n: 1, x: r.x };
      if (!split) linearPlanFailed.push(i);
      count = split?.n ?? 1;
      subX[i] = split?.x ?? r.x;
      const done = !plan.autoSubdivide || !split ? ''
        : count > 1 ? `; routed as ${count} sub-reaches of K = ${fmt(r.kSeconds / count)} s, X = ${fmt(subX[i])} (lag K kept${subX[i] === 0.5 - count * (0.5 - r.x) ? ', attenuation K²(1−2X) kept' : ''})`
          : substeps > 1 ? `; routed in ${substeps} sub-steps of ${fmt(dt)} s` : '';
      if (dtSeconds < twoKX) {
        reachWarnings.push(`reach ${ids[i]}: dt_s = ${dtSeconds} < 2·K·X = ${twoKX.toFixed(1)} s, so C0 = ${c.c0.toFixed(5)} < 0 and outflow can dip below zero${done || '; use a smaller X or split the reach'}`);
      }
      if (dtSeconds > twoKOneMinusX) {
        reachWarnings.push(`reach ${ids[i]}: dt_s = ${dtSeconds} > 2·K·(1−X) = ${twoKOneMinusX.toFixed(1)} s, so C2 = ${c.c2.toFixed(5)} < 0 and outflow can oscillate${done || '; use a smaller dt_s'}`);
      } else if (substeps > 1 && count > 1 && dtSeconds >= twoKX) {
        reachWarnings.push(`reach ${ids[i]}: the network's sub-step of ${fmt(dt)} s is < 2·K·X = ${twoKX.toFixed(1)} s${done}`);
      }
    } else if (r.method === 'diffusive-wave') {
      diffusive[i] = diffusivePlan(r, dt, bounds.low[i], bounds.high[i]);
      const d = diffusive[i]!;
      if (d.peclet > 2 * (1 + 1e-9)) {
        reachWarnings.push(`reach ${ids[i]}: diffusive wave on ${d.cells} cells has a cell Péclet number cΔx/D = ${fmt(d.peclet)} > 2 (D = ${fmt(d.diffusivity)} m²/s, c = ${fmt(d.celerity)} m/s): the outflow may oscillate`);
      }
      if (d.weight > 1 + 1e-9) {
        reachWarnings.push(`reach ${ids[i]}: dt_s would need more than ${MAX_DIFFUSIVE_SUBSTEPS} diffusive-wave sub-steps for non-negative Crank–Nicolson weights (largest ${fmt(d.weight)} > 1): the outflow may oscillate`);
      }
      nodeCount += 3 * d.cells;
    } else {
      const choice = channelSubreaches(r, dt, flows[i]);
      count = choice.n;
      if (choice.capped) {
        reachWarnings.push(`reach ${ids[i]}: C + D ≥ 1 at its lowest flow would need more than ${MAX_CHANNEL_SUBREACHES} sub-reaches; using ${MAX_CHANNEL_SUBREACHES}, so the outflow may dip at low flow`);
      } else if (choice.dips) {
        reachWarnings.push(`reach ${ids[i]}: split into ${count} sub-reaches, as many as stability allows (C − D ≤ 1 at its highest flow); C + D < 1 at its lowest flow, so the outflow may dip there`);
      }
    }
    subreachCount[i] = count;
    position[i] = segments;
    reaches.push({
      id: ids[i], method: r.method, subreaches: count, firstSegment: segments,
      kSeconds: r.method === 'muskingum' ? r.kSeconds : undefined, x: r.method === 'muskingum' ? r.x : undefined,
      channel: r.channel, lengthM: r.method === 'muskingum' ? undefined : r.lengthM, observed: r.observed,
      diffusive: diffusive[i],
    });
    segments += count;
  }
  if (substeps > 1) {
    warnings.push(`the network was routed in ${substeps} sub-steps of ${fmt(dt)} s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s`);
  }
  for (const i of linearPlanFailed) {
    reachWarnings.push(`reach ${ids[i]}: no split into ≤ ${MAX_SUBREACHES} sub-reaches and ≤ ${MAX_SUBSTEPS} sub-steps meets 2·K·X ≤ Δt ≤ 2·K·(1−X); routed as given`);
  }
  warnings.push(...reachWarnings.slice(0, MAX_REACH_WARNINGS));
  if (reachWarnings.length > MAX_REACH_WARNINGS) warnings.push(`… and ${reachWarnings.length - MAX_REACH_WARNINGS} more reach warnings like these`);

  // 2. Pack segments: a reach's sub-reaches consecutive, each draining into the next.
  const method = new Int32Array(segments);
  const downstream = new Int32Array(segments);
  const params = new Float64Array(PARAMS_PER_SEGMENT * segments);
  const initialOutflow = new Float64Array(segments);
  const segmentK = new Float64Array(segments);
  const segmentX = new Float64Array(segments);
  let nextNode = 0;
  for (const i of order) {
    const r = inputs[i];
    const first = position[i];
    const count = subreachCount[i];
    for (let j = 0; j < count; j++) {
      const s = first + j;
      const p = s * PARAMS_PER_SEGMENT;
      downstream[s] = j + 1 < count ? s + 1 : downstreamById[i] >= 0 ? position[downstreamById[i]] : -1;
      initialOutflow[s] = r.initial;
      if (r.method === 'muskingum') {
        const k = r.kSeconds / count;
        const x = subX[i];
        const c = muskingumCoefficients(k, x, dt);
        method[s] = METHOD_LINEAR;
        params.set([c.c0, c.c1, c.c2, k, x], p);
        segmentK[s] = k;
        segmentX[s] = x;
      } else if (r.method === 'diffusive-wave') {
        const d = diffusive[i]!;
        method[s] = METHOD_DIFFUSIVE;
        params.set([r.lengthM / d.cells, d.celerity, d.diffusivity, d.areaOffset, d.cells, d.substeps, nextNode], p);
        nextNode += 3 * d.cells;
      } else {
        const ch = r.channel!;
        method[s] = r.method === 'muskingum-cunge' ? METHOD_MCT : METHOD_KINEMATIC;
        params.set([r.lengthM / count, ch.slope, ch.bottomWidth, ch.sideSlope, ch.perimeterFactor, ch.resistance, r.referenceQ], p);
      }
    }
  }
  const pack = (series: SeriesInput[]) => {
    const reach = Int32Array.from(series, (s) => position[s.reach]);
    const values = new Float64Array((steps + 1) * series.length);
    for (let t = 0; t <= steps; t++) series.forEach((s, k) => { values[t * series.length + k] = s.values[t]; });
    return { reach, values: interpolate(values, series.length, steps, substeps) };
  };
  const boundary = pack(plan.inflows);
  const lateral = pack(plan.laterals);
  const orderIndex = new Int32Array(n);
  order.forEach((original, k) => { orderIndex[original] = k; });
  // Reaches with observations are always output: their scores need the series.
  const chosen = [...plan.selection, ...order.filter((i) => inputs[i].observed && !plan.selection.includes(i))];
  const recordedReaches = chosen.map((original) => orderIndex[original]);
  const recordReach = Int32Array.from(chosen, (original) => position[original] + subreachCount[original] - 1);

  const mixed: MixedNetwork = {
    segments, steps: fineSteps, dtSeconds: dt, method, downstream, params,
    boundaryReach: boundary.reach, boundary: boundary.values, lateralReach: lateral.reach, lateral: lateral.values,
    initialOutflow, recordReach, nodeCount,
  };
  const allLinear = reaches.every((r) => r.method === 'muskingum');
  const net: PackedNetwork | undefined = allLinear ? {
    reaches: segments, steps: fineSteps, dtSeconds: dt,
    coefficients: Float64Array.from({ length: 3 * segments }, (_, k) => params[Math.floor(k / 3) * PARAMS_PER_SEGMENT + (k % 3)]),
    downstream, boundaryReach: boundary.reach, boundary: boundary.values, lateralReach: lateral.reach, lateral: lateral.values,
    initialOutflow, recordReach,
  } : undefined;
  return { net, mixed, reaches, segmentK, segmentX, recordedReaches, dtSeconds, steps, substeps, warnings };
}

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
