// Bad members of a grid ensemble whose tiles run apart: tiles that disagree on the bad members are
// rerun without them — by the queue coordinator itself, or, for index pods, by the exact command
// `--from-results` prints — and the products are the local run's bytes. A queue coordinator
// SIGKILLed mid-run (in the first pass, then again in the reruns) and restarted completes with
// every tile counted once. The members' NaN FS is injected by SANDTABLE_FAULT_FS_NAN (member:row:col
// of the whole grid) in every process, as the separate processes leave no engine to swap.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landslideFs } from '../../bin/commands/landslide.ts';
import { parseExcludeMembers, rerunCommandLine } from '../../bin/commands/landslide-prob.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { rerunFolder } from '../../models/ensemble/fs-grid-run.ts';
import { QUEUE_NAME } from '../../models/ensemble/queue.ts';
import { tileJobId } from '../../models/ensemble/tile-queue.ts';
import { CLI, cliWorkspace, runCli } from '../cli-harness.ts';
import { waitFor } from '../services/free-port.ts';
import { startRedis, type RedisService } from '../services/redis.ts';
import { NCOLS, tileFixtureCase, tileFixtureGrids, writeTileFixture } from './tile-fixture.ts';
import type { GridDistribution } from '../../models/ensemble/fs-grid-block.ts';
import { cellDraw } from '../../models/ensemble/fs-grid-members.ts';

const { dir } = cliWorkspace('fs-grid-rerun');
writeTileFixture(dir);
const casePath = join(dir, 'ensemble.json');
writeFileSync(casePath, JSON.stringify({
  ...tileFixtureCase,
  ensemble: { members: 5, seed: 42, perturbations: { cohesion_pa: { distribution: 'uniform', min: 200, max: 3000 }, rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.3 } } },
}));
// In 7 × 9 tiles of the 13 × 17 grid: member 2 bad in tiles 1 and 3, member 4 in tiles 2 and 3.
// Tile 3 saw both (no rerun); tiles 0, 1 and 2 counted one or both and must be rerun.
const FAULT = { SANDTABLE_FAULT_FS_NAN: '2:1:12,4:9:3,4:11:15,2:10:14' };

/** The members' model warnings as the manifest records them: every member's, the bad ones' too, however the tiles ran. */
const warningsOf = (out: string) => JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8')).model_warnings;
const products = (out: string) => Object.fromEntries(readdirSync(join(dir, out)).filter((n) => n !== 'manifest.json').map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]));
const local = (out: string, args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'landslide', 'fs', casePath, ...args, '--out', join(dir, out)], { encoding: 'utf8', env: { ...process.env, ...FAULT } });
  expect(r.status, r.stderr).toBe(0);
  return products(out);
};

const engine = createNodeEngine();
function inProcess(args: string[]) {
  const options = new Map<string, string>();
  for (let k = 0; k < args.length; k += 2) options.set(args[k].slice(2), args[k + 1]);
  return landslideFs({ positional: [casePath], options }, engine);
}

/** A CLI process whose stderr can be read while it runs. */
function started(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, stderr: () => stderr, done };
}

let reference: Record<string, string>;
beforeAll(() => {
  reference = local('local', ['--tile', '7x9']);
  // The faults took: members 2 and 4 are left out at their first cell in the whole grid's order.
  expect(JSON.parse(readFileSync(join(dir, 'local', 'manifest.json'), 'utf8')).bad_members.map((b: { index: number; row: number; col: number }) => [b.index, b.row, b.col])).toEqual([[2, 1, 12], [4, 9, 3]]);
  expect(warningsOf('local').map((w: { code: string; members: number }) => [w.code, w.members])).toEqual([['landslide.flat_cells', 5]]);
}, 60_000);

