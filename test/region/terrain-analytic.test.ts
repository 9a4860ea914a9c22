// The wasm terrain passes (models/region/terrain.ts) on surfaces whose answers are known in closed
// form. Tolerances are stated per check; "exact" means equal to the last bit of the formula's value.
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import {
  D8_COL, D8_ROW, downstreamCell, fillDepressions, fillDepressionsWithStats, flowAccumulation, flowDirections, heightAboveDrainage, slopeAspect,
} from '../../models/region/terrain.ts';

/** A grid sampled at cell centres, x east and y north from the lower-left corner, row 0 north. */
function grid(ncols: number, nrows: number, cellsize: number, z: (x: number, y: number) => number): Grid {
  const values = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) values[r * ncols + c] = z((c + 0.5) * cellsize, (nrows - r - 0.5) * cellsize);
  return { ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize, nodata: -9999, values };
}

/** Follows D8 from `i` until water leaves the grid; returns the last cell (throws on a loop). */
function outletOf(direction: Int8Array, ncols: number, i: number): number {
  for (let steps = 0; steps <= direction.length; steps++) {
    const j = downstreamCell(direction, ncols, i);
    if (j < 0) return i;
    i = j;
  }
  throw new Error('flow path loops');
}

describe('Horn slope and aspect on a tilted plane (exact: Horn\'s differences are exact on a plane)', () => {
  it('z = 0.3·x − 0.4·y: slope atan(0.5) = 26.565° and aspect 323.13° (downslope to the north-west) in every cell', () => {
    // Downslope is −∇z = (−0.3, +0.4): bearing atan2(−0.3, 0.4) = 323.13° (north-west).
    // Integer-valued cells (cellsize 10, gradients ×10 integers) so every difference is exact in binary.
    const plane = grid(12, 9, 10, (x, y) => 1000 + 0.3 * (x - 5) - 0.4 * (y - 5));
    const { slopeDeg, aspectDeg } = slopeAspect(plane);
    const slope = (Math.atan(0.5) * 180) / Math.PI;
    const aspect = (Math.atan2(-0.3, 0.4) * 180) / Math.PI + 360;
    for (let i = 0; i < slopeDeg.length; i++) {
      // Edge cells extrapolate their missing neighbours on the plane, so they are exact too.
      expect(Math.abs(slopeDeg[i] - slope), `cell ${i}`).toBeLessThan(1e-12);
      expect(Math.abs(aspectDeg[i] - aspect), `cell ${i}`).toBeLessThan(1e-12);
    }
  });

  it('the eight compass facings of a unit-gradient plane, and NaN aspect on a flat', () => {
    const facing = (dx: number, dy: number) => slopeAspect(grid(3, 3, 1, (x, y) => -(dx * x + dy * y))).aspectDeg[4];
    const expected: [number, number, number][] = [[0, 1, 0], [1, 1, 45], [1, 0, 90], [1, -1, 135], [0, -1, 180], [-1, -1, 225], [-1, 0, 270], [-1, 1, 315]];
    for (const [dx, dy, bearing] of expected) expect(facing(dx, dy), `${dx},${dy}`).toBeCloseTo(bearing, 12);
    const flat = slopeAspect(grid(3, 3, 1, () => 7));
    expect(flat.slopeDeg[4]).toBe(0);
    expect(flat.aspectDeg[4]).toBeNaN();
  });
});

describe('D8 numbering shared by kernel and host', () => {
  it('direction k points at (D8_ROW[k], D8_COL[k]): the only lower neighbour of a 3 × 3 plateau\'s centre', () => {
    for (let k = 0; k < 8; k++) {
      const values = new Float64Array(9).fill(10);
      values[(1 + D8_ROW[k]) * 3 + 1 + D8_COL[k]] = 9;
      const direction = flowDirections(values, 3, 3);
      expect(direction[4]).toBe(k);
      expect(downstreamCell(direction, 3, 4)).toBe((1 + D8_ROW[k]) * 3 + 1 + D8_COL[k]);
    }
  });
});

