// What-if: a copy of a scenario with one change an analyst asks for, and the side-by-side
// comparison of the two runs' key outcomes. The original is never modified.
import type { ModelWarning } from './model-warnings.ts';
import { parseRecordedWarnings, recordedWarnings } from './model-warnings-record.ts';
import { childPath, unknownFields, type Problem } from '../errors.ts';
import { MAX_RECORD_CURVE_VALUES, MAX_RECORD_WHATIFS, MAX_WHATIF_GAUGE_ROWS, MAX_WHATIF_ROWS, MAX_WHATIF_TEXT } from '../limits.ts';
import { curveValues, parseCurves, parseCurvesOmitted, type CurvesOmitted, type WhatIfCurves } from './whatif-curves.ts';
import { isRecord } from '../params.ts';
import type { runSummary } from './outputs.ts';
import { isScenarioTime, whatIfParams, type Scenario } from './schema.ts';

export interface WhatIfChange {
  /** Multiplies the areal rain at every hour. */
  rainFactor?: number;
  /** Turns the wind: degrees added to where it blows from (clockwise). */
  windShiftDeg?: number;
  /** Multiplies the wind speed. */
  windFactor?: number;
  /** A fire break cut at t = 0 along this line, map metres. */
  fireBreak?: [number, number][];
}

type Json = Record<string, unknown>;

export function describeChange(change: WhatIfChange): string {
  const parts: string[] = [];
  if (change.rainFactor !== undefined && change.rainFactor !== 1) parts.push(`rain ×${change.rainFactor}`);
  if (change.windShiftDeg) parts.push(`wind ${change.windShiftDeg > 0 ? '+' : ''}${change.windShiftDeg}°`);
  if (change.windFactor !== undefined && change.windFactor !== 1) parts.push(`wind ×${change.windFactor}`);
  if (change.fireBreak) parts.push('fire break');
  return parts.join(', ') || 'no change';
}

export function applyWhatIf(scenario: unknown, change: WhatIfChange): Json {
  const copy = structuredClone(scenario) as Json;
  copy.id = `${copy.id as string}-whatif`;
  copy.title = `${copy.title as string} (what-if: ${describeChange(change)})`;
  copy.title_zh = `${(copy.title_zh ?? copy.title) as string}（推演假设：${describeChange(change)}）`;
  const forcing = copy.forcing as Json;
  if (change.rainFactor !== undefined) {
    const rain = forcing.rain as Json;
    const scale = (series: number[]) => series.map((r) => r * change.rainFactor!);
    if (Array.isArray(rain.mm_per_h)) rain.mm_per_h = scale(rain.mm_per_h as number[]);
    else if (rain.basins && typeof rain.basins === 'object') rain.basins = Object.fromEntries(Object.entries(rain.basins as Record<string, number[]>).map(([id, s]) => [id, scale(s)]));
    else rain.factor = ((rain.factor as number | undefined) ?? 1) * change.rainFactor; // grids: one factor over every grid
  }
  if (change.windShiftDeg !== undefined || change.windFactor !== undefined) {
    forcing.wind = (forcing.wind as Json[]).map((w) => ({
      ...w,
      from_deg: (((w.from_deg as number) + (change.windShiftDeg ?? 0)) % 360 + 360) % 360,
      speed_10m_m_per_s: (w.speed_10m_m_per_s as number) * (change.windFactor ?? 1),
    }));
  }
  if (change.fireBreak) {
    const injects = (copy.injects as Json[] | undefined) ?? [];
    copy.injects = [...injects, {
      id: 'WHATIF-BREAK', sequence: injects.length + 1, trigger: { type: 'time', t_s: 0 }, kind: 'model-change',
      title: 'What-if: fire break cut before the fire', action: { type: 'barrier', polyline_m: change.fireBreak },
    }];
  }
  return copy;
}

type Summary = ReturnType<typeof runSummary>;

