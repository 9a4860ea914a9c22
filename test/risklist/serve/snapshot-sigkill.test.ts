// A SIGKILL while a snapshot is being written loses nothing: the service (the CLI, a child
// process) writes snapshots in many small chunks; its second snapshot's writer is stopped after
// its first chunk (fault injection, so the kill lands mid-write however fast the machine is) and
// the process is killed; the database then holds chunks without a header (the torn write). Restarted,
// it removes them, restores the previous complete snapshot, and the client's stream goes on:
// every acknowledged reading is stored and the log is risklist grade's.
import { describe, expect, it } from 'vitest';
import { DEVICE_ALL, OPERATOR, postUntilAnswered, serveChild, type Child } from './harness.ts';
import { inDatabase, killWorkspace, operatorInputs, storedReadings } from './kill-workspace.ts';
import { arrivals, changeLog, equivalenceCase, gradeSorted, type Reading } from './streams.ts';

const c = equivalenceCase(37, { items: 200, readings: 1200 });
const expected = await gradeSorted(c);
const STEP = 1000;

describe('risklist serve: SIGKILL while a snapshot is written', () => {
  const ws = killWorkspace('sandtable-snapkill-');

  it('the torn snapshot is removed, the one before serves, nothing acknowledged is lost', async () => {
    const file = await ws.serveFile(c, { snapshots: { every_readings: 300, chunk_bytes: 256 } });
    let torn: { snapshot: number; chunks: number }[] = [];
    let writing = 0;
    const watch = (child: Child) => child.child.stderr!.on('data', (text: string) => {
      if (text.includes('"snapshot writing"')) writing++;
      // The second snapshot's write, stalled after one chunk: the first one, complete, is what the
      // restart starts from.
      if (ws.restarting || !text.includes('"fault injection: snapshot write stalled"')) return;
      child.child.kill('SIGKILL');
      ws.restarting = (async () => {
        await child.exited;
        torn = await inDatabase(ws.db!.dir, async (sql) => (await sql.query<{ snapshot: number; chunks: number }>(
          'SELECT snapshot, count(*)::int AS chunks FROM snapshot_chunks WHERE snapshot NOT IN (SELECT id FROM snapshots) GROUP BY snapshot'))
          .map((r) => ({ snapshot: Number(r.snapshot), chunks: r.chunks })));
        ws.current = await serveChild(file);
        ws.restarting = undefined;
      })();
    });
    ws.current = await serveChild(file, { SANDTABLE_FAULT_SNAPSHOT_STALL_AT_CHUNK: '1' });
    watch(ws.current);

    const robust = (path: string, body: unknown, token: string) => postUntilAnswered(() => ws.current!, () => ws.restarting, path, body, token);
    for (const [path, list] of operatorInputs(c)) {
      expect(await robust(path, list, OPERATOR)).toEqual({ accepted: list.length });
    }
    const acknowledged: Reading[] = [];
    for (let end = STEP; end <= c.until_s; end += STEP) {
      for (const batch of arrivals(c.readings.filter((r) => (r.t_s > end - STEP || end === STEP) && r.t_s <= end), end, 200)) {
        const answer = await robust('/v1/readings', batch, DEVICE_ALL) as { accepted: number; rejected: unknown[] };
        expect(answer.rejected).toEqual([]);
        acknowledged.push(...batch);
      }
      await robust('/v1/advance', { until_s: end }, OPERATOR);
    }
    if (ws.restarting) await ws.restarting;
    expect(writing).toBeGreaterThanOrEqual(2);
    // Killed mid-write: chunks without a header, of one snapshot: the one chunk it wrote.
    expect(torn).toHaveLength(1);
    expect(torn[0].chunks).toBe(1);
    const lines = ws.current!.stderr.map((l) => { try { return JSON.parse(l) as Record<string, any>; } catch { return {}; } });
    expect(lines.find((l) => l.msg === 'removed the chunks of a snapshot whose write was cut short')).toMatchObject({ chunks: torn[0].chunks });
    expect(lines.find((l) => l.msg === 'state rebuilt')).toMatchObject({ snapshot: { id: torn[0].snapshot - 1 } });
    expect(await changeLog(ws.current!)).toEqual(expected.changes);

    ws.current!.child.kill('SIGTERM');
    expect(await ws.current!.exited).toBe(0);
    ws.current = undefined;
    const stored = await inDatabase(ws.db!.dir, storedReadings);
    expect(acknowledged.filter((r) => stored.get(`${r.item}/${r.factor}/${r.t_s}`) !== r.value)).toEqual([]);
    expect(stored.size).toBe(c.readings.length);
    // The service started, killed and started again on an embedded database: 76–125 s at load 20–25 on 2 cores.
  }, 300_000);
});
