// The scenario file (schema "sandtable.scenario/1"): a region, a start time and duration, forcing,
// model settings, injects and a seed. Validated once, here, with every problem named by JSON path;
// the models see SI values in seconds since the scenario start.
import { childPath, InputError, type Problem } from '../errors.ts';
import { moistureParams, MAX_WIND_M_PER_S, windFrom } from '../fire/spec.ts';
import { discharge } from '../flood/spec.ts';
import { checkKnownKeys, checkNumber, checkNumberArray, checkParams, isCommentKey, isRecord, requireRecord, type CommandContract, type DeclaredParam, type ParamSpec } from '../params.ts';
import { parseInjects, type Inject } from './injects.ts';
import { MODEL_SETTINGS, parseModelSettings, type ModelSettings } from './model-settings.ts';
import { parseObservations, type ObservationSource } from './observations.ts';

export const SCENARIO_SCHEMA = 'sandtable.scenario/1';

export const scenarioParams = {
  duration_s: { kind: 'number', unit: 's', min: 0, exclusiveMin: true, max: 31 * 86400, description: 'Length of the scenario', label: { en: 'Scenario duration', zh: '情景时长' } },
  step_s: { kind: 'number', unit: 's', min: 60, max: 86400, default: 900, description: 'Coupling step: models exchange results every step', label: { en: 'Coupling step', zh: '耦合步长' } },
  seed: { kind: 'number', unit: '1', min: 0, max: 2 ** 32 - 1, integer: true, default: 1, description: 'Seed of every random choice in the run', label: { en: 'Random seed', zh: '随机种子' } },
} satisfies ParamSpec;

/**
 * Areal rain rate of the forcing, in the scenario only: at the largest coupling step (one day) a
 * higher rate would ask the runoff model for more than its per-step depth. A landslide case on
 * its own accepts far higher bursts (models/landslide/spec.ts); rain-field.ts checks grid cells
 * against this same declaration.
 */
export const scenarioRainRate: DeclaredParam = {
  kind: 'number', unit: 'mm/h', min: 0, max: 300, description: 'Rain intensity over the region',
  label: { en: 'Rain intensity', zh: '降雨强度' },
};
/** River inflows are the flood model's own discharges, with its range. */
const riverDischarge: DeclaredParam = { ...discharge, description: 'River discharge', label: { en: 'River discharge', zh: '河道来水流量' } };

/** Rain or inflow series steps: any length up to a day (river gauges report every few seconds). */
export const seriesPeriod: DeclaredParam = {
  kind: 'number', unit: 's', min: 1, max: 86400, description: 'Length of each period of the series',
  label: { en: 'Series period', zh: '序列时段长' },
};
/** Per-basin and gridded rain: a period shorter than a minute is not a rain product. */
export const rainPeriod: DeclaredParam = {
  kind: 'number', unit: 's', min: 60, max: 86400, description: 'Length of each rain period',
  label: { en: 'Rain period', zh: '降雨时段长' },
};
/** Scales rain (per district, over the grids, and in rain inject actions). */
export const rainFactor: DeclaredParam = {
  kind: 'number', unit: '1', min: 0, max: 10, description: 'Multiplies the rain',
  label: { en: 'Rain factor', zh: '降雨放大系数' },
};

/**
 * Scenario wind is 10 m wind; the fire coupling turns it into midflame wind (× an adjustment
 * factor ≤ 1), so the ceiling is the fire model's own and the direction its own declaration.
 */
export const windParams = {
  t_s: { kind: 'number', unit: 's', min: 0, max: scenarioParams.duration_s.max, description: 'From this time on', label: { en: 'From time', zh: '起始时刻' } },
  speed_10m_m_per_s: { kind: 'number', unit: 'm/s', min: 0, max: MAX_WIND_M_PER_S, description: 'Wind speed 10 m above ground', label: { en: '10 m wind speed', zh: '10米高度风速' } },
  from_deg: windFrom,
} satisfies ParamSpec;

/** The fire model's fuel moisture, with its ranges: the scenario feeds it unchanged. */
export { moistureParams };

/**
 * The what-if changes offered on top of a scenario (models/scenario/whatif.ts): the ranges the
 * what-if panel's sliders show, declared here so the panel reads them instead of literals. A
 * change that pushes a forcing out of its own range (wind × 2 beyond MAX_WIND_M_PER_S) is refused
 * by parseScenario with the forcing's JSON path, like any scenario.
 */
