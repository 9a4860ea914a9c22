// Readings over MQTT (QoS 1, `<readings>/<item>/<factor>`, JSON { value, t_s | time }) and every
// level change out on `<changes>/<item>`. A reading's PUBACK leaves only after its write cycle
// committed (MQTT.js customHandleAcks), and the session is persistent (fixed client id, clean
// false, a session expiry), so what the broker holds while the service is down arrives after a restart. Which
// device may publish where is the broker's ACL (per-device credentials); the service checks items,
// factors, values and times as on HTTP.
import { connectAsync, type MqttClient } from 'mqtt';
import { isRecord } from '../../params.ts';
import type { MqttConfig } from './config.ts';
import { checkReading } from './ingest.ts';
import type { RisklistService } from './service.ts';

export interface MqttFace { clients: MqttClient[]; close(): Promise<void> }

type Route = 'shared' | 'plain';
/** `settled`: the copy's effect (stored, a duplicate, or a logged refusal) is committed. */
type Outcome = 'settled' | 'failed';

/**
 * With `connections` > 1 each reading reaches the service twice, once through a member of the
 * shared subscription and once through the plain one (see `startMqtt`). Copies are paired on
 * topic and payload, one from each route: the first is graded, its twin waits for that commit
 * and is acknowledged without a second write, so metrics and write cycles count a reading once.
 * A copy whose twin never comes (published while only one route was subscribed, or evicted after
 * `limit` unpaired copies) costs nothing; one paired too late is graded again, which the service
 * absorbs as a duplicate (readings are identified by item, factor and time).
 */
export class CopyPairs {
  private current = new Map<string, { route: Route; outcome: Promise<Outcome> }[]>();
  private previous = new Map<string, { route: Route; outcome: Promise<Outcome> }[]>();
  constructor(private readonly limit = 50_000) {}

  /** The outcome of this copy's twin from the other route, taken out of the pairs; or undefined. */
  takeTwin(key: string, route: Route): Promise<Outcome> | undefined {
    for (const map of [this.current, this.previous]) {
      const waiting = map.get(key);
      // Unpaired copies of one key all come from one route: another from that route is a new publish.
      if (!waiting || waiting[0].route === route) continue;
      const twin = waiting.shift()!;
      if (waiting.length === 0) map.delete(key);
      return twin.outcome;
    }
    return undefined;
  }

  add(key: string, route: Route, outcome: Promise<Outcome>): void {
    if (this.current.size >= this.limit) { this.previous = this.current; this.current = new Map(); }
    const waiting = this.current.get(key);
    if (waiting) waiting.push({ route, outcome }); else this.current.set(key, [{ route, outcome }]);
  }

  get size(): number { return this.current.size + this.previous.size; }
}

/**
 * MQTT.js hands a connection its next message only after the previous one's PUBACK left, and a
 * PUBACK waits for its commit: one connection commits one reading per write cycle. So the service
 * reads through `connections` members of an MQTT 5 shared subscription; the broker spreads the
 * messages over them and each cycle commits up to that many together. One connection subscribes
 * plainly (a broker without shared subscriptions).
 *
 * A broker restart. Mosquitto 2.0.11 with persistence restores each member's session (CONNACK
 * session present = 1) but not its `$share/...` subscription: its persistence file holds the
 * client ids and every plain subscription, and no shared one (seen with `log_type all` and the
 * file's strings), and MQTT.js resubscribes only when the session is absent, so the members
 * received nothing more (in mqtt-restart.test.ts only the 38–58 of 396 readings committed before
 * the restart were stored). Hence (1) every reconnect subscribes again (idempotent on a live
 * session: the broker replaces the subscription, deliveries are not doubled), and (2) with `connections` > 1 a further connection, `<id>-all`, keeps a plain persistent
 * subscription, which the broker does restore: what devices publish between the broker's start
 * and the members' resubscription is held there instead of being acknowledged to the device and
 * dropped for want of a subscriber (resubscribing alone stored 38 of 396: the device, back first,
 * had published all the rest by then). Its copies pair with the members' (`CopyPairs`).
 */
