// Tiled landslide grid throughput (a benchmark, not a test): run with
//   node --import tsx benchmarks/ensemble/tiles.ts [--side 3163] [--tile R] [--parts whole,local,queue]
// It writes a whole-city-sized grid case (side² cells, 3163² ≈ 10 M by default: a slope grid and a
// soil-depth grid, 12 hours of rain, FS at 6 h and 12 h on 5 depths) to a temporary folder, runs it
// undivided once, then in 16 tiles (side/4 cells a side; `--tile` for others) on 1 and 2 local engine workers and on 1 and 2 `sandtable worker`
// processes (a Redis it starts itself), and reports cells/s/worker for each, and whether every
// stitched grid is the undivided run's, bit for bit. The `queue` part hands the tiles' grids over a
// shared results folder (`--results DIR`), `queue-inline` through Redis; add `cpu` to either for
// each worker's start-up and per-tile CPU parts with their times (enqueued, started, ended, in the
// coordinator's hands; ms from the run's start), the coordinator's CPU and the Redis server's
// (wall clocks mean little on a shared machine). The `probability` part (not in the default
// parts: `--parts probability --members 20`) runs the grid ensemble, P(FS < 1) per cell, in 16
// tiles (side/4) on 1 and 2 local workers: cell-members/s per worker, and whether both give the
// same product bytes. One JSON document on stdout.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine } from '../../models/engine-node.ts';
import { runTilesOnQueueRead } from '../../models/ensemble/tile-queue.ts';
import { CpuLaps } from '../../models/ensemble/cpu-parts.ts';
import { Redis } from 'ioredis';
import { loadTiledRun, runTilesLocal } from '../../models/ensemble/tile-run.ts';
import { parseTileOption, stitchTiles, type EncodedTile } from '../../models/ensemble/tiles.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import { writeTileBenchCase } from './tile-case.ts';
import type { GridOutput } from '../../models/landslide/grid.ts';
import { startRedis } from '../../test/services/redis.ts';
import { loadProbabilityRun, runProbabilityLocal } from '../../models/ensemble/fs-grid-run.ts';
import { stitchProbabilityTiles } from '../../models/ensemble/fs-grid-prob.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/sandtable.js');
const arg = (name: string, fallback: string) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? process.argv[k + 1] : fallback; };
const side = Number(arg('side', '3163'));
// 16 near-equal tiles by default (791² for 3163²): with 1024² tiles, 7 of the 16 jobs are slivers
// of the ragged last row and column, and 9 big tiles on 2 workers cap any execution at ≈ 1.9×.
const tileOption = arg('tile', String(Math.ceil(side / 4)));
// `queue-inline`: the queue with the tiles' grids through Redis; `cpu`: the queue parts' CPU by worker and tile.
const parts = new Set(arg('parts', 'whole,local,queue').split(','));
const members = Number(arg('members', '20'));
const work = mkdtempSync(join(tmpdir(), 'sandtable-tiles-bench-'));
const log = (line: string) => process.stderr.write(`tiles bench: ${line}\n`);
const cpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const writeCase = () => writeTileBenchCase(work, side, members);

const roundAll = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v.toFixed(2))]));

/** The Redis server's own CPU seconds (INFO cpu): what the queue costs on the machine besides the workers. */
async function redisCpuS(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const info = await client.info('cpu');
    const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
    return field('used_cpu_user') + field('used_cpu_sys');
  } finally { client.disconnect(); }
}

