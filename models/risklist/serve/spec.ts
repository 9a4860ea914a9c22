// The serve file's numeric settings, declared once (validation and `risklist serve --help`).
import type { CommandContract, DeclaredParam, ParamSpec } from '../../params.ts';
import { caseParams, holdParams } from '../spec.ts';

const count = (description: string, en: string, zh: string, min: number, max: number, fallback: number): DeclaredParam =>
  ({ kind: 'number', unit: '1', min, max, integer: true, default: fallback, description, label: { en, zh } });
const seconds = (description: string, en: string, zh: string, min: number, max: number, fallback: number): DeclaredParam =>
  ({ kind: 'number', unit: 's', min, max, default: fallback, description, label: { en, zh } });

export const serveParams = {
  port: count('HTTP port; 0 takes a free one (the bound URL is printed on stderr)', 'HTTP port', 'HTTP 端口', 0, 65535, 0),
} satisfies ParamSpec;

export const mqttParams = {
  connections: count('Connections the service reads readings through (an MQTT 5 shared subscription): up to this many readings commit in one write cycle; 1 for a broker without shared subscriptions', 'MQTT connections', 'MQTT 连接数', 1, 256, 64),
} satisfies ParamSpec;

export const limitParams = {
  body_bytes: count('Largest request body accepted (413 beyond)', 'Body size limit', '请求体大小上限', 1024, 64 * 2 ** 20, 4 * 2 ** 20),
  readings_per_request: count('Most readings in one POST /v1/readings (413 beyond)', 'Readings per request', '单次上报条数上限', 1, 200_000, 20_000),
  requests_per_s: { ...count('Sustained requests per second allowed per token (429 beyond)', 'Requests per second per token', '每令牌每秒请求数', 1, 1e6, 200), integer: false },
  burst: count('Requests a token may send at once above its rate', 'Request burst', '突发请求数', 1, 1e6, 400),
  max_future_s: seconds('Wall clock: readings later than now by more than this are rejected as absurd', 'Future tolerance', '未来时刻容差', 0, 86400, 300),
  tick_s: { ...seconds('Wall clock: the clock advances at least this often', 'Clock tick', '时钟步进', 0.01, 60, 0.25), exclusiveMin: false },
  lateness_s: seconds('Wall clock: the clock trails the wall by this, so readings delayed up to this long still apply in time order', 'Allowed lateness', '迟到容忍', 0, 3600, 1),
} satisfies ParamSpec;

export const snapshotParams = {
  every_readings: count('A snapshot of the grading state once this many readings were graded since the last one: a restart regrades only the readings after the newest snapshot', 'Snapshot every N readings', '每 N 条读数存一次快照', 1, 1e9, 1_000_000),
  every_s: seconds('Or once this many seconds passed since the last one, when the clock, the log or the inputs moved meanwhile (also on an idle clock: no readings needed)', 'Snapshot interval', '快照间隔', 1, 7 * 86400, 600),
  keep: count('Snapshots kept, newest first (an older one serves when the newest is corrupt)', 'Snapshots kept', '保留快照数', 1, 100, 2),
  at_shutdown_s: seconds('At a graceful shutdown (SIGTERM, SIGINT), a last snapshot after the last commit, so the next start regrades nothing; abandoned (the previous one serves) if not written within this many seconds; 0 for none', 'Shutdown snapshot budget', '停机快照时限', 0, 3600, 30),
  chunk_bytes: count('Bytes of a compressed snapshot per SQL statement: the writes interleave with the write cycles instead of holding the database at once', 'Snapshot chunk', '快照分块字节数', 256, 64 * 2 ** 20, 2 ** 20),
} satisfies ParamSpec;

export const serveContract: CommandContract = {
  inputs: [
    { at: '$', params: { default_interval_s: caseParams.default_interval_s } },
    { at: '$.hold_s', params: holdParams },
    { at: '$.http', params: serveParams },
    { at: '$.mqtt', params: mqttParams },
    { at: '$.limits', params: limitParams },
    { at: '$.snapshots', params: snapshotParams },
  ],
  outputs: {},
};
