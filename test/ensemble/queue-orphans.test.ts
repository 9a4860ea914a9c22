// A shared Redis does not keep a dead run's jobs for ever (models/ensemble/queue-runs.ts): a
// coordinator SIGKILLed and never restarted leaves a run that, once silent for longer than its
// grace, the next worker removes (logging its counts) and whose jobs no worker starts; operators
// list and remove runs by hand; bad grace values are refused by name. The restart within the
// grace that resumes a run is execution.test.ts's coordinator kill test.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../bin/cli.ts';
import { CLI, cliWorkspace, startCli } from '../cli-harness.ts';
import { waitFor } from '../services/free-port.ts';
import { startRedis, type RedisService } from '../services/redis.ts';
import { jobOptions, QUEUE_NAME, startQueueWorker } from '../../models/ensemble/queue.ts';
import { listRuns, refreshBeat, removeRun, RunRegistration, runStatus, setQueueGrace, setQueueLog } from '../../models/ensemble/queue-runs.ts';

const { dir, caseFile } = cliWorkspace('queue-orphans');

/** The CLI in this process (a spawned one costs seconds): exit code and streams, `env` set meanwhile. */
async function sandtable(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}
const fixtures = join(import.meta.dirname, 'fixtures');
const storm = JSON.parse(readFileSync(join(fixtures, 'storm-6h.json'), 'utf8'));
const scenario = caseFile('storm-2h.json', {
  ...storm, id: 'ensemble-test-orphans', duration_s: 7200, region: resolve(fixtures, storm.region),
  models: { ...storm.models, risklist: { ...storm.models.risklist, items: resolve(fixtures, storm.models.risklist.items) } },
});

let redis: RedisService;
let client: Redis;
let queue: Queue;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAME, { connection: client });
}, 30_000);
afterAll(async () => {
  setQueueGrace(undefined);
  await queue?.close();
  await client?.quit();
  await redis?.stop();
}, 30_000);

/** Every key Redis holds that names the run: its jobs, their results, its registration. */
const keysOf = (runId: string) => client.keys(`*${runId}*`);

/** A run registered as a coordinator registers it, with `jobs` member jobs that nobody runs yet. */
async function registered(runId: string, jobs: number, graceS: number): Promise<void> {
  setQueueGrace(graceS);
  const run = new RunRegistration(client, queue, runId, 'member', redis.url);
  await run.start();
  const ids = Array.from({ length: jobs }, (_, i) => `${runId}-${i}`);
  await run.addJobIds(ids);
  for (const [index, id] of ids.entries()) await queue.add('member', { runId, index }, jobOptions(id));
}

