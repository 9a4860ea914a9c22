// A coordinator's heartbeat beats on its own timer (models/ensemble/run-beat.ts), not only while it
// adds or polls jobs: a coordinator busy elsewhere (stitching, writing products) keeps its run
// 'running', so that neither `--remove-run` nor a worker past a short grace takes it for stopped;
// the beat never keeps a process alive, stops at SIGINT/SIGTERM (the process still ends as it
// would have), and a failed beat is said once, without the queue's password. Coordinators run as
// child processes (run-beat-child.ts) with a grace of 2 s: a beat every 500 ms, a key of 1.5 s.
// Bounds on how fast a process ends are loose (a loaded machine): a beat that kept it alive would keep it for ever.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRunBeat } from '../../models/ensemble/run-beat.ts';
import { runStatus, setQueueGrace, setQueueLog } from '../../models/ensemble/queue-runs.ts';
import { freePort, waitFor } from '../services/free-port.ts';
import { startRedis, type RedisService } from '../services/redis.ts';

let redis: RedisService;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
}, 30_000);

interface Child { child: ChildProcess; lines: string[]; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> }

function coordinator(mode: string, runId: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run-beat-child.ts'), mode, redis.url, runId], {
    env: { ...process.env, SANDTABLE_QUEUE_GRACE_S: '2' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout!.on('data', (d) => lines.push(...String(d).split('\n').filter(Boolean)));
  child.stderr!.on('data', (d) => { stderr += d; });
  return { child, lines, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr }))) };
}

const state = async (runId: string) => (await runStatus(client, runId)).state;

describe('a coordinator\'s heartbeat', () => {
  it('beats through 4 s of async work that neither adds nor polls (2.7 × the key\'s life, 2 × the grace); once released, the process ends on its own', async () => {
    const runId = 'aaaaaaaaaaaaaaa1';
    const c = coordinator('stretch', runId);
    await waitFor('the coordinator\'s stretch', () => c.lines.includes('stretch'), 30_000);
    const seen: string[] = [];
    while (!c.lines.includes('released')) {
      seen.push(await state(runId));
      await new Promise((r) => setTimeout(r, 100));
    }
    const releasedAt = Date.now();
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen)).toEqual(new Set(['running']));
    const { code, stderr } = await c.exited;
    expect(code, stderr).toBe(0);
    // No timer, no connection left: nothing keeps the process once its work is done.
    expect(Date.now() - releasedAt).toBeLessThan(5000);
    // A beat in flight at the release brings back nothing of the removed run.
    expect(await client.keys(`*${runId}*`)).toEqual([]);
  }, 60_000);

  it('stops at SIGTERM: a process shutting down slowly no longer claims its run', async () => {
    const runId = 'aaaaaaaaaaaaaaa2';
    const c = coordinator('signal-handled', runId);
    await waitFor('the coordinator\'s beat', () => c.lines.includes('beating'), 30_000);
    await new Promise((r) => setTimeout(r, 2000)); // past the registration's own key: beats kept it
    expect(await state(runId)).toBe('running');
    c.child.kill('SIGTERM');
    await waitFor('the heartbeat to lapse', async () => (await state(runId)) !== 'running', 4000);
    expect(c.child.exitCode).toBeNull(); // still shutting down
    const { code, stderr } = await c.exited;
    expect(code, stderr).toBe(0);
    expect(c.lines).toContain('stopping');
    await client.del(`bull:sandtable-ensemble:${runId}-0`);
  }, 60_000);

  it('leaves SIGTERM\'s default to a process with no handler of its own: it ends by the signal', async () => {
    const runId = 'aaaaaaaaaaaaaaa3';
    const c = coordinator('signal-default', runId);
    await waitFor('the coordinator\'s beat', () => c.lines.includes('beating'), 30_000);
    const sentAt = Date.now();
    c.child.kill('SIGTERM');
    const { signal } = await c.exited;
    expect(signal).toBe('SIGTERM');
    expect(Date.now() - sentAt).toBeLessThan(5000);
  }, 60_000);

  it('says a failed beat once, without the queue\'s password', async () => {
    const lines: string[] = [];
    setQueueLog((line) => lines.push(line));
    setQueueGrace(1);
    try {
      const port = await freePort(); // nothing listens there
      const hold = holdRunBeat(`redis://:hunter2-beat@127.0.0.1:${port}/0`, 'aaaaaaaaaaaaaaa4');
      await new Promise((r) => setTimeout(r, 1300)); // five beats
      await hold.release();
      expect(lines).toEqual([`heartbeat of run aaaaaaaaaaaaaaa4 on redis://127.0.0.1:${port}/0 failed (ECONNREFUSED): trying again every 0.25 s; a run silent for longer than its grace counts as orphaned`]);
    } finally {
      setQueueGrace(undefined);
    }
  });
});
