// A landslide grid cut into tiles gives the undivided run's output byte for byte, whatever the tile
// size (ragged last row and column of tiles included), the order the tiles finish in, and where
// they ran: in process, on a local pool, on queue workers (a real Redis), or as separate processes
// by index, as the pods of a Kubernetes Indexed Job run them, then reduced from a shared folder.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { runTile } from '../../models/ensemble/tile-run.ts';
import { cutTile, parseTileOption, planTiles, prepareTiledCase, stitchTiles, type EncodedTile } from '../../models/ensemble/tiles.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import type { GridOutput } from '../../models/landslide/grid.ts';
import { landslideFs } from '../../bin/commands/landslide.ts';
import { cliWorkspace, runCli, startCli } from '../cli-harness.ts';
import { startRedis, type RedisService } from '../services/redis.ts';
import { Redis } from 'ioredis';
import { inlineTileBytes } from '../../models/ensemble/tile-queue.ts';
import { MAX_QUEUE_INLINE_BYTES } from '../../models/limits.ts';
import { NCOLS, NROWS, tileFixtureCase, tileFixtureGrids, writeTileFixture } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir, sandtable } = cliWorkspace('ensemble-tiles');
const casePath = writeTileFixture(dir);

/** Every output file's text as the CLI writes it (7 significant digits) and at full precision. */
const texts = (o: GridOutput) => Object.fromEntries(Object.entries(o.grids).flatMap(([n, g]) => [[n, formatAsciiGrid(g, 7)], [`${n} (full)`, formatAsciiGrid(g)]]));
const shuffled = <T>(items: T[], seed: number) => items.map((v, k) => [((k + 1) * 2654435761 + seed) % 4294967296, v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);


const outFiles = (out: string) => Object.fromEntries(readdirSync(join(dir, out)).filter((n) => n.endsWith('.asc')).map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]));
/** `landslide fs` in process (bad options need no process of their own to be refused). */
const tiled = (args: string[], file = casePath) => {
  const options = new Map<string, string>();
  for (let k = 0; k < args.length; k += 2) options.set(args[k].slice(2), args[k + 1]);
  return landslideFs({ positional: [file], options }, engine);
};
const withoutTiles = (stdout: string) => { const { tiles: _, ...rest } = JSON.parse(stdout); return rest; };

let whole: GridOutput;
let wholeCli: { files: Record<string, string>; summary: unknown };
beforeAll(async () => {
  whole = await engine.landslideGrid(tileFixtureCase, tileFixtureGrids());
  const r = sandtable(['landslide', 'fs', casePath, '--out', join(dir, 'whole')]);
  expect(r.code, r.stderr).toBe(0);
  wholeCli = { files: outFiles('whole'), summary: JSON.parse(r.stdout) };
}, 60_000);

