// P(FS < 1) per cell of a grid case from an ensemble of its soil inputs, in process: one member with
// no perturbation is the deterministic run's indicator; the products are the same bytes for any
// tiling and completion order (draws keyed by the global cell index); a uniform cohesion gives the
// analytic exceedance frequency within its sampling error; bad blocks are named by JSON path.
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { parseGridEnsembleBlock } from '../../models/ensemble/fs-grid-block.ts';
import { cellDraw } from '../../models/ensemble/fs-grid-members.ts';
import { runProbabilityTile, stitchProbabilityTiles, tileProducts, type ProbabilityTile } from '../../models/ensemble/fs-grid-prob.ts';
import { prepareProbabilityRun } from '../../models/ensemble/fs-grid-run.ts';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { tileFixtureCase, tileFixtureGrids } from './tile-fixture.ts';

const engine = createNodeEngine();
const shuffled = <T>(items: T[], seed: number) => items.map((v, k) => [((k + 1) * 2654435761 + seed) % 4294967296, v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);

async function products(input: Record<string, unknown>, grids: Record<string, Grid>, size: 'whole' | { rows: number; cols: number }, overrides: { members?: number; seed?: number } = {}, order = 0) {
  const run = prepareProbabilityRun(JSON.stringify(input), '/case.json', input, grids, size, overrides);
  const tiles: ProbabilityTile[] = [];
  for (const index of shuffled(run.prepared.tiles.map((t) => t.index), order)) tiles.push(await runProbabilityTile(engine, run.prepared, index, run.spec));
  return stitchProbabilityTiles(run.prepared, tiles);
}
const texts = (p: Awaited<ReturnType<typeof products>>) => Object.fromEntries(Object.entries(p.grids).map(([n, g]) => [n, formatAsciiGrid(g)]));

const perturbed = {
  ...tileFixtureCase,
  ensemble: {
    members: 5, seed: 42,
    perturbations: {
      cohesion_pa: { distribution: 'uniform', min: 200, max: 3000 },
      friction_deg: { distribution: 'triangular', min: 25, mode: 30, max: 34, per: 'member' },
      ks_m_per_s: { distribution: 'lognormal', median: 5e-6, sigma_log: 0.5 },
      rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.3 },
    },
  },
};

