// Iverson (2000) / TRIGRS 2.1 infiltration and infinite-slope FS against the reference cases of
// test/reference/landslide/cases.json, plus analytic invariants, split-storm equivalence and
// wasm-vs-TS agreement.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  factorOfSafety, FOURIER_FROM_TAU, fourierResponse as fourierSeries, imageSeriesResponse, iversonR, packCells,
  runReference, unitResponse, type CellProperties, type RunSetup,
} from '../../models/landslide/reference.ts';
import { BASAL_FINITE, BASAL_INFINITE, CELL_FOUR_D1, CELL_STRIDE } from '../../assembly/landslide/layout.ts';
import { runLandslideWasm, type LandslideKernels } from '../../models/landslide/kernel.ts';
import { cosPi, erfcD, expD } from '../../models/landslide/reference.ts';
import { seededRandom } from '../../models/random.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { landslideReference as ref, packed, profileCell, REFERENCE_GAMMA_W, setupOf } from './fixtures.ts';

let kernels: Kernels;
let wasm: LandslideKernels;
beforeAll(async () => {
  kernels = await loadKernels();
  wasm = kernels.exportsAs<LandslideKernels>();
});

const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('erfc and exp written out (Cody 1969; fdlibm)', () => {
  // erfc to 40 digits from mpmath 1.3.0 (mp.dps = 40), rounded to double.
  const ERFC: [number, number][] = [
    [-3, 1.9999779095030015], [-1, 1.8427007929497148], [-0.3, 1.3286267594591274], [0, 1.0],
    [1e-10, 0.999999999887162], [0.01, 0.9887165844441503], [0.1, 0.887537083981715], [0.25, 0.7236736098317631],
    [0.46875, 0.507386526782062], [0.47, 0.5062549491139179], [0.5, 0.4795001221869535], [0.75, 0.28884436634648486],
    [1, 0.15729920705028513], [1.5, 0.033894853524689274], [2, 0.004677734981047266], [2.5, 0.0004069520174449589],
    [3, 2.209049699858544e-05], [3.5, 7.430983723414128e-07], [4, 1.541725790028002e-08], [4.0001, 1.5404564743590145e-08],
    [4.5, 1.9661604415428876e-10], [5, 1.537459794428035e-12], [6, 2.1519736712498913e-17], [8, 1.1224297172982926e-29],
    [10, 2.088487583762545e-45], [15, 7.212994172451207e-100], [20, 5.395865611607901e-176], [26, 5.663192408856143e-296],
  ];

  it('erfc matches mpmath to 2e-15 relative from −3 to 26 (all three of Cody\'s intervals)', () => {
    let worst = 0;
    for (const [x, want] of ERFC) worst = Math.max(worst, relative(erfcD(x), want));
    expect(worst).toBeLessThan(2e-15);
  });

  it('erfc is 0 past 26.543 where the double underflows, and NaN stays NaN', () => {
    expect(erfcD(27)).toBe(0);
    expect(erfcD(NaN)).toBeNaN();
  });

  it('exp is within 1 ulp of the engine\'s Math.exp on 100 000 random arguments in [−745, 709]', () => {
    const random = seededRandom(7);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = -745 + 1454 * random();
      const want = Math.exp(x);
      if (want < 2.3e-308) continue; // subnormal: ulp comparison is meaningless there
      worst = Math.max(worst, Math.abs(expD(x) - want) / (want * Number.EPSILON));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(expD(0)).toBe(1);
    expect(Math.abs(expD(1) - Math.E)).toBeLessThanOrEqual(Math.E * Number.EPSILON);
    expect(expD(-800)).toBe(0);
    expect(expD(710)).toBe(Infinity);
  });

  it('wasm erfc and exp are the TS ones bit for bit (10 000 random arguments)', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 10_000; i++) {
      const x = -5 + 35 * random();
      expect(wasm.erfcD(x)).toBe(erfcD(x));
      const y = -740 + 1440 * random();
      expect(wasm.expD(y)).toBe(expD(y));
    }
  });
});

describe('R(t*) of Iverson (2000)', () => {
  it('cases.json R_table: every entry within 5e-7 (the table is printed to 6 decimals)', () => {
    for (const [tStar, want] of ref.R_table) expect(Math.abs(iversonR(tStar) - want)).toBeLessThanOrEqual(5e-7);
  });

  it('against mpmath (40 digits) to 1e-13 relative, R(0) = R(−1) = 0', () => {
    const MP: [number, number][] = [[0.1, 3.5569452504503397e-07], [0.5, 0.008490702616829637], [1, 0.05025454166001222],
      [2, 0.1666309411753726], [5, 0.5057938380690186], [10, 0.9596214126967848], [100, 4.69822094996297]];
    for (const [tStar, want] of MP) expect(relative(iversonR(tStar), want)).toBeLessThan(1e-13);
    expect(iversonR(0)).toBe(0);
    expect(iversonR(-1)).toBe(0);
  });
});

