// The HTTP API's refusals and faces (CONTRACT.md "risklist serve"): 401 without a known token, 403
// for a device outside its items or an operator route, rejected entries inside a partly allowed
// batch, limits (413, 429), the wall clock, the SSE feed, queries, metrics and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../services/free-port.ts';
import { DEVICE_ALL, OPERATOR, serveInProcess, tokens, type InProcess } from './harness.ts';

const DEVICE_UP = 'device-up01-token-0123456789abcdef';
const items = [
  { id: 'UP-01', category: 'waterlogging', area: 'shapingba', base_level: 1, factors: [{ id: 'depth_cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 }, deadband: 2, stale_after_s: 600 }] },
  { id: 'SL-03', category: 'slope', area: 'yuzhong', matrix: { likelihood: 2, severity: 2 }, factors: [] },
];
const serve = { items, hold_s: { 4: 400, 3: 300, 2: 200 }, tokens: tokens([{ token: DEVICE_UP, role: 'device', items: ['UP-01'], id: 'gauge-up01' }]) };
const depth = (t_s: number, value: number) => ({ item: 'UP-01', factor: 'depth_cm', t_s, value });

describe('risklist serve HTTP (replay clock)', () => {
  let api: InProcess;
  beforeAll(async () => { api = await serveInProcess({ ...serve, clock: 'replay' }); }, 60_000);
  afterAll(() => api?.stop());

  it('healthz needs no token; everything else 401 without a known one', async () => {
    expect((await api.call('GET', '/healthz', undefined, null)).body).toMatchObject({ status: 'ok', clock: 'replay', clock_s: null, items: 2 });
    expect(await api.call('POST', '/v1/readings', [depth(1, 1)], null)).toMatchObject({ status: 401, body: { error: 'missing bearer token' } });
    expect(await api.call('GET', '/v1/changes', undefined, 'not-a-token')).toMatchObject({ status: 401, body: { error: 'unknown token' } });
  });

  it('a device: 403 for an item not its own, a rejected entry when part of the batch is allowed, 403 on operator routes', async () => {
    expect(await api.call('POST', '/v1/readings', [{ item: 'SL-03', factor: 'x', t_s: 1, value: 1 }], DEVICE_UP))
      .toMatchObject({ status: 403, body: { error: 'token gauge-up01 may not post readings for these items' } });
    const mixed = await api.call('POST', '/v1/readings', [depth(100, 15), { item: 'SL-03', factor: 'x', t_s: 1, value: 1 }, { ...depth(5, 0), value: 'NaN' }, { ...depth(6, 0), factor: 'co_ppm' }, { ...depth(7, 1), t_s: -1 }, { item: 'ZZ', factor: 'f', t_s: 1, value: 1 }], DEVICE_UP);
    expect(mixed).toMatchObject({ status: 200 });
    expect(mixed.body).toEqual({
      accepted: 1,
      rejected: [
        { index: 1, error: '$[1].item: is not an item of this device (got "SL-03", expected one of the token\'s items)' },
        { index: 2, error: '$[2].value: must be a finite number (got "NaN", expected a reading in [-1000000000000, 1000000000000])' },
        { index: 3, error: '$[3].factor: names no factor of item UP-01 (got "co_ppm", expected depth_cm)' },
        { index: 4, error: '$[4].t_s: is before the epoch (got -1, expected a time in [0, 1000000000000] s from the epoch)' },
        { index: 5, error: '$[5].item: names no item (got "ZZ", expected an item id of the list)' },
      ],
    });
    for (const path of ['/v1/warnings', '/v1/events', '/v1/pins', '/v1/advance']) {
      expect(await api.call('POST', path, { until_s: 1 }, DEVICE_UP)).toMatchObject({ status: 403, body: { error: 'needs an operator token' } });
    }
    expect((await api.call('GET', '/v1/items/SL-03', undefined, DEVICE_UP)).status).toBe(403);
    expect(await api.call('POST', '/v1/readings', '{"not json', DEVICE_UP)).toMatchObject({ status: 400, body: { error: 'body is not valid JSON' } });
    const metrics = (await api.call('GET', '/metrics')).body as string;
    for (const reason of ['forbidden', 'not_finite', 'unknown_factor', 'absurd_time', 'unknown_item']) expect(metrics).toContain(`sandtable_readings_rejected_total{reason="${reason}"}`);
  });

  it('operator inputs are validated with paths, applied in time order on advance, audited by token id', async () => {
    const bad = await api.call('POST', '/v1/pins', [{ t_s: 150, item: 'NOPE', level: 3 }]);
    expect(bad).toMatchObject({ status: 400, body: { errors: ['error: $[0].item: names no item (got "NOPE", expected the id of an item in $.items)'] } });
    expect((await api.call('POST', '/v1/pins', [{ t_s: 150, item: 'SL-03', level: 4, expires_s: 160 }])).body).toEqual({ accepted: 1 });
    const adv = await api.call('POST', '/v1/advance', { until_s: 1000 });
    expect(adv.body).toEqual({
      now_s: 1000,
      changes: [
        { seq: 1, t_s: 100, item: 'UP-01', from: 1, to: 2, reason: { rule: 'sensor', factor: 'depth_cm', value: 15, threshold: 10 } },
        { seq: 2, t_s: 150, item: 'SL-03', from: 2, to: 4, reason: { rule: 'pin', expires_s: 160 } },
        { seq: 3, t_s: 560, item: 'SL-03', from: 4, to: 3, reason: { rule: 'hold', hold_s: 400, since_s: 160 } },
        { seq: 4, t_s: 860, item: 'SL-03', from: 3, to: 2, reason: { rule: 'hold', hold_s: 300, since_s: 560 } },
      ],
    });
    expect((await api.call('POST', '/v1/advance', { until_s: 999 })).body).toEqual({ error: 'invalid input', errors: ['error: $.until_s: does not move the clock forward (got 999, expected a time ≥ 1000)'] });
    expect((await api.call('GET', '/v1/changes?after=3')).body.changes.map((c: { seq: number }) => c.seq)).toEqual([4]);
    const audit = await api.running.service.sql.query<{ who: string; action: string }>('SELECT who, action FROM audit ORDER BY id');
    expect(audit).toEqual([{ who: 'ops', action: 'post pins' }, { who: 'ops', action: 'advance' }, { who: 'ops', action: 'advance' }].slice(0, 2));
    expect(JSON.stringify(await api.running.service.sql.query('SELECT * FROM audit'))).not.toContain(OPERATOR);
  });

  it('queries: an item with its last reading and staleness, items by level/district/category, stale factors, history', async () => {
    expect((await api.call('GET', '/v1/items/UP-01')).body).toEqual({
      id: 'UP-01', category: 'waterlogging', area: 'shapingba', base_level: 1, level: 2, clock_s: 1000,
      factors: [{ id: 'depth_cm', direction: 'above', stale_after_s: 600, last: { t_s: 100, value: 15 }, stale: true, stale_since_s: 700 }],
    });
    expect((await api.call('GET', '/v1/items?level=2&district=shapingba')).body).toEqual({ total: 1, items: [{ id: 'UP-01', category: 'waterlogging', area: 'shapingba', level: 2 }] });
    expect((await api.call('GET', '/v1/items?category=slope')).body.items.map((i: { id: string }) => i.id)).toEqual(['SL-03']);
    expect((await api.call('GET', '/v1/stale')).body).toEqual({ clock_s: 1000, stale: [{ item: 'UP-01', factor: 'depth_cm', since_s: 700 }] });
    expect((await api.call('GET', '/v1/items/SL-03/history')).body.changes.map((c: { seq: number }) => c.seq)).toEqual([2, 3, 4]);
    expect((await api.call('GET', '/v1/items/NOPE')).status).toBe(404);
    const metrics = (await api.call('GET', '/metrics')).body as string;
    expect(metrics).toContain('sandtable_stale_factors 1\n');
    expect(metrics).toContain('sandtable_changes_total 4\n');
  });

  it('the SSE feed replays from a sequence number, then follows live changes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/v1/changes/stream?after=2`, { headers: { authorization: `Bearer ${OPERATOR}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    let text = '';
    const events = () => [...text.matchAll(/^id: (\d+)\nevent: change\ndata: (.*)$/gm)].map((m) => JSON.parse(m[2]) as { seq: number; item: string });
    const until = async (n: number) => { while (events().length < n) text += new TextDecoder().decode((await reader.read()).value); };
    await until(2);
    expect(events().map((e) => e.seq)).toEqual([3, 4]);
    await api.call('POST', '/v1/readings', [depth(1100, 35)], DEVICE_ALL);
    await api.call('POST', '/v1/advance', { until_s: 1100 });
    await until(3);
    expect(events()[2]).toMatchObject({ seq: 5, item: 'UP-01', from: 2, to: 4 });
    controller.abort();
  });
});

const LATENESS_S = 3;

describe('risklist serve HTTP (wall clock, tight limits)', () => {
  let api: InProcess;
  beforeAll(async () => {
    // A lateness of 3 s: the reading sent half a second old must reach the service before the clock
    // (the wall less the lateness) passes it, which a loaded machine's 1 s could miss.
    api = await serveInProcess({ ...serve, clock: 'wall', limits: { body_bytes: 2048, readings_per_request: 3, requests_per_s: 1, burst: 4, tick_s: 0.05, lateness_s: LATENESS_S } });
  }, 60_000);
  afterAll(() => api?.stop());

  it('readings in ISO time apply with the wall clock; advance is refused; future times are absurd', async () => {
    // Polled in the process, not over HTTP: this service's rate limit is tight.
    await waitFor('the first tick', () => Number.isFinite(api.running.service.clock));
    const now = Date.now();
    const r = await api.call('POST', '/v1/readings', [
      { item: 'UP-01', factor: 'depth_cm', value: 25, time: new Date(now - 500).toISOString() },
      { item: 'UP-01', factor: 'depth_cm', value: 25, time: new Date(now + 3_600_000).toISOString() },
      { item: 'UP-01', factor: 'depth_cm', value: 5, time: new Date(now - 5000).toISOString() },
    ], DEVICE_UP);
    expect(r.body.accepted, JSON.stringify(r.body)).toBe(1);
    expect(r.body.rejected.map((x: { index: number; error: string }) => [x.index, x.error.replace(/ \(got .*$/, '')])).toEqual([[1, '$[1].time: is too far in the future'], [2, '$[2].t_s: is not after the clock: a late reading is logged, never applied']]);
    // The clock trails the wall by lateness_s: the reading half a second old applies about 2.5 s later.
    await waitFor('the change', () => api.running.service.metrics.changes > 0, 20_000);
    const changes = (await api.call('GET', '/v1/changes')).body.changes;
    expect(changes).toMatchObject([{ seq: 1, item: 'UP-01', from: 1, to: 3, reason: { rule: 'sensor', value: 25, threshold: 20 } }]);
    expect(Math.abs(changes[0].t_s - (now - 500 - api.running.service.epochMs) / 1000)).toBeLessThan(1e-6);
    expect(await api.call('POST', '/v1/advance', { until_s: 1e9 })).toMatchObject({ status: 409 });
  });

  it('413 beyond the body or batch size, 429 beyond the rate', async () => {
    expect((await api.call('POST', '/v1/readings', 'x'.repeat(4096), DEVICE_ALL)).status).toBe(413);
    expect(await api.call('POST', '/v1/readings', [1, 2, 3, 4], DEVICE_ALL)).toMatchObject({ status: 413, body: { error: 'more than 3 readings in one request' } });
    const statuses: number[] = [];
    // 1 request/s after a burst of 4: 16 requests meet a 429 unless they take over 12 s.
    for (let k = 0; k < 16; k++) statuses.push((await api.call('GET', '/v1/stale', undefined, DEVICE_ALL)).status);
    expect(statuses).toContain(429);
    expect((await api.call('GET', '/metrics')).body).toMatch(/sandtable_http_requests_total\{route="\/v1\/stale",code="429"\} [1-9]/);
  });
});
