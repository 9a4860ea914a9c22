// A `flood route` case built from a coupling's values (models/flood/route-typed.ts) is the same case
// as the file form given the same values as JSON: same plan and packed network, same output, and
// the same problems by the same paths — so the scenario's rivers lost their JSON round trip
// without changing a byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { routeCaseWasm } from '../../models/flood/kernel.ts';
import { formatRouteOutput, parseRouteCase } from '../../models/flood/route.ts';
import { routeCaseFromValues, type RouteCaseValues, type RouteReachValues } from '../../models/flood/route-typed.ts';
import type { XinanjiangBasinValues } from '../../models/flood/runoff-parse.ts';
import { createModelMemo, memoizeModels } from '../../models/scenario/memo.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const STEPS = 24;
const series = (f: (j: number) => number, n: number) => Float64Array.from({ length: n }, (_, j) => f(j));

// The humid-hill basin of models/scenario/flood-coupling.ts (Zhao 1992 ranges).
const basin = (over: Partial<XinanjiangBasinValues> = {}): XinanjiangBasinValues => ({
  id: 'B-up', reach: 'up', area_km2: 12.5,
  // Depths such as 0.1/3 that JSON must carry exactly.
  rain_mm: series((j) => (j > 1 && j < 8 ? 4 + j / 3 : 0), STEPS),
  evaporation_mm: series(() => 0.05 / 3, STEPS),
  xinanjiang: { K: 0.95, B: 0.3, IM: 0.2, UM_mm: 20, LM_mm: 70, DM_mm: 40, C: 0.15, SM_mm: 25, EX: 1.5, KI: 0.35, KG: 0.35, CI: 0.85, CG: 0.995 },
  initial: { WU_mm: 15, WL_mm: 55, WD_mm: 30, groundwater_m3_per_s: 0.25 },
  surface_routing: { method: 'linear-reservoir', CS: 0.6, lag_steps: 0 },
  ...over,
});

function reaches(method: RouteReachValues['method'] = 'muskingum-cunge'): RouteReachValues[] {
  const channel = { method, slope: 0.0015, manning_n: 0.035 } as const;
  return [
    { id: 'up', downstream: 'main', ...channel, length_m: 8000, section: { shape: 'trapezoid', bottom_width_m: 6.31, side_slope_h_per_v: 2 } },
    // Short and steep: at dt 1 h the scheme needs sub-steps, so the case must plan them as the file does.
    { id: 'side', downstream: 'main', ...channel, length_m: 1500, slope: 0.01, section: { shape: 'rectangular', width_m: 12 } },
    { id: 'main', downstream: null, ...channel, length_m: 21000, slope: 0.0004, section: { shape: 'trapezoid', bottom_width_m: 40.5, side_slope_h_per_v: 2 } },
  ] as RouteReachValues[];
}

function values(over: Partial<RouteCaseValues> = {}): RouteCaseValues {
  return {
    dtS: 3600, steps: STEPS,
    reaches: reaches(),
    inflows: [{ reach: 'side', m3PerS: series((j) => 30 + 50 * Math.max(0, 1 - Math.abs(j - 9) / 6), STEPS + 1) }],
    lateral: [{ reach: 'main', m3PerS: series((j) => (j >= 4 && j < 10 ? 25 : 0), STEPS + 1) }],
    basins: [basin(), basin({ id: 'B-main', reach: 'main', area_km2: 3.2, initial: {} })],
    ...over,
  };
}

/** The same values in the file form (what flood-coupling.ts used to hand the engine). */
const fileForm = (v: RouteCaseValues) => JSON.parse(JSON.stringify({
  dt_s: v.dtS, steps: v.steps, reaches: v.reaches,
  inflows: v.inflows.map((s) => ({ reach: s.reach, m3_per_s: Array.from(s.m3PerS) })),
  ...(v.lateral.length ? { lateral: v.lateral.map((s) => ({ reach: s.reach, m3_per_s: Array.from(s.m3PerS) })) } : {}),
  ...(v.basins ? { basins: v.basins.map((b) => ({ ...b, rain_mm: Array.from(b.rain_mm), evaporation_mm: Array.from(b.evaporation_mm) })) } : {}),
}));

const problemsOf = (f: () => unknown) => { try { f(); } catch (e) { return (e as InputError).problems; } throw new Error('no error'); };
const sameProblems = (v: RouteCaseValues) => {
  const typed = problemsOf(() => routeCaseFromValues(v));
  expect(typed).toEqual(problemsOf(() => parseRouteCase(fileForm(v))));
  return typed;
};

