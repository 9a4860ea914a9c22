// The map's rain layer: block values are hour means of the rain at each block's centre cell (checked
// against sums written out by hand), ragged edges take the region's last cell, and colours follow
// the class bounds exactly at their edges.
import { describe, expect, it } from 'vitest';
import type { RainField } from '../../models/scenario/rain-field.ts';
import { RAIN_CLASSES, rainMap, rainMapIsDry, rainMapPixels } from '../../models/scenario/rain-map.ts';
import type { RegionData } from '../../models/scenario/region.ts';

const region = (ncols: number, nrows: number) => ({ manifest: { grid: { ncols, nrows } } }) as unknown as RegionData;

/** Rain whose depth per step encodes the cell and the step: depth = cell + step / 100 mm. */
const encoded = (steps: number): RainField => ({
  byDistrict: new Map(), byBasin: new Map(), atItem: new Map(),
  atCell: (i) => Float64Array.from({ length: steps }, (_, j) => i + j / 100),
});

describe('rain map', () => {
  it('takes each block from its centre cell and averages a period of 15-min steps to mm/h', () => {
    // 20 × 12 cells in blocks of 8: 3 × 2 blocks, the last column and row hanging over the edge.
    const map = rainMap(encoded(10), region(20, 12), { stepS: 900, steps: 10 }, 8);
    expect([map.ncols, map.nrows, map.periodS, map.periods]).toEqual([3, 2, 3600, 3]);
    const blocks = 6;
    // Block (0, 0): centre cell (4, 4) = index 84; period 0 = steps 0–3: 4 × 84 + 0.06 mm in 1 h.
    expect(map.mmPerH[0]).toBeCloseTo(4 * 84 + 0.06, 4);
    // Block (row 1, col 2): centre (12, 20) clamped to (11, 19) = 239; period 1 = steps 4–7.
    expect(map.mmPerH[blocks + 5]).toBeCloseTo(4 * 239 + 0.22, 3);
    // The last period holds two steps (8, 9) in half an hour: the rate is their sum × 2.
    expect(map.mmPerH[2 * blocks + 1]).toBeCloseTo(2 * (2 * (4 * 1 + 4 * 20 + 8) + 0.17), 3);
  });

  it('hourly steps map one to one; steps longer than an hour make periods of one step', () => {
    const hourly = rainMap(encoded(3), region(8, 8), { stepS: 3600, steps: 3 }, 8);
    [36, 36.01, 36.02].forEach((rate, p) => expect(hourly.mmPerH[p]).toBeCloseTo(rate, 4));
    const threeHourly = rainMap(encoded(2), region(8, 8), { stepS: 10800, steps: 2 }, 8);
    expect(threeHourly.periodS).toBe(10800);
    [12, 12 + 0.01 / 3].forEach((rate, p) => expect(threeHourly.mmPerH[p]).toBeCloseTo(rate, 4));
  });

  it('colours each class from its lower bound, leaves light rain clear, and clamps the period', () => {
    const rates = [0, 0.49, ...RAIN_CLASSES.map((c) => c.fromMmPerH), 500];
    const map = { blockCells: 1, ncols: rates.length, nrows: 1, periodS: 3600, periods: 1, mmPerH: Float32Array.from(rates) };
    const pixels = rainMapPixels(map, 5, 99);
    const pixel = (b: number) => Array.from(pixels.subarray(b * 4, b * 4 + 4));
    expect(pixel(0)).toEqual([0, 0, 0, 0]);
    expect(pixel(1)).toEqual([0, 0, 0, 0]);
    RAIN_CLASSES.forEach((c, k) => expect(pixel(2 + k)).toEqual([...c.colour, 99]));
    expect(pixel(rates.length - 1)).toEqual([...RAIN_CLASSES.at(-1)!.colour, 99]);
    // A map is dry (no rain layer) only when no block in any period reaches the first class.
    expect(rainMapIsDry({ ...map, mmPerH: Float32Array.from([0, 0.49, 0.1]) })).toBe(true);
    expect(rainMapIsDry({ ...map, mmPerH: Float32Array.from([0, 0.5, 0.1]) })).toBe(false);
  });
});