describe('tiles of a landslide grid', () => {
  it('are planned row-major with ragged last tiles, and --tile sizes are checked', () => {
    expect(planTiles(5, 7, { rows: 2, cols: 3 }).map((t) => [t.row0, t.row1, t.col0, t.col1])).toEqual([
      [0, 2, 0, 3], [0, 2, 3, 6], [0, 2, 6, 7], [2, 4, 0, 3], [2, 4, 3, 6], [2, 4, 6, 7], [4, 5, 0, 3], [4, 5, 3, 6], [4, 5, 6, 7],
    ]);
    expect(parseTileOption('256')).toEqual({ rows: 256, cols: 256 });
    expect(parseTileOption('5x300')).toEqual({ rows: 5, cols: 300 });
    for (const bad of ['0', '5x', 'x5', '-3', '1.5', '200000', true] as const) expect(() => parseTileOption(bad)).toThrow('--tile: is not a tile size');
  });

  it('stitch to the undivided run\'s grids and summary, byte for byte, for any tile size and completion order', async () => {
    const expected = texts(whole);
    expect(whole.grid.flat_cells).toBeGreaterThan(0);
    expect(whole.times[0].cells_fs_below_1).toBeGreaterThan(0);
    expect(whole.times[0].cells_fs_below_1).toBeLessThan(whole.grid.cells - whole.grid.nodata_cells);
    for (const [size, seed] of [['1', 1], ['4', 2], ['5x7', 3], ['13x17', 4], ['6x100', 5], ['100', 6]] as const) {
      const prepared = prepareTiledCase(tileFixtureCase, tileFixtureGrids(), parseTileOption(size));
      const tiles: EncodedTile[] = [];
      for (const index of shuffled(prepared.tiles.map((t) => t.index), seed)) tiles.push(await runTile(engine, prepared, index));
      const stitched = stitchTiles(prepared, tiles);
      expect(texts(stitched), size).toEqual(expected);
      const { grids: _a, ...summary } = stitched;
      const { grids: _b, ...wholeSummary } = whole;
      expect(summary, size).toEqual(wholeSummary);
    }
  });

  it('need the slope of the whole DEM: a DEM cut first would give its tiles other slopes at their edges', async () => {
    const size = { rows: 5, cols: 7 };
    const prepared = prepareTiledCase(tileFixtureCase, tileFixtureGrids(), size);
    const naive = { ...prepared, input: tileFixtureCase as Record<string, unknown>, files: tileFixtureGrids() };
    const tile = prepared.tiles[4]; // an inner tile: every edge borders another tile
    const own = await engine.landslideGrid(prepared.input, cutTile(prepared, tile));
    const cut = await engine.landslideGrid(naive.input, cutTile(naive, tile));
    expect(Array.from(cut.grids['fs_min_t7200.asc'].values)).not.toEqual(Array.from(own.grids['fs_min_t7200.asc'].values));
  });

  it('on a local pool of 2 engine workers: the CLI writes the undivided run\'s files and prints its summary', () => {
    const r = sandtable(['landslide', 'fs', casePath, '--tile', '4x6', '--workers', '2', '--out', join(dir, 'pool')]);
    expect(r.code, r.stderr).toBe(0);
    expect(outFiles('pool')).toEqual(wholeCli.files);
    expect(withoutTiles(r.stdout)).toEqual(wholeCli.summary);
    expect(JSON.parse(r.stdout).tiles).toEqual({ size: '4x6', count: 12 });
    expect(JSON.parse(readFileSync(join(dir, 'pool', 'manifest.json'), 'utf8'))).toMatchObject({ command: 'landslide fs', tiles: { size: '4x6', count: 12, execution: { workers: 2 } } });
  });

  it('by index in separate processes, in any order, then reduced from the shared folder', async () => {
    const results = join(dir, 'indexed');
    const count = Math.ceil(NROWS / 7) * Math.ceil(NCOLS / 9); // 2 × 2 tiles of 7 × 9, ragged
    const order = shuffled(Array.from({ length: count }, (_, i) => i), 9);
    // Half pass --index, half get JOB_COMPLETION_INDEX as the pods of an Indexed Job do; all at once.
    const runs = await Promise.all(order.map((i, k) => (k % 2
      ? runCli(['landslide', 'fs', casePath, '--tile', '7x9', '--index', String(i), '--results', results])
      : runCli(['landslide', 'fs', casePath, '--tile', '7x9', '--results', results], { JOB_COMPLETION_INDEX: String(i) }))));
    runs.forEach((r, k) => {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ tile: order[k], tiles: count });
    });
    const reduce = sandtable(['landslide', 'fs', casePath, '--tile', '7x9', '--from-results', results, '--out', join(dir, 'reduced')]);
    expect(reduce.code, reduce.stderr).toBe(0);
    expect(outFiles('reduced')).toEqual(wholeCli.files);
    expect(withoutTiles(reduce.stdout)).toEqual(wholeCli.summary);
    // In process from here: a missing tile is named, and another tile size is another run.
    renameSync(join(results, 'tile-000002.json'), join(dir, 'tile-000002.json'));
    await expect(tiled(['--tile', '7x9', '--from-results', results, '--out', join(dir, 'gap')])).rejects.toThrow(`--from-results: lacks the results of tiles 2 (got "${results}", expected a result file for each of the 4 tiles`);
    await expect(tiled(['--tile', '7x8', '--from-results', results, '--out', join(dir, 'other')])).rejects.toThrow(`${join(results, 'tile-000000.json')}: is the result of another run`);
  });

  it('refuse bad options and bad input by name (exit 2), a tile\'s input error as the undivided run gives it', async () => {
    const r = sandtable(['landslide', 'fs', casePath, '--tile', '0', '--out', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --tile: is not a tile size (got "0", expected R or RxC: rows and columns of cells per tile, each in [1, 100000], e.g. 1024 or 512x2048)\n');
    const refused = async (args: string[], message: string) => expect(tiled(args)).rejects.toThrow(message);
    await refused(['--queue', 'redis://127.0.0.1:1/0', '--out', join(dir, 'x')], '--queue: needs --tile');
    await refused(['--tile', '5', '--index', '99', '--results', join(dir, 'r')], '--index: is not an index of this run (got "99", expected a whole number in [0, 11]: the run has 12 tiles)');
    await refused(['--tile', '5', '--index', '1'], '--index: needs --results');
    await refused(['--tile', '5', '--index', '1', '--results', join(dir, 'r'), '--out', join(dir, 'x')], '--out: cannot go with --results');
    await refused(['--tile', '5', '--queue', 'redis://127.0.0.1:1/0', '--from-results', join(dir, 'r'), '--out', join(dir, 'x')], '--from-results: cannot go with --queue');
    await refused(['--tile', '5', '--queue', 'redis://127.0.0.1:1/0', '--out', join(dir, 'x')], '--queue: cannot be reached (ECONNREFUSED)');
    // A zone the table lacks, met in one tile: named by its row and column in the file, as undivided.
    const broken = structuredClone(tileFixtureCase);
    broken.grid.zone_table = broken.grid.zone_table.slice(0, 1);
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const undivided = await engine.landslideGrid(broken, tileFixtureGrids()).catch((e: Error) => e.message);
    expect(undivided).toMatch(/^error: zones\.asc \(row 0, col 0\): is a zone the zone table does not list/);
    for (const args of [['--tile', '5', '--workers', '2', '--out', join(dir, 'b1')], ['--tile', '5', '--index', '3', '--results', join(dir, 'b2')]]) {
      await expect(tiled(args, file)).rejects.toThrow(undivided);
    }
  });
});