describe('flood route case from values', () => {
  for (const method of ['muskingum-cunge', 'kinematic-wave', 'diffusive-wave'] as const) {
    it(`plans, packs and formats the same as the file form (${method})`, () => {
      const v = values({ reaches: reaches(method) });
      const fromFile = parseRouteCase(fileForm(v));
      const typed = routeCaseFromValues(v);
      expect(typed).toEqual(fromFile);
      if (method === 'muskingum-cunge') expect(typed.substeps).toBeGreaterThan(1);
      expect(Buffer.from(typed.mixed.params.buffer)).toEqual(Buffer.from(fromFile.mixed.params.buffer));
      expect(Buffer.from(typed.mixed.lateral.buffer)).toEqual(Buffer.from(fromFile.mixed.lateral.buffer));
      const run = (c: typeof typed) => formatRouteOutput(c, routeCaseWasm(kernels, c));
      const output = JSON.stringify(run(typed));
      expect(output).toBe(JSON.stringify(run(fromFile)));
      // The basins' runoff really joined the network: B-up's outlet flow is in the case.
      expect(typed.basins!['B-up'].peak_m3_per_s).toBeGreaterThan(0.25);
    });
  }

  it('takes steps from the longest series when none are given, and no basins at all', () => {
    const v = values({ steps: undefined, basins: undefined });
    expect(routeCaseFromValues(v)).toEqual(parseRouteCase(fileForm(v)));
    expect(routeCaseFromValues(v).steps).toBe(STEPS);
  });

  it('keeps the file form’s checks and paths for a reach: range, section, kinematic reference, network', () => {
    const bad = (i: number, over: object, method?: RouteReachValues['method']) => {
      const r = reaches(method);
      r[i] = { ...r[i], ...over } as RouteReachValues;
      return values({ reaches: r });
    };
    expect(sameProblems(bad(1, { slope: 0.9 }))[0]).toMatchObject({ path: '$.reaches[1].slope', message: 'out of range', value: 0.9 });
    expect(sameProblems(bad(0, { section: { shape: 'trapezoid', bottom_width_m: 0, side_slope_h_per_v: 0 } }))[0])
      .toMatchObject({ path: '$.reaches[0].section', message: 'has no width' });
    expect(sameProblems(bad(2, { reference_discharge_m3_per_s: 100 }, 'kinematic-wave'))[0])
      .toMatchObject({ path: '$.reaches[2].reference_discharge_m3_per_s', message: 'applies to muskingum-cunge and diffusive-wave only' });
    expect(sameProblems(bad(0, { downstream: 'nowhere' }))[0]).toMatchObject({ path: '$.reaches[0].downstream', message: 'names no reach' });
    expect(sameProblems(bad(1, { id: 'up' }))[0]).toMatchObject({ path: '$.reaches[1].id', message: 'repeats the id of $.reaches[0]' });
    expect(sameProblems(bad(2, { downstream: 'up' }))[0]).toMatchObject({ path: '$.reaches[0].downstream', message: 'forms a cycle (up → main → up)' });
  });

  it('keeps the file form’s checks and paths for a basin: KI + KG, layer capacities, S ≤ SM, evaporation, rain', () => {
    const bad = (over: Partial<XinanjiangBasinValues>, overCase: Partial<RouteCaseValues> = {}) => values({ basins: [basin(), basin({ id: 'B-main', reach: 'main', ...over })], ...overCase });
    const xaj = basin().xinanjiang;
    expect(sameProblems(bad({ xinanjiang: { ...xaj, KI: 0.6, KG: 0.5 } }))[0]).toMatchObject({ path: '$.basins[1].xinanjiang.KG', message: 'makes KI + KG = 1.1 ≥ 1' });
    expect(sameProblems(bad({ initial: { WU_mm: 25, WD_mm: 41 } })).map((p) => p.path)).toEqual(['$.basins[1].initial.WU_mm', '$.basins[1].initial.WD_mm']);
    expect(sameProblems(bad({ initial: { S_mm: 30 } }))[0]).toMatchObject({ path: '$.basins[1].initial.S_mm', message: 'exceeds SM_mm', expected: 'at most 25 mm' });
    expect(sameProblems(bad({ evaporation_mm: series(() => 0.1, STEPS - 1) }))[0]).toMatchObject({ path: '$.basins[1].evaporation_mm', message: 'differs in length from rain_mm' });
    // The scenario maps this one to $.forcing.rain (models/scenario/run.ts CASE_PATHS): its path must not move.
    expect(sameProblems(bad({ rain_mm: series((j) => (j === 5 ? 7200 : 0), STEPS) }))[0]).toMatchObject({ path: '$.basins[1].rain_mm[5]', message: 'out of range', value: 7200 });
    expect(sameProblems(bad({ rain_mm: series(() => 1, STEPS - 2), evaporation_mm: series(() => 0, STEPS - 2) }))[0])
      .toMatchObject({ path: '$.basins[1].rain_mm', message: `is too short for ${STEPS} steps` });
    expect(sameProblems(bad({ id: 'B-up', reach: 'nowhere' })).map((p) => [p.path, p.message]))
      .toEqual([['$.basins[1].id', 'repeats another basin id'], ['$.basins[1].reach', 'names no reach']]);
  });

  it('keeps the file form’s checks and paths for a series: reach, range, length', () => {
    const inflow = (reach: string, m3PerS: Float64Array) => values({ inflows: [{ reach, m3PerS }] });
    expect(sameProblems(inflow('nowhere', series(() => 1, STEPS + 1)))[0]).toMatchObject({ path: '$.inflows[0].reach', message: 'names no reach' });
    expect(sameProblems(inflow('side', series((j) => (j === 3 ? -1 : 1), STEPS + 1)))[0]).toMatchObject({ path: '$.inflows[0].m3_per_s[3]', message: 'out of range' });
    expect(sameProblems(inflow('side', series(() => 1, STEPS)))[0]).toMatchObject({ path: '$.inflows[0].m3_per_s', message: `is too short for ${STEPS} steps` });
  });

  it('is memoised on the case: the same values built again are a hit, other rain a miss, and both equal the file form', async () => {
    const engine = createNodeEngine();
    const memo = createModelMemo();
    const memoised = memoizeModels(engine, memo);
    const first = await memoised.floodRouteCase(routeCaseFromValues(values()));
    const again = await memoised.floodRouteCase(routeCaseFromValues(values()));
    const wetter = await memoised.floodRouteCase(routeCaseFromValues(values({ basins: [basin({ rain_mm: series(() => 6, STEPS) })] })));
    expect([memo.hits, memo.misses]).toEqual([1, 2]);
    expect(again).toBe(first);
    expect(JSON.stringify(first)).toBe(JSON.stringify(await engine.floodRoute(fileForm(values()))));
    expect(wetter.reaches.main.peak_m3_per_s).not.toBe(first.reaches.main.peak_m3_per_s);
  });
});
