// Readings over MQTT through a real broker (mosquitto, password file and ACL made from the
// tokens): QoS 1 with duplicates in any order gives risklist grade's changes; a device cannot
// publish for another's items; wrong credentials are refused; changes go out on
// sandtable/changes/<item>; and what devices publish while the service is down arrives after
// its restart (persistent sessions, PUBACK only after commit); messages in flight on the shared
// subscription's connections commit together.
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../../models/risklist/serve/config.ts';
import { mosquittoAcl } from '../../../models/risklist/serve/mqtt.ts';
import { waitFor } from '../../services/free-port.ts';
import { freshPgliteDir } from '../../services/pglite.ts';
import { startMosquitto, type Broker } from '../../services/mosquitto.ts';
import { DEVICE_ALL, OPERATOR, serveInProcess, shuffled, type InProcess } from './harness.ts';
import { changeLog, equivalenceCase, gradeSorted } from './streams.ts';

const c = equivalenceCase(21, { items: 12, readings: 160 });
const expected = await gradeSorted(c);
const upItem = c.items.find((i) => (i.factors as unknown[]).length > 0)!;
const otherItem = c.items.find((i) => i.id !== upItem.id && (i.factors as unknown[]).length > 0)!;
const DEVICE_ONE = 'device-one-token-0123456789abcdef';
const SERVICE_PASSWORD = 'service-broker-password-0123456789';
const tokenList = [
  { token: OPERATOR, role: 'operator', id: 'ops' },
  { token: DEVICE_ALL, role: 'device', items: '*', id: 'gateway' },
  { token: DEVICE_ONE, role: 'device', items: [upItem.id], id: 'gauge-one' },
];

describe('risklist serve over MQTT (real mosquitto)', () => {
  let broker: Broker;
  let api: InProcess;
  let db: { dir: string; remove(): void };
  let serve: Record<string, unknown>;
  const devices: MqttClient[] = [];
  const device = async (username: string, password: string) => {
    const d = await connectAsync(broker.url, { username, password, clientId: `${username}-${devices.length}`, reconnectPeriod: 0 });
    devices.push(d);
    return d;
  };

  beforeAll(async () => {
    const probe = loadServeConfig({ items: c.items, tokens: tokenList, mqtt: { url: 'mqtt://127.0.0.1:1', username: 'sandtable-service', password: SERVICE_PASSWORD } }, '/tmp/x.json');
    broker = await startMosquitto(
      [{ username: 'sandtable-service', password: SERVICE_PASSWORD }, ...tokenList.map((t) => ({ username: t.id, password: t.token }))],
      mosquittoAcl({ tokens: probe.tokens, mqtt: probe.mqtt! }),
    );
    db = await freshPgliteDir();
    serve = {
      clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokenList, database: `embedded:${db.dir}`,
      mqtt: { url: broker.url, username: 'sandtable-service', password: SERVICE_PASSWORD },
    };
    api = await serveInProcess(serve);
  }, 60_000);
  afterAll(async () => {
    for (const d of devices) await d.endAsync().catch(() => {});
    await api?.stop();
    await broker?.stop();
    db?.remove();
  });

  it('wrong credentials are refused by the broker', async () => {
    await expect(connectAsync(broker.url, { username: 'gauge-one', password: 'wrong', reconnectPeriod: 0 })).rejects.toThrow(/Not authorized|Bad username or password/);
  });

  it('QoS 1, shuffled, every fifth reading twice: the changes of risklist grade, published per item', async () => {
    const watcher = await device('ops', OPERATOR);
    const published: { topic: string; change: { seq: number } }[] = [];
    watcher.on('message', (topic, payload) => published.push({ topic, change: JSON.parse(payload.toString()) }));
    await watcher.subscribeAsync('sandtable/changes/#', { qos: 1 });
    for (const path of ['/v1/warnings', '/v1/events', '/v1/pins'] as const) {
      expect((await api.call('POST', path, path === '/v1/warnings' ? c.warnings : path === '/v1/events' ? c.events : c.pins)).status).toBe(200);
    }
    const gateway = await device('gateway', DEVICE_ALL);
    const sent = shuffled([...c.readings, ...c.readings.filter((_, k) => k % 5 === 0)], 5);
    const cyclesBefore = api.running.service.metrics.cycles;
    await Promise.all(sent.map((r) => gateway.publishAsync(`sandtable/readings/${r.item}/${r.factor}`, JSON.stringify({ value: r.value, t_s: r.t_s }), { qos: 1 })));
    await waitFor('every MQTT reading committed', () => api.running.service.metrics.readingsAccepted === sent.length, 60_000);
    expect(api.running.service.metrics.readingsDuplicate).toBe(sent.length - c.readings.length);
    // Messages in flight on the shared subscription's connections commit together: one reading
    // per write cycle (a single connection, PUBACK after commit) would take sent.length cycles.
    expect(sent.length / (api.running.service.metrics.cycles - cyclesBefore)).toBeGreaterThan(4);
    expect((await api.call('POST', '/v1/advance', { until_s: c.until_s })).status).toBe(200);
    expect(await changeLog(api)).toEqual(expected.changes);
    await waitFor('the changes on MQTT', () => published.length === expected.changes.length);
    expect(published.map((p) => p.topic)).toEqual(expected.changes.map((ch: { item: string }) => `sandtable/changes/${ch.item}`));
  });

  it('a device publishing under another device\'s item is dropped by the broker ACL', async () => {
    const one = await device('gauge-one', DEVICE_ONE);
    const factorOf = (item: typeof upItem) => (item.factors as { id: string }[])[0].id;
    const before = api.running.service.metrics.readingsAccepted;
    await one.publishAsync(`sandtable/readings/${otherItem.id}/${factorOf(otherItem)}`, JSON.stringify({ value: 1, t_s: c.until_s + 10 }), { qos: 1 });
    await one.publishAsync(`sandtable/readings/${upItem.id}/${factorOf(upItem)}`, JSON.stringify({ value: 1, t_s: c.until_s + 10 }), { qos: 1 });
    await waitFor('the allowed reading', () => api.running.service.metrics.readingsAccepted === before + 1);
    const stored = await api.running.service.sql.query<{ item: string }>('SELECT item FROM readings WHERE t_s = $1', [c.until_s + 10]);
    expect(stored).toEqual([{ item: upItem.id }]);
  });

  it('readings published while the service is down arrive after its restart', async () => {
    await api.stop();
    const gateway = await device('gateway', DEVICE_ALL);
    const later = [1, 2, 3].map((k) => ({ t_s: c.until_s + 20 + k, value: k }));
    for (const r of later) await gateway.publishAsync(`sandtable/readings/${upItem.id}/${(upItem.factors as { id: string }[])[0].id}`, JSON.stringify(r), { qos: 1 });
    api = await serveInProcess(serve);
    await waitFor('the queued readings', () => api.running.service.metrics.readingsAccepted === 3, 20_000);
    const stored = await api.running.service.sql.query<{ t_s: number }>('SELECT t_s FROM readings WHERE t_s > $1 ORDER BY t_s', [c.until_s + 20]);
    expect(stored.map((r) => r.t_s)).toEqual(later.map((r) => r.t_s));
  });
});
