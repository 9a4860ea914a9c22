// `flood route`, stage 2: the plan. Reaches split into sub-reaches and the time step into
// sub-steps where the schemes' conditions ask for it (README, "Guards"), then packed segments for
// the linear or the mixed kernel.
import { uniformFlow } from './channel.ts';
import { COEFFICIENTS_PER_REACH, METHOD_DIFFUSIVE, METHOD_KINEMATIC, METHOD_LINEAR, METHOD_MCT, PARAMS_PER_SEGMENT } from '../../assembly/flood/layout.ts';
import { muskingumCoefficients, type MixedNetwork, type PackedNetwork } from './packed.ts';

import type { ReachInput, SeriesInput } from './route-parse.ts';
import { MAX_CHANNEL_SUBREACHES, MAX_DIFFUSIVE_CELLS, MAX_DIFFUSIVE_SUBSTEPS, MAX_REACH_WARNINGS, MAX_SUBREACHES, MAX_SUBSTEPS, type PlannedReach, type RouteCase } from './route-case.ts';

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

export function planRoute(plan: PlanInput): RouteCase {
  const { dtSeconds, steps, ids, inputs, downstreamById, order } = plan;
  const n = ids.length;
  const warnings: string[] = [];
  const reachWarnings: string[] = [];

  // 1. Sub-steps: the smallest m that lets every linear reach meet both conditions with some N,
  // and every Muskingum–Cunge reach stay stable (C − D ≤ 1 at its highest flow) unsplit.
  const bounds = flowBounds(order, downstreamById, inputs, [...plan.inflows, ...plan.laterals]);
  const flows = inputs.map((r, i) => (r.method === 'muskingum' || r.method === 'diffusive-wave' ? undefined : channelFlows(r, bounds.low[i], bounds.high[i])));
  // Each reach's longest stable step unsplit (Infinity for linear methods): once, for the sub-step search and both warnings.
  const stable = inputs.map((r, i) => mctStableStep(r, flows[i]));
  const stableStep = Math.min(...stable);
  let substeps = 1;
  let capped = false;
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
      capped = true;
      warnings.push(`no sub-step of dt_s down to 1/${MAX_SUBSTEPS} meets every reach's conditions; routing with ${substeps} sub-steps of ${fmt(dtSeconds / substeps)} s (inflows interpolated linearly; outflows are reported at dt_s)`);
      // The capped step leaves some reaches unstable: name each, or the user cannot find which
      // short steep reach (often a one-cell headwater stub) to merge or prune.
      const cappedDt = dtSeconds / substeps;
      const unstable = stable.map((step, i) => ({ i, step })).filter((u) => u.step < cappedDt * (1 - 1e-12)).sort((a, b) => a.step - b.step);
      for (const { i, step } of unstable.slice(0, MAX_REACH_WARNINGS)) {
        warnings.push(`reach ${ids[i]}: C − D > 1 at its highest flow even unsplit: stable only for steps ≤ ${fmt(step)} s, routed with ${fmt(cappedDt)} s (${substeps} sub-steps, the cap), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s`);
      }
      if (unstable.length > MAX_REACH_WARNINGS) warnings.push(`… and ${unstable.length - MAX_REACH_WARNINGS} more reaches unstable at the capped sub-step`);
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
      } else if (choice.dips && !(capped && stable[i] < dt * (1 - 1e-12))) {
        // (A reach unstable even unsplit at the capped sub-step was named above; without the cap —
        // auto_subdivide off — nothing else names it, so its dip is still said.)
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
  if (substeps > 1 && !capped) {
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
  const boundary = packSeries(plan.inflows, position, steps, substeps);
  const lateral = packSeries(plan.laterals, position, steps, substeps);
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
    coefficients: Float64Array.from({ length: COEFFICIENTS_PER_REACH * segments }, (_, k) => params[Math.floor(k / COEFFICIENTS_PER_REACH) * PARAMS_PER_SEGMENT + (k % COEFFICIENTS_PER_REACH)]),
    downstream, boundaryReach: boundary.reach, boundary: boundary.values, lateralReach: lateral.reach, lateral: lateral.values,
    initialOutflow, recordReach,
  } : undefined;
  return { net, mixed, reaches, segmentK, segmentX, recordedReaches, dtSeconds, steps, substeps, warnings };
}


/**
 * Series as the kernel reads them: their reaches' first segments, and values step-major. Plain
 * loops in a module-level function: a closure per step was compiled again at every ensemble member.
 */
function packSeries(series: readonly SeriesInput[], position: Int32Array, steps: number, substeps: number): { reach: Int32Array; values: Float64Array } {
  const n = series.length;
  const reach = new Int32Array(n);
  for (let k = 0; k < n; k++) reach[k] = position[series[k].reach];
  const values = new Float64Array((steps + 1) * n);
  for (let k = 0; k < n; k++) {
    const v = series[k].values;
    for (let t = 0; t <= steps; t++) values[t * n + k] = v[t];
  }
  return { reach, values: interpolate(values, n, steps, substeps) };
}
