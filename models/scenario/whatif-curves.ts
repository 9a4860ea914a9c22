// A what-if's compared curves as the after-action record keeps them (WhatIfRecord.curves): each
// gauge's outflow and the burned area, base beside variant, so the printed report can draw them and
// a reader can re-plot them from the record alone; and the run's own curves the same way
// (`outcomes.curves`, RunCurves). Bounded (models/limits.ts): at most
// MAX_WHATIF_CURVES curves of MAX_WHATIF_CURVE_POINTS points, longer runs sampled every k-th step
// (`step_s` says which), values to four significant digits (a chart's precision; the outcome rows
// keep the exact peaks). Read back by parseCurves, every field by its JSON path.
import { childPath, unknownFields, type Problem } from '../errors.ts';
import { MAX_WHATIF_CURVE_POINTS, MAX_WHATIF_CURVES, MAX_WHATIF_TEXT } from '../limits.ts';
import { isRecord } from '../params.ts';

/** What a curve measures: a gauge's outflow or the burned area. */
export const CURVE_UNITS = ['m³/s', 'km²'] as const;
export type CurveUnit = (typeof CURVE_UNITS)[number];

export interface WhatIfCurve { id: string; unit: CurveUnit; base: number[]; variant: number[] }
/** `step_s` apart from t = 0: the scenario's step, or a multiple of it where the run had more points. */
export interface WhatIfCurves { step_s: number; series: WhatIfCurve[] }

/** A run's curve as the app draws it: values at every step of `stepS` from t = 0. */
export interface RunCurve { id: string; unit: CurveUnit; values: ArrayLike<number> }

/** The run's own curves in the record (`outcomes.curves`): each gauge's hydrograph, the burned area. */
export interface RunCurves { step_s: number; series: { id: string; unit: CurveUnit; values: number[] }[] }

/** Four significant digits: a chart's precision, and a short record. Deterministic (no Math.*). */
const rounded = (v: number) => Number(v.toPrecision(4));

/** Every k-th of `points` values, so that at most MAX_WHATIF_CURVE_POINTS remain; the sampler rounds too. */
function sampler(points: number): { every: number; sample: (values: ArrayLike<number>) => number[] } {
  const every = Math.max(1, Math.ceil((points - 1) / (MAX_WHATIF_CURVE_POINTS - 1)));
  return { every, sample: (values) => Array.from({ length: Math.floor((values.length - 1) / every) + 1 }, (_, j) => rounded(values[j * every])) };
}

/**
 * The run's curves for the record, bounded as a what-if's are (all of the run's length: one time
 * axis), and how many past the first MAX_WHATIF_CURVES it leaves out, so the panel and the report say so.
 */
export function runCurves(stepS: number, curves: readonly RunCurve[]): { curves?: RunCurves; omitted?: CurvesOmitted } {
  const points = Math.max(0, ...curves.map((c) => c.values.length));
  const drawable = curves.filter((c) => c.values.length === points && points >= 2);
  const kept = drawable.slice(0, MAX_WHATIF_CURVES);
  if (!kept.length) return {};
  const { every, sample } = sampler(points);
  return {
    curves: { step_s: stepS * every, series: kept.map((c) => ({ id: c.id, unit: c.unit, values: sample(c.values) })) },
    ...(drawable.length > kept.length ? { omitted: { reason: 'curve-count' as const, curves: drawable.length - kept.length } } : {}),
  };
}

/** The curves both runs have over one time axis (the run's length), base beside variant, the base's order. */
function comparableCurves(base: readonly RunCurve[], variant: readonly RunCurve[]): (readonly [RunCurve, RunCurve])[] {
  const points = Math.max(0, ...base.map((c) => c.values.length));
  return base.flatMap((b) => {
    const v = variant.find((x) => x.id === b.id && x.unit === b.unit);
    return v && v.values.length === points && b.values.length === points && points >= 2 ? [[b, v] as const] : [];
  });
}

