// `landslide fs case.json --members N` as users run it: the untiled ensemble, its tiles on a local
// pool of 2 workers, as separate processes by index reduced from a shared folder, and on a queue
// worker (a real Redis) whose tiles come back as files in the shared results folder (only a path
// and a hash cross Redis) — the same product bytes every way. The deterministic tiles take the
// results folder on the queue too.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landslideFs } from '../../bin/commands/landslide.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { loadProbabilityRun, readProbabilityTile } from '../../models/ensemble/fs-grid-run.ts';
import { runStatus, setQueueGrace } from '../../models/ensemble/queue-runs.ts';
import { runTilesOnQueue } from '../../models/ensemble/tile-queue.ts';
import { CLI, cliWorkspace, runCli, startCli } from '../cli-harness.ts';
import { waitFor } from '../services/free-port.ts';
import { startRedis, type RedisService } from '../services/redis.ts';
import { tileFixtureCase, writeTileFixture } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir, sandtable } = cliWorkspace('fs-grid-prob');
const plainCase = writeTileFixture(dir);
const casePath = join(dir, 'ensemble.json');
writeFileSync(casePath, JSON.stringify({
  ...tileFixtureCase,
  ensemble: {
    members: 4, seed: 11,
    perturbations: {
      cohesion_pa: { distribution: 'triangular', min: 300, mode: 1500, max: 3500 },
      friction_deg: { distribution: 'uniform', min: 26, max: 33 },
      rain_scale: { distribution: 'uniform', min: 0.6, max: 1.6 },
    },
  },
}));

/** Every product file of an output folder (manifest aside: it holds the creation time and how the run went). */
const products = (out: string) => Object.fromEntries(readdirSync(join(dir, out)).filter((n) => n !== 'manifest.json').map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]));
const manifest = (out: string) => JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8'));
const inProcess = (args: string[], file = casePath) => {
  const options = new Map<string, string>();
  for (let k = 0; k < args.length; k += 2) options.set(args[k].slice(2), args[k + 1]);
  return landslideFs({ positional: [file], options }, engine);
};

let whole: Record<string, string>;
beforeAll(() => {
  const r = sandtable(['landslide', 'fs', casePath, '--out', join(dir, 'whole')]);
  expect(r.code, r.stderr).toBe(0);
  whole = products('whole');
}, 60_000);

