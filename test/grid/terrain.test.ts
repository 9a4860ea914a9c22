import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import { fillDepressions, flowAccumulation, flowDirections, heightAboveDrainage, slopeAspect } from '../../models/grid/terrain.ts';

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

describe('height above nearest drainage (HAND)', () => {
  it('a V valley: every cell stands its cross-valley distance × side slope above the stream (exact)', () => {
    // Sides fall 0.2 per metre toward the axis column; the axis falls 0.01 per metre to the south.
    // Straight across is the steepest D8 step (0.2 > (0.2 + 0.01)/√2), so each cell drains to the
    // stream cell beside it in its own row and HAND = 0.2 × distance.
    const ncols = 21; const nrows = 15; const size = 10; const axis = 10;
    const valley = grid(ncols, nrows, size, (x, y) => 0.2 * Math.abs(x - (axis + 0.5) * size) + 0.01 * y);
    const direction = flowDirections(valley.values, ncols, nrows);
    const isStream = new Uint8Array(ncols * nrows);
    for (let r = 0; r < nrows; r++) isStream[r * ncols + axis] = 1;
    const hand = heightAboveDrainage(valley.values, direction, ncols, isStream);
    for (let r = 0; r < nrows; r++) {
      for (let c = 0; c < ncols; c++) expect(hand[r * ncols + c]).toBeCloseTo(0.2 * Math.abs(c - axis) * size, 9);
    }
  });

  it('is NaN where the flow path leaves the grid without meeting a stream, and never negative on a filled surface', () => {
    const hill = grid(9, 9, 10, (x, y) => 50 - 0.1 * Math.hypot(x - 45, y - 45));
    const filled = fillDepressions(hill);
    const direction = flowDirections(filled, 9, 9);
    const isStream = new Uint8Array(81);
    isStream[4 * 9 + 8] = 1; // one stream cell on the east edge
    const hand = heightAboveDrainage(filled, direction, 9, isStream);
    expect(hand[4 * 9 + 8]).toBe(0);
    expect(hand[4 * 9 + 7]).toBeCloseTo(filled[4 * 9 + 7] - filled[4 * 9 + 8], 12);
    expect(Number.isNaN(hand[0])).toBe(true); // the north-west corner drains off the west edge
    for (const h of hand) if (!Number.isNaN(h)) expect(h).toBeGreaterThanOrEqual(0);
  });
});
