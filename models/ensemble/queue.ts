// Members on BullMQ (Redis): the coordinator enqueues one job per member with the id
// `<run id>-<index>` (adding an existing id is a no-op, so a restarted coordinator re-adds the same
// jobs and finds the finished ones done), and `sandtable worker --queue URL` processes them
// anywhere the scenario's files are at the same path. A job's result is its return value, keyed
// by its index: a retried or stalled-and-rerun job still yields one result per index, and the
// reduce (reduce.ts) is the local pool's, so the products are the same bytes.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { InputError } from '../errors.ts';
import { cpuPartsWanted, processCpuS, threadCpuS } from './cpu-parts.ts';
import { Redis } from 'ioredis';
import type { ContextOptions, MemberResult } from './member.ts';
import { MemberThread } from './pool.ts';
import { TileJobs, type TileJob, type TileJobResult } from './tile-queue.ts';
import { describeRemoval, forgetJobs, isOrphaned, listRuns, onceOnRedis, orphanReason, removeJobIds, removeRun, runOfJobId, runStatus, RunRegistration, setQueueLog, sweepOrphans, type RunRemoval, type RunStatus } from './queue-runs.ts';
import { withoutCredentials } from '../redact.ts';
import { holdRunBeat, type RunBeatHold } from './run-beat.ts';

export const QUEUE_NAME = 'sandtable-ensemble';

export interface MemberJob { runId: string; index: number; raw: Record<string, unknown>; scenarioDir: string; options: ContextOptions }

/**
 * How long a job's lock holds without renewal (ms). A member runs inside the worker's event loop
 * and can hold it for seconds, so the lock must outlast the longest member; a worker killed
 * mid-member loses its jobs back to the queue after this long (SANDTABLE_QUEUE_LOCK_MS shortens it).
 */
function lockMs(): number {
  const env = Number(process.env.SANDTABLE_QUEUE_LOCK_MS);
  return Number.isInteger(env) && env >= 1000 ? env : 60_000;
}

/**
 * A fresh client per BullMQ object (BullMQ duplicates it for its blocking connection). BullMQ's
 * workers need `maxRetriesPerRequest: null`: a blocking wait must outlive a reconnect.
 */
const connection = (url: string) => new Redis(url, { maxRetriesPerRequest: null });

/** Why the Redis at `url` does not answer a PING within `timeoutMs`, or undefined when it does: one attempt, as an unreachable queue is the user's to fix, said at once. */
const checkReachable = (url: string, timeoutMs = 5000) => onceOnRedis(url, timeoutMs, (client) => client.ping());

export interface QueueRunOptions {
  url: string;
  runId: string;
  raw: Record<string, unknown>;
  scenarioDir: string;
  options: ContextOptions;
  indices: readonly number[];
  onResult?: (result: MemberResult) => void;
  /** How often the coordinator looks for finished members (ms). */
  pollMs?: number;
}

/** The longest the coordinator goes without fetching every unfinished job (ms). */
const FULL_LOOK_MS = 5000;

export const jobId = (runId: string, index: number) => `${runId}-${index}`;

/** Every job's options, whoever adds it first (a coordinator may add some early, then collectOnQueue re-adds all: a no-op for those). */
export const jobOptions = (id: string) => ({ jobId: id, attempts: 3, backoff: { type: 'fixed' as const, delay: 1000 }, removeOnComplete: false, removeOnFail: false });

/** Registers the run (the queue's orphans removed first) before its first job exists, and keeps it beating from then on, whatever this process does. */
async function startRun(client: Redis, queue: Queue, runId: string, kind: string, url: string): Promise<{ registration: RunRegistration; beat: RunBeatHold }> {
  const registration = new RunRegistration(client, queue, runId, kind, url);
  await registration.start();
  return { registration, beat: holdRunBeat(url, runId) };
}

