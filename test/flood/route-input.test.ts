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
    { id: 'A', downstream: 'B', method: 'muskingum', K_s: 8280, X: 0.15 },
    { id: 'B', downstream: null, method: 'muskingum', K_s: 8280, X: 0.15 },
  ],
  inflows: [{ reach: 'A', m3_per_s: [1, 2, 3] }],
};

describe('flood route input errors', () => {
  it('X outside [0, 0.5]', () => {
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], X: 0.7 }, good.reaches[1]] }))
      .toEqual(['error: $.reaches[0].X: out of range (got 0.7, expected a number in [0, 0.5])']);
  });

  it('K_s missing, zero, or a string', () => {
    expect(problemsOf({ ...good, reaches: [{ id: 'A', method: 'muskingum', X: 0.1 }] })).toEqual([
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
      .toEqual(['error: $.inflows[0].m3_per_s[1]: out of range (got -2, expected a number in [0, 10000000] m³/s)']);
    // Finite but absurd: 1e308 m³/s overflowed the balance sums and ended in NumericalError (exit 1).
    expect(problemsOf({ ...good, inflows: [{ reach: 'A', m3_per_s: [1e308, 1, 1] }] }))
      .toEqual(['error: $.inflows[0].m3_per_s[0]: out of range (got 1e+308, expected a number in [0, 10000000] m³/s)']);
    expect(problemsOf({ ...good, steps: 5 }))
      .toEqual(['error: $.inflows[0].m3_per_s: is too short for 5 steps (got an array of 3, expected 6 values, one per step from t = 0)']);
  });

  it('a misspelt field is flagged rather than silently defaulted', () => {
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], initial_outflow: 3 }, good.reaches[1]] })[0])
      .toMatch(/^error: \$\.reaches\[0\]\.initial_outflow: unknown field/);
  });

  it('an unknown method is refused by name', () => {
    expect(problemsOf({ ...good, reaches: [{ ...good.reaches[0], method: 'dynamic-wave' }, good.reaches[1]] })[0])
      .toBe('error: $.reaches[0].method: is not a routing method (got "dynamic-wave", expected one of muskingum, muskingum-cunge, kinematic-wave, diffusive-wave)');
  });

  it('not an object at all', () => {
    expect(problemsOf([1, 2])).toEqual(['error: $: must be an object (got an array of 2, expected a JSON object)']);
  });

  describe('channel reaches (muskingum-cunge, kinematic-wave)', () => {
    const channel = { id: 'C', downstream: null, method: 'muskingum-cunge', length_m: 14000, slope: 0.001, manning_n: 0.035, section: { shape: 'trapezoid', bottom_width_m: 15, side_slope_h_per_v: 5 } };
    const withChannel = (c: object) => ({ ...good, reaches: [{ ...good.reaches[0], downstream: 'C' }, { ...channel, ...c }] });

    it('missing geometry: the section and the slope', () => {
      expect(problemsOf(withChannel({ section: undefined, slope: undefined }))).toEqual([
        'error: $.reaches[1].slope: is required (got nothing, expected a number in [0.000001, 0.5] m/m)',
        'error: $.reaches[1].section: is required (got nothing, expected { "shape": "rectangular", "width_m" } or { "shape": "trapezoid", "bottom_width_m", "side_slope_h_per_v" })',
      ]);
    });

    it('negative length', () => {
      expect(problemsOf(withChannel({ length_m: -500 }))).toEqual(['error: $.reaches[1].length_m: out of range (got -500, expected a number in [1, 1000000] m)']);
    });

    it('a bad section shape, a missing width, and Muskingum parameters on a channel reach', () => {
      expect(problemsOf(withChannel({ section: { shape: 'circle', diameter_m: 3 } })))
        .toEqual(['error: $.reaches[1].section.shape: is not a section shape (got "circle", expected one of rectangular, trapezoid)']);
      expect(problemsOf(withChannel({ method: 'kinematic-wave', section: { shape: 'rectangular' } })))
        .toEqual(['error: $.reaches[1].section.width_m: is required (got nothing, expected a number in [0.01, 100000] m)']);
      expect(problemsOf(withChannel({ K_s: 3600 }))[0]).toMatch(/^error: \$\.reaches\[1\]\.K_s: unknown field \(expected one of id, downstream, method, name, section, observed_m3_per_s, length_m/);
    });

    it('a cycle and an unknown id through channel reaches', () => {
      expect(problemsOf(withChannel({ downstream: 'A' })))
        .toEqual(['error: $.reaches[0].downstream: forms a cycle (A → C → A) (got "C", expected a river network without loops)']);
      expect(problemsOf(withChannel({ downstream: 'nowhere' })))
        .toEqual(['error: $.reaches[1].downstream: names no reach (got "nowhere", expected the id of another reach, or null at an outlet)']);
    });

    it('diffusive-wave: missing geometry, a non-positive slope, Muskingum K on it, all named by path', () => {
      const diffusive = (c: object) => withChannel({ method: 'diffusive-wave', ...c });
      expect(problemsOf(diffusive({ section: undefined, manning_n: undefined }))).toEqual([
        'error: $.reaches[1].manning_n: is required (got nothing, expected a number in [0.005, 0.5] s/m^(1/3))',
        'error: $.reaches[1].section: is required (got nothing, expected { "shape": "rectangular", "width_m" } or { "shape": "trapezoid", "bottom_width_m", "side_slope_h_per_v" })',
      ]);
      expect(problemsOf(diffusive({ slope: 0 }))).toEqual(['error: $.reaches[1].slope: out of range (got 0, expected a number in [0.000001, 0.5] m/m)']);
      expect(problemsOf(diffusive({ slope: -0.001 }))).toEqual(['error: $.reaches[1].slope: out of range (got -0.001, expected a number in [0.000001, 0.5] m/m)']);
      // Issue 15 (property sweep): denormal geometry and steps passed '> 0' and ended in non-finite
      // outflows or a broken balance (NumericalError, exit 1).
      expect(problemsOf(diffusive({ length_m: 5e-324 }))).toEqual(['error: $.reaches[1].length_m: out of range (got 5e-324, expected a number in [1, 1000000] m)']);
      expect(problemsOf(diffusive({ section: { shape: 'trapezoid', bottom_width_m: 0, side_slope_h_per_v: 3e-166 } })))
        .toEqual(['error: $.reaches[1].section.side_slope_h_per_v: is too small to carry flow (got 3e-166, expected 0 or at least 0.01)']);
      expect(problemsOf({ ...diffusive({}), dt_s: 5e-183 })).toEqual(['error: $.dt_s: out of range (got 5e-183, expected a number in [1, 2678400] s)']);
      // Issue 15 (property sweep): 1e-91 passed "> 0" and overflowed Manning's depth: NumericalError, exit 1.
      expect(problemsOf(diffusive({ slope: 1e-91 }))).toEqual(['error: $.reaches[1].slope: out of range (got 1e-91, expected a number in [0.000001, 0.5] m/m)']);
      expect(problemsOf(diffusive({ length_m: undefined }))).toEqual(['error: $.reaches[1].length_m: is required (got nothing, expected a number in [1, 1000000] m)']);
      expect(problemsOf(diffusive({ K_s: 3600 }))[0]).toMatch(/^error: \$\.reaches\[1\]\.K_s: unknown field/);
      expect(problemsOf(diffusive({ reference_discharge_m3_per_s: 0 }))[0]).toMatch(/^error: \$\.reaches\[1\]\.reference_discharge_m3_per_s: out of range \(got 0/);
    });

    it('auto_subdivide must be a boolean', () => {
      expect(problemsOf({ ...good, auto_subdivide: 'yes' })).toEqual(['error: $.auto_subdivide: must be true or false (got "yes", expected a boolean (default true))']);
    });
  });
});

