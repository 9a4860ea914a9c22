// A spread case built from a coupling's grids (models/fire/spread-typed.ts) packs the same bytes
// as the file form given the same values as grid files — what the scenario's fire coupling used
// to write and parse again — and keeps the file form's checks that protect the kernel.
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { parseSpreadCase } from '../../models/fire/spread-case.ts';
import { packSpreadCase } from '../../models/fire/spread-pack.ts';
import { spreadInputsOf, type SpreadArrays } from '../../models/fire/spread-typed.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const N = 12;
const geometry = { ncols: N, nrows: N, xllcorner: 1000, yllcorner: 2000, cellsize: 30 };
const grid = (value: (r: number, c: number) => number): Grid => ({
  ...geometry, nodata: -9999, values: Float64Array.from({ length: N * N }, (_, i) => value(Math.floor(i / N), i % N)),
});
// Grass on the west half, timber litter on the east, a NODATA cell and a non-burnable row; a hill.
const fuel = grid((r, c) => (r === 5 && c === 5 ? NaN : r === 9 ? 91 : c < 6 ? 1 : 8));
const dem = grid((r, c) => 400 + 3 * (N - r) + 2 * c * c);
const moisture = { d1h: 6, d10h: 7, d100h: 8, live_herb: 60, live_woody: 90 };
const wind = [{ tS: 0, midflameMPerS: 2.4, fromDeg: 225 }, { tS: 3600, midflameMPerS: 4, fromDeg: 270 }];
const ignitions = [{ x_m: 1100, y_m: 2100, t_s: 0 }, { x_m: 1300, y_m: 2250, t_s: 900 }, { x_m: 1200, y_m: 2200, t_s: 9000 }];
const barrier = [[3, 4], [4, 4], [5, 4]];

function arrays(over: Partial<SpreadArrays> = {}): SpreadArrays {
  return {
    geometry, fuel, elevation: dem, moisturePercent: moisture, wind, ignitions,
    barrierCells: new Set(barrier.map(([r, c]) => r * N + c)), durationS: 7200, outputTimesS: [7200], ...over,
  };
}

describe('fire spread inputs from a coupling’s grids', () => {
  it('pack the same case as the file form (beds, slope vectors, wind, barriers, ignitions, warnings)', () => {
    const fromFile = parseSpreadCase(kernels, {
      grid: { ncols: N, nrows: N, cellsize_m: 30, xllcorner: 1000, yllcorner: 2000 },
      fuel_model: 'fuel.asc', elevation_m: 'dem.asc', moisture_percent: moisture,
      wind: { series: wind.map((w) => ({ t_s: w.tS, midflame_m_per_s: w.midflameMPerS, from_deg: w.fromDeg })) },
      ignitions, barriers: [{ cells: barrier }], duration_s: 7200, output_times_s: [7200],
    }, new Map([['fuel.asc', fuel], ['dem.asc', dem]]));
    const typed = packSpreadCase(kernels, spreadInputsOf(arrays()));
    expect(typed).toEqual(fromFile);
    expect(typed.warnings).toContain('$.ignitions[2] starts at t_s 9000, after duration_s 7200: it burns nothing');
    expect(typed.packed.bedIndex[3 * N + 4]).toBe(-1);
  });

  it('keeps the kernel’s checks: an out-of-range wind and elevation are refused by the spec’s ranges', () => {
    const refused = (over: Partial<SpreadArrays>) => { try { spreadInputsOf(arrays(over)); } catch (e) { return e as InputError; } throw new Error('accepted'); };
    const fast = refused({ wind: [{ tS: 0, midflameMPerS: 61, fromDeg: 0 }] });
    expect(fast).toBeInstanceOf(InputError);
    expect(fast.problems[0]).toMatchObject({ path: '$.wind.series[0].midflame_m_per_s', message: 'out of range', value: 61 });
    const deep = refused({ elevation: { ...dem, values: dem.values.map((v, i) => (i === 7 ? -20000 : v)) } });
    expect(deep.problems[0]).toMatchObject({ path: '$.elevation_m (elevation grid row 0, col 7)', message: 'out of range', value: -20000 });
    const backwards = refused({ wind: [wind[1], wind[0]] });
    expect(backwards.problems[0]).toMatchObject({ path: '$.wind.series[1].t_s', message: 'is not after the previous period' });
    // The path the scenario runner maps to its own $.duration_s (models/scenario/run.ts CASE_PATHS).
    expect(refused({ durationS: 31 * 86400 }).problems[0]).toMatchObject({ path: '$.duration_s', message: 'out of range' });
  });

  it('refuses an ignition on ground that cannot burn, as the file form does', () => {
    expect(() => packSpreadCase(kernels, spreadInputsOf(arrays({ ignitions: [{ x_m: 1000 + 5.5 * 30, y_m: 2000 + 6.5 * 30, t_s: 0 }] })))).toThrow(/\$\.ignitions\[0\].*lies on NODATA fuel/);
  });
});
