// The last snapshot at a graceful shutdown, and the time trigger on an idle clock
// (models/risklist/serve/service.ts, finalSnapshot and armSnapshotTimer).
// - SIGTERM to the CLI: after the last commit a snapshot of the final state is written, so the next
//   start restores it and regrades 0 readings, and the log is `risklist grade`'s. If that write
//   cannot finish within `snapshots.at_shutdown_s` (here: the fault hook stalls it after its first
//   chunk) the process still exits 0 within the budget; the next start removes the torn chunks,
//   restores the snapshot before and regrades the readings after it, with the same log.
// - `every_s` fires when no readings arrive: a replay clock advanced without readings, a replay
//   clock nobody advances after its last cycle, and an idle wall clock; nothing moved, nothing taken.
import { afterAll, describe, expect, it } from 'vitest';
import { freshPgliteDir } from '../../services/pglite.ts';
import { OPERATOR, serveChild, serveInProcess, tokens, type Child, type Client, type InProcess } from './harness.ts';
import { killWorkspace, operatorInputs } from './kill-workspace.ts';
import { arrivals, changeLog, equivalenceCase, gradeSorted, postAll } from './streams.ts';

const c = equivalenceCase(43, { items: 40, readings: 1500 });
const expected = await gradeSorted(c);
const HALF = 3000;
const BUDGET_S = 2;

type Line = Record<string, any>;
const parsed = (lines: string[]): Line[] => lines.flatMap((l) => { try { return [JSON.parse(l) as Line]; } catch { return []; } });

async function feed(api: Client, from: number, to: number, step = 500) {
  for (let end = from + step; end <= to; end += step) {
    const { rejected } = await postAll(api, arrivals(c.readings.filter((r) => r.t_s > end - step && r.t_s <= end), end, 150));
    expect(rejected).toEqual([]);
    expect((await api.call('POST', '/v1/advance', { until_s: end })).status).toBe(200);
  }
}

async function terminate(child: Child): Promise<{ code: number | null; ms: number }> {
  const t = performance.now();
  child.child.kill('SIGTERM');
  const code = await child.exited;
  return { code, ms: performance.now() - t };
}

describe('risklist serve: the last snapshot at a graceful shutdown', () => {
  const ws = killWorkspace('sandtable-snapstop-');

  it('SIGTERM writes it, the restart regrades 0 readings; past the budget it is abandoned and the one before serves', async () => {
    const file = await ws.serveFile(c, {
      // No snapshot but the shutdown's: what the restart regrades shows which one it restored.
      snapshots: { every_readings: 1e9, every_s: 7 * 86400, chunk_bytes: 256, at_shutdown_s: BUDGET_S },
    });
    ws.current = await serveChild(file);
    for (const [path, list] of operatorInputs(c)) {
      expect((await ws.current!.call('POST', path, list, OPERATOR)).status).toBe(200);
    }
    await feed(ws.current!, 0, HALF);
    let stopped = await terminate(ws.current!);
    expect(stopped.code).toBe(0);
    const final = parsed(ws.current!.stderr).find((l) => l.msg === 'final snapshot written: the next start regrades nothing');
    expect(final).toMatchObject({ snapshot: 1, clock_s: HALF });

    // Restarted with the fault hook: snapshots after the first stall after their first chunk.
    ws.current = await serveChild(file, { SANDTABLE_FAULT_SNAPSHOT_STALL_AT_CHUNK: '1' });
    expect(parsed(ws.current!.stderr).find((l) => l.msg === 'state rebuilt')).toMatchObject({ snapshot: { id: 1, clock_s: HALF }, readings_regraded: 0, clock_s: HALF });
    expect(await changeLog(ws.current!)).toEqual(expected.changes.filter((ch) => ch.t_s <= HALF));
    // The second half, then a shutdown whose snapshot (id 2) stalls: abandoned at the budget.
    await feed(ws.current!, HALF, c.until_s);
    stopped = await terminate(ws.current!);
    expect(stopped.code).toBe(0);
    // The stalled write never ends, so without the budget the process would not exit at all; the
    // bound, under the 30 s default budget, shows the file's 2 s was the one applied. Closing the
    // embedded database after it takes seconds on a loaded 2-core machine: no tighter bound.
    expect(stopped.ms).toBeLessThan(BUDGET_S * 1000 + 15_000);
    const lines = parsed(ws.current!.stderr);
    expect(lines.find((l) => l.msg === 'fault injection: snapshot write stalled')).toMatchObject({ snapshot: 2, chunk: 1 });
    expect(lines.find((l) => l.msg?.startsWith('final snapshot abandoned'))).toMatchObject({
      level: 'warn', msg: 'final snapshot abandoned: not written within snapshots.at_shutdown_s; the next start restores the one before and regrades after it', budget_s: BUDGET_S,
    });

    ws.current = await serveChild(file);
    const restarted = parsed(ws.current!.stderr);
    expect(restarted.find((l) => l.msg === 'removed the chunks of a snapshot whose write was cut short')).toMatchObject({ chunks: 1 });
    expect(restarted.find((l) => l.msg === 'state rebuilt')).toMatchObject({
      snapshot: { id: 1, clock_s: HALF }, readings_regraded: c.readings.filter((r) => r.t_s > HALF).length, clock_s: c.until_s,
    });
    expect(await changeLog(ws.current!)).toEqual(expected.changes);
    stopped = await terminate(ws.current!);
    expect(stopped.code).toBe(0);
    expect(parsed(ws.current!.stderr).find((l) => l.msg === 'final snapshot written: the next start regrades nothing')).toMatchObject({ snapshot: 2, clock_s: c.until_s });
    ws.current = undefined;
  }, 180_000);
});