export async function startMqtt(service: RisklistService, config: MqttConfig, log: (f: Record<string, unknown>) => void, options: { pairCopies?: boolean } = {}): Promise<MqttFace> {
  const prefix = config.readingsTopic.split('/').length;
  const id = `sandtable-risklist-${service.config.listHash.slice(0, 8)}`;
  const filter = `${config.readingsTopic}/+/+`;
  const shared = config.connections > 1;
  const pairs = shared && options.pairCopies !== false ? new CopyPairs() : undefined;

  /** Checks and commits one message; resolves once it may be acknowledged, rejects if it may not. */
  const grade = async (topic: string, message: Buffer, answered: () => void): Promise<void> => {
    const levels = topic.split('/');
    const [item, factor] = levels.slice(prefix);
    let payload: unknown;
    try { payload = JSON.parse(message.toString('utf8')); } catch { payload = undefined; }
    const raw = isRecord(payload) && levels.length === prefix + 2 ? { ...payload, item, factor } : payload;
    const base = { epochMs: service.epochMs, latestS: service.config.clock === 'wall' ? service.wallS() + service.config.limits.maxFutureS : Infinity };
    const checked = checkReading(raw, topic, service.index, base);
    if (!checked.ok) {
      // Acknowledged all the same: a redelivery would be refused again.
      service.metrics.rejected(checked.reason);
      log({ level: 'warn', msg: 'mqtt reading rejected', error: checked.error });
      return;
    }
    const r = await service.submitReadings([{ index: 0, reading: checked.reading }], 'mqtt', answered);
    if (r.rejected.length) log({ level: 'warn', msg: 'mqtt reading rejected', error: r.rejected[0].error });
  };

  const connect = (clientId: string, route: Route) => connectAsync(config.url, {
    clientId,
    // MQTT 5: MQTT.js honours customHandleAcks only there; each member's session (and the QoS 1
    // messages the broker queues for it) outlives a disconnect by a week.
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 86400 },
    username: config.username,
    password: config.password,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // The service subscribes again itself on every reconnect: MQTT.js would skip a session the broker called present.
    resubscribe: false,
    customHandleAcks(topic, message, _packet, acknowledge) {
      const answered = service.arrived();
      const done = (code: number | Error) => { answered(); if (typeof code === 'number') acknowledge(code); else acknowledge(code); };
      // No PUBACK on a failure: the broker keeps the message and sends it again after the reconnect.
      const failed = (error: unknown) => {
        log({ level: 'error', msg: 'mqtt reading not committed', error: (error as Error).message });
        done(error as Error);
      };
      const key = pairs ? `${topic}\n${message.toString('latin1')}` : '';
      const twin = pairs?.takeTwin(key, route);
      if (twin) {
        void twin.then((outcome) => outcome === 'settled' ? done(0) : grade(topic, message, answered).then(() => done(0), failed));
        return;
      }
      let settle: (o: Outcome) => void = () => {};
      if (pairs) pairs.add(key, route, new Promise<Outcome>((resolve) => { settle = resolve; }));
      grade(topic, message, answered).then(() => { settle('settled'); done(0); }, (error) => { settle('failed'); failed(error); });
    },
  });

  const subscribe = async (client: MqttClient, topicFilter: string) => {
    client.on('error', (error) => log({ level: 'error', msg: 'mqtt', error: error.message }));
    await client.subscribeAsync(topicFilter, { qos: 1 });
    client.on('connect', () => {
      client.subscribe(topicFilter, { qos: 1 }, (error) => {
        if (error) log({ level: 'error', msg: 'mqtt resubscribe failed', filter: topicFilter, error: error.message });
      });
    });
  };
  const members = await Promise.all(Array.from({ length: config.connections }, (_, k) => connect(`${id}-${k}`, shared ? 'shared' : 'plain')));
  for (const client of members) await subscribe(client, shared ? `$share/${id}/${filter}` : filter);
  const clients = [...members];
  if (shared) {
    const all = await connect(`${id}-all`, 'plain');
    await subscribe(all, filter);
    clients.push(all);
  }
  const off = service.onChanges((changes) => {
    for (const c of changes) clients[0].publish(`${config.changesTopic}/${c.item}`, JSON.stringify(c), { qos: 1 });
  });
  return {
    clients,
    async close() {
      off();
      await Promise.all(clients.map((c) => c.endAsync()));
    },
  };
}

/**
 * A mosquitto ACL from the serve file: the service reads readings and writes changes; each device
 * (username = its token id, password = its token) may publish readings only under its own items
 * and read their changes; operators read every change.
 */
export function mosquittoAcl(config: { tokens: readonly { id: string; role: string; items?: ReadonlySet<string> }[]; mqtt: MqttConfig }): string[] {
  const { readingsTopic: readings, changesTopic: changes } = config.mqtt;
  const lines = [`user ${config.mqtt.username ?? 'sandtable'}`, `topic read ${readings}/#`, `topic write ${changes}/#`];
  for (const t of config.tokens) {
    lines.push('', `user ${t.id}`);
    if (t.role === 'operator' || !t.items) lines.push(...(t.role === 'device' ? [`topic write ${readings}/#`] : []), `topic read ${changes}/#`);
    else for (const item of t.items) lines.push(`topic write ${readings}/${item}/+`, `topic read ${changes}/${item}`);
  }
  return lines;
}
