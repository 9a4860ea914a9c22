// Gauge observations a scenario may carry, to score the forecast against: per gauge id either an
// inline series of [time, m³/s] pairs or a CSV file `time,discharge_m3_per_s` beside the scenario.
// Times are ISO 8601 with a UTC offset or seconds since the scenario start. The block is checked with
// the scenario (JSON paths); a CSV is read later, by whoever can read files, and checked by file:line.
import { childPath, InputError, type Problem } from '../errors.ts';
import { forecastScores, type ForecastScores } from '../flood/scores.ts';
import { discharge } from '../flood/spec.ts';
import { isCommentKey, isRecord } from '../params.ts';
import { parseCsv } from './csv.ts';

/** One gauge's observations as the scenario names them: a series given inline, or a file to read. */
export interface ObservationSource {
  gauge: string;
  /** JSON path of the entry, for problems found later (an unknown gauge). */
  path: string;
  file?: string;
  series?: ObservedSeries;
}

export interface ObservedSeries {
  gauge: string;
  /** Where the values came from: the JSON path or the file. */
  source: string;
  tS: number[];
  m3PerS: number[];
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const CSV_HEADER = ['time', 'discharge_m3_per_s'];
/** Observed discharge has the flood model's range: a gauge cannot read what a reach cannot carry. */
const MAX_DISCHARGE = discharge.max;

interface Clock { startEpochMs: number; durationS: number }

/** Scenario seconds of a time cell (a number of seconds or an ISO time), or a problem. */
function timeOf(value: unknown, clock: Clock): number | string {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (/^[-+]?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (ISO_WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text))) return (Date.parse(text) - clock.startEpochMs) / 1000;
  }
  return 'is not a time';
}

/**
 * Checks pairs of (time, discharge) as one observed series: times inside the scenario, evenly
 * spaced and increasing (the peak-time error counts intervals), discharges in range, and a series
 * that varies (NSE and KGE divide by its variance). `at(k)` names the k-th pair for problems.
 */
function checkSeries(gauge: string, source: string, pairs: [unknown, unknown][], clock: Clock, at: (k: number) => string, problems: Problem[]): ObservedSeries | undefined {
  const before = problems.length;
  const tS: number[] = [];
  const m3PerS: number[] = [];
  pairs.forEach(([time, q], k) => {
    const t = timeOf(time, clock);
    if (typeof t === 'string' || t < 0 || t > clock.durationS) {
      problems.push({ path: at(k), message: typeof t === 'string' ? t : 'is outside the scenario', value: time, expected: `an ISO 8601 time with offset or seconds in [0, ${clock.durationS}]` });
    } else if (tS.length && t <= tS[tS.length - 1]) {
      problems.push({ path: at(k), message: 'is not after the previous observation', value: time, expected: `a time after ${tS[tS.length - 1]} s` });
    }
    const value = typeof q === 'string' && q.trim() !== '' ? Number(q) : q;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DISCHARGE) {
      problems.push({ path: at(k), message: 'has no valid discharge', value: q, expected: `m³/s in [0, ${MAX_DISCHARGE}]` });
    }
    tS.push(typeof t === 'number' ? t : NaN);
    m3PerS.push(value as number);
  });
  if (problems.length > before) return undefined;
  if (tS.length < 3) {
    problems.push({ path: source, message: `has ${tS.length} observations`, value: tS.length, expected: 'at least 3' });
    return undefined;
  }
  const interval = tS[1] - tS[0];
  const uneven = tS.findIndex((t, k) => k > 0 && Math.abs(t - tS[k - 1] - interval) > 1e-6);
  if (uneven > 0) {
    problems.push({ path: at(uneven), message: 'breaks the even spacing of the series', value: pairs[uneven][0], expected: `observations every ${interval} s` });
    return undefined;
  }
  if (m3PerS.every((q) => q === m3PerS[0])) {
    problems.push({ path: source, message: 'is constant', value: m3PerS[0], expected: 'an observed hydrograph that varies (NSE and KGE need its variance)' });
    return undefined;
  }
  return { gauge, source, tS, m3PerS };
}

