// The multi-worker path: the engine in worker_threads answers landslide cases as in-process does,
// and a grid split into row bands over several workers gives the undivided run's grids exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, spawnEngineWorker, type EngineWorker } from '../../models/engine-node.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { balancedCuts, runGridOnWorkers } from '../../models/landslide/parallel.ts';
import { seededRandom } from '../../models/random.ts';

let pool: EngineWorker[];
beforeAll(async () => {
  pool = [spawnEngineWorker(), spawnEngineWorker(), spawnEngineWorker()];
  await Promise.all(pool.map((w) => w.engine.ready()));
});
afterAll(async () => { await Promise.all(pool.map((w) => w.terminate())); });

const inProcess = createNodeEngine();

function field(ncols: number, nrows: number, f: (r: number, c: number) => number): Grid {
  return { ncols, nrows, xllcorner: 1000, yllcorner: 2000, cellsize: 5, nodata: -9999,
    values: Float64Array.from({ length: ncols * nrows }, (_, i) => f(Math.floor(i / ncols), i % ncols)) };
}

describe('landslide on engine workers', () => {
  it('landslideFs through a worker equals in-process; an InputError crosses with its problems', async () => {
    const input = {
      cells: [{ slope_deg: 35, soil_depth_m: 2.5, water_table_depth_m: 2, cohesion_pa: 3000, friction_deg: 32,
        unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5 }],
      rain: { period_s: 3600, mm_per_h: [10, 20, 30] }, output_times_s: [3600, 10800],
    };
    expect(await pool[0].engine.landslideFs(input)).toEqual(await inProcess.landslideFs(input));
    const bad = { ...input, cells: [{ ...input.cells[0], slope_deg: 90 }] };
    await expect(pool[0].engine.landslideFs(bad)).rejects.toMatchObject({
      name: 'InputError', problems: [{ path: '$.cells[0].slope_deg', message: 'out of range', value: 90 }],
    });
  });

  it('a DEM grid with zones, per-cell rain grids and warnings, cut into 3 bands: every output grid identical to one run', async () => {
    const r = seededRandom(31);
    const ncols = 17;
    const nrows = 23;
    const dem = field(ncols, nrows, (row, col) => 200 + 0.02 * col * col * 5 + 3 * (nrows - row) + 2 * r());
    dem.values[5 * ncols + 7] = NaN;
    const grids: Record<string, Grid> = {
      'dem.asc': dem,
      'soil.asc': field(ncols, nrows, () => 1.5 + 2 * r()),
      'zones.asc': field(ncols, nrows, (_, col) => (col < 8 ? 1 : 2)),
    };
    const hours = 12;
    for (let n = 0; n < hours; n++) grids[`r${n}.asc`] = field(ncols, nrows, (row) => (5 + 3 * n) * (0.5 + row / nrows));
    const input = {
      grid: {
        elevation_m: 'dem.asc', soil_depth_m: 'soil.asc', water_table_depth_m: 1.2, zones: 'zones.asc',
        zone_table: [
          { zone: 1, cohesion_pa: 3000, friction_deg: 32, unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5 },
          { zone: 2, cohesion_pa: 1500, friction_deg: 29, unit_weight_soil_n_per_m3: 19000, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-4 },
        ],
      },
      rain: { period_s: 3600, grids_mm_per_h: Array.from({ length: hours }, (_, n) => `r${n}.asc`) },
      output_times_s: [3600, 21600, 43200],
      output: { pressure_head_depths_m: [1] },
      warning: { thresholds: ['caine_1980'] },
    };
    const whole = await inProcess.landslideGrid(input, grids);
    const banded = await runGridOnWorkers(pool.map((w) => w.engine), input, grids);
    expect(Object.keys(banded.grids).sort()).toEqual(Object.keys(whole.grids).sort());
    for (const [name, g] of Object.entries(whole.grids)) {
      expect(banded.grids[name].nrows, name).toBe(nrows);
      expect(banded.grids[name].yllcorner, name).toBe(2000);
      expect(Array.from(banded.grids[name].values), name).toEqual(Array.from(g.values));
    }
    expect(banded.grid).toEqual(whole.grid);
    expect(banded.times).toEqual(whole.times);
    // The storm does something on this slope, or the equality proves little.
    expect(whole.times[2].cells_fs_below_1).toBeGreaterThan(0);
    expect(whole.grid.nodata_cells).toBeGreaterThan(0);
    // The bands' input slices were transferred, never the caller's own grids.
    expect(grids['dem.asc'].values.length).toBe(ncols * nrows);
    expect(grids['r0.asc'].values.length).toBe(ncols * nrows);
  });

  const plain = (ncols: number, nrows: number, seed: number) => {
    const r = seededRandom(seed);
    const grids: Record<string, Grid> = {
      'slope.asc': field(ncols, nrows, () => 25 + 15 * r()),
      'soil.asc': field(ncols, nrows, () => 1.5 + 2 * r()),
    };
    const input = {
      grid: { slope_deg: 'slope.asc', soil_depth_m: 'soil.asc', water_table_depth_m: 1, cohesion_pa: 2000, friction_deg: 30,
        unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5 },
      rain: { period_s: 3600, mm_per_h: [10, 30, 50, 20, 5, 0] },
      output_times_s: [3600, 10800, 21600],
      warning: {},
    };
    return { grids, input };
  };

  it('NODATA in the top rows: bands balanced by cells with data, and 1, 2 and 3 workers give the one-run grids bit for bit', async () => {
    const ncols = 13;
    const nrows = 30;
    const { grids, input } = plain(ncols, nrows, 7);
    for (let i = 0; i < 15 * ncols; i++) grids['slope.asc'].values[i] = NaN;
    const cuts = balancedCuts([grids['slope.asc'], grids['soil.asc']], ncols, nrows, 2);
    // Equal row bands would cut at row 15, leaving the first band all NODATA; by cells with data the
    // first band ends at the row where it reaches half the weight (15·13·0.02 + 8·13 ≥ 198.9 / 2).
    expect(cuts).toEqual([[0, 23], [23, 30]]);
    const whole = await inProcess.landslideGrid(input, grids);
    expect(whole.times[2].cells_fs_below_1).toBeGreaterThan(0);
    for (const n of [1, 2, 3]) {
      const banded = await runGridOnWorkers(pool.slice(0, n).map((w) => w.engine), input, grids);
      for (const [name, g] of Object.entries(whole.grids)) {
        expect(banded.grids[name].values.every((v, i) => Object.is(v, g.values[i])), `${n} workers: ${name}`).toBe(true);
      }
      expect(banded.grid, `${n} workers`).toEqual(whole.grid);
      expect(banded.times, `${n} workers`).toEqual(whole.times);
    }
  });

  it('balancedCuts gives every band at least one row and covers the grid once', () => {
    const g = field(3, 5, () => 1);
    g.values.fill(NaN, 0, 12);
    for (const bands of [1, 2, 3, 5]) {
      const cuts = balancedCuts([g], 3, 5, bands);
      expect(cuts.length).toBe(bands);
      expect(cuts[0][0]).toBe(0);
      expect(cuts[bands - 1][1]).toBe(5);
      cuts.forEach(([a, b], k) => { expect(b).toBeGreaterThan(a); if (k > 0) expect(a).toBe(cuts[k - 1][1]); });
    }
  });

  it('bad input in one band: the error is the whole-grid one (rows of the file, five per grid and a count)', async () => {
    const ncols = 6;
    const nrows = 20;
    const { grids, input } = plain(ncols, nrows, 9);
    for (const row of [3, 14, 15, 16, 17, 18, 19]) grids['slope.asc'].values[row * ncols + 2] = 95;
    const single = await inProcess.landslideGrid(input, grids).catch((e) => e);
    const banded = await runGridOnWorkers(pool.map((w) => w.engine), input, grids).catch((e) => e);
    expect(single.name).toBe('InputError');
    expect(banded.name).toBe('InputError');
    expect(banded.problems).toEqual(single.problems);
    expect(banded.problems[0].path).toBe('slope.asc (row 3, col 2)');
    expect(banded.problems.at(-1)).toMatchObject({ path: 'slope.asc', message: 'has 2 more cells like these' });
  });
});
