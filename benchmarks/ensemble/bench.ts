// Ensemble throughput (a benchmark, not a test): run with
//   node --import tsx benchmarks/ensemble/bench.ts [--members 100] [--scaling-members 20] [--fire-members 20]
//     [--parts single,pool,scaling,queue,fire,cpu]   (default: all but queue and cpu; --queue adds it) [--scenario FILE]
//     [--cpu-members 4]
// It times, through the CLI as users run it: one `sandtable run` of the 72-hour storm; 100 members
// of it on the local pool (all cores); 1 vs 2 local workers; 1 vs 2 queue workers on a Redis it
// starts itself (--queue); and fire burn-probability members per second. Prints one JSON document.
// `--parts cpu` measures CPU seconds per part instead of wall time (meaningful on a shared machine):
// a few members on 2 local threads and on 2 queue workers, and the 1-vs-2 speedup they predict for
// --scaling-members members (cpu-breakdown.ts).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../test/services/redis.ts';
import { localCpu, queueCpu } from './cpu-breakdown.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/sandtable.js');
const scenarioArg = process.argv.indexOf('--scenario');
// --scenario FILE swaps the 72-hour storm for another (a short storm for a quick scaling check).
const storm = scenarioArg > 0 ? process.argv[scenarioArg + 1] : join(root, 'scenarios/mountain-city/storm-72h.json');
const fire = join(root, 'scenarios/mountain-city/fire-summer.json');
const arg = (name: string, fallback: number) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? Number(process.argv[k + 1]) : fallback; };
const work = mkdtempSync(join(tmpdir(), 'sandtable-ensemble-bench-'));
let outs = 0;

function timed(args: string[]): { wallS: number; summary: Record<string, unknown> } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`sandtable ${args.join(' ')} failed: ${r.stderr}`);
  return { wallS: (performance.now() - start) / 1000, summary: JSON.parse(r.stdout) };
}

function ensemble(scenario: string, members: number, extra: string[]) {
  const { wallS, summary } = timed(['ensemble', scenario, '--members', String(members), '--out', join(work, `out-${outs++}`), ...extra]);
  return { members, wall_s: Number(wallS.toFixed(2)), members_per_s: Number((members / wallS).toFixed(3)), s_per_member: Number((wallS / members).toFixed(3)), products_sha256: summary.products_sha256, bad_members: summary.bad_members };
}

async function queueEnsemble(scenario: string, members: number, workers: number) {
  const redis = await startRedis();
  const procs = Array.from({ length: workers }, () => spawn(process.execPath, [cli, 'worker', '--queue', redis.url], { stdio: 'ignore' }));
  try {
    return ensemble(scenario, members, ['--queue', redis.url]);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    await redis.stop();
  }
}

const members = arg('members', 100);
const scalingMembers = arg('scaling-members', 20);
const fireMembers = arg('fire-members', 20);
const partsArg = process.argv.indexOf('--parts');
const parts = new Set(partsArg > 0 ? process.argv[partsArg + 1].split(',') : ['single', 'pool', 'scaling', 'fire', ...(process.argv.includes('--queue') ? ['queue'] : [])]);
const report: Record<string, unknown> = { machine: { cores: availableParallelism(), loadavg_at_start: loadavg().map((l) => Number(l.toFixed(2))), node: process.version } };
try {
  const single = parts.has('single') || parts.has('pool') ? timed(['run', storm]) : undefined;
  if (single) report.single_run_storm_72h_s = Number(single.wallS.toFixed(2));
  if (parts.has('pool')) {
    const pool = ensemble(storm, members, []);
    report.storm_72h_local_pool = { ...pool, workers: availableParallelism(), per_member_vs_single_run: Number((pool.s_per_member / single!.wallS).toFixed(3)) };
  }
  if (parts.has('scaling')) {
    const one = ensemble(storm, scalingMembers, ['--workers', '1']);
    const two = ensemble(storm, scalingMembers, ['--workers', '2']);
    report.local_scaling = { one_worker: one, two_workers: two, speedup: Number((one.wall_s / two.wall_s).toFixed(2)), identical_products: one.products_sha256 === two.products_sha256 };
  }
  if (parts.has('queue')) {
    const q1 = await queueEnsemble(storm, scalingMembers, 1);
    const q2 = await queueEnsemble(storm, scalingMembers, 2);
    report.queue_scaling = { one_worker: q1, two_workers: q2, speedup: Number((q1.wall_s / q2.wall_s).toFixed(2)), identical_products: q1.products_sha256 === q2.products_sha256 };
  }
  if (parts.has('cpu')) {
    const cpuMembers = arg('cpu-members', 4);
    const local = await localCpu(cli, storm, cpuMembers, join(work, `out-${outs++}`), scalingMembers);
    report.cpu_local = local;
    report.cpu_queue = await queueCpu(cli, storm, cpuMembers, join(work, `out-${outs++}`), scalingMembers, local.per_part_cpu_s.helpers_per_member);
  }
  if (parts.has('fire')) report.fire_burn_probability = ensemble(fire, fireMembers, []);
  report.machine = { ...(report.machine as object), loadavg_at_end: loadavg().map((l) => Number(l.toFixed(2))) };
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
