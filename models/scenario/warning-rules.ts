// Official warnings issued by rule over model outputs, in the risk list's warning form. Each rule
// gives a level per district per step; a run of steps at one level becomes one warning, issued at
// the run's start and lifted at its end. Levels are held for a settling time after they are last
// met, so a signal does not flap on and off between showers.
import { trailingSum, type StepGrid } from './forcing.ts';

export interface IssuedWarning {
  id: string;
  t_s: number;
  lift_s?: number;
  level: number;
  hazard: 'rainstorm' | 'flood' | 'geohazard' | 'forest-fire';
  areas: string[];
  /** What the rule saw, for the log and the CAP description. */
  reason: string;
  source: 'rule' | 'inject';
}

/** Turns a level per step into warnings: one per constant run of a level > 0. */
export function levelsToWarnings(levels: Int8Array, grid: StepGrid, hazard: IssuedWarning['hazard'], area: string, reasons: (step: number, level: number) => string): IssuedWarning[] {
  const out: IssuedWarning[] = [];
  let start = -1;
  for (let j = 0; j <= levels.length; j++) {
    const level = j < levels.length ? levels[j] : 0;
    const previous = start >= 0 ? levels[start] : 0;
    if (level === previous) continue;
    if (start >= 0 && previous > 0) out[out.length - 1].lift_s = j * grid.stepS;
    if (level > 0) out.push({ id: `W-${hazard}-${area}-${out.length + 1}`, t_s: j * grid.stepS, level, hazard, areas: [area], reason: reasons(j, level), source: 'rule' });
    start = j;
  }
  // A warning still in force at the end has no lift time.
  const last = out[out.length - 1];
  if (last && last.lift_s !== undefined && last.lift_s >= levels.length * grid.stepS) delete last.lift_s;
  return out;
}

/** Keeps each level for `holdSteps` after it was last reached (signals are lifted only after quiet). */
export function holdLevels(raw: Int8Array, holdSteps: number): Int8Array {
  const out = new Int8Array(raw.length);
  for (let j = 0; j < raw.length; j++) {
    let level = 0;
    for (let k = Math.max(0, j - holdSteps); k <= j; k++) level = Math.max(level, raw[k]);
    out[j] = level;
  }
  return out;
}

/**
 * China Meteorological Administration rainstorm signals (气象灾害预警信号发布与传播办法, 2007), as
 * models/risklist/categories.json lists them: blue ≥ 50 mm in 12 h, yellow ≥ 50 mm in 6 h,
 * orange ≥ 50 mm in 3 h, red ≥ 100 mm in 3 h. Judged on the rain that has fallen.
 */
export function rainstormLevels(rainMmPerStep: Float64Array, grid: StepGrid): { levels: Int8Array; sums: { h3: Float64Array; h6: Float64Array; h12: Float64Array } } {
  const steps = (hours: number) => Math.round((hours * 3600) / grid.stepS);
  const h3 = trailingSum(rainMmPerStep, steps(3));
  const h6 = trailingSum(rainMmPerStep, steps(6));
  const h12 = trailingSum(rainMmPerStep, steps(12));
  const levels = new Int8Array(rainMmPerStep.length);
  for (let j = 0; j < levels.length; j++) {
    levels[j] = h3[j] >= 100 ? 4 : h3[j] >= 50 ? 3 : h6[j] >= 50 ? 2 : h12[j] >= 50 ? 1 : 0;
  }
  return { levels: holdLevels(levels, steps(3)), sums: { h3, h6, h12 } };
}

/** River flood warning by the flow at a gauge against its bankfull (warning) flow. */
export function floodLevels(flow: ArrayLike<number>, bankfull: number, grid: StepGrid): Int8Array {
  const levels = new Int8Array(flow.length);
  for (let j = 0; j < flow.length; j++) {
    const ratio = flow[j] / bankfull;
    levels[j] = ratio >= 1.3 ? 4 : ratio >= 1.0 ? 3 : ratio >= 0.85 ? 2 : ratio >= 0.7 ? 1 : 0;
  }
  return holdLevels(levels, Math.round(3600 / grid.stepS));
}

/**
 * Geohazard warning for a district from its monitored slopes: red when a fifth of them have
 * FS < 1, orange when a fifth are below 1.1, yellow below 1.2 (this project's rule; configurable
 * rules come with the warning layer of the landslide model).
 */
export function geohazardLevels(fsBySlope: Float64Array[], grid: StepGrid): Int8Array {
  const steps = fsBySlope[0]?.length ?? 0;
  const levels = new Int8Array(steps);
  const share = (j: number, below: number) => fsBySlope.filter((fs) => fs[j] < below).length / fsBySlope.length;
  for (let j = 0; j < steps; j++) {
    levels[j] = share(j, 1.0) >= 0.2 ? 4 : share(j, 1.1) >= 0.2 ? 3 : share(j, 1.2) >= 0.2 ? 2 : 0;
  }
  return holdLevels(levels, Math.round(3 * 3600 / grid.stepS));
}
