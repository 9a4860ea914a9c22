// Issue 19, a broker restart: mosquitto (persistent, as a production broker runs) is restarted
// while QoS 1 readings are in flight between devices, broker and service. The device's unacknowledged
// publishes are sent again after its reconnect (MQTT.js keeps them in its outgoing store), the
// broker keeps what it acknowledged for the service's persistent sessions, and the service
// acknowledges only after commit: afterwards the stored readings are exactly the stream and the
// change log equals `risklist grade` on the sorted stream, none duplicated or missing.
//
// The default shared subscription is the case that failed: mosquitto 2.0.11 restores the members'
// sessions but not their `$share/...` subscriptions, so the service received nothing more (217 of
// 396 readings stored; here only the 38–58 committed before the restart). The device here
// reconnects (200 ms) long before the service and publishes at once: the broker holds those
// readings only in the plain subscription's session (`<id>-all`), as the broker's log shows.
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../../models/risklist/serve/config.ts';
import { mosquittoAcl, startMqtt, type MqttFace } from '../../../models/risklist/serve/mqtt.ts';
import { waitFor } from '../../services/free-port.ts';
import { freshPgliteDir } from '../../services/pglite.ts';
import { startMosquitto, type Broker } from '../../services/mosquitto.ts';
import { DEVICE_ALL, OPERATOR, serveInProcess, shuffled, type InProcess } from './harness.ts';
import { changeLog, equivalenceCase, gradeSorted } from './streams.ts';

const c = equivalenceCase(37, { items: 12, readings: 400 });
const expected = await gradeSorted(c);
const SERVICE_PASSWORD = 'service-broker-password-0123456789';
const SERVICE = { username: 'sandtable-service', password: SERVICE_PASSWORD };
const tokenList = [
  { token: OPERATOR, role: 'operator', id: 'ops' },
  { token: DEVICE_ALL, role: 'device', items: '*', id: 'gateway' },
];
const probe = loadServeConfig({ items: c.items, tokens: tokenList, mqtt: { url: 'mqtt://127.0.0.1:1', ...SERVICE } }, '/tmp/x.json');
// Every fifth reading published twice, shuffled: QoS 1 redeliveries as a network makes them.
const sent = shuffled([...c.readings, ...c.readings.filter((_, k) => k % 5 === 0)], 41);

interface Setup { broker: Broker; api: InProcess; gateway: MqttClient; face?: MqttFace; db: { dir: string; remove(): void } }
let setup: Partial<Setup> = {};

/** A persistent verbose broker, the service on an embedded database, its inputs, and a device. */
async function start(mqtt: Record<string, unknown>, options: { pairCopies?: boolean } = {}): Promise<Setup> {
  const broker = setup.broker = await startMosquitto(
    [SERVICE, ...tokenList.map((t) => ({ username: t.id, password: t.token }))],
    mosquittoAcl({ tokens: probe.tokens, mqtt: probe.mqtt! }),
    { persistent: true, verbose: true },
  );
  const db = setup.db = await freshPgliteDir();
  const serve = { clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokenList, database: `embedded:${db.dir}` };
  let api: InProcess;
  if (options.pairCopies === false) {
    // The MQTT face started by hand, to switch off the pairing of the two routes' copies.
    api = setup.api = await serveInProcess(serve);
    const config = loadServeConfig({ ...serve, mqtt: { url: broker.url, ...SERVICE, ...mqtt } }, '/tmp/x.json');
    setup.face = await startMqtt(api.running.service, config.mqtt!, () => {}, options);
  } else {
    api = setup.api = await serveInProcess({ ...serve, mqtt: { url: broker.url, ...SERVICE, ...mqtt } });
  }
  for (const [path, list] of [['/v1/warnings', c.warnings], ['/v1/events', c.events], ['/v1/pins', c.pins]] as const) {
    expect((await api.call('POST', path, list)).status).toBe(200);
  }
  // A device as devices should be: a persistent session and quick reconnects.
  setup.gateway = await connectAsync(broker.url, { username: 'gateway', password: DEVICE_ALL, clientId: 'gateway-restart', clean: false, reconnectPeriod: 200 });
  return setup as Setup;
}

const publish = (gateway: MqttClient, r: (typeof sent)[number]) =>
  gateway.publishAsync(`sandtable/readings/${r.item}/${r.factor}`, JSON.stringify({ value: r.value, t_s: r.t_s }), { qos: 1 });

