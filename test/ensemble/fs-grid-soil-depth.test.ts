// The soil depth as a grid-ensemble perturbation. The infinite-slope factor of safety at depth Z
// with pressure head ψ (Iverson 2000, eq. 28; Baum, Savage & Godt 2008, TRIGRS eq. 3) is
//   FS = tanφ/tanδ + (c − ψ·γw·tanφ) / (γs·Z·sinδ·cosδ),   suction (ψ < 0) not counted,
// and with no rain ψ is the initial ψ₀(Z) = (Z − d)β, β = cos²δ. Dry (d at the base: ψ = 0 there)
// and saturated from the surface (d = 0: ψ = Zβ) it is A + c/(γs·Z·sinδ·cosδ) with A constant, so
// FS < 1 exactly where the drawn depth exceeds Z* = c / (γs·sinδ·cosδ·(1 − A)) and
// P(FS < 1) = P(Z > Z*), known for a lognormal and a normal draw: the pooled frequency must be
// within 4 standard errors of it, and each cell's P its own members' count. The dry case needs
// the water-table rule: a drawn depth above the case's table puts the table at the drawn base.
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import type { GridDistribution } from '../../models/ensemble/fs-grid-block.ts';
import { cellDraw, memberScalar } from '../../models/ensemble/fs-grid-members.ts';
import { membersCsv, runProbabilityTile, stitchProbabilityTiles, type ProbabilityTile } from '../../models/ensemble/fs-grid-prob.ts';
import { prepareProbabilityRun } from '../../models/ensemble/fs-grid-run.ts';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { tileFixtureCase, tileFixtureGrids } from './tile-fixture.ts';

const engine = createNodeEngine();

async function products(input: Record<string, unknown>, grids: Record<string, Grid>, size: 'whole' | { rows: number; cols: number }) {
  const run = prepareProbabilityRun(JSON.stringify(input), '/case.json', input, grids, size, {});
  const tiles: ProbabilityTile[] = [];
  for (const t of run.prepared.tiles) tiles.push(await runProbabilityTile(engine, run.prepared, t.index, run.spec));
  return stitchProbabilityTiles(run.prepared, tiles);
}

