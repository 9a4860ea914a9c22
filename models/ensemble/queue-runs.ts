// Runs on a shared queue, so that a coordinator killed and never restarted does not leave its jobs
// and results in Redis for ever. BullMQ's own age-based removal (removeOnComplete {age}) is lazy —
// evaluated only when another job finishes, so an idle queue keeps everything — and it cannot
// tell a dead run from a coordinator that will come back; obliterate takes the whole queue. So
// each run is registered next to BullMQ's keys:
//   sandtable-ensemble:runs                  set of registered run ids
//   sandtable-ensemble:run:<id>              hash: kind, host, pid, started_ms, last_beat_ms, grace_ms
//   sandtable-ensemble:run:<id>:heartbeat    a key with a short TTL, refreshed while the coordinator runs (run-beat.ts)
//   sandtable-ensemble:run:<id>:jobs         the run's job ids (every id is `<run id>-…`)
//   sandtable-ensemble:run:<id>:cleaning     held by whoever removes the run
// Times are Redis's (TIME), never a machine's clock. A run whose heartbeat key is gone and whose
// last beat is older than its grace (the coordinator's choice, default 24 h) is orphaned: workers
// do not start its jobs, and the next coordinator or worker on the queue removes them. Within the
// grace a restarted coordinator re-adds the same ids and finds the finished jobs done.
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError } from '../errors.ts';

const PREFIX = 'sandtable-ensemble';
const INDEX = `${PREFIX}:runs`;
const recordKey = (runId: string) => `${PREFIX}:run:${runId}`;
const heartbeatKey = (runId: string) => `${recordKey(runId)}:heartbeat`;
const jobsKey = (runId: string) => `${recordKey(runId)}:jobs`;
const cleaningKey = (runId: string) => `${recordKey(runId)}:cleaning`;

export const DEFAULT_GRACE_S = 86_400;
export const MAX_GRACE_S = 365 * 86_400;
export const GRACE_ENV = 'SANDTABLE_QUEUE_GRACE_S';
export const RUN_ID_FORM = /^[0-9a-f]{16}$/;

/**
 * `use` on a connection of its own, one attempt, each step within `timeoutMs` (no reconnect loop):
 * answers why it failed (ECONNREFUSED, ENOTFOUND, NOAUTH…), or undefined when it did not.
 */
export async function onceOnRedis(url: string, timeoutMs: number, use: (client: Redis) => Promise<unknown>): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs, enableOfflineQueue: false });
  // ioredis rejects with "Connection is closed."; the cause comes as an event.
  let cause: NodeJS.ErrnoException | undefined;
  client.on('error', (error: NodeJS.ErrnoException) => { cause ??= error; });
  try {
    await client.connect();
    await use(client);
    return undefined;
  } catch (error) {
    const reason = cause ?? (error as NodeJS.ErrnoException);
    return reason.code ?? reason.message;
  } finally {
    client.disconnect();
  }
}

/** The run a job id belongs to: run ids are hex, so the first '-' ends them. */
export const runOfJobId = (id: string) => id.slice(0, id.indexOf('-'));

let graceOption: number | undefined;
/** `--queue-grace S` of the command that coordinates: wins over the environment. */
export function setQueueGrace(seconds: number | undefined): void { graceOption = seconds; }

/** The grace this process gives its own runs (s): --queue-grace, else SANDTABLE_QUEUE_GRACE_S, else 24 h. */
export function queueGraceS(): number {
  if (graceOption !== undefined) return graceOption;
  const env = process.env[GRACE_ENV];
  if (env === undefined || env === '') return DEFAULT_GRACE_S;
  const n = /^\d{1,10}$/.test(env) ? Number(env) : NaN;
  if (!(n >= 1 && n <= MAX_GRACE_S)) throw InputError.single(GRACE_ENV, 'must be a whole number of seconds in range', env, `a decimal integer in [1, ${MAX_GRACE_S}]`);
  return n;
}

/** The heartbeat key lives three beats, so one or two late beats do not make a running run look stopped. */
const KEY_LIFE_BEATS = 3;