describe('risklist serve: the time trigger on an idle clock', () => {
  let api: InProcess | undefined;
  let db: { dir: string; remove(): void } | undefined;
  afterAll(async () => {
    await api?.stop();
    db?.remove();
  });
  const snapshots = async (a: InProcess) => (await a.running.service.sql.query<{ id: number; clock_s: number }>('SELECT id, clock_s FROM snapshots ORDER BY id')).map((r) => ({ id: Number(r.id), clock_s: r.clock_s }));
  // every_s is 1 s; the rest of the wait is for a PGlite write on a loaded machine (0.4–0.7 s a
  // chunk at load 20): a timer that never fires still fails it.
  const waitFor = async (a: InProcess, clock: number, ms = 20_000) => {
    for (const until = performance.now() + ms; performance.now() < until;) {
      if ((await snapshots(a)).some((s) => s.clock_s === clock)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  it('replay clock: an advance without readings, and a last cycle nobody follows, are snapshotted every_s later; an unmoved state is not', async () => {
    db = await freshPgliteDir();
    const serve = { clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokens(), database: `embedded:${db.dir}`, snapshots: { every_readings: 1e9, every_s: 1, at_shutdown_s: 5 } };
    api = await serveInProcess(serve);
    await feed(api, 0, 500);
    expect(await waitFor(api, 500)).toBe(true);
    // Only the clock moves (hold steps may fall due): no reading is graded.
    expect((await api.call('POST', '/v1/advance', { until_s: 1000 })).status).toBe(200);
    expect(await waitFor(api, 1000)).toBe(true);
    // A cycle right after a snapshot is not due at its end; with no cycle after it, the timer takes it.
    await feed(api, 1000, 1500);
    expect(await waitFor(api, 1500)).toBe(true);
    const taken = await snapshots(api);
    const log = await changeLog(api);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await snapshots(api)).toEqual(taken);
    // Nor at shutdown: the newest snapshot holds the final state already.
    const logs = api.logs;
    await api.stop();
    expect(logs.map((l) => JSON.parse(l) as Line).filter((l) => l.msg?.startsWith('final snapshot'))).toEqual([]);
    api = await serveInProcess(serve);
    expect(api.logs.map((l) => JSON.parse(l) as Line).find((l) => l.msg === 'state rebuilt')).toMatchObject({ snapshot: { clock_s: 1500 }, readings_regraded: 0 });
    expect(await changeLog(api)).toEqual(log);
    await api.stop();
    api = undefined;
  }, 60_000);

  it('wall clock: no input at all, still a snapshot every_s (the clock moved)', async () => {
    api = await serveInProcess({ items: c.items, tokens: tokens(), snapshots: { every_s: 1 } });
    const clock = () => api!.running.service.clock;
    for (const until = performance.now() + 20_000; performance.now() < until && (await snapshots(api)).length === 0;) await new Promise((r) => setTimeout(r, 50));
    const [first] = await snapshots(api);
    expect(first, 'a snapshot within 20 s of every_s = 1').toBeDefined();
    expect(first.clock_s).toBeGreaterThan(0);
    expect(first.clock_s).toBeLessThanOrEqual(clock());
  }, 30_000);
});