/**
 * A what-if's curves for the record, base beside variant (the curves both runs have over one time
 * axis), as runCurves does the run's: at most MAX_WHATIF_CURVES, each sampled every k-th step so
 * neither side passes MAX_WHATIF_CURVE_POINTS, and how many comparable curves past those it leaves out.
 */
export function whatIfCurves(stepS: number, base: readonly RunCurve[], variant: readonly RunCurve[]): { curves?: WhatIfCurves; omitted?: CurvesOmitted } {
  const comparable = comparableCurves(base, variant);
  const pairs = comparable.slice(0, MAX_WHATIF_CURVES);
  if (!pairs.length) return {};
  const points = pairs[0][0].values.length;
  const { every, sample } = sampler(points);
  return {
    curves: { step_s: stepS * every, series: pairs.map(([b, v]) => ({ id: b.id, unit: b.unit, base: sample(b.values), variant: sample(v.values) })) },
    ...(comparable.length > pairs.length ? { omitted: { reason: 'curve-count' as const, curves: comparable.length - pairs.length } } : {}),
  };
}

/** How many numbers the curves of these what-ifs hold (the record's budget counts them). */
export function curveValues(records: readonly { curves?: WhatIfCurves }[]): number {
  return records.reduce((n, r) => n + (r.curves?.series.reduce((m, c) => m + c.base.length + c.variant.length, 0) ?? 0), 0);
}

/**
 * Curves a what-if (or the run itself, `outcomes.curves_omitted`) had but the record does not
 * keep, so the trainer is told rather than left to wonder: `record-budget`, all `curves` left out,
 * the record's MAX_RECORD_CURVE_VALUES being spent by earlier what-ifs; `curve-count`, `curves`
 * left out past the first MAX_WHATIF_CURVES.
 */
export const CURVES_OMITTED_REASONS = ['record-budget', 'curve-count'] as const;
export interface CurvesOmitted { reason: (typeof CURVES_OMITTED_REASONS)[number]; curves: number }

/**
 * A record's `curves_omitted` (`at`: a what-if's or the run's own), rebuilt; undefined with
 * problems. One rule for both: a count only, with no upper bound, as a region may have any number
 * of gauges (each one curve) and a count cannot make the record large.
 */
export function parseCurvesOmitted(raw: unknown, at: string, problems: Problem[]): CurvesOmitted | undefined {
  const shape = `{ "reason": one of ${CURVES_OMITTED_REASONS.join(', ')}, "curves": a whole number ≥ 1 }`;
  if (!isRecord(raw)) { problems.push({ path: at, message: 'must be an object', value: raw, expected: shape }); return undefined; }
  const before = problems.length;
  unknownFields(raw, ['reason', 'curves'], at, problems);
  const reason = CURVES_OMITTED_REASONS.find((r) => r === raw.reason);
  if (!reason) problems.push({ path: `${at}.reason`, message: 'is not a reason curves are left out', value: raw.reason, expected: `one of ${CURVES_OMITTED_REASONS.join(', ')}` });
  if (!(Number.isSafeInteger(raw.curves) && (raw.curves as number) >= 1)) {
    problems.push({ path: `${at}.curves`, message: 'must count the curves left out', value: raw.curves, expected: 'a whole number ≥ 1' });
  }
  return problems.length === before ? { reason: reason!, curves: raw.curves as number } : undefined;
}

const CURVES_FIELDS = ['step_s', 'series'];

/** A record's what-if curves (`at`, e.g. `$.whatifs[0].curves`), rebuilt field by field; undefined with problems. */
export function parseCurves(raw: unknown, at: string, durationS: number, problems: Problem[]): WhatIfCurves | undefined {
  return parseSeries(raw, at, durationS, problems, ['base', 'variant']) as WhatIfCurves | undefined;
}

/** The run's curves of a record (`$.outcomes.curves`), rebuilt field by field; undefined with problems. */
export function parseRunCurves(raw: unknown, at: string, durationS: number, problems: Problem[]): RunCurves | undefined {
  return parseSeries(raw, at, durationS, problems, ['values']) as RunCurves | undefined;
}

