// The part of a snapshot that holds the service's writer (copying the grading state out of wasm
// memory into one payload), and the parts that do not (deflate on the thread pool, chunk inserts),
// for the city list without a database install: a session fed --readings readings, then --repeat
// captures (the first into a fresh buffer, the next reusing it, as the service does). Not a test.
//   node --import tsx benchmarks/risklist/snapshot-capture.ts [--items 520000] [--readings 1000000] [--repeat 5] [--pglite]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { RisklistSession } from '../../models/risklist/session.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { cityList } from './city-list.ts';

const arg = (name: string, fallback: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k === -1 ? fallback : Number(process.argv[k + 1]);
};
const items = arg('items', 520_000), readings = arg('readings', 1_000_000), repeat = arg('repeat', 5);
const { list, factors } = cityList(items);
const session = new RisklistSession({ items: list }, await loadKernels());
const { ids, factor_start: start } = session.opened();
const position = new Map(ids.map((id, k) => [id, k]));
const factorOf = new Int32Array(factors.length);
// Kernel factor index of each generated factor: the item's first factor + the factor's position in it.
const firstOfItem = new Map<string, number>();
factors.forEach((f, k) => { if (!firstOfItem.has(f.item)) firstOfItem.set(f.item, k); });
factors.forEach((f, k) => { factorOf[k] = start[position.get(f.item)!] + (k - firstOfItem.get(f.item)!); });
const batch = 100_000;
for (let k = 0; k < readings; k += batch) {
  const n = Math.min(batch, readings - k);
  const factor = new Int32Array(n), t = new Float64Array(n), value = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const g = ((k + j) * 7919) % factors.length;
    factor[j] = factorOf[g]; t[j] = k + j + 1; value[j] = (k + j) % 97 === 0 ? factors[g].spike : factors[g].quiet;
  }
  session.advanceArrays({ factor, t_s: t, value }, k + n);
}
const levels = new Int32Array(items), lastTime = new Float64Array(factors.length), lastValue = new Float64Array(factors.length);
const capture: number[] = [], captureCpu: number[] = [], compress: number[] = [];
let payload: Uint8Array = new Uint8Array(0);
let compressed = Buffer.alloc(0);
for (let r = 0; r < repeat; r++) {
  let t = performance.now();
  const cpu = process.cpuUsage();
  payload = session.saveState([levels, lastTime, lastValue], payload).state;
  capture.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  captureCpu.push((used.user + used.system) / 1000);
  t = performance.now();
  compressed = await promisify(deflate)(payload, { level: 1 });
  compress.push(performance.now() - t);
}
const chunkMs: number[] = [];
if (process.argv.includes('--pglite')) {
  const { openPglite } = await import('../../models/risklist/serve/sql.ts');
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-snapshot-capture-'));
  const sql = await openPglite(join(dir, 'db'));
  await sql.exec('CREATE TABLE snapshot_chunks (snapshot bigint NOT NULL, k int NOT NULL, data bytea NOT NULL, PRIMARY KEY (snapshot, k))');
  // Chunks of deflated data are incompressible: random bytes time the same insert; the first warms PGlite up.
  for (let k = 0; k <= repeat; k++) {
    const chunk = randomBytes(2 ** 20);
    const t = performance.now();
    await sql.write('INSERT INTO snapshot_chunks VALUES (1, $1, $2)', [k, chunk]);
    if (k > 0) chunkMs.push(performance.now() - t);
  }
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
}
const ms = (xs: number[]) => ({ min: Math.round(Math.min(...xs)), median: Math.round(xs.slice().sort((a, b) => a - b)[xs.length >> 1]), max: Math.round(Math.max(...xs)) });
console.log(JSON.stringify({
  items, factors: factors.length, readings, payload_mb: Math.round(payload.length / 2 ** 20 * 10) / 10, compressed_mb: Math.round(compressed.length / 2 ** 20 * 100) / 100,
  capture_ms: ms(capture), capture_cpu_ms: ms(captureCpu), compress_ms_on_thread_pool: ms(compress), ...(chunkMs.length ? { pglite_1mib_chunk_insert_ms: ms(chunkMs) } : {}),
  load_average: loadavg().map((x) => Math.round(x * 10) / 10),
}));
session.close();
