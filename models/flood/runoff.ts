// `flood runoff`: Xinanjiang three-source (Zhao Renjun 1992) and SCS curve-number rainfall–runoff
// per sub-basin, routed to the sub-basin outlet; also the `basins` of a route case, whose outlet
// discharge joins the named reach as lateral inflow.
import { dmath } from '../dmath.ts';
import { childPath, NumericalError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumberArray, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { checkObserved, forecastScores, type ForecastScores } from './scores.ts';
import {
  basinParams, depthPerStep, linearReservoirRoutingParams, runoffCaseParams, scsParams, xinanjiangInitialParams, xinanjiangParams,
} from './spec.ts';

export interface XinanjiangParameters {
  K: number; B: number; IM: number; UM: number; LM: number; DM: number; C: number;
  SM: number; EX: number; KI: number; KG: number; CI: number; CG: number;
}

export interface XinanjiangState { WU: number; WL: number; WD: number; S: number; FR: number }

/**
 * Runoff from the tension-water capacity curve (Zhao 1992): point capacities W' follow
 * f = 1 − (1 − W'/WMM)^B with WMM = WM(1 + B); W0 is the areal mean tension water before the
 * step, PE the net rain. Returns R (mm).
 */
export function tensionWaterRunoff(pe: number, w0: number, wm: number, b: number): number {
  if (!(pe > 0)) return 0;
  if (wm <= 0) return pe;
  const wmm = wm * (1 + b);
  const deficit = Math.max(0, 1 - w0 / wm);
  const a = wmm * (1 - dmath.pow(deficit, 1 / (1 + b)));
  if (pe + a >= wmm) return pe - (wm - w0);
  return pe - (wm - w0) + wm * dmath.pow(1 - (pe + a) / wmm, 1 + b);
}

/** Daily KI, KG, CI, CG to a step of dt_s (Zhao 1992; as in 《水文预报》): same daily total outflow. */
export function subDailyCoefficients(p: XinanjiangParameters, dtSeconds: number) {
  const perDay = 86400 / dtSeconds;
  const total = p.KI + p.KG;
  const combined = total > 0 ? 1 - dmath.pow(1 - total, 1 / perDay) : 0;
  const ki = total > 0 ? combined * (p.KI / total) : 0;
  const kg = total > 0 ? combined * (p.KG / total) : 0;
  return { KI: ki, KG: kg, CI: dmath.pow(p.CI, 1 / perDay), CG: dmath.pow(p.CG, 1 / perDay) };
}

export interface XinanjiangStep {
  evaporation: number; runoff: number; surface: number; interflow: number; groundwater: number;
}

/**
 * One step of Xinanjiang runoff generation and source separation, in mm over the basin. The
 * tension-water curve and free water live on the pervious part (1 − IM); the impervious part turns
 * its net rain straight into surface runoff. Written so the water balance closes exactly:
 * P − E − R − ΔW = 0 (W over the basin) and R − RS − RI − RG − Δ(FR·S) = 0.
 */
export function xinanjiangStep(
  p: XinanjiangParameters, k: { KI: number; KG: number }, s: XinanjiangState, rain: number, panEvaporation: number,
): XinanjiangStep {
  const ep = p.K * panEvaporation;
  // Three-layer evaporation (Zhao 1992): upper at the potential rate, then lower in proportion to
  // its storage, then deep at C·(EP − EU).
  let eu: number;
  let el = 0;
  let ed = 0;
  if (s.WU + rain >= ep) {
    eu = ep;
  } else {
    eu = s.WU + rain;
    const rest = ep - eu;
    if (s.WL >= p.C * p.LM) {
      el = Math.min(s.WL, p.LM > 0 ? rest * s.WL / p.LM : 0);
    } else if (s.WL >= p.C * rest) {
      el = p.C * rest;
    } else {
      el = s.WL;
      ed = Math.min(s.WD, p.C * rest - el);
    }
  }
  const e = eu + el + ed;
  const pe = rain - e;
  const wm = p.UM + p.LM + p.DM;
  const w0 = s.WU + s.WL + s.WD;
  let runoff = 0;
  if (pe > 0) {
    runoff = Math.min(pe, Math.max(0, tensionWaterRunoff(pe, w0, wm, p.B)));
    // What is not runoff wets the layers top down; the curve keeps W + PE − R ≤ WM.
    let gain = pe - runoff;
    const toUpper = Math.min(gain, p.UM - s.WU);
    s.WU += toUpper; gain -= toUpper;
    const toLower = Math.min(gain, p.LM - s.WL);
    s.WL += toLower; gain -= toLower;
    s.WD += gain;
  } else {
    s.WU = s.WU + rain - eu;
    s.WL -= el;
    s.WD -= ed;
  }

  // Free water on the runoff-producing area FR (Zhao 1992, SM/EX curve), pervious part.
  let rs = 0;
  if (runoff > 0) {
    const fr = runoff / pe;
    let storage = s.FR * s.S / fr; // the same water spread over the new producing area
    if (storage > p.SM) { rs += (storage - p.SM) * fr; storage = p.SM; }
    const smm = p.SM * (1 + p.EX);
    const au = smm * (1 - dmath.pow(Math.max(0, 1 - storage / p.SM), 1 / (1 + p.EX)));
    let surface = pe + au < smm
      ? fr * (pe + storage - p.SM + p.SM * dmath.pow(1 - (pe + au) / smm, 1 + p.EX))
      : fr * (pe + storage - p.SM);
    surface = Math.min(runoff, Math.max(0, surface));
    rs += surface;
    storage += (runoff - surface) / fr;
    if (storage > p.SM) { rs += (storage - p.SM) * fr; storage = p.SM; }
    s.S = storage;
    s.FR = fr;
  }
  const ri = k.KI * s.S * s.FR;
  const rg = k.KG * s.S * s.FR;
  s.S -= (k.KI + k.KG) * s.S;

  // Impervious part: net rain straight to surface runoff; evaporation only from the rain.
  const pervious = 1 - p.IM;
  const impervious = Math.max(0, rain - ep);
  const eImpervious = rain - impervious;
  return {
    evaporation: pervious * e + p.IM * eImpervious,
    runoff: pervious * runoff + p.IM * impervious,
    surface: pervious * rs + p.IM * impervious,
    interflow: pervious * ri,
    groundwater: pervious * rg,
  };
}

/** SCS curve number: cumulative direct runoff (mm) for cumulative rain P (mm), Ia = λS. */
export function scsRunoff(rainMm: number, cn: number, lambda = 0.2): number {
  const s = 25400 / cn - 254;
  const ia = lambda * s;
  return rainMm > ia ? (rainMm - ia) * (rainMm - ia) / (rainMm - ia + s) : 0;
}

type SurfaceRouting = { kind: 'linear-reservoir'; cs: number; lag: number } | { kind: 'unit-hydrograph'; ordinates: Float64Array };

export interface BasinInput {
  id: string;
  path: string;
  areaKm2: number;
  reach?: string;
  rain: Float64Array;
  evaporation?: Float64Array;
  xinanjiang?: { params: XinanjiangParameters; initial: XinanjiangState; interflow0: number; groundwater0: number };
  scs?: { cn: number; lambda: number; baseflow: number };
  surface: SurfaceRouting;
  observed?: Float64Array;
}

export interface BasinOutput {
  model: 'xinanjiang' | 'scs-cn';
  rain_mm: number[];
  evaporation_mm: number[];
  runoff_mm: number[];
  surface_mm: number[];
  interflow_mm: number[];
  groundwater_mm: number[];
  discharge_m3_per_s: number[];
  surface_m3_per_s: number[];
  interflow_m3_per_s: number[];
  groundwater_m3_per_s: number[];
  peak_m3_per_s: number;
  peak_time_s: number;
  water_balance_mm: { rain: number; evaporation: number; runoff: number; storage_change: number; residual: number };
  scores?: ForecastScores;
}

export interface RunoffOutput { dt_s: number; basins: Record<string, BasinOutput>; warnings: string[] }

const BASIN_KEYS = ['id', 'name', 'area_km2', 'reach', 'rain_mm', 'evaporation_mm', 'xinanjiang', 'scs', 'initial', 'surface_routing', 'observed_m3_per_s'];

function parseSurfaceRouting(value: unknown, path: string, problems: Problem[]): SurfaceRouting {
  if (value === undefined) return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "method": "linear-reservoir", "CS", "lag_steps" } or { "method": "unit-hydrograph", "ordinates": [...] }' });
    return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
  }
  if (value.method === 'linear-reservoir') {
    checkKnownKeys(value, ['method', ...Object.keys(linearReservoirRoutingParams)], path, problems);
    const p = checkParams(linearReservoirRoutingParams, value, path, problems);
    return { kind: 'linear-reservoir', cs: p.CS ?? 0, lag: p.lag_steps ?? 0 };
  }
  if (value.method === 'unit-hydrograph') {
    checkKnownKeys(value, ['method', 'ordinates'], path, problems);
    const ordinates = checkNumberArray(value.ordinates, childPath(path, 'ordinates'), problems, { kind: 'number', unit: '1', min: 0, max: 1, description: 'Unit-hydrograph ordinate' });
    if (ordinates) {
      const sum = ordinates.reduce((a, v) => a + v, 0);
      if (ordinates.length === 0 || Math.abs(sum - 1) > 1e-6) {
        problems.push({ path: childPath(path, 'ordinates'), message: 'must sum to 1', value: Number(sum.toPrecision(8)), expected: 'fractions of the runoff leaving at each step, summing to 1' });
      }
      return { kind: 'unit-hydrograph', ordinates: ordinates.map((v) => v / (sum || 1)) };
    }
    return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
  }
  problems.push({ path: childPath(path, 'method'), message: 'is not a surface routing method', value: value.method, expected: 'one of linear-reservoir, unit-hydrograph' });
  return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
}

