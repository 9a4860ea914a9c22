// Custom fuel models: the herbaceous load transfer of dynamic models when the model has no dead
// load of its own (issue 15: NumericalError at live herb ≤ 30 %), and one code per model.
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputError } from '../../models/errors.ts';
import { formatBehavior, parseBehaviorCases, type BehaviorOutput } from '../../models/fire/behavior.ts';
import { fireBehaviorWasm } from '../../models/fire/kernel.ts';
import { fireBehaviorReference, OUT_STRIDE } from '../../models/fire/reference.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const LOAD = 0.05;
const SAV_HERB = 1800;
const herbOnly = { code: 'H1', dynamic: true, depth_ft: 1, mx_dead: 0.15, load_herb_lb_ft2: LOAD, sav_1h_ft: 2000, sav_herb_ft: SAV_HERB };
const moisture = (liveHerb: number) => ({ d1h: 6, d10h: 7, d100h: 8, live_herb: liveHerb, live_woody: 90 });
const at = (fuel: unknown, liveHerb: number) => ({ fuel_model: fuel, moisture_percent: moisture(liveHerb), midflame_wind_m_per_s: 2, wind_from_deg: 0 });

function run(cases: unknown[]): { wasm: BehaviorOutput[]; ts: Float64Array; raw: Float64Array } {
  const packed = parseBehaviorCases(cases);
  const raw = fireBehaviorWasm(kernels, packed);
  const ts = new Float64Array(packed.n * OUT_STRIDE);
  fireBehaviorReference(packed.n, packed.fuels, packed.fuelIndex, packed.cases, packed.windLimit, ts);
  return { wasm: formatBehavior(packed, raw, true) as BehaviorOutput[], ts, raw };
}

describe('dynamic herb-only custom model: the cured herb is dead fuel', () => {
  // Scott & Burgan (2005, RMRS-GTR-153, "dynamic fuel models"): at live herb moisture ≤ 30 % all
  // herb load is cured and moved to a dead herbaceous class that keeps the herb SAV and takes the
  // 1-h moisture. The same bed written as a static model with that load in the 1-h class at the
  // herb SAV (same SAV, same moisture, same size bin) is the hand-made transfer, and must burn
  // the same. (Behave 6 gives NaN here: it counts size classes before the transfer.)
  const cured = { code: 'S1', depth_ft: 1, mx_dead: 0.15, load_1h_lb_ft2: LOAD, sav_1h_ft: SAV_HERB };

  it.each([0, 15, 29, 30])('at live herb %s (percent) it equals the static model with the load moved by hand (before: non-finite)', (h) => {
    const { wasm } = run([at(herbOnly, h), at(cured, h)]);
    expect(Number.isFinite(wasm[0].ros_head_m_per_min)).toBe(true);
    expect(wasm[0].ros_head_m_per_min).toBeGreaterThan(1);
    for (const k of ['ros_head_m_per_min', 'reaction_intensity_kw_per_m2', 'heat_per_area_kj_per_m2', 'flame_length_m', 'length_to_width'] as const) {
      expect(Math.abs(wasm[0][k] - wasm[1][k]) / wasm[1][k], k).toBeLessThan(1e-12);
    }
  });

  it('is continuous across 30 % (before: 30 % was non-finite, 31 % ignored the cured 99 % in the weights)', () => {
    const { wasm } = run([at(herbOnly, 29.99), at(herbOnly, 30), at(herbOnly, 30.01), at(herbOnly, 31)]);
    const r = wasm.map((o) => o.ros_head_m_per_min);
    expect(r.every(Number.isFinite)).toBe(true);
    expect(Math.abs(r[1] - r[0]) / r[0]).toBeLessThan(1e-9);
    expect(Math.abs(r[2] - r[1]) / r[1]).toBeLessThan(1e-3);
    expect(Math.abs(r[3] - r[1]) / r[1]).toBeLessThan(0.01);
    expect(r[3]).toBeLessThan(r[1]); // a little green herb damps it
  });

  it('falls as the herb greens up, and spreads nothing once fully green (> 120 %: no transfer, live herb too wet)', () => {
    const hs = [30, 60, 90, 119, 120, 121, 200];
    const r = run(hs.map((h) => at(herbOnly, h))).wasm.map((o) => o.ros_head_m_per_min);
    expect(r.every(Number.isFinite)).toBe(true);
    for (let i = 1; i < r.length; i++) expect(r[i]).toBeLessThanOrEqual(r[i - 1]);
    expect(r[4]).toBeGreaterThan(0); // 120 %: BehavePlus's 1.333 − 1.11·m still cures 0.1 %
    expect(r[5]).toBe(0);
    expect(r[6]).toBe(0);
  });

  it('the wasm kernel and its plain-TS twin agree on these beds', () => {
    const { raw, ts } = run([0, 30, 31, 75, 120, 121].map((h) => at(herbOnly, h)));
    for (let i = 0; i < ts.length; i++) {
      expect(Number.isNaN(ts[i])).toBe(false);
      expect(Math.abs(ts[i] - raw[i])).toBeLessThanOrEqual(1e-13 * Math.max(Math.abs(ts[i]), 1e-300));
    }
  });

  it('a dynamic model that also has 1-h load is unchanged by the fix (it already counted as dead)', () => {
    const mixed = { ...herbOnly, code: 'M1', load_1h_lb_ft2: 0.02 };
    // Reference value from this engine before the fix (commit 425895b), which the fix must keep.
    const { wasm } = run([at(mixed, 31), at(mixed, 20)]);
    expect(wasm.map((o) => o.ros_head_m_per_min)).toEqual([14.28197741065573, 14.288618004773422]);
  });
});

describe('custom fuel models: one code, one number', () => {
  const problems = (input: unknown) => {
    try { parseBehaviorCases(input); } catch (e) { return (e as InputError).message.split('\n'); }
    return [];
  };
  const model = (code: string, number?: number) => ({ code, number, depth_ft: 1, mx_dead: 0.2, load_1h_lb_ft2: 0.1, sav_1h_ft: 2000 });

  it('a second model with the code of an earlier one (any case) is an error at its path (before: silently replaced it)', () => {
    expect(problems([{ ...at('X1', 60), custom_fuel_models: [model('X1'), model('x1')] }])).toEqual([
      'error: $[0].custom_fuel_models[1].code: repeats the code of $[0].custom_fuel_models[0] (got "x1", expected a code no other custom model uses)',
    ]);
  });
  it('a second model with the number of an earlier one is an error at its path', () => {
    expect(problems({ ...at(500, 60), custom_fuel_models: [model('A', 500), model('B', 500)] })).toEqual([
      'error: $.custom_fuel_models[1].number: repeats the number of $.custom_fuel_models[0] (got 500, expected a number no other custom model uses)',
    ]);
  });
  it('distinct codes and numbers are fine', () => {
    expect(problems({ ...at('B', 60), custom_fuel_models: [model('A', 500), model('B', 501)] })).toEqual([]);
  });
});
