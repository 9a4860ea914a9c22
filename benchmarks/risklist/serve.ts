// Load on the live risk list (`risklist serve`), not a test: a city-sized list (520 000 items by
// default: the 11 shipped categories plus the city's own), the service in this process on the
// wall clock, and a load generator in a child process posting readings over HTTP at a fixed rate
// (or as fast as answered: --rate 0) and timing, on the SSE feed, how long a reading takes to
// become a level change. The generator is a process of its own so that the CPU time this process
// spends (and PostgreSQL's server processes) divided by the readings is the service's cost per
// reading, whatever else the machine runs.
//   node --import tsx benchmarks/risklist/serve.ts [--items N] [--rate R] [--duration S]
//        [--batch B] [--concurrency C] [--lateness S] [--database postgres://… | --postgres]
//        [--snapshot-every N]
// Restart times with and without a snapshot: benchmarks/risklist/serve-restart.ts.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityList } from './city-list.ts';

interface Load { url: string; token: string; items: number; rate: number; durationS: number; batch: number; concurrency: number; spikeShare: number }

const arg = (name: string, fallback: number | string) => {
  const k = process.argv.indexOf(`--${name}`);
  return k === -1 ? fallback : typeof fallback === 'number' ? Number(process.argv[k + 1]) : process.argv[k + 1];
};
const quantile = (xs: number[], q: number) => { const s = xs.slice().sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };

async function generate(load: Load) {
  const { url, token, rate, durationS, batch, concurrency } = load;
  const { factors } = cityList(load.items);
  const ackMs: number[] = [];
  const changeMs: number[] = [];
  let sent = 0, accepted = 0, rejected = 0, overloaded = 0, inFlight = 0;
  const errors = new Map<string, number>();
  const controller = new AbortController();
  // Reading → change latency: a sensor change happens at its reading's time (t_s, Unix seconds).
  void fetch(`${url}/v1/changes/stream?after=0`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal }).then(async (res) => {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) !== -1) {
        const event = text.slice(0, end);
        text = text.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (data) { const c = JSON.parse(data) as { t_s: number; reason: { rule: string } }; if (c.reason.rule === 'sensor') changeMs.push(Date.now() - c.t_s * 1000); }
      }
    }
  }).catch(() => {});
  let k = 0;
  const post = async () => {
    const body = [];
    const t_s = Date.now() / 1000;
    for (let j = 0; j < batch; j++) {
      const f = factors[(k++ * 7919) % factors.length];
      body.push({ item: f.item, factor: f.factor, value: Math.random() < load.spikeShare ? f.spike : f.quiet, t_s });
    }
    inFlight++;
    sent += batch;
    const started = performance.now();
    try {
      const res = await fetch(`${url}/v1/readings`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const r = await res.json() as { accepted: number; rejected: { error: string }[] };
      ackMs.push(performance.now() - started);
      accepted += r.accepted ?? 0;
      rejected += r.rejected?.length ?? 0;
      for (const e of r.rejected ?? []) { const key = e.error.replace(/^\$\[\d+\][^:]*: /, '').replace(/ \(got.*$/, ''); errors.set(key, (errors.get(key) ?? 0) + 1); }
    } finally {
      inFlight--;
    }
  };
  const start = performance.now();
  const end = start + durationS * 1000;
  if (rate > 0) {
    // Open loop: batches on a fixed schedule whatever the answers; too many outstanding = overloaded.
    const interval = (batch / rate) * 1000;
    for (let next = start; next < end; next += interval) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inFlight >= concurrency) { overloaded += batch; continue; }
      void post();
    }
  } else {
    await Promise.all(Array.from({ length: concurrency }, async () => { while (performance.now() < end) await post(); }));
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 1500));
  controller.abort();
  const seconds = (performance.now() - start) / 1000;
  return {
    offered_per_s: rate || null, sent, accepted, accepted_per_s: Math.round(accepted / Math.min(seconds, durationS)), rejected, not_sent_overloaded: overloaded,
    rejected_reasons: Object.fromEntries(errors),
    ack_ms: { p50: quantile(ackMs, 0.5), p99: quantile(ackMs, 0.99) },
    reading_to_change_ms: { changes: changeMs.length, p50: quantile(changeMs, 0.5), p99: quantile(changeMs, 0.99) },
  };
}

