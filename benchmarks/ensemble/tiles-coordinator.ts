// The tiled queue run's coordinator CPU (a benchmark, not a test): run with
//   node --import tsx benchmarks/ensemble/tiles-coordinator.ts [--sides 1225,3163] [--workers 2] [--check]
// For each side it writes the tile benchmark's case (tile-case.ts: side² cells, 5 output grids),
// starts a Redis and `--workers` `sandtable worker` processes, and runs the real CLI coordinator
// `sandtable landslide fs case.json --tile side/4 --queue URL --results DIR --out OUT` with
// SANDTABLE_CPU_PARTS=1: its CPU by part (reading and parsing the case's grids; cutting, queueing,
// reading and stitching the tiles; formatting and writing the output grids) and the whole process's,
// with the workers' CPU (sum of their tiles') beside it. CPU seconds, not wall clocks: the machine is
// shared. `--check` also runs the case undivided (`landslide fs case.json --out`) and reports
// whether every output file is the same bytes. One JSON document on stdout.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../test/services/redis.ts';
import { writeTileBenchCase } from './tile-case.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/sandtable.js');
const arg = (name: string, fallback: string) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? process.argv[k + 1] : fallback; };
const sides = arg('sides', '1225,3163').split(',').map(Number);
const workers = Number(arg('workers', '2'));
const check = process.argv.includes('--check');
const log = (line: string) => process.stderr.write(`tiles-coordinator bench: ${line}\n`);
const round = (x: number) => Number(x.toFixed(2));

interface Ran { code: number | null; stderr: string; wallS: number }
function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  const t = performance.now();
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, wallS: (performance.now() - t) / 1000 })));
}

const cpuLines = (text: string) => text.split('\n').filter((l) => l.includes('cpu-parts ')).map((l) => JSON.parse(l.slice(l.indexOf('cpu-parts ') + 10)) as Record<string, any>);
const fileHashes = (dir: string) => Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.asc')).sort().map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));

const report: Record<string, unknown> = { machine: { cores: availableParallelism(), loadavg_at_start: loadavg().map(round), node: process.version }, workers, runs: [] };
for (const side of sides) {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-tiles-coord-'));
  try {
    const casePath = writeTileBenchCase(work, side);
    const tile = String(Math.ceil(side / 4));
    const redis = await startRedis();
    const env = { ...process.env, SANDTABLE_CPU_PARTS: '1' };
    const procs = Array.from({ length: workers }, () => spawn(process.execPath, [cli, 'worker', '--queue', redis.url], { stdio: ['ignore', 'ignore', 'pipe'], env }));
    const lines = procs.map((p) => { const out = { text: '' }; p.stderr!.setEncoding('utf8').on('data', (d: string) => { out.text += d; }); return out; });
    try {
      const deadline = Date.now() + 60_000;
      while (!lines.every((l) => l.text.includes('waiting for members'))) {
        if (Date.now() > deadline) throw new Error('queue workers not ready after 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const ran = await run(['landslide', 'fs', casePath, '--tile', tile, '--queue', redis.url, '--results', join(work, 'shared'), '--out', join(work, 'queued')], env);
      if (ran.code !== 0) throw new Error(`coordinator exited ${ran.code}: ${ran.stderr}`);
      const coordinator = cpuLines(ran.stderr).find((p) => 'coordinator' in p)!.coordinator;
      const workerTiles = lines.map((l) => cpuLines(l.text).filter((p) => 'tile' in p));
      const row: Record<string, unknown> = {
        side, cells: side * side, tile: `${tile}x${tile}`, tiles: Math.ceil(side / Number(tile)) ** 2,
        coordinator_cpu_s: { ...Object.fromEntries(Object.entries(coordinator.main_s as Record<string, number>).map(([k, v]) => [`main_${k}`, round(v)])), process: round(coordinator.process_s) },
        workers_cpu_s: workerTiles.map((tiles) => round(tiles.reduce((sum, t) => sum + (t.process_s as number), 0))),
        coordinator_wall_s: round(ran.wallS), loadavg: loadavg().map(round),
      };
      if (check) {
        const whole = await run(['landslide', 'fs', casePath, '--out', join(work, 'whole')]);
        if (whole.code !== 0) throw new Error(`undivided run exited ${whole.code}: ${whole.stderr}`);
        row.identical_to_undivided = JSON.stringify(fileHashes(join(work, 'queued'))) === JSON.stringify(fileHashes(join(work, 'whole')));
      }
      (report.runs as unknown[]).push(row);
      log(JSON.stringify(row));
    } finally {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
      await redis.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