/** How often a run beats: often enough that its heartbeat key lapses well inside its grace (by default this process's). */
export const beatMs = (graceMs = queueGraceS() * 1000) => Math.min(10_000, Math.floor(graceMs / 4));

let log: (line: string) => void = (line) => process.stderr.write(`sandtable queue: ${line}\n`);
/** Where removals and dropped jobs are reported (the worker prefixes its own lines). */
export function setQueueLog(to: (line: string) => void): void { log = to; }
/** A line where removals are reported (run-beat.ts's failed beats too). */
export const queueLog = (line: string) => log(line);

// Registers (or refreshes) the run and its heartbeat; answers whether someone is removing it.
const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('HSETNX', KEYS[2], 'started_ms', now)
redis.call('HSET', KEYS[2], 'last_beat_ms', now, 'grace_ms', ARGV[2], 'kind', ARGV[4], 'host', ARGV[5], 'pid', ARGV[6])
redis.call('SET', KEYS[3], now, 'PX', ARGV[3])
return redis.call('EXISTS', KEYS[4])`;

// The heartbeat half of BEAT, for a registered run only: one beat landing after the run's last job
// was removed (and its record with it) brings nothing back; nor does one landing while someone
// removes the run (found orphaned) mark it running under the remover.
const REFRESH = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'last_beat_ms', now)
redis.call('SET', KEYS[2], now, 'PX', ARGV[1])
return 1`;

/** One beat of a registered run between registrations (run-beat.ts's timer); answers 1 if it beat. */
export const refreshBeat = (client: Redis, runId: string, periodMs: number) =>
  client.eval(REFRESH, 3, recordKey(runId), heartbeatKey(runId), cleaningKey(runId), String(KEY_LIFE_BEATS * periodMs));

// Forgets removed jobs; a run with none left is finished: nothing of it stays.
const FORGET = `
for i = 1, #ARGV - 1 do redis.call('SREM', KEYS[3], ARGV[i]) end
if redis.call('SCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
  redis.call('SREM', KEYS[1], ARGV[#ARGV])
end
return 0`;

const STATE = `
local t = redis.call('TIME')
return { tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), redis.call('EXISTS', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('SCARD', KEYS[3]) }`;

// BullMQ's own lists and sorted sets of job ids, by state (its default key prefix `bull`).
const BULL = `bull:${PREFIX}`;
const ID_LISTS = ['wait', 'active', 'paused'];
const ID_ZSETS = ['completed', 'failed', 'delayed', 'prioritized', 'waiting-children'];

