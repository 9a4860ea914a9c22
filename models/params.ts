// Each model declares its inputs and outputs once, with unit, valid range, default, description
// and a label in English and Chinese (the way landlab components carry field metadata).
// Validation, CLI help, docs and UI labels are all derived from these declarations, so a range is
// never stated twice; test/engine/specs.test.ts checks every declaration for completeness and for
// one name meaning one unit and range everywhere.
import { childPath, InputError, type Problem } from './errors.ts';

export interface NumberParam {
  kind: 'number';
  unit: string;
  description: string;
  min?: number;
  max?: number;
  /** Open ends of the range: `min < x` rather than `min ≤ x`. */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  integer?: boolean;
  default?: number;
  optional?: boolean;
  /** Increment of a slider or spinner showing the field; never used in validation. */
  step?: number;
}

/** What a person sees beside a field: en for the CLI and docs, zh for the zh-CN UI. */
export interface Label { en: string; zh: string }

/**
 * A declared input: the check-level NumberParam plus what every declaration must carry (a range
 * and both labels). Ad-hoc checks inside parsers may still use a bare NumberParam.
 */
export type DeclaredParam = NumberParam & { min: number; max: number; label: Label };

export type ParamSpec = Record<string, DeclaredParam>;

/** One field a command prints or writes (a JSON key, or a file for the output grids). */
export interface OutputField { unit: string; description: string; label: Label }
export type OutputSpec = Record<string, OutputField>;

/**
 * A command's contract: its input fields (by where they sit in the case file) and output fields.
 * The CLI's per-command --help prints it; the web forms and docs read the same objects.
 */
export interface CommandContract {
  inputs: { at: string; params: ParamSpec }[];
  outputs: OutputSpec;
}

export function describeRange(p: NumberParam): string {
  const kind = p.integer ? 'an integer' : 'a number';
  const unit = p.unit && p.unit !== '1' ? ` ${p.unit}` : '';
  if (p.min !== undefined && p.max !== undefined) {
    return `${kind} in ${p.exclusiveMin ? '(' : '['}${p.min}, ${p.max}${p.exclusiveMax ? ')' : ']'}${unit}`;
  }
  if (p.min !== undefined) return `${kind} ${p.exclusiveMin ? '>' : '≥'} ${p.min}${unit}`;
  if (p.max !== undefined) return `${kind} ${p.exclusiveMax ? '<' : '≤'} ${p.max}${unit}`;
  return `a finite ${kind.replace(/^an? /, '')}${unit}`;
}

/** The number passes `p` (finite, integer if asked, within its bounds): checkNumber's test, without a path to build. */
export function withinRange(p: NumberParam, value: number): boolean {
  return Number.isFinite(value)
    && (!p.integer || Number.isInteger(value))
    && (p.min === undefined || (p.exclusiveMin ? value > p.min : value >= p.min))
    && (p.max === undefined || (p.exclusiveMax ? value < p.max : value <= p.max));
}

/**
 * A param's test as plain numbers in one object shape, for loops over typed arrays. withinRange
 * reads a declaration's fields, and declarations come in many shapes: once a loop's inlined
 * withinRange had met a few of them, V8 compared each value generically, boxing every double it
 * read from a typed array first (an ensemble member's slope grid made ~190 MB of such garbage).
 */
export interface Bounds { lo: number; hi: number; loOpen: boolean; hiOpen: boolean; integer: boolean }

export function boundsOf(p: NumberParam): Bounds {
  return { lo: p.min ?? -Infinity, hi: p.max ?? Infinity, loOpen: p.exclusiveMin === true, hiOpen: p.exclusiveMax === true, integer: p.integer === true };
}

/** withinRange's answer, from bounds. */
export function withinBounds(b: Bounds, value: number): boolean {
  return Number.isFinite(value)
    && (!b.integer || Number.isInteger(value))
    && (b.loOpen ? value > b.lo : value >= b.lo)
    && (b.hiOpen ? value < b.hi : value <= b.hi);
}