describe('landslide fs --members: P(FS < 1) per cell', () => {
  it('untiled: the block\'s members and seed, the products, members.csv and their hashes in the manifest', () => {
    expect(Object.keys(whole).sort()).toEqual(['first_failure_t_s_q05.asc', 'first_failure_t_s_q50.asc', 'first_failure_t_s_q95.asc', 'members.csv', 'p_fs_below_1.asc', 'p_fs_below_1_t21600.asc', 'p_fs_below_1_t7200.asc']);
    const csv = whole['members.csv'].trim().split('\n');
    expect(csv[0]).toBe('member,rain_scale,cells_fs_below_1,status,problem'); // cohesion and friction drawn per cell: no column
    expect(csv).toHaveLength(5);
    for (const row of csv.slice(1)) expect(row).toMatch(/,ok,$/);
    const m = manifest('whole');
    expect(m).toMatchObject({ command: 'landslide fs', ensemble: { members: 4, good_members: 4, seed: 11, execution: { workers: 1 } }, bad_members: [] });
    expect(Object.keys(m.products_sha256).sort()).toEqual(Object.keys(whole).sort());
  });

  it('in tiles on a local pool of 2 workers: the untiled run\'s bytes; --seed gives other draws', async () => {
    const r = sandtable(['landslide', 'fs', casePath, '--tile', '4x6', '--workers', '2', '--out', join(dir, 'pool')]);
    expect(r.code, r.stderr).toBe(0);
    expect(products('pool')).toEqual(whole);
    expect(JSON.parse(r.stdout)).toMatchObject({ members: 4, seed: 11, tiles: { size: '4x6', count: 12 }, grid: { cells: 221 } });
    await inProcess(['--tile', '5', '--seed', '12', '--out', join(dir, 'seed12')]);
    expect(products('seed12')['members.csv']).not.toEqual(whole['members.csv']);
  }, 60_000);

  it('by index in separate processes, then reduced from the shared folder; a missing or damaged tile is named', async () => {
    const results = join(dir, 'indexed');
    const runs = await Promise.all([0, 1, 2].map((i) => (i % 2
      ? runCli(['landslide', 'fs', casePath, '--tile', '5x17', '--index', String(i), '--results', results])
      : runCli(['landslide', 'fs', casePath, '--tile', '5x17', '--results', results], { JOB_COMPLETION_INDEX: String(i) }))));
    runs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ tile: i, tiles: 3, members: 4, result: join(results, `fs-probability-tile-00000${i}.bin`) });
    });
    const reduce = sandtable(['landslide', 'fs', casePath, '--tile', '5x17', '--from-results', results, '--out', join(dir, 'reduced')]);
    expect(reduce.code, reduce.stderr).toBe(0);
    expect(products('reduced')).toEqual(whole);
    await expect(inProcess(['--tile', '5x17', '--members', '5', '--from-results', results, '--out', join(dir, 'other')])).rejects.toThrow(`${join(results, 'fs-probability-tile-000000.bin')}: is the result of another run`);
    const damaged = readFileSync(join(results, 'fs-probability-tile-000001.bin'));
    damaged[damaged.length - 1] ^= 1;
    writeFileSync(join(results, 'fs-probability-tile-000001.bin'), damaged);
    await expect(inProcess(['--tile', '5x17', '--from-results', results, '--out', join(dir, 'bad')])).rejects.toThrow('fs-probability-tile-000001.bin: is damaged (its data does not match the SHA-256 in its header)');
    renameSync(join(results, 'fs-probability-tile-000002.bin'), join(dir, 'moved.bin'));
    await expect(inProcess(['--tile', '5x17', '--from-results', results, '--out', join(dir, 'gap')])).rejects.toThrow(`--from-results: lacks the results of tiles 2 (got "${results}"`);
  }, 60_000);

  it('refuses a bad block and bad options by name (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...tileFixtureCase, ensemble: { members: 3, perturbations: { cohesion_pa: { distribution: 'uniform', min: 900, max: 100 } } } }));
    const r = sandtable(['landslide', 'fs', bad, '--out', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: $.ensemble.perturbations.cohesion_pa.max: is below min (got 100, expected a value ≥ min = 900)\n');
    await expect(inProcess(['--members', '0', '--out', join(dir, 'x')])).rejects.toThrow('--members: must be a whole number in range (got "0", expected a decimal integer in [1, 100000])');
    await expect(inProcess(['--members', '2', '--queue', 'redis://127.0.0.1:1/0', '--out', join(dir, 'x')])).rejects.toThrow('--queue: needs --tile');
    await expect(inProcess(['--members', '2', '--tile', '5', '--queue', 'redis://127.0.0.1:1/0', '--out', join(dir, 'x')])).rejects.toThrow('--queue: needs --results with --members');
    await expect(inProcess(['--members', '2', '--tile', '5', '--index', '1', '--queue', 'redis://127.0.0.1:1/0', '--results', join(dir, 'r'), '--out', join(dir, 'x')])).rejects.toThrow('--index: cannot go with --queue');
    const cells = join(dir, 'cells.json');
    writeFileSync(cells, JSON.stringify({ cells: [], rain: tileFixtureCase.rain }));
    await expect(inProcess(['--members', '2', '--out', join(dir, 'x')], cells)).rejects.toThrow('$.grid: is required for --members');
  });
});

