// `flood runoff`: Xinanjiang three-source (Zhao Renjun 1992) and SCS curve-number rainfall–runoff
// per sub-basin, routed to the sub-basin outlet; also the `basins` of a route case, whose outlet
// discharge joins the named reach as lateral inflow.
import { NumericalError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkParams, requireRecord, throwIfAny } from '../params.ts';
import { checkObserved, forecastScores } from './scores.ts';
import { runoffCaseParams } from './spec.ts';
import { parseBasins, type BasinInput, type BasinOutput, type RunoffOutput } from './runoff-parse.ts';
import { scsRunoff, subDailyCoefficients, xinanjiangStep, type XinanjiangState } from './xinanjiang.ts';

// What the rest imports from here, wherever it lives.
export * from './xinanjiang.ts';
export * from './runoff-parse.ts';

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
  const discharge: number[] = [];
  for (let t = 0; t < qs.length; t++) discharge.push(qs[t] + qi[t] + qg[t]);
  let peak = 0;
  for (let t = 1; t < discharge.length; t++) if (discharge[t] > discharge[peak]) peak = t;
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

/** A basin's water balance beyond tolerance fails the run, whichever command ran the basin. */
export function checkBasinBalance(id: string, out: BasinOutput): void {
  if (!(Math.abs(out.water_balance_mm.residual) <= RUNOFF_BALANCE_TOLERANCE_MM * Math.max(1, out.water_balance_mm.rain))) {
    throw new NumericalError(`basin ${id}: water balance broken by ${out.water_balance_mm.residual} mm`);
  }
}

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
    checkBasinBalance(b.id, out);
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

/** Left to right from 0, as `a.reduce((x, y) => x + y, 0)`; module-level: a closure per basin was compiled again at every ensemble member. */
function sum(a: readonly number[]): number {
  let total = 0;
  for (let k = 0; k < a.length; k++) total += a[k];
  return total;
}
