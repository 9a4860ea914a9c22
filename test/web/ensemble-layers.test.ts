// What the ensemble tab draws from an opened ensemble: layers on offer, the coarse slope grid's
// extent, points and districts in the ramp, values under the pointer, and the fan chart's series.
import { describe, expect, it } from 'vitest';
import type { EnsembleView } from '../../models/ensemble/open-products.ts';
import type { RegionItem } from '../../models/scenario/region.ts';
import { districtAreas, fanAt, fanData, gridRaster, itemPoints, layersOf, maxPooled, probabilityAt } from '../../web/ensemble-layers.ts';

const grid = (values: number[], cellsize: number) => ({ ncols: 2, nrows: 1, xllcorner: 0, yllcorner: 0, cellsize, nodata: -9999, values: Float64Array.from(values) });
const view: EnsembleView = {
  scenario: 'storm', seed: 7, members: 4, goodMembers: 4,
  depth: grid([0.25, NaN], 10), slope: grid([1, 0], 50),
  items: [{ id: 'A', category: 'c', district: 'd1', p: [1, 0.75, 0.5, 0] }, { id: 'B', category: 'c', district: 'd1', p: [0, 0, 0, 0] }],
  districts: [{ id: 'd1', p: [1, 1, 0.95, 0] }],
  gauges: [{ gauge: 'G', tS: [0, 900, 1800], q05: [1, 2, 3], q50: [2, 3, 4], q95: [3, 4, 9] }],
};
const item = (id: string, x: number): RegionItem => ({ id, x_m: x, y_m: 5 } as RegionItem);

describe('the ensemble tab\'s layers', () => {
  it('offers only the layers the ensemble has products for', () => {
    expect(layersOf(view)).toEqual(['depth', 'slope', 'items', 'districts']);
    expect(layersOf({ ...view, depth: undefined, slope: undefined, items: [], districts: [] })).toEqual([]);
  });

  it('spreads a coarse slope grid over its region cells (50 m blocks on a 10 m region: 5 cells each)', () => {
    const raster = gridRaster(view.slope!, 10);
    expect([raster.width, raster.height, raster.cols, raster.rows]).toEqual([2, 1, 10, 5]);
    expect(Array.from(raster.rgba.slice(0, 4))).toEqual([68, 1, 84, 210]);
    expect(raster.rgba[7]).toBe(0); // P = 0: clear
  });

  it('keeps every place that may flood in the zoomed-out overview: the highest P of each block, NaN only where all are', () => {
    const fine = { ncols: 3, nrows: 2, values: Float64Array.of(0, 0.25, NaN, NaN, 1, NaN) };
    expect(maxPooled(fine, 2)).toEqual({ ncols: 2, nrows: 1, values: Float64Array.of(1, NaN) });
    expect(Array.from(maxPooled({ ncols: 2, nrows: 1, values: Float64Array.of(NaN, 0) }, 2).values)).toEqual([0]);
  });

  it('colours items by P(level ≥ chosen) and districts likewise; an item never reaching it is small and grey', () => {
    const points = itemPoints(view, [item('A', 5), item('B', 15), item('C', 25)], 3);
    expect(points).toEqual([
      { id: 'A', x: 5, y: 5, colour: 'rgb(42,120,142)', radius: 6 },
      { id: 'B', x: 15, y: 5, colour: '#c8ccd2', radius: 3.5 },
    ]);
    const ring: [number, number][] = [[0, 0], [1, 0], [1, 1]];
    expect(districtAreas(view, new Map([['d1', ring]]), 3)).toEqual([{ ring, fill: 'rgba(68,1,84,0.55)', stroke: '#3b4252' }]);
    expect(districtAreas(view, new Map([['d1', ring]]), 4)[0].fill).toBe('rgba(255,255,255,0)');
  });

  it('reads the value under the pointer from the layer shown', () => {
    expect(probabilityAt(view, 'depth', 3, { x: 5, y: 5 })).toBe(0.25);
    expect(probabilityAt(view, 'depth', 3, { x: 15, y: 5 })).toBeNaN();
    expect(probabilityAt(view, 'slope', 3, { x: 75, y: 25 })).toBe(0);
    expect(probabilityAt(view, 'items', 2, { x: 0, y: 0, item: 'A' })).toBe(0.75);
    expect(probabilityAt(view, 'items', 2, { x: 0, y: 0 })).toBeUndefined();
    expect(probabilityAt(view, 'districts', 3, { x: 0, y: 0, district: 'd1' })).toBe(0.95);
  });

  it('gives the fan chart the gauge\'s quantiles, the warning flow, and the deterministic run only when it matches the clock', () => {
    const data = fanData(view, 'G', { warningM3PerS: 5, deterministic: [2, 2.5, 8] })!;
    expect(data).toEqual({ timesS: [0, 900, 1800], q05: [1, 2, 3], q50: [2, 3, 4], q95: [3, 4, 9], warning: [5, 5, 5], deterministic: [2, 2.5, 8] });
    expect(fanData(view, 'G', { deterministic: [1, 2] })!.deterministic).toBeUndefined();
    expect(fanData(view, 'nope', {})).toBeUndefined();
    expect(fanAt(data, 1000)).toEqual({ q05: 2, q50: 3, q95: 4 });
    expect(fanAt(data, -1)).toBeUndefined();
  });
});