/** Curves of the given sides (base and variant, or one run's values): one checker for both forms. */
function parseSeries(raw: unknown, at: string, durationS: number, problems: Problem[], sides: readonly string[]): { step_s: number; series: Record<string, unknown>[] } | undefined {
  const fields = ['id', 'unit', ...sides];
  const shape = `{ ${fields.map((f) => `"${f}"`).join(', ')} }`;
  const before = problems.length;
  if (!isRecord(raw)) {
    problems.push({ path: at, message: 'must be an object', value: raw, expected: '{ "step_s", "series" }' });
    return undefined;
  }
  unknownFields(raw, CURVES_FIELDS, at, problems);
  const stepS = raw.step_s;
  const stepOk = typeof stepS === 'number' && Number.isFinite(stepS) && stepS > 0 && stepS <= durationS;
  if (!stepOk) problems.push({ path: `${at}.step_s`, message: 'is not a time step of the scenario', value: stepS, expected: `seconds in (0, ${durationS}]` });
  if (!Array.isArray(raw.series) || raw.series.length === 0 || raw.series.length > MAX_WHATIF_CURVES) {
    problems.push({ path: `${at}.series`, message: 'must be a list of curves', value: Array.isArray(raw.series) ? `${raw.series.length} curves` : raw.series, expected: `1 to ${MAX_WHATIF_CURVES} curves ${shape}` });
    return undefined;
  }
  const ids = new Set<string>();
  const series = raw.series.flatMap((c: unknown, k): Record<string, unknown>[] => {
    const cAt = childPath(`${at}.series`, k);
    if (!isRecord(c)) { problems.push({ path: cAt, message: 'is not a curve', value: c, expected: shape }); return []; }
    const mine = problems.length;
    unknownFields(c, fields, cAt, problems);
    if (!(typeof c.id === 'string' && c.id !== '' && c.id.length <= MAX_WHATIF_TEXT)) problems.push({ path: `${cAt}.id`, message: 'must name the curve', value: c.id, expected: `a gauge id or "burned-area", at most ${MAX_WHATIF_TEXT} characters` });
    else if (ids.has(c.id)) problems.push({ path: `${cAt}.id`, message: 'names a curve twice', value: c.id, expected: 'each curve once' });
    else ids.add(c.id);
    const unit = CURVE_UNITS.find((u) => u === c.unit);
    if (!unit) problems.push({ path: `${cAt}.unit`, message: 'is not a curve\'s unit', value: c.unit, expected: `one of ${CURVE_UNITS.join(', ')}` });
    for (const side of sides) {
      const v = c[side];
      const lengthOk = Array.isArray(v) && v.length >= 2 && v.length <= MAX_WHATIF_CURVE_POINTS && (!stepOk || (v.length - 1) * (stepS as number) <= durationS);
      if (!lengthOk) {
        problems.push({ path: `${cAt}.${side}`, message: 'must be the curve\'s values over the scenario', value: Array.isArray(v) ? `${v.length} values` : v, expected: `2 to ${MAX_WHATIF_CURVE_POINTS} values, step_s apart, within ${durationS} s` });
        continue;
      }
      const bad = (v as unknown[]).findIndex((x) => !(typeof x === 'number' && Number.isFinite(x)));
      if (bad >= 0) problems.push({ path: childPath(`${cAt}.${side}`, bad), message: 'must be a number', value: (v as unknown[])[bad], expected: 'a finite number' });
    }
    if (problems.length === mine && sides.length === 2 && (c.base as unknown[]).length !== (c.variant as unknown[]).length) {
      problems.push({ path: `${cAt}.variant`, message: 'must have as many values as the base', value: `${(c.variant as unknown[]).length} values`, expected: `${(c.base as unknown[]).length} values` });
    }
    return problems.length === mine ? [{ id: c.id as string, unit: unit!, ...Object.fromEntries(sides.map((side) => [side, [...(c[side] as number[])]])) }] : [];
  });
  return problems.length === before ? { step_s: stepS as number, series } : undefined;
}
