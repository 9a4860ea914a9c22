// CPU accounting for the ensemble's scaling work (benchmarks/ensemble/bench.ts --parts cpu): wall
// clocks mean nothing on a shared machine, CPU seconds per thread do. Linux gives a thread's own
// CPU in /proc/thread-self/stat (Node 20 has no process.threadCpuUsage); elsewhere the process's.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { PoolCpu } from './pool.ts';

const TICKS_PER_S = 100; // USER_HZ: the kernel reports utime/stime in 1/100 s on every Linux port

/** CPU seconds (user + system) the calling thread has used so far. */
export function threadCpuS(): number {
  try {
    // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return processCpuS();
  }
}

/** CPU seconds of the whole process: every thread, the GC's and the wasm compiler's included. */
export function processCpuS(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Set SANDTABLE_CPU_PARTS=1 and the ensemble command and queue workers report their CPU per part on stderr. */
export const cpuPartsWanted = () => Boolean(process.env.SANDTABLE_CPU_PARTS);

/** A stopwatch over the calling thread's CPU: `lap(name)` adds the CPU since the last lap to `name`. */
export class CpuLaps {
  readonly parts: Record<string, number> = {};
  private last: number;
  /** `from`: the thread's CPU at the start of the first lap (0: since the thread began). */
  constructor(from = threadCpuS()) { this.last = from; }
  lap(name: string): void {
    const now = threadCpuS();
    this.parts[name] = (this.parts[name] ?? 0) + (now - this.last);
    this.last = now;
  }
}

/** What a pool thread spent before its first member: Node's own start, loading the code, the shared inputs. */
export interface WorkerStartCpu { tid: number; boot_s: number; modules_s: number; context_s: number }

/** This thread's Linux id (its /proc/self/task entry), or -1 elsewhere. */
export function threadId(): number {
  try { return Number(readlinkSync('/proc/thread-self').split('/').at(-1)); } catch { return -1; }
}

/**
 * CPU seconds of every live thread of this process by Linux thread id (Node names them all
 * "node"): the main thread's id is the process id, pool threads report theirs, the rest are V8's
 * helpers (garbage collector, compiler) and libuv's pool. Linux only; empty elsewhere.
 */
export function cpuByThread(): Record<number, number> {
  const out: Record<number, number> = {};
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      out[Number(tid)] = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
    }
  } catch { /* not Linux: the per-thread view is a nicety */ }
  return out;
}

/** A cpuByThread() snapshot split into the main thread, the given pool threads and everything else. */
export function splitThreads(threads: Record<number, number>, poolTids: readonly number[]): { main_s: number; pool_s: number; helpers_s: number } {
  let main = 0; let pool = 0; let helpers = 0;
  for (const [tid, s] of Object.entries(threads)) {
    if (Number(tid) === process.pid) main += s;
    else if (poolTids.includes(Number(tid))) pool += s;
    else helpers += s;
  }
  const round = (x: number) => Number(x.toFixed(2));
  return { main_s: round(main), pool_s: round(pool), helpers_s: round(helpers) };
}

/** The coordinator's `cpu-parts` line: its own laps, the process's CPU, the pool threads' accounts. */
export function cpuPartsReport(coordinator: Record<string, number>, wallS: number, pool?: PoolCpu): Record<string, unknown> {
  const tids = pool?.starts.map((s) => s.tid) ?? [];
  const atReady = pool?.threadsAtReady && splitThreads(pool.threadsAtReady, tids);
  const atEnd = pool?.threads && splitThreads(pool.threads, tids);
  const round = (x: number) => Number(x.toFixed(2));
  return {
    coordinator_s: Object.fromEntries(Object.entries(coordinator).map(([k, v]) => [k, round(v)])),
    process_cpu_s: round(processCpuS()), wall_s: round(wallS),
    // V8's helper threads while members ran (JavaScript recompiled on-stack each member, garbage collection): they compete with the workers for cores.
    helpers_during_members_s: atReady && atEnd ? round(atEnd.helpers_s - atReady.helpers_s) : undefined,
    helpers_at_each_result_s: pool?.helpersAtResult,
    threads_at_pool_end: atEnd,
    workers: pool && { starts: pool.starts, members: pool.members },
  };
}