/** What a comparison row measures: the app names it in the UI's language (web/i18n.ts, `whatif_<metric>`). */
export const COMPARISON_METRICS = ['gauge_peak', 'flooded_area', 'people_flooded', 'slopes_fs_below_1', 'items_red', 'warnings_issued', 'people_red_peak', 'burned_area', 'people_burned'] as const;
export type ComparisonMetric = (typeof COMPARISON_METRICS)[number];
/** Each metric's unit, as compareSummaries writes it. */
const METRIC_UNITS: Record<ComparisonMetric, string> = {
  gauge_peak: 'm³/s', flooded_area: 'km²', people_flooded: '', slopes_fs_below_1: '', items_red: '', warnings_issued: '', people_red_peak: '', burned_area: 'km²', people_burned: '',
};

/** `key` is the row's stable English name (records keep it); `metric` and `gauge` let the app label it. */
export interface ComparisonRow { key: string; metric: ComparisonMetric; gauge?: string; base: number | null; variant: number | null; unit: string }

/** The outcomes an analyst compares, base beside variant. */
export function compareSummaries(base: Summary, variant: Summary): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const g of base.gauges) {
    const v = variant.gauges.find((x) => x.id === g.id);
    rows.push({ key: `${g.id} peak`, metric: 'gauge_peak', gauge: g.id, base: g.peak_m3_per_s, variant: v?.peak_m3_per_s ?? null, unit: 'm³/s' });
  }
  // The flood's reach on land (cells deeper than FLOODED_DEPTH_M, models/scenario/inundation.ts).
  if (base.inundation || variant.inundation) {
    rows.push({ key: 'flooded area', metric: 'flooded_area', base: base.inundation?.flooded_area_km2 ?? 0, variant: variant.inundation?.flooded_area_km2 ?? 0, unit: 'km²' });
    rows.push({ key: 'people in flooded cells', metric: 'people_flooded', base: base.inundation?.people_in_flooded_cells ?? 0, variant: variant.inundation?.people_in_flooded_cells ?? 0, unit: '' });
  }
  rows.push({ key: 'slopes with FS < 1', metric: 'slopes_fs_below_1', base: base.slopes.fs_below_1, variant: variant.slopes.fs_below_1, unit: '' });
  rows.push({ key: 'items reaching red', metric: 'items_red', base: base.risk_list.reached_by_level[4] ?? 0, variant: variant.risk_list.reached_by_level[4] ?? 0, unit: '' });
  rows.push({ key: 'warnings issued', metric: 'warnings_issued', base: base.warnings.issued, variant: variant.warnings.issued, unit: '' });
  rows.push({ key: 'people under red warning (peak)', metric: 'people_red_peak', base: base.people_under_warning_peak[4], variant: variant.people_under_warning_peak[4], unit: '' });
  if (base.fire || variant.fire) {
    rows.push({ key: 'burned area', metric: 'burned_area', base: base.fire?.burned_area_km2 ?? 0, variant: variant.fire?.burned_area_km2 ?? 0, unit: 'km²' });
    rows.push({ key: 'people in burned cells', metric: 'people_burned', base: base.fire?.people_in_burned_cells ?? 0, variant: variant.fire?.people_in_burned_cells ?? 0, unit: '' });
  }
  return rows;
}

/** A what-if lever the trainer can move: the scenario's what-if parameters, and the fire break. */
export type WhatIfLever = 'rain_factor' | 'wind_shift_deg' | 'wind_factor' | 'fire_break';

/**
 * The levers that can change this scenario's outcome. Rain drives the flood and the slopes, so it
 * matters when the scenario has rain (scaling a dry day changes nothing). Wind acts only on the
 * fire spread (models/scenario/fire-coupling.ts is its one reader), and a fire break only on a
 * fire: both only when the run burns.
 */
export function whatIfLevers(scenario: Pick<Scenario, 'rain'>, burns: boolean): WhatIfLever[] {
  const rain = scenario.rain;
  const rainy = rain.grids !== undefined
    || (rain.series?.values.some((v) => v > 0) ?? false)
    || Object.values(rain.basins?.byBasin ?? {}).some((s) => s.some((v) => v > 0));
  return [...(rainy ? ['rain_factor' as const] : []), ...(burns ? ['wind_shift_deg' as const, 'wind_factor' as const, 'fire_break' as const] : [])];
}

/**
 * Keeps only the levers that matter and were moved: a wind change asked of a storm without fire, or
 * a factor left at 1, is not a setting used (the record and the panel list what changed).
 */
