// Rainfall–runoff: SCS curve number and Xinanjiang against test/reference/flood/cases.json,
// water balance, sub-daily parameter conversion, outlet routing, coupling into a route case.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { routeCaseWasm } from '../../models/flood/kernel.ts';
import { formatRouteOutput, parseRouteCase } from '../../models/flood/route.ts';
import {
  runRunoff, scsRunoff, subDailyCoefficients, tensionWaterRunoff, xinanjiangStep, type XinanjiangParameters,
} from '../../models/flood/runoff.ts';
import { seededRandom } from '../../models/random.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { floodReference } from './fixtures.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const reference = floodReference.runoff;

describe('SCS curve number (Ia = 0.2S, S = 25400/CN − 254 mm; cases.json)', () => {
  for (const c of reference.scs_cn) {
    const label = c.P_in !== undefined ? `CN ${c.CN}, P = ${c.P_in} in → Q = ${c.expected_Q_in} in (to 1e-6 in)` : `CN ${c.CN}, P = ${c.P_mm} mm → Q = ${c.expected_Q_mm} mm (to 1e-4 mm)`;
    it(label, () => {
      if (c.P_in !== undefined) expect(Math.abs(scsRunoff(c.P_in * 25.4, c.CN) / 25.4 - c.expected_Q_in!)).toBeLessThan(1e-6);
      else expect(Math.abs(scsRunoff(c.P_mm!, c.CN) - c.expected_Q_mm!)).toBeLessThan(1e-4);
    });
  }

  it('rain below the initial abstraction gives no runoff; per-step runoff sums to the cumulative curve', () => {
    expect(scsRunoff(10, 70)).toBe(0); // Ia = 0.2·(25400/70 − 254) = 21.77 mm
    const rain = [5, 10, 20, 30, 10, 0, 5];
    const out = runRunoff({ dt_s: 3600, basins: [{ id: 'b', area_km2: 10, rain_mm: rain, scs: { CN: 70 } }] }).basins.b;
    const total = out.runoff_mm.reduce((a, v) => a + v, 0);
    expect(total).toBeCloseTo(scsRunoff(80, 70), 12);
    expect(out.runoff_mm[0]).toBe(0);
  });
});

describe('Xinanjiang runoff generation (Zhao 1992; WM = 120 mm, B = 0.3, IM = 0; cases.json)', () => {
  const { cases, tolerance_abs: tolerance } = reference.xinanjiang_runoff_generation;
  for (const c of cases) {
    it(`W0 = ${c.W0} mm, PE = ${c.PE} mm → R = ${c.expected_R} mm (to ${tolerance} mm)`, () => {
      expect(Math.abs(tensionWaterRunoff(c.PE, c.W0, 120, 0.3) - c.expected_R)).toBeLessThanOrEqual(tolerance);
    });
  }
});

const params: XinanjiangParameters = {
  K: 0.9, B: 0.3, IM: 0.02, UM: 20, LM: 70, DM: 60, C: 0.15, SM: 30, EX: 1.2, KI: 0.4, KG: 0.3, CI: 0.8, CG: 0.98,
};

