import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import { hillshade, LANDCOVER_COLOURS, renderBaseMap } from '../../models/region/render.ts';

function plane(gx: number, gy: number): Grid {
  const ncols = 5; const nrows = 5; const values = new Float64Array(25);
  for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) values[r * ncols + c] = gx * c * 10 + gy * (nrows - r) * 10;
  return { ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values };
}

describe('base map', () => {
  it('hillshade: flat ground = cos(zenith); a 45° slope facing the light = 1, facing away = 0', () => {
    expect(hillshade(plane(0, 0))[12]).toBeCloseTo(Math.cos(Math.PI / 4), 6); // float32 output
    // z falls toward the north-west (rises east and south) → faces 315°, the light's azimuth.
    const towardLight = plane(Math.SQRT1_2, -Math.SQRT1_2);
    expect(hillshade(towardLight)[12]).toBeCloseTo(1, 6);
    expect(hillshade(plane(-Math.SQRT1_2, Math.SQRT1_2))[12]).toBeCloseTo(0, 6);
  });

  it('flat land keeps its land-cover colour; water is never shaded; NODATA is transparent', () => {
    const dem = plane(0, 0);
    dem.values[0] = NaN;
    const landcover = { ...dem, values: new Float64Array(25).fill(6) };
    landcover.values[1] = 1;
    const rgba = renderBaseMap(dem, landcover);
    expect(Array.from(rgba.slice(48, 52))).toEqual([...LANDCOVER_COLOURS[6], 255]);
    expect(Array.from(rgba.slice(4, 8))).toEqual([...LANDCOVER_COLOURS[1], 255]);
    expect(rgba[3]).toBe(0);
  });
});