export function parseBasins(value: unknown, path: string, problems: Problem[], requireReach: boolean): BasinInput[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ path, message: 'must be a non-empty array', value, expected: 'an array of sub-basins' });
    return [];
  }
  const ids = new Set<string>();
  const out: BasinInput[] = [];
  value.forEach((basin, i) => {
    const bpath = childPath(path, i);
    if (!isRecord(basin)) {
      problems.push({ path: bpath, message: 'must be an object', value: basin, expected: 'a sub-basin { "id", "area_km2", "rain_mm", "xinanjiang" | "scs" }' });
      return;
    }
    const before = problems.length;
    checkKnownKeys(basin, BASIN_KEYS, bpath, problems);
    if (typeof basin.id !== 'string' || basin.id.length === 0 || ids.has(basin.id)) {
      problems.push({ path: childPath(bpath, 'id'), message: ids.has(basin.id as string) ? 'repeats another basin id' : 'must be a non-empty string', value: basin.id, expected: 'a unique basin id' });
    } else {
      ids.add(basin.id);
    }
    if (requireReach && typeof basin.reach !== 'string') {
      problems.push({ path: childPath(bpath, 'reach'), message: 'is required in a route case', value: basin.reach, expected: 'the id of the reach the basin drains to' });
    }
    const { area_km2: areaKm2 } = checkParams(basinParams, basin, bpath, problems);
    const rain = checkNumberArray(basin.rain_mm, childPath(bpath, 'rain_mm'), problems, depthPerStep);
    if (rain && rain.length === 0) problems.push({ path: childPath(bpath, 'rain_mm'), message: 'is empty', value: basin.rain_mm, expected: 'one rain depth per step' });
    const surface = parseSurfaceRouting(basin.surface_routing, childPath(bpath, 'surface_routing'), problems);
    const hasXaj = basin.xinanjiang !== undefined;
    const hasScs = basin.scs !== undefined;
    if (hasXaj === hasScs) {
      problems.push({ path: bpath, message: hasXaj ? 'names two runoff models' : 'names no runoff model', value: undefined, expected: 'exactly one of "xinanjiang" or "scs"' });
    }
    const result: BasinInput = { id: basin.id as string, path: bpath, areaKm2, reach: basin.reach as string | undefined, rain: rain ?? new Float64Array(0), surface };
    if (basin.observed_m3_per_s !== undefined) {
      result.observed = checkNumberArray(basin.observed_m3_per_s, childPath(bpath, 'observed_m3_per_s'), problems, { kind: 'number', unit: 'm³/s', min: 0, description: 'Observed discharge' });
    }
    if (hasXaj) {
      const xpath = childPath(bpath, 'xinanjiang');
      const x = requireRecordInto(basin.xinanjiang, xpath, problems);
      if (x) {
        checkKnownKeys(x, Object.keys(xinanjiangParams), xpath, problems);
        const p = checkParams(xinanjiangParams, x, xpath, problems);
        if (p.KI !== undefined && p.KG !== undefined && !(p.KI + p.KG < 1)) {
          problems.push({ path: childPath(xpath, 'KG'), message: `makes KI + KG = ${Number((p.KI + p.KG).toPrecision(6))} ≥ 1`, value: p.KG, expected: `KG < 1 − KI = ${Number((1 - p.KI).toPrecision(6))} (free water cannot drain more than it holds in a day)` });
        }
        if (p.UM_mm !== undefined && p.LM_mm !== undefined && p.DM_mm !== undefined && p.UM_mm + p.LM_mm + p.DM_mm <= 0) {
          problems.push({ path: xpath, message: 'has no tension-water capacity', value: 0, expected: 'UM_mm + LM_mm + DM_mm > 0' });
        }
        const ipath = childPath(bpath, 'initial');
        const initialRecord = basin.initial === undefined ? {} : requireRecordInto(basin.initial, ipath, problems) ?? {};
        checkKnownKeys(initialRecord, Object.keys(xinanjiangInitialParams), ipath, problems);
        const init = checkParams(xinanjiangInitialParams, initialRecord, ipath, problems);
        const layer = (given: number | undefined, capacity: number, name: string) => {
          if (given !== undefined && given > capacity) {
            problems.push({ path: childPath(ipath, name), message: 'exceeds the layer capacity', value: given, expected: `at most ${capacity} mm` });
          }
          return given ?? 0.6 * capacity;
        };
        if (problems.length === before) {
          if (init.S_mm > p.SM_mm) problems.push({ path: childPath(ipath, 'S_mm'), message: 'exceeds SM_mm', value: init.S_mm, expected: `at most ${p.SM_mm} mm` });
          result.xinanjiang = {
            params: { K: p.K, B: p.B, IM: p.IM, UM: p.UM_mm, LM: p.LM_mm, DM: p.DM_mm, C: p.C, SM: p.SM_mm, EX: p.EX, KI: p.KI, KG: p.KG, CI: p.CI, CG: p.CG },
            initial: { WU: layer(init.WU_mm, p.UM_mm, 'WU_mm'), WL: layer(init.WL_mm, p.LM_mm, 'WL_mm'), WD: layer(init.WD_mm, p.DM_mm, 'WD_mm'), S: init.S_mm, FR: init.FR },
            interflow0: init.interflow_m3_per_s, groundwater0: init.groundwater_m3_per_s,
          };
        }
      }
      const evaporation = checkNumberArray(basin.evaporation_mm, childPath(bpath, 'evaporation_mm'), problems, depthPerStep);
      if (evaporation && rain && evaporation.length !== rain.length) {
        problems.push({ path: childPath(bpath, 'evaporation_mm'), message: 'differs in length from rain_mm', value: evaporation, expected: `${rain.length} values, one per step` });
      }
      result.evaporation = evaporation;
    } else if (hasScs) {
      const spath = childPath(bpath, 'scs');
      const x = requireRecordInto(basin.scs, spath, problems);
      if (x) {
        checkKnownKeys(x, Object.keys(scsParams), spath, problems);
        const p = checkParams(scsParams, x, spath, problems);
        result.scs = { cn: p.CN, lambda: p.initial_abstraction_ratio, baseflow: p.baseflow_m3_per_s };
      }
      if (basin.initial !== undefined) problems.push({ path: childPath(bpath, 'initial'), message: 'applies to xinanjiang only', value: basin.initial, expected: 'no initial state for an SCS basin' });
    }
    out.push(result);
  });
  return out;
}