export const whatIfParams = {
  rain_factor: { kind: 'number', unit: '1', min: 0.5, max: 2.5, step: 0.1, default: 1, description: 'Multiplies every rain value of the scenario', label: { en: 'Rain factor', zh: '雨量倍数' } },
  wind_shift_deg: { kind: 'number', unit: '°', min: -90, max: 90, step: 15, default: 0, description: 'Added to where the wind blows from (clockwise)', label: { en: 'Wind shift', zh: '风向偏转' } },
  wind_factor: { kind: 'number', unit: '1', min: 0.5, max: 2, step: 0.1, default: 1, description: 'Multiplies the wind speed', label: { en: 'Wind factor', zh: '风速倍数' } },
} satisfies ParamSpec;

/** The scenario file's numeric fields, for `sandtable run --help` and the docs. */
export const scenarioContract: CommandContract = {
  inputs: [
    { at: '$', params: scenarioParams },
    { at: '$.forcing.rain', params: { period_s: rainPeriod, mm_per_h: scenarioRainRate, factor: rainFactor } },
    { at: '$.forcing.rain.district_factors', params: { '<district>': rainFactor } },
    { at: '$.forcing.river_inflows[]', params: { period_s: seriesPeriod, m3_per_s: riverDischarge } },
    { at: '$.forcing.wind[]', params: windParams },
    { at: '$.forcing.fuel_moisture_percent', params: moistureParams },
    { at: '$.models.flood', params: { manning_n: MODEL_SETTINGS.flood.manning_n } },
  ],
  outputs: {},
};

export interface Series { periodS: number; values: Float64Array }

export interface Scenario {
  id: string;
  title: string;
  titleZh: string;
  /** The briefing (`description`, `description_zh`): empty when the file gives none. */
  description: string;
  descriptionZh: string;
  /** Region manifest, as written in the file (relative to the scenario's folder). */
  region: string;
  startTime: string;
  startEpochMs: number;
  durationS: number;
  stepS: number;
  seed: number;
  exercise: boolean;
  /** Exactly one of series (areal, with district factors), basins or grids. */
  rain: {
    series?: Series;
    districtFactors: Record<string, number>;
    basins?: { periodS: number; byBasin: Record<string, Float64Array> };
    grids?: { periodS: number; files: string[]; factor: number };
  };
  riverInflows: { river: string; series: Series }[];
  wind: { tS: number; speed10mMPerS: number; fromDeg: number }[];
  fuelMoisturePercent: Record<keyof typeof moistureParams, number>;
  /** The `models` block, every setting filled in (models/scenario/model-settings.ts). */
  models: ModelSettings;
  injects: Inject[];
  /** Gauge observations to score the forecast against (models/scenario/observations.ts). */
  observations: ObservationSource[];
}

const TOP_KEYS = ['schema', 'id', 'title', 'title_zh', 'description', 'description_zh', 'region', 'start_time', 'duration_s', 'step_s', 'seed', 'exercise', 'forcing', 'models', 'injects', 'observations', 'ensemble'];
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time whose fields name a real instant: Date.parse rolls 2026-02-30 over to March 2 and reads
 * 24:00, so each field must come back unchanged from the date it builds.
 */
function isCalendarTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second = 0, offsetH = 0, offsetM = 0] = m.slice(1).map((f) => (f === undefined ? undefined : Number(f))) as number[];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
    && offsetH <= 14 && offsetM <= 59;
}

/** An ISO 8601 time with a UTC offset that names a real instant (the start time's rule, for other times a file carries). */
export const isIsoInstant = (text: unknown): text is string => typeof text === 'string' && ISO_WITH_OFFSET.test(text) && isCalendarTime(text);

/** A time in the scenario: seconds from its start, in [0, durationS] (an inject's, a what-if's, a decision's). */
export const isScenarioTime = (t: unknown, durationS: number): t is number => typeof t === 'number' && Number.isFinite(t) && t >= 0 && t <= durationS;

function requireText(record: Record<string, unknown>, key: string, path: string, problems: Problem[], expected: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ path: childPath(path, key), message: value === undefined ? 'is required' : 'must be a non-empty string', value, expected });
    return '';
  }
  return value;
}

