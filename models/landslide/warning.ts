// The warning layer: rainfall thresholds, effective rainfall, the JMA soil water index, and a
// four-colour warning level (1 blue, 2 yellow, 3 orange, 4 red: ARCHITECTURE.md) per geohazard
// point or grid cell that combines the slope's susceptibility (factor of safety) with the rain.
//
// How a level is set (every number below is configurable, see DEFAULT_WARNING_CONFIG):
//   susceptibility class s from FS:   s = 4 if FS < 1.0, 3 if FS < 1.1, 2 if FS < 1.3, else 1
//   rain class r from the rain ratio (the largest of the configured rain indices over its critical
//   value: ID-threshold exceedance I/I_c(D), Re/Re_c, SWI/SWI_c):
//                                      r = 4 if ratio ≥ 1.5, 3 if ≥ 1.0, 2 if ≥ 0.8, else 1
//   level = matrix[s][r]: rain alone never raises a stable slope above yellow, a failing slope
//   with no rain is orange (the model says it fails; the rain has not yet confirmed it), and
//   failing plus rain above its threshold is red.
import { dmath } from '../dmath.ts';
import { childPath, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumber, isRecord } from '../params.ts';

/** Power-law intensity–duration threshold I = a·D^−b (I in mm/h, D in h), valid for D in [minH, maxH]. */
export interface IdThreshold { a: number; b: number; min_h: number; max_h: number; source?: string }

export const ID_THRESHOLDS: Record<string, IdThreshold> = {
  caine_1980: { a: 14.82, b: 0.39, min_h: 10 / 60, max_h: 240, source: 'Caine (1980), Geografiska Annaler 62A, world-wide shallow landslides and debris flows' },
  guzzetti_2008_global: { a: 2.20, b: 0.44, min_h: 0.1, max_h: 1000, source: 'Guzzetti et al. (2008), Landslides 5, global minimum ID threshold' },
};

export function thresholdIntensity(t: IdThreshold, durationH: number): number {
  return t.a * dmath.pow(durationH, -t.b);
}

export interface IdExceedance {
  /** Largest I/I_c(D) over the trailing windows inside the threshold's validity range (0 if none). */
  ratio: number;
  duration_h: number;
  intensity_mm_per_h: number;
}

/**
 * The storm so far, `rainMmPerH` one value per period of `periodH` hours, latest last: for every
 * trailing window (the last 1, 2, … periods) the mean intensity against the threshold at that
 * duration. Windows that start or end in a dry period still count: a storm's duration is the
 * analyst's choice, and the largest ratio over all windows is the cautious one.
 */
export function idExceedance(rainMmPerH: ArrayLike<number>, periodH: number, t: IdThreshold): IdExceedance {
  let best: IdExceedance = { ratio: 0, duration_h: 0, intensity_mm_per_h: 0 };
  let depth = 0;
  for (let n = 1; n <= rainMmPerH.length; n++) {
    depth += rainMmPerH[rainMmPerH.length - n] * periodH;
    const duration = n * periodH;
    if (duration < t.min_h || duration > t.max_h) continue;
    const intensity = depth / duration;
    const ratio = intensity / thresholdIntensity(t, duration);
    if (ratio > best.ratio) best = { ratio, duration_h: duration, intensity_mm_per_h: intensity };
  }
  return best;
}

/** Effective (antecedent) rainfall Re = Σ Kⁱ·Rᵢ, R₀ today (or this period), R₁ the one before, … */
export function effectiveRainfall(seriesLatestFirst: ArrayLike<number>, k: number): number {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < seriesLatestFirst.length; i++) {
    sum += weight * seriesLatestFirst[i];
    weight *= k;
  }
  return sum;
}

/** Three-tank model of the JMA soil water index (Okada et al. 2001): outlet heights L (mm), outflow a and infiltration b coefficients (1/h). */
export interface TankParams { L1: number; L2: number; L3: number; L4: number; a1: number; a2: number; a3: number; a4: number; b1: number; b2: number; b3: number }

