import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import { fillDepressions, flowAccumulation, flowDirections, slopeAspect } from '../../models/grid/terrain.ts';

function grid(ncols: number, nrows: number, cellsize: number, z: (x: number, y: number) => number): Grid {
  const values = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) {
    values[r * ncols + c] = z((c + 0.5) * cellsize, (nrows - r - 0.5) * cellsize);
  }
  return { ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize, nodata: -9999, values };
}

describe('slope and aspect (Horn 1981)', () => {
  it('a plane rising to the north-east at gradient 0.3 east, 0.4 north: slope atan(0.5), facing south-west', () => {
    const plane = grid(7, 6, 10, (x, y) => 100 + 0.3 * x + 0.4 * y);
    const { slopeDeg, aspectDeg } = slopeAspect(plane);
    const expectedSlope = (Math.atan(0.5) * 180) / Math.PI; // 26.565°
    const expectedAspect = (Math.atan2(-0.3, -0.4) * 180) / Math.PI + 360; // 216.87°, facing SSW-SW
    for (let i = 0; i < slopeDeg.length; i++) {
      expect(slopeDeg[i]).toBeCloseTo(expectedSlope, 10);
      expect(aspectDeg[i]).toBeCloseTo(expectedAspect, 10);
    }
  });

  it('the four cardinal facings: a slope falling to the east faces 90°, falling to the north 0°', () => {
    const aspect = (z: (x: number, y: number) => number) => slopeAspect(grid(3, 3, 1, z)).aspectDeg[4];
    expect(aspect((x) => -x)).toBeCloseTo(90, 10);
    expect(aspect((x) => x)).toBeCloseTo(270, 10);
    expect(aspect((_, y) => -y)).toBeCloseTo(0, 10);
    expect(aspect((_, y) => y)).toBeCloseTo(180, 10);
    expect(slopeAspect(grid(3, 3, 1, () => 5)).aspectDeg[4]).toBeNaN();
  });

  it('NODATA stays NaN and does not bend its neighbours', () => {
    const plane = grid(5, 5, 10, (x) => x);
    plane.values[12] = NaN;
    const { slopeDeg } = slopeAspect(plane);
    expect(slopeDeg[12]).toBeNaN();
    expect(Number.isNaN(slopeDeg[11])).toBe(false);
  });
});

describe('hydrology', () => {
  it('fills a pit so it drains, and accumulation counts every cell once at the outlet', () => {
    // A bowl tilted toward the south edge, with a pit in the middle.
    const dem = grid(9, 9, 10, (x, y) => 0.01 * y + 0.001 * (x - 45) ** 2);
    dem.values[4 * 9 + 4] -= 5;
    const filled = fillDepressions(dem);
    const direction = flowDirections(filled, 9, 9);
    expect(direction[4 * 9 + 4]).toBeGreaterThanOrEqual(0);
    const interior = [...direction].filter((d, i) => d < 0 && i % 9 > 0 && i % 9 < 8 && i > 8 && i < 72);
    expect(interior).toHaveLength(0);
    const accumulation = flowAccumulation(direction, 9);
    let atOutlets = 0;
    direction.forEach((d, i) => { if (d < 0) atOutlets += accumulation[i]; });
    expect(atOutlets).toBe(81);
  });
});
