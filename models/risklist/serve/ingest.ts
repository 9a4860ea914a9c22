// One reading as a device or gateway sends it ({ item, factor, value, t_s | time }), checked
// without touching the state: known item and factor, a finite value, a sane time. What is left
// (late, duplicate, conflicting) is decided against the clock and the log by the writer.
import { formatProblem, type Problem } from '../../errors.ts';
import { isRecord } from '../../params.ts';
import type { IdIndex } from '../parse.ts';
import { readingParams } from '../spec.ts';

export interface Reading { item: string; factor: string; f: number; t: number; value: number }

export type Checked = { ok: true; reading: Reading } | { ok: false; reason: RejectReason; error: string };

/** Reject counters by reason (metrics label). */
export type RejectReason = 'malformed' | 'unknown_item' | 'unknown_factor' | 'not_finite' | 'absurd_time' | 'forbidden' | 'late' | 'conflict';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

export interface TimeBase {
  epochMs: number;
  /** Wall clock: the latest time a reading may carry (now + max_future_s), in t_s. */
  latestS: number;
}

/** ISO 8601 time → seconds since the epoch; NaN when it is not one. */
export function isoToSeconds(value: unknown, epochMs: number): number {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return NaN;
  return (Date.parse(value) - epochMs) / 1000;
}

function problem(path: string, reason: RejectReason, p: Omit<Problem, 'path'>): Checked {
  return { ok: false, reason, error: formatProblem({ path, ...p }).replace(/^error: /, '') };
}

/**
 * The common case, a well-formed reading with `t_s`, checked without building any path or message
 * (a gateway posts tens of thousands a second); undefined sends it to `checkReading` for the reason.
 */
export function quickReading(raw: unknown, index: IdIndex, time: TimeBase, allowed?: ReadonlySet<string>): Reading | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  let fields = 0;
  for (const key in r) {
    if (key !== 'item' && key !== 'factor' && key !== 'value' && key !== 't_s') return undefined;
    fields++;
  }
  const { item, factor, value: v, t_s: t } = r;
  if (fields !== 4 || typeof item !== 'string' || typeof factor !== 'string' || typeof v !== 'number' || typeof t !== 'number') return undefined;
  const k = index.item.get(item);
  if (k === undefined || (allowed !== undefined && !allowed.has(item))) return undefined;
  const f = index.factor[k].get(factor);
  if (f === undefined || !(Math.abs(v) <= readingParams.value.max)) return undefined;
  if (!(t >= readingParams.t_s.min && t <= readingParams.t_s.max && t <= time.latestS)) return undefined;
  return { item, factor, f, t, value: v };
}

export function checkReading(raw: unknown, path: string, index: IdIndex, time: TimeBase, allowed?: ReadonlySet<string>): Checked {
  if (!isRecord(raw)) return problem(path, 'malformed', { message: 'must be an object', value: raw, expected: '{ "item", "factor", "value", "t_s" or "time" }' });
  for (const key of Object.keys(raw)) {
    if (!['item', 'factor', 'value', 't_s', 'time'].includes(key)) return problem(`${path}.${key}`, 'malformed', { message: 'unknown field', expected: 'one of item, factor, value, t_s, time' });
  }
  const k = typeof raw.item === 'string' ? index.item.get(raw.item) : undefined;
  if (k === undefined) return problem(`${path}.item`, 'unknown_item', { message: 'names no item', value: raw.item, expected: 'an item id of the list' });
  if (allowed && !allowed.has(raw.item as string)) return problem(`${path}.item`, 'forbidden', { message: 'is not an item of this device', value: raw.item, expected: 'one of the token\'s items' });
  const f = typeof raw.factor === 'string' ? index.factor[k].get(raw.factor) : undefined;
  if (f === undefined) {
    return problem(`${path}.factor`, 'unknown_factor', { message: `names no factor of item ${raw.item as string}`, value: raw.factor, expected: [...index.factor[k].keys()].join(', ') || 'none: the item has no factors' });
  }
  const v = raw.value;
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > readingParams.value.max) {
    return problem(`${path}.value`, 'not_finite', { message: typeof v === 'number' ? 'is out of range' : 'must be a finite number', value: v, expected: `a reading in [${readingParams.value.min}, ${readingParams.value.max}]` });
  }
  if ((raw.t_s === undefined) === (raw.time === undefined)) {
    return problem(path, 'malformed', { message: 'must give its time once', expected: '"t_s" (seconds) or "time" (ISO 8601), not both' });
  }
  const t = raw.t_s !== undefined ? raw.t_s : isoToSeconds(raw.time, time.epochMs);
  const at = raw.t_s !== undefined ? `${path}.t_s` : `${path}.time`;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    return problem(at, raw.t_s !== undefined ? 'malformed' : 'absurd_time', { message: raw.t_s !== undefined ? 'must be a finite number' : 'is not an ISO 8601 time with a zone', value: raw.t_s ?? raw.time, expected: 'e.g. 3600 or "2026-07-01T08:00:00Z"' });
  }
  if (t < readingParams.t_s.min || t > Math.min(readingParams.t_s.max, time.latestS)) {
    return problem(at, 'absurd_time', { message: t < 0 ? 'is before the epoch' : 'is too far in the future', value: raw.t_s ?? raw.time, expected: `a time in [0, ${Math.min(readingParams.t_s.max, time.latestS)}] s from the epoch` });
  }
  return { ok: true, reading: { item: raw.item as string, factor: raw.factor as string, f, t, value: v } };
}

/** `time`, `lift_time`, `expires_time` (ISO 8601) of an operator input → its t_s fields. */
export function actionTimes(raw: unknown, epochMs: number): unknown {
  if (!isRecord(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const [iso, seconds] of [['time', 't_s'], ['lift_time', 'lift_s'], ['expires_time', 'expires_s']] as const) {
    if (out[iso] === undefined) continue;
    const t = isoToSeconds(out[iso], epochMs);
    out[seconds] = Number.isFinite(t) ? t : out[iso];
    delete out[iso];
  }
  return out;
}
