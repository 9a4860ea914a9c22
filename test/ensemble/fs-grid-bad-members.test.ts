// Numerical trouble in a grid ensemble is reported, never a silent wrong answer: a member whose FS is
// not finite on a cell the deterministic case computes is a bad member (index, draws, first offending
// GLOBAL cell, reason) and is left out of every tile's counts, so the products are exactly those of the
// good members and the same bytes for any tiling. A drawn value that breaks a cell's consistency check
// is named at the whole grid's row and column, not the tile's.
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import type { GridEnsembleSpec } from '../../models/ensemble/fs-grid-block.ts';
import { memberTileCase } from '../../models/ensemble/fs-grid-members.ts';
import { badMembersOf, membersCsv, runProbabilityTile, stitchProbabilityTiles, tilesNeedingRerun, withBadMembersExcluded, type ProbabilityTile } from '../../models/ensemble/fs-grid-prob.ts';
import { prepareProbabilityRun } from '../../models/ensemble/fs-grid-run.ts';
import type { GridRunner } from '../../models/ensemble/tile-run.ts';
import { cutTile, type TiledCase } from '../../models/ensemble/tiles.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import { gridFilesOf } from '../../models/landslide/grid.ts';
import { NCOLS, tileFixtureCase, tileFixtureGrids } from './tile-fixture.ts';

const engine = createNodeEngine();
const MEMBERS = 5;
const perturbed = {
  ...tileFixtureCase,
  ensemble: {
    members: MEMBERS, seed: 42,
    perturbations: {
      cohesion_pa: { distribution: 'uniform', min: 200, max: 3000 },
      rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.3 },
    },
  },
};
/** Member → global cells (row, col) where its FS comes back NaN, as if its run had gone wrong there. */
const POISON: Record<number, [number, number][]> = { 2: [[1, 12]], 4: [[9, 3], [11, 15]] };

/**
 * The engine, with NaN FS at POISON's cells: the tile's first call is the deterministic case (no
 * drawn grid), the next ones the members in order, less the excluded ones.
 */
function poisonedRunner(prepared: TiledCase, index: number, exclude: number[]): GridRunner {
  const tile = prepared.tiles[index];
  const members = Array.from({ length: MEMBERS }, (_, m) => m).filter((m) => !exclude.includes(m));
  let call = -1;
  return {
    async landslideGrid(input, grids) {
      const output = await engine.landslideGrid(input, grids);
      const member = call < 0 ? undefined : members[call];
      call++;
      for (const [r, c] of (member === undefined ? [] : POISON[member] ?? [])) {
        if (r < tile.row0 || r >= tile.row1 || c < tile.col0 || c >= tile.col1) continue;
        const i = (r - tile.row0) * (tile.col1 - tile.col0) + (c - tile.col0);
        output.grids[`fs_min_t${output.times.at(-1)!.t_s}.asc`].values[i] = NaN;
      }
      return output;
    },
  } as GridRunner;
}

async function poisonedProducts(size: 'whole' | { rows: number; cols: number }) {
  const run = prepareProbabilityRun(JSON.stringify(perturbed), '/case.json', perturbed, tileFixtureGrids(), size, {});
  const tiles = await withBadMembersExcluded(run.prepared.tiles.map((t) => t.index), async (indices, exclude) => {
    const out: ProbabilityTile[] = [];
    for (const index of indices) out.push(await runProbabilityTile(poisonedRunner(run.prepared, index, exclude), run.prepared, index, run.spec, exclude));
    return out;
  });
  return { run, products: stitchProbabilityTiles(run.prepared, tiles) };
}

/** Member m's FS < 1 indicator on the whole grid, from its own untiled run. */
async function indicator(spec: GridEnsembleSpec, m: number): Promise<Float64Array> {
  const { prepared } = prepareProbabilityRun(JSON.stringify(perturbed), '/case.json', perturbed, tileFixtureGrids(), 'whole', {});
  const tile = prepared.tiles[0];
  const grids = cutTile(prepared, tile);
  // The whole grid is one tile: the reference grid (the DEM, which no tile carries once turned into slope) gives its place as it is.
  const member = memberTileCase(prepared.input, grids, prepared.reference, { row0: 0, col0: 0, ncols: NCOLS }, spec, m);
  const all = { ...grids, ...member.drawn };
  const out = await engine.landslideGrid(member.input, Object.fromEntries(gridFilesOf(member.input).map(({ fileName }) => [fileName, all[fileName]])));
  const fs = out.times.map((t) => out.grids[`fs_min_t${t.t_s}.asc`].values);
  return Float64Array.from(fs[0], (v, i) => (Number.isNaN(v) ? NaN : fs.some((g) => g[i] < 1) ? 1 : 0));
}

