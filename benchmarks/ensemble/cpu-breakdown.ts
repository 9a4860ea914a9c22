// `bench.ts --parts cpu`: where an ensemble's CPU goes, from CPU accounting rather than wall
// clocks (which mean nothing on a shared machine), and the 2-worker speedup that follows.
// Runs the CLI with SANDTABLE_CPU_PARTS=1 (bin/commands/ensemble.ts, models/ensemble/cpu-parts.ts):
// the coordinator's laps, each pool thread's start and members, the helper threads (GC) while
// members run; on the queue also each `sandtable worker`'s lines and Redis's own CPU (INFO cpu).
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { startRedis } from '../../test/services/redis.ts';

interface Parts {
  coordinator_s: Record<string, number>;
  process_cpu_s: number;
  helpers_during_members_s?: number;
  workers?: { starts: { boot_s: number; modules_s: number; context_s: number }[]; members: { index: number; cpu_s: number }[] };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const r2 = (x: number) => Number(x.toFixed(2));

function runCli(cli: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

const partsLine = (stderr: string): Parts => JSON.parse(/^cpu-parts (.*)$/m.exec(stderr)![1]);

/**
 * The pool's wall time on K threads and `cores` cores, from CPU seconds: the coordinator's serial
 * work before and after the members, one thread's start, the members shared out whole, and the
 * helpers' CPU (V8 compiler, GC), which a spare core absorbs but which competes with the workers once every core
 * runs one. T(K) = pre + start + max(⌈N/K⌉·m, N·(m + h)/cores) + post (for K ≥ cores).
 */
export function predictedSpeedup(p: { pre: number; start: number; memberS: number; helperPerMemberS: number; post: number }, members: number, cores = 2): number {
  const t = (k: number) => p.pre + p.start + p.post + (k < cores
    ? Math.ceil(members / k) * p.memberS
    : Math.max(Math.ceil(members / k) * p.memberS, (members * (p.memberS + p.helperPerMemberS)) / cores));
  return r2(t(1) / t(2));
}

function model(parts: Parts, startS: number) {
  const c = parts.coordinator_s;
  const members = parts.workers?.members ?? [];
  const memberS = mean(members.map((m) => m.cpu_s));
  return {
    pre: (c.cli_start ?? 0) + (c.options_and_read ?? 0) + (c.context ?? 0),
    start: startS, memberS,
    // The coordinator's layout runs beside the members and competes with them for the cores, as the helpers do.
    helperPerMemberS: members.length ? ((parts.helpers_during_members_s ?? 0) + (c.layout_while_members_run ?? 0)) / members.length : 0,
    post: (c.layout ?? 0) + (c.reduce_and_hash ?? 0) + (c.write ?? 0),
  };
}

/** The local pool with 2 threads: the accounts, and the predicted 1-vs-2 speedup for `predictFor` members. */
export async function localCpu(cli: string, scenario: string, members: number, out: string, predictFor: number) {
  const { code, stderr } = await runCli(cli, ['ensemble', scenario, '--members', String(members), '--workers', '2', '--out', out], { SANDTABLE_CPU_PARTS: '1' });
  if (code !== 0) throw new Error(`ensemble failed: ${stderr}`);
  const parts = partsLine(stderr);
  const starts = parts.workers!.starts;
  // A thread's start runs while the coordinator loads the region; it delays the first member only by what is left after that.
  const start = mean(starts.map((s) => s.boot_s + s.modules_s + s.context_s));
  const m = model(parts, start);
  return {
    scenario, members, parts,
    per_part_cpu_s: { coordinator_before_members: r2(m.pre), thread_start: r2(start), member_mean: r2(m.memberS), helpers_per_member: r2(m.helperPerMemberS), coordinator_after_members: r2(m.post) },
    predicted_speedup_1_vs_2: { members: predictFor, speedup: predictedSpeedup(m, predictFor) },
  };
}

async function redisCpuS(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const info = await client.info('cpu');
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)![1]);
    return field('used_cpu_user') + field('used_cpu_sys');
  } finally { client.disconnect(); }
}