export function checkNumber(p: NumberParam, value: unknown, path: string, problems: Problem[]): number | undefined {
  if (value === undefined || value === null) {
    if (p.optional || p.default !== undefined) return p.default;
    problems.push({ path, message: 'is required', value, expected: describeRange(p) });
    return undefined;
  }
  if (typeof value !== 'number' || !withinRange(p, value)) {
    problems.push({ path, message: typeof value === 'number' ? 'out of range' : 'must be a number', value, expected: describeRange(p) });
    return undefined;
  }
  return value as number;
}

/** Checks every declared field of `record`; returns the values (defaults filled) or collects problems. */
export function checkParams<S extends Record<string, NumberParam>>(
  spec: S, record: Record<string, unknown>, path: string, problems: Problem[],
): { [K in keyof S]: number } {
  const out: Record<string, number> = {};
  // A field's path is built only for a field that fails (checkNumberArray says why).
  for (const name in spec) {
    const p = spec[name];
    const value = record[name];
    if (typeof value === 'number' && withinRange(p, value)) { out[name] = value; continue; }
    if ((value === undefined || value === null) && (p.optional || p.default !== undefined)) {
      if (p.default !== undefined) out[name] = p.default;
      continue;
    }
    const v = checkNumber(p, value, childPath(path, name), problems);
    if (v !== undefined) out[name] = v;
  }
  return out as { [K in keyof S]: number };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw InputError.single(path, 'must be an object', value, 'a JSON object');
  return value;
}

/**
 * Keys starting with "_" ("_note", "_about") are comments, in every object of every case: never a
 * field, a file name, an id or a level. Every reader of user objects asks this one function, so
 * the rule cannot differ from one object to the next.
 */
export function isCommentKey(key: string): boolean {
  return key.startsWith('_');
}

/** Flags keys the spec does not know: a misspelt `K_S` must not fall back to a default silently. */
export function checkKnownKeys(record: Record<string, unknown>, known: readonly string[], path: string, problems: Problem[]): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key) && !isCommentKey(key)) {
      problems.push({ path: childPath(path, key), message: 'unknown field', expected: `one of ${known.join(', ')}` });
    }
  }
}

export function checkNumberArray(
  value: unknown, path: string, problems: Problem[], p: NumberParam,
): Float64Array | undefined {
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be an array of numbers', value, expected: `an array of ${describeRange(p).replace(/^an? /, '')}` });
    return undefined;
  }
  const out = new Float64Array(value.length);
  const before = problems.length;
  const bounds = boundsOf(p);
  const element = { ...p, optional: false, default: undefined };
  for (let i = 0; i < value.length && problems.length - before < 5; i++) {
    const v: unknown = value[i];
    // The element's path is built only for a value that fails: one string per value was most of
    // an ensemble member's garbage (the runoff's rain and evaporation series of every basin).
    if (typeof v === 'number' && withinBounds(bounds, v)) out[i] = v;
    else checkNumber(element, v, childPath(path, i), problems);
  }
  return problems.length === before ? out : undefined;
}

/**
 * checkNumberArray for values a coupling already holds in a typed array: the same copy and the
 * same problems as checkNumberArray(Array.from(values)), without that array of boxed numbers.
 */
export function checkNumberValues(values: Float64Array, path: string, problems: Problem[], p: NumberParam): Float64Array | undefined {
  const out = new Float64Array(values.length);
  const before = problems.length;
  const bounds = boundsOf(p);
  for (let i = 0; i < values.length && problems.length - before < 5; i++) {
    const v = values[i];
    if (withinBounds(bounds, v)) out[i] = v;
    else checkNumber({ ...p, optional: false, default: undefined }, v, childPath(path, i), problems);
  }
  return problems.length === before ? out : undefined;
}

export function throwIfAny(problems: Problem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}
