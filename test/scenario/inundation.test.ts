// Flood depth by HAND on a hand-made strip of land: depth = excess stage − height above drainage,
// water and cells outside every sub-basin are not land, and people count only where it is deep.
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import { FLOODED_DEPTH_M, floodInundation } from '../../models/scenario/inundation.ts';
import type { RegionData } from '../../models/scenario/region.ts';

const g = (values: number[]): Grid => ({ ncols: values.length, nrows: 1, xllcorner: 0, yllcorner: 0, cellsize: 100, nodata: -9999, values: Float64Array.from(values) });

describe('inundation from height above nearest drainage', () => {
  it('floods each cell by the excess stage of its own reach minus its height, and counts the deep ones', () => {
    // Cells: river, bank (HAND 0.5), terrace (2.9), hill (5), other basin (0.2), outside basins, off-stream NaN.
    const region = {
      manifest: { grid: { ncols: 7, nrows: 1, xllcorner: 0, yllcorner: 0, cellsize_m: 100 }, landcover_codes: { river: 1, reservoir: 2 } },
      basins: g([0, 0, 0, 0, 1, -1, 0].map((b) => (b < 0 ? NaN : b))),
      hand: g([0, 0.5, 2.9, 5, 0.2, 0, NaN]),
      landcover: g([1, 3, 3, 6, 3, 3, 3]),
      population: g([0, 100, 50, 7, 40, 9, 9]),
      buildings: g([0, 4, 2, 1, 2, 1, 1]),
    } as unknown as RegionData;
    const { maxDepthM, floodedAreaKm2, people, buildings } = floodInundation(region, Float64Array.from([3, 0.4]));
    expect(Array.from(maxDepthM.slice(0, 5), (d) => Number(d.toFixed(4)))).toEqual([NaN, 2.5, 0.1, 0, 0.2]);
    expect(Number.isNaN(maxDepthM[5]) && Number.isNaN(maxDepthM[6])).toBe(true);
    // Only the bank is deeper than the flooded threshold.
    expect(FLOODED_DEPTH_M).toBe(0.3);
    expect({ floodedAreaKm2, people, buildings }).toEqual({ floodedAreaKm2: 0.01, people: 100, buildings: 4 });
  });
});
