// Flame length from fireline intensity (Byram 1959), as the app's fire details box shows it.
import { describe, expect, it } from 'vitest';
import { byramFlameLengthM, flameLengthsM } from '../../models/fire/flame.ts';

describe('Byram flame length in SI', () => {
  it('agrees with behave\'s English-unit form 0.45 · I^0.46 (ft, Btu/ft/s) to the units\' rounding', () => {
    // 1 Btu/ft/s = 3.46147 kW/m, 1 ft = 0.3048 m: 0.45 · 0.3048 / 3.46147^0.46 = 0.07750…
    for (const kwPerM of [10, 346, 1730, 3460, 20000]) {
      const english = 0.45 * (kwPerM / 3.46147) ** 0.46 * 0.3048; // test-side reference only
      expect(Math.abs(byramFlameLengthM(kwPerM) - english) / english).toBeLessThan(1e-3);
    }
  });

  it('the fire characteristics chart\'s class edges (Andrews & Rothermel 1982): 346 / 1730 / 3460 kW/m give 1.14 / 2.39 / 3.29 m (the chart\'s 4 / 8 / 11 ft within 7 %)', () => {
    expect(byramFlameLengthM(346)).toBeCloseTo(1.14, 2);
    expect(byramFlameLengthM(1730)).toBeCloseTo(2.39, 2);
    expect(byramFlameLengthM(3460)).toBeCloseTo(3.29, 2);
  });

  it('unburned cells (NaN, 0) have no flame', () => {
    expect([...flameLengthsM([Number.NaN, 0, -1])]).toEqual([0, 0, 0]);
  });
});