describe('runs by hand: sandtable worker --list-runs / --remove-run', () => {
  const live = '1111111111111111';
  const silent = '2222222222222222';
  const unregistered = '3333333333333333';
  // A failed case must not leave its runs to the next cases' workers.
  afterAll(async () => {
    for (const runId of [live, silent, unregistered]) await removeRun(client, queue, runId, { onlyIf: () => true });
  });

  it('lists running, silent and unregistered runs; removes stopped ones, refuses a running or unknown one (exit 2)', async () => {
    await registered(live, 2, 600);
    await registered(silent, 1, 600);
    // Its coordinator stopped: the heartbeat key (a TTL of three beats) is gone; the grace has not passed.
    await client.del(`sandtable-ensemble:run:${silent}:heartbeat`);
    // A job no registration knows (queued by a sandtable older than the registrations).
    await queue.add('member', { runId: unregistered, index: 0 }, jobOptions(`${unregistered}-0`));

    const listed = await sandtable(['worker', '--queue', redis.url, '--list-runs']);
    expect(listed.code, listed.stderr).toBe(0);
    const { queue: shown, runs } = JSON.parse(listed.stdout);
    expect(shown).toBe(redis.url);
    expect(runs.map((r: { run_id: string; state: string; jobs: number }) => [r.run_id, r.state, r.jobs])).toEqual([
      [live, 'running', 2], [silent, 'silent', 1], [unregistered, 'unregistered', 1],
    ]);
    expect(runs[0]).toMatchObject({ kind: 'member', host: hostname(), pid: process.pid, grace_s: 600, silent_s: 0 });

    const running = await sandtable(['worker', '--queue', redis.url, '--remove-run', live]);
    expect(running.code).toBe(2);
    expect(running.stderr).toBe(`error: --remove-run: is still running (its coordinator on ${hostname()} pid ${process.pid} beat 0 s ago) (got "${live}", expected a run whose coordinator has stopped: stop it first)\n`);
    expect((await keysOf(live)).sort()).toEqual([`bull:${QUEUE_NAME}:${live}-0`, `bull:${QUEUE_NAME}:${live}-1`, `sandtable-ensemble:run:${live}`, `sandtable-ensemble:run:${live}:heartbeat`, `sandtable-ensemble:run:${live}:jobs`]);

    for (const [runId, state] of [[silent, 'silent'], [unregistered, 'unregistered']]) {
      const removed = await sandtable(['worker', '--queue', redis.url, '--remove-run', runId]);
      expect(removed.code, removed.stderr).toBe(0);
      expect(JSON.parse(removed.stdout)).toEqual({ queue: redis.url, run_id: runId, state, removed: { waiting: 1 }, active_left: 0 });
      expect(removed.stderr).toBe(`sandtable worker: removed run ${runId}: 1 job (1 waiting)\n`);
      expect(await keysOf(runId)).toEqual([]);
    }

    const unknown = await sandtable(['worker', '--queue', redis.url, '--remove-run', '0123456789abcdef']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: --remove-run: is not a run on this queue (got "0123456789abcdef", expected a run id that `sandtable worker --queue URL --list-runs` lists)\n');
    const malformed = await sandtable(['worker', '--queue', redis.url, '--remove-run', 'run-7']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe('error: --remove-run: is not a run id (got "run-7", expected 16 hexadecimal digits, as `--list-runs` prints them (and the job ids begin with))\n');
    const both = await sandtable(['worker', '--queue', redis.url, '--list-runs', '--remove-run', live]);
    expect([both.code, both.stderr]).toEqual([2, 'error: --remove-run: cannot go with --list-runs (got nothing, expected one of --list-runs, --remove-run ID)\n']);
    const idle = await sandtable(['worker', '--queue', redis.url, '--list-runs', '--idle-exit', '5']);
    expect([idle.code, idle.stderr]).toEqual([2, 'error: --idle-exit: cannot go with --list-runs (got nothing, expected --idle-exit S only for a worker that runs jobs)\n']);

    // The live run's coordinator stops; removed by hand, nothing of it stays.
    await client.del(`sandtable-ensemble:run:${live}:heartbeat`);
    const stopped = await sandtable(['worker', '--queue', redis.url, '--remove-run', live]);
    expect(JSON.parse(stopped.stdout).removed).toEqual({ waiting: 2 });
    expect(await keysOf(live)).toEqual([]);
    expect(await client.keys('sandtable-ensemble:*')).toEqual([]);
  }, 60_000);
});

describe('a coordinator SIGKILLed and never restarted', () => {
  it('once silent for longer than its grace, the next worker removes its jobs before taking any, and says what it removed', async () => {
    // No worker yet: the three members wait in Redis when the coordinator dies.
    const coordinator = spawn(process.execPath, [CLI, 'ensemble', scenario, '--queue', redis.url, '--out', join(dir, 'killed')], { env: { ...process.env, SANDTABLE_QUEUE_GRACE_S: '2' }, stdio: 'ignore' });
    let runId = '';
    await waitFor('the run\'s three jobs', async () => {
      const run = (await listRuns(client)).find((r) => r.pid === coordinator.pid);
      runId = run?.run_id ?? '';
      const states = await Promise.all([0, 1, 2].map((i) => queue.getJobState(`${runId}-${i}`)));
      return run?.jobs === 3 && states.every((state) => state === 'waiting');
    }, 60_000);
    coordinator.kill('SIGKILL');
    await new Promise((r) => coordinator.once('exit', r));
    expect((await runStatus(client, runId)).state).not.toBe('orphaned'); // within its grace: a restart would resume
    await waitFor('the grace to pass', async () => (await runStatus(client, runId)).state === 'orphaned', 10_000);

    const worker = startCli(['worker', '--queue', redis.url, '--idle-exit', '1']);
    const { code, stderr } = await worker.done;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(new RegExp(`^sandtable worker: removed orphaned run ${runId} \\(members\\): its coordinator \\(${hostname()} pid ${coordinator.pid}\\) has been silent for [2-9] s, longer than the run's grace of 2 s; 3 jobs \\(3 waiting\\)\\n`));
    expect(stderr).not.toContain('running member');
    expect(await keysOf(runId)).toEqual([]);
  }, 90_000);
});

describe('a worker meeting a job of an orphaned run', () => {
  it('drops it without starting it, with the reason, and removes the run', async () => {
    const lines: string[] = [];
    const worker = await startQueueWorker(redis.url, (line) => lines.push(line));
    try {
      const orphan = '4444444444444444';
      const unknown = '5555555555555555';
      // Registered, then silent past its 1 s grace before its job reaches the (idle) worker.
      await registered(orphan, 0, 1);
      await waitFor('the grace to pass', async () => (await runStatus(client, orphan)).state === 'orphaned', 10_000);
      await queue.add('member', { runId: orphan, index: 0 }, jobOptions(`${orphan}-0`));
      await queue.add('member', { runId: unknown, index: 7 }, jobOptions(`${unknown}-7`));
      await waitFor('both runs removed', async () => (await keysOf(orphan)).length + (await keysOf(unknown)).length === 0 && lines.length >= 4, 20_000);
      // The two runs' lines may interleave; each run's come in order.
      const [dropped, removed] = lines.filter((line) => line.includes(orphan));
      expect(dropped).toMatch(new RegExp(`^dropping member 0 of run ${orphan}, not started: its coordinator \\(${hostname()} pid ${process.pid}\\) has been silent for \\d+ s, longer than the run's grace of 1 s$`));
      expect(removed).toMatch(new RegExp(`^removed orphaned run ${orphan}: its coordinator .* longer than the run's grace of 1 s; 1 job \\(1 failed\\)$`));
      expect(lines.filter((line) => line.includes(unknown))).toEqual([
        `dropping member 7 of run ${unknown}, not started: it is not registered on this queue (removed by hand, or queued by an older sandtable)`,
        `removed orphaned run ${unknown}: it is not registered on this queue (removed by hand, or queued by an older sandtable); 1 job (1 failed)`,
      ]);
      expect(lines.join('\n')).not.toMatch(/running member|failed:/);
    } finally {
      await worker.close();
    }
  }, 30_000);
});

describe('the next coordinator on the queue', () => {
  it('removes the orphaned runs before registering its own, and says what it removed', async () => {
    const orphan = '7777777777777777';
    const mine = '8888888888888888';
    await registered(orphan, 1, 1);
    await waitFor('the grace to pass', async () => (await runStatus(client, orphan)).state === 'orphaned', 10_000);
    const lines: string[] = [];
    setQueueLog((line) => lines.push(line));
    setQueueGrace(600);
    // This process swept its first queue URL already: another spelling of it stands for a new coordinator.
    await new RunRegistration(client, queue, mine, 'tile', redis.url.replace('127.0.0.1', 'localhost')).start();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^removed orphaned run ${orphan} \\(members\\): its coordinator \\(${hostname()} pid ${process.pid}\\) has been silent for \\d+ s, longer than the run's grace of 1 s; 1 job \\(1 waiting\\)$`));
    expect(await keysOf(orphan)).toEqual([]);
    expect((await runStatus(client, mine)).state).toBe('running');
    await client.del(`sandtable-ensemble:run:${mine}:heartbeat`);
    await removeRun(client, queue, mine, { onlyIf: () => true });
  });
});

describe('a coordinator restarting while its orphaned run is being removed', () => {
  it('waits for the removal to end, then registers its run afresh', async () => {
    const runId = '6666666666666666';
    const lines: string[] = [];
    setQueueLog((line) => lines.push(line));
    await client.set(`sandtable-ensemble:run:${runId}:cleaning`, 'another worker', 'PX', 60_000);
    let registered = false;
    const starting = new RunRegistration(client, queue, runId, 'member', redis.url).start().then(() => { registered = true; });
    // Its line comes after a Redis round trip or two, which a loaded machine may stretch past any
    // fixed pause: wait for it, then watch a few of its 100 ms polls go by with the key still held.
    await waitFor('the coordinator to say it waits', () => lines.length > 0, 20_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(registered).toBe(false); // its jobs would otherwise be re-added, then removed under it
    expect(lines).toEqual([`run ${runId} is being removed as orphaned by another process: waiting, then queueing its jobs afresh`]);
    await client.del(`sandtable-ensemble:run:${runId}:cleaning`);
    await starting;
    expect((await runStatus(client, runId)).state).toBe('running');
    await client.del(`sandtable-ensemble:run:${runId}:heartbeat`);
    await removeRun(client, queue, runId, { onlyIf: () => true });
  });
});

describe('a coordinator\'s beat landing while its orphaned run is being removed', () => {
  it('leaves the run as the remover found it (not running again under it); once the removal ends, it beats again', async () => {
    const runId = '6666666666666667';
    setQueueGrace(60);
    await new RunRegistration(client, queue, runId, 'member', redis.url).start();
    await client.del(`sandtable-ensemble:run:${runId}:heartbeat`); // its coordinator fell silent (a long synchronous stretch)
    const found = await runStatus(client, runId);
    expect(found.state).toBe('silent');
    await client.set(`sandtable-ensemble:run:${runId}:cleaning`, 'another worker', 'PX', 60_000);
    await new Promise((r) => setTimeout(r, 5)); // a beat now would show as a later last_beat
    expect(await refreshBeat(client, runId, 250)).toBe(0);
    expect(await runStatus(client, runId)).toEqual(found);
    await client.del(`sandtable-ensemble:run:${runId}:cleaning`);
    expect(await refreshBeat(client, runId, 250)).toBe(1);
    expect((await runStatus(client, runId)).state).toBe('running');
    await client.del(`sandtable-ensemble:run:${runId}:heartbeat`);
    await removeRun(client, queue, runId, { onlyIf: () => true });
  });
});

describe('a queue with a password in its URL', () => {
  it('never shows the password: not in the runs listed, not in what a worker logs when it removes a run', async () => {
    const secret = 'hunter2-queue-secret';
    await client.config('SET', 'requirepass', secret); // this test's client is authenticated already
    try {
      const url = redis.url.replace('//', `//:${secret}@`);
      const orphan = '9999999999999999';
      await registered(orphan, 1, 1);
      await waitFor('the grace to pass', async () => (await runStatus(client, orphan)).state === 'orphaned', 10_000);
      const listed = await sandtable(['worker', '--queue', url, '--list-runs']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout).queue).toBe(redis.url);
      const lines: string[] = [];
      const worker = await startQueueWorker(url, (line) => lines.push(line));
      await worker.close();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`removed orphaned run ${orphan}`);
      expect(listed.stdout + listed.stderr + lines.join('\n')).not.toContain(secret);
    } finally {
      await client.config('SET', 'requirepass', '');
    }
  });
});

describe('grace values', () => {
  it('are refused by option or variable name, exit 2, before any work', async () => {
    const out = join(dir, 'never');
    const zero = await sandtable(['ensemble', scenario, '--queue', redis.url, '--queue-grace', '0', '--out', out]);
    expect([zero.code, zero.stderr]).toEqual([2, 'error: --queue-grace: must be a whole number in range (got "0", expected a decimal integer in [1, 31536000])\n']);
    const alone = await sandtable(['ensemble', scenario, '--queue-grace', '60', '--out', out]);
    expect([alone.code, alone.stderr]).toEqual([2, 'error: --queue-grace: needs --queue (got nothing, expected --queue URL: the grace is how long that queue keeps a run whose coordinator stopped)\n']);
    const landslide = await sandtable(['landslide', 'fs', scenario, '--queue-grace', '1h']);
    expect([landslide.code, landslide.stderr]).toEqual([2, 'error: --queue-grace: needs --queue (got nothing, expected --queue URL: the grace is how long that queue keeps a run whose coordinator stopped)\n']);
    const r = await sandtable(['ensemble', scenario, '--queue', redis.url, '--out', out], { SANDTABLE_QUEUE_GRACE_S: '1.5' });
    expect([r.code, r.stderr]).toEqual([2, 'error: SANDTABLE_QUEUE_GRACE_S: must be a whole number of seconds in range (got "1.5", expected a decimal integer in [1, 31536000])\n']);
  }, 60_000);
});
