// Restart time of the live risk list (`risklist serve`) with and without a snapshot of its grading
// state, not a test. The city list (benchmarks/risklist/city-list.ts) on the replay clock in this
// process: --readings stored through the service (its writer, without HTTP), a snapshot taken,
// --after more readings stored behind it; then three starts on that database: with the snapshot
// (regrading the --after readings), and, the snapshots deleted, the full regrade of every reading.
//   node --import tsx benchmarks/risklist/serve-restart.ts [--items N] [--readings R] [--after K]
//        [--batch B] [--database postgres://… | --postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServeConfig } from '../../models/risklist/serve/config.ts';
import { startService, type Running } from '../../models/risklist/serve/start.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { cityList } from './city-list.ts';

const arg = (name: string, fallback: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k === -1 ? fallback : Number(process.argv[k + 1]);
};
const items = arg('items', 520_000);
const readings = arg('readings', 1_000_000);
const after = arg('after', Math.round(readings / 10));
const batch = arg('batch', 20_000);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const work = mkdtempSync(join(tmpdir(), 'sandtable-serve-restart-'));
const pg = process.argv.includes('--postgres') ? await (await import('../../test/services/postgres.ts')).startPostgres() : undefined;
const dbArg = process.argv.indexOf('--database');
const database = pg?.url ?? (dbArg === -1 ? `embedded:${join(work, 'db')}` : process.argv[dbArg + 1]);
const { list, factors } = cityList(items);
const serve = {
  clock: 'replay', items: list, database, tokens: [{ token: 'bench-operator-token-0123456789abcdef', role: 'operator', id: 'bench' }],
  // Only the snapshot this script asks for: the restart then regrades exactly --after readings.
  snapshots: { every_readings: 1e9, every_s: 7 * 86400, at_shutdown_s: 0 },
};
const kernels = await loadKernels();
const logs: Record<string, unknown>[] = [];
const start = async (): Promise<{ running: Running; seconds: number }> => {
  const t = performance.now();
  const running = await startService(loadServeConfig(serve, join(work, 'serve.json')), kernels, (f) => logs.push(f));
  return { running, seconds: (performance.now() - t) / 1000 };
};

/** Stores readings k0 … k1−1 (one per second of t_s, spiking now and then) and advances past them. */
async function store(running: Running, k0: number, k1: number) {
  const service = running.service;
  for (let k = k0; k < k1; k += batch) {
    const part = [];
    for (let j = k; j < Math.min(k1, k + batch); j++) {
      const f = factors[(j * 7919) % factors.length];
      const item = service.index.item.get(f.item)!;
      part.push({ index: j - k, reading: { item: f.item, factor: f.factor, f: service.index.factor[item].get(f.factor)!, t: j + 1, value: j % 97 === 0 ? f.spike : f.quiet } });
    }
    const r = await service.submitReadings(part, 'bench');
    if (r.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    await service.advance(Math.min(k1, k + batch), 'bench');
  }
}

const first = await start();
let t = performance.now();
await store(first.running, 0, readings);
const storeS = (performance.now() - t) / 1000;
const snapshot = await first.running.service.takeSnapshot();
const written = first.running.service.lastSnapshot;
await store(first.running, readings, readings + after);
await first.running.stop();

const withSnapshot = await start();
const rebuiltWith = logs.filter((l) => l.msg === 'state rebuilt').at(-1);
await withSnapshot.running.service.sql.write('DELETE FROM snapshots');
await withSnapshot.running.service.sql.write('DELETE FROM snapshot_chunks');
await withSnapshot.running.stop();
const withoutSnapshot = await start();
const rebuiltWithout = logs.filter((l) => l.msg === 'state rebuilt').at(-1);
await withoutSnapshot.running.stop();

console.log(JSON.stringify({
  items, factors: factors.length, database: pg ? 'postgres' : database.split(':')[0], readings_stored: readings + after, readings_after_snapshot: after,
  first_start_s: round(first.seconds), store_s: round(storeS),
  snapshot: {
    id: snapshot?.id, payload_mb: round((written?.header ? Number(logs.find((l) => l.msg === 'snapshot writing')?.bytes) : NaN) / 2 ** 20),
    compressed_mb: round((written?.compressed ?? NaN) / 2 ** 20, 2), chunks: snapshot?.chunks,
    capture_ms: round(written?.captureMs ?? NaN), compress_ms: Math.round(written?.compressMs ?? NaN), write_ms: Math.round(written?.writeMs ?? NaN),
  },
  restart_with_snapshot_s: round(withSnapshot.seconds), rebuilt_with: rebuiltWith,
  restart_without_snapshot_s: round(withoutSnapshot.seconds), rebuilt_without: rebuiltWithout,
  load_average: loadavg().map((x) => round(x)),
}, null, 1));
await pg?.stop();
rmSync(work, { recursive: true, force: true });