/** A queue to add jobs to one by one, as their inputs become ready, before collectOnQueue waits for them all. */
export async function openQueue(url: string): Promise<{ add(name: string, id: string, data: unknown): Promise<void>; close(): Promise<void> }> {
  await requireReachable(url);
  const client = connection(url);
  const queue = new Queue(QUEUE_NAME, { connection: client });
  queue.on('error', () => undefined);
  const runs = new Map<string, { registration: RunRegistration; beat: RunBeatHold }>();
  return {
    async add(name, id, data) {
      const runId = runOfJobId(id);
      let run = runs.get(runId);
      if (!run) {
        run = await startRun(client, queue, runId, name, url);
        runs.set(runId, run);
      }
      await run.registration.addJobIds([id]);
      await queue.add(name, data, jobOptions(id));
    },
    async close() {
      for (const run of runs.values()) await run.beat.release();
      await queue.close();
      await client.quit();
    },
  };
}

/** The queue's Redis answers, or an input error at `--queue` (a wrong host or port is the user's to fix). */
export async function requireReachable(url: string): Promise<void> {
  const problem = await checkReachable(url);
  if (problem) throw InputError.single('--queue', `cannot be reached (${problem})`, withoutCredentials(url), 'a running Redis server at that address');
}

export async function runOnQueue({ url, runId, raw, scenarioDir, options, indices, onResult, pollMs = 250 }: QueueRunOptions): Promise<MemberResult[]> {
  return collectOnQueue<MemberJob, MemberResult>(url, indices.map((index) => ({ name: 'member', id: jobId(runId, index), index, data: { runId, index, raw, scenarioDir, options } })), onResult, pollMs);
}

export interface CollectOptions {
  /**
   * Leave the finished jobs in Redis (the caller removes them with removeJobs): a coordinator whose
   * run goes on after this collect (a grid ensemble's reruns) finds them done when restarted.
   */
  keepJobs?: boolean;
}

/** Removes jobs by id (those already gone are skipped): a caller that kept its jobs, once its products are written. */
export async function removeJobs(url: string, ids: readonly string[]): Promise<void> {
  const client = connection(url);
  const queue = new Queue(QUEUE_NAME, { connection: client });
  queue.on('error', () => undefined);
  try {
    await forgetJobs(client, await removeJobIds(queue, ids));
  } finally {
    await queue.close();
    await client.quit();
  }
}

/**
 * Adds the jobs (an id already there is a no-op: a restarted coordinator re-adds the same ids) and
 * polls until every one has a result, which it returns keyed by nothing but the job: retried or
 * stalled-and-rerun jobs still give one result per index.
 */