describe('infinite-slope factor of safety, cases.json fs_hand (γw = 9800)', () => {
  ref.fs_hand.forEach((h, i) => {
    it(`hand case ${i}: slope ${h.slope_deg}°, φ ${h.friction_deg}°, c ${h.cohesion_pa} Pa, ψ ${h.psi_m} m → FS ${h.FS} within 1e-5`, () => {
      const cells = packCells([{
        slope_deg: h.slope_deg, friction_deg: h.friction_deg, cohesion_pa: h.cohesion_pa, unit_weight_soil_n_per_m3: h.gamma_s,
        soil_depth_m: 5, water_table_depth_m: 5, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-5, background_infiltration_m_per_s: 0,
      }], REFERENCE_GAMMA_W);
      // The table is printed to 5 decimals.
      expect(Math.abs(factorOfSafety(cells, 0, h.Z_m, h.psi_m) - h.FS)).toBeLessThanOrEqual(1e-5);
    });
  });

  it('suction does not add strength (ψ < 0 counts as 0) and FS is capped at 10', () => {
    const cells = packCells([{ slope_deg: 30, friction_deg: 30, cohesion_pa: 5000, unit_weight_soil_n_per_m3: 20000,
      soil_depth_m: 3, water_table_depth_m: 3, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-5, background_infiltration_m_per_s: 0 }], 9810);
    expect(factorOfSafety(cells, 0, 1, -2)).toBe(factorOfSafety(cells, 0, 1, 0));
    expect(factorOfSafety(cells, 0, 0.01, 0)).toBe(10);
  });
});

function profileRun(p: typeof ref.minor_creek, basal = BASAL_INFINITE) {
  const duration = p.rain_duration_s ?? Math.max(...p.expected.map((e) => e.t_s));
  const times = [...new Set(p.expected.map((e) => e.t_s))];
  const depths = [...new Set(p.expected.map((e) => e.Z_m))];
  const setup = setupOf([[duration, p.rain_m_per_s]], times, depths, basal);
  const run = runLandslideWasm(kernels, packed([profileCell(p)]), setup);
  const at = (t: number, z: number) => times.indexOf(t) * depths.length + depths.indexOf(z);
  return { run, at };
}

describe('TRIGRS check cases (infinite depth)', () => {
  for (const name of ['minor_creek', 'flume'] as const) {
    const p = ref[name];
    it(`${p.source}: ψ and FS at every listed (t, Z) within ${p.tolerance_rel * 100}% relative`, () => {
      const { run, at } = profileRun(p);
      for (const e of p.expected) {
        const i = at(e.t_s, e.Z_m);
        expect(relative(run.pressureHead![i], e.psi_m), `ψ at t=${e.t_s}, Z=${e.Z_m}`).toBeLessThanOrEqual(p.tolerance_rel);
        expect(relative(run.fsAtDepth![i], e.FS), `FS at t=${e.t_s}, Z=${e.Z_m}`).toBeLessThanOrEqual(p.tolerance_rel);
      }
    });
  }

  it('flume at 1200 s sits on the β line: ψ = (cos²31°)·0.7 exactly', () => {
    const { run, at } = profileRun(ref.flume);
    const cos = Math.cos(31 * Math.PI / 180);
    expect(run.pressureHead![at(1200, 0.7)]).toBe(cos * cos * 0.7);
  });

  it('Minor Creek at t = 0 is the initial water table: ψ = β(Z − d) with β = cos²15° − 0.1', () => {
    const { run, at } = profileRun(ref.minor_creek);
    const cos = Math.cos(15 * Math.PI / 180);
    expect(run.pressureHead![at(0, 6)]).toBeCloseTo((cos * cos - 0.1) * 4, 14);
  });
});