/** 2 queue worker processes: the coordinator's, each worker's and Redis's CPU. */
/** `gcPerMemberS`: the helper threads' CPU per member measured on the pool (a worker process's garbage collection is the same). */
export async function queueCpu(cli: string, scenario: string, members: number, out: string, predictFor: number, gcPerMemberS: number) {
  const redis = await startRedis();
  const workers = Array.from({ length: 2 }, () => {
    const child = spawn(process.execPath, [cli, 'worker', '--queue', redis.url], { env: { ...process.env, SANDTABLE_CPU_PARTS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    return { child, stderr: () => stderr };
  });
  try {
    const redisBefore = await redisCpuS(redis.url);
    const { code, stderr } = await runCli(cli, ['ensemble', scenario, '--members', String(members), '--queue', redis.url, '--out', out], { SANDTABLE_CPU_PARTS: '1' });
    if (code !== 0) throw new Error(`ensemble failed: ${stderr}`);
    const redisS = (await redisCpuS(redis.url)) - redisBefore;
    const coordinator = partsLine(stderr);
    // Each worker's last line holds its thread's accounts and its main thread's CPU (BullMQ, Redis I/O).
    const lines = workers.map((w) => [...w.stderr().matchAll(/cpu-parts (.*)$/gm)].map((m) => JSON.parse(m[1])).at(-1));
    const threads = lines.filter(Boolean).map((l) => l.thread as NonNullable<Parts['workers']>);
    const memberCpu = threads.flatMap((t) => t.members);
    const starts = threads.flatMap((t) => t.starts);
    const start = mean(starts.map((s) => s.boot_s + s.modules_s + s.context_s));
    // Per worker process: its main thread (BullMQ, Redis I/O, the result's JSON) and its helpers (GC), the member thread aside.
    const mainS = lines.filter(Boolean).map((l) => r2(l.main_thread_since_ready_s));
    const workerProcessS = lines.filter(Boolean).map((l) => l.process_since_ready_s as number);
    const threadS = threads.map((t) => t.starts.reduce((a, s) => a + s.boot_s + s.modules_s + s.context_s, 0) + t.members.reduce((a, x) => a + x.cpu_s, 0));
    const workerOverheadS = workerProcessS.reduce((a, b) => a + b, 0) - threadS.reduce((a, b) => a + b, 0);
    // A worker process's CPU besides its member thread is mostly its thread's start (the loader's
    // thread, collecting the region's garbage): counted with the start, once per worker.
    // The rest, its garbage collection while members run, is taken as the pool's per member.
    const startHelpersS = Math.max(0, workerOverheadS - gcPerMemberS * members) / workers.length;
    const m = { ...model({ ...coordinator, workers: { starts, members: memberCpu } }, start + startHelpersS), helperPerMemberS: 0 };
    // The queue's own running cost (coordinator polling, Redis) competes with the workers for cores, like the helpers.
    const overheadPerMember = gcPerMemberS + (redisS + (coordinator.coordinator_s.members_wait ?? 0)) / members;
    return {
      scenario, members, coordinator, worker_starts: starts, worker_main_thread_s: mainS, worker_processes_besides_member_thread_s: r2(workerOverheadS), redis_cpu_s: r2(redisS),
      per_part_cpu_s: { coordinator_before_members: r2(m.pre), thread_start: r2(start), worker_start_with_helpers: r2(m.start), member_mean: r2(m.memberS), queue_and_gc_per_member: r2(overheadPerMember), coordinator_after_members: r2(m.post) },
      predicted_speedup_1_vs_2: { members: predictFor, speedup: predictedSpeedup({ ...m, helperPerMemberS: overheadPerMember }, predictFor) },
    };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once('exit', r)))));
    await redis.stop();
  }
}