export async function collectOnQueue<D, R>(url: string, jobs: readonly { name: string; id: string; index: number; data: D }[], onResult?: (result: R) => void, pollMs = 250, { keepJobs = false }: CollectOptions = {}): Promise<R[]> {
  if (!jobs.length) return [];
  await requireReachable(url);
  const client = connection(url);
  const queue = new Queue<D, R>(QUEUE_NAME, { connection: client });
  // A connection lost mid-run ends in the polling loop's error; no stack traces on stderr meanwhile.
  queue.on('error', () => undefined);
  let beat: RunBeatHold | undefined;
  try {
    await queue.waitUntilReady();
    const run = await startRun(client, queue as unknown as Queue, runOfJobId(jobs[0].id), jobs[0].name, url);
    beat = run.beat;
    await run.registration.addJobIds(jobs.map((job) => job.id));
    // Queue's generics type `name` too narrowly for a caller-chosen string.
    await (queue as unknown as Queue).addBulk(jobs.map((job) => ({
      name: job.name, data: job.data,
      opts: jobOptions(job.id),
    })));
    const results = new Map<number, R>();
    const retried = new Set<number>();
    // Fetching every unfinished job each poll cost the coordinator and Redis CPU in proportion to
    // members × run time, taken from the workers' cores; the queue's two counters say when a job
    // has finished or failed since the last look (the first look always fetches: a restarted
    // coordinator finds finished jobs), and a full look every few seconds still notices jobs gone.
    let lastCounts = '';
    let lastFullLook = 0;
    while (results.size < jobs.length) {
      const counts = JSON.stringify(await queue.getJobCounts('completed', 'failed'));
      if (counts === lastCounts && Date.now() - lastFullLook < FULL_LOOK_MS) { await new Promise((r) => setTimeout(r, pollMs)); continue; }
      lastCounts = counts;
      lastFullLook = Date.now();
      for (const { id, index } of jobs) {
        if (results.has(index)) continue;
        const job = await queue.getJob(id);
        if (!job) throw new Error(`queue job ${id} disappeared: its run was removed while it went on (by hand with \`sandtable worker --remove-run\`, or as orphaned after its coordinator was silent for longer than its grace), or the queue was emptied`);
        if (job.finishedOn !== undefined && job.failedReason === undefined && job.returnvalue) {
          results.set(index, job.returnvalue);
          onResult?.(job.returnvalue);
        } else if (await job.isFailed()) {
          // A failure left from an earlier coordinator gets one more round of attempts; a second is real.
          if (retried.has(index)) throw new Error(`${job.name} ${index} failed on the queue: ${job.failedReason}`);
          retried.add(index);
          await job.retry('failed');
        }
      }
      if (results.size < jobs.length) await new Promise((r) => setTimeout(r, pollMs));
    }
    // The results are in hand: the jobs are no longer needed in Redis (unless the caller needs them past a restart).
    // The beat stops first: the run's record goes with its last job.
    await beat.release();
    if (!keepJobs) await forgetJobs(client, await removeJobIds(queue as unknown as Queue, jobs.map((job) => job.id)));
    return [...results.values()];
  } finally {
    await beat?.release();
    await queue.close();
    await client.quit();
  }
}

/** How often an idle worker looks for runs orphaned since it started (ms). */
const SWEEP_MS = 60_000;

/** A job of an orphaned run, failed on purpose so that no worker runs it; its run is then removed. */
class OrphanedJob extends UnrecoverableError {}