function requireRecordInto(value: unknown, path: string, problems: Problem[]): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  problems.push({ path, message: 'must be an object', value, expected: 'an object of parameters' });
  return undefined;
}

/** Xinanjiang generation of one basin over a run, per step (mm), and its state at the end. */
export interface XinanjiangSeries {
  evaporation: ArrayLike<number>; runoff: ArrayLike<number>; surface: ArrayLike<number>;
  interflow: ArrayLike<number>; groundwater: ArrayLike<number>; final: XinanjiangState;
}

/** The per-step rain and evaporation a basin sees over `steps` steps (beyond its series: 0). */
export function basinForcing(basin: BasinInput, steps: number): { rain: Float64Array; evaporation: Float64Array } {
  const rain = new Float64Array(steps);
  const evaporation = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    rain[t] = basin.rain[t] ?? 0;
    evaporation[t] = basin.evaporation?.[t] ?? 0;
  }
  return { rain, evaporation };
}

/**
 * Runs one basin for `steps` steps (rain beyond its series is taken as 0). `generated` is the
 * Xinanjiang generation from the wasm kernel; without it the plain-TS twin computes it.
 */
export function runBasin(basin: BasinInput, dtSeconds: number, steps: number, generated?: XinanjiangSeries): BasinOutput {
  const toFlow = basin.areaKm2 * 1000 / dtSeconds; // mm per step over the basin → m³/s
  const rain: number[] = [];
  const evaporation: number[] = [];
  const runoff: number[] = [];
  const surface: number[] = [];
  const interflow: number[] = [];
  const groundwater: number[] = [];
  let storageChange = 0;
  if (basin.xinanjiang) {
    const { params, initial } = basin.xinanjiang;
    const k = subDailyCoefficients(params, dtSeconds);
    const state = { ...initial };
    const total = (s: XinanjiangState) => (1 - params.IM) * (s.WU + s.WL + s.WD + s.FR * s.S);
    const start = total(state);
    if (generated) {
      for (let t = 0; t < steps; t++) {
        rain.push(basin.rain[t] ?? 0); evaporation.push(generated.evaporation[t]); runoff.push(generated.runoff[t]);
        surface.push(generated.surface[t]); interflow.push(generated.interflow[t]); groundwater.push(generated.groundwater[t]);
      }
      Object.assign(state, generated.final);
    } else {
      for (let t = 0; t < steps; t++) {
        const p = basin.rain[t] ?? 0;
        const step = xinanjiangStep(params, k, state, p, basin.evaporation?.[t] ?? 0);
        rain.push(p); evaporation.push(step.evaporation); runoff.push(step.runoff);
        surface.push(step.surface); interflow.push(step.interflow); groundwater.push(step.groundwater);
      }
    }
    storageChange = total(state) - start;
  } else {
    const { cn, lambda } = basin.scs!;
    let cumulative = 0;
    let previous = 0;
    for (let t = 0; t < steps; t++) {
      const p = basin.rain[t] ?? 0;
      cumulative += p;
      const q = scsRunoff(cumulative, cn, lambda);
      rain.push(p); evaporation.push(0); runoff.push(q - previous);
      surface.push(q - previous); interflow.push(0); groundwater.push(0);
      previous = q;
    }
    // What the curve number retains (initial abstraction and infiltration) is counted as storage.
    storageChange = cumulative - previous;
  }

  // To the outlet: surface by a lagged linear reservoir or a unit hydrograph; interflow and
  // groundwater by linear reservoirs with the step's CI, CG.
  const qs = [0];
  const qi = [basin.xinanjiang?.interflow0 ?? 0];
  const qg = [basin.xinanjiang?.groundwater0 ?? basin.scs?.baseflow ?? 0];
  const ci = basin.xinanjiang ? subDailyCoefficients(basin.xinanjiang.params, dtSeconds).CI : 0;
  const cg = basin.xinanjiang ? subDailyCoefficients(basin.xinanjiang.params, dtSeconds).CG : 1;
  for (let t = 1; t <= steps; t++) {
    const r = basin.surface;
    if (r.kind === 'linear-reservoir') {
      const input = t - 1 - r.lag >= 0 ? surface[t - 1 - r.lag] : 0;
      qs.push(r.cs * qs[t - 1] + (1 - r.cs) * input * toFlow);
    } else {
      let q = 0;
      for (let j = 0; j < r.ordinates.length && j < t; j++) q += r.ordinates[j] * surface[t - 1 - j];
      qs.push(q * toFlow);
    }
    qi.push(ci * qi[t - 1] + (1 - ci) * interflow[t - 1] * toFlow);
    qg.push(basin.xinanjiang ? cg * qg[t - 1] + (1 - cg) * groundwater[t - 1] * toFlow : qg[0]);
  }
  const discharge = qs.map((q, t) => q + qi[t] + qg[t]);
  let peak = 0;
  for (let t = 1; t < discharge.length; t++) if (discharge[t] > discharge[peak]) peak = t;
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const balance = { rain: sum(rain), evaporation: sum(evaporation), runoff: sum(runoff), storage_change: storageChange, residual: 0 };
  balance.residual = balance.rain - balance.evaporation - balance.runoff - balance.storage_change;
  if (basin.xinanjiang) {
    // Free water counts as storage until released: the runoff term is what left as RS + RI + RG.
    balance.runoff = sum(surface) + sum(interflow) + sum(groundwater);
    balance.residual = balance.rain - balance.evaporation - balance.runoff - balance.storage_change;
  }
  return {
    model: basin.xinanjiang ? 'xinanjiang' : 'scs-cn',
    rain_mm: rain, evaporation_mm: evaporation, runoff_mm: runoff,
    surface_mm: surface, interflow_mm: interflow, groundwater_mm: groundwater,
    discharge_m3_per_s: discharge, surface_m3_per_s: qs, interflow_m3_per_s: qi, groundwater_m3_per_s: qg,
    peak_m3_per_s: discharge[peak], peak_time_s: peak * dtSeconds, water_balance_mm: balance,
    ...(basin.observed ? { scores: forecastScores(discharge, basin.observed, dtSeconds, basin.areaKm2) } : {}),
  };
}