describe('a grid ensemble\'s bad members on the index path', () => {
  it('--from-results prints the exact rerun command; run as printed, the reduce gives the local run\'s bytes', async () => {
    const results = join(dir, 'indexed');
    const runs = await Promise.all([0, 1, 2, 3].map((i) => runCli(['landslide', 'fs', casePath, '--tile', '7x9', '--index', String(i), '--results', results], FAULT)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // The reduce reads files only: in process (the CLI prints the error's message and exits 2).
    const reduce = () => inProcess(['--tile', '7x9', '--from-results', results, '--out', join(dir, 'reduced')]);
    const refused = await reduce().then(() => '', (e: InputError) => (e instanceof InputError ? e.message : `not an input error: ${e}`));
    const command = `for I in 0 1 2; do sandtable landslide fs ${casePath} --tile 7x9 --members 5 --seed 42 --exclude-members 2,4 --results ${results} --index "$I"; done`;
    expect(refused).toMatch(/^error: --from-results: has members 2, 4 bad \(non-finite FS\) in some tiles only, so tiles 0, 1, 2 counted them \(got ".*", expected their reruns without those members, then this reduce again: (.*)\)$/);
    expect(/then this reduce again: (.*)\)$/.exec(refused)![1]).toBe(command);
    // The command as a user pastes it, `sandtable` on the PATH.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'sandtable'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'sandtable'), 0o755);
    const rerun = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, ...FAULT, PATH: `${bin}:${process.env.PATH}` } });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect((JSON.parse(`[${rerun.stdout.trim().replace(/\}\s*\{/g, '},{')}]`) as { tile: number; excluded_members: number[] }[]).map((o) => [o.tile, o.excluded_members])).toEqual([[0, [2, 4]], [1, [2, 4]], [2, [2, 4]]]);
    expect(readdirSync(rerunFolder(results, [2, 4])).sort()).toEqual(['fs-probability-tile-000000.bin', 'fs-probability-tile-000001.bin', 'fs-probability-tile-000002.bin']);
    await reduce();
    expect(products('reduced')).toEqual(reference);
    expect(warningsOf('reduced')).toEqual(warningsOf('local'));
  }, 120_000);

  it('--exclude-members: member indices of the run, with --index only', async () => {
    expect(() => parseExcludeMembers('2,x', 5)).toThrow('--exclude-members: must be member indices separated by commas (got "2,x", expected e.g. 2,4: the bad members --from-results names)');
    expect(() => parseExcludeMembers('4,5', 5)).toThrow('--exclude-members: names member 5, not a member of this run (got "4,5", expected indices in [0, 4]: the run has 5 members)');
    expect(parseExcludeMembers('4,2,4', 5)).toEqual([2, 4]);
    const run = inProcess;
    await expect(run(['--tile', '5', '--exclude-members', '2', '--out', join(dir, 'x')])).rejects.toThrow('--exclude-members: goes only with --index I --results DIR');
    await expect(run(['--tile', '5', '--exclude-members', '2', '--from-results', join(dir, 'indexed'), '--out', join(dir, 'x')])).rejects.toThrow('--exclude-members: goes only with --index I --results DIR');
    await expect(run(['--tile', '7x9', '--index', '0', '--exclude-members', '5', '--results', join(dir, 'x')])).rejects.toThrow('--exclude-members: names member 5');
    // Many tiles in a row are a range; a path with a space is quoted.
    expect(rerunCommandLine('/a b/c.json', { rows: 5, cols: 5 }, { members: 9, seed: 1 }, '/r', [3, 4, 5, 6], [7])).toBe(`for I in $(seq 3 6); do sandtable landslide fs '/a b/c.json' --tile 5x5 --members 9 --seed 1 --exclude-members 7 --results /r --index "$I"; done`);
  });
});

