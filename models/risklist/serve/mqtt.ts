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

/**
 * MQTT.js hands a connection its next message only after the previous one's PUBACK left, and a
 * PUBACK waits for its commit: one connection commits one reading per write cycle. So the service
 * reads through `connections` members of an MQTT 5 shared subscription; the broker spreads the
 * messages over them and each cycle commits up to that many together. One connection subscribes
 * plainly (a broker without shared subscriptions).
 */
export async function startMqtt(service: RisklistService, config: MqttConfig, log: (f: Record<string, unknown>) => void): Promise<MqttFace> {
  const prefix = config.readingsTopic.split('/').length;
  const id = `sandtable-risklist-${service.config.listHash.slice(0, 8)}`;
  const connect = (k: number) => connectAsync(config.url, {
    clientId: `${id}-${k}`,
    // MQTT 5: MQTT.js honours customHandleAcks only there; each member's session (and the QoS 1
    // messages the broker queues for it) outlives a disconnect by a week.
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 86400 },
    username: config.username,
    password: config.password,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    customHandleAcks(topic, message, _packet, acknowledge) {
      const answered = service.arrived();
      const done = (code: number | Error) => { answered(); if (typeof code === 'number') acknowledge(code); else acknowledge(code); };
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
        done(0);
        return;
      }
      service.submitReadings([{ index: 0, reading: checked.reading }], 'mqtt', answered).then((r) => {
        if (r.rejected.length) log({ level: 'warn', msg: 'mqtt reading rejected', error: r.rejected[0].error });
        done(0);
      }, (error) => {
        // No PUBACK: the broker keeps the message and sends it again after the reconnect.
        log({ level: 'error', msg: 'mqtt reading not committed', error: (error as Error).message });
        done(error as Error);
      });
    },
  });
  const clients = await Promise.all(Array.from({ length: config.connections }, (_, k) => connect(k)));
  const filter = `${config.readingsTopic}/+/+`;
  for (const client of clients) {
    client.on('error', (error) => log({ level: 'error', msg: 'mqtt', error: error.message }));
    await client.subscribeAsync(config.connections > 1 ? `$share/${id}/${filter}` : filter, { qos: 1 });
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