function parseSeries(value: unknown, path: string, unitKey: string, spec: DeclaredParam, durationS: number, problems: Problem[], otherKeys: readonly string[]): Series | undefined {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: `{ "period_s": …, "${unitKey}": [...] }` });
    return undefined;
  }
  checkKnownKeys(value, ['period_s', unitKey, ...otherKeys], path, problems);
  const periodS = checkNumber(seriesPeriod, value.period_s, `${path}.period_s`, problems);
  const values = checkNumberArray(value[unitKey], `${path}.${unitKey}`, problems, spec);
  if (periodS === undefined || !values) return undefined;
  const needed = Math.ceil(durationS / periodS);
  if (values.length < needed) {
    problems.push({ path: `${path}.${unitKey}`, message: `covers ${values.length * periodS} s of a ${durationS} s scenario`, value: values, expected: `at least ${needed} values of ${periodS} s` });
    return undefined;
  }
  return { periodS, values };
}

/** "basins": { "R001": [mm/h, …], … } with one period for all. */
function parseBasinRain(rain: Record<string, unknown>, durationS: number, problems: Problem[]): NonNullable<Scenario['rain']['basins']> | undefined {
  checkKnownKeys(rain, ['period_s', 'basins'], '$.forcing.rain', problems);
  const periodS = checkNumber(rainPeriod, rain.period_s, '$.forcing.rain.period_s', problems);
  if (!isRecord(rain.basins) || Object.keys(rain.basins).length === 0) {
    problems.push({ path: '$.forcing.rain.basins', message: 'must map sub-basins to rain series', value: rain.basins, expected: '{ "R001": [mm/h per period, …], … } (reach ids of region.json)' });
    return undefined;
  }
  const byBasin: Record<string, Float64Array> = {};
  for (const [id, series] of Object.entries(rain.basins).filter(([key]) => !isCommentKey(key))) {
    const path = childPath('$.forcing.rain.basins', id);
    const values = checkNumberArray(series, path, problems, scenarioRainRate);
    if (!values || periodS === undefined) continue;
    const needed = Math.ceil(durationS / periodS);
    if (values.length < needed) problems.push({ path, message: `covers ${values.length * periodS} s of a ${durationS} s scenario`, value: values, expected: `at least ${needed} values of ${periodS} s` });
    else byBasin[id] = values;
  }
  return periodS === undefined ? undefined : { periodS, byBasin };
}

/** "grids": ["rain/h00.asc", …]: one rain-rate grid (mm/h) per period, files beside the scenario. */
function parseRainGrids(rain: Record<string, unknown>, durationS: number, problems: Problem[]): NonNullable<Scenario['rain']['grids']> | undefined {
  checkKnownKeys(rain, ['period_s', 'grids', 'factor'], '$.forcing.rain', problems);
  const periodS = checkNumber(rainPeriod, rain.period_s, '$.forcing.rain.period_s', problems);
  const factor = rain.factor === undefined ? 1 : checkNumber(rainFactor, rain.factor, '$.forcing.rain.factor', problems);
  const files = rain.grids;
  if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f !== 'string' || !/\.(asc|txt|tiff?)$/i.test(f))) {
    const k = Array.isArray(files) ? files.findIndex((f) => typeof f !== 'string' || !/\.(asc|txt|tiff?)$/i.test(f)) : -1;
    problems.push({ path: k >= 0 ? `$.forcing.rain.grids[${k}]` : '$.forcing.rain.grids', message: 'must name grid files', value: k >= 0 ? (files as unknown[])[k] : files, expected: 'ESRI ASCII (.asc) or GeoTIFF (.tif) files of rain rate in mm/h, one per period' });
    return undefined;
  }
  if (periodS !== undefined && files.length * periodS < durationS) {
    problems.push({ path: '$.forcing.rain.grids', message: `covers ${files.length * periodS} s of a ${durationS} s scenario`, value: files.length, expected: `at least ${Math.ceil(durationS / periodS)} grids of ${periodS} s` });
  }
  return periodS === undefined || factor === undefined ? undefined : { periodS, files: files as string[], factor };
}

