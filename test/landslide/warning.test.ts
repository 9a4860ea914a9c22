// Rainfall thresholds, effective rainfall, the JMA soil water index and the four-colour level,
// against test/reference/landslide/cases.json ("thresholds").
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WARNING_CONFIG, effectiveRainfall, ID_THRESHOLDS, idExceedance, soilWaterIndex, thresholdIntensity,
  warningLevel, type TankParams, type WarningConfig,
} from '../../models/landslide/warning.ts';
import { landslideReference as ref } from './fixtures.ts';

describe('intensity–duration thresholds', () => {
  it('Caine (1980) I = 14.82 D^−0.39: every cases.json caine_check value within 0.0005 mm/h (printed to 3 decimals)', () => {
    for (const [d, i] of ref.thresholds.caine_check) expect(Math.abs(thresholdIntensity(ID_THRESHOLDS.caine_1980, d) - i)).toBeLessThanOrEqual(5e-4);
  });

  it('Guzzetti et al. (2008) global I = 2.20 D^−0.44: 2.20 mm/h at 1 h, 2.20·24^−0.44 at 24 h', () => {
    expect(thresholdIntensity(ID_THRESHOLDS.guzzetti_2008_global, 1)).toBe(2.2);
    expect(thresholdIntensity(ID_THRESHOLDS.guzzetti_2008_global, 24)).toBeCloseTo(2.2 * 24 ** -0.44, 12);
  });

  it('exceedance: 6 h at exactly the Caine intensity for 6 h gives ratio 1 over 6 h; half of it gives 0.5', () => {
    const i6 = thresholdIntensity(ID_THRESHOLDS.caine_1980, 6);
    const at = idExceedance(Array(6).fill(i6), 1, ID_THRESHOLDS.caine_1980);
    expect(at.ratio).toBeCloseTo(1, 12);
    expect(at.duration_h).toBe(6);
    expect(idExceedance(Array(6).fill(i6 / 2), 1, ID_THRESHOLDS.caine_1980).ratio).toBeCloseTo(0.5, 12);
  });

  it('exceedance picks the worst trailing window: a 1-hour burst of 20 mm/h after dry hours beats the 6-hour mean', () => {
    const at = idExceedance([0, 0, 0, 0, 0, 20], 1, ID_THRESHOLDS.caine_1980);
    expect(at.duration_h).toBe(1);
    expect(at.ratio).toBeCloseTo(20 / 14.82, 12);
  });

  it('windows outside the validity range do not count (Caine: 10 min to 10 days)', () => {
    expect(idExceedance(Array(300).fill(0.1), 1, ID_THRESHOLDS.caine_1980).duration_h).toBeLessThanOrEqual(240);
    expect(idExceedance([100], 1 / 12, ID_THRESHOLDS.caine_1980).ratio).toBe(0); // 5 minutes
  });
});

describe('effective rainfall Re = Σ Kⁱ Rᵢ', () => {
  const e = ref.thresholds.effective_rainfall;
  for (const k of [0.8, 0.84, 0.9] as const) {
    it(`K = ${k}: cases.json ${e[`K_${k}`]} mm within 0.0005 (printed to 3 decimals)`, () => {
      expect(Math.abs(effectiveRainfall(e.series_today_first_mm, k) - e[`K_${k}`])).toBeLessThanOrEqual(5e-4);
    });
  }
});

describe('JMA soil water index (three-tank model)', () => {
  const swi = ref.thresholds.jma_soil_water_index;
  it('10 mm/h for 24 h from dry, then none: every cases.json value (1 … 72 h) within 0.0005 mm', () => {
    const rain = Array.from({ length: 72 }, (_, h) => (h < 24 ? 10 : 0));
    const index = soilWaterIndex(rain, swi.params as unknown as TankParams);
    for (const [hour, want] of Object.entries(swi.SWI)) {
      expect(Math.abs(index[Number(hour) - 1] - want), `hour ${hour}`).toBeLessThanOrEqual(5e-4);
    }
  });

  it('conserves water: rain in = storage + everything the outlets released (no loss inside the tanks)', () => {
    const p = swi.params as unknown as TankParams;
    const rain = Array.from({ length: 48 }, (_, h) => (h % 7) * 3);
    const index = soilWaterIndex(rain, p);
    // Recompute the outlet totals step by step to check the bookkeeping.
    let s = [0, 0, 0];
    let released = 0;
    for (let i = 0; i < rain.length; i++) {
      const over = (x: number, l: number) => Math.max(0, x - l);
      const q = [p.a1 * over(s[0], p.L1) + p.a2 * over(s[0], p.L2), p.a3 * over(s[1], p.L3), p.a4 * over(s[2], p.L4)];
      const f = [p.b1 * s[0], p.b2 * s[1], p.b3 * s[2]];
      released += q[0] + q[1] + q[2] + f[2];
      s = [s[0] + rain[i] - q[0] - f[0], s[1] + f[0] - q[1] - f[1], s[2] + f[1] - q[2] - f[2]];
      expect(index[i]).toBeCloseTo(s[0] + s[1] + s[2], 10);
    }
    const total = rain.reduce((a, b) => a + b, 0);
    expect(index[rain.length - 1] + released).toBeCloseTo(total, 9);
  });
});

