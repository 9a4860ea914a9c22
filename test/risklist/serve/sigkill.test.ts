// Nothing lost: the service (the CLI, a child process) is killed with SIGKILL at random moments
// while a client posts batches and advances the replay clock; each time it restarts on the same
// embedded database. The client resends whatever was not answered (readings are idempotent by
// item, factor and time; an advance to the same time is a no-op). At the end every acknowledged
// reading is in the database, and the change log, numbered 1, 2, 3, … without gaps or repeats,
// equals the uninterrupted run's (risklist grade's).
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../services/free-port.ts';
import { DEVICE_ALL, OPERATOR, postUntilAnswered, serveChild } from './harness.ts';
import { inDatabase, killWorkspace, operatorInputs, storedReadings } from './kill-workspace.ts';
import { arrivals, changeLog, equivalenceCase, gradeSorted, type Reading } from './streams.ts';

const c = equivalenceCase(31, { items: 30, readings: 1200 });
const expected = await gradeSorted(c);
const KILLS = 2;
const STEP = 1000;
// Fixed, as the property tests' seeds are, so CI kills at the same requests every run (the
// milliseconds still vary with the machine); SANDTABLE_KILL_SEED explores other moments.
const seed = Number(process.env.SANDTABLE_KILL_SEED ?? 57653);

describe('risklist serve survives SIGKILL', () => {
  const ws = killWorkspace('sandtable-sigkill-');

  it(`killed ${KILLS} times at random moments (seed ${seed}): no acknowledged reading lost, the log of an uninterrupted run`, async () => {
    const file = await ws.serveFile(c);
    ws.current = await serveChild(file);
    let random = seed || 1;
    const next = () => { random = (random * 16807) % 2147483647; return random / 2147483647; };

    // Kills land at random requests, a random few milliseconds after the request starts: during
    // its parsing, its commit or its answer (a wall-clock timer alone may miss a fast run).
    const windowOf = (end: number) => arrivals(c.readings.filter((r) => (r.t_s > end - STEP || end === STEP) && r.t_s <= end), end, 60);
    let requests = 3;
    for (let end = STEP; end <= c.until_s; end += STEP) requests += windowOf(end).length + 1;
    const killAt = new Set<number>();
    while (killAt.size < KILLS) killAt.add(2 + Math.floor(next() * (requests - 4)));
    let kills = 0;
    let requestCount = 0;
    const kill = () => {
      const after = ws.restarting ?? Promise.resolve();
      const mine: Promise<void> = after.then(async () => {
        ws.current!.child.kill('SIGKILL');
        await ws.current!.exited;
        kills++;
        ws.current = await serveChild(file);
        if (ws.restarting === mine) ws.restarting = undefined;
      });
      ws.restarting = mine;
    };

    /** POST until answered 200: a connection error or 503 means the service is down or rebuilding. */
    const robust = (path: string, body: unknown, token: string) => {
      if (killAt.has(++requestCount)) setTimeout(kill, next() * 30);
      return postUntilAnswered(() => ws.current!, () => ws.restarting, path, body, token);
    };

    const acknowledged: Reading[] = [];
    for (const [path, list] of operatorInputs(c)) {
      // Operator inputs are not idempotent (a warning id may not repeat): posted before the kills begin to matter.
      expect(await robust(path, list, OPERATOR)).toEqual({ accepted: list.length });
    }
    for (let end = STEP; end <= c.until_s; end += STEP) {
      for (const batch of windowOf(end)) {
        const answer = await robust('/v1/readings', batch, DEVICE_ALL) as { accepted: number; rejected: unknown[] };
        expect(answer.rejected).toEqual([]);
        expect(answer.accepted).toBe(batch.length);
        acknowledged.push(...batch);
      }
      await robust('/v1/advance', { until_s: end }, OPERATOR);
    }
    await waitFor('the last kill and restart', () => kills === KILLS && ws.restarting === undefined, 60_000);
    expect(await changeLog(ws.current!)).toEqual(expected.changes);

    // Graceful shutdown on SIGTERM: exit 0, then the database is ours to read.
    ws.current!.child.kill('SIGTERM');
    expect(await ws.current!.exited).toBe(0);
    ws.current = undefined;
    await inDatabase(ws.db!.dir, async (sql) => {
      const stored = await storedReadings(sql);
      expect(stored.size).toBe(c.readings.length);
      const missing = acknowledged.filter((r) => stored.get(`${r.item}/${r.factor}/${r.t_s}`) !== r.value);
      expect(missing).toEqual([]);
      const seqs = (await sql.query<{ seq: number }>('SELECT seq FROM changes ORDER BY seq')).map((r) => Number(r.seq));
      expect(seqs).toEqual(expected.changes.map((_, k) => k + 1));
    });
  }, 180_000);
});