describe('bad members of a grid ensemble', () => {
  it('are reported with their draws and first global cell, and P counts over the good members only, the same bytes for any tiling', async () => {
    const { run, products } = await poisonedProducts({ rows: 5, cols: 7 });
    expect(badMembersOf(products)).toEqual([
      { index: 2, inputs: products.members[2].scalars, row: 1, col: 12, problem: 'FS is NaN at row 1, col 12, t = 21600 s, a cell the deterministic case computes' },
      { index: 4, inputs: products.members[4].scalars, row: 9, col: 3, problem: 'FS is NaN at row 9, col 3, t = 21600 s, a cell the deterministic case computes' },
    ]);
    expect(products.members[2].scalars.rain_scale).toBeGreaterThan(0);
    const csv = membersCsv(products).trim().split('\n');
    expect(csv[0]).toBe('member,rain_scale,cells_fs_below_1,status,problem');
    expect(csv[3]).toBe(`2,${products.members[2].scalars.rain_scale},,bad,"FS is NaN at row 1, col 12, t = 21600 s, a cell the deterministic case computes"`);
    expect(csv[1]).toMatch(/^0,[\d.]+,\d+,ok,$/);

    // Exactly the good members' frequency, cell by cell (the poisoned cells are not NODATA).
    const good = [0, 1, 3];
    const indicators = await Promise.all(good.map((m) => indicator(run.spec, m)));
    const expected = Float64Array.from(indicators[0], (v, i) => (Number.isNaN(v) ? NaN : indicators.reduce((s, g) => s + g[i], 0) / good.length));
    expect(Array.from(products.grids['p_fs_below_1.asc'].values)).toEqual(Array.from(expected));
    expect(Number.isNaN(expected[1 * NCOLS + 12])).toBe(false);

    const bytes = (p: typeof products) => [membersCsv(p), ...Object.entries(p.grids).map(([n, g]) => `${n}\n${formatAsciiGrid(g)}`)];
    for (const size of ['whole', { rows: 4, cols: 4 }, { rows: 13, cols: 1 }] as const) {
      expect(bytes((await poisonedProducts(size)).products), JSON.stringify(size)).toEqual(bytes(products));
    }
  });

  it('seen in some tiles only cannot be stitched from tiles run apart without a rerun: the tiles to rerun are named', async () => {
    const run = prepareProbabilityRun(JSON.stringify(perturbed), '/case.json', perturbed, tileFixtureGrids(), { rows: 5, cols: 7 }, {});
    const tiles: ProbabilityTile[] = [];
    for (const t of run.prepared.tiles) tiles.push(await runProbabilityTile(poisonedRunner(run.prepared, t.index, []), run.prepared, t.index, run.spec));
    // Member 2 is bad in tile 1 (rows 0–4, cols 7–13), member 4 in tiles 3 (rows 5–9, cols 0–6) and 8.
    expect(tiles.filter((t) => t.bad.length).map((t) => [t.index, t.bad.map((b) => b.member)])).toEqual([[1, [2]], [3, [4]], [8, [4]]]);
    expect(tilesNeedingRerun(tiles)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => stitchProbabilityTiles(run.prepared, tiles)).toThrow('did not leave out every bad member (2, 4)');
  });

  it('a drawn value that breaks a cell\'s consistency check is named at the whole grid\'s row and column', async () => {
    // Zone 2 has I_ZLT = 1e-8 m/s: a drawn Ks below I_ZLT/cos²δ leaves no steady water table.
    const lowKs = { ...tileFixtureCase, ensemble: { members: 1, seed: 3, perturbations: { ks_m_per_s: { distribution: 'uniform', min: 1e-9, max: 1e-7 } } } };
    const problemsOf = async (size: 'whole' | { rows: number; cols: number }, pick: (t: TiledCase['tiles'][number]) => boolean) => {
      const run = prepareProbabilityRun(JSON.stringify(lowKs), '/case.json', lowKs, tileFixtureGrids(), size, {});
      const tile = run.prepared.tiles.find(pick)!;
      const error = await runProbabilityTile(engine, run.prepared, tile.index, run.spec).then(() => undefined, (e: unknown) => e as { problems: { path: string; message: string }[] });
      return { tile, paths: (error?.problems ?? []).map((p) => p.path) };
    };
    const cell = /^\$\.grid\.background_infiltration_m_per_s \(row (\d+), col (\d+)\)$/;
    // The whole run lists its first five such cells (the report caps each kind).
    const whole = (await problemsOf('whole', () => true)).paths.filter((p) => cell.test(p));
    expect(whole).toEqual(['(row 1, col 8)', '(row 1, col 11)', '(row 2, col 13)', '(row 4, col 11)', '(row 10, col 2)'].map((rc) => `$.grid.background_infiltration_m_per_s ${rc}`));
    // A tile off the first column and one off the first row: each names the whole run's cells inside it, and only cells inside it.
    for (const [row0, col0] of [[0, 7], [10, 0]]) {
      const { tile, paths } = await problemsOf({ rows: 5, cols: 7 }, (t) => t.row0 === row0 && t.col0 === col0);
      const isInside = (p: string) => {
        const [, r, c] = cell.exec(p)!.map(Number);
        return r >= tile.row0 && r < tile.row1 && c >= tile.col0 && c < tile.col1;
      };
      const named = paths.filter((p) => cell.test(p));
      const inside = whole.filter(isInside);
      expect(inside.length).toBeGreaterThan(0);
      expect(named.filter((p) => inside.includes(p)), `tile at row ${row0}, col ${col0}`).toEqual(inside);
      expect(named.every(isInside), named.join('; ')).toBe(true);
    }
  });
});
