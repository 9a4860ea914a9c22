// Rainfall thresholds, effective rainfall, the JMA soil water index and the four-colour level,
// against ../shared/reference/landslide/cases.json ("thresholds").
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