export function parseRunoffCase(input: unknown): { dtSeconds: number; basins: BasinInput[]; steps: number } {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, ['dt_s', 'basins', 'steps'], '$', problems);
  const { dt_s: dtSeconds } = checkParams(runoffCaseParams, root, '$', problems);
  const basins = parseBasins(root.basins, '$.basins', problems, false);
  throwIfAny(problems);
  const steps = Math.max(...basins.map((b) => b.rain.length));
  for (const b of basins) if (b.observed) checkObserved(b.observed, `${b.path}.observed_m3_per_s`, steps, problems);
  throwIfAny(problems);
  return { dtSeconds, basins, steps };
}

/** Water balance beyond this (mm) means the model is broken, not the input. */
export const RUNOFF_BALANCE_TOLERANCE_MM = 1e-9;

/** Xinanjiang generation for several basins at once: the wasm kernel, or a test double. */
export type XinanjiangGenerator = (basins: BasinInput[], dtSeconds: number, steps: number) => XinanjiangSeries[];

export type RunoffCase = ReturnType<typeof parseRunoffCase>;

export function runRunoff(input: unknown, generate?: XinanjiangGenerator): RunoffOutput {
  return runRunoffCase(parseRunoffCase(input), generate);
}

/** Xinanjiang generation by `generate` (the wasm kernel; absent: the plain-TS loop here), then each basin's routing and balance. */
export function runRunoffCase(c: RunoffCase, generate?: XinanjiangGenerator): RunoffOutput {
  const basins: Record<string, BasinOutput> = {};
  const warnings: string[] = [];
  const xinanjiang = c.basins.filter((b) => b.xinanjiang);
  const generated = new Map<BasinInput, XinanjiangSeries>();
  if (generate && xinanjiang.length > 0) generate(xinanjiang, c.dtSeconds, c.steps).forEach((g, k) => generated.set(xinanjiang[k], g));
  for (const b of c.basins) {
    const out = runBasin(b, c.dtSeconds, c.steps, generated.get(b));
    if (!(Math.abs(out.water_balance_mm.residual) <= RUNOFF_BALANCE_TOLERANCE_MM * Math.max(1, out.water_balance_mm.rain))) {
      throw new NumericalError(`basin ${b.id}: water balance broken by ${out.water_balance_mm.residual} mm`);
    }
    if (b.rain.length < c.steps) warnings.push(`basin ${b.id}: rain_mm has ${b.rain.length} steps of ${c.steps}; the rest taken as 0`);
    basins[b.id] = out;
  }
  return { dt_s: c.dtSeconds, basins, warnings };
}