describe('a grid ensemble\'s bad members on queue workers (a real Redis)', () => {
  // One Redis and one worker for every queue case: their start-up is paid once. Each case reads
  // the worker's log from where it began, and only its own run's lines.
  let redis: RedisService;
  let worker: ReturnType<typeof started>;
  beforeAll(async () => {
    redis = await startRedis();
    worker = started(['worker', '--queue', redis.url], FAULT);
  }, 30_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.done;
    await redis?.stop();
  }, 30_000);
  const runIdOf = (out: string) => JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8')).ensemble.run_id as string;

  it('the coordinator reruns the tiles that disagree, into their own folder: the local run\'s bytes; once written, its jobs and cut inputs are gone', async () => {
    const shared = join(dir, 'shared');
    const from = worker.stderr().length;
    const r = await runCli(['landslide', 'fs', casePath, '--tile', '7x9', '--queue', redis.url, '--results', shared, '--out', join(dir, 'queued')]);
    expect(r.code, r.stderr).toBe(0);
    expect(products('queued')).toEqual(reference);
    expect(warningsOf('queued')).toEqual(warningsOf('local'));
    const log = worker.stderr().slice(from);
    const runId = runIdOf('queued');
    expect([...log.matchAll(new RegExp(`finished tile (\\d+) of run ${runId} without members 2,4`, 'g'))].map((m) => Number(m[1])).sort()).toEqual([0, 1, 2]);
    expect(readdirSync(rerunFolder(shared, [2, 4])).sort()).toEqual(['fs-probability-tile-000000.bin', 'fs-probability-tile-000001.bin', 'fs-probability-tile-000002.bin']);
    // The products written, the run keeps nothing in Redis and no tile input in the folder, only the tiles' results.
    expect(readdirSync(shared).sort()).toEqual(['fs-probability-tile-000000.bin', 'fs-probability-tile-000001.bin', 'fs-probability-tile-000002.bin', 'fs-probability-tile-000003.bin', basename(rerunFolder(shared, [2, 4]))]);
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection: client });
    try {
      for (let i = 0; i < 4; i++) expect(await queue.getJob(tileJobId(runId, i)), `tile ${i}`).toBeUndefined();
      expect(await queue.getJob(`${tileJobId(runId, 0)}-${basename(rerunFolder(shared, [2, 4]))}`)).toBeUndefined();
      // Nor its registration (models/ensemble/queue-runs.ts): nothing keyed by the run id.
      expect(await client.keys(`*${runId}*`)).toEqual([]);
    } finally {
      await queue.close();
      await client.quit();
    }
    // A drawn value a tile refuses is the user's error on the queue too (exit 2, by JSON path and cell), as on the local pool.
    const normal: GridDistribution = { distribution: 'normal', mean: 1, sd: 0.5 };
    const { depths_m: _, ...anyDepth } = tileFixtureCase;
    const thin = join(dir, 'thin.json');
    writeFileSync(thin, JSON.stringify({ ...anyDepth, ensemble: { members: 3, seed: 6, perturbations: { soil_depth_m: normal } } }));
    const soil = tileFixtureGrids()['soil.asc'].values;
    const member = [0, 1, 2].find((m) => soil.some((v, g) => !Number.isNaN(v) && cellDraw(normal, 6, m, 'soil_depth_m', g) <= 0))!;
    const g = soil.findIndex((v, k) => !Number.isNaN(v) && cellDraw(normal, 6, member, 'soil_depth_m', k) <= 0);
    const refused = await runCli(['landslide', 'fs', thin, '--tile', '13x17', '--queue', redis.url, '--results', shared, '--out', join(dir, 'thin')]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error: \\$\\.ensemble\\.perturbations\\.soil_depth_m \\(row ${Math.floor(g / NCOLS)}, col ${g % NCOLS}\\): out of range \\(got -?[\\d.e-]+, expected`));
  }, 120_000);

  it('a coordinator SIGKILLed in the first pass and again in the reruns, restarted: every tile counted once, the uninterrupted run\'s bytes', async () => {
    // 40 members in 25 tiles of 3 × 4 cells: each pass lasts long enough for a kill to land inside it.
    // The uninterrupted reference (a local run, other tiles) alongside the kills.
    const uninterrupted = runCli(['landslide', 'fs', casePath, '--members', '40', '--tile', '5', '--out', join(dir, 'local-40')], FAULT);
    const from = worker.stderr().length;
    const log = () => worker.stderr().slice(from);
    const coordinator = () => started(['landslide', 'fs', casePath, '--members', '40', '--tile', '3x4', '--queue', redis.url, '--results', join(dir, 'shared-kill'), '--out', join(dir, 'after-kill')]);
    const first = coordinator();
    await waitFor('a first-pass tile to finish', () => /finished tile \d+ of run \w+\n/.test(log()), 60_000);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const second = coordinator();
    await waitFor('a rerun to start', () => / without members 2,4/.test(log()), 60_000);
    second.child.kill('SIGKILL');
    expect((await second.done).signal).toBe('SIGKILL'); // killed in the reruns, not finished
    const third = await coordinator().done;
    expect(third.code, third.stderr).toBe(0);
    const reference40 = await uninterrupted;
    expect(reference40.code, reference40.stderr).toBe(0);
    expect(products('after-kill')).toEqual(products('local-40'));
    expect(warningsOf('after-kill')).toEqual(warningsOf('local-40'));
    const runId = runIdOf('after-kill');
    const runs = (pattern: string) => [...log().matchAll(new RegExp(pattern.replace('RUN', runId), 'g'))].map((m) => Number(m[1]));
    // Each job ran once, the restarts notwithstanding: the first pass's jobs stay in Redis until
    // the products are written, so the third coordinator read them instead of queuing them again.
    const reruns = runs('running tile (\\d+) of run RUN without members 2,4\n');
    expect(reruns.length).toBeGreaterThan(0);
    expect(new Set(reruns).size).toBe(reruns.length);
    const firstPass = runs('running tile (\\d+) of run RUN\n');
    expect(firstPass.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  }, 180_000);
});