export function parseScenario(input: unknown): Scenario {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, TOP_KEYS, '$', problems);
  if (root.schema !== SCENARIO_SCHEMA) {
    problems.push({ path: '$.schema', message: 'is not a scenario schema this engine reads', value: root.schema, expected: `"${SCENARIO_SCHEMA}"` });
    throw new InputError(problems);
  }
  const id = requireText(root, 'id', '$', problems, 'a scenario id');
  const title = requireText(root, 'title', '$', problems, 'a title');
  const region = requireText(root, 'region', '$', problems, 'the region manifest file, e.g. "region/region.json"');
  const startTime = requireText(root, 'start_time', '$', problems, 'an ISO 8601 time with offset, e.g. "2026-07-14T20:00:00+08:00"');
  const startEpochMs = Date.parse(startTime);
  if (startTime && (!ISO_WITH_OFFSET.test(startTime) || Number.isNaN(startEpochMs))) {
    problems.push({ path: '$.start_time', message: 'is not an ISO 8601 time with a UTC offset', value: startTime, expected: 'e.g. "2026-07-14T20:00:00+08:00"' });
  } else if (startTime && !isCalendarTime(startTime)) {
    problems.push({ path: '$.start_time', message: 'is not a date and time of the calendar', value: startTime, expected: 'a day that exists in its month, hours 00–23, minutes and seconds 00–59, an offset up to ±14:59' });
  }
  for (const key of ['title_zh', 'description', 'description_zh']) {
    if (root[key] !== undefined && typeof root[key] !== 'string') problems.push({ path: `$.${key}`, message: 'must be a string', value: root[key], expected: 'text' });
  }
  const p = checkParams(scenarioParams, root, '$', problems);
  if (p.duration_s !== undefined && p.step_s !== undefined && p.duration_s % p.step_s !== 0) {
    problems.push({ path: '$.step_s', message: 'does not divide the duration', value: p.step_s, expected: `a divisor of duration_s = ${p.duration_s}` });
  }
  if (root.exercise !== undefined && typeof root.exercise !== 'boolean') {
    problems.push({ path: '$.exercise', message: 'must be true or false', value: root.exercise, expected: 'true for a drill (marks every output EXERCISE)' });
  }
  const durationS = p.duration_s ?? 0;

  const forcing = isRecord(root.forcing) ? root.forcing : {};
  if (!isRecord(root.forcing)) problems.push({ path: '$.forcing', message: 'is required', value: root.forcing, expected: '{ "rain": …, "river_inflows": …, "wind": …, "fuel_moisture_percent": … }' });
  checkKnownKeys(forcing, ['rain', 'river_inflows', 'wind', 'fuel_moisture_percent'], '$.forcing', problems);
  const rainForms = isRecord(forcing.rain) ? ['mm_per_h', 'basins', 'grids'].filter((k) => (forcing.rain as Record<string, unknown>)[k] !== undefined) : [];
  if (isRecord(forcing.rain) && rainForms.length !== 1) {
    problems.push({ path: '$.forcing.rain', message: rainForms.length ? `gives rain in ${rainForms.length} forms (${rainForms.join(', ')})` : 'gives no rain', value: rainForms, expected: 'exactly one of "mm_per_h" (areal series), "basins" (a series per sub-basin) or "grids" (a grid file per period)' });
  }
  const rainForm = rainForms.length === 1 ? rainForms[0] : 'mm_per_h';
  const rainSeries = rainForm === 'mm_per_h' ? parseSeries(forcing.rain, '$.forcing.rain', 'mm_per_h', scenarioRainRate, durationS, problems, ['district_factors']) : undefined;
  const rainBasins = rainForm === 'basins' ? parseBasinRain(forcing.rain as Record<string, unknown>, durationS, problems) : undefined;
  const rainGrids = rainForm === 'grids' ? parseRainGrids(forcing.rain as Record<string, unknown>, durationS, problems) : undefined;
  const districtFactors: Record<string, number> = {};
  const rawFactors = isRecord(forcing.rain) ? forcing.rain.district_factors : undefined;
  if (rawFactors !== undefined) {
    if (!isRecord(rawFactors)) problems.push({ path: '$.forcing.rain.district_factors', message: 'must map district ids to factors', value: rawFactors, expected: '{ "yuzhong": 1.2, … }' });
    else for (const [district, factor] of Object.entries(rawFactors).filter(([key]) => !isCommentKey(key))) {
      const f = checkNumber(rainFactor, factor, childPath('$.forcing.rain.district_factors', district), problems);
      if (f !== undefined) districtFactors[district] = f;
    }
  }
  const riverInflows: Scenario['riverInflows'] = [];
  if (forcing.river_inflows !== undefined) {
    if (!Array.isArray(forcing.river_inflows)) problems.push({ path: '$.forcing.river_inflows', message: 'must be an array', value: forcing.river_inflows, expected: '[{ "river": …, "period_s": …, "m3_per_s": [...] }]' });
    else forcing.river_inflows.forEach((entry, k) => {
      const path = `$.forcing.river_inflows[${k}]`;
      const river = isRecord(entry) ? requireText(entry, 'river', path, problems, 'a river id of the region') : '';
      const series = parseSeries(entry, path, 'm3_per_s', riverDischarge, durationS, problems, ['river']);
      if (series) riverInflows.push({ river, series });
    });
  }
  const wind: Scenario['wind'] = [];
  if (!Array.isArray(forcing.wind) || forcing.wind.length === 0) {
    problems.push({ path: '$.forcing.wind', message: 'must be a non-empty array', value: forcing.wind, expected: '[{ "t_s": 0, "speed_10m_m_per_s": …, "from_deg": … }, …]' });
  } else forcing.wind.forEach((entry, k) => {
    const path = `$.forcing.wind[${k}]`;
    if (!isRecord(entry)) { problems.push({ path, message: 'must be an object', value: entry, expected: 'a wind entry' }); return; }
    checkKnownKeys(entry, Object.keys(windParams), path, problems);
    const w = checkParams(windParams, entry, path, problems);
    if (wind.length && w.t_s !== undefined && w.t_s <= wind[wind.length - 1].tS) {
      problems.push({ path: `${path}.t_s`, message: 'is not after the previous entry', value: w.t_s, expected: `a time > ${wind[wind.length - 1].tS} s` });
    }
    wind.push({ tS: w.t_s, speed10mMPerS: w.speed_10m_m_per_s, fromDeg: w.from_deg });
  });
  if (wind.length && wind[0].tS !== 0) problems.push({ path: '$.forcing.wind[0].t_s', message: 'must start the series', value: wind[0].tS, expected: '0' });
  const moistureRecord = isRecord(forcing.fuel_moisture_percent) ? forcing.fuel_moisture_percent : {};
  if (!isRecord(forcing.fuel_moisture_percent)) problems.push({ path: '$.forcing.fuel_moisture_percent', message: 'is required', value: forcing.fuel_moisture_percent, expected: '{ "d1h", "d10h", "d100h", "live_herb", "live_woody" }' });
  else checkKnownKeys(moistureRecord, Object.keys(moistureParams), '$.forcing.fuel_moisture_percent', problems);
  const fuelMoisturePercent = checkParams(moistureParams, moistureRecord, '$.forcing.fuel_moisture_percent', problems);

  const models = parseModelSettings(root.models, '$.models', problems);
  let injects: Inject[] = [];
  try {
    injects = parseInjects(root.injects, '$.injects', durationS);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
  }
  let observations: ObservationSource[] = [];
  try {
    observations = parseObservations(root.observations, '$.observations', { startEpochMs, durationS });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length) throw new InputError(problems);
  return {
    id, title, titleZh: typeof root.title_zh === 'string' ? root.title_zh : title,
    description: typeof root.description === 'string' ? root.description : '',
    descriptionZh: typeof root.description_zh === 'string' ? root.description_zh : typeof root.description === 'string' ? root.description : '',
    region, startTime, startEpochMs,
    durationS, stepS: p.step_s, seed: p.seed, exercise: root.exercise !== false,
    rain: { ...(rainSeries ? { series: rainSeries } : {}), districtFactors, ...(rainBasins ? { basins: rainBasins } : {}), ...(rainGrids ? { grids: rainGrids } : {}) }, riverInflows, wind, fuelMoisturePercent, models, injects, observations,
  };
}

/** Scenario seconds as an ISO 8601 time in the scenario's own UTC offset. */
export function isoAt(scenario: Pick<Scenario, 'startTime' | 'startEpochMs'>, tS: number): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(scenario.startTime)?.[1] ?? 'Z';
  const offsetMinutes = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(scenario.startEpochMs + tS * 1000 + offsetMinutes * 60000).toISOString().slice(0, 19);
  return `${local}${offset === 'Z' ? 'Z' : offset}`;
}