describe('a cone: flow paths run away from the summit and each quadrant drains a quarter of the area', () => {
  // Summit on the grid vertex at the centre of an even grid, so no cell sits on it: z = 500 − 0.2·r.
  const n = 40; const size = 10; const centre = (n / 2) * size;
  const cone = grid(n, n, size, (x, y) => 500 - 0.2 * Math.hypot(x - centre, y - centre));
  const direction = flowDirections(fillDepressions(cone), n, n);
  const distance = (i: number) => Math.hypot((i % n) + 0.5 - n / 2, Math.floor(i / n) + 0.5 - n / 2);

  it('every D8 step increases the distance from the summit; only edge cells leave the grid', () => {
    for (let i = 0; i < n * n; i++) {
      const j = downstreamCell(direction, n, i);
      const r = Math.floor(i / n); const c = i % n;
      if (j < 0) expect(r === 0 || c === 0 || r === n - 1 || c === n - 1, `cell ${r},${c} has no way down`).toBe(true);
      else expect(distance(j)).toBeGreaterThan(distance(i));
    }
  });

  it('accumulation at the cells where water leaves sums to each quadrant\'s n²/4 cells (exact counts)', () => {
    const accumulation = flowAccumulation(direction, n);
    const leaving = [0, 0, 0, 0];
    for (let i = 0; i < n * n; i++) {
      if (direction[i] >= 0) continue;
      const quadrant = (Math.floor(i / n) < n / 2 ? 0 : 2) + (i % n < n / 2 ? 0 : 1);
      leaving[quadrant] += accumulation[i];
    }
    expect(leaving).toEqual([n * n / 4, n * n / 4, n * n / 4, n * n / 4]);
    // A path never crosses an axis (a cell beside one has its steepest step along it, not across).
    for (let i = 0; i < n * n; i++) {
      const o = outletOf(direction, n, i);
      expect(Math.floor(o / n) < n / 2).toBe(Math.floor(i / n) < n / 2);
      expect(o % n < n / 2).toBe(i % n < n / 2);
    }
  });

  it('a funnel opening on the south edge gathers the whole grid at one outlet (area = n² cells)', () => {
    // Apex half a cell beyond the middle of the south edge; z = 0.1·distance to it.
    const funnel = grid(n + 1, n, size, (x, y) => 0.1 * Math.hypot(x - ((n + 1) / 2) * size, y + 0.5 * size));
    const d = flowDirections(fillDepressions(funnel), n + 1, n);
    const accumulation = flowAccumulation(d, n + 1);
    const outlets = [...d.keys()].filter((i) => d[i] < 0);
    expect(outlets).toEqual([(n - 1) * (n + 1) + n / 2]);
    expect(accumulation[outlets[0]]).toBe(n * (n + 1));
  });
});

describe('HAND in a V valley (exact up to rounding, 1e-9 m)', () => {
  // Sides fall 0.05 m/m toward the axis column, the axis 0.01 m/m to the south: straight across is
  // the steepest D8 step (0.05 > 0.06/√2), so each cell drains to the axis cell of its own row and
  // stands 0.05 × its distance above it.
  const ncols = 31; const nrows = 24; const size = 25; const axis = 15;
  const valley = grid(ncols, nrows, size, (x, y) => 100 + 0.05 * Math.abs(x - (axis + 0.5) * size) + 0.01 * y);
  const direction = flowDirections(fillDepressions(valley, 0), ncols, nrows);

  it('HAND = 0.05 × cross-valley distance where the stream runs', () => {
    const isStream = new Uint8Array(ncols * nrows);
    for (let r = 0; r < nrows; r++) isStream[r * ncols + axis] = 1;
    const hand = heightAboveDrainage(valley.values, direction, ncols, isStream);
    for (let r = 0; r < nrows; r++) {
      for (let c = 0; c < ncols; c++) expect(Math.abs(hand[r * ncols + c] - 0.05 * Math.abs(c - axis) * size)).toBeLessThan(1e-9);
    }
  });

  it('NaN where the path leaves the grid before meeting a stream (stream only in the upper half)', () => {
    const isStream = new Uint8Array(ncols * nrows);
    for (let r = 0; r < nrows / 2; r++) isStream[r * ncols + axis] = 1;
    const hand = heightAboveDrainage(valley.values, direction, ncols, isStream);
    for (let r = 0; r < nrows; r++) {
      for (let c = 0; c < ncols; c++) {
        const h = hand[r * ncols + c];
        if (r < nrows / 2) expect(h).toBeCloseTo(0.05 * Math.abs(c - axis) * size, 9);
        else expect(h).toBeNaN();
      }
    }
  });
});

