// `fire behavior`: the contract's case (or an array of them) → packed arrays → kernel → output.
import { childPath, NumericalError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { FuelCatalogue, resolveFuel } from './fuel-input.ts';
import { packFuelTable, toSiFuel, type FuelModelEnglish } from './fuels.ts';
import { CASE_STRIDE, OUT_STRIDE } from '../../assembly/fire/layout.ts';
import { behaviorCaseParams, moistureParams, windLimitDescription } from './spec.ts';

export interface PackedBehavior {
  n: number;
  fuels: Float64Array;
  fuelIndex: Int32Array;
  cases: Float64Array;
  windLimit: boolean;
  /** Aspect of each case, degrees: turns the kernel's upslope-relative heading into a bearing. */
  aspectDeg: Float64Array;
  codes: string[];
}

export interface BehaviorOutput {
  fuel_model: string;
  ros_head_m_per_min: number;
  ros_backing_m_per_min: number;
  ros_flanking_m_per_min: number;
  fireline_intensity_kw_per_m: number;
  flame_length_m: number;
  length_to_width: number;
  direction_of_max_spread_deg: number;
  reaction_intensity_kw_per_m2: number;
  heat_per_area_kj_per_m2: number;
  /** Extensions beyond the contract. */
  heading_from_upslope_deg: number;
  effective_wind_m_per_s: number;
  eccentricity: number;
  residence_time_s: number;
}

const CASE_KEYS = ['fuel_model', 'moisture_percent', 'wind_limit', 'custom_fuel_models', ...Object.keys(behaviorCaseParams)];
const DEG = Math.PI / 180;

/** Degrees → radians with the 360 → 0 wrap done first, so 360 and 0 give identical bits. */
export function toRadians(deg: number): number {
  return (deg % 360) * DEG;
}

export function parseMoisture(value: unknown, path: string, problems: Problem[]): number[] | undefined {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "d1h", "d10h", "d100h", "live_herb", "live_woody" } in percent' });
    return undefined;
  }
  const before = problems.length;
  checkKnownKeys(value, Object.keys(moistureParams), path, problems);
  const m = checkParams(moistureParams, value, path, problems);
  if (problems.length > before) return undefined;
  return [m.d1h / 100, m.d10h / 100, m.d100h / 100, m.live_herb / 100, m.live_woody / 100];
}

export function parseBehaviorCases(input: unknown): PackedBehavior {
  const list = Array.isArray(input) ? input : [input];
  const isArray = Array.isArray(input);
  if (isArray && list.length === 0) throwIfAny([{ path: '$', message: 'is empty', value: input, expected: 'at least one case' }]);
  const problems: Problem[] = [];
  const models: FuelModelEnglish[] = [];
  const modelIndex = new Map<FuelModelEnglish, number>();
  const n = list.length;
  const fuelIndex = new Int32Array(n);
  const cases = new Float64Array(n * CASE_STRIDE);
  const aspectDeg = new Float64Array(n);
  const codes: string[] = [];
  let windLimit: boolean | undefined;

  list.forEach((item, i) => {
    const path = isArray ? `$[${i}]` : '$';
    const c = isArray ? (isRecord(item) ? item : undefined) : requireRecord(item, '$');
    if (!c) {
      problems.push({ path, message: 'must be an object', value: item, expected: 'a fire behaviour case' });
      return;
    }
    checkKnownKeys(c, CASE_KEYS, path, problems);
    const catalogue = FuelCatalogue.parse(c.custom_fuel_models, childPath(path, 'custom_fuel_models'), problems);
    const fuel = resolveFuel(c.fuel_model, childPath(path, 'fuel_model'), catalogue, problems);
    const moisture = parseMoisture(c.moisture_percent, childPath(path, 'moisture_percent'), problems);
    const p = checkParams(behaviorCaseParams, c, path, problems);
    if (c.wind_limit !== undefined && typeof c.wind_limit !== 'boolean') {
      problems.push({ path: childPath(path, 'wind_limit'), message: 'must be true or false', value: c.wind_limit, expected: windLimitDescription });
    } else if (c.wind_limit !== undefined) {
      if (windLimit !== undefined && windLimit !== c.wind_limit) {
        problems.push({ path: childPath(path, 'wind_limit'), message: 'differs from an earlier case', value: c.wind_limit, expected: 'one wind_limit setting for all cases of a run' });
      }
      windLimit = c.wind_limit;
    }
    if (!fuel || !moisture || problems.length) return;
    if (!modelIndex.has(fuel)) { modelIndex.set(fuel, models.length); models.push(fuel); }
    fuelIndex[i] = modelIndex.get(fuel)!;
    const at = i * CASE_STRIDE;
    cases.set(moisture, at);
    cases[at + 5] = p.midflame_wind_m_per_s;
    // The kernel wants where the wind blows TO relative to upslope: (from + 180) − (aspect + 180).
    cases[at + 6] = toRadians(p.wind_from_deg) - toRadians(p.aspect_deg);
    cases[at + 7] = p.slope_percent / 100;
    aspectDeg[i] = p.aspect_deg % 360;
    codes.push(fuel.code);
  });
  throwIfAny(problems);
  return { n, fuels: packFuelTable(models.map(toSiFuel)), fuelIndex, cases, windLimit: windLimit ?? false, aspectDeg, codes };
}

export function formatBehavior(packed: PackedBehavior, out: Float64Array, asArray: boolean): BehaviorOutput | BehaviorOutput[] {
  const results: BehaviorOutput[] = [];
  for (let i = 0; i < packed.n; i++) {
    const o = i * OUT_STRIDE;
    for (let k = 0; k < OUT_STRIDE; k++) {
      if (!Number.isFinite(out[o + k])) throw new NumericalError(`fire behaviour case ${i} produced a non-finite value (field ${k})`);
    }
    const fromUpslope = out[o + 6];
    const bearing = (fromUpslope + packed.aspectDeg[i] + 180) % 360;
    results.push({
      fuel_model: packed.codes[i],
      ros_head_m_per_min: out[o] * 60,
      ros_backing_m_per_min: out[o + 1] * 60,
      ros_flanking_m_per_min: out[o + 2] * 60,
      fireline_intensity_kw_per_m: out[o + 3],
      flame_length_m: out[o + 4],
      length_to_width: out[o + 5],
      direction_of_max_spread_deg: bearing,
      reaction_intensity_kw_per_m2: out[o + 7],
      heat_per_area_kj_per_m2: out[o + 8],
      heading_from_upslope_deg: fromUpslope,
      effective_wind_m_per_s: out[o + 10],
      eccentricity: out[o + 11],
      residence_time_s: out[o + 9],
    });
  }
  return asArray ? results : results[0];
}
