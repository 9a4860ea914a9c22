// Issue 19, a broker restart: mosquitto (persistent, as a production broker runs) is restarted
// while QoS 1 readings are in flight between devices, broker and service. The device's unacknowledged
// publishes are sent again after its reconnect (MQTT.js keeps them in its outgoing store), the
// broker keeps what it acknowledged for the service's persistent sessions, and the service
// acknowledges only after commit: afterwards the stored readings are exactly the stream and the
// change log equals `risklist grade` on the sorted stream, none duplicated or missing.
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../../models/risklist/serve/config.ts';
import { mosquittoAcl } from '../../../models/risklist/serve/mqtt.ts';
import { waitFor } from '../../services/free-port.ts';
import { freshPgliteDir } from '../../services/pglite.ts';
import { startMosquitto, type Broker } from '../../services/mosquitto.ts';
import { DEVICE_ALL, OPERATOR, serveInProcess, shuffled, type InProcess } from './harness.ts';
import { changeLog, equivalenceCase, gradeSorted } from './streams.ts';

const c = equivalenceCase(37, { items: 12, readings: 400 });
const expected = await gradeSorted(c);
const SERVICE_PASSWORD = 'service-broker-password-0123456789';
const tokenList = [
  { token: OPERATOR, role: 'operator', id: 'ops' },
  { token: DEVICE_ALL, role: 'device', items: '*', id: 'gateway' },
];

describe('risklist serve over MQTT: a broker restart', () => {
  let broker: Broker;
  let api: InProcess;
  let db: { dir: string; remove(): void };
  let gateway: MqttClient | undefined;

  beforeAll(async () => {
    const probe = loadServeConfig({ items: c.items, tokens: tokenList, mqtt: { url: 'mqtt://127.0.0.1:1', username: 'sandtable-service', password: SERVICE_PASSWORD } }, '/tmp/x.json');
    broker = await startMosquitto(
      [{ username: 'sandtable-service', password: SERVICE_PASSWORD }, ...tokenList.map((t) => ({ username: t.id, password: t.token }))],
      mosquittoAcl({ tokens: probe.tokens, mqtt: probe.mqtt! }),
      { persistent: true },
    );
    db = await freshPgliteDir();
    // One plain subscription: mosquitto 2.0 restores it from persistence. With the default shared
    // subscription (`connections` > 1) the restarted mosquitto 2.0.11 delivered nothing more to the
    // service (217 of 396 readings stored, even when the rest were published 3 s after the restart,
    // every connection back): a known defect, open in issue 19 and named in the README.
    api = await serveInProcess({
      clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokenList, database: `embedded:${db.dir}`,
      mqtt: { url: broker.url, username: 'sandtable-service', password: SERVICE_PASSWORD, connections: 1 },
    });
  }, 60_000);
  afterAll(async () => {
    await gateway?.endAsync().catch(() => {});
    await api?.stop();
    await broker?.stop();
    db?.remove();
  });

  it('QoS 1 across the restart, shuffled with duplicates: the changes of risklist grade', async () => {
    for (const [path, list] of [['/v1/warnings', c.warnings], ['/v1/events', c.events], ['/v1/pins', c.pins]] as const) {
      expect((await api.call('POST', path, list)).status).toBe(200);
    }
    // A device as devices should be: a persistent session and reconnects.
    gateway = await connectAsync(broker.url, { username: 'gateway', password: DEVICE_ALL, clientId: 'gateway-restart', clean: false, reconnectPeriod: 200 });
    const sent = shuffled([...c.readings, ...c.readings.filter((_, k) => k % 5 === 0)], 41);
    const half = Math.floor(sent.length / 2);
    const publish = (r: (typeof sent)[number]) => gateway!.publishAsync(`sandtable/readings/${r.item}/${r.factor}`, JSON.stringify({ value: r.value, t_s: r.t_s }), { qos: 1 });
    const first = sent.slice(0, half).map(publish);
    // Restart while the first half is in flight (some with the broker, some with the service).
    await waitFor('some readings committed', () => api.running.service.metrics.readingsAccepted > 0, 10_000);
    const acceptedBefore = api.running.service.metrics.readingsAccepted;
    await broker.restart();
    const rest = sent.slice(half).map(publish);
    await Promise.all([...first, ...rest]);
    const count = async () => (await api.running.service.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM readings'))[0].n;
    await waitFor('every reading stored', async () => (await count()) >= c.readings.length, 10_000);
    // The restart happened mid-stream, not before or after it.
    expect(acceptedBefore).toBeLessThan(half);
    expect(await count()).toBe(c.readings.length);
    expect((await api.call('POST', '/v1/advance', { until_s: c.until_s })).status).toBe(200);
    expect(await changeLog(api)).toEqual(expected.changes);
  }, 60_000);
});