describe('tiles on queue workers (a real Redis)', () => {
  let redis: RedisService;
  beforeAll(async () => { redis = await startRedis(); }, 30_000);
  afterAll(async () => { await redis?.stop(); }, 30_000);

  it('without --results, a grid whose output grids would not fit through Redis is refused before any job is queued, naming --results (exit 2)', async () => {
    // The 10 M-cell benchmark's 5 output grids put ≈ 509 MiB of base64 in Redis and still run, as before the cap;
    // a 25 M-cell grid (≈ 1.24 GiB) needs --results.
    expect(inlineTileBytes(10_004_569, 5)).toBeLessThan(MAX_QUEUE_INLINE_BYTES);
    expect(inlineTileBytes(25_000_000, 5)).toBeGreaterThan(MAX_QUEUE_INLINE_BYTES);
    // The fixture: 13 × 17 cells × 11 output grids × 8 bytes × 4/3 = 25 932 bytes; no worker runs, so a queued job would hang the run.
    const r = await runCli(['landslide', 'fs', casePath, '--tile', '3x8', '--queue', redis.url, '--out', join(dir, 'too-big')], { SANDTABLE_QUEUE_INLINE_MAX_BYTES: '25931' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('error: --results: is required for this grid on the queue: its output grids would put 25932 bytes of base64 through Redis (got "221 cells × 11 output grids", expected at most 25931 bytes through Redis; --results DIR, a folder the coordinator and every worker share, takes the tiles\' grids as files instead)\n');
    const client = new Redis(redis.url);
    try { expect(await client.keys('*tile*')).toEqual([]); } finally { client.disconnect(); }
  }, 60_000);

  it('a worker runs the tiles, each once; the coordinator stitches the undivided run\'s files', async () => {
    const workers = [startCli(['worker', '--queue', redis.url])];
    // Exactly at the limit: through Redis.
    const r = await runCli(['landslide', 'fs', casePath, '--tile', '3x8', '--queue', redis.url, '--out', join(dir, 'queued')], { SANDTABLE_QUEUE_INLINE_MAX_BYTES: '25932' });
    workers.forEach((w) => w.stop());
    expect(r.code, r.stderr).toBe(0);
    expect(outFiles('queued')).toEqual(wholeCli.files);
    expect(withoutTiles(r.stdout)).toEqual(wholeCli.summary);
    const logs = (await Promise.all(workers.map((w) => w.done))).map((w) => w.stderr);
    const ran = logs.flatMap((l) => [...l.matchAll(/finished tile (\d+) /g)].map((m) => Number(m[1]))).sort((a, b) => a - b);
    expect(ran).toEqual(Array.from({ length: 15 }, (_, i) => i)); // 5 × 3 tiles, each once
  }, 90_000);
});
