// Snapshots of the grading state (models/risklist/serve/snapshot.ts): a restart restores the
// newest usable one and regrades only the readings after it, giving the same change log and the
// same state of every item as a full regrade and as `risklist grade` on the sorted stream; a
// snapshot of another engine build or list, or with a damaged chunk, is passed over with a log line.
import { afterAll, describe, expect, it } from 'vitest';
import { RisklistSession } from '../../../models/risklist/session.ts';
import { listKey } from '../../../models/risklist/serve/snapshot.ts';
import { openPglite } from '../../../models/risklist/serve/sql.ts';
import { referenceGrading } from '../../../models/risklist/reference.ts';
import { freshPgliteDir } from '../../services/pglite.ts';
import { OPERATOR, serveInProcess, tokens, type InProcess } from './harness.ts';
import { arrivals, changeLog, equivalenceCase, gradeSorted, postAll } from './streams.ts';

const c = equivalenceCase(41, { items: 40, readings: 2000 });
const expected = await gradeSorted(c);
const STEP = 500;

describe('risklist serve: snapshots of the grading state', () => {
  let db: { dir: string; remove(): void } | undefined;
  let api: InProcess | undefined;
  afterAll(async () => {
    await api?.stop();
    db?.remove();
  });

  it('restart from a snapshot = full regrade = risklist grade; another engine or list, or a damaged chunk, is passed over', async () => {
    db = await freshPgliteDir();
    const serve = { clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokens(), database: `embedded:${db.dir}`, snapshots: { every_readings: 400, keep: 2, chunk_bytes: 256, at_shutdown_s: 0 } };
    const start = async () => { api = await serveInProcess(serve); return api; };
    const stop = async () => { await api!.stop(); api = undefined; };
    const sql = async <T>(work: (q: Awaited<ReturnType<typeof openPglite>>) => Promise<T>) => {
      const q = await openPglite(db!.dir);
      try { return await work(q); } finally { await q.close(); }
    };
    const rebuilt = (a: InProcess) => a.logs.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'state rebuilt').at(-1)!;
    const stateOfEveryItem = (a: InProcess) => ({ items: a.running.service.defs.ids.map((id) => a.running.service.item(id)), stale: a.running.service.stale() });
    const feed = async (a: InProcess, from: number, to: number) => {
      for (let end = from + STEP; end <= to; end += STEP) {
        const { rejected } = await postAll(a, arrivals(c.readings.filter((r) => (r.t_s > end - STEP || end === STEP) && r.t_s <= end), end, 150));
        expect(rejected).toEqual([]);
        expect((await a.call('POST', '/v1/advance', { until_s: end })).status).toBe(200);
      }
    };

    let a = await start();
    for (const [path, list] of [['/v1/warnings', c.warnings], ['/v1/events', c.events], ['/v1/pins', c.pins]] as const) {
      expect((await a.call('POST', path, list, OPERATOR)).status).toBe(200);
    }
    await feed(a, 0, 3000);
    const snap = await a.running.service.takeSnapshot();
    expect(snap).toMatchObject({ clock_s: 3000, chunks: expect.any(Number) });
    expect(snap!.chunks).toBeGreaterThan(1);
    // Readings after the snapshot: the restart regrades these only.
    await feed(a, 3000, 3500);
    const before = stateOfEveryItem(a);
    const logBefore = await changeLog(a);
    expect(logBefore).toEqual(expected.changes.filter((ch) => ch.t_s <= 3500));
    await stop();
    expect(await sql((q) => q.query('SELECT id, clock_s FROM snapshots ORDER BY id'))).toEqual([{ id: snap!.id - 1, clock_s: expect.any(Number) }, { id: snap!.id, clock_s: 3000 }]);

    a = await start();
    const inWindow = c.readings.filter((r) => r.t_s > 3000 && r.t_s <= 3500).length;
    expect(rebuilt(a)).toMatchObject({ snapshot: { id: snap!.id, clock_s: 3000 }, readings_regraded: inWindow, clock_s: 3500 });
    expect(stateOfEveryItem(a)).toEqual(before);
    expect(await changeLog(a)).toEqual(logBefore);
    await stop();

    // Snapshots of another engine build or list are never used: a full regrade, the same state.
    await sql((q) => q.query(`UPDATE snapshots SET engine_sha256 = 'another build' WHERE id = $1`, [snap!.id]));
    await sql((q) => q.query(`UPDATE snapshots SET list_sha256 = 'another list' WHERE id = $1`, [snap!.id - 1]));
    a = await start();
    expect(a.logs.filter((l) => l.includes('ignored')).map((l) => JSON.parse(l).msg)).toEqual([
      `snapshot ${snap!.id} ignored: taken by another engine build (its wasm or snapshot format differs)`,
      `snapshot ${snap!.id - 1} ignored: taken for another list (items, factors, thresholds, hold_s or categories differ)`,
    ]);
    expect(rebuilt(a)).toMatchObject({ snapshot: null, readings_regraded: c.readings.filter((r) => r.t_s <= 3500).length });
    expect(stateOfEveryItem(a)).toEqual(before);
    // This run's own snapshot, then a damaged chunk in it: the older one serves.
    const mine = await a.running.service.takeSnapshot();
    await feed(a, 3500, 4000);
    const newest = await a.running.service.takeSnapshot();
    await feed(a, 4000, 4500);
    const before2 = stateOfEveryItem(a);
    await stop();
    await sql((q) => q.query(`UPDATE snapshot_chunks SET data = set_byte(data, 3, (get_byte(data, 3) + 1) % 256) WHERE snapshot = $1 AND k = 1`, [newest!.id]));
    // And chunks of a write cut short (no header): removed at start, never read.
    await sql((q) => q.query(`INSERT INTO snapshot_chunks VALUES ($1, 0, '\\x00'), ($1, 1, '\\x01')`, [newest!.id + 1]));
    a = await start();
    const logged = a.logs.map((l) => JSON.parse(l) as Record<string, any>);
    expect(logged.find((l) => l.msg.startsWith(`snapshot ${newest!.id} ignored`))?.msg).toBe(`snapshot ${newest!.id} ignored: corrupt: ${newest!.chunks} of ${newest!.chunks} chunks, ${newest!.bytes} of ${newest!.bytes} bytes, SHA-256 differs`);
    expect(logged.find((l) => l.chunks === 2)?.msg).toBe('removed the chunks of a snapshot whose write was cut short');
    expect(rebuilt(a)).toMatchObject({ snapshot: { id: mine!.id, clock_s: 3500 }, readings_regraded: c.readings.filter((r) => r.t_s > 3500 && r.t_s <= 4500).length });
    expect(stateOfEveryItem(a)).toEqual(before2);
    await feed(a, 4500, c.until_s);
    expect(await changeLog(a)).toEqual(expected.changes);
    const levels = Object.fromEntries(a.running.service.defs.ids.map((id) => [id, a.running.service.item(id)!.level]));
    expect(levels).toEqual(expected.final);
    expect(await a.running.service.sql.query('SELECT count(*)::int AS n FROM snapshot_chunks WHERE snapshot NOT IN (SELECT id FROM snapshots)')).toEqual([{ n: 0 }]);
  }, 180_000);

  it('the list key follows what the kernel grades: thresholds, deadband, hold_s and items change it, key order does not', () => {
    const key = (items: unknown[], hold_s?: unknown) => listKey(new RisklistSession({ items, ...(hold_s ? { hold_s } : {}) }, referenceGrading).defs);
    const f = { id: 'depth_cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 }, deadband: 2 };
    const base = key([{ id: 'A', factors: [f] }, { id: 'B', factors: [f] }]);
    expect(key([{ id: 'B', factors: [f] }, { id: 'A', factors: [f] }])).toBe(base);
    expect(key([{ factors: [{ deadband: 2, thresholds: { 4: 30, 3: 20, 2: 10 }, direction: 'above', id: 'depth_cm' }], id: 'A' }, { id: 'B', factors: [f] }])).toBe(base);
    expect(key([{ id: 'A', factors: [{ ...f, thresholds: { 2: 10, 3: 20, 4: 31 } }] }, { id: 'B', factors: [f] }])).not.toBe(base);
    expect(key([{ id: 'A', factors: [{ ...f, deadband: 1 }] }, { id: 'B', factors: [f] }])).not.toBe(base);
    expect(key([{ id: 'A', factors: [f] }, { id: 'B', factors: [f] }], { 2: 60, 3: 120, 4: 240 })).not.toBe(base);
    expect(key([{ id: 'A', factors: [f] }, { id: 'C', factors: [f] }])).not.toBe(base);
  });
});
