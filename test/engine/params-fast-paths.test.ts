// The checks of models/params.ts that an ensemble member runs on every series and record skip
// building a path for values that pass (bounds in one object shape, the path only for a failure).
// They must answer exactly as the plain forms they replaced: these are those forms, copied as they
// were, and fast-check draws params and values (NaN, ±Infinity, −0, bounds themselves) to compare.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childPath, type Problem } from '../../models/errors.ts';
import {
  boundsOf, checkNumber, checkNumberArray, checkNumberValues, checkParams, withinBounds, withinRange, type NumberParam,
} from '../../models/params.ts';

/** Fixed so CI draws the same cases every run (a rare draw must not turn it red); SANDTABLE_PROPS_SEED explores. */
const SEED = Number(process.env.SANDTABLE_PROPS_SEED ?? 21);

function plainCheckNumberArray(value: unknown, path: string, problems: Problem[], p: NumberParam): Float64Array | undefined {
  if (!Array.isArray(value)) return checkNumberArray(value, path, problems, p);
  const out = new Float64Array(value.length);
  const before = problems.length;
  for (let i = 0; i < value.length && problems.length - before < 5; i++) {
    const v = checkNumber({ ...p, optional: false, default: undefined }, value[i], childPath(path, i), problems);
    if (v !== undefined) out[i] = v;
  }
  return problems.length === before ? out : undefined;
}

function plainCheckParams(spec: Record<string, NumberParam>, record: Record<string, unknown>, path: string, problems: Problem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(spec)) {
    const v = checkNumber(p, record[name], childPath(path, name), problems);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

const edge = fc.constantFrom(0, -0, 1, -1, 0.5, 2, 10, NaN, Infinity, -Infinity, 1e-9, 3.5);
const number = fc.oneof(edge, fc.double({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }));
const param: fc.Arbitrary<NumberParam> = fc.record({
  min: fc.option(fc.constantFrom(-1, 0, 0.5, 2), { nil: undefined }),
  max: fc.option(fc.constantFrom(0, 2, 3.5, 10), { nil: undefined }),
  exclusiveMin: fc.option(fc.boolean(), { nil: undefined }),
  exclusiveMax: fc.option(fc.boolean(), { nil: undefined }),
  integer: fc.option(fc.boolean(), { nil: undefined }),
  optional: fc.option(fc.boolean(), { nil: undefined }),
  default: fc.option(fc.constantFrom(0, 1.5), { nil: undefined }),
}).map((r) => {
  const p: NumberParam = { kind: 'number', unit: 'm', description: 'a field' };
  for (const [k, v] of Object.entries(r)) if (v !== undefined) (p as unknown as Record<string, unknown>)[k] = v;
  return p;
});
const element = fc.oneof({ weight: 8, arbitrary: number }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, '3', true) });

describe('params fast paths answer as the plain checks', () => {
  it('withinBounds(boundsOf(p)) is withinRange(p)', () => {
    fc.assert(fc.property(param, number, (p, v) => withinBounds(boundsOf(p), v) === withinRange(p, v)), { numRuns: 3000, seed: SEED });
  });

  it('checkNumberArray: the same copy (−0 included) and the same problems, in order', () => {
    fc.assert(fc.property(param, fc.array(element, { maxLength: 12 }), (p, values) => {
      const mine: Problem[] = []; const plain: Problem[] = [];
      const got = checkNumberArray(values, '$.series', mine, p);
      const want = plainCheckNumberArray(values, '$.series', plain, p);
      expect(mine).toEqual(plain);
      expect(got && Buffer.from(got.buffer)).toEqual(want && Buffer.from(want.buffer));
    }), { numRuns: 1500, seed: SEED });
  });

  it('checkNumberValues(typed) is checkNumberArray(Array.from(typed))', () => {
    fc.assert(fc.property(param, fc.array(number, { maxLength: 12 }), (p, values) => {
      const typed = Float64Array.from(values);
      const mine: Problem[] = []; const plain: Problem[] = [];
      const got = checkNumberValues(typed, '$.basins[2].rain_mm', mine, p);
      const want = plainCheckNumberArray(Array.from(typed), '$.basins[2].rain_mm', plain, p);
      expect(mine).toEqual(plain);
      expect(got && Buffer.from(got.buffer)).toEqual(want && Buffer.from(want.buffer));
    }), { numRuns: 1500, seed: SEED });
  });

  it('checkParams: the same values (defaults filled), keys in the same order, the same problems', () => {
    const spec = fc.dictionary(fc.constantFrom('a', 'b_m', 'c', '0', 'k_s'), param, { maxKeys: 5 });
    fc.assert(fc.property(spec, fc.dictionary(fc.constantFrom('a', 'b_m', 'c', '0', 'k_s', 'other'), element, { maxKeys: 6 }), (s, record) => {
      const mine: Problem[] = []; const plain: Problem[] = [];
      const got = checkParams(s, record, '$.basin', mine);
      const want = plainCheckParams(s, record, '$.basin', plain);
      expect(mine).toEqual(plain);
      expect(Object.entries(got)).toEqual(Object.entries(want));
    }), { numRuns: 1500, seed: SEED });
  });

  it('still names a failing element by its own path', () => {
    const problems: Problem[] = [];
    expect(checkNumberValues(Float64Array.of(1, -2, NaN), '$.basins[0].rain_mm', problems, { kind: 'number', unit: 'mm', description: 'rain', min: 0, max: 100 })).toBeUndefined();
    expect(problems.map((p) => [p.path, p.message, p.value, p.expected])).toEqual([
      ['$.basins[0].rain_mm[1]', 'out of range', -2, 'a number in [0, 100] mm'],
      ['$.basins[0].rain_mm[2]', 'out of range', NaN, 'a number in [0, 100] mm'],
    ]);
  });
});