/** JMA's operational tank parameters (the same as cases.json's). */
export const JMA_TANK: TankParams = { L1: 15, L2: 60, L3: 15, L4: 15, a1: 0.1, a2: 0.15, a3: 0.05, a4: 0.01, b1: 0.12, b2: 0.05, b3: 0.01 };

/**
 * Soil water index (mm) after each step: storage S1+S2+S3 of three tanks in series. Each step adds
 * the step's rain to tank 1 and takes outflows and infiltration computed from the storages at the
 * start of the step (explicit Euler, as JMA's hourly form; `dtH` scales the coefficients).
 */
export function soilWaterIndex(rainMmPerStep: ArrayLike<number>, p: TankParams = JMA_TANK, dtH = 1, initial: [number, number, number] = [0, 0, 0]): Float64Array {
  let [s1, s2, s3] = initial;
  const out = new Float64Array(rainMmPerStep.length);
  const over = (s: number, l: number) => (s > l ? s - l : 0);
  for (let i = 0; i < rainMmPerStep.length; i++) {
    const q1 = (p.a1 * over(s1, p.L1) + p.a2 * over(s1, p.L2)) * dtH;
    const f1 = p.b1 * s1 * dtH;
    const q2 = p.a3 * over(s2, p.L3) * dtH;
    const f2 = p.b2 * s2 * dtH;
    const q3 = p.a4 * over(s3, p.L4) * dtH;
    const f3 = p.b3 * s3 * dtH;
    s1 = Math.max(0, s1 + rainMmPerStep[i] - q1 - f1);
    s2 = Math.max(0, s2 + f1 - q2 - f2);
    s3 = Math.max(0, s3 + f2 - q3 - f3);
    out[i] = s1 + s2 + s3;
  }
  return out;
}

export type Level = 1 | 2 | 3 | 4;
export const LEVEL_COLOURS = { 1: 'blue', 2: 'yellow', 3: 'orange', 4: 'red' } as const;

export interface WarningConfig {
  /** FS below [red, orange, yellow] puts the slope in susceptibility class 4, 3, 2. */
  fs_bounds: [number, number, number];
  /** Rain ratio at or above [yellow, orange, red] puts the rain in class 2, 3, 4. */
  rain_ratio_bounds: [number, number, number];
  /** matrix[s − 1][r − 1] = level. */
  matrix: Level[][];
}

export const DEFAULT_WARNING_CONFIG: WarningConfig = {
  fs_bounds: [1.0, 1.1, 1.3],
  rain_ratio_bounds: [0.8, 1.0, 1.5],
  matrix: [
    [1, 1, 2, 2],
    [1, 2, 2, 3],
    [2, 2, 3, 4],
    [3, 3, 4, 4],
  ],
};

export function susceptibilityClass(fs: number, c: WarningConfig = DEFAULT_WARNING_CONFIG): Level {
  const [red, orange, yellow] = c.fs_bounds;
  return fs < red ? 4 : fs < orange ? 3 : fs < yellow ? 2 : 1;
}

export function rainClass(ratio: number, c: WarningConfig = DEFAULT_WARNING_CONFIG): Level {
  const [yellow, orange, red] = c.rain_ratio_bounds;
  return ratio >= red ? 4 : ratio >= orange ? 3 : ratio >= yellow ? 2 : 1;
}

/** The four-colour level for one point or cell; NaN FS (NODATA) gives no level. */
export function warningLevel(fs: number, rainRatio: number, c: WarningConfig = DEFAULT_WARNING_CONFIG): Level | null {
  if (Number.isNaN(fs) || Number.isNaN(rainRatio)) return null;
  return c.matrix[susceptibilityClass(fs, c) - 1][rainClass(rainRatio, c) - 1];
}

// ---- The case's "warning" block: which rain indices count, their critical values, the matrix ----


export interface WarningSpec {
  thresholds: { name: string; threshold: IdThreshold }[];
  effectiveRainfall?: { k: number; criticalMm: number };
  soilWaterIndex?: { criticalMm: number; tank: TankParams };
  config: WarningConfig;
}

