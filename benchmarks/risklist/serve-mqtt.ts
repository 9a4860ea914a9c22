// MQTT ingestion of the live risk list (`risklist serve`), not a test: a real mosquitto (started
// here, password file and ACL from the serve file), the service in this process on the wall clock
// with its `mqtt.connections` read connections, and publishers sending QoS 1 readings as fast as
// the broker takes them (the publisher's PUBACK is the broker's). The service acknowledges each
// reading to the broker only after its commit, so readings/s here is the committed rate, timed
// until the last one is stored; the readings per write cycle show how many commit together.
//   node --import tsx benchmarks/risklist/serve-mqtt.ts [--items N] [--readings N] [--connections C]
//        [--publishers P] [--lateness S] [--postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { loadServeConfig } from '../../models/risklist/serve/config.ts';
import { mosquittoAcl } from '../../models/risklist/serve/mqtt.ts';
import { startService } from '../../models/risklist/serve/start.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { startMosquitto } from '../../test/services/mosquitto.ts';

const arg = (name: string, fallback: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k === -1 ? fallback : Number(process.argv[k + 1]);
};
const quantile = (xs: number[], q: number) => { const s = xs.slice().sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };

const items = arg('items', 10_000);
const total = arg('readings', 20_000);
const connections = arg('connections', 16);
const publishers = arg('publishers', 4);
const work = mkdtempSync(join(tmpdir(), 'sandtable-serve-mqtt-bench-'));
const pg = process.argv.includes('--postgres') ? await (await import('../../test/services/postgres.ts')).startPostgres() : undefined;
const list = Array.from({ length: items }, (_, i) => ({ id: `WL-${String(i).padStart(6, '0')}`, category: 'waterlogging', factors: 'category' }));
const gateway = { token: 'bench-mqtt-gateway-token-0123456789', role: 'device', items: '*', id: 'gateway' };
const servicePassword = 'bench-mqtt-service-password-0123456789';
const probe = loadServeConfig({ items: list, tokens: [gateway], mqtt: { url: 'mqtt://127.0.0.1:1', username: 'sandtable', password: servicePassword } }, join(work, 'serve.json'));
const broker = await startMosquitto([{ username: 'sandtable', password: servicePassword }, { username: gateway.id, password: gateway.token }], mosquittoAcl({ tokens: probe.tokens, mqtt: probe.mqtt! }));
const serve = {
  clock: 'wall', items: list, database: pg?.url ?? `embedded:${join(work, 'db')}`, tokens: [gateway],
  mqtt: { url: broker.url, username: 'sandtable', password: servicePassword, connections },
  limits: { tick_s: 0.05, lateness_s: arg('lateness', 2) },
};
const running = await startService(loadServeConfig(serve, join(work, 'serve.json')), await loadKernels(), () => {});
const clients = await Promise.all(Array.from({ length: publishers }, (_, k) => connectAsync(broker.url, { username: gateway.id, password: gateway.token, clientId: `bench-pub-${k}` })));
const metrics = running.service.metrics;
const cycles0 = metrics.cycles;
const cpu0 = process.cpuUsage();
const ackMs: number[] = [];
const started = performance.now();
let next = 0;
await Promise.all(clients.map(async (client) => {
  // Each publisher keeps up to 500 messages awaiting their PUBACK.
  const window = new Set<Promise<void>>();
  while (next < total) {
    const k = next++;
    const sent = performance.now();
    const p: Promise<void> = client.publishAsync(`sandtable/readings/${list[k % items].id}/depth_cm`, JSON.stringify({ value: 5, t_s: Date.now() / 1000 }), { qos: 1 })
      .then(() => { ackMs.push(performance.now() - sent); window.delete(p); });
    window.add(p);
    if (window.size >= 500) await Promise.race(window);
  }
  await Promise.all(window);
}));
const publishedS = (performance.now() - started) / 1000;
const deadline = performance.now() + 600_000;
// Every reading ends accepted or refused (late: it waited in the broker longer than lateness_s).
const answered = () => metrics.readingsAccepted + [...metrics.rejects.values()].reduce((a, b) => a + b, 0);
while (answered() < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  database: running.service.sql.engine, items, readings: total, connections, publishers,
  accepted: metrics.readingsAccepted, rejected: Object.fromEntries(metrics.rejects), readings_per_s: Math.round(answered() / seconds),
  published_in_s: Math.round(publishedS * 10) / 10, committed_in_s: Math.round(seconds * 10) / 10,
  broker_puback_ms: { p50: Math.round(quantile(ackMs, 0.5)), p99: Math.round(quantile(ackMs, 0.99)) },
  cycles: metrics.cycles - cycles0, readings_per_cycle: Math.round((metrics.readingsStored / Math.max(1, metrics.cycles - cycles0)) * 10) / 10,
  cpu_us_per_reading_service_and_publishers: Math.round((cpu.user + cpu.system) / Math.max(1, metrics.readingsAccepted)),
}));
await Promise.all(clients.map((c) => c.endAsync()));
await running.stop();
await broker.stop();
await pg?.stop();
rmSync(work, { recursive: true, force: true });
