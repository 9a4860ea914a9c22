// Random DEMs (fast-check, fixed seed): the wasm passes equal their plain-TS twin bit for bit, and
// the fill is the minimal drained surface, checked against a brute-force fill. Integer elevations
// in a small range make flats and equal-height ties common, the cases where a priority queue's
// order could show.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import * as reference from '../../models/region/reference.ts';
import * as wasm from '../../models/region/terrain.ts';

const SEED = 18;

/** Elements equal as IEEE values (NaN equals NaN, +0 differs from −0); names the first difference. */
function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}: cell ${i} is ${actual[i]}, the twin has ${expected[i]}`);
  }
}

const demArbitrary = fc.record({ ncols: fc.integer({ min: 1, max: 14 }), nrows: fc.integer({ min: 1, max: 14 }), levels: fc.integer({ min: 1, max: 8 }), nodataShare: fc.constantFrom(0, 0, 0.1, 0.4) })
  .chain(({ ncols, nrows, levels, nodataShare }) => fc.array(fc.tuple(fc.integer({ min: 0, max: levels }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: ncols * nrows, maxLength: ncols * nrows })
    .map((cells): Grid => ({
      ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize: 30, nodata: -9999,
      values: Float64Array.from(cells, ([z, u]) => (u < nodataShare ? NaN : z * 0.5)),
    })));

/**
 * The minimal surface that drains (spill elevations): W = z on cells that can shed water off the
 * grid (edge, or beside NODATA), W = max(z, min over neighbours of W) elsewhere, iterated to the
 * fixed point from W = +∞. Quadratic and obviously right; a priority-flood with ε = 0 must equal it.
 */
function bruteForceFill(dem: Grid): Float64Array {
  const { ncols, nrows, values } = dem;
  const inside = (r: number, c: number) => r >= 0 && r < nrows && c >= 0 && c < ncols;
  const w = Float64Array.from(values, (z, i) => {
    if (Number.isNaN(z)) return NaN;
    const r = Math.floor(i / ncols); const c = i % ncols;
    const outlet = reference.D8_ROW.some((dr, k) => !inside(r + dr, c + reference.D8_COL[k]) || Number.isNaN(values[(r + dr) * ncols + c + reference.D8_COL[k]]));
    return outlet ? z : Infinity;
  });
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < w.length; i++) {
      if (Number.isNaN(w[i])) continue;
      const r = Math.floor(i / ncols); const c = i % ncols;
      let lowest = Infinity;
      reference.D8_ROW.forEach((dr, k) => {
        const rr = r + dr; const cc = c + reference.D8_COL[k];
        if (inside(rr, cc) && !Number.isNaN(w[rr * ncols + cc])) lowest = Math.min(lowest, w[rr * ncols + cc]);
      });
      const next = Math.max(values[i], lowest);
      if (next < w[i]) { w[i] = next; changed = true; }
    }
  }
  return w;
}

describe('wasm terrain passes equal the plain-TS twin bit for bit', () => {
  it('fill (ε and ε = 0), D8, accumulation, HAND, sub-basins, slope and aspect on random DEMs with flats, ties and NODATA', () => {
    fc.assert(fc.property(demArbitrary, fc.constantFrom(1e-4, 0, 0.01), (dem, epsilon) => {
      const filled = wasm.fillDepressions(dem, epsilon);
      sameBits(filled, reference.fillDepressions(dem, epsilon), 'fill');
      const direction = wasm.flowDirections(filled, dem.ncols, dem.nrows);
      sameBits(direction, reference.flowDirections(filled, dem.ncols, dem.nrows), 'D8');
      const accumulation = wasm.flowAccumulation(direction, dem.ncols);
      sameBits(accumulation, reference.flowAccumulation(direction, dem.ncols), 'accumulation');
      const isStream = Uint8Array.from(accumulation, (a) => (a >= 4 ? 1 : 0));
      sameBits(wasm.heightAboveDrainage(filled, direction, dem.ncols, isStream), reference.heightAboveDrainage(filled, direction, dem.ncols, isStream), 'HAND');
      // Sub-basins: stream cells labelled by a made-up reach number, NODATA −1, the rest to find.
      const labels = Int32Array.from(dem.values, (z, i) => (Number.isNaN(z) ? -1 : isStream[i] ? i % 5 : -2));
      sameBits(wasm.labelDownstream(direction, dem.ncols, labels, -2), reference.labelDownstream(direction, dem.ncols, labels, -2), 'sub-basins');
      const rough = { ...dem, values: dem.values.map((z, i) => z + ((i * 7919) % 13) * 0.37) };
      const mine = wasm.slopeAspect(rough); const twin = reference.slopeAspect(rough);
      sameBits(mine.slopeDeg, twin.slopeDeg, 'slope');
      sameBits(mine.aspectDeg, twin.aspectDeg, 'aspect');
    }), { numRuns: 300, seed: SEED });
  });

  it('on a 300 × 200 rough surface with pits, a NODATA lake and a flat terrace (the queue\'s heavy case)', () => {
    const ncols = 300; const nrows = 200;
    const values = new Float64Array(ncols * nrows);
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let r = 0; r < nrows; r++) {
      for (let c = 0; c < ncols; c++) {
        const terrace = r > 120 && r < 150 ? 40 : 0.3 * r + 0.1 * c;
        values[r * ncols + c] = (r > 50 && r < 70 && c > 100 && c < 160) ? NaN : Math.round(terrace + 8 * random());
      }
    }
    const dem: Grid = { ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values };
    const filled = wasm.fillDepressions(dem);
    sameBits(filled, reference.fillDepressions(dem), 'fill');
    const direction = wasm.flowDirections(filled, ncols, nrows);
    const accumulation = wasm.flowAccumulation(direction, ncols);
    sameBits(accumulation, reference.flowAccumulation(direction, ncols), 'accumulation');
    const isStream = Uint8Array.from(accumulation, (a) => (a >= 50 ? 1 : 0));
    sameBits(wasm.heightAboveDrainage(filled, direction, ncols, isStream), reference.heightAboveDrainage(filled, direction, ncols, isStream), 'HAND');
    const slopes = wasm.slopeAspect(dem);
    sameBits(slopes.slopeDeg, reference.slopeAspect(dem).slopeDeg, 'slope');
  });

  it('slopes of extreme gradients (tiny, huge, one component zero) match V8\'s Math.hypot path', () => {
    const gradients = [1e-300, 1e-12, 3e-9, 0.5, 1, 7, 1e6, 1e150];
    for (const gx of gradients) {
      for (const gy of [0, ...gradients]) {
        const plane: Grid = { ncols: 3, nrows: 3, xllcorner: 0, yllcorner: 0, cellsize: 1, nodata: -9999, values: Float64Array.from({ length: 9 }, (_, i) => gx * (i % 3) - gy * Math.floor(i / 3) * 1.3) };
        sameBits(wasm.slopeAspect(plane).slopeDeg, reference.slopeAspect(plane).slopeDeg, `slope at ${gx}, ${gy}`);
      }
    }
  });
});

describe('the fill is the minimal surface on which everything drains', () => {
  it('with ε = 0 it equals the brute-force spill elevations exactly; with ε it lies less than ε per cell above them', () => {
    fc.assert(fc.property(demArbitrary, (dem) => {
      const spill = bruteForceFill(dem);
      sameBits(wasm.fillDepressions(dem, 0), spill, 'fill with ε = 0 vs brute force');
      const epsilon = 1e-4;
      const filled = wasm.fillDepressions(dem, epsilon);
      const bound = epsilon * filled.length;
      for (let i = 0; i < filled.length; i++) {
        if (Number.isNaN(dem.values[i])) { expect(filled[i]).toBeNaN(); continue; }
        expect(filled[i]).toBeGreaterThanOrEqual(dem.values[i]);
        expect(filled[i]).toBeGreaterThanOrEqual(spill[i]);
        expect(filled[i] - spill[i]).toBeLessThan(bound);
      }
    }), { numRuns: 200, seed: SEED });
  });

  it('no interior sink after filling: every path reaches the edge or NODATA, and no cell drains into NODATA', () => {
    fc.assert(fc.property(demArbitrary, (dem) => {
      const { ncols, nrows, values } = dem;
      const direction = wasm.flowDirections(wasm.fillDepressions(dem), ncols, nrows);
      const nodata = (r: number, c: number) => r >= 0 && r < nrows && c >= 0 && c < ncols && Number.isNaN(values[r * ncols + c]);
      for (let i = 0; i < values.length; i++) {
        if (Number.isNaN(values[i])) { expect(direction[i]).toBe(-1); continue; }
        const j = wasm.downstreamCell(direction, ncols, i);
        if (j >= 0) { expect(Number.isNaN(values[j])).toBe(false); continue; }
        const r = Math.floor(i / ncols); const c = i % ncols;
        const outlet = r === 0 || c === 0 || r === nrows - 1 || c === ncols - 1 || wasm.D8_ROW.some((dr, k) => nodata(r + dr, c + wasm.D8_COL[k]));
        expect(outlet, `interior sink at ${r},${c}`).toBe(true);
      }
    }), { numRuns: 200, seed: SEED });
  });
});
