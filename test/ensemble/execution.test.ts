// Execution does not change the products: 1 or 2 local worker threads, BullMQ queue workers on a real
// Redis, a queue worker SIGKILLed mid-member (its job comes back after the lock expires and runs
// elsewhere), and a coordinator SIGKILLed mid-run and restarted (it re-adds the same job ids and
// finds the finished members done) all give the same products byte for byte, every member once.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliWorkspace } from '../cli-harness.ts';
import { waitFor } from '../services/free-port.ts';
import { startRedis, type RedisService } from '../services/redis.ts';

const { dir, caseFile } = cliWorkspace('ensemble-queue');
// The first two hours of the test storm: execution is what these tests vary, not the physics, and
// a shorter member keeps five coordinators and their workers quick. Region paths made absolute.
const fixtures = join(import.meta.dirname, 'fixtures');
const storm = JSON.parse(readFileSync(join(fixtures, 'storm-6h.json'), 'utf8'));
const scenario = caseFile('storm-2h.json', {
  ...storm, id: 'ensemble-test-storm-2h', duration_s: 7200, region: resolve(fixtures, storm.region),
  models: { ...storm.models, risklist: { ...storm.models.risklist, items: resolve(fixtures, storm.models.risklist.items) } },
});
const LOCK_MS = '2000';

interface Proc { child: ChildProcess; stderr: () => string; done: Promise<{ code: number | null; stdout: string }> }

function start(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = ''; let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
  return { child, stderr: () => stderr, done };
}

async function ensemble(out: string, extra: string[]): Promise<Record<string, string>> {
  const run = start(['ensemble', scenario, '--out', join(dir, out), ...extra]);
  const { code } = await run.done;
  expect(code, run.stderr()).toBe(0);
  return productHashes(out);
}

function manifestOf(out: string) {
  return JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8'));
}

function productHashes(out: string): Record<string, string> {
  return manifestOf(out).product_sha256;
}

function membersOf(out: string): number[] {
  return readFileSync(join(dir, out, 'members.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
}

let redis: RedisService;
const workers: Proc[] = [];
let local: Record<string, string>;
beforeAll(async () => {
  redis = await startRedis();
  local = await ensemble('local-1', ['--workers', '1']);
}, 120_000);
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await redis?.stop();
}, 30_000);

