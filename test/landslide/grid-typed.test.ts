// The grid form built from a coupling's arrays (models/landslide/grid-typed.ts) is the same case as
// the file form given the same values as grid files: same packed cells, same setup, same output —
// so the scenario's slope grid lost its JSON round trip without changing a byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { parseGridCase, runGridCase } from '../../models/landslide/grid.ts';
import { gridCaseFromArrays, type GridArrays } from '../../models/landslide/grid-typed.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const geometry = { ncols: 3, nrows: 2, xllcorner: 600000, yllcorner: 3200000, cellsize: 100, nodata: -9999 };
const values = (v: number[]) => Float64Array.from(v);

/** Steep cells, one NODATA block (NaN, as the coupling marks gentle ground) and one hour without rain. */
function arrays(over: Partial<GridArrays['cells']> = {}): GridArrays {
  return {
    geometry,
    cells: {
      slope_deg: values([30, 35, NaN, 40, 45, 25]), soil_depth_m: values([2.5, 3, NaN, 2.2, 2.5, 4]),
      water_table_depth_m: values([2, 1.5, NaN, 2, 2.5, 3]), cohesion_pa: values([3000, 1000, NaN, 2000, 1500, 4000]),
      friction_deg: values([32, 28, NaN, 30, 31, 35]), ks_m_per_s: values([5e-6, 1e-5, NaN, 2e-6, 8e-6, 1e-5]),
      unit_weight_soil_n_per_m3: 19000, diffusivity_m2_per_s: 1e-4, background_infiltration_m_per_s: 1e-8,
      ...over,
    },
    rain: { periodS: 3600, mmPerHour: [values([10, 20, 0, 30, 40, 5]), values([0, 0, 0, 0, 0, 0]), values([60, 50, 0, 40, 30, 20])] },
    outputTimesS: [3600, 7200, 10800],
    basalBoundary: 'finite',
  };
}

/** The same values as the file form's case and grid files (what slope-grid.ts used to write). */
function fileForm(a: GridArrays): { input: unknown; grids: Record<string, Grid> } {
  const grids: Record<string, Grid> = {};
  const grid: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(a.cells)) {
    if (typeof v === 'number') grid[name] = v;
    else { grids[`${name}.asc`] = { ...geometry, values: v }; grid[name] = `${name}.asc`; }
  }
  a.rain.mmPerHour.forEach((v, h) => { grids[`rain_h${h}.asc`] = { ...geometry, values: v }; });
  const input = {
    grid, rain: { period_s: a.rain.periodS, grids_mm_per_h: a.rain.mmPerHour.map((_, h) => `rain_h${h}.asc`) },
    output_times_s: a.outputTimesS, basal_boundary: a.basalBoundary,
  };
  return { input, grids };
}

describe('landslide grid case from arrays', () => {
  it('packs the same bytes and runs to the same output as the file form', () => {
    const a = arrays();
    const { input, grids } = fileForm(a);
    const fromFile = parseGridCase(input, grids);
    const typed = gridCaseFromArrays(a);
    expect(Buffer.from(typed.packed.buffer)).toEqual(Buffer.from(fromFile.packed.buffer));
    expect(typed.setup).toEqual(fromFile.setup);
    expect([typed.cellCount, typed.flatCells, typed.period, typed.unitWeightWater]).toEqual([fromFile.cellCount, fromFile.flatCells, fromFile.period, fromFile.unitWeightWater]);
    const out = runGridCase(kernels, typed);
    expect(out).toEqual(runGridCase(kernels, fromFile));
    expect(out.grid.nodata_cells).toBe(1);
  });

  it('packs into a lent array (the slope grid reuses one per thread) exactly as into a new one, NODATA rain included', () => {
    const a = arrays();
    a.rain.mmPerHour[1] = values([0, 0, NaN, 0, 0, 0]);
    const fresh = gridCaseFromArrays(a);
    const lent = new Float64Array(fresh.setup.intensity.length).fill(7);
    const reused = gridCaseFromArrays({ ...a, intensityInto: lent });
    expect(reused.setup.intensity).toBe(lent);
    expect(Buffer.from(lent.buffer)).toEqual(Buffer.from(fresh.setup.intensity.buffer));
    expect(Buffer.from(reused.packed.buffer)).toEqual(Buffer.from(fresh.packed.buffer));
    // At another length the array is not used.
    expect(gridCaseFromArrays({ ...a, intensityInto: new Float64Array(3) }).setup.intensity).toHaveLength(lent.length);
  });

  it('keeps the kernel’s checks: a value out of its declared range is refused, by parameter and cell', () => {
    const friction = values([32, 28, NaN, 30, 95, 35]);
    const error = (() => { try { gridCaseFromArrays(arrays({ friction_deg: friction })); } catch (e) { return e; } })() as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0].path).toBe('friction_deg (row 1, col 1)');
    expect(error.problems[0].value).toBe(95);
  });

  it('keeps the cell consistency check of the file form (water table below the soil base)', () => {
    const error = (() => { try { gridCaseFromArrays(arrays({ water_table_depth_m: values([3, 1.5, NaN, 2, 2.5, 3]) })); } catch (e) { return e; } })() as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0].path).toBe('cell (row 0, col 0).water_table_depth_m');
    expect(error.problems[0].message).toBe('puts the water table below the soil base');
  });

  it('refuses a rain rate out of range, and arrays of the wrong size', () => {
    const a = arrays();
    a.rain.mmPerHour[1] = values([0, -1, 0, 0, 0, 0]);
    expect(() => gridCaseFromArrays(a)).toThrow(/rain\[1\] \(row 0, col 1\)/);
    expect(() => gridCaseFromArrays(arrays({ cohesion_pa: values([1, 2]) }))).toThrow(/cohesion_pa: has the wrong number of cells/);
  });
});
