// Snapshots of the grading state, so a restart regrades only the readings after the newest one
// instead of every stored reading. A snapshot is the session's saved state (the wasm regions, the
// timer rings) plus the service's per-item levels and per-factor last readings, deflated, taken
// right after a write cycle committed (so it describes a committed clock and seq), and written off
// the hot path: compressed on libuv's thread pool, stored in chunks of one statement each that
// interleave with the write cycles, then published by one header row (clock, last seq, the last
// operator input fed, hashes, size, SHA-256 of the chunks). A write cut short leaves chunks
// without a header: never read, removed at the next start. A snapshot is used only when its
// engine (the wasm build) and its list (the packed items, factors, thresholds, hold_s, as the
// category table resolved them) are this service's, and its chunks hash to its SHA-256.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import type { PackedDefs } from '../list.ts';
import type { Sql } from './sql.ts';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** Bumped whenever the saved bytes change meaning: older snapshots are then ignored. */
export const SNAPSHOT_FORMAT = 1;

export interface SnapshotHeader {
  id: number;
  clock_s: number;
  last_seq: number;
  /** Operator inputs (warnings, events, pins) up to this arrival were fed to the session. */
  fed_arrival: number;
  /** Readings graded up to the snapshot (for the log). */
  readings: number;
  engine_sha256: string;
  list_sha256: string;
  bytes: number;
  chunks: number;
  sha256: string;
}

/** What the saved state belongs to: the wasm build and the list exactly as packed for the kernel. */
export interface SnapshotKey { engine: string; list: string }

export function engineKey(wasm: Uint8Array): string {
  return createHash('sha256').update(`sandtable risklist snapshot ${SNAPSHOT_FORMAT}\n`).update(wasm).digest('hex');
}

