// Queue tiles with a shared results folder: the coordinator cuts each tile's inputs there, a worker
// runs its tile from that file alone (it never reads the case's grids, which each worker used to
// parse whole: issue 20's 10 M-cell benchmark), writes the output straight from the engine's
// arrays, and the stitched grids are still the undivided run's, byte for byte.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { runTile } from '../../models/ensemble/tile-run.ts';
import { writeTileInput } from '../../models/ensemble/tile-inputs.ts';
import { readEncodedTile, TileJobs, writeEncodedTile, type TileJob } from '../../models/ensemble/tile-queue.ts';
import { readTileFile, writeTileFile, type TileFileRef } from '../../models/ensemble/tile-files.ts';
import { prepareTiledCase, stitchTiles, type EncodedTile } from '../../models/ensemble/tiles.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import type { GridOutput } from '../../models/landslide/grid.ts';
import { cliWorkspace, runCli, startCli } from '../cli-harness.ts';
import { startRedis, type RedisService } from '../services/redis.ts';
import { tileFixtureCase, tileFixtureGrids, writeTileFixture } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir, sandtable } = cliWorkspace('tile-inputs');
const casePath = writeTileFixture(dir);
const texts = (o: GridOutput) => Object.fromEntries(Object.entries(o.grids).map(([n, g]) => [n, formatAsciiGrid(g)]));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const outFiles = (out: string) => Object.fromEntries(readdirSync(join(dir, out)).filter((n) => n.endsWith('.asc')).map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]));

describe('a queue tile from the input its coordinator cut', () => {
  const size = { rows: 5, cols: 7 };
  const prepared = prepareTiledCase(tileFixtureCase, tileFixtureGrids(), size);
  const jobs = new TileJobs(() => undefined);
  afterAll(() => jobs.close());

  it('runs without the case\'s grids, writes the files the old path wrote, and stitches to the undivided run', async () => {
    const whole = await engine.landslideGrid(tileFixtureCase, tileFixtureGrids());
    const shared = join(dir, 'shared');
    const oldPath = join(dir, 'encoded');
    const tiles: EncodedTile[] = [];
    // Tiles in reverse order; the case path names nothing: a worker that read the case would fail.
    for (const { index } of [...prepared.tiles].reverse()) {
      const input = await writeTileInput(shared, 'run-a', prepared, index);
      const job: TileJob = { runId: 'run-a', index, casePath: join(dir, 'no-such-case.json'), tile: size, results: shared, input };
      const ref = await jobs.run(job) as TileFileRef;
      expect(Object.keys(ref).sort()).toEqual(['index', 'path', 'sha256']);
      // Byte for byte the file of the encode-then-decode path it replaces.
      const before = await writeEncodedTile(oldPath, 'run-a', await runTile(engine, prepared, index));
      expect(ref.sha256, `tile ${index}`).toBe(before.sha256);
      expect(sha(ref.path)).toBe(ref.sha256);
      tiles.push(await readEncodedTile(ref, 'run-a'));
    }
    expect(texts(stitchTiles(prepared, tiles))).toEqual(texts(whole));
  });

  it('a restarted coordinator cuts the same bytes and a retried tile writes the same file: queued refs stay valid', async () => {
    const shared = join(dir, 'again');
    const first = await writeTileInput(shared, 'run-c', prepared, 5);
    const job: TileJob = { runId: 'run-c', index: 5, casePath, tile: size, results: shared, input: first };
    const ran = await jobs.run(job) as TileFileRef;
    expect(await writeTileInput(shared, 'run-c', prepared, 5)).toEqual(first);
    expect(await jobs.run(job)).toEqual(ran);
  });

  it('refuses an input changed since the coordinator wrote it', async () => {
    const shared = join(dir, 'changed');
    const input = await writeTileInput(shared, 'run-b', prepared, 3);
    const bytes = readFileSync(input.path);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(input.path, bytes);
    await expect(jobs.run({ runId: 'run-b', index: 3, casePath, tile: size, results: shared, input }))
      .rejects.toThrow(`tile 3's input ${input.path} is not the file its coordinator wrote (SHA-256 differs): changed or overwritten since`);
  });
});

