// The CPU accounts the scaling work rests on (models/ensemble/cpu-parts.ts): a thread's CPU read
// from /proc/thread-self is that thread's alone, so a busy worker thread's seconds show under its
// own id and not under the main thread's (process.cpuUsage would mix them).
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { cpuByThread, splitThreads, threadCpuS } from '../../models/ensemble/cpu-parts.ts';

// Spins until its own thread has used 0.3 s of CPU (utime + stime in /proc/thread-self/stat), then reports its id.
const BUSY = `
const { readFileSync, readlinkSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');
const cpu = () => { const s = readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(') ') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const start = cpu(); let x = 0;
while (cpu() - start < 0.3) for (let i = 0; i < 1e6; i++) x += i;
parentPort.postMessage({ tid: Number(readlinkSync('/proc/thread-self').split('/').at(-1)), x });
setInterval(() => {}, 1000);
`;

describe('per-thread CPU accounts', () => {
  it.runIf(process.platform === 'linux')('put a busy worker thread\'s CPU under its own thread id, not the main thread\'s', async () => {
    const mainBefore = threadCpuS();
    const worker = new Worker(BUSY, { eval: true });
    const { tid } = await new Promise<{ tid: number }>((resolve) => worker.once('message', resolve));
    const threads = cpuByThread();
    await worker.terminate();
    expect(threads[tid]).toBeGreaterThanOrEqual(0.3);
    expect(threadCpuS() - mainBefore).toBeLessThan(0.25); // the main thread only waited
    const split = splitThreads(threads, [tid]);
    expect(split.pool_s).toBe(Number(threads[tid].toFixed(2)));
    expect(split.main_s).toBe(Number(threads[process.pid].toFixed(2)));
  }, 30_000);
});