async function storedCount(api: InProcess): Promise<number> {
  return (await api.running.service.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM readings'))[0].n;
}

/** Publishes the first half paced, restarts the broker mid-stream, publishes the rest at once. */
async function publishAcrossRestart({ broker, api, gateway }: Setup): Promise<{ acceptedBefore: number; logAfter: string }> {
  const half = Math.floor(sent.length / 2);
  const first: Promise<unknown>[] = [];
  const paced = (async () => {
    for (let k = 0; k < half; k += 20) {
      first.push(...sent.slice(k, Math.min(k + 20, half)).map((r) => publish(gateway, r)));
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  await waitFor('some readings committed', () => api.running.service.metrics.readingsAccepted >= 20, 10_000);
  const acceptedBefore = api.running.service.metrics.readingsAccepted;
  const logBefore = broker.log().length;
  // The service comes back 2.5 s after the broker goes (its reconnect timer reads the period when
  // the connection drops), long after the device (200 ms): what the device sends in between meets
  // a broker where no member has subscribed again, on any machine load.
  const serviceClients = [...(api.running.mqtt?.clients ?? []), ...(setup.face?.clients ?? [])];
  for (const client of serviceClients) client.options.reconnectPeriod = 2500;
  await broker.restart();
  await paced;
  const rest = sent.slice(half).map((r) => publish(gateway, r));
  await Promise.all([...first, ...rest]);
  await waitFor('every reading stored', async () => (await storedCount(api)) >= c.readings.length, 15_000)
    .catch(async (e: Error) => { throw new Error(`${e.message}: ${await storedCount(api)} of ${c.readings.length} stored`); });
  for (const client of serviceClients) client.options.reconnectPeriod = 1000;
  return { acceptedBefore, logAfter: broker.log().slice(logBefore) };
}

afterEach(async () => {
  const { gateway, face, api, broker, db } = setup;
  setup = {};
  await gateway?.endAsync().catch(() => {});
  await face?.close();
  await api?.stop();
  await broker?.stop();
  db?.remove();
});

describe('risklist serve over MQTT: a broker restart', () => {
  it('default shared subscription: members subscribe again, the plain session holds what came first; the changes of risklist grade', async () => {
    const s = await start({});
    const { acceptedBefore, logAfter } = await publishAcrossRestart(s);
    // Mid-stream: neither before nor after it.
    expect(acceptedBefore).toBeLessThan(sent.length / 2);
    // The cause: the restarted broker tells each member its session is present (CONNACK flag 1)…
    const clientPrefix = `sandtable-risklist-${s.api.running.service.config.listHash.slice(0, 8)}`;
    const connacks = logAfter.split('\n').filter((l) => l.includes(`Sending CONNACK to ${clientPrefix}-`)).map((l) => l.replace(/^\d+: /, ''));
    expect(connacks).toContain(`Sending CONNACK to ${clientPrefix}-0 (1, 0)`);
    // …and the device's publishes reach the broker before any member subscribed again.
    const firstPublish = logAfter.indexOf('Received PUBLISH from gateway-restart');
    const firstSubscribe = logAfter.indexOf(`Received SUBSCRIBE from ${clientPrefix}-`);
    expect(firstPublish).toBeGreaterThan(-1);
    expect(firstSubscribe).toBeGreaterThan(firstPublish);
    expect(await storedCount(s.api)).toBe(c.readings.length);
    expect((await s.api.call('POST', '/v1/advance', { until_s: c.until_s })).status).toBe(200);
    expect(await changeLog(s.api)).toEqual(expected.changes);
  }, 60_000);

  it('one plain subscription ("connections": 1) carries on as well', async () => {
    const s = await start({ connections: 1 });
    const { acceptedBefore } = await publishAcrossRestart(s);
    expect(acceptedBefore).toBeLessThan(sent.length / 2);
    expect(await storedCount(s.api)).toBe(c.readings.length);
    expect((await s.api.call('POST', '/v1/advance', { until_s: c.until_s })).status).toBe(200);
    expect(await changeLog(s.api)).toEqual(expected.changes);
  }, 60_000);
});

describe('risklist serve over MQTT: every message delivered twice', () => {
  it('copies left unpaired are each graded: stored once, duplicates counted, the changes of risklist grade', async () => {
    const s = await start({ connections: 8 }, { pairCopies: false });
    await Promise.all(sent.map((r) => publish(s.gateway, r)));
    const metrics = s.api.running.service.metrics;
    // The shared member's copy and the plain subscription's copy of each publish.
    await waitFor('both copies of every message answered', () => metrics.readingsAccepted === 2 * sent.length, 15_000);
    expect(metrics.readingsDuplicate).toBe(2 * sent.length - c.readings.length);
    expect(await storedCount(s.api)).toBe(c.readings.length);
    expect((await s.api.call('POST', '/v1/advance', { until_s: c.until_s })).status).toBe(200);
    expect(await changeLog(s.api)).toEqual(expected.changes);
  }, 60_000);
});