const positive = (unit: string, description: string, max = 1e6) => ({ kind: 'number' as const, unit, min: 0, max, exclusiveMin: true, description });

function parseThreshold(value: unknown, path: string, problems: Problem[]): { name: string; threshold: IdThreshold } | undefined {
  if (typeof value === 'string') {
    const known = ID_THRESHOLDS[value];
    if (!known) problems.push({ path, message: 'is not a known threshold', value, expected: `one of ${Object.keys(ID_THRESHOLDS).join(', ')}, or { "a", "b", "min_h", "max_h" }` });
    return known ? { name: value, threshold: known } : undefined;
  }
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be a threshold', value, expected: `a name (${Object.keys(ID_THRESHOLDS).join(', ')}) or { "a", "b", "min_h", "max_h" }` });
    return undefined;
  }
  checkKnownKeys(value, ['name', 'a', 'b', 'min_h', 'max_h'], path, problems);
  const a = checkNumber(positive('mm/h', 'I at D = 1 h'), value.a, `${path}.a`, problems);
  const b = checkNumber({ kind: 'number', unit: '1', min: 0, max: 5, description: 'exponent' }, value.b, `${path}.b`, problems);
  const minH = checkNumber({ ...positive('h', 'shortest duration'), default: 0.1 }, value.min_h, `${path}.min_h`, problems);
  const maxH = checkNumber({ ...positive('h', 'longest duration'), default: 1000 }, value.max_h, `${path}.max_h`, problems);
  if (a === undefined || b === undefined || minH === undefined || maxH === undefined) return undefined;
  return { name: typeof value.name === 'string' ? value.name : 'user', threshold: { a, b, min_h: minH, max_h: maxH } };
}

function parseBounds(value: unknown, path: string, problems: Problem[], fallback: [number, number, number], increasing: boolean): [number, number, number] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)
    || !(increasing ? value[0] < value[1] && value[1] < value[2] : value[0] < value[1] && value[1] < value[2])) {
    problems.push({ path, message: 'must be three increasing numbers', value, expected: JSON.stringify(fallback) });
    return fallback;
  }
  return value as [number, number, number];
}

