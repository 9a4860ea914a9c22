// `landslide fs --members` records its members' model warnings as `sandtable ensemble` does
// (models/ensemble/member-warnings.ts): grouped by model, place and code, "in N of M members", in
// manifest.json and on stderr, and the app's grid-folder reader shows them. Tiles record which
// members wrote each line (as ranges); stitched, a member's flat cells are summed over the tiles,
// so the warnings are the untiled run's whatever the tiling.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { runProbabilityTile, stitchProbabilityTiles, withFirstPassBad, type ProbabilityTile } from '../../models/ensemble/fs-grid-prob.ts';
import { prepareProbabilityRun, readProbabilityTile, writeProbabilityTile } from '../../models/ensemble/fs-grid-run.ts';
import { gridMemberWarnings, TileWarningRecorder } from '../../models/ensemble/fs-grid-warnings.ts';
import { ensembleWarnings } from '../../models/ensemble/member-warnings.ts';
import { flatCellsWarning } from '../../models/landslide/grid.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { openGridEnsemble } from '../../web/ensemble-grid-open.ts';
import { cliWorkspace } from '../cli-harness.ts';
import { NCOLS, NROWS, tileFixtureCase, tileFixtureGrids, writeTileFixture } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir, sandtable } = cliWorkspace('fs-grid-warnings');
writeTileFixture(dir);
const scratch = mkdtempSync(join(tmpdir(), 'sandtable-fs-grid-warnings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const block = { members: 5, seed: 42, perturbations: { cohesion_pa: { distribution: 'uniform', min: 200, max: 3000 }, rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.3 } } };

async function tilesOf(size: 'whole' | { rows: number; cols: number }) {
  const input = { ...tileFixtureCase, ensemble: block };
  const run = prepareProbabilityRun(JSON.stringify(input), '/case.json', input, tileFixtureGrids(), size, {});
  const tiles: ProbabilityTile[] = [];
  for (const { index } of run.prepared.tiles) tiles.push(await runProbabilityTile(engine, run.prepared, index, run.spec));
  return { run, tiles };
}

describe('a grid ensemble\'s model warnings', () => {
  it('a tile records each line with its members as ranges; stitched, flat cells add up over the tiles and a line counts once per member', () => {
    const recorder = new TileWarningRecorder();
    for (const m of [0, 1, 2, 4]) recorder.add(m, [flatCellsWarning(4), ...(m === 4 ? ['a line', 'a line'] : [])]);
    expect(recorder.finish()).toEqual([{ what: flatCellsWarning(4), members: [[0, 2], [4, 4]] }, { what: 'a line', members: [[4, 4]] }]);
    const other = [{ what: flatCellsWarning(2), members: [[1, 3]] as [number, number][] }, { what: 'a line', members: [[0, 0], [4, 4]] as [number, number][] }];
    const perMember = gridMemberWarnings([{ warnings: recorder.finish() }, {}, { warnings: other }], 6);
    expect(perMember.map((m) => [m.index, m.warnings.map((w) => w.what)])).toEqual([
      [0, ['a line', flatCellsWarning(4)]], [1, [flatCellsWarning(6)]], [2, [flatCellsWarning(6)]], [3, [flatCellsWarning(2)]], [4, ['a line', flatCellsWarning(4)]],
    ]);
    // Grouped by model, place and code: the first member's wording, how many members.
    expect(ensembleWarnings(perMember).warnings.map((w) => [w.code, w.where, w.what, w.members, w.first_member])).toEqual([
      ['other', 'grid', 'a line', 2, 0], ['landslide.flat_cells', 'grid', flatCellsWarning(4), 5, 0],
    ]);
  });

  it('are the deterministic run\'s lines, counted over the members, the same for any tiling, through a tile file and a rerun', async () => {
    const deterministic = await engine.landslideGrid(tileFixtureCase, tileFixtureGrids());
    expect(deterministic.warnings).toEqual([flatCellsWarning(6)]);
    const expected = { warnings: [{ model: 'landslide', where: 'grid', what: flatCellsWarning(6), severity: 'info', code: 'landslide.flat_cells', params: { cells: 6 }, members: 5, first_member: 0 }], left_out: 0 };
    for (const size of ['whole', { rows: 4, cols: 4 }, { rows: 13, cols: 1 }] as const) {
      const { run, tiles } = await tilesOf(size);
      if (size !== 'whole' && size.cols === 1) expect(tiles.filter((t) => t.warnings).length, 'flat cells in more than one tile').toBeGreaterThan(1);
      expect(stitchProbabilityTiles(run.prepared, tiles).modelWarnings, JSON.stringify(size)).toEqual(expected);
    }
    // A queue or index tile goes through its file; a rerun without members keeps its first pass's lines (every member's).
    const { run, tiles } = await tilesOf({ rows: 13, cols: 1 });
    expect(tiles[0].warnings).toBeDefined();
    const ref = await writeProbabilityTile(scratch, 'run', tiles[0]);
    const read = await readProbabilityTile(ref.path, 'run', 0, ref.sha256);
    expect(read.warnings).toEqual(tiles[0].warnings);
    const redone = await runProbabilityTile(engine, run.prepared, 0, run.spec, [1, 3]);
    expect(redone.warnings![0].members).toEqual([[0, 0], [2, 2], [4, 4]]);
    expect(withFirstPassBad(tiles[0], redone, [1, 3]).warnings).toEqual(tiles[0].warnings);
  }, 60_000);

  it('go to manifest.json and stderr (as notes: information), and the app\'s grid-folder reader shows them', async () => {
    const casePath = join(dir, 'ensemble.json');
    writeFileSync(casePath, JSON.stringify({ ...tileFixtureCase, ensemble: block }));
    const out = join(dir, 'out');
    const cli = sandtable(['landslide', 'fs', casePath, '--members', '3', '--tile', '5x7', '--out', out]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toBe(`note: landslide: grid: ${flatCellsWarning(6)} (in 3 of 3 members; first: member 0)\n`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.model_warnings).toEqual([{ model: 'landslide', where: 'grid', what: flatCellsWarning(6), severity: 'info', code: 'landslide.flat_cells', params: { cells: 6 }, members: 3, first_member: 0 }]);
    expect(manifest.model_warnings_left_out).toBe(0);
    const files = Object.fromEntries(readdirSync(out).map((n) => [n, readFileSync(join(out, n), 'utf8')]));
    const region = { crs: 'EPSG:32648 (WGS 84 / UTM zone 48N)', grid: { ncols: NCOLS, nrows: NROWS, xllcorner: 500000, yllcorner: 3300000, cellsize_m: 10 } } as RegionManifest;
    const { view } = await openGridEnsemble(files, region);
    expect(view.modelWarnings).toEqual({ warnings: manifest.model_warnings, left_out: 0 });
  }, 60_000);
});
