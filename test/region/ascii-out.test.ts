import { describe, expect, it } from 'vitest';
import { formatAsciiGrid, parseAsciiGrid } from '../../models/grid/ascii.ts';
import { formatGridFixed } from '../../models/region/builder/ascii-out.ts';

describe('formatGridFixed: the builder\'s fast grid text', () => {
  const values = Float64Array.from([0, -0, 1, -1, 1024, 1025, -2, 12.5, -12.05, 0.001, -0.001, 123456.789, NaN, 3300000.25, 7.1, 1e-9, -1e-9]);
  const grid = { ncols: values.length, nrows: 1, xllcorner: 480000, yllcorner: 3300000, cellsize: 30, nodata: -9999, values };

  it('writes what formatAsciiGrid writes for the same values rounded to its decimals', () => {
    for (const decimals of [0, 2, 3]) {
      const rounded = { ...grid, values: values.map((v) => Math.round(v * 10 ** decimals) / 10 ** decimals) };
      expect(formatGridFixed(grid, decimals)).toBe(formatAsciiGrid(rounded));
    }
  });

  it('reads back to the rounded values', () => {
    const back = parseAsciiGrid(formatGridFixed(grid, 3), 't.asc').values;
    expect(Array.from(back.slice(7, 12))).toEqual([12.5, -12.05, 0.001, -0.001, 123456.789]);
    expect(Number.isNaN(back[12])).toBe(true);
  });
});