describe('finite depth (impermeable base): image series', () => {
  /** Carslaw & Jaeger's Fourier form for a flux into a slab with an insulated base: an independent check. */
  function fourierResponse(z: number, lag: number, fourD1: number, L: number): number {
    const D = fourD1 / 4;
    const x = L - z;
    let sum = D * lag / L + x * x / (2 * L) - L / 6;
    for (let n = 1; n < 200; n++) {
      sum -= (2 * L / (Math.PI * Math.PI)) * ((n % 2 ? -1 : 1) / (n * n)) * Math.exp(-n * n * Math.PI * Math.PI * D * lag / (L * L)) * Math.cos(n * Math.PI * x / L);
    }
    return sum;
  }

  it('agrees with the Fourier series to 1e-11 relative from D₁t/L² = 0.01 to 100', () => {
    const L = 2;
    const fourD1 = 4e-5;
    for (const tau of [0.01, 0.1, 0.5, 1, 5, 20, 100]) {
      const lag = tau * L * L / (fourD1 / 4);
      for (const z of [0.1, 0.5, 1, 1.5, 2]) {
        const want = fourierResponse(z, lag, fourD1, L);
        expect(Math.abs(unitResponse(z, lag, fourD1, L, BASAL_FINITE) - want) / Math.max(Math.abs(want), 1e-3)).toBeLessThan(1e-11);
      }
    }
  });

  it('the image series and the Fourier series (own cos) agree to 1e-12 of L around the switch at D₁t/L² = 0.2', () => {
    const L = 1.7;
    const fourD1 = 2e-5;
    for (const tau of [0.05, 0.1, 0.2, 0.3, 0.6, 1]) {
      const lag = tau * L * L / (fourD1 / 4);
      for (const z of [0.01, 0.3, 0.85, 1.2, 1.7]) {
        expect(Math.abs(imageSeriesResponse(z, lag, fourD1, L) - fourierSeries(z, lag, fourD1, L)) / L).toBeLessThan(1e-12);
      }
    }
    expect(FOURIER_FROM_TAU).toBe(0.2);
  });

  it('cos(πu) written out (fdlibm kernels) is within 4e-16 of Math.cos on 100 000 points of [0, 1]', () => {
    const random = seededRandom(17);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = random();
      worst = Math.max(worst, Math.abs(cosPi(u) - Math.cos(Math.PI * u)));
    }
    expect(worst).toBeLessThan(4e-16);
    expect(cosPi(0)).toBe(1);
    expect(cosPi(0.5)).toBe(0);
    expect(cosPi(1)).toBe(-1);
  });

  it('conserves water: ∫₀ᴸ F dZ = D₁t (all infiltrated water stays in the column), Simpson to 1e-8', () => {
    const L = 1.5;
    const fourD1 = 1e-4;
    for (const lag of [600, 3600, 86400, 864000]) {
      const n = 2000;
      let integral = 0;
      for (let i = 0; i <= n; i++) {
        const z = Math.max(1e-12, (L * i) / n);
        const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
        integral += w * unitResponse(z, lag, fourD1, L, BASAL_FINITE);
      }
      integral *= L / n / 3;
      expect(relative(integral, fourD1 / 4 * lag)).toBeLessThan(1e-8);
    }
  });

  it('equals the infinite-depth response (to 1e-12: the two forms cancel differently) while the wetting front is far above the base', () => {
    const z = 0.5;
    const lag = 3600;
    const fourD1 = 4e-6;
    expect(relative(unitResponse(z, lag, fourD1, 20, BASAL_FINITE), unitResponse(z, lag, fourD1, 20, BASAL_INFINITE))).toBeLessThan(1e-12);
  });
});

const CITY_CELL: CellProperties = {
  slope_deg: 35, soil_depth_m: 2.5, water_table_depth_m: 2.0, cohesion_pa: 3000, friction_deg: 32,
  unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5, background_infiltration_m_per_s: 1e-8,
};

describe('split-storm equivalence (the TRIGRS 2.1 finite-depth defect is not copied)', () => {
  for (const basal of [BASAL_INFINITE, BASAL_FINITE]) {
    it(`${basal === BASAL_FINITE ? 'finite' : 'infinite'} depth: 12 h at 4e-6 m/s equals 12 × 1 h and 48 × 15 min to 1e-12 m`, () => {
      const times = [3600, 6 * 3600, 12 * 3600, 24 * 3600, 72 * 3600];
      const depths = [0.25, 0.5, 1, 1.5, 2, 2.5];
      const one = runReference(packed([CITY_CELL]), setupOf([[12 * 3600, 4e-6]], times, depths, basal));
      const hourly = runReference(packed([CITY_CELL]), setupOf(Array(12).fill([3600, 4e-6]), times, depths, basal));
      const quarter = runReference(packed([CITY_CELL]), setupOf(Array(48).fill([900, 4e-6]), times, depths, basal));
      for (let i = 0; i < one.pressureHead!.length; i++) {
        expect(Math.abs(hourly.pressureHead![i] - one.pressureHead![i])).toBeLessThan(1e-12);
        expect(Math.abs(quarter.pressureHead![i] - one.pressureHead![i])).toBeLessThan(1e-12);
      }
      // The storm must matter here, or the test proves nothing.
      const dry = runReference(packed([CITY_CELL]), setupOf([[12 * 3600, 0]], times, depths, basal));
      expect(one.pressureHead![2 * depths.length + 4] - dry.pressureHead![2 * depths.length + 4]).toBeGreaterThan(0.05);
    });
  }

  it('rain above Ks infiltrates at Ks (rik capped at 1): 10·Ks gives the same ψ as Ks', () => {
    const times = [3600, 7200];
    const a = runReference(packed([CITY_CELL]), setupOf([[7200, 5e-6]], times, [1, 2]));
    const b = runReference(packed([CITY_CELL]), setupOf([[7200, 5e-5]], times, [1, 2]));
    expect(Array.from(b.pressureHead!)).toEqual(Array.from(a.pressureHead!));
  });
});