/** erfc(x), Numerical Recipes' erfcc (Chebyshev fit, fractional error below 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

const SIDE = 40;
const flat = (v: number, side = SIDE): Grid => ({ ncols: side, nrows: side, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values: new Float64Array(side * side).fill(v) });
const [SLOPE, PHI, GAMMA_S, GAMMA_W, C] = [35, 30, 19000, 9810, 4000];
const rad = Math.PI / 180;
const base = (waterTable: number) => ({
  grid: { slope_deg: 'slope.asc', soil_depth_m: 1000, water_table_depth_m: waterTable, friction_deg: PHI, cohesion_pa: C, unit_weight_soil_n_per_m3: GAMMA_S, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-4 },
  rain: { period_s: 3600, mm_per_h: [0] }, output_times_s: [3600],
});

describe('soil_depth_m drawn per cell', () => {
  const shear = GAMMA_S * Math.sin(SLOPE * rad) * Math.cos(SLOPE * rad);
  const frictionRatio = Math.tan(PHI * rad) / Math.tan(SLOPE * rad);
  const cases: [string, number, number, GridDistribution, (zStar: number) => number][] = [
    // Dry: the table at the 1000 m base, so every drawn depth puts it at the drawn base (ψ = 0 there).
    ['dry (the table raised to every drawn base), lognormal', 1000, frictionRatio, { distribution: 'lognormal', median: 2, sigma_log: 0.4 },
      (zStar) => 0.5 * erfc(Math.log(zStar / 2) / (0.4 * Math.SQRT2))],
    // Saturated from the surface: ψ = Z·cos²δ lowers A by γw·cos²δ·tanφ/(γs·sinδ·cosδ).
    ['saturated from the surface, normal', 0, frictionRatio - (GAMMA_W * Math.cos(SLOPE * rad) ** 2 * Math.tan(PHI * rad)) / shear, { distribution: 'normal', mean: 0.75, sd: 0.15 },
      (zStar) => 0.5 * erfc((zStar - 0.75) / (0.15 * Math.SQRT2))],
  ];
  for (const [name, waterTable, A, distribution, exceedance] of cases) {
    it(`${name}: P(FS < 1) = P(Z > Z*) within 4 standard errors, each cell its members' count`, async () => {
      const zStar = C / (shear * (1 - A));
      const expected = exceedance(zStar);
      expect(expected).toBeGreaterThan(0.2);
      expect(expected).toBeLessThan(0.8);
      const members = 4;
      const input = { ...base(waterTable), ensemble: { members, seed: 5, perturbations: { soil_depth_m: distribution } } };
      const p = await products(input, { 'slope.asc': flat(SLOPE) }, { rows: 16, cols: 40 });
      const values = p.grids['p_fs_below_1.asc'].values;
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const se = Math.sqrt((expected * (1 - expected)) / (values.length * members));
      expect(Math.abs(mean - expected), `mean ${mean}, expected ${expected}`).toBeLessThan(4 * se);
      for (let g = 0; g < 200; g++) {
        const draws = Array.from({ length: members }, (_, m) => cellDraw(distribution, 5, m, 'soil_depth_m', g));
        if (draws.some((z) => Math.abs(z - zStar) < 1e-6 * zStar)) continue;
        expect(values[g], `cell ${g}`).toBe(draws.filter((z) => z > zStar).length / members);
      }
      // The dry case raised every cell's table to its drawn base; the saturated one none.
      expect(p.members.map((m) => m.waterTableAtBase)).toEqual(Array(members).fill(waterTable === 0 ? 0 : SIDE * SIDE));
    });
  }

  it('counts each member\'s cells whose table went to the drawn base in members.csv; the same bytes for any tiling, NODATA holes kept', async () => {
    const input = { ...tileFixtureCase, ensemble: { members: 4, seed: 8, perturbations: { soil_depth_m: { distribution: 'lognormal', median: 2, sigma_log: 0.3 }, rain_scale: { distribution: 'uniform', min: 0.8, max: 1.2 } } } };
    const whole = await products(input, tileFixtureGrids(), 'whole');
    const soil = tileFixtureGrids()['soil.asc'].values;
    const raised = (m: number) => Array.from(soil, (v, g) => (Number.isNaN(v) ? 0 : cellDraw({ distribution: 'lognormal', median: 2, sigma_log: 0.3 }, 8, m, 'soil_depth_m', g) < 1.5 ? 1 : 0) as number).reduce((a, b) => a + b, 0);
    const counts = [0, 1, 2, 3].map(raised);
    expect(counts.every((n) => n > 10)).toBe(true);
    const csv = membersCsv(whole).trim().split('\n');
    expect(csv[0]).toBe('member,rain_scale,cells_water_table_at_base,cells_fs_below_1,status,problem');
    expect(csv.slice(1).map((row) => Number(row.split(',')[2]))).toEqual(counts);
    const holes = Array.from(soil, (v, g) => (Number.isNaN(v) ? g : -1)).filter((g) => g >= 0);
    for (const g of holes) expect(whole.grids['p_fs_below_1.asc'].values[g]).toBeNaN();
    const bytes = (p: typeof whole) => [membersCsv(p), ...Object.entries(p.grids).map(([n, g]) => `${n}\n${formatAsciiGrid(g)}`)];
    expect(bytes(await products(input, tileFixtureGrids(), { rows: 5, cols: 7 }))).toEqual(bytes(whole));
  });

  it('per member: one depth for every cell, recorded in members.csv, the table at that base in every cell or none', async () => {
    const lognormal: GridDistribution = { distribution: 'lognormal', median: 1.5, sigma_log: 0.3 };
    const input = { ...tileFixtureCase, ensemble: { members: 6, seed: 2, perturbations: { soil_depth_m: { ...lognormal, per: 'member' } } } };
    const p = await products(input, tileFixtureGrids(), { rows: 6, cols: 6 });
    const cells = Array.from(tileFixtureGrids()['soil.asc'].values).filter((v) => !Number.isNaN(v)).length;
    const depths = [0, 1, 2, 3, 4, 5].map((m) => memberScalar(lognormal, 2, m, 'soil_depth_m'));
    expect(depths.some((z) => z < 1.5) && depths.some((z) => z > 1.5)).toBe(true);
    const csv = membersCsv(p).trim().split('\n');
    expect(csv[0]).toBe('member,soil_depth_m,cells_water_table_at_base,cells_fs_below_1,status,problem');
    expect(csv.slice(1).map((row) => row.split(',').slice(1, 3).map(Number))).toEqual(depths.map((z) => [z, z < 1.5 ? cells : 0]));
  });

  it('a drawn depth at or below 0 m, or above every depth of $.depths_m, is refused at its JSON path and GLOBAL row/col', async () => {
    const side = 10;
    const refusal = async (input: Record<string, unknown>, size: { rows: number; cols: number }, at: number) => {
      const run = prepareProbabilityRun(JSON.stringify(input), '/case.json', input, { 'slope.asc': flat(SLOPE, side) }, size, {});
      const tile = run.prepared.tiles.find((t) => Math.floor(at / side) >= t.row0 && Math.floor(at / side) < t.row1 && at % side >= t.col0 && at % side < t.col1)!;
      expect(tile.row0 + tile.col0, 'a tile off the grid\'s corner').toBeGreaterThan(0);
      return runProbabilityTile(engine, run.prepared, tile.index, run.spec).then(() => 'ran', (e: Error) => e.message);
    };
    // A normal whose tail reaches below 0 m: the first such cell of member 0 in row-major order.
    const normal: GridDistribution = { distribution: 'normal', mean: 0.6, sd: 0.3 };
    const nonPositive = Array.from({ length: side * side }, (_, g) => g).find((g) => cellDraw(normal, 3, 0, 'soil_depth_m', g) <= 0)!;
    expect(nonPositive).toBeGreaterThan(side + 1);
    const [row, col] = [Math.floor(nonPositive / side), nonPositive % side];
    const tileOf = { rows: row, cols: col }; // the cell is its tile's first: every earlier cell lies in other tiles
    const zero = await refusal({ ...base(0), ensemble: { members: 1, seed: 3, perturbations: { soil_depth_m: normal } } }, tileOf, nonPositive);
    expect(zero).toMatch(new RegExp(`^error: \\$\\.ensemble\\.perturbations\\.soil_depth_m \\(row ${row}, col ${col}\\): out of range \\(got -?[\\d.e-]+, expected`));
    // Depths in metres: a drawn base above 0.5 m leaves the cell no depth to compute.
    const shallow: GridDistribution = { distribution: 'uniform', min: 0.1, max: 3 };
    const above = Array.from({ length: side * side }, (_, g) => g).find((g) => cellDraw(shallow, 4, 0, 'soil_depth_m', g) < 0.5)!;
    const [r2, c2] = [Math.floor(above / side), above % side];
    const message = await refusal({ ...base(0), depths_m: [0.5, 1], ensemble: { members: 1, seed: 4, perturbations: { soil_depth_m: shallow } } }, { rows: Math.max(1, r2), cols: Math.max(1, c2) }, above);
    expect(message).toBe(`error: $.ensemble.perturbations.soil_depth_m (row ${r2}, col ${c2}): draws a soil base above every depth of $.depths_m (got ${cellDraw(shallow, 4, 0, 'soil_depth_m', above)}, expected a depth ≥ 0.5 m, the shallowest of $.depths_m (or leave $.depths_m out: 20 depths down to each cell's own base))`);
  });
});