describe('tile files', () => {
  const grids = { a: Float64Array.from([1.5, -2, NaN, 1e300]), b: Float64Array.from([0.1, 0.2, 0.3]) };
  const meta = { times: [3600], failed_cells: [2], scalars: [] };

  it('of the grid ensemble keep their data\'s hash in the header, the same bytes as before a queue tile\'s were hashed once', async () => {
    const ref = await writeTileFile(join(dir, 'kinds'), 'fs-probability-tile', 'run-x', 4, meta, grids);
    // SHA-256 of the file the two-pass writer (commit cb12032) wrote for these grids.
    expect(ref.sha256).toBe('07cc1cf0c15e74e657cdc3cea95414a931290174a515b5522c769a8a8a332e73');
    expect((await readTileFile(ref.path, 'fs-probability-tile', 'run-x', 4)).grids.b).toEqual(grids.b);
  });

  it('of a queue tile are read only with the hash their job returned', async () => {
    const ref = await writeTileFile(join(dir, 'kinds'), 'tile', 'run-x', 4, meta, grids);
    expect(readFileSync(ref.path, 'latin1')).not.toContain('data_sha256');
    expect((await readTileFile(ref.path, 'tile', 'run-x', 4, ref.sha256)).grids.a).toEqual(grids.a);
    await expect(readTileFile(ref.path, 'tile', 'run-x', 4)).rejects.toThrow(`${ref.path}: carries no SHA-256 of its data (a queue job's file: it is checked against the hash its job returned)`);
  });
});

describe('queue tiles through a results folder (a real Redis)', () => {
  let redis: RedisService;
  beforeAll(async () => { redis = await startRedis(); }, 30_000);
  afterAll(async () => { await redis?.stop(); }, 30_000);

  it('two workers: the undivided run\'s files; the inputs are gone after the run; each tile\'s CPU parts and times are logged', async () => {
    const whole = sandtable(['landslide', 'fs', casePath, '--out', join(dir, 'whole')]);
    expect(whole.code, whole.stderr).toBe(0);
    const shared = join(dir, 'queue-shared');
    mkdirSync(shared);
    const workers = [0, 1].map(() => startCli(['worker', '--queue', redis.url], { SANDTABLE_CPU_PARTS: '1' }));
    // The workers format the grids in the coordinator's precision: --full-precision's are the undivided run's too,
    // with both coordinators at once on one results folder (each precision's files in a sub-folder of their own).
    const fullWhole = sandtable(['landslide', 'fs', casePath, '--full-precision', '--out', join(dir, 'whole-full')]);
    const [r, full] = await Promise.all([
      runCli(['landslide', 'fs', casePath, '--tile', '4x6', '--queue', redis.url, '--results', shared, '--out', join(dir, 'queued')]),
      runCli(['landslide', 'fs', casePath, '--full-precision', '--tile', '4x6', '--queue', redis.url, '--results', shared, '--out', join(dir, 'queued-full')]),
    ]);
    // A tile the engine refuses: the error an undivided run gives (rows of the files, not of a tile), exit 2.
    const broken = structuredClone(tileFixtureCase);
    broken.grid.zone_table = broken.grid.zone_table.slice(0, 1);
    const brokenPath = join(dir, 'broken.json');
    writeFileSync(brokenPath, JSON.stringify(broken));
    const refused = await runCli(['landslide', 'fs', brokenPath, '--tile', '4x6', '--queue', redis.url, '--results', join(dir, 'broken-shared'), '--out', join(dir, 'broken-out')]);
    workers.forEach((w) => w.stop());
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/^error: zones\.asc \(row 0, col 0\): is a zone the zone table does not list/);
    expect(r.code, r.stderr).toBe(0);
    expect(outFiles('queued')).toEqual(outFiles('whole'));
    expect(fullWhole.code, fullWhole.stderr).toBe(0);
    expect(full.code, full.stderr).toBe(0);
    expect(outFiles('queued-full')).toEqual(outFiles('whole-full'));
    expect(outFiles('queued-full')).not.toEqual(outFiles('queued'));
    // Each tile's output came back as its worker's text (tile-text.ts), not as doubles for the coordinator to format.
    expect(readdirSync(shared).sort()).toEqual(['ascii-7', 'ascii-full']);
    for (const format of ['ascii-7', 'ascii-full']) expect(readdirSync(join(shared, format)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `tile-text-${String(i).padStart(6, '0')}.bin`));
    const parts = (await Promise.all(workers.map((w) => w.done))).flatMap((w) => [...w.stderr.matchAll(/cpu-parts (\{"tile".*)/g)].map((m) => JSON.parse(m[1])));
    // Every tile of the broken case is refused (each holds a zone-2 cell) and logs no CPU parts.
    expect(parts.map((p) => p.tile).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i % 12).sort((a, b) => a - b));
    for (const p of parts) {
      expect(Object.keys(p.main_s).sort()).toEqual(['read_input_compute', 'write']);
      expect(p.enqueued_ms).toBeLessThanOrEqual(p.started_ms);
      expect(p.started_ms).toBeLessThanOrEqual(p.ended_ms);
    }
  }, 120_000);
});