describe('the same products however the members run', () => {
  it('on 1 or 2 local workers, with every product\'s hash in the manifest', async () => {
    expect(await ensemble('local-2', ['--workers', '2'])).toEqual(local);
    const manifest = JSON.parse(readFileSync(join(dir, 'local-1', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ command: 'ensemble', seed: 7, members: 3, good_members: 3, bad_members: [], execution: { workers: 1 } });
    expect(manifest.scenario_sha256).toMatch(/^[0-9a-f]{64}$/);
    // The models' warnings reach the manifest grouped by place with how many members gave them
    // (the routing's sub-steps are the network's, in every member), the same on 2 workers.
    expect(manifest.model_warnings).toContainEqual(expect.objectContaining({ model: 'flood', where: 'network', members: 3, first_member: 0 }));
    expect(manifestOf('local-2').model_warnings).toEqual(manifest.model_warnings);
    expect(Object.keys(local)).toEqual(expect.arrayContaining([
      'members.csv', 'flood/p_flow_over_warning.csv', 'flood/gauge_quantiles.csv', 'flood/p_depth_over_0.3m.asc',
      'landslide/p_fs_below_1.asc', 'landslide/first_failure_t_s_q50.asc', 'risk/items.csv', 'risk/districts.csv', 'exposure_quantiles.csv',
    ]));
    const members = readFileSync(join(dir, 'local-1', 'members.csv'), 'utf8').trim().split('\n');
    expect(members[0].split(',').slice(0, 5)).toEqual(['member', 'rain_scale', 'river_inflow_scale[0]', 'river_inflow_scale[1]', 'soil_seed']);
    expect(membersOf('local-1')).toEqual([0, 1, 2]);
  });

  it('on queue workers, one of them SIGKILLed mid-member', async () => {
    const doomed = start(['worker', '--queue', redis.url], { SANDTABLE_QUEUE_LOCK_MS: LOCK_MS });
    workers.push(doomed);
    // With its CPU parts: the products are laid out while the queue's members run, not after the last.
    const coordinator = start(['ensemble', scenario, '--queue', redis.url, '--out', join(dir, 'queue-killed-worker')], { SANDTABLE_CPU_PARTS: '1' });
    await waitFor('the first worker to take a member', () => /running member \d/.test(doomed.stderr()), 60_000);
    doomed.child.kill('SIGKILL');
    const survivor = start(['worker', '--queue', redis.url], { SANDTABLE_QUEUE_LOCK_MS: LOCK_MS });
    workers.push(survivor);
    const { code } = await coordinator.done;
    expect(code, coordinator.stderr()).toBe(0);
    expect(productHashes('queue-killed-worker')).toEqual(local);
    expect(manifestOf('queue-killed-worker').model_warnings).toEqual(manifestOf('local-1').model_warnings);
    expect(membersOf('queue-killed-worker')).toEqual([0, 1, 2]);
    const parts = JSON.parse(/^cpu-parts (.*)$/m.exec(coordinator.stderr())![1]).coordinator_s;
    expect(parts.layout_while_members_run).toBeGreaterThanOrEqual(0.05);
    expect(parts.layout).toBeLessThan(0.05);
    // The killed member ran again on the survivor: the lock ran out and the job came back. It is the
    // one the doomed worker started and never finished: between its first "running" line and the
    // kill (a poll later, on a quiet machine) it may have finished that member and taken another.
    const log = doomed.stderr();
    const unfinished = [...log.matchAll(/running member (\d+) /g)].map((m) => m[1]).filter((i) => !log.includes(`finished member ${i} `));
    expect(unfinished, log).toHaveLength(1);
    const killedIndex = Number(unfinished[0]);
    expect(survivor.stderr()).toContain(`finished member ${killedIndex} `);
  });

  it('with the coordinator SIGKILLed mid-run and restarted within its grace: finished members are not rerun, and nothing of the run stays in Redis', async () => {
    const worker = workers[1];
    const before = worker.stderr().length;
    // A short grace (the restart comes well inside it): the run is resumed, not removed as orphaned.
    const args = ['ensemble', scenario, '--queue', redis.url, '--queue-grace', '30', '--out', join(dir, 'queue-killed-coordinator')];
    const first = start(args);
    await waitFor('a member to finish', () => /finished member \d/.test(worker.stderr().slice(before)), 60_000);
    first.child.kill('SIGKILL');
    await first.done;
    const second = start(args);
    const { code } = await second.done;
    expect(code, second.stderr()).toBe(0);
    expect(membersOf('queue-killed-coordinator')).toEqual([0, 1, 2]);
    const ran = worker.stderr().slice(before).match(/running member \d+ of run \w+/g)!;
    expect(new Set(ran).size).toBe(ran.length); // no member ran twice
    // The same products as the uninterrupted local run (the first queue run's jobs were removed
    // when it finished, so this run queued every member afresh under the same job ids).
    expect(productHashes('queue-killed-coordinator')).toEqual(local);
    expect(second.stderr()).not.toContain('orphaned');
    // Its products written, the run leaves no job, result or registration behind (only BullMQ's queue-wide keys).
    const runId = manifestOf('queue-killed-coordinator').execution.run_id;
    const client = new Redis(redis.url);
    try {
      expect(await client.keys(`*${runId}*`)).toEqual([]);
      expect(await client.keys('sandtable-ensemble:*')).toEqual([]);
    } finally {
      client.disconnect();
    }
  });

  it('as separate processes by index (Kubernetes Indexed Job pods), in any order, reduced from the shared folder', async () => {
    const results = join(dir, 'indexed');
    // All at once, so they finish in any order; one gets its index as an Indexed Job's pod does.
    const runs = [2, 0, 1].map((i) => (i === 0
      ? start(['ensemble', scenario, '--results', results], { JOB_COMPLETION_INDEX: '0' })
      : start(['ensemble', scenario, '--index', String(i), '--results', results])));
    for (const [k, r] of runs.entries()) {
      const { code, stdout } = await r.done;
      expect(code, r.stderr()).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ member: [2, 0, 1][k], members: 3 });
    }
    const reduce = start(['ensemble', scenario, '--from-results', results, '--out', join(dir, 'indexed-reduced')]);
    const { code } = await reduce.done;
    expect(code, reduce.stderr()).toBe(0);
    // The same bytes as --workers 1, which the first test finds equal to --workers 2.
    expect(productHashes('indexed-reduced')).toEqual(local);
    expect(JSON.parse(readFileSync(join(dir, 'indexed-reduced', 'manifest.json'), 'utf8')).execution).toMatchObject({ results });
  }, 180_000);

  it('a batch worker (--idle-exit S) ends with code 0 once the queue has had nothing for it for S seconds', async () => {
    const batch = start(['worker', '--queue', redis.url, '--idle-exit', '1']);
    workers.push(batch);
    const { code } = await batch.done;
    expect(code).toBe(0);
    expect(batch.stderr()).toContain('sandtable worker: stopping: idle for 1 s');
  });
});
