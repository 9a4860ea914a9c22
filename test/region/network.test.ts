import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import { extractRiverNetwork } from '../../models/region/network.ts';

/** Two tilted planes meeting in a V valley that runs south along column `mid` and leaves the grid. */
function vValley(ncols: number, nrows: number, cellsize: number): Grid {
  const mid = (ncols - 1) / 2;
  const values = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) values[r * ncols + c] = 100 + 0.05 * Math.abs(c - mid) * cellsize + 0.01 * (nrows - r) * cellsize;
  }
  return { ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize, nodata: -9999, values };
}

describe('river network from a DEM', () => {
  it('a V valley gives one channel along its axis, draining everything that reaches it', () => {
    const dem = vValley(41, 60, 100); // 4.1 km × 6 km, 0.01 m/m down-valley
    const network = extractRiverNetwork(dem, 0.5);
    expect(network.reaches).toHaveLength(1);
    const [reach] = network.reaches;
    expect(reach.id).toBe('R001');
    expect(reach.downstream).toBeNull();
    expect(new Set(reach.cells.map((i) => i % 41))).toEqual(new Set([20]));
    expect(reach.slope).toBeCloseTo(0.01, 6);
    // The channel runs south to the edge from where 0.5 km² (50 cells) have gathered.
    const last = reach.cells[reach.cells.length - 1];
    expect(Math.floor(last / 41)).toBe(59);
    expect(reach.lengthM).toBe(reach.cells.length * 100);
    // The whole grid except edge cells that leave sideways drains to this reach's outlet.
    expect(reach.drainageAreaKm2).toBeCloseTo(network.accumulationCells[last] * 0.01, 9);
    expect(reach.localAreaKm2).toBeCloseTo(reach.drainageAreaKm2, 9);
  });

  it('a confluence splits reaches and orders them (Strahler)', () => {
    // Two V valleys side by side that merge into one trunk below row 30.
    const ncols = 61; const nrows = 80; const cellsize = 50;
    const values = new Float64Array(ncols * nrows);
    for (let r = 0; r < nrows; r++) {
      for (let c = 0; c < ncols; c++) {
        const axis = r < 40 ? (c < 30 ? 15 : 45) - ((r / 40) * (c < 30 ? -15 : 15)) : 30;
        values[r * ncols + c] = 50 + 0.2 * Math.abs(c - axis) * cellsize + 0.02 * (nrows - r) * cellsize;
      }
    }
    const network = extractRiverNetwork({ ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize, nodata: -9999, values }, 0.2);
    const trunk = network.reaches.find((r) => r.downstream === null && r.strahlerOrder === 2);
    expect(trunk).toBeDefined();
    const tributaries = network.reaches.filter((r) => r.downstream === trunk!.id);
    expect(tributaries).toHaveLength(2);
    expect(tributaries.every((r) => r.strahlerOrder === 1)).toBe(true);
    const sumOfParts = tributaries.reduce((s, r) => s + r.drainageAreaKm2, 0) + trunk!.localAreaKm2;
    expect(trunk!.drainageAreaKm2).toBeCloseTo(sumOfParts, 9);
  });
});