export function effectiveChange(change: WhatIfChange, levers: readonly WhatIfLever[]): WhatIfChange {
  return {
    ...(levers.includes('rain_factor') && change.rainFactor !== undefined && change.rainFactor !== 1 ? { rainFactor: change.rainFactor } : {}),
    ...(levers.includes('wind_shift_deg') && change.windShiftDeg ? { windShiftDeg: change.windShiftDeg } : {}),
    ...(levers.includes('wind_factor') && change.windFactor !== undefined && change.windFactor !== 1 ? { windFactor: change.windFactor } : {}),
    ...(levers.includes('fire_break') && change.fireBreak ? { fireBreak: change.fireBreak } : {}),
  };
}

/** A what-if as the after-action record keeps it: when it was run, with what, and what came out. */
export interface WhatIfRecord {
  t_s: number;
  settings: { rain_factor?: number; wind_shift_deg?: number; wind_factor?: number; fire_break?: boolean };
  described: string;
  results_sha256: string;
  outcomes: ComparisonRow[];
  /** Gauges past the first MAX_WHATIF_GAUGE_ROWS whose peak rows the record leaves out (a region of many gauges). */
  gauge_rows_left_out?: number;
  /** The compared curves, base beside variant (bounded, models/scenario/whatif-curves.ts); absent in older records. */
  curves?: WhatIfCurves;
  /** Curves the comparison had that the record does not keep, and why (the panel and the report say so). */
  curves_omitted?: CurvesOmitted;
  /** The variant run's own model warnings (models/scenario/model-warnings-record.ts); absent in older records and when it had none. */
  model_warnings?: ModelWarning[];
  model_warnings_left_out?: number;
}

export function whatIfRecord(tS: number, change: WhatIfChange, rows: readonly ComparisonRow[], resultsSha256: string, curves?: WhatIfCurves, omitted?: CurvesOmitted, modelWarnings?: readonly ModelWarning[]): WhatIfRecord {
  return {
    t_s: tS,
    settings: {
      ...(change.rainFactor !== undefined ? { rain_factor: change.rainFactor } : {}),
      ...(change.windShiftDeg !== undefined ? { wind_shift_deg: change.windShiftDeg } : {}),
      ...(change.windFactor !== undefined ? { wind_factor: change.windFactor } : {}),
      ...(change.fireBreak ? { fire_break: true } : {}),
    },
    described: describeChange(change),
    results_sha256: resultsSha256,
    ...recordedRows(rows),
    ...(curves ? { curves } : {}),
    ...(omitted ? { curves_omitted: { ...omitted } } : {}),
    ...recordedWarnings(modelWarnings),
  };
}

/**
 * The rows a record keeps: every row but gauges' peaks past the first MAX_WHATIF_GAUGE_ROWS (the
 * base's order, as the curves keep theirs), and how many of those were left out.
 */
function recordedRows(rows: readonly ComparisonRow[]): Pick<WhatIfRecord, 'outcomes' | 'gauge_rows_left_out'> {
  let gauges = 0;
  const outcomes = rows.filter((r) => r.metric !== 'gauge_peak' || ++gauges <= MAX_WHATIF_GAUGE_ROWS).map((r) => ({ ...r }));
  return { outcomes, ...(gauges > MAX_WHATIF_GAUGE_ROWS ? { gauge_rows_left_out: gauges - MAX_WHATIF_GAUGE_ROWS } : {}) };
}

/**
 * The change a record's settings stand for, so a what-if can be run again exactly as it was:
 * `breakLine` is the fire break's line (the record keeps only that one was cut).
 */
export function changeOf(settings: WhatIfRecord['settings'], breakLine: [number, number][] | undefined): WhatIfChange {
  return {
    ...(settings.rain_factor !== undefined ? { rainFactor: settings.rain_factor } : {}),
    ...(settings.wind_shift_deg !== undefined ? { windShiftDeg: settings.wind_shift_deg } : {}),
    ...(settings.wind_factor !== undefined ? { windFactor: settings.wind_factor } : {}),
    ...(settings.fire_break && breakLine ? { fireBreak: breakLine } : {}),
  };
}

const RECORD_FIELDS = ['t_s', 'settings', 'described', 'results_sha256', 'outcomes', 'gauge_rows_left_out', 'curves', 'curves_omitted', 'model_warnings', 'model_warnings_left_out'];
const ROW_FIELDS = ['key', 'metric', 'gauge', 'base', 'variant', 'unit'];