describe('Xinanjiang water balance and parameters', () => {
  it('every step closes P − E − R − ΔW = 0 (tension water) and R − RS − RI − RG − Δ(FR·S) = 0 to 1e-12 mm', () => {
    const random = seededRandom(11);
    const k = subDailyCoefficients(params, 3600);
    const state = { WU: 5, WL: 40, WD: 30, S: 5, FR: 0.2 };
    const pervious = 1 - params.IM;
    for (let t = 0; t < 2000; t++) {
      const rain = random() < 0.3 ? 40 * random() * random() : 0;
      const pan = 0.4 * random();
      const w0 = state.WU + state.WL + state.WD;
      const free0 = state.FR * state.S;
      const step = xinanjiangStep(params, k, state, rain, pan);
      const dW = pervious * (state.WU + state.WL + state.WD - w0);
      expect(Math.abs(rain - step.evaporation - step.runoff - dW)).toBeLessThan(1e-12);
      const dFree = pervious * (state.FR * state.S - free0);
      expect(Math.abs(step.runoff - step.surface - step.interflow - step.groundwater - dFree)).toBeLessThan(1e-12);
      for (const v of [state.WU, state.WL, state.WD, state.S]) expect(v).toBeGreaterThanOrEqual(0);
      expect(state.WU).toBeLessThanOrEqual(params.UM + 1e-12);
      expect(state.WL).toBeLessThanOrEqual(params.LM + 1e-12);
      expect(state.WD).toBeLessThanOrEqual(params.DM + 1e-12);
      expect(state.S).toBeLessThanOrEqual(params.SM + 1e-12);
    }
  });

  it('sub-daily KI, KG, CI, CG: 24 hourly steps drain what one daily step does, in the daily KI : KG ratio', () => {
    const hourly = subDailyCoefficients(params, 3600);
    expect(Math.pow(1 - hourly.KI - hourly.KG, 24)).toBeCloseTo(1 - params.KI - params.KG, 14);
    expect(hourly.KI / hourly.KG).toBeCloseTo(params.KI / params.KG, 12);
    expect(Math.pow(hourly.CI, 24)).toBeCloseTo(params.CI, 14);
    expect(Math.pow(hourly.CG, 24)).toBeCloseTo(params.CG, 14);
    const daily = subDailyCoefficients(params, 86400);
    expect(daily.KI).toBeCloseTo(params.KI, 14);
    expect(daily.KG).toBeCloseTo(params.KG, 14);
  });

  it('a storm on a basin: the outlet discharge carries the released runoff volume; the balance is reported closed', () => {
    const rain = [0, 2, 10, 25, 40, 18, 6, 1, ...new Array(400).fill(0)];
    const out = runRunoff({
      dt_s: 3600,
      basins: [{
        id: 'upper', area_km2: 250, rain_mm: rain, evaporation_mm: new Array(rain.length).fill(0),
        xinanjiang: { ...Object.fromEntries(Object.entries(params).map(([k, v]) => [['UM', 'LM', 'DM', 'SM'].includes(k) ? `${k}_mm` : k, v])), KG: 0.05, KI: 0.6 },
        initial: { WU_mm: 10, WL_mm: 50, WD_mm: 40 },
        surface_routing: { method: 'unit-hydrograph', ordinates: [0.1, 0.3, 0.3, 0.2, 0.1] },
      }],
    }).basins.upper;
    expect(Math.abs(out.water_balance_mm.residual)).toBeLessThan(1e-10);
    // Each linear reservoir Q_t = c·Q_(t−1) + (1 − c)·R_t·U releases exactly what entered, less what
    // it still holds: Σ Q_t + c/(1 − c)·(Q_n − Q_0) = U·Σ R_t. The unit hydrograph releases all of it.
    const toFlow = 250 * 1000 / 3600;
    const sum = (a: number[]) => a.reduce((x, v) => x + v, 0);
    const k = subDailyCoefficients({ ...params, KI: 0.6, KG: 0.05 }, 3600);
    expect(sum(out.surface_m3_per_s.slice(1)) / (toFlow * sum(out.surface_mm))).toBeCloseTo(1, 12);
    for (const [flow, depth, c] of [[out.interflow_m3_per_s, out.interflow_mm, k.CI], [out.groundwater_m3_per_s, out.groundwater_mm, k.CG]] as const) {
      const n = flow.length - 1;
      expect((sum(flow.slice(1)) + c / (1 - c) * (flow[n] - flow[0])) / (toFlow * sum(depth))).toBeCloseTo(1, 9);
    }
    expect(out.surface_m3_per_s.length).toBe(rain.length + 1);
    expect(out.peak_time_s).toBeGreaterThan(3 * 3600);
  });
});

function problemsOf(run: () => unknown): string[] {
  try { run(); } catch (error) { if (error instanceof InputError) return error.problems.map(formatProblem); throw error; }
  throw new Error('expected an InputError');
}

const goodBasin = {
  id: 'b', area_km2: 100, rain_mm: [0, 10, 20, 5], evaporation_mm: [0.1, 0.1, 0.1, 0.1],
  xinanjiang: { K: 0.9, B: 0.3, IM: 0.02, UM_mm: 20, LM_mm: 70, DM_mm: 60, C: 0.15, SM_mm: 30, EX: 1.2, KI: 0.4, KG: 0.3, CI: 0.8, CG: 0.98 },
};

describe('runoff input errors', () => {
  it('KI + KG ≥ 1 is refused at $.basins[0].xinanjiang.KG', () => {
    expect(problemsOf(() => runRunoff({ dt_s: 3600, basins: [{ ...goodBasin, xinanjiang: { ...goodBasin.xinanjiang, KI: 0.6, KG: 0.5 } }] })))
      .toEqual(['error: $.basins[0].xinanjiang.KG: makes KI + KG = 1.1 ≥ 1 (got 0.5, expected KG < 1 − KI = 0.4 (free water cannot drain more than it holds in a day))']);
  });

  it('negative rain, a missing parameter, two models, a unit hydrograph not summing to 1', () => {
    const problems = problemsOf(() => runRunoff({
      dt_s: 3600,
      basins: [
        { ...goodBasin, rain_mm: [0, -1, 2, 3] },
        { ...goodBasin, id: 'c', xinanjiang: { ...goodBasin.xinanjiang, SM_mm: undefined } },
        { ...goodBasin, id: 'd', scs: { CN: 70 } },
        { id: 'e', area_km2: 5, rain_mm: [1], scs: { CN: 70 }, surface_routing: { method: 'unit-hydrograph', ordinates: [0.5, 0.3] } },
      ],
    }));
    expect(problems).toContain('error: $.basins[0].rain_mm[1]: out of range (got -1, expected a number in [0, 1000] mm)');
    expect(problems).toContain('error: $.basins[1].xinanjiang.SM_mm: is required (got nothing, expected a number in (0, 500] mm)');
    expect(problems).toContain('error: $.basins[2]: names two runoff models (got nothing, expected exactly one of "xinanjiang" or "scs")');
    expect(problems).toContain('error: $.basins[3].surface_routing.ordinates: must sum to 1 (got 0.8, expected fractions of the runoff leaving at each step, summing to 1)');
  });
});