describe('a closed pit is filled so every cell drains to the edge', () => {
  // A 15 × 15 plain at 10 m with a crater: a rim at 12 m (ring of radius 4–5 cells) around a floor at 5 m.
  const n = 15;
  const crater = grid(n, n, 1, (x, y) => {
    const r = Math.hypot(x - n / 2, y - n / 2);
    return r < 4 ? 5 : r < 5.5 ? 12 : 10;
  });
  const epsilon = 1e-4;
  const { filled, stats } = fillDepressionsWithStats(crater, epsilon);
  const direction = flowDirections(filled, n, n);

  it('no interior sink: every cell\'s path ends on the edge', () => {
    for (let i = 0; i < n * n; i++) {
      const o = outletOf(direction, n, i);
      const r = Math.floor(o / n); const c = o % n;
      expect(r === 0 || c === 0 || r === n - 1 || c === n - 1).toBe(true);
    }
  });

  it('the floor rises to the rim\'s 12 m (its spill level) plus less than ε per cell of the grid; rim and plain stay within that of their own height', () => {
    // Flats (floor, rim ring, plain) get an ε gradient, so each cell lies in [spill, spill + ε·cells).
    const bound = epsilon * n * n;
    let floorCells = 0;
    for (let i = 0; i < n * n; i++) {
      const z = crater.values[i];
      const spill = z === 5 ? 12 : z;
      if (z === 5) { floorCells++; expect(filled[i]).toBeGreaterThan(12); }
      expect(filled[i]).toBeGreaterThanOrEqual(spill);
      expect(filled[i] - spill).toBeLessThan(bound);
    }
    expect(floorCells).toBeGreaterThan(40);
    expect(stats.cellsFilled).toBe([...filled].filter((f, i) => f > crater.values[i]).length);
    expect(stats.maxFillDepthM).toBeGreaterThan(7);
    expect(stats.maxFillDepthM).toBeLessThan(7 + bound);
    // The floor and the rim ring's cells have no lower neighbour on the original DEM.
    expect(stats.flatCells).toBeGreaterThanOrEqual(floorCells);
  });
});

describe('NODATA never drains and stays NODATA', () => {
  const n = 12;
  const dem = grid(n, n, 10, (x, y) => 0.02 * x + 0.03 * y + ((x * 7 + y * 3) % 11) * 0.1);
  for (let r = 3; r < 7; r++) for (let c = 4; c < 9; c++) dem.values[r * n + c] = NaN;
  const { filled, stats } = fillDepressionsWithStats(dem);
  const direction = flowDirections(filled, n, n);
  const nodata = (i: number) => Number.isNaN(dem.values[i]);

  it('stays NaN through fill, slope, aspect and HAND; has no direction; nothing drains into it', () => {
    const { slopeDeg, aspectDeg } = slopeAspect(dem);
    const hand = heightAboveDrainage(filled, direction, n, new Uint8Array(n * n).fill(1));
    expect(stats.nodataCells).toBe(20);
    for (let i = 0; i < n * n; i++) {
      if (nodata(i)) {
        expect(filled[i]).toBeNaN(); expect(slopeDeg[i]).toBeNaN(); expect(aspectDeg[i]).toBeNaN();
        expect(direction[i]).toBe(-1);
        expect(hand[i]).toBeNaN(); // even marked as a stream: its own drain, and NaN − NaN is NaN
      } else {
        const j = downstreamCell(direction, n, i);
        if (j >= 0) expect(nodata(j), `cell ${i} drains into NODATA`).toBe(false);
        expect(Number.isNaN(slopeDeg[i])).toBe(false);
      }
    }
  });

  it('cells beside NODATA are outlets like the edge: no interior sink remains', () => {
    for (let i = 0; i < n * n; i++) {
      if (nodata(i)) continue;
      const o = outletOf(direction, n, i);
      const r = Math.floor(o / n); const c = o % n;
      const beside = D8_ROW.some((dr, k) => { const rr = r + dr; const cc = c + D8_COL[k]; return rr >= 0 && rr < n && cc >= 0 && cc < n && nodata(rr * n + cc); });
      expect(r === 0 || c === 0 || r === n - 1 || c === n - 1 || beside).toBe(true);
    }
  });
});