/**
 * The what-ifs of an imported after-action record (`path`, e.g. `$.whatifs`), every field checked
 * and each record rebuilt in the form whatIfRecord writes: the drill's list takes them back as its
 * own, so nothing a hand or another program added rides along. Problems name their JSON path.
 */
export function parseWhatIfRecords(value: unknown, path: string, durationS: number): { records: WhatIfRecord[]; problems: Problem[]; kept: number[] } {
  const problems: Problem[] = [];
  const records: WhatIfRecord[] = [];
  /** Where each record kept stood in `value`: a saved session's comparison names its what-if by index. */
  const kept: number[] = [];
  let curveValuesKept = 0;
  if (value === undefined) return { records, problems, kept };
  if (!Array.isArray(value) || value.length > MAX_RECORD_WHATIFS) {
    problems.push({ path, message: Array.isArray(value) ? 'has too many what-ifs' : 'must be an array', value: Array.isArray(value) ? `${value.length} what-ifs` : value, expected: `the what-ifs run, at most ${MAX_RECORD_WHATIFS}` });
    return { records, problems, kept };
  }
  value.forEach((raw: unknown, k) => {
    const at = childPath(path, k);
    const before = problems.length;
    if (!isRecord(raw)) { problems.push({ path: at, message: 'is not a what-if', value: raw, expected: '{ "t_s", "settings", "described", "results_sha256", "outcomes" }' }); return; }
    unknownFields(raw, RECORD_FIELDS, at, problems);
    if (!isScenarioTime(raw.t_s, durationS)) {
      problems.push({ path: `${at}.t_s`, message: 'is not a time in the scenario', value: raw.t_s, expected: `seconds in [0, ${durationS}]` });
    }
    const settings = parseSettings(raw.settings, `${at}.settings`, problems);
    if (!isText(raw.described)) problems.push({ path: `${at}.described`, message: 'must be a short text', value: raw.described, expected: `the settings in words, at most ${MAX_WHATIF_TEXT} characters` });
    if (!(typeof raw.results_sha256 === 'string' && /^[0-9a-f]{64}$/.test(raw.results_sha256))) {
      problems.push({ path: `${at}.results_sha256`, message: 'is not a results hash', value: raw.results_sha256, expected: '64 lowercase hexadecimal digits (SHA-256)' });
    }
    const outcomes = parseRows(raw.outcomes, `${at}.outcomes`, problems);
    const rowsLeftOut = raw.gauge_rows_left_out;
    if (rowsLeftOut !== undefined && !(Number.isSafeInteger(rowsLeftOut) && (rowsLeftOut as number) >= 1)) {
      problems.push({ path: `${at}.gauge_rows_left_out`, message: 'must count the gauges whose peaks are left out', value: rowsLeftOut, expected: 'a whole number ≥ 1, or no field' });
    }
    const curves = raw.curves === undefined ? undefined : parseCurves(raw.curves, `${at}.curves`, durationS, problems);
    const omitted = raw.curves_omitted === undefined ? undefined : parseCurvesOmitted(raw.curves_omitted, `${at}.curves_omitted`, problems);
    const warnings = parseRecordedWarnings(raw, at, problems);
    // One budget over the whole list, so no number of what-ifs makes the record unbounded.
    const values = curves ? curveValues([{ curves }]) : 0;
    if (curves && curveValuesKept + values > MAX_RECORD_CURVE_VALUES) {
      problems.push({ path: `${at}.curves`, message: 'goes past the curve budget of the record', value: `${curveValuesKept + values} numbers`, expected: `at most ${MAX_RECORD_CURVE_VALUES} over all what-ifs` });
    }
    if (problems.length === before) {
      records.push({ t_s: raw.t_s as number, settings, described: raw.described as string, results_sha256: raw.results_sha256 as string, outcomes, ...(rowsLeftOut !== undefined ? { gauge_rows_left_out: rowsLeftOut as number } : {}), ...(curves ? { curves } : {}), ...(omitted ? { curves_omitted: omitted } : {}), ...warnings });
      kept.push(k);
      curveValuesKept += values;
    }
  });
  return { records, problems, kept };
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_WHATIF_TEXT;

/** The levers a what-if moved: each within the range the panel's slider offers (whatIfParams). */
function parseSettings(raw: unknown, at: string, problems: Problem[]): WhatIfRecord['settings'] {
  if (!isRecord(raw)) { problems.push({ path: at, message: 'must be an object', value: raw, expected: '{ "rain_factor", "wind_shift_deg", "wind_factor", "fire_break" }, the levers moved' }); return {}; }
  const levers = Object.keys(whatIfParams) as (keyof typeof whatIfParams)[];
  unknownFields(raw, [...levers, 'fire_break'], at, problems);
  const settings: WhatIfRecord['settings'] = {};
  for (const lever of levers) {
    const v = raw[lever];
    if (v === undefined) continue;
    const { min, max } = whatIfParams[lever];
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) settings[lever] = v;
    else problems.push({ path: childPath(at, lever), message: 'is not a setting the what-if offers', value: v, expected: `a number in [${min}, ${max}]` });
  }
  if (raw.fire_break === true) settings.fire_break = true;
  else if (raw.fire_break !== undefined) problems.push({ path: `${at}.fire_break`, message: 'must be true when a fire break was cut', value: raw.fire_break, expected: 'true, or no field' });
  return settings;
}