/** The scenario's `observations` block: `{ "<gauge id>": { "file": "…csv" } | { "series": [[time, m³/s], …] } }`. */
export function parseObservations(value: unknown, path: string, clock: Clock): ObservationSource[] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw InputError.single(path, 'must map gauge ids to observations', value, '{ "G-outlet": { "file": "observed-G-outlet.csv" } }');
  const problems: Problem[] = [];
  const sources: ObservationSource[] = [];
  for (const [gauge, entry] of Object.entries(value)) {
    // Keys starting with _ are comments, as everywhere in the scenario.
    if (isCommentKey(gauge)) continue;
    const at = childPath(path, gauge);
    if (!isRecord(entry) || (entry.file === undefined) === (entry.series === undefined)) {
      problems.push({ path: at, message: 'must give either a file or a series', value: entry, expected: '{ "file": "….csv" } or { "series": [[time, m3_per_s], …] }' });
      continue;
    }
    const unknown = Object.keys(entry).filter((k) => k !== 'file' && k !== 'series' && !isCommentKey(k));
    for (const key of unknown) problems.push({ path: childPath(at, key), message: 'is not a field of an observation', value: entry[key], expected: 'file or series' });
    if (entry.file !== undefined) {
      if (typeof entry.file !== 'string' || !/\.csv$/i.test(entry.file.trim())) {
        problems.push({ path: `${at}.file`, message: 'is not a CSV file', value: entry.file, expected: 'a path ending in .csv, relative to the scenario\'s folder or absolute' });
      } else sources.push({ gauge, path: at, file: entry.file });
      continue;
    }
    const raw = entry.series;
    if (!Array.isArray(raw) || raw.some((p) => !Array.isArray(p) || p.length !== 2)) {
      problems.push({ path: `${at}.series`, message: 'must be a list of [time, m3_per_s] pairs', value: raw, expected: '[["2026-07-14T20:00:00+08:00", 14012], …] or [[0, 14012], …]' });
      continue;
    }
    const series = checkSeries(gauge, `${at}.series`, raw as [unknown, unknown][], clock, (k) => `${at}.series[${k}]`, problems);
    if (series) sources.push({ gauge, path: at, series });
  }
  if (problems.length) throw new InputError(problems);
  return sources;
}

/** Reads one observation CSV (`time,discharge_m3_per_s`); problems name `file:line`. */
export function observationsFromCsv(text: string, fileName: string, gauge: string, clock: Clock): ObservedSeries {
  const rows = parseCsv(text);
  const header = rows[0]?.fields.map((h) => h.trim());
  if (!header || CSV_HEADER.some((c, k) => header[k] !== c)) {
    throw InputError.single(`${fileName}:1`, 'is not the observation header', header?.join(','), CSV_HEADER.join(','));
  }
  const problems: Problem[] = [];
  const body = rows.slice(1);
  body.forEach((row) => {
    if (row.fields.length !== 2) problems.push({ path: `${fileName}:${row.line}`, message: `has ${row.fields.length} fields`, value: row.fields.join(','), expected: '2: time,discharge_m3_per_s' });
  });
  if (problems.length) throw new InputError(problems);
  const series = checkSeries(gauge, fileName, body.map((r) => [r.fields[0], r.fields[1]]), clock, (k) => `${fileName}:${body[k].line}`, problems);
  if (!series) throw new InputError(problems);
  return series;
}

/**
 * Every gauge's observed series: inline ones as given, files through `readText` (relative to the
 * scenario's folder or absolute; Node reads the disk, the browser its bundled copies).
 */
export async function loadObservations(sources: readonly ObservationSource[], clock: Clock, readText: (file: string) => Promise<string>): Promise<ObservedSeries[]> {
  return Promise.all(sources.map(async (s) => {
    if (s.series) return s.series;
    let text: string;
    try {
      text = await readText(s.file!);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw InputError.single(`${s.path}.file`, code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read${code ? ` (${code})` : ''}`, s.file, 'a CSV file of observations, relative to the scenario\'s folder or absolute');
    }
    return observationsFromCsv(text, s.file!, s.gauge, clock);
  }));
}

/** The forecast at the observation times: linear between the step boundaries t = 0, Δt, … */
export function forecastAt(flows: ArrayLike<number>, stepS: number, tS: readonly number[]): number[] {
  return tS.map((t) => {
    const x = t / stepS;
    const j = Math.min(flows.length - 1, Math.floor(x));
    const f = x - j;
    return f === 0 || j + 1 >= flows.length ? flows[j] : flows[j] + f * (flows[j + 1] - flows[j]);
  });
}

export interface GaugeScore { gauge: string; source: string; scores: ForecastScores }

/** The forecast scores of each observed gauge: NSE, KGE, peak and peak-time errors, GB/T 22482. */
export function scoreGauges(observed: readonly ObservedSeries[], flowsOf: (gauge: string) => ArrayLike<number> | undefined, stepS: number, knownGauges: readonly string[]): GaugeScore[] {
  const problems: Problem[] = [];
  const scores: GaugeScore[] = [];
  for (const o of observed) {
    const flows = flowsOf(o.gauge);
    if (!flows) {
      problems.push({ path: childPath('$.observations', o.gauge), message: 'names no gauge of this run', value: o.gauge, expected: `one of ${knownGauges.join(', ') || '(none: the flood model is off)'}` });
      continue;
    }
    const interval = o.tS[1] - o.tS[0];
    scores.push({ gauge: o.gauge, source: o.source, scores: forecastScores(forecastAt(flows, stepS, o.tS), o.m3PerS, interval) });
  }
  if (problems.length) throw new InputError(problems);
  return scores;
}
