// The resamplers onto the DEM's grid (models/region/builder/raster.ts) across CRSs: their outputs'
// bytes are pinned by checksum (taken before the inner loops were made allocation-free, so the
// rewrite changed no value), and counts keep their sums.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCrs } from '../../models/geo/crs.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { resampleBilinear, resampleCounts, resampleNearest, type Located } from '../../models/region/builder/raster.ts';

const hash = (values: Float64Array) => createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');

// Target: 200 × 150 cells of 30 m in EPSG:4545 (CGCS2000 GK CM 108E) near 29.8°N, 107.8°E.
const target: Located = {
  grid: { ncols: 200, nrows: 150, xllcorner: 480000, yllcorner: 3300000, cellsize: 30, nodata: -9999, values: new Float64Array(0) },
  crs: parseCrs('EPSG:4545', 'test'),
};
// Source: WGS 84 degrees, 0.0007° cells (≈ 70 m), reaching beyond the target on every side.
function source(ncols: number, nrows: number, cellsize: number, value: (c: number, r: number) => number): Located {
  const values = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) values[r * ncols + c] = value(c, r);
  const grid: Grid = { ncols, nrows, xllcorner: 107.785, yllcorner: 29.8, cellsize, nodata: -9999, values };
  return { grid, crs: parseCrs('EPSG:4326', 'test') };
}
const classes = source(120, 90, 0.0007, (c, r) => ((c * 7 + r * 13) % 11) + (r === 40 && c > 50 ? NaN : 0));
const heights = source(120, 90, 0.0007, (c, r) => 300 + 1.5 * c + 0.25 * r * r / 10);
const people = source(120, 90, 0.0007, (c, r) => ((c + 3 * r) % 5) * 2.5);

describe('resampling onto the DEM grid across CRSs', () => {
  it('nearest, bilinear and counts give the bytes they gave before the allocation-free rewrite', () => {
    expect(hash(resampleNearest(classes, target).values)).toBe('ed15662ec7888e972679b05511a2393d13282f2a57795fe62a1b69c88865825d');
    expect(hash(resampleBilinear(heights, target).values)).toBe('c45baa438f4c4ee6cb4e0420c21f79c3a41e2c5ecdb68bc85ac5cfc2d0d4094b');
    const counts = resampleCounts(people, target);
    expect(hash(counts.grid.values)).toBe('aa8f20b5e68a31a6ead2ad1594b524561347bc1c4a9da3e8a8157eee17178f68');
    expect([counts.inside, counts.outside].map((v) => v.toFixed(6))).toEqual(['25655.000000', '28345.000000']);
  });

  it('counts: what falls inside plus what falls outside is the source total', () => {
    const counts = resampleCounts(people, target);
    const total = people.grid.values.reduce((a, b) => a + b, 0);
    expect(counts.inside + counts.outside).toBeCloseTo(total, 6);
    expect(counts.grid.values.reduce((a, b) => a + b, 0)).toBeCloseTo(counts.inside, 6);
  });
});