/** `sandtable worker --queue URL`: processes members until SIGINT/SIGTERM; one member at a time. */
export async function startQueueWorker(url: string, log: (line: string) => void = () => undefined): Promise<{ close(): Promise<void>; worker: Worker }> {
  // A worker keeps the last run's thread (region loaded, kernels warm): members of one run share it.
  let cached: { runId: string; thread: MemberThread } | undefined;
  await requireReachable(url);
  setQueueLog(log);
  const client = connection(url);
  // Its own client for the runs' bookkeeping, so a long sweep never waits behind the worker's commands.
  const admin = connection(url);
  const adminQueue = new Queue(QUEUE_NAME, { connection: admin });
  adminQueue.on('error', () => undefined);
  // Orphans go before the first job is taken: none of their jobs is started.
  await sweepOrphans(admin, adminQueue);
  let sweeping = Promise.resolve();
  const sweep = () => { sweeping = sweeping.then(() => sweepOrphans(admin, adminQueue)).then(() => undefined, (error: Error) => log(`queue error while removing orphaned runs: ${error.message}`)); };
  const sweeper = setInterval(sweep, SWEEP_MS);
  sweeper.unref();
  const tiles = new TileJobs(log);
  const droppedRuns = new Set<string>();
  // Dropped jobs waiting for their run's removal, by run: one removal takes all those failed before it starts.
  const droppedJobs = new Map<string, string[]>();
  // The worker's CPU from here on is what the queue and its members cost (bench.ts --parts cpu).
  const readyCpu = { main: threadCpuS(), process: processCpuS() };
  const worker = new Worker<MemberJob | TileJob, MemberResult | TileJobResult>(QUEUE_NAME, async (job: Job<MemberJob | TileJob>) => {
    const status = await runStatus(admin, job.data.runId);
    if (isOrphaned(status)) {
      // Said once per run: a large orphan's jobs may keep coming while its removal goes on.
      if (!droppedRuns.has(job.data.runId)) log(`dropping ${job.name} ${job.data.index} of run ${job.data.runId}, not started: ${orphanReason(status)}${status.jobs > 1 ? ` (and its other jobs, unlogged)` : ''}`);
      droppedRuns.add(job.data.runId);
      throw new OrphanedJob(`run ${job.data.runId} is orphaned`);
    }
    if (job.name === 'tile') return tiles.run(job.data as TileJob, job.timestamp);
    const { runId, index, raw, scenarioDir, options } = job.data as MemberJob;
    log(`running member ${index} of run ${runId}`);
    if (cached?.runId !== runId) {
      await cached?.thread.terminate();
      cached = { runId, thread: new MemberThread(raw, scenarioDir, options) };
    }
    const result = await cached.thread.run(index);
    log(`finished member ${index} of run ${runId}${result.problem ? ` (bad: ${result.problem})` : ''}`);
    if (cpuPartsWanted()) log(`cpu-parts ${JSON.stringify({ member: index, thread: cached.thread.cpu, main_thread_since_ready_s: threadCpuS() - readyCpu.main, process_since_ready_s: processCpuS() - readyCpu.process })}`);
    return result;
  }, { connection: client, concurrency: 1, lockDuration: lockMs(), stalledInterval: Math.max(1000, Math.floor(lockMs() / 2)), maxStalledCount: 10 });
  worker.on('failed', (job, error) => {
    if (!(error instanceof OrphanedJob)) return log(`${job?.name ?? 'job'} ${job?.data.index} failed: ${error.message}`);
    // The dropped job is out of its lock now: it goes with the rest of its run.
    const runId = job!.data.runId;
    const pending = droppedJobs.get(runId);
    if (pending) return void pending.push(job!.id!);
    droppedJobs.set(runId, [job!.id!]);
    sweeping = sweeping.then(async () => {
      const extraIds = droppedJobs.get(runId)!;
      droppedJobs.delete(runId);
      const status = await runStatus(admin, runId);
      const removal = await removeRun(admin, adminQueue, runId, { onlyIf: isOrphaned, extraIds });
      if (removal) log(`removed orphaned run ${runId}: ${orphanReason(status)}; ${describeRemoval(removal)}`);
    }).catch((e: Error) => log(`queue error while removing orphaned run ${runId}: ${e.message}`));
  });
  worker.on('error', (error) => log(`queue error: ${error.message}`));
  await worker.waitUntilReady();
  // Node's start, the modules and the Redis connection: paid once per worker process, before any job.
  if (cpuPartsWanted()) log(`cpu-parts ${JSON.stringify({ ready: { process_s: processCpuS(), main_thread_s: threadCpuS(), uptime_s: process.uptime() } })}`);
  return {
    worker,
    close: async () => {
      clearInterval(sweeper);
      await worker.close();
      await sweeping;
      await cached?.thread.terminate(); await tiles.close();
      await adminQueue.close(); await admin.quit(); await client.quit();
    },
  };
}

/** The queue's runs for an operator (`sandtable worker --list-runs / --remove-run`): one connection, closed after. */
export async function withRuns<T>(url: string, use: (runs: {
  list(): Promise<RunStatus[]>;
  status(runId: string): Promise<RunStatus>;
  remove(runId: string): Promise<(RunRemoval & { summary: string }) | undefined>;
}) => Promise<T>): Promise<T> {
  await requireReachable(url);
  const client = connection(url);
  const queue = new Queue(QUEUE_NAME, { connection: client });
  queue.on('error', () => undefined);
  try {
    return await use({
      list: () => listRuns(client, { unregistered: true }),
      status: (runId) => runStatus(client, runId),
      async remove(runId) {
        const removal = await removeRun(client, queue, runId, { onlyIf: (status) => status.state !== 'running' });
        return removal && { ...removal, summary: describeRemoval(removal) };
      },
    });
  } finally {
    await queue.close();
    await client.quit();
  }
}
