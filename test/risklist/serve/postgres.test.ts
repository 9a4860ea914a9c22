// The same service on a real PostgreSQL server (the production database): the same SQL, the same
// equivalence with risklist grade, and a restart of the service that rebuilds its state from
// the server, and a database restart under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Postgres } from '../../services/postgres.ts';
import { DEVICE_ALL, serveInProcess, tokens, type InProcess } from './harness.ts';
import { arrivals, changeLog, equivalenceCase, gradeSorted, postAll } from './streams.ts';

const c = equivalenceCase(13, { items: 30, readings: 1500 });
const expected = await gradeSorted(c);

describe('risklist serve on PostgreSQL', () => {
  let pg: Postgres;
  let api: InProcess;
  let serve: Record<string, unknown>;
  beforeAll(async () => {
    pg = await startPostgres();
    serve = { clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokens(), database: pg.url, snapshots: { chunk_bytes: 256, at_shutdown_s: 0 } };
    api = await serveInProcess(serve);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await pg?.stop();
  });

  it('migrations recorded; shuffled with duplicates: the changes of risklist grade', async () => {
    expect(await api.running.service.sql.query('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }, { version: 2 }]);
    expect(api.running.service.sql.engine).toBe('postgres');
    for (const [path, list] of [['/v1/warnings', c.warnings], ['/v1/events', c.events], ['/v1/pins', c.pins]] as const) {
      expect((await api.call('POST', path, list)).status).toBe(200);
    }
    const half = c.until_s / 2;
    const { rejected } = await postAll(api, arrivals(c.readings.filter((r) => r.t_s <= half), 17));
    expect(rejected).toEqual([]);
    expect((await api.call('POST', '/v1/advance', { until_s: half })).status).toBe(200);
    // A snapshot in bytea chunks on the server, then readings behind it.
    const snapshot = await api.running.service.takeSnapshot();
    expect(snapshot).toMatchObject({ clock_s: half });
    expect(snapshot!.chunks).toBeGreaterThan(1);
    await postAll(api, arrivals(c.readings.filter((r) => r.t_s > half && r.t_s <= half + 500), 18));
    expect((await api.call('POST', '/v1/advance', { until_s: half + 500 })).status).toBe(200);
    // The service restarts on the same server: state restored from the snapshot, the readings after it regraded, the log reproduced.
    await api.stop();
    api = await serveInProcess(serve);
    const rebuilt = api.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'state rebuilt');
    expect(rebuilt).toMatchObject({ snapshot: { id: snapshot!.id, clock_s: half }, readings_regraded: c.readings.filter((r) => r.t_s > half && r.t_s <= half + 500).length });
    expect((await api.call('GET', '/healthz', undefined, null)).body).toMatchObject({ status: 'ok', clock_s: half + 500 });
    // And the database restarts under a running service: one failed commit at most, then on.
    pg.restart();
    const rest = arrivals(c.readings.filter((r) => r.t_s > half + 500), 19);
    let accepted = 0;
    for (const batch of rest) {
      for (let attempt = 0; ; attempt++) {
        const r = await api.call('POST', '/v1/readings', batch, DEVICE_ALL);
        if (r.status === 200) { accepted += r.body.accepted; expect(r.body.rejected).toEqual([]); break; }
        expect(attempt).toBeLessThan(20);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(accepted).toBe(rest.flat().length);
    expect((await api.call('POST', '/v1/advance', { until_s: c.until_s })).status).toBe(200);
    expect(await changeLog(api)).toEqual(expected.changes);
  });

  it('one writer per database: a second service on it is refused at start', async () => {
    const second = serveInProcess(serve);
    await expect(second).rejects.toThrow(/^error: \$\.database: cannot be opened \(got "postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres", expected a reachable database \(another risklist serve holds this database \(advisory lock taken\)\)\)$/);
  });
});