function randomCells(count: number, seed: number): CellProperties[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const soil = 0.5 + 4.5 * r();
    return {
      slope_deg: 5 + 50 * r(), soil_depth_m: soil, water_table_depth_m: soil * r(), cohesion_pa: 10000 * r(),
      friction_deg: 20 + 20 * r(), unit_weight_soil_n_per_m3: 17000 + 5000 * r(), ks_m_per_s: 10 ** (-7 + 3 * r()),
      diffusivity_m2_per_s: 10 ** (-6 + 3 * r()), background_infiltration_m_per_s: 1e-9 * r(),
    };
  });
}

function hourlyStorm(hours: number, seed: number): [number, number][] {
  const r = seededRandom(seed);
  return Array.from({ length: hours }, () => [3600, r() < 0.3 ? 0 : 2e-5 * r() * r()] as [number, number]);
}

function lattice(setup: RunSetup, period: number): RunSetup {
  const timeSteps = Int32Array.from(setup.times, (t) => t / period);
  return { ...setup, lagged: { period, timeSteps } };
}

const sameBits = (a: Float64Array | undefined, b: Float64Array | undefined) => {
  expect(a).toBeDefined();
  expect(Array.from(b!)).toEqual(Array.from(a!));
};

describe('wasm, plain TS, direct and lagged agree bit for bit on random cells', () => {
  const times = Array.from({ length: 24 }, (_, j) => (j + 1) * 3600);
  for (const basal of [BASAL_INFINITE, BASAL_FINITE]) {
    const kind = basal === BASAL_FINITE ? 'finite' : 'infinite';
    it(`${kind} depth: 200 random cells, 24 hourly periods, 8 depths`, () => {
      const cells = packCells(randomCells(200, 3 + basal), 9810);
      const setup: RunSetup = { ...setupOf(hourlyStorm(24, 5), times, [], basal), depths: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8], (k) => k / 8), depthsAreFractions: true };
      const reference = runReference(cells, setup);
      const direct = runLandslideWasm(kernels, cells, setup);
      const lagged = runLandslideWasm(kernels, cells, lattice(setup, 3600));
      const laggedTs = runReference(cells, lattice(setup, 3600));
      for (const run of [direct, lagged, laggedTs]) {
        sameBits(reference.pressureHead, run.pressureHead);
        sameBits(reference.fsAtDepth, run.fsAtDepth);
        sameBits(reference.fsMin, run.fsMin);
        sameBits(reference.zAtFsMin, run.zAtFsMin);
        sameBits(reference.firstFailure, run.firstFailure);
      }
      expect(direct.nonFiniteCount).toBe(0);
      // Not a trivial agreement: some cells fail, some do not.
      const failed = Array.from(reference.firstFailure).filter((t) => !Number.isNaN(t)).length;
      expect(failed).toBeGreaterThan(0);
      expect(failed).toBeLessThan(200);
    });
  }

  it('depth pairs on both sides of Cody\'s breaks (SIMD pairs and their scalar fallbacks) match the TS reference', () => {
    // 4D₀Δ/cos²δ = 1 m² for Δ = 1 h, so at the first lag η = 1/√t* = Z: pairs chosen to straddle
    // η = 0.46875 and 4, to share a branch, and to pass the SIMD limit (η ≥ 26).
    const cos2 = Math.cos(30 * Math.PI / 180) ** 2;
    const cell = { ...CITY_CELL, slope_deg: 30, soil_depth_m: 40, water_table_depth_m: 1, diffusivity_m2_per_s: cos2 / 4 / 3600 };
    const depths = [0.4, 0.5, 3.9, 4.1, 0.3, 0.4, 1, 2, 10, 20, 25, 30, 7];
    const setup = setupOf(Array(30).fill([3600, 4e-6]), Array.from({ length: 30 }, (_, j) => (j + 1) * 3600), depths);
    const lagged = lattice(setup, 3600);
    const reference = runReference(packed([cell]), setup);
    const wasmLagged = runLandslideWasm(kernels, packed([cell]), lagged);
    sameBits(reference.pressureHead, wasmLagged.pressureHead);
    sameBits(reference.fsAtDepth, wasmLagged.fsAtDepth);
    sameBits(reference.pressureHead, runReference(packed([cell]), lagged).pressureHead);
  });

  it('without profiles (the kernel\'s paired FS path): 72 hourly outputs, gaps, odd depth counts, depths below the base', () => {
    // The lagged kernel takes its fastest path (eight consecutive output steps, FS for two depths
    // in one SIMD pair) only when no profiles are asked for; the profile tests above never reach it.
    const cells = packCells(randomCells(150, 11), 9810);
    const storm = hourlyStorm(72, 7);
    const cases: { times: number[]; depths: number[]; fractions: boolean }[] = [
      { times: Array.from({ length: 72 }, (_, j) => (j + 1) * 3600), depths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k / 10), fractions: true },
      // 3 h, 5 h, 6 h … : groups of eight consecutive steps broken by gaps, and a 4-group tail
      { times: [3, 5, ...Array.from({ length: 20 }, (_, j) => 6 + j), 40, 41, 42, 43, 50, 60, 70, 71, 72, 80, 90].map((h) => h * 3600), depths: [0.2, 0.5, 0.9], fractions: true },
      // absolute depths, some below a cell's soil base (soils are 0.5–5 m deep here)
      { times: Array.from({ length: 16 }, (_, j) => (j + 1) * 3600), depths: [0.3, 0.8, 1.2, 1.9, 2.4, 3.0, 0.1], fractions: false },
    ];
    for (const { times, depths, fractions } of cases) {
      const setup: RunSetup = { ...setupOf(storm, times, depths), depthsAreFractions: fractions, profiles: false };
      const reference = runReference(cells, setup);
      const lagged = runLandslideWasm(kernels, cells, lattice(setup, 3600));
      sameBits(reference.fsMin, lagged.fsMin);
      sameBits(reference.zAtFsMin, lagged.zAtFsMin);
      sameBits(reference.firstFailure, lagged.firstFailure);
      expect(lagged.nonFiniteCount).toBe(reference.nonFiniteCount);
      const failed = Array.from(reference.firstFailure).filter((t) => !Number.isNaN(t)).length;
      expect(failed).toBeGreaterThan(0);
    }
  });

  it('a storm that ends inside a group of eight output steps (each later sum adds its own last periods)', () => {
    // 20 h of rain, hourly output to 40 h: the group of steps 17 … 24 straddles the storm's end, the
    // groups before it take the kernel's unrolled in-storm tail, those after it none.
    const cells = packCells(randomCells(120, 21), 9810);
    const times = Array.from({ length: 40 }, (_, j) => (j + 1) * 3600);
    for (const profiles of [false, true]) {
      const setup: RunSetup = { ...setupOf(hourlyStorm(20, 4), times, [0.1, 0.3, 0.5, 0.7, 0.9]), depthsAreFractions: true, profiles };
      const reference = runReference(cells, setup);
      const lagged = runLandslideWasm(kernels, cells, lattice(setup, 3600));
      sameBits(reference.fsMin, lagged.fsMin);
      sameBits(reference.zAtFsMin, lagged.zAtFsMin);
      sameBits(reference.firstFailure, lagged.firstFailure);
      if (profiles) sameBits(reference.pressureHead, lagged.pressureHead);
      sameBits(runReference(cells, lattice(setup, 3600)).fsMin, lagged.fsMin);
    }
  });

  it('NODATA (NaN) cells give NaN outputs and are counted; their neighbours are untouched', () => {
    const cells = packCells(randomCells(3, 9), 9810);
    const clean = runLandslideWasm(kernels, cells, setupOf(hourlyStorm(6, 1), [3600, 7200], [0.5, 1]));
    cells[1 * CELL_STRIDE + CELL_FOUR_D1] = NaN;
    const run = runLandslideWasm(kernels, cells, setupOf(hourlyStorm(6, 1), [3600, 7200], [0.5, 1]));
    expect(run.noDataCells).toBe(1);
    expect(run.fsMin[2]).toBeNaN();
    expect(run.firstFailure[1]).toBeNaN();
    expect(run.fsMin[0]).toBe(clean.fsMin[0]);
    expect(run.fsMin[4]).toBe(clean.fsMin[4]);
  });
});