describe('tiles through a shared results folder on queue workers (a real Redis)', () => {
  let redis: RedisService;
  beforeAll(async () => { redis = await startRedis(); }, 30_000);
  afterAll(async () => { await redis?.stop(); }, 30_000);

  it('probability tiles: a job returns only a path and a hash; the coordinator checks the hash and writes the untiled run\'s bytes', async () => {
    // The kill test's short lock here too: BullMQ spaces stalled-job checks for every worker of a
    // queue by the last checker's interval (half its lock, a key in Redis), so a default 60 s lock
    // here held the next test's rescue of the killed worker's tile off for 30 s.
    const worker = startCli(['worker', '--queue', redis.url], { SANDTABLE_QUEUE_LOCK_MS: '2000' });
    try {
      const shared = join(dir, 'shared');
      const r = await runCli(['landslide', 'fs', casePath, '--tile', '5', '--queue', redis.url, '--results', shared, '--out', join(dir, 'queued')]);
      expect(r.code, r.stderr).toBe(0);
      expect(products('queued')).toEqual(whole);
      expect(readdirSync(shared).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `fs-probability-tile-${String(i).padStart(6, '0')}.bin`));
      // What crossed Redis, job by job: the file's path and hash, a few hundred bytes, however big the tile.
      const loaded = await loadProbabilityRun(casePath, { rows: 13, cols: 17 }, { members: 4, seed: 11 });
      const refs = await runTilesOnQueue(redis.url, { runId: loaded.runId, casePath, tile: { rows: 13, cols: 17 }, results: shared, probability: { members: 4, seed: 11 } }, 1);
      expect(Object.keys(refs[0]).sort()).toEqual(['index', 'path', 'sha256']);
      expect(JSON.stringify(refs[0]).length).toBeLessThan(300);
      const ref = refs[0] as { path: string; sha256: string };
      writeFileSync(ref.path, Buffer.concat([readFileSync(ref.path), Buffer.from([0])]));
      await expect(readProbabilityTile(ref.path, loaded.runId, 0, ref.sha256)).rejects.toThrow(`tile 0's result ${ref.path} is not the file its worker wrote (SHA-256 differs)`);
      // The deterministic tiles take the folder too, and still stitch to the undivided run's files.
      await inProcess(['--out', join(dir, 'plain')], plainCase);
      const tiled = await runCli(['landslide', 'fs', plainCase, '--tile', '3x8', '--queue', redis.url, '--results', join(dir, 'shared-plain'), '--out', join(dir, 'plain-queued')]);
      expect(tiled.code, tiled.stderr).toBe(0);
      expect(products('plain-queued')).toEqual(products('plain'));
      // In the sub-folder of their precision (7 digits): one text tile each.
      expect(readdirSync(join(dir, 'shared-plain', 'ascii-7'))).toHaveLength(15);
    } finally {
      worker.stop();
      await worker.done;
    }
  }, 120_000);

  it('a coordinator that cannot write its products stops its run\'s beat: the run falls silent, orphaned past its 2 s grace, not running for ever', async () => {
    const client = new Redis(redis.url);
    const { runId } = await loadProbabilityRun(casePath, { rows: 7, cols: 7 }, { members: 4, seed: 11 });
    const out = join(dir, 'taken');
    let worker: ReturnType<typeof startCli> | undefined;
    try {
      const coordinating = inProcess(['--members', '4', '--tile', '7', '--queue', redis.url, '--queue-grace', '2', '--results', join(dir, 'shared-taken'), '--out', out]); // a beat every 500 ms, a heartbeat key of 1.5 s
      coordinating.catch(() => undefined); // awaited below
      await waitFor('the run\'s registration', async () => (await runStatus(client, runId)).state === 'running', 30_000);
      // Someone else's file under a product's name appears in --out while the tiles run: the commit refuses it.
      mkdirSync(out);
      writeFileSync(join(out, 'p_fs_below_1.asc'), 'not sandtable\'s\n');
      worker = startCli(['worker', '--queue', redis.url], { SANDTABLE_QUEUE_LOCK_MS: '2000' });
      await expect(coordinating).rejects.toThrow('holds p_fs_below_1.asc, which the previous `sandtable landslide fs` did not write');
      await new Promise((r) => setTimeout(r, 2500)); // past the heartbeat key's 1.5 s and the grace: a beat still going would have kept it running
      expect((await runStatus(client, runId)).state).toBe('orphaned');
    } finally {
      setQueueGrace(undefined); // --queue-grace set it for this process
      worker?.stop();
      await worker?.done;
      client.disconnect();
    }
  }, 120_000);

  it('a worker SIGKILLed mid-tile: the tile reruns on another worker and the products are the uninterrupted run\'s', async () => {
    await inProcess(['--members', '24', '--out', join(dir, 'members24')]);
    const env = { SANDTABLE_QUEUE_LOCK_MS: '2000' };
    const killed = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const started = new Promise<void>((resolve) => killed.stderr!.on('data', (d) => { if (String(d).includes('running tile 0')) resolve(); }));
    const coordinator = runCli(['landslide', 'fs', casePath, '--members', '24', '--tile', '13x17', '--queue', redis.url, '--results', join(dir, 'shared-kill'), '--out', join(dir, 'after-kill')]);
    await started;
    killed.kill('SIGKILL');
    const second = startCli(['worker', '--queue', redis.url], env);
    try {
      const r = await coordinator;
      expect(r.code, r.stderr).toBe(0);
      expect(products('after-kill')).toEqual(products('members24'));
    } finally {
      second.stop();
      // The second worker ran the tile: the killed one never finished it.
      expect((await second.done).stderr).toContain('finished tile 0 of run');
    }
  }, 120_000);
});
