// The cells form built from a coupling's values (models/landslide/fs-typed.ts) is the same case as
// the file form given the same values as JSON: same packed cells, same setup, same output — so the
// scenario's slope points lost their JSON round trip without changing a byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { formatFsOutput, parseFsCase } from '../../models/landslide/fs.ts';
import { fsCaseFromCells, type FsCells } from '../../models/landslide/fs-typed.ts';
import { runLandslideWasm } from '../../models/landslide/kernel.ts';
import type { CellProperties } from '../../models/landslide/packed.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const soil = (slope: number, over: Partial<CellProperties> = {}): CellProperties => ({
  slope_deg: slope, soil_depth_m: 2.6, water_table_depth_m: 1.9, cohesion_pa: 6500, friction_deg: 33.4,
  unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 6.3e-6, diffusivity_m2_per_s: 6e-5, background_infiltration_m_per_s: 2e-8, ...over,
});

function cells(over: Partial<FsCells> = {}): FsCells {
  return {
    cells: [soil(32.5), soil(41.2, { cohesion_pa: 4100 })],
    // Periods of 15 min, hourly output: the lagged kernel path; rates such as 1e-5/3 that JSON must carry exactly.
    rain: { periodS: 900, mPerS: Float64Array.from([0, 1e-5 / 3, 2.2e-5, 7e-6, 0, 1.3e-5, 0, 0]) },
    outputTimesS: Float64Array.from([3600, 7200]),
    basalBoundary: 'finite',
    ...over,
  };
}

/** The same values in the file form (what slope-coupling.ts used to hand the engine). */
const fileForm = (a: FsCells) => JSON.parse(JSON.stringify({
  cells: a.cells, rain: { period_s: a.rain.periodS, m_per_s: Array.from(a.rain.mPerS) },
  output_times_s: Array.from(a.outputTimesS), basal_boundary: a.basalBoundary,
}));

const inputError = (f: () => unknown) => { try { f(); } catch (e) { return e as InputError; } throw new Error('no error'); };

describe('landslide cells case from values', () => {
  for (const basalBoundary of ['finite', 'infinite'] as const) {
    it(`packs the same bytes and formats the same output as the file form (${basalBoundary} base)`, () => {
      const a = cells({ basalBoundary });
      const fromFile = parseFsCase(fileForm(a));
      const typed = fsCaseFromCells(a);
      expect(Buffer.from(typed.packed.buffer)).toEqual(Buffer.from(fromFile.packed.buffer));
      expect(typed.setup).toEqual(fromFile.setup);
      expect(typed.cells).toEqual(fromFile.cells);
      const run = (c: typeof typed) => formatFsOutput(c, runLandslideWasm(kernels, c.packed, c.setup));
      expect(JSON.stringify(run(typed))).toBe(JSON.stringify(run(fromFile)));
    });
  }

  it('keeps the file form’s checks and paths: a range, the cell consistency, the rain, the time order', () => {
    expect(inputError(() => fsCaseFromCells(cells({ cells: [soil(30), soil(95)] }))).problems[0]).toMatchObject({ path: '$.cells[1].slope_deg', value: 95 });
    expect(inputError(() => fsCaseFromCells(cells({ cells: [soil(30, { water_table_depth_m: 3 })] }))).problems[0])
      .toMatchObject({ path: '$.cells[0].water_table_depth_m', message: 'puts the water table below the soil base' });
    expect(inputError(() => fsCaseFromCells(cells({ rain: { periodS: 900, mPerS: Float64Array.from([0, -1e-6]) } }))).problems[0])
      .toMatchObject({ path: '$.rain.m_per_s[1]', message: 'out of range' });
    expect(inputError(() => fsCaseFromCells(cells({ outputTimesS: Float64Array.from([7200, 3600]) }))).problems[0])
      .toMatchObject({ path: '$.output_times_s[1]', message: 'is not after the time before it' });
    // The same problems as the file form reports for the same values.
    const bad = cells({ cells: [soil(30, { cohesion_pa: -1 })] });
    expect(inputError(() => fsCaseFromCells(bad)).problems).toEqual(inputError(() => parseFsCase(fileForm(bad))).problems);
  });
});
