// Bad input to `flood route` is named by JSON path, with the value seen and what was expected.
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseRouteCase } from '../../models/flood/route.ts';

function problemsOf(input: unknown): string[] {
  try {
    parseRouteCase(input);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected an InputError');
}

const good = {
  dt_s: 3600,
  reaches: [
    { id: 'A', downstream: 'B', K_s: 8280, X: 0.15 },
    { id: 'B', downstream: null, K_s: 8280, X: 0.15 },
  ],
  inflows: [{ reach: 'A', m3_per_s: [1, 2, 3] }],
};

describe('flood route input errors', () => {
  it('X outside [0, 0.5]', () => {
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], X: 0.7 }, good.reaches[1]] }))
      .toEqual(['error: $.reaches[0].X: out of range (got 0.7, expected a number in [0, 0.5])']);
  });

  it('K_s missing, zero, or a string', () => {
    expect(problemsOf({ ...good, reaches: [{ id: 'A', X: 0.1 }] })).toEqual([
      'error: $.reaches[0].K_s: is required (got nothing, expected a number in (0, 31536000] s)',
    ]);
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], K_s: 0 }, good.reaches[1]] })[0]).toMatch(/^error: \$\.reaches\[0\]\.K_s: out of range \(got 0,/);
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], K_s: '8280' }, good.reaches[1]] })[0]).toMatch(/K_s: must be a number \(got "8280"/);
  });

  it('a cycle names the reach, the loop and the path', () => {
    const cyclic = { ...good, reaches: [{ ...good.reaches[0] }, { ...good.reaches[1], downstream: 'A' }] };
    expect(problemsOf(cyclic)).toEqual(['error: $.reaches[0].downstream: forms a cycle (A → B → A) (got "B", expected a river network without loops)']);
  });

  it('unknown downstream, duplicate id, unknown inflow reach', () => {
    const problems = problemsOf({
      ...good,
      reaches: [{ ...good.reaches[0], downstream: 'Z' }, { ...good.reaches[1], id: 'A' }],
      inflows: [{ reach: 'Q', m3_per_s: [1, 2] }],
    });
    expect(problems).toContain('error: $.reaches[1].id: repeats the id of $.reaches[0] (got "A", expected a unique reach id)');
    expect(problems).toContain('error: $.reaches[0].downstream: names no reach (got "Z", expected the id of another reach, or null at an outlet)');
    expect(problems).toContain('error: $.inflows[0].reach: names no reach (got "Q", expected the id of a reach in $.reaches)');
  });

  it('negative or non-numeric discharge, and a series too short for the steps', () => {
    expect(problemsOf({ ...good, inflows: [{ reach: 'A', m3_per_s: [1, -2, 3] }] }))
      .toEqual(['error: $.inflows[0].m3_per_s[1]: out of range (got -2, expected a number ≥ 0 m³/s)']);
    expect(problemsOf({ ...good, steps: 5 }))
      .toEqual(['error: $.inflows[0].m3_per_s: is too short for 5 steps (got an array of 3, expected 6 values, one per step from t = 0)']);
  });

  it('a misspelt field is flagged rather than silently defaulted', () => {
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], initial_outflow: 3 }, good.reaches[1]] })[0])
      .toMatch(/^error: \$\.reaches\[0\]\.initial_outflow: unknown field/);
  });

  it('a method not implemented here is refused by name', () => {
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], method: 'kinematic-wave' }, good.reaches[1]] })[0])
      .toBe('error: $.reaches[0].method: is not implemented in this engine version (got "kinematic-wave", expected one of muskingum)');
  });

  it('not an object at all', () => {
    expect(problemsOf([1, 2])).toEqual(['error: $: must be an object (got an array of 2, expected a JSON object)']);
  });
});
