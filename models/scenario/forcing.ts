// Forcing on the coupling step grid: rain per district (with the scenario's district factors and
// rain injects applied), river inflows, wind. Step j covers (j·Δt, (j+1)·Δt]; series given at
// coarser periods hold their value through each period.
import { actionAreas } from './actions.ts';
import type { Inject } from './injects.ts';
import type { Scenario, Series } from './schema.ts';

export interface StepGrid { stepS: number; steps: number }

export function stepGrid(scenario: Scenario): StepGrid {
  return { stepS: scenario.stepS, steps: Math.round(scenario.durationS / scenario.stepS) };
}

/** The value a period series holds during step j (its period containing the step's start). */
export function sampleSeries(series: Series, grid: StepGrid): Float64Array {
  const out = new Float64Array(grid.steps);
  for (let j = 0; j < grid.steps; j++) {
    const period = Math.min(series.values.length - 1, Math.floor((j * grid.stepS) / series.periodS));
    out[j] = series.values[period];
  }
  return out;
}

/** Instantaneous values at the step boundaries t = 0, Δt, …, for hydrographs (length steps + 1). */
export function sampleAtBoundaries(series: Series, grid: StepGrid): Float64Array {
  const out = new Float64Array(grid.steps + 1);
  for (let j = 0; j <= grid.steps; j++) {
    const position = (j * grid.stepS) / series.periodS;
    const k = Math.min(series.values.length - 1, Math.floor(position));
    const next = Math.min(series.values.length - 1, k + 1);
    out[j] = series.values[k] + (series.values[next] - series.values[k]) * (position - k);
  }
  return out;
}

export interface RainInjectEffect { fromS: number; toS: number; factor: number; areas: readonly string[] | 'all' }

/** Rain injects that were delivered, as factors over areas and times. */
export function rainEffects(injects: readonly Inject[], deliveredAt: ReadonlyMap<string, number | undefined>): RainInjectEffect[] {
  const effects: RainInjectEffect[] = [];
  for (const inject of injects) {
    const at = deliveredAt.get(inject.id);
    const action = inject.action;
    if (action?.type !== 'rain' || at === undefined || inject.state === 'cancelled') continue;
    effects.push({ fromS: at, toS: at + (action.duration_s ?? Infinity), factor: action.factor ?? 1, areas: actionAreas(action) });
  }
  return effects;
}

/** `base` times the factor of every rain inject active at `startS` over `district`. */
export function injectFactor(effects: readonly RainInjectEffect[], district: string, startS: number, base = 1): number {
  let factor = base;
  for (const e of effects) {
    if (startS >= e.fromS && startS < e.toS && (e.areas === 'all' || e.areas.includes(district))) factor *= e.factor;
  }
  return factor;
}

/** Rain depth per step (mm) in each district: areal series × district factor × active rain injects. */
export function districtRainMm(series: Series, districtFactors: Record<string, number>, grid: StepGrid, districts: readonly string[], effects: readonly RainInjectEffect[]): Map<string, Float64Array> {
  const rate = sampleSeries(series, grid);
  const out = new Map<string, Float64Array>();
  for (const district of districts) {
    const base = districtFactors[district] ?? 1;
    const depth = new Float64Array(grid.steps);
    for (let j = 0; j < grid.steps; j++) {
      depth[j] = (rate[j] * injectFactor(effects, district, j * grid.stepS, base) * grid.stepS) / 3600;
    }
    out.set(district, depth);
  }
  return out;
}

/** Rain over the trailing window (e.g. 24 h), at the end of each step. */
export function trailingSum(depthPerStep: Float64Array, windowSteps: number): Float64Array {
  const out = new Float64Array(depthPerStep.length);
  let sum = 0;
  for (let j = 0; j < depthPerStep.length; j++) {
    sum += depthPerStep[j];
    if (j >= windowSteps) sum -= depthPerStep[j - windowSteps];
    out[j] = sum;
  }
  return out;
}