describe('P(FS < 1) per cell of a grid case', () => {
  it('with one member and no perturbation is the deterministic run\'s FS < 1 indicator, per output time too', async () => {
    const whole = await engine.landslideGrid(tileFixtureCase, tileFixtureGrids());
    const p = await products(tileFixtureCase, tileFixtureGrids(), { rows: 5, cols: 7 }, { members: 1 });
    const times = whole.times.map((t) => t.t_s);
    const fs = times.map((t) => whole.grids[`fs_min_t${t}.asc`].values);
    const indicator = Float64Array.from(fs[0], (v, i) => (Number.isNaN(v) ? NaN : fs.some((g) => g[i] < 1) ? 1 : 0));
    expect(Array.from(p.grids['p_fs_below_1.asc'].values)).toEqual(Array.from(indicator));
    expect(indicator.filter((v) => v === 1).length).toBeGreaterThan(10);
    expect(indicator.filter((v) => v === 0).length).toBeGreaterThan(10);
    times.forEach((t, j) => expect(Array.from(p.grids[`p_fs_below_1_t${t}.asc`].values)).toEqual(Array.from(fs[j], (v) => (Number.isNaN(v) ? NaN : v < 1 ? 1 : 0))));
    // One member: every quantile is that member's first failure time (NODATA where it never failed).
    for (const q of ['05', '50', '95']) expect(Array.from(p.grids[`first_failure_t_s_q${q}.asc`].values)).toEqual(Array.from(whole.grids['first_fs_below_1_t_s.asc'].values));
    expect(p.members).toEqual([{ failedCells: whole.times.reduce((m, t) => Math.max(m, t.cells_fs_below_1), 0), scalars: {} }]);
  });

  it('are the same bytes for any tile size and completion order: a cell\'s draws follow its global index', async () => {
    const expected = texts(await products(perturbed, tileFixtureGrids(), 'whole'));
    const p = Array.from(new Set(expected['p_fs_below_1.asc'].split(/\s+/).slice(12)));
    expect(p.length, 'several probability levels').toBeGreaterThan(3);
    for (const [size, order] of [[{ rows: 4, cols: 4 }, 1], [{ rows: 5, cols: 7 }, 2], [{ rows: 13, cols: 1 }, 3]] as const) {
      expect(texts(await products(perturbed, tileFixtureGrids(), size, {}, order)), `${size.rows}x${size.cols}`).toEqual(expected);
    }
    // Per-member draws are recorded (9 digits) and the failures add up over the tiles.
    const whole = await products(perturbed, tileFixtureGrids(), { rows: 6, cols: 6 });
    expect(whole.members.map((m) => Object.keys(m.scalars))).toEqual(Array(5).fill(['friction_deg', 'rain_scale']));
    expect(new Set(whole.members.map((m) => m.scalars.rain_scale)).size).toBe(5);
    const byCell = whole.grids['p_fs_below_1.asc'].values.reduce((sum, v) => sum + (Number.isNaN(v) ? 0 : v * 5), 0);
    expect(whole.members.reduce((sum, m) => sum + m.failedCells, 0)).toBe(Math.round(byCell));
  });

  it('quantiles of first failure by nearest rank over the members, "never" as +∞ (reduce.ts\'s rule), from counts per output time', () => {
    // One cell, 20 members: 1 fails at 3600, 9 at 7200, 10 never. Ranks ⌈0.05·20⌉ = 1, 10, 19.
    const firstAt = Uint32Array.from([1, 9]);
    const g = tileProducts([3600, 7200], 20, new Uint8Array(1), Uint32Array.from([1, 10]), firstAt);
    expect([g['p_fs_below_1.asc'][0], g['first_failure_t_s_q05.asc'][0], g['first_failure_t_s_q50.asc'][0], g['first_failure_t_s_q95.asc'][0]]).toEqual([0.5, 3600, 7200, NaN]);
    expect([g['p_fs_below_1_t3600.asc'][0], g['p_fs_below_1_t7200.asc'][0]]).toEqual([0.05, 0.5]);
  });

  it('a uniform cohesion gives P = (c* − c_min)/(c_max − c_min), within the sampling error', async () => {
    // One depth, one time: FS = A + c/B at every cell, so FS < 1 iff c < c* = (1 − A)·B.
    const side = 40;
    const uniform = (v: number): Grid => ({ ncols: side, nrows: side, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values: new Float64Array(side * side).fill(v) });
    const base = {
      grid: { slope_deg: 'slope.asc', soil_depth_m: 2, water_table_depth_m: 1, friction_deg: 30, unit_weight_soil_n_per_m3: 19000, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-4, cohesion_pa: 0 },
      rain: { period_s: 3600, mm_per_h: [20, 20, 20] }, output_times_s: [10800], depths_m: [1.5],
    };
    const grids = { 'slope.asc': uniform(35) };
    const fsAt = async (c: number) => (await engine.landslideGrid({ ...base, grid: { ...base.grid, cohesion_pa: c } }, grids)).grids['fs_min_t10800.asc'].values[0];
    const A = await fsAt(0);
    const B = 1000 / ((await fsAt(1000)) - A);
    const cStar = (1 - A) * B;
    const [cMin, cMax] = [0, 2 * cStar];
    const members = 4;
    const p = await products({ ...base, ensemble: { members, seed: 7, perturbations: { cohesion_pa: { distribution: 'uniform', min: cMin, max: cMax } } } }, grids, { rows: 20, cols: 40 });
    const values = p.grids['p_fs_below_1.asc'].values;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const expected = (cStar - cMin) / (cMax - cMin); // 0.5
    const trials = values.length * members;
    const se = Math.sqrt((expected * (1 - expected)) / trials);
    expect(Math.abs(mean - expected)).toBeLessThan(4 * se);
    // Each cell's P is its own members' count: FS < 1 exactly where the drawn cohesion is below c*.
    const counted = Array.from({ length: 50 }, (_, g) => Array.from({ length: members }, (_, m) => (cellDraw({ distribution: 'uniform', min: cMin, max: cMax }, 7, m, 'cohesion_pa', g) < cStar ? 1 : 0) as number).reduce((a, b) => a + b, 0) / members);
    const near = (x: number) => Array.from({ length: members }, (_, m) => Math.abs(cellDraw({ distribution: 'uniform', min: cMin, max: cMax }, 7, m, 'cohesion_pa', x) - cStar) < 1e-6 * cStar).some(Boolean);
    counted.forEach((c, g) => { if (!near(g)) expect(values[g], `cell ${g}`).toBe(c); });
  });

  it('refuses bad ensemble blocks by JSON path', () => {
    const refused = (block: unknown, message: string) => expect(() => parseGridEnsembleBlock(block)).toThrow(message);
    refused(undefined, '$.ensemble: is missing and no --members was given');
    refused({ members: 0 }, '$.ensemble.members: out of range (got 0, expected');
    refused({ members: 3, perturbations: { cohesion_pa: { distribution: 'lognormal', median: 1000, sigma_log: 0.3 } } }, '$.ensemble.perturbations.cohesion_pa.distribution: is not a distribution this input takes (got "lognormal", expected one of uniform, triangular)');
    refused({ members: 3, perturbations: { friction_deg: { distribution: 'uniform', min: 20, max: 95 } } }, '$.ensemble.perturbations.friction_deg.max: out of range (got 95, expected');
    refused({ members: 3, perturbations: { friction_deg: { distribution: 'triangular', min: 20, mode: 40, max: 35 } } }, '$.ensemble.perturbations.friction_deg.mode: is outside [min, max] (got 40, expected a value in [20, 35])');
    refused({ members: 3, perturbations: { cohesion_pa: { distribution: 'uniform', min: 900, max: 100 } } }, '$.ensemble.perturbations.cohesion_pa.max: is below min (got 100, expected a value ≥ min = 900)');
    refused({ members: 3, perturbations: { rain_scale: { distribution: 'uniform', min: 0.5, max: 2, per: 'cell' } } }, '$.ensemble.perturbations.rain_scale.per: is not a way this input is drawn (got "cell"');
    refused({ members: 3, perturbations: { water_table_depth_m: { distribution: 'uniform', min: 1, max: 2 } } }, '$.ensemble.perturbations.water_table_depth_m');
    expect(parseGridEnsembleBlock({ members: 3, seed: 9 }, { members: 8 })).toEqual({ members: 8, seed: 9, perturbations: [] });
  });
});