describe('flood route: nothing assumed that the case did not say (issue 15)', () => {
  it('a reach without method is an error listing the methods (before: routed as Muskingum, undocumented)', () => {
    expect(problemsOf({ ...good, reaches: [good.reaches[0], { id: 'B', downstream: null, K_s: 8280, X: 0.15 }] })).toEqual([
      'error: $.reaches[1].method: is required (got nothing, expected one of muskingum, muskingum-cunge, kinematic-wave, diffusive-wave)',
    ]);
  });

  const basin = (rain: number[]) => ({
    id: 'side', reach: 'B', area_km2: 40, rain_mm: rain, scs: { CN: 80, baseflow_m3_per_s: 1 },
    surface_routing: { method: 'linear-reservoir', CS: 0.6, lag_steps: 1 },
  });
  it('a basin rain_mm shorter than the steps is an error naming its path and the length needed (before: padded with dry steps)', () => {
    // Three inflow values → 2 steps; or 4 given explicitly: rain must cover every step.
    expect(problemsOf({ ...good, basins: [basin([5])] })).toEqual([
      'error: $.basins[0].rain_mm: is too short for 2 steps (got "1 values", expected 2 values, one rain depth per step)',
    ]);
    expect(problemsOf({ ...good, steps: 4, inflows: [{ reach: 'A', m3_per_s: [1, 2, 3, 4, 5] }], basins: [basin([5, 10, 0])] })).toEqual([
      'error: $.basins[0].rain_mm: is too short for 4 steps (got "3 values", expected 4 values, one rain depth per step)',
    ]);
  });
  it('rain for every step (or more, as with inflows) routes', () => {
    expect(parseRouteCase({ ...good, basins: [basin([5, 10])] }).steps).toBe(2);
    expect(parseRouteCase({ ...good, steps: 2, basins: [basin([5, 10, 3])] }).steps).toBe(2);
  });
});