/** Every worker is ready (it says it is waiting): the time is the tiles', not the workers' start (Node, modules, Redis). */
async function waitForReady(workerLines: string[][]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!workerLines.every((lines) => lines.some((l) => l.includes('waiting for members')))) {
    if (Date.now() > deadline) throw new Error('queue workers not ready after 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A worker's cpu-parts lines: its start-up, then each tile's CPU parts and times relative to the run's start (ms). */
function cpuTimeline(lines: string[], t0: number, seen: Record<number, number>): Record<string, unknown> {
  const parsed = lines.filter((l) => l.includes('cpu-parts ')).map((l) => JSON.parse(l.slice(l.indexOf('cpu-parts ') + 10)) as Record<string, unknown>);
  const ready = parsed.find((p) => 'ready' in p)?.ready;
  const tiles = parsed.filter((p) => 'tile' in p).map((p) => ({
    tile: p.tile, enqueued: (p.enqueued_ms as number) - t0, started: (p.started_ms as number) - t0, ended: (p.ended_ms as number) - t0, coordinator_had: seen[p.tile as number],
    main_s: roundAll(p.main_s as Record<string, number>), process_to_compute_end_s: Number((p.process_to_compute_end_s as number).toFixed(2)), process_s: Number((p.process_s as number).toFixed(2)),
  }));
  const sum = (f: (t: typeof tiles[number]) => number) => Number(tiles.reduce((a, t) => a + f(t), 0).toFixed(2));
  return { ready, tiles: tiles.length, totals: { process_s: sum((t) => t.process_s), main_load_s: sum((t) => t.main_s.load ?? 0), main_cut_send_encode_s: sum((t) => t.main_s.cut_send_encode ?? 0), main_write_s: sum((t) => t.main_s.write ?? 0) }, timeline: tiles };
}

const digest = (o: GridOutput) => Object.fromEntries(Object.entries(o.grids).map(([n, g]) => [n, createHash('sha256').update(new Uint8Array(g.values.buffer, g.values.byteOffset, g.values.byteLength)).digest('hex').slice(0, 16)]));

const report: Record<string, unknown> = { machine: { cores: availableParallelism(), loadavg_at_start: loadavg().map((l) => Number(l.toFixed(2))), node: process.version } };
try {
  let t = performance.now();
  const casePath = writeCase();
  log(`case written (${side}² = ${side * side} cells) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const size = parseTileOption(tileOption);
  const loaded = await loadTiledRun(casePath, size);
  const cells = side * side;
  const tiles = loaded.prepared.tiles.length;
  report.grid = { cells, side, tile: tileOption, tiles, load_s: Number(((performance.now() - t) / 1000).toFixed(2)) };
  let reference: Record<string, string> | undefined;
  if (parts.has('whole')) {
    const engine = createNodeEngine();
    await engine.ready();
    const c0 = cpuS(); t = performance.now();
    const whole = await engine.landslideGrid(loaded.input, loaded.grids);
    const wallS = (performance.now() - t) / 1000;
    reference = digest(whole);
    report.undivided_one_engine = { wall_s: Number(wallS.toFixed(2)), cpu_s: Number((cpuS() - c0).toFixed(2)), cells_per_s: Math.round(cells / wallS) };
    log(`undivided: ${wallS.toFixed(1)} s`);
  }
  const check = (encoded: EncodedTile[]) => {
    const stitched = digest(stitchTiles(loaded.prepared, encoded));
    return reference ? JSON.stringify(stitched) === JSON.stringify(reference) : undefined;
  };
  if (parts.has('local')) {
    const rows: Record<string, unknown>[] = [];
    for (const workers of [1, 2]) {
      t = performance.now();
      const c0 = cpuS();
      const encoded = await runTilesLocal(loaded.prepared, loaded, workers);
      const wallS = (performance.now() - t) / 1000;
      // The process's CPU: the engine threads' tiles, their start, the main thread's cutting and decoding.
      rows.push({ workers, wall_s: Number(wallS.toFixed(2)), cpu_s: Number((cpuS() - c0).toFixed(2)), cells_per_s: Math.round(cells / wallS), cells_per_s_per_worker: Math.round(cells / wallS / workers), identical_to_undivided: check(encoded) });
      log(`local ${workers}: ${wallS.toFixed(1)} s`);
    }
    report.local_pool = { rows, speedup: Number(((rows[0].wall_s as number) / (rows[1].wall_s as number)).toFixed(2)) };
  }
  for (const mode of ['queue', 'queue-inline'] as const) {
    if (!parts.has(mode)) continue;
    const rows: Record<string, unknown>[] = [];
    for (const workers of [1, 2]) {
      const redis = await startRedis();
      // `queue`: the tiles' grids through a shared results folder (--results DIR); `queue-inline`: through Redis.
      const shared = mode === 'queue' ? mkdtempSync(join(work, 'results-')) : undefined;
      const env = { ...process.env, ...(parts.has('cpu') ? { SANDTABLE_CPU_PARTS: '1' } : {}) };
      // Workers start first and wait until ready (their start-up is not in the time; their first tile's engine thread is).
      const procs = Array.from({ length: workers }, () => spawn(process.execPath, [cli, 'worker', '--queue', redis.url], { stdio: ['ignore', 'ignore', 'pipe'], env }));
      const workerLines = procs.map((p) => { const lines: string[] = []; let rest = ''; p.stderr!.setEncoding('utf8').on('data', (d: string) => { const all = (rest + d).split('\n'); rest = all.pop()!; lines.push(...all); }); return lines; });
      try {
        await waitForReady(workerLines);
        const redisCpu0 = await redisCpuS(redis.url);
        const laps = new CpuLaps();
        const t0 = Date.now();
        t = performance.now();
        const seen: Record<number, number> = {};
        const ran = await runTilesOnQueueRead(redis.url, { runId: loaded.runId, casePath, tile: size, ...(shared ? { results: shared } : {}) }, loaded.prepared, { onResult: (index) => { seen[index] = Date.now() - t0; } });
        if (!('output' in ran)) throw new Error(`tile ${ran.refused.index} refused: ${ran.refused.problem}`);
        const stitched = ran.output;
        laps.lap('cut_queue_read_stitch');
        const wallS = (performance.now() - t) / 1000;
        const identical = reference ? JSON.stringify(digest(stitched)) === JSON.stringify(reference) : undefined;
        const row: Record<string, unknown> = { workers, wall_s: Number(wallS.toFixed(2)), cells_per_s: Math.round(cells / wallS), cells_per_s_per_worker: Math.round(cells / wallS / workers), identical_to_undivided: identical };
        if (parts.has('cpu')) row.cpu = { coordinator_main_s: roundAll(laps.parts), redis_server_s: Number(((await redisCpuS(redis.url)) - redisCpu0).toFixed(2)), workers: workerLines.map((lines) => cpuTimeline(lines, t0, seen)) };
        rows.push(row);
        log(`${mode} ${workers}: ${wallS.toFixed(1)} s`);
      } finally {
        for (const p of procs) p.kill('SIGTERM');
        await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
        await redis.stop();
      }
    }
    report[mode === 'queue' ? 'queue_workers_results_dir' : 'queue_workers_inline_redis'] = { rows, speedup: Number(((rows[0].wall_s as number) / (rows[1].wall_s as number)).toFixed(2)) };
  }
  if (parts.has('probability')) {
    const side4 = Math.ceil(side / 4);
    const probSize = { rows: side4, cols: side4 };
    const rows: Record<string, unknown>[] = [];
    const hashes: string[] = [];
    for (const workers of [1, 2]) {
      const run = await loadProbabilityRun(join(work, 'case-ensemble.json'), probSize, { members, seed: 1 });
      t = performance.now();
      const products = stitchProbabilityTiles(run.prepared, await runProbabilityLocal(run, workers));
      const wallS = (performance.now() - t) / 1000;
      const cellMembers = (cells - products.nodataCells) * members;
      hashes.push(createHash('sha256').update(Object.values(products.grids).map((g) => formatAsciiGrid(g)).join('\n')).digest('hex'));
      rows.push({ workers, wall_s: Number(wallS.toFixed(2)), cell_members_per_s: Math.round(cellMembers / wallS), cell_members_per_s_per_worker: Math.round(cellMembers / wallS / workers), loadavg_after: loadavg().map((l) => Number(l.toFixed(2))) });
      log(`probability ${workers}: ${wallS.toFixed(1)} s`);
    }
    report.probability_local_pool = { members, tiles: Math.ceil(side / side4) ** 2, tile: `${side4}x${side4}`, rows, speedup: Number(((rows[0].wall_s as number) / (rows[1].wall_s as number)).toFixed(2)), identical_1_vs_2_workers: hashes[0] === hashes[1] };
  }
  report.machine = { ...(report.machine as object), loadavg_at_end: loadavg().map((l) => Number(l.toFixed(2))) };
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