/** Printed like route output: discharge to 0.01 m³/s or 4 significant figures, depths to 0.001 mm. */
export function roundRunoffOutput(out: RunoffOutput): RunoffOutput {
  const basins: Record<string, BasinOutput> = {};
  for (const [id, b] of Object.entries(out.basins)) basins[id] = roundBasinOutput(b);
  return { ...out, basins };
}

export function roundBasinOutput(b: BasinOutput): BasinOutput {
  const q = (a: number[]) => a.map(roundDischarge);
  const mm = (a: number[]) => a.map((v) => Number(v.toFixed(3)));
  return {
    ...b,
    evaporation_mm: mm(b.evaporation_mm), runoff_mm: mm(b.runoff_mm), surface_mm: mm(b.surface_mm),
    interflow_mm: mm(b.interflow_mm), groundwater_mm: mm(b.groundwater_mm),
    discharge_m3_per_s: q(b.discharge_m3_per_s), surface_m3_per_s: q(b.surface_m3_per_s),
    interflow_m3_per_s: q(b.interflow_m3_per_s), groundwater_m3_per_s: q(b.groundwater_m3_per_s),
    peak_m3_per_s: roundDischarge(b.peak_m3_per_s),
  };
}

/**
 * Discharge as printed: to 0.01 m³/s, or to 4 significant figures where that is finer (small
 * streams), as gauging tables report it. The engine itself keeps full doubles.
 */
export function roundDischarge(q: number): number {
  if (q === 0 || !Number.isFinite(q)) return q;
  const decimals = Math.min(15, Math.max(2, 3 - decimalExponent(q)));
  return Number(q.toFixed(decimals));
}

/**
 * ⌊log₁₀|q|⌋ exactly, from the shortest decimal form (number → string is specified to the digit):
 * Math.log10 differs between engines in the last bit, and formatting runs in threads where the
 * kernels' libm (models/dmath.ts) may not be loaded.
 */
export function decimalExponent(q: number): number {
  const text = Math.abs(q).toExponential();
  return Number(text.slice(text.indexOf('e') + 1));
}