/** Parses `$.warning` (undefined when the case has none). */
export function parseWarningSpec(value: unknown, problems: Problem[]): WarningSpec | undefined {
  if (value === undefined) return undefined;
  const path = '$.warning';
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "thresholds", "effective_rainfall", "soil_water_index", "fs_bounds", "rain_ratio_bounds", "matrix" }' });
    return undefined;
  }
  checkKnownKeys(value, ['thresholds', 'effective_rainfall', 'soil_water_index', 'fs_bounds', 'rain_ratio_bounds', 'matrix'], path, problems);
  const list = value.thresholds === undefined ? ['caine_1980'] : value.thresholds;
  const thresholds = Array.isArray(list)
    ? list.map((t, i) => parseThreshold(t, childPath(`${path}.thresholds`, i), problems)).filter((t) => t !== undefined)
    : (problems.push({ path: `${path}.thresholds`, message: 'must be an array', value: list, expected: 'threshold names or { "a", "b" } objects' }), []);
  let effectiveRainfall: WarningSpec['effectiveRainfall'];
  if (value.effective_rainfall !== undefined) {
    const e = isRecord(value.effective_rainfall) ? value.effective_rainfall : {};
    const p = `${path}.effective_rainfall`;
    checkKnownKeys(e, ['k', 'critical_mm'], p, problems);
    const k = checkNumber({ kind: 'number', unit: '1', min: 0, max: 1, exclusiveMax: true, description: 'decay per period' }, e.k, `${p}.k`, problems);
    const criticalMm = checkNumber(positive('mm', 'critical effective rainfall'), e.critical_mm, `${p}.critical_mm`, problems);
    if (k !== undefined && criticalMm !== undefined) effectiveRainfall = { k, criticalMm };
  }
  let soilWaterIndex: WarningSpec['soilWaterIndex'];
  if (value.soil_water_index !== undefined) {
    const s = isRecord(value.soil_water_index) ? value.soil_water_index : {};
    const p = `${path}.soil_water_index`;
    checkKnownKeys(s, ['critical_mm', 'tank'], p, problems);
    const criticalMm = checkNumber(positive('mm', 'critical soil water index'), s.critical_mm, `${p}.critical_mm`, problems);
    const tank = { ...JMA_TANK };
    if (s.tank !== undefined) {
      const t = isRecord(s.tank) ? s.tank : {};
      checkKnownKeys(t, Object.keys(JMA_TANK), `${p}.tank`, problems);
      for (const key of Object.keys(JMA_TANK) as (keyof TankParams)[]) {
        const v = checkNumber({ kind: 'number', unit: key.startsWith('L') ? 'mm' : '1/h', min: 0, max: key.startsWith('L') ? 1e4 : 1, default: JMA_TANK[key], description: key }, t[key], `${p}.tank.${key}`, problems);
        if (v !== undefined) tank[key] = v;
      }
    }
    if (criticalMm !== undefined) soilWaterIndex = { criticalMm, tank };
  }
  const config: WarningConfig = {
    fs_bounds: parseBounds(value.fs_bounds, `${path}.fs_bounds`, problems, DEFAULT_WARNING_CONFIG.fs_bounds, true),
    rain_ratio_bounds: parseBounds(value.rain_ratio_bounds, `${path}.rain_ratio_bounds`, problems, DEFAULT_WARNING_CONFIG.rain_ratio_bounds, true),
    matrix: DEFAULT_WARNING_CONFIG.matrix,
  };
  if (value.matrix !== undefined) {
    const m = value.matrix;
    const ok = Array.isArray(m) && m.length === 4 && m.every((row) => Array.isArray(row) && row.length === 4 && row.every((l) => [1, 2, 3, 4].includes(l)));
    if (ok) config.matrix = m as Level[][];
    else problems.push({ path: `${path}.matrix`, message: 'must be 4 rows of 4 levels (1–4)', value: m, expected: 'rows: FS class 1–4, columns: rain class 1–4' });
  }
  return { thresholds, effectiveRainfall, soilWaterIndex, config };
}

export interface RainState { ratio: number; by: string }

/**
 * The rain ratio at each output time from the periods completely elapsed by then (mm/h per
 * period of `periodS` seconds): the largest of every threshold's I/I_c(D), Re/Re_c and SWI/SWI_c.
 */
export function rainRatios(spec: WarningSpec, rainMmPerH: ArrayLike<number>, periodS: number, timesS: ArrayLike<number>): RainState[] {
  const periodH = periodS / 3600;
  const depthPerPeriod = Array.from(rainMmPerH, (i) => i * periodH);
  const swi = spec.soilWaterIndex
    ? soilWaterIndex(depthPerPeriod, spec.soilWaterIndex.tank, periodH) : undefined;
  return Array.from(timesS, (t) => {
    const elapsed = Math.min(rainMmPerH.length, Math.floor(t / periodS + 1e-9));
    const soFar = Array.from(rainMmPerH).slice(0, elapsed);
    let best: RainState = { ratio: 0, by: 'none' };
    for (const { name, threshold } of spec.thresholds) {
      const ratio = idExceedance(soFar, periodH, threshold).ratio;
      if (ratio > best.ratio) best = { ratio, by: name };
    }
    if (spec.effectiveRainfall) {
      const re = effectiveRainfall(depthPerPeriod.slice(0, elapsed).reverse(), spec.effectiveRainfall.k);
      const ratio = re / spec.effectiveRainfall.criticalMm;
      if (ratio > best.ratio) best = { ratio, by: 'effective_rainfall' };
    }
    if (swi && spec.soilWaterIndex && elapsed > 0) {
      const ratio = swi[elapsed - 1] / spec.soilWaterIndex.criticalMm;
      if (ratio > best.ratio) best = { ratio, by: 'soil_water_index' };
    }
    return best;
  });
}