/** CPU seconds (user + system) of a PostgreSQL server's processes: the postmaster and its children, live or exited. */
function postgresCpuS(dataDir: string | undefined): number {
  if (!dataDir || !existsSync(join(dataDir, 'postmaster.pid'))) return NaN;
  const master = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // Fields after the command's closing parenthesis: state ppid … utime (14) stime (15).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // The postmaster's cutime + cstime keep the CPU of backends that already exited.
      if (Number(pid) === master) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      else if (Number(f[1]) === master) ticks += Number(f[11]) + Number(f[12]);
    } catch { /* the process ended meanwhile */ }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

if (process.argv.includes('--generate')) {
  process.once('message', async (load) => {
    process.send!(await generate(load as Load), () => process.exit(0));
  });
} else {
  const { loadServeConfig } = await import('../../models/risklist/serve/config.ts');
  const { startService } = await import('../../models/risklist/serve/start.ts');
  const { loadKernels } = await import('../../models/wasm-node.ts');
  const items = arg('items', 520_000) as number;
  const work = mkdtempSync(join(tmpdir(), 'sandtable-serve-bench-'));
  // --postgres: a throwaway PostgreSQL server (the production database) instead of embedded PGlite.
  const pg = process.argv.includes('--postgres') ? await (await import('../../test/services/postgres.ts')).startPostgres() : undefined;
  const database = pg?.url ?? (arg('database', '') as string);
  const { list, factors } = cityList(items);
  const token = 'bench-gateway-token-0123456789abcdef';
  const serve = {
    clock: 'wall', items: list, database: database || `embedded:${join(work, 'db')}`,
    tokens: [{ token, role: 'operator', id: 'bench' }],
    limits: { requests_per_s: 1e6, burst: 1e6, readings_per_request: 200_000, body_bytes: 64 * 2 ** 20, tick_s: 0.05, lateness_s: arg('lateness', 0.1) },
    // --snapshot-every N: a snapshot of the grading state every N readings during the load (0: none), to time its stall.
    snapshots: (arg('snapshot-every', 0) as number) > 0 ? { every_readings: arg('snapshot-every', 0), every_s: 7 * 86400 } : false,
  };
  const snapshots: unknown[] = [];
  const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  let t = performance.now();
  const running = await startService(loadServeConfig(serve, join(work, 'serve.json')), await loadKernels(), (f) => {
    if (f.msg === 'snapshot writing' || f.msg === 'snapshot written') snapshots.push(f);
  });
  const startupS = (performance.now() - t) / 1000;
  const memory = [rss()];
  const sampler = setInterval(() => memory.push(rss()), 5000);
  t = performance.now();
  const load: Load = {
    url: running.http.url, token, items, rate: arg('rate', 10_000) as number, durationS: arg('duration', 60) as number,
    batch: arg('batch', 500) as number, concurrency: arg('concurrency', 8) as number, spikeShare: 0.01,
  };
  const cpu0 = process.cpuUsage();
  const pgCpu0 = postgresCpuS(pg?.dataDir);
  const result = await new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--generate'], { execArgv: ['--import', 'tsx'] });
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => { if (code !== 0) reject(new Error(`the load generator exited ${code}`)); });
    child.send(load);
  }) as { accepted: number };
  const cpu = process.cpuUsage(cpu0);
  const serviceCpuS = (cpu.user + cpu.system) / 1e6;
  const pgCpuS = postgresCpuS(pg?.dataDir) - pgCpu0;
  clearInterval(sampler);
  const m = running.service.metrics;
  console.log(JSON.stringify({
    items, factors: factors.length, database: running.service.sql.engine, startup_s: Math.round(startupS * 10) / 10, ...(result as object),
    cpu_s: { service: Math.round(serviceCpuS * 10) / 10, postgres: Number.isNaN(pgCpuS) ? null : Math.round(pgCpuS * 10) / 10 },
    cpu_us_per_reading: { service: Math.round((serviceCpuS * 1e6) / Math.max(1, result.accepted)), postgres: Number.isNaN(pgCpuS) ? null : Math.round((pgCpuS * 1e6) / Math.max(1, result.accepted)) },
    load_average: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
    cycles: m.cycles, readings_per_cycle: Math.round(m.readingsStored / Math.max(1, m.cycles)),
    cycle_ms: { p50: m.cycleMs.quantile(0.5), p99: m.cycleMs.quantile(0.99) }, grade_ms: { p50: m.gradeMs.quantile(0.5), p99: m.gradeMs.quantile(0.99) },
    rss_mb: { start: memory[0], end: memory[memory.length - 1], max: Math.max(...memory) },
    snapshots,
  }, null, 1));
  await running.stop();
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
}