/** Every job id in the queue's state collections, by run: finds jobs no registration knows (an older sandtable's). */
export async function queuedIdsByRun(client: Redis): Promise<Map<string, string[]>> {
  const pipe = client.pipeline();
  for (const name of ID_LISTS) pipe.lrange(`${BULL}:${name}`, 0, -1);
  for (const name of ID_ZSETS) pipe.zrange(`${BULL}:${name}`, 0, -1);
  const byRun = new Map<string, string[]>();
  for (const [error, ids] of (await pipe.exec()) ?? []) {
    if (error) continue; // a key of another type than BullMQ's: not ours to read
    for (const id of ids as string[]) {
      const runId = runOfJobId(id);
      if (RUN_ID_FORM.test(runId)) addTo(byRun, runId, id);
    }
  }
  return byRun;
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type RunState = 'running' | 'silent' | 'orphaned' | 'unregistered';

export interface RunStatus {
  run_id: string;
  /** running: heartbeat live; silent: coordinator gone, still inside its grace (a restart resumes); orphaned: past it. */
  state: RunState;
  kind?: string; host?: string; pid?: number;
  started?: string; last_beat?: string;
  silent_s?: number; grace_s?: number;
  jobs: number;
}

export async function runStatus(client: Redis, runId: string): Promise<RunStatus> {
  const [now, beating, flat, jobs] = await client.eval(STATE, 3, heartbeatKey(runId), recordKey(runId), jobsKey(runId)) as [number, number, string[], number];
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  if (record.last_beat_ms === undefined) return { run_id: runId, state: beating ? 'running' : 'unregistered', jobs };
  const silentMs = Math.max(0, now - Number(record.last_beat_ms));
  const graceMs = Number(record.grace_ms);
  return {
    run_id: runId,
    state: beating ? 'running' : silentMs > graceMs ? 'orphaned' : 'silent',
    kind: record.kind, host: record.host, pid: Number(record.pid),
    started: new Date(Number(record.started_ms)).toISOString(), last_beat: new Date(Number(record.last_beat_ms)).toISOString(),
    silent_s: beating ? 0 : Math.floor(silentMs / 1000), grace_s: graceMs / 1000, jobs,
  };
}

/** Whether workers may no longer start the run's jobs. */
export const isOrphaned = (status: RunStatus) => status.state === 'orphaned' || status.state === 'unregistered';

/** Why a run counts as orphaned, for log lines. */
export function orphanReason(status: RunStatus): string {
  if (status.state === 'unregistered') return 'it is not registered on this queue (removed by hand, or queued by an older sandtable)';
  return `its coordinator (${status.host} pid ${status.pid}) has been silent for ${status.silent_s} s, longer than the run's grace of ${status.grace_s} s`;
}

const sweptUrls = new Set<string>();

/**
 * A coordinator's registration of its run, before its first job is added, and its job ids, recorded
 * so that anyone can remove them. Its heartbeat from then on is holdRunBeat's (run-beat.ts).
 */
export class RunRegistration {
  private readonly graceMs = queueGraceS() * 1000;

  constructor(private readonly client: Redis, private readonly queue: Queue, readonly runId: string, private readonly kind: string, private readonly url: string) {}

  /** Removes the queue's orphaned runs (once per process and queue), then registers this one. */
  async start(): Promise<void> {
    if (!sweptUrls.has(this.url)) {
      sweptUrls.add(this.url);
      await sweepOrphans(this.client, this.queue);
    }
    // Someone removing this run (it was orphaned) finishes first; the jobs are then added afresh.
    for (let waited = false; await this.beatNow(); waited = true) {
      if (!waited) log(`run ${this.runId} is being removed as orphaned by another process: waiting, then queueing its jobs afresh`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Records the ids before the jobs exist: a job is never in Redis without its run knowing it. */
  async addJobIds(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 10_000) await this.client.sadd(jobsKey(this.runId), ...ids.slice(i, i + 10_000));
  }

  private async beatNow(): Promise<boolean> {
    const cleaning = await this.client.eval(BEAT, 4, INDEX, recordKey(this.runId), heartbeatKey(this.runId), cleaningKey(this.runId),
      this.runId, String(this.graceMs), String(KEY_LIFE_BEATS * beatMs(this.graceMs)), this.kind, hostname(), String(process.pid));
    return cleaning === 1;
  }
}

/** Appends in place: copying the run's list per id made grouping a 100 000-member run's ids quadratic (≈ a minute). */
function addTo(byRun: Map<string, string[]>, runId: string, id: string): void {
  const list = byRun.get(runId);
  if (list) list.push(id);
  else byRun.set(runId, [id]);
}

/** Forgets jobs that are gone from the queue; the run's record goes with its last job. */
export async function forgetJobs(client: Redis, ids: readonly string[]): Promise<void> {
  const byRun = new Map<string, string[]>();
  for (const id of ids) addTo(byRun, runOfJobId(id), id);
  for (const [runId, runIds] of byRun) {
    for (let i = 0; i < runIds.length; i += 5000) {
      const part = runIds.slice(i, i + 5000);
      await client.eval(FORGET, 4, INDEX, recordKey(runId), jobsKey(runId), heartbeatKey(runId), ...part, runId);
    }
  }
}

/** Removes jobs by id, `concurrency` at a time; answers the ids removed or already gone (an active job's lock refuses). */
export async function removeJobIds(queue: Queue, ids: readonly string[], onRemoved?: (id: string, state: string) => void): Promise<string[]> {
  const removed: string[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    await Promise.all(ids.slice(i, i + 200).map(async (id) => {
      const state = onRemoved ? await queue.getJobState(id) : '';
      if (await queue.remove(id) !== 1) return;
      removed.push(id);
      onRemoved?.(id, state);
    }));
  }
  return removed;
}

export interface RunRemoval {
  run_id: string;
  /** Jobs removed, by the state they were in (their results, for completed ones, with them). */
  removed: Record<string, number>;
  /** Jobs a worker is running now: removed by the next sweep once they end. */
  active_left: number;
}

/**
 * Removes a run's jobs and, once none is left, its record. `onlyIfOrphaned`: checked under the
 * run's cleaning lock, against a coordinator that restarts meanwhile (it waits for the lock). Answers
 * undefined when the run is not removable now (live, or another process is removing it).
 */
export async function removeRun(client: Redis, queue: Queue, runId: string, { onlyIf, extraIds = [] }: { onlyIf: (status: RunStatus) => boolean; extraIds?: readonly string[] }): Promise<RunRemoval | undefined> {
  const token = `${hostname()}:${process.pid}:${Date.now()}`;
  if (await client.set(cleaningKey(runId), token, 'PX', 600_000, 'NX') !== 'OK') return undefined;
  try {
    const status = await runStatus(client, runId);
    if (!onlyIf(status)) return undefined;
    const unknown = status.state === 'unregistered' ? (await queuedIdsByRun(client)).get(runId) ?? [] : [];
    const ids = [...new Set([...await client.smembers(jobsKey(runId)), ...extraIds, ...unknown])];
    const removed: Record<string, number> = {};
    const gone = await removeJobIds(queue, ids, (_, state) => { if (state !== 'unknown') removed[state] = (removed[state] ?? 0) + 1; });
    await forgetJobs(client, gone);
    if (gone.length === ids.length) {
      // Nothing of the run left (a run with no jobs recorded included).
      await client.multi().del(recordKey(runId), jobsKey(runId), heartbeatKey(runId)).srem(INDEX, runId).exec();
    }
    return { run_id: runId, removed, active_left: ids.length - gone.length };
  } finally {
    await client.eval(RELEASE, 1, cleaningKey(runId), token);
  }
}

export function describeRemoval(r: RunRemoval): string {
  const states = Object.entries(r.removed).sort(([a], [b]) => a.localeCompare(b));
  const total = states.reduce((n, [, k]) => n + k, 0);
  const parts = states.map(([state, k]) => `${k} ${state}`).join(', ');
  return `${total} job${total === 1 ? '' : 's'}${parts ? ` (${parts})` : ''}${r.active_left ? `; ${r.active_left} active left until they end` : ''}`;
}

/** Every registered run, oldest first; then, with `unregistered`, runs whose jobs no registration knows. */
export async function listRuns(client: Redis, { unregistered = false } = {}): Promise<RunStatus[]> {
  const ids = (await client.smembers(INDEX)).sort();
  const runs = await Promise.all(ids.map((id) => runStatus(client, id)));
  runs.sort((a, b) => (a.started ?? '').localeCompare(b.started ?? '') || a.run_id.localeCompare(b.run_id));
  if (!unregistered) return runs;
  const known = new Set(ids);
  const others = [...(await queuedIdsByRun(client))].filter(([id]) => !known.has(id)).sort(([a], [b]) => a.localeCompare(b));
  return [...runs, ...others.map(([run_id, jobIds]) => ({ run_id, state: 'unregistered' as const, jobs: jobIds.length }))];
}

/** Removes every orphaned run of the queue, logging what each held. */
export async function sweepOrphans(client: Redis, queue: Queue): Promise<RunRemoval[]> {
  const removals: RunRemoval[] = [];
  for (const status of await listRuns(client)) {
    if (!isOrphaned(status)) continue;
    const removal = await removeRun(client, queue, status.run_id, { onlyIf: isOrphaned });
    if (!removal) continue;
    log(`removed orphaned run ${status.run_id}${status.kind ? ` (${status.kind}s)` : ''}: ${orphanReason(status)}; ${describeRemoval(removal)}`);
    removals.push(removal);
  }
  return removals;
}