/** A what-if's outcome rows: a known metric with its own unit, base and variant numbers (or null). */
function parseRows(raw: unknown, at: string, problems: Problem[]): ComparisonRow[] {
  const gaugeRows = Array.isArray(raw) ? raw.filter((r) => isRecord(r) && r.metric === 'gauge_peak').length : 0;
  if (!Array.isArray(raw) || raw.length > MAX_WHATIF_ROWS || gaugeRows > MAX_WHATIF_GAUGE_ROWS) {
    problems.push({ path: at, message: 'must be a list of outcome rows', value: Array.isArray(raw) ? `${raw.length} rows, ${gaugeRows} gauges' peaks` : raw, expected: `at most ${MAX_WHATIF_ROWS} rows { "key", "metric", "base", "variant", "unit" }, ${MAX_WHATIF_GAUGE_ROWS} of them gauges' peaks` });
    return [];
  }
  const rows: ComparisonRow[] = [];
  raw.forEach((r: unknown, j) => {
    const rowAt = childPath(at, j);
    if (!isRecord(r)) { problems.push({ path: rowAt, message: 'is not an outcome row', value: r, expected: '{ "key", "metric", "base", "variant", "unit" }' }); return; }
    const before = problems.length;
    unknownFields(r, ROW_FIELDS, rowAt, problems);
    if (!(isText(r.key) && r.key !== '')) problems.push({ path: `${rowAt}.key`, message: 'must be a short text', value: r.key, expected: `the row's English name, at most ${MAX_WHATIF_TEXT} characters` });
    const metric = COMPARISON_METRICS.find((m) => m === r.metric);
    if (!metric) problems.push({ path: `${rowAt}.metric`, message: 'is not a compared outcome', value: r.metric, expected: `one of ${COMPARISON_METRICS.join(', ')}` });
    else if (r.unit !== METRIC_UNITS[metric]) problems.push({ path: `${rowAt}.unit`, message: 'is not the unit of its metric', value: r.unit, expected: `"${METRIC_UNITS[metric]}" for ${metric}` });
    if (metric === 'gauge_peak' ? !(isText(r.gauge) && r.gauge !== '') : r.gauge !== undefined) {
      problems.push({ path: `${rowAt}.gauge`, message: metric === 'gauge_peak' ? 'must name the gauge' : 'belongs only to a gauge\'s peak', value: r.gauge, expected: metric === 'gauge_peak' ? 'the gauge\'s id' : 'no gauge' });
    }
    for (const side of ['base', 'variant'] as const) {
      const v = r[side];
      if (!(v === null || (typeof v === 'number' && Number.isFinite(v)))) problems.push({ path: `${rowAt}.${side}`, message: 'must be a number or null', value: v, expected: 'the outcome, or null where that run has none' });
    }
    if (problems.length === before) {
      rows.push({ key: r.key as string, metric: metric!, ...(metric === 'gauge_peak' ? { gauge: r.gauge as string } : {}), base: r.base as number | null, variant: r.variant as number | null, unit: r.unit as string });
    }
  });
  return rows;
}
