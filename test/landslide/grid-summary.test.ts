// The grid form's summary (models/landslide/grid-summary.ts), which the scenario's slope grid runs
// for every `sandtable run` and every ensemble member: the same numbers as the full form's per-time
// grids folded afterwards (as slope-grid.ts did before), without those grids. The grid spans two
// kernel blocks (4096 cells each) so the fold meets a block boundary.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { runGridCase, type GridOutput } from '../../models/landslide/grid.ts';
import { gridCaseFromArrays, type GridArrays } from '../../models/landslide/grid-typed.ts';
import { runGridSummary } from '../../models/landslide/grid-summary.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const ncols = 80; const nrows = 60; // 4800 cells: one full block and part of a second
const geometry = { ncols, nrows, xllcorner: 600000, yllcorner: 3200000, cellsize: 100, nodata: -9999 };
const HOURS = 6;

/** Cells from gentle to steep, every 7th NODATA (gentle ground), rain bursting at hour 3 and easing. */
function arrays(): GridArrays {
  const n = ncols * nrows;
  const field = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : f(i)));
  return {
    geometry,
    cells: {
      slope_deg: field((i) => 20 + (i % 31)), soil_depth_m: field((i) => 2 + (i % 5) * 0.5),
      water_table_depth_m: field((i) => 1 + (i % 3) * 0.4), cohesion_pa: field((i) => 500 + (i % 11) * 300),
      friction_deg: field((i) => 28 + (i % 9)), ks_m_per_s: field((i) => (1 + (i % 4)) * 2e-6),
      unit_weight_soil_n_per_m3: 19000, diffusivity_m2_per_s: 1e-4, background_infiltration_m_per_s: 1e-8,
    },
    rain: { periodS: 3600, mmPerHour: Array.from({ length: HOURS }, (_, h) => Float64Array.from({ length: n }, (_, i) => [5, 20, 60, 90, 10, 0][h] * (1 + (i % 13) / 13))) },
    outputTimesS: Array.from({ length: HOURS }, (_, h) => (h + 1) * 3600),
    basalBoundary: 'finite',
  };
}

/** What slope-grid.ts computed from the full form: each cell's lowest FS over the hourly grids (a number beats NaN). */
function foldedLowest(full: GridOutput): Float64Array {
  const lowest = new Float64Array(ncols * nrows).fill(NaN);
  for (const { t_s } of full.times) {
    const fs = full.grids[`fs_min_t${t_s}.asc`].values;
    for (let i = 0; i < fs.length; i++) if (fs[i] < lowest[i] || (Number.isNaN(lowest[i]) && !Number.isNaN(fs[i]))) lowest[i] = fs[i];
  }
  return lowest;
}

describe('landslide grid summary form', () => {
  it('gives the full form’s summaries, first-failure grid and folded lowest FS, without per-time grids', () => {
    const full = runGridCase(kernels, gridCaseFromArrays(arrays()));
    const summary = runGridSummary(kernels, gridCaseFromArrays({ ...arrays(), summaryOnly: true }));
    // Some cells fail and some hold, or the comparison below proves little.
    expect(full.times.some((t) => t.cells_fs_below_1 > 0)).toBe(true);
    expect(full.times.every((t) => t.cells_fs_below_1 < full.grid.cells - full.grid.nodata_cells)).toBe(true);
    expect(summary.times).toEqual(full.times);
    expect(summary.grid).toEqual(full.grid);
    expect(summary.warnings).toEqual(full.warnings);
    expect(Object.keys(summary.grids)).toEqual(['first_fs_below_1_t_s.asc']);
    expect(summary.grids['first_fs_below_1_t_s.asc']).toEqual(full.grids['first_fs_below_1_t_s.asc']);
    const lowest = summary.lowestFs!;
    expect({ ...lowest, values: undefined }).toEqual({ ...full.grids['fs_min_t3600.asc'], values: undefined });
    expect(Buffer.from(lowest.values.buffer)).toEqual(Buffer.from(foldedLowest(full).buffer));
    expect(full.lowestFs).toBeUndefined();
  });

  it('is what the engine runs for a case that asks for it, and the full form otherwise', async () => {
    const engine = createNodeEngine();
    const summary = await engine.landslideGridCase(gridCaseFromArrays({ ...arrays(), summaryOnly: true }));
    expect(Object.keys(summary.grids)).toEqual(['first_fs_below_1_t_s.asc']);
    expect(summary.lowestFs).toBeDefined();
    const full = await engine.landslideGridCase(gridCaseFromArrays(arrays()));
    expect(Object.keys(full.grids)).toHaveLength(2 * HOURS + 1);
  });

  it('refuses warning levels or pressure heads, which need the per-time grids', () => {
    const c = { ...gridCaseFromArrays(arrays()), summaryOnly: true, pressureHeadDepths: Float64Array.of(1) };
    expect(() => runGridSummary(kernels, c)).toThrow('the grid summary form has no warning levels or pressure heads');
  });
});
