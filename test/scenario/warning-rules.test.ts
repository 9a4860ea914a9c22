import { describe, expect, it } from 'vitest';
import { floodLevels, geohazardLevels, holdLevels, levelsToWarnings, rainstormLevels } from '../../models/scenario/warning-rules.ts';

const hourly = { stepS: 3600, steps: 24 };

describe('warning rules', () => {
  it('CMA rainstorm signals: blue 50 mm/12 h, yellow 50 mm/6 h, orange 50 mm/3 h, red 100 mm/3 h', () => {
    const level = (rain: number[]) => Math.max(...rainstormLevels(Float64Array.from(rain), hourly).levels);
    expect(level(new Array(12).fill(4.2))).toBe(1); // 50.4 mm in 12 h
    expect(level(new Array(12).fill(4.1))).toBe(0); // 49.2 mm
    expect(level([0, 9, 9, 9, 9, 9, 9])).toBe(2); // 54 mm in 6 h, 27 in 3 h
    expect(level([20, 20, 10])).toBe(3);
    expect(level([40, 40, 20])).toBe(4);
    expect(level([40, 40, 19.9])).toBe(3);
  });

  it('a signal holds for 3 h after it was last met, then lifts', () => {
    const { levels } = rainstormLevels(Float64Array.from([20, 20, 10, ...new Array(10).fill(0)]), hourly);
    expect(Array.from(levels.slice(0, 8))).toEqual([0, 0, 3, 3, 3, 3, 2, 2]);
  });

  it('runs of a level become warnings with issue and lift times; an open one has no lift', () => {
    const grid = { stepS: 900, steps: 8 };
    const warnings = levelsToWarnings(Int8Array.from([0, 2, 2, 3, 3, 0, 0, 1]), grid, 'flood', 'yuzhong', (j, l) => `step ${j} level ${l}`);
    expect(warnings.map(({ t_s, lift_s, level }) => ({ t_s, lift_s, level }))).toEqual([
      { t_s: 900, lift_s: 2700, level: 2 },
      { t_s: 2700, lift_s: 4500, level: 3 },
      { t_s: 6300, lift_s: undefined, level: 1 },
    ]);
    expect(warnings[0]).toMatchObject({ hazard: 'flood', areas: ['yuzhong'], id: 'W-flood-yuzhong-1', source: 'rule' });
  });

  it('flood levels by flow over bankfull; geohazard by the share of slopes below FS thresholds', () => {
    const grid = { stepS: 3600, steps: 5 };
    expect(Array.from(floodLevels([600, 720, 900, 1100, 1400], 1000, grid))).toEqual([0, 1, 2, 3, 4]);
    const fs = [Float64Array.of(1.5, 1.15, 1.05, 0.95), Float64Array.of(1.5, 1.5, 1.5, 1.5), Float64Array.of(1.6, 1.6, 1.6, 1.6)];
    expect(Array.from(geohazardLevels(fs, grid))).toEqual([0, 2, 3, 4]);
    expect(Array.from(holdLevels(Int8Array.of(3, 0, 0, 0), 2))).toEqual([3, 3, 3, 0]);
  });
});