describe('four-colour warning level (FS × rain)', () => {
  it('the default matrix, corner by corner', () => {
    expect(warningLevel(2.0, 0)).toBe(1); // stable, dry: blue
    expect(warningLevel(2.0, 2)).toBe(2); // stable, heavy rain: yellow at most
    expect(warningLevel(0.9, 0)).toBe(3); // failing, dry: orange
    expect(warningLevel(0.9, 1.0)).toBe(4); // failing and rain at its threshold: red
    expect(warningLevel(1.05, 1.2)).toBe(3);
    expect(warningLevel(1.2, 0.85)).toBe(2);
    expect(warningLevel(NaN, 1)).toBeNull();
  });

  it('class boundaries are half-open as documented: FS = 1.0 is not below 1.0; ratio = 1.0 reaches orange rain', () => {
    expect(warningLevel(1.0, 1.0)).toBe(DEFAULT_WARNING_CONFIG.matrix[2][2]);
    expect(warningLevel(0.999999, 1.0)).toBe(DEFAULT_WARNING_CONFIG.matrix[3][2]);
  });

  it('is configurable: a stricter FS bound and a matrix that lets rain alone reach orange', () => {
    const strict: WarningConfig = {
      fs_bounds: [1.2, 1.3, 1.5],
      rain_ratio_bounds: DEFAULT_WARNING_CONFIG.rain_ratio_bounds,
      matrix: [[1, 2, 3, 3], ...DEFAULT_WARNING_CONFIG.matrix.slice(1)],
    };
    expect(warningLevel(1.15, 0, strict)).toBe(3);
    expect(warningLevel(3, 1.6, strict)).toBe(3);
    expect(warningLevel(1.15, 0)).toBe(1);
    expect(warningLevel(3, 1.6)).toBe(2);
  });
});

describe('warning levels in landslide fs output', async () => {
  const { parseFsCase, formatFsOutput } = await import('../../models/landslide/fs.ts');
  const { runLandslideWasm } = await import('../../models/landslide/kernel.ts');
  const { loadKernels } = await import('../../models/wasm-node.ts');
  const { InputError } = await import('../../models/errors.ts');
  const kernels = await loadKernels();
  const base = {
    cells: [{ slope_deg: 35, soil_depth_m: 2.5, water_table_depth_m: 2.0, cohesion_pa: 4000, friction_deg: 32,
      unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5 }],
    rain: { period_s: 3600, mm_per_h: [5, 10, 20, 30, 20, 10] },
    output_times_s: [3600, 10800, 21600, 36000],
    depths_m: [1, 2.5],
  };
  const run = (warning: unknown) => {
    const parsed = parseFsCase({ ...base, warning });
    return formatFsOutput(parsed, runLandslideWasm(kernels, parsed.packed, parsed.setup)).cells[0].times;
  };

  it('rain_ratio is the Caine exceedance of the periods elapsed so far; the level is the matrix entry for (fs_min, ratio)', () => {
    const times = run({ thresholds: ['caine_1980'] });
    const rain = base.rain.mm_per_h;
    [1, 3, 6, 6].forEach((elapsed, j) => {
      expect(times[j].rain_ratio).toBe(idExceedance(rain.slice(0, elapsed), 1, ID_THRESHOLDS.caine_1980).ratio);
      expect(times[j].rain_index).toBe('caine_1980');
      expect(times[j].warning_level).toBe(warningLevel(times[j].fs_min!, times[j].rain_ratio!));
    });
    // The levels move with the storm: not one constant answer.
    expect(new Set(times.map((t) => t.warning_level)).size).toBeGreaterThan(1);
  });

  it('soil water index alone: ratio = SWI(after the elapsed hours)/critical; effective rainfall alone: Re/critical', () => {
    const swi = soilWaterIndex(base.rain.mm_per_h);
    const bySwi = run({ thresholds: [], soil_water_index: { critical_mm: 50 } });
    expect(bySwi[2].rain_ratio).toBe(swi[5] / 50);
    expect(bySwi[0].rain_ratio).toBe(swi[0] / 50);
    const byRe = run({ thresholds: [], effective_rainfall: { k: 0.9, critical_mm: 80 } });
    expect(byRe[1].rain_ratio).toBeCloseTo((20 + 0.9 * 10 + 0.81 * 5) / 80, 12);
  });

  it('a user-defined threshold and bad warning blocks', () => {
    const strict = run({ thresholds: [{ name: 'local', a: 5, b: 0.3 }] });
    expect(strict[0].rain_index).toBe('local');
    expect(strict[0].rain_ratio).toBeCloseTo(5 / 5, 12);
    const problems = (warning: unknown) => {
      try { parseFsCase({ ...base, warning }); } catch (e) { if (e instanceof InputError) return e.message; throw e; }
      return '';
    };
    expect(problems({ thresholds: ['caine'] })).toBe('error: $.warning.thresholds[0]: is not a known threshold (got "caine", expected one of caine_1980, guzzetti_2008_global, or { "a", "b", "min_h", "max_h" })');
    expect(problems({ matrix: [[1, 2]] })).toBe('error: $.warning.matrix: must be 4 rows of 4 levels (1–4) (got an array of 1, expected rows: FS class 1–4, columns: rain class 1–4)');
  });
});
