// A grid ensemble's queue tile from the inputs its coordinator cut (fs-grid-inputs.ts): the worker
// reads only its tile's bytes — never the case or its whole grids, which each worker used to parse
// once per run — and writes the very file the old path wrote, first pass and rerun alike (draws are
// keyed by global cell, carried in the input). Tiles placed as they arrive stitch to the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { writeProbabilityInput } from '../../models/ensemble/fs-grid-inputs.ts';
import { ProbabilityStitcher, runProbabilityTile, stitchProbabilityTiles, type ProbabilityTile } from '../../models/ensemble/fs-grid-prob.ts';
import { prepareProbabilityRun, writeProbabilityTile } from '../../models/ensemble/fs-grid-run.ts';
import { readTileFile, type TileFileRef } from '../../models/ensemble/tile-files.ts';
import { writeTileInput } from '../../models/ensemble/tile-inputs.ts';
import { TileJobs, type TileJob } from '../../models/ensemble/tile-queue.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import { cliWorkspace } from '../cli-harness.ts';
import { tileFixtureCase, tileFixtureGrids } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir } = cliWorkspace('fs-grid-inputs');
const input = {
  ...tileFixtureCase,
  ensemble: {
    members: 5, seed: 42,
    perturbations: {
      cohesion_pa: { distribution: 'uniform', min: 200, max: 3000 },
      ks_m_per_s: { distribution: 'lognormal', median: 5e-6, sigma_log: 0.5 },
      soil_depth_m: { distribution: 'uniform', min: 0.8, max: 2.5 },
      rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.3 },
    },
  },
};
const size = { rows: 5, cols: 7 };
const run = prepareProbabilityRun(JSON.stringify(input), '/case.json', input, tileFixtureGrids(), size, {});
const { runId, prepared, spec } = run;
// A case path that names nothing: a worker that read the case would fail.
const job = (index: number, results: string, ref: TileFileRef, exclude?: number[]): TileJob => ({
  runId, index, casePath: join(dir, 'no-such-case.json'), tile: size, results, probability: { members: spec.members, seed: spec.seed }, input: ref, ...(exclude ? { exclude } : {}),
});

describe('a grid ensemble\'s queue tile from the input its coordinator cut', () => {
  const jobs = new TileJobs(() => undefined);
  afterAll(() => jobs.close());

  it('runs without the case, and writes the old path\'s file, byte for byte, with and without excluded members', async () => {
    expect(prepared.tiles).toHaveLength(9);
    const shared = join(dir, 'shared');
    for (const { index } of [...prepared.tiles].reverse()) {
      const ref = await writeProbabilityInput(shared, runId, prepared, spec, index);
      for (const exclude of [undefined, [1, 3]]) {
        const results = join(dir, exclude ? 'rerun' : 'first');
        const ran = await jobs.run(job(index, results, ref, exclude)) as TileFileRef;
        const before = await writeProbabilityTile(join(dir, exclude ? 'old-rerun' : 'old-first'), runId, await runProbabilityTile(engine, prepared, index, spec, exclude));
        expect(ran.sha256, `tile ${index}${exclude ? ' without 1, 3' : ''}`).toBe(before.sha256);
      }
    }
  });

  it('a restarted coordinator cuts the same bytes (queued refs stay valid); an input changed since, or of other members, is refused', async () => {
    const shared = join(dir, 'again');
    const ref = await writeProbabilityInput(shared, runId, prepared, spec, 3);
    expect(await writeProbabilityInput(shared, runId, prepared, spec, 3)).toEqual(ref);
    await expect(jobs.run({ ...job(3, shared, ref), probability: { members: 6, seed: spec.seed } })).rejects.toThrow(`tile 3's input is not of run ${runId} (members 5, seed 42)`);
    const bytes = readFileSync(ref.path);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(ref.path, bytes);
    await expect(jobs.run(job(3, shared, ref))).rejects.toThrow(`tile 3's input ${ref.path} is not the file its coordinator wrote (SHA-256 differs): changed or overwritten since`);
  });
});

describe('a queue tile\'s input file', () => {
  // What the fixture's members read: every grid but the DEM, whose slope the coordinator took whole.
  const read = ['slope from elevation_m', ...Object.keys(tileFixtureGrids()).filter((n) => n !== 'dem.asc')].sort();

  it('carries only the grids the tile\'s runs read: a DEM, once turned into slope, stays with the coordinator', async () => {
    const tile = prepared.tiles[4];
    const probability = await writeProbabilityInput(join(dir, 'named'), runId, prepared, spec, 4);
    const { grids, meta } = await readTileFile(probability.path, 'fs-probability-input', runId, 4, probability.sha256);
    expect(Object.keys(grids).sort()).toEqual(read);
    // The drawn grids' place comes from the reference's head alone (here the DEM's: the case's first grid).
    expect((meta as { reference: unknown }).reference).toEqual({ ncols: 7, nrows: 5, xllcorner: 500000 + 7 * 10, yllcorner: 3300000 + (13 - 10) * 10, cellsize: 10, nodata: -9999 });
    expect(tile).toEqual({ index: 4, row0: 5, row1: 10, col0: 7, col1: 14 });
    const deterministic = await writeTileInput(join(dir, 'named'), runId, prepared, 4);
    expect(Object.keys((await readTileFile(deterministic.path, 'tile-input', runId, 4, deterministic.sha256)).grids).sort()).toEqual(read);
  });
});

describe('the grid ensemble\'s stitcher', () => {
  it('places tiles as they arrive, a later placing (a rerun) replacing an earlier, and finishes from counts alone: the stitch\'s bytes', async () => {
    const texts = (grids: Record<string, { values: Float64Array }>) => Object.fromEntries(Object.entries(grids).map(([n, g]) => [n, formatAsciiGrid(g as never)]));
    const tiles: ProbabilityTile[] = [];
    for (const t of prepared.tiles) tiles.push(await runProbabilityTile(engine, prepared, t.index, spec));
    const reference = stitchProbabilityTiles(prepared, tiles);
    const stitcher = new ProbabilityStitcher(prepared);
    // Tile 4 first placed with other counts (members 0 and 2 left out), then its own.
    stitcher.place(await runProbabilityTile(engine, prepared, 4, spec, [0, 2]));
    for (const t of [...tiles].reverse()) stitcher.place(t);
    const products = stitcher.finish(tiles.map((t) => ({ ...t, grids: {} })));
    expect(texts(products.grids)).toEqual(texts(reference.grids));
    expect(products.members).toEqual(reference.members);
    expect(products.nodataCells).toBe(reference.nodataCells);
    // The rerun's counts differ somewhere: the test would not see a placing that failed to replace.
    const rerun4 = await runProbabilityTile(engine, prepared, 4, spec, [0, 2]);
    expect(Object.keys(rerun4.grids).some((n) => rerun4.grids[n].some((v, i) => !Object.is(v, tiles[4].grids[n][i])))).toBe(true);
  });
});

