// RISKLIST.md through the service: readings posted in any arrival order, with duplicates, on the
// replay clock give exactly the change objects `risklist grade` gives for the sorted stream
// (CONTRACT.md "risklist serve"), whether the clock is advanced once or in steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInProcess, type InProcess, DEVICE_ALL } from './harness.ts';
import { arrivals, changeLog, equivalenceCase, gradeSorted, postAll } from './streams.ts';

const c = equivalenceCase(7);
const expected = await gradeSorted(c);

async function postOperatorInputs(api: InProcess) {
  for (const [path, list] of [['/v1/warnings', c.warnings], ['/v1/events', c.events], ['/v1/pins', c.pins]] as const) {
    const r = await api.call('POST', path, list);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ accepted: list.length });
  }
}

describe('risklist serve ≡ risklist grade (replay clock)', () => {
  let api: InProcess;
  beforeAll(async () => {
    api = await serveInProcess({ clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: [{ token: 'operator-token-0123456789abcdef', role: 'operator' }, { token: DEVICE_ALL, role: 'device', items: '*' }] });
  }, 60_000);
  afterAll(() => api?.stop());

  it('shuffled with duplicates, then one advance: the same changes and final levels', async () => {
    expect(expected.changes.length).toBeGreaterThan(100);
    await postOperatorInputs(api);
    const batches = arrivals(c.readings, 3);
    const sent = batches.flat().length;
    const { accepted, rejected } = await postAll(api, batches);
    // Every duplicate is acknowledged (idempotent), none is stored twice.
    expect(rejected).toEqual([]);
    expect(accepted).toBe(sent);
    const adv = await api.call('POST', '/v1/advance', { until_s: c.until_s });
    expect(adv.status).toBe(200);
    expect(adv.body.now_s).toBe(c.until_s);
    expect(await changeLog(api)).toEqual(expected.changes);
    const items = await api.call('GET', '/v1/items?limit=100000');
    expect(Object.fromEntries(items.body.items.map((i: { id: string; level: number }) => [i.id, i.level]))).toEqual(expected.final);
    const stale = await api.call('GET', '/v1/stale');
    expect(stale.body.stale).toEqual(expected.stale);
    const metrics = await api.call('GET', '/metrics');
    expect(metrics.body).toContain(`sandtable_readings_duplicate_total ${sent - c.readings.length}\n`);
  });
});

describe('advanced in steps, with redeliveries of applied readings and late ones', () => {
  let api: InProcess;
  beforeAll(async () => {
    api = await serveInProcess({ clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: [{ token: 'operator-token-0123456789abcdef', role: 'operator' }, { token: DEVICE_ALL, role: 'device', items: '*' }] });
  }, 60_000);
  afterAll(() => api?.stop());

  it('each window posted shuffled, then advanced to its end: the same log', async () => {
    await postOperatorInputs(api);
    const step = 1500;
    for (let end = step; end <= c.until_s; end += step) {
      const window = c.readings.filter((r) => (r.t_s > end - step || end === step) && r.t_s <= end);
      // A redelivery of a reading the clock has passed is acknowledged, not applied twice.
      const redelivered = c.readings.filter((r) => r.t_s <= end - step).slice(0, 20);
      const { rejected } = await postAll(api, arrivals([...window, ...redelivered], end, 150));
      expect(rejected).toEqual([]);
      expect((await api.call('POST', '/v1/advance', { until_s: end })).status).toBe(200);
    }
    expect(await changeLog(api)).toEqual(expected.changes);
  });

  it('a late reading (new key, behind the clock) is refused with its reason, logged and counted', async () => {
    const late = { item: c.readings[0].item, factor: c.readings[0].factor, t_s: 1.5, value: 99 };
    const conflicting = { ...c.readings[1], value: c.readings[1].value + 1 };
    const r = await api.call('POST', '/v1/readings', [late, conflicting], DEVICE_ALL);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      accepted: 0,
      rejected: [
        { index: 0, error: `$[0].t_s: is not after the clock: a late reading is logged, never applied (got 1.5, expected a time > ${c.until_s})` },
        { index: 1, error: `$[1]: repeats the time of an applied reading of ${conflicting.item}/${conflicting.factor} with another value (got ${conflicting.value}, expected ${c.readings[1].value})` },
      ],
    });
    const logged = await api.running.service.sql.query<{ item: string; t_s: number }>('SELECT item, t_s FROM late_readings ORDER BY id');
    expect(logged).toEqual([{ item: late.item, t_s: 1.5 }, { item: conflicting.item, t_s: conflicting.t_s }]);
    const metrics = (await api.call('GET', '/metrics')).body as string;
    expect(metrics).toContain('sandtable_readings_rejected_total{reason="late"} 1\n');
    expect(metrics).toContain('sandtable_readings_rejected_total{reason="conflict"} 1\n');
    expect(await changeLog(api)).toEqual(expected.changes);
  });
});
