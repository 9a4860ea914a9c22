// Forecast scores against the hydroGOF vignette vector (cases.json) and the GB/T 22482 rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { routeCaseWasm } from '../../models/flood/kernel.ts';
import { formatRouteOutput, parseRouteCase } from '../../models/flood/route.ts';
import { runRunoff } from '../../models/flood/runoff.ts';
import { forecastScores, kgeParts, nse } from '../../models/flood/scores.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { floodReference } from './fixtures.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

describe('NSE and KGE (hydroGOF vignette: sim = obs + 1, obs = 1..10)', () => {
  const c = floodReference.metrics[0];
  it(`NSE = ${c.NSE}, KGE 2009 = ${c.KGE_2009}, KGE 2012 = ${c.KGE_2012} (to 1e-7, the vignette's digits)`, () => {
    expect(Math.abs(nse(c.sim, c.obs) - c.NSE)).toBeLessThan(1e-7);
    const k = kgeParts(c.sim, c.obs);
    expect(Math.abs(k.kge2009 - c.KGE_2009)).toBeLessThan(1e-7);
    expect(Math.abs(k.kge2012 - c.KGE_2012)).toBeLessThan(1e-7);
  });

  it('a perfect forecast scores 1 and is qualified; NSE of the observed mean is 0', () => {
    const obs = [10, 20, 80, 150, 90, 40, 20, 15];
    const s = forecastScores(obs, obs, 3600);
    expect(s.nse).toBe(1);
    expect(s.kge_2009).toBe(1);
    expect(s.gb_t_22482).toMatchObject({ dc_grade: 'A', qualified: true });
    const m = obs.reduce((a, v) => a + v, 0) / obs.length;
    expect(nse(obs.map(() => m), obs)).toBeCloseTo(0, 14);
  });
});

describe('GB/T 22482-2008 qualified forecast (cases.json forecast_standard)', () => {
  const obs = [10, 20, 50, 100, 200, 300, 250, 150, 80, 40, 20, 10, 10]; // peak 300 at step 5 (lead 5 h)
  it('peak within 20 % qualifies, beyond does not (allowed 60 m³/s here)', () => {
    const inside = obs.map((q) => (q === 300 ? 359 : q));
    const outside = obs.map((q) => (q === 300 ? 361 : q));
    expect(forecastScores(inside, obs, 3600).gb_t_22482).toMatchObject({ peak_allowed_m3_per_s: 60, peak_qualified: true });
    expect(forecastScores(outside, obs, 3600).gb_t_22482.peak_qualified).toBe(false);
  });

  it('peak time: 30 % of the lead time but at least 3 h (or one step): 3 h late qualifies at a 5 h lead, 4 h does not', () => {
    const shift = (k: number) => obs.map((_, t) => obs[Math.max(0, t - k)]);
    const late3 = forecastScores(shift(3), obs, 3600);
    expect(late3.peak_time_error_s).toBe(3 * 3600);
    expect(late3.gb_t_22482).toMatchObject({ peak_time_allowed_s: 3 * 3600, peak_time_qualified: true });
    expect(forecastScores(shift(4), obs, 3600).gb_t_22482.peak_time_qualified).toBe(false);
    // A 6-hour step: one step (6 h) is the floor.
    expect(forecastScores(shift(1), obs, 6 * 3600).gb_t_22482.peak_time_allowed_s).toBe(9 * 3600);
  });

  it('runoff depth: 20 % of the observed depth, at least 3 mm, at most 20 mm (basins)', () => {
    // 100 km², volume of obs by the trapezoid rule = 1 226 000 m³/s·h... depth = Σ·3600/(area·1000).
    const s = forecastScores(obs.map((q) => q * 1.1), obs, 3600, 100);
    const depth = (obs.slice(1).reduce((a, q, t) => a + 0.5 * (q + obs[t]), 0) * 3600) / (100 * 1000);
    expect(s.runoff_depth_error_mm).toBeCloseTo(0.1 * depth, 10);
    expect(s.gb_t_22482.runoff_depth_allowed_mm).toBeCloseTo(Math.min(20, Math.max(3, 0.2 * depth)), 12);
    expect(s.gb_t_22482.runoff_depth_qualified).toBe(true);
  });
});

describe('scores in route and runoff output', () => {
  it('a reach with observed_m3_per_s gets scores, and is output even when not selected', () => {
    const inflow = [93, 137, 208, 320, 442, 546, 630, 678, 691, 675, 634, 571, 477, 390, 329, 247, 184, 134, 108, 90];
    const observed = [85, 91, 114, 159, 233, 324, 420, 509, 578, 623, 642, 635, 603, 546, 479, 413, 341, 274, 215, 170];
    const parsed = parseRouteCase({
      dt_s: 3600, output: { reaches: [] },
      reaches: [{ id: 'R', downstream: null, method: 'muskingum', K_s: 8280, X: 0.15, initial_outflow_m3_per_s: 85, observed_m3_per_s: observed }],
      inflows: [{ reach: 'R', m3_per_s: inflow }],
    });
    const out = formatRouteOutput(parsed, routeCaseWasm(kernels, parsed));
    const s = out.reaches.R.scores!;
    // Chow's printed table against exact coefficients: differences under 0.5 m³/s.
    expect(s.nse).toBeGreaterThan(0.99999);
    expect(s.peak_time_error_s).toBe(0);
    expect(Math.abs(s.peak_error_m3_per_s)).toBeLessThan(0.5);
    expect(s.gb_t_22482.qualified).toBe(true);
  });

  it('observed series of the wrong length or constant are input errors', () => {
    const problems = (input: unknown) => {
      try { parseRouteCase(input); } catch (e) { if (e instanceof InputError) return e.problems.map(formatProblem); throw e; }
      return [];
    };
    const base = { dt_s: 3600, reaches: [{ id: 'R', downstream: null, method: 'muskingum', K_s: 8280, X: 0.15 }], inflows: [{ reach: 'R', m3_per_s: [1, 2, 3] }] };
    expect(problems({ ...base, reaches: [{ ...base.reaches[0], observed_m3_per_s: [1, 2] }] }))
      .toEqual(['error: $.reaches[0].observed_m3_per_s: does not match the 2 steps (got an array of 2, expected 3 values, one per step from t = 0)']);
    expect(problems({ ...base, reaches: [{ ...base.reaches[0], observed_m3_per_s: [4, 4, 4] }] }))
      .toEqual(['error: $.reaches[0].observed_m3_per_s: is constant (got 4, expected an observed hydrograph that varies (NSE and KGE need its variance))']);
  });

  it('a basin with observed_m3_per_s gets scores including the runoff-depth rule', () => {
    const rain = [0, 10, 30, 20, 5, 0, 0, 0, 0, 0];
    const out = runRunoff({ dt_s: 3600, basins: [{ id: 'b', area_km2: 50, rain_mm: rain, scs: { CN: 80 }, surface_routing: { method: 'linear-reservoir', CS: 0.5 }, observed_m3_per_s: [0, 0, 5, 40, 60, 50, 30, 15, 8, 4, 2] }] });
    const s = out.basins.b.scores!;
    expect(s.gb_t_22482.runoff_depth_allowed_mm).toBeGreaterThanOrEqual(3);
    expect(Number.isFinite(s.nse)).toBe(true);
  });
});