/** Hash of the packed list: any threshold, deadband, delay, hold_s, item, factor, hazard or category resolved differently differs. */
export function listKey(defs: PackedDefs): string {
  const h = createHash('sha256');
  const { list } = defs;
  for (const a of [list.factorStart, list.base, list.holdProfile, list.holdSeconds, list.holdQueue, list.factorItem, list.thresholds,
    list.deadband, list.onDelay, list.onDelayQueue, list.staleAfter, list.direction]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  h.update(JSON.stringify(list.queues));
  for (const item of defs.itemOfIndex) {
    h.update(`\n${item.id}\u0000${item.category ?? ''}\u0000${item.area ?? ''}\u0000${item.hazards?.join(',') ?? '*'}\u0000${item.factors.map((f) => f.id).join('\u0000')}`);
  }
  return h.digest('hex');
}

/** The uncompressed payload: the session's state, then levels (i32 per item), last reading time and value (f64 per factor). */
export function unpackPayload(payload: Uint8Array, items: number, factors: number) {
  const tail = 4 * items + 16 * factors;
  if (payload.length < tail) throw new Error(`the payload (${payload.length} bytes) is shorter than this list's levels and readings (${tail})`);
  const at = payload.length - tail;
  // Copies: aligned typed arrays of their own.
  const copy = (from: number, bytes: number) => payload.slice(from, from + bytes).buffer;
  return {
    state: payload.subarray(0, at),
    levels: new Int32Array(copy(at, 4 * items)),
    lastTime: new Float64Array(copy(at + 4 * items, 8 * factors)),
    lastValue: new Float64Array(copy(at + 4 * items + 8 * factors, 8 * factors)),
  };
}

export interface Written { header: SnapshotHeader; compressMs: number; writeMs: number; compressed: number }

/**
 * Fault injection for the SIGKILL test (test/risklist/serve/snapshot-sigkill.test.ts): with
 * `SANDTABLE_FAULT_SNAPSHOT_STALL_AT_CHUNK=k`, the writer of every snapshot after the first stops for
 * good before its chunk k, having said so on stderr, so a kill lands mid-write whatever the
 * machine's speed. Readings go on being graded and acknowledged; only that snapshot never ends.
 */
function faultStallAtChunk(): number | undefined {
  const k = Number(process.env.SANDTABLE_FAULT_SNAPSHOT_STALL_AT_CHUNK);
  return Number.isInteger(k) && k > 0 ? k : undefined;
}

function stallForever(snapshot: number, chunk: number): Promise<never> {
  process.stderr.write(JSON.stringify({ msg: 'fault injection: snapshot write stalled', snapshot, chunk }) + '\n');
  return new Promise<never>(() => {});
}

/**
 * Writes a captured payload as snapshot `header.id` (chunks, then the header, then the pruning of
 * all but the newest `keep`). `abandon()` true between chunks stops it (a shutdown): no header,
 * so nothing half-written is ever read.
 */
export async function writeSnapshot(
  sql: Sql, payload: Uint8Array, header: Omit<SnapshotHeader, 'bytes' | 'chunks' | 'sha256'>, options: { chunkBytes: number; keep: number },
  abandon: () => boolean, onChunks?: (chunks: number) => void,
): Promise<Written | undefined> {
  let t = performance.now();
  const compressed = await deflateAsync(payload, { level: 1 });
  const compressMs = performance.now() - t;
  t = performance.now();
  const chunks = Math.max(1, Math.ceil(compressed.length / options.chunkBytes));
  onChunks?.(chunks);
  const stallAt = faultStallAtChunk();
  for (let k = 0; k < chunks; k++) {
    if (abandon()) return undefined;
    if (k === stallAt && header.id > 1) await stallForever(header.id, k);
    await sql.write('INSERT INTO snapshot_chunks (snapshot, k, data) VALUES ($1, $2, $3)', [header.id, k, compressed.subarray(k * options.chunkBytes, (k + 1) * options.chunkBytes)]);
  }
  if (abandon()) return undefined;
  const full: SnapshotHeader = { ...header, bytes: compressed.length, chunks, sha256: createHash('sha256').update(compressed).digest('hex') };
  await sql.write(
    `INSERT INTO snapshots (id, clock_s, last_seq, fed_arrival, readings, engine_sha256, list_sha256, bytes, chunks, sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [full.id, full.clock_s, full.last_seq, full.fed_arrival, full.readings, full.engine_sha256, full.list_sha256, full.bytes, full.chunks, full.sha256]);
  await sql.write(
    `WITH gone AS (DELETE FROM snapshots WHERE id NOT IN (SELECT id FROM snapshots ORDER BY id DESC LIMIT $1) RETURNING id)
     DELETE FROM snapshot_chunks WHERE snapshot IN (SELECT id FROM gone)`, [options.keep]);
  return { header: full, compressMs, writeMs: performance.now() - t, compressed: compressed.length };
}

/** `writeSnapshot` with its log lines; a failure is logged, never thrown (the service goes on). */
export async function writeLogged(
  sql: Sql, payload: Uint8Array, header: Omit<SnapshotHeader, 'bytes' | 'chunks' | 'sha256'>, options: { chunkBytes: number; keep: number },
  abandon: () => boolean, log: (fields: Record<string, unknown>) => void, captureMs: number,
): Promise<Written | undefined> {
  try {
    const written = await writeSnapshot(sql, payload, header, options, abandon,
      (chunks) => log({ msg: 'snapshot writing', snapshot: header.id, clock_s: header.clock_s, last_seq: header.last_seq, bytes: payload.length, chunks, capture_ms: Math.round(captureMs * 10) / 10 }));
    if (written) log({ msg: 'snapshot written', snapshot: header.id, compressed: written.compressed, compress_ms: Math.round(written.compressMs), write_ms: Math.round(written.writeMs) });
    else log({ msg: 'snapshot abandoned: shutting down (no header, so never read)', snapshot: header.id });
    return written;
  } catch (error) {
    log({ level: 'error', msg: 'snapshot failed (the service goes on; the next one is taken when due)', snapshot: header.id, error: (error as Error).message });
    return undefined;
  }
}

/** Removes the chunks of writes cut short (no header); returns how many. The service is the one writer. */
export async function removeTornChunks(sql: Sql): Promise<number> {
  const [{ n }] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM snapshot_chunks WHERE snapshot NOT IN (SELECT id FROM snapshots)');
  if (n > 0) await sql.write('DELETE FROM snapshot_chunks WHERE snapshot NOT IN (SELECT id FROM snapshots)');
  return n;
}

export async function nextSnapshotId(sql: Sql): Promise<number> {
  const [{ id }] = await sql.query<{ id: number | null }>('SELECT greatest((SELECT max(id) FROM snapshots), (SELECT max(snapshot) FROM snapshot_chunks)) AS id');
  return Number(id ?? 0) + 1;
}

/**
 * The newest snapshot this service may start from, its payload inflated and checked; each one
 * passed over is logged with the reason. `use` may still refuse a payload (it throws): the next
 * older one is tried.
 */
export async function newestSnapshot<T>(
  sql: Sql, key: SnapshotKey, stored: { clock: number; lastSeq: number }, log: (fields: Record<string, unknown>) => void,
  use: (header: SnapshotHeader, payload: Uint8Array) => T,
): Promise<{ header: SnapshotHeader; used: T } | undefined> {
  const headers = (await sql.query<SnapshotHeader>('SELECT id, clock_s, last_seq, fed_arrival, readings, engine_sha256, list_sha256, bytes, chunks, sha256 FROM snapshots ORDER BY id DESC'))
    .map((h) => ({ ...h, id: Number(h.id), last_seq: Number(h.last_seq), fed_arrival: Number(h.fed_arrival), readings: Number(h.readings), bytes: Number(h.bytes) }));
  for (const h of headers) {
    const skip = (reason: string) => log({ level: 'warn', msg: `snapshot ${h.id} ignored: ${reason}`, snapshot: h.id, clock_s: h.clock_s });
    if (h.engine_sha256 !== key.engine) { skip('taken by another engine build (its wasm or snapshot format differs)'); continue; }
    if (h.list_sha256 !== key.list) { skip('taken for another list (items, factors, thresholds, hold_s or categories differ)'); continue; }
    if (!(h.clock_s <= stored.clock) || h.last_seq > stored.lastSeq) { skip(`ahead of the database (clock ${stored.clock}, last seq ${stored.lastSeq})`); continue; }
    const chunks = await sql.query<{ k: number; data: Uint8Array }>('SELECT k, data FROM snapshot_chunks WHERE snapshot = $1 ORDER BY k', [h.id]);
    const compressed = Buffer.concat(chunks.map((c) => c.data));
    const sha = createHash('sha256').update(compressed).digest('hex');
    if (chunks.length !== h.chunks || compressed.length !== h.bytes || sha !== h.sha256) {
      skip(`corrupt: ${chunks.length} of ${h.chunks} chunks, ${compressed.length} of ${h.bytes} bytes, SHA-256 ${sha === h.sha256 ? 'matches' : 'differs'}`);
      continue;
    }
    try {
      const payload = new Uint8Array(await inflateAsync(compressed));
      return { header: h, used: use(h, payload) };
    } catch (error) {
      skip(`unusable: ${(error as Error).message}`);
    }
  }
  return undefined;
}