describe('basins feeding a river network', () => {
  const routeCase = {
    dt_s: 3600,
    reaches: [
      { id: 'A', downstream: 'C', method: 'muskingum', K_s: 8280, X: 0.15 },
      { id: 'C', downstream: null, method: 'muskingum-cunge', length_m: 14000, slope: 0.001, manning_n: 0.035, section: { shape: 'trapezoid', bottom_width_m: 15, side_slope_h_per_v: 5 } },
    ],
    inflows: [{ reach: 'A', m3_per_s: new Array(25).fill(20) }],
    basins: [
      { ...goodBasin, reach: 'A', rain_mm: [0, 10, 20, 30, 5, ...new Array(19).fill(0)], evaporation_mm: new Array(24).fill(0.1) },
      { id: 'side', reach: 'C', area_km2: 40, rain_mm: [0, 10, 20, 30, 5, ...new Array(19).fill(0)], scs: { CN: 80, baseflow_m3_per_s: 1 }, surface_routing: { method: 'linear-reservoir', CS: 0.6, lag_steps: 1 } },
    ],
  };

  it('basin outlet flow joins the reach as lateral inflow: same result as giving it as `lateral`', () => {
    const parsed = parseRouteCase(routeCase);
    const coupled = formatRouteOutput(parsed, routeCaseWasm(kernels, parsed));
    expect(Object.keys(coupled.basins!)).toEqual(['b', 'side']);
    const lateral = Object.entries(coupled.basins!).map(([id, b]) => ({ reach: id === 'b' ? 'A' : 'C', m3_per_s: b.discharge_m3_per_s }));
    const { basins: _unused, ...plain } = routeCase;
    const parsedPlain = parseRouteCase({ ...plain, lateral });
    const separate = formatRouteOutput(parsedPlain, routeCaseWasm(kernels, parsedPlain));
    expect(coupled.reaches).toEqual(separate.reaches);
    expect(Math.abs(coupled.mass_balance.relative_error)).toBeLessThan(1e-9);
    expect(coupled.reaches.C.peak_m3_per_s).toBeGreaterThan(21);
  });

  it('a basin naming no reach is an input error at its path', () => {
    expect(problemsOf(() => parseRouteCase({ ...routeCase, basins: [{ ...routeCase.basins[1], reach: 'Z' }] })))
      .toEqual(['error: $.basins[0].reach: names no reach (got "Z", expected the id of a reach in $.reaches)']);
  });
});

describe('Xinanjiang wasm kernel vs the plain-TS twin', () => {
  it('agrees to 1e-12 relative (depths in mm, discharges in m³/s) on random basins, storms and dry spells; pow differs in the last bits between libms', async () => {
    const { runXinanjiangWasm } = await import('../../models/flood/kernel.ts');
    const random = seededRandom(21);
    const basins = Array.from({ length: 40 }, (_, k) => ({
      id: `b${k}`, area_km2: 10 + 500 * random(),
      rain_mm: Array.from({ length: 300 }, () => (random() < 0.25 ? 60 * random() * random() : 0)),
      evaporation_mm: Array.from({ length: 300 }, () => 0.5 * random()),
      xinanjiang: {
        K: 0.5 + random(), B: 0.1 + 0.3 * random(), IM: 0.1 * random(), UM_mm: 5 + 15 * random(), LM_mm: 60 + 30 * random(),
        DM_mm: 60 + 60 * random(), C: 0.2 * random(), SM_mm: 1 + 99 * random(), EX: 1 + 0.5 * random(),
        KI: 0.6 * random(), KG: 0.3 * random(), CI: 0.9 * random(), CG: 0.98 + 0.018 * random(),
      },
      initial: { S_mm: 0, FR: 0 },
    }));
    const input = { dt_s: 3 * 3600, basins };
    const ts = runRunoff(input);
    const wasm = runRunoff(input, (b, dt, steps) => runXinanjiangWasm(kernels, b, dt, steps));
    let worst = 0;
    for (const id of Object.keys(ts.basins)) {
      for (const key of ['runoff_mm', 'surface_mm', 'interflow_mm', 'groundwater_mm', 'evaporation_mm', 'discharge_m3_per_s'] as const) {
        ts.basins[id][key].forEach((v, t) => { worst = Math.max(worst, Math.abs(v - wasm.basins[id][key][t]) / Math.max(1, Math.abs(v))); });
      }
      expect(Math.abs(wasm.basins[id].water_balance_mm.residual)).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
