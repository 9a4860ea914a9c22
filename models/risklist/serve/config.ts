// The serve file of `sandtable risklist serve` (CONTRACT.md "risklist serve"), validated once at
// start with the CLI's `error: <path>: …` problems. Secrets (tokens, the MQTT password) never
// appear in a problem: a problem about one names its path only.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { childPath, InputError, type Problem } from '../../errors.ts';
import { parseJson } from '../../json.ts';
import { checkFileSize, MAX_TEXT_BYTES } from '../../limits.ts';
import { checkKnownKeys, checkParams, isRecord, throwIfAny } from '../../params.ts';
import { parseItems, parseSettings, SETTING_KEYS } from '../parse.ts';
import { limitParams, mqttParams, serveParams, snapshotParams } from './spec.ts';

export type Role = 'operator' | 'device';

export interface TokenEntry {
  /** Shown in logs and the audit log instead of the secret: the entry's `id`, or `token:` + 12 hex of its SHA-256. */
  id: string;
  sha256: string;
  role: Role;
  /** Items a device may post for; undefined = every item. */
  items?: ReadonlySet<string>;
}

export interface MqttConfig {
  url: string;
  username?: string;
  password?: string;
  /** Readings arrive on `<readings>/<item>/<factor>`, changes leave on `<changes>/<item>`. */
  readingsTopic: string;
  changesTopic: string;
  /** Connections in the shared subscription readings arrive on (1: a plain subscription). */
  connections: number;
}

export interface ServeConfig {
  file: string;
  /** What RisklistSession opens: `items` and the batch case's settings. */
  list: Record<string, unknown>;
  /** The items file when `items` names one: a region's region.json beside it gives districts their names and outlines. */
  itemsFile?: string;
  /** SHA-256 of `list`: a database keeps the list it was started with. */
  listHash: string;
  host: string;
  port: number;
  database: { kind: 'embedded'; dir: string; defaulted: boolean } | { kind: 'postgres'; url: string };
  clock: 'wall' | 'replay';
  /** t_s = seconds since this instant (ms since 1970); undefined = 1970-01-01T00:00:00Z, so t_s is Unix time. */
  epochMs?: number;
  mqtt?: MqttConfig;
  /** Display names of the items that carry one (`name`, `name_zh`): shown on the live page, never graded, not in `listHash`. */
  itemNames: Map<string, ItemName>;
  tokens: TokenEntry[];
  limits: { bodyBytes: number; readingsPerRequest: number; requestsPerS: number; burst: number; maxFutureS: number; tickS: number; latenessS: number };
  /** Snapshots of the grading state (models/risklist/serve/snapshot.ts); undefined = off (`"snapshots": false`). */
  snapshots?: SnapshotConfig;
}

export interface ItemName { name: string | null; name_zh: string | null }

/** A display name longer than this is refused: it is a label on a row, not a document. */
const MAX_NAME_CHARS = 200;

export interface SnapshotConfig { everyReadings: number; everyS: number; keep: number; chunkBytes: number; atShutdownS: number }

const SERVE_KEYS = ['items', 'http', 'database', 'clock', 'epoch', 'mqtt', 'tokens', 'limits', 'snapshots', 'name', 'description', ...SETTING_KEYS];
/** Fields a region's risk-items.json carries for the map and the couplings; the list does not grade them. */
const REGION_ONLY_KEYS = ['name_zh', 'x_m', 'y_m', 'basin', 'lon', 'lat', 'x', 'y', 'district'];

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readJsonFile(path: string, shownAs: string, jsonPath: string, expected: string): unknown {
  let text: string;
  try {
    checkFileSize(statSync(path).size, MAX_TEXT_BYTES, shownAs, 'a JSON file');
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(jsonPath, code === 'ENOENT' ? 'names no file' : `names a file that cannot be read (${code})`, shownAs, expected);
  }
  return parseJson(text, shownAs);
}

/**
 * The items' display names, checked: strings of at most MAX_NAME_CHARS. Inline items may carry
 * `name_zh` beside the batch case's `name`; it is taken off before the list is parsed and hashed,
 * so a database started without names keeps its list.
 */
function takeNames(list: unknown, path: string, stripZh: boolean, problems: Problem[]): { items: unknown; names: Map<string, ItemName> } {
  const names = new Map<string, ItemName>();
  if (!Array.isArray(list)) return { items: list, names };
  const items = list.map((item, k) => {
    if (!isRecord(item)) return item;
    const name: ItemName = { name: null, name_zh: null };
    for (const key of ['name', 'name_zh'] as const) {
      const v = item[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME_CHARS) {
        problems.push({ path: childPath(childPath(path, k), key), message: 'is not a display name', value: v, expected: `a non-empty string of at most ${MAX_NAME_CHARS} characters` });
        continue;
      }
      name[key] = v;
    }
    if (typeof item.id === 'string' && (name.name !== null || name.name_zh !== null)) names.set(item.id, name);
    if (!stripZh || item.name_zh === undefined) return item;
    const { name_zh: _zh, ...rest } = item;
    return rest;
  });
  return { items, names };
}

/** `items` inline, or a file: a region's risk-items.json or a batch case (its `items`). */
function loadItems(value: unknown, baseDir: string, problems: Problem[]): { items: unknown; path: string; names: Map<string, ItemName> } {
  if (typeof value !== 'string') return { ...takeNames(value, '$.items', true, problems), path: '$.items' };
  const file = resolve(baseDir, value);
  const doc = readJsonFile(file, value, '$.items', 'a risk-items JSON file ({ "items": [...] }) or a batch case');
  const list = Array.isArray(doc) ? doc : isRecord(doc) ? doc.items : undefined;
  if (!Array.isArray(list)) {
    problems.push({ path: `${value} $.items`, message: 'must be a list of risk-list items', value: list, expected: '{ "items": [{ "id", "category", … }] }' });
    return { items: [], path: `${value} $.items`, names: new Map() };
  }
  const { names } = takeNames(list, `${value} $.items`, false, problems);
  // A region's items carry map fields and no factors: they get their category's default factors.
  const items = list.map((item) => {
    if (!isRecord(item)) return item;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) if (!REGION_ONLY_KEYS.includes(k)) out[k] = v;
    if (out.factors === undefined && typeof out.category === 'string') out.factors = 'category';
    return out;
  });
  return { items, path: `${value} $.items`, names };
}

function parseTokens(value: unknown, baseDir: string, itemIds: ReadonlySet<string>, problems: Problem[]): TokenEntry[] {
  let list = value;
  let path = '$.tokens';
  if (typeof value === 'string') {
    const doc = readJsonFile(resolve(baseDir, value), value, '$.tokens', 'a tokens JSON file ([{ "token", "role", "items" }])');
    list = isRecord(doc) ? doc.tokens : doc;
    path = `${value} $`;
  }
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ path, message: 'must list at least one token', value: Array.isArray(list) ? list : typeof list, expected: '[{ "token": "…", "role": "operator" }, { "token": "…", "role": "device", "items": ["UP-01"] }]' });
    return [];
  }
  const out: TokenEntry[] = [];
  const seen = new Map<string, string>();
  list.forEach((raw, k) => {
    const at = childPath(path, k);
    if (!isRecord(raw)) { problems.push({ path: at, message: 'must be an object', expected: '{ "token", "role", "items" }' }); return; }
    checkKnownKeys(raw, ['token', 'role', 'items', 'id', 'name'], at, problems);
    // Never echo the token itself: only its path.
    if (typeof raw.token !== 'string' || raw.token.length === 0 || /\s/.test(raw.token)) {
      problems.push({ path: childPath(at, 'token'), message: 'must be a secret string without spaces', expected: 'a long random string (32 characters or more)' });
      return;
    }
    const hash = sha256(raw.token);
    if (seen.has(hash)) { problems.push({ path: childPath(at, 'token'), message: `repeats the token of ${seen.get(hash)}`, expected: 'one token per entry' }); return; }
    seen.set(hash, at);
    if (raw.role !== 'operator' && raw.role !== 'device') {
      problems.push({ path: childPath(at, 'role'), message: 'is not a role', value: raw.role, expected: '"operator" or "device"' });
      return;
    }
    if (raw.id !== undefined && (typeof raw.id !== 'string' || !/^[\w.-]{1,64}$/.test(raw.id))) {
      problems.push({ path: childPath(at, 'id'), message: 'is not a token id', value: raw.id, expected: 'letters, digits, _ . - (at most 64): shown in logs and the audit log' });
      return;
    }
    let items: Set<string> | undefined;
    if (raw.role === 'device') {
      if (raw.items === '*') items = undefined;
      else if (Array.isArray(raw.items) && raw.items.length > 0 && raw.items.every((i) => typeof i === 'string')) {
        items = new Set(raw.items as string[]);
        (raw.items as string[]).forEach((id, j) => {
          if (!itemIds.has(id)) problems.push({ path: childPath(childPath(at, 'items'), j), message: 'names no item of the list', value: id, expected: 'an item id of $.items' });
        });
      } else {
        problems.push({ path: childPath(at, 'items'), message: 'must name the device\'s items', value: raw.items, expected: 'an array of item ids, or "*" for all' });
        return;
      }
    } else if (raw.items !== undefined && raw.items !== '*') {
      problems.push({ path: childPath(at, 'items'), message: 'is for device tokens', value: raw.items, expected: 'no items on an operator token (operators act on every item)' });
    }
    out.push({ id: (raw.id as string | undefined) ?? `token:${hash.slice(0, 12)}`, sha256: hash, role: raw.role, items });
  });
  return out;
}

function parseDatabase(value: unknown, file: string, baseDir: string, problems: Problem[]): ServeConfig['database'] {
  const fallback = resolve(baseDir, `${basename(file).replace(/\.json$/i, '')}.db`);
  if (value === undefined) return { kind: 'embedded', dir: fallback, defaulted: true };
  if (typeof value === 'string' && value.startsWith('embedded:') && value.length > 'embedded:'.length) {
    const dir = value.slice('embedded:'.length);
    return { kind: 'embedded', dir: isAbsolute(dir) ? dir : resolve(baseDir, dir), defaulted: false };
  }
  if (typeof value === 'string' && /^postgres(ql)?:\/\/./.test(value)) return { kind: 'postgres', url: value };
  // A URL may hold a password: shown only when it cannot be one.
  problems.push({ path: '$.database', message: 'is not a database', ...(typeof value === 'string' && !value.includes('@') ? { value } : {}), expected: '"embedded:<dir>" (PGlite) or "postgres://user@host:port/db"' });
  return { kind: 'embedded', dir: fallback, defaulted: true };
}

function parseMqtt(value: unknown, problems: Problem[]): MqttConfig | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) { problems.push({ path: '$.mqtt', message: 'must be an object', value, expected: '{ "url": "mqtt://127.0.0.1:1883", "username", "password" }' }); return undefined; }
  checkKnownKeys(value, ['url', 'username', 'password', 'topics', 'connections'], '$.mqtt', problems);
  const { connections } = checkParams(mqttParams, value, '$.mqtt', problems);
  if (typeof value.url !== 'string' || !/^mqtts?:\/\/[^/\s]+/.test(value.url)) {
    problems.push({ path: '$.mqtt.url', message: 'is not an MQTT URL', ...(typeof value.url === 'string' && !value.url.includes('@') ? { value: value.url } : {}), expected: 'mqtt://host:port' });
  }
  for (const key of ['username', 'password'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') problems.push({ path: `$.mqtt.${key}`, message: 'must be a string', expected: 'the service\'s own broker credential' });
  }
  const topics = value.topics === undefined ? {} : value.topics;
  if (!isRecord(topics)) { problems.push({ path: '$.mqtt.topics', message: 'must be an object', value: topics, expected: '{ "readings": "sandtable/readings", "changes": "sandtable/changes" }' }); return undefined; }
  checkKnownKeys(topics, ['readings', 'changes'], '$.mqtt.topics', problems);
  const topic = (key: 'readings' | 'changes', fallback: string): string => {
    const t = topics[key] ?? fallback;
    if (typeof t !== 'string' || t === '' || /[+#]|\/$|^\//.test(t)) {
      problems.push({ path: `$.mqtt.topics.${key}`, message: 'is not a topic prefix', value: t, expected: 'levels without wildcards, e.g. "sandtable/readings"' });
      return fallback;
    }
    return t;
  };
  return {
    url: String(value.url), username: value.username as string | undefined, password: value.password as string | undefined,
    readingsTopic: topic('readings', 'sandtable/readings'), changesTopic: topic('changes', 'sandtable/changes'), connections: connections ?? mqttParams.connections.default,
  };
}

function parseSnapshots(value: unknown, problems: Problem[]): SnapshotConfig | undefined {
  if (value === false) return undefined;
  const raw = value ?? {};
  if (!isRecord(raw)) {
    problems.push({ path: '$.snapshots', message: 'must be an object or false', value, expected: `{ ${Object.keys(snapshotParams).join(', ')} }, or false for none` });
    return undefined;
  }
  checkKnownKeys(raw, Object.keys(snapshotParams), '$.snapshots', problems);
  const p = checkParams(snapshotParams, raw, '$.snapshots', problems);
  return { everyReadings: p.every_readings, everyS: p.every_s, keep: p.keep, chunkBytes: p.chunk_bytes, atShutdownS: p.at_shutdown_s };
}

export function loadServeConfig(root: unknown, file: string): ServeConfig {
  if (!isRecord(root)) throw InputError.single('$', 'must be an object', root, 'a serve file { "items", "tokens", … }');
  const baseDir = dirname(resolve(file));
  const problems: Problem[] = [];
  checkKnownKeys(root, SERVE_KEYS, '$', problems);
  if (root.items === undefined) problems.push({ path: '$.items', message: 'is required', expected: 'the items (the batch case\'s form) or a file such as "region/risk-items.json"' });
  const { items, path: itemsPath, names: itemNames } = loadItems(root.items, baseDir, problems);
  const settings = parseSettings(root, problems);
  const parsed = root.items === undefined ? [] : parseItems(items, itemsPath, settings, problems);
  const itemIds = new Set(parsed.map((i) => i.id));
  for (const id of itemIds) {
    if (/[/+#\s]/.test(id)) { problems.push({ path: itemsPath, message: 'has an item id unfit for an MQTT topic or a URL', value: id, expected: 'ids without "/", "+", "#" or spaces' }); break; }
  }

  const http = root.http ?? {};
  let host = '127.0.0.1';
  let port = 0;
  if (!isRecord(http)) problems.push({ path: '$.http', message: 'must be an object', value: http, expected: '{ "host": "127.0.0.1", "port": 8080 }' });
  else {
    checkKnownKeys(http, ['host', 'port'], '$.http', problems);
    if (http.host !== undefined) {
      if (typeof http.host !== 'string' || http.host === '') problems.push({ path: '$.http.host', message: 'must be a host name or address', value: http.host, expected: 'e.g. "127.0.0.1" (the default) or "0.0.0.0"' });
      else host = http.host;
    }
    port = checkParams({ port: serveParams.port }, http, '$.http', problems).port ?? 0;
  }
  const database = parseDatabase(root.database, file, baseDir, problems);
  const clock = root.clock ?? 'wall';
  if (clock !== 'wall' && clock !== 'replay') problems.push({ path: '$.clock', message: 'is not a clock', value: clock, expected: '"wall" (the default) or "replay"' });
  let epochMs: number | undefined;
  if (root.epoch !== undefined) {
    epochMs = typeof root.epoch === 'string' && /^\d{4}-\d\d-\d\dT/.test(root.epoch) ? Date.parse(root.epoch) : NaN;
    if (!Number.isFinite(epochMs)) problems.push({ path: '$.epoch', message: 'is not an ISO 8601 time', value: root.epoch, expected: 'e.g. "2026-07-01T00:00:00Z": t_s counts seconds from it' });
  }
  const mqtt = parseMqtt(root.mqtt, problems);
  if (root.tokens === undefined) problems.push({ path: '$.tokens', message: 'is required', expected: 'the tokens: [{ "token", "role": "operator" }, { "token", "role": "device", "items": [...] }] or a file' });
  const tokens = root.tokens === undefined ? [] : parseTokens(root.tokens, baseDir, itemIds, problems);
  const limitsRaw = root.limits ?? {};
  let limits = {} as ReturnType<typeof checkParams<typeof limitParams>>;
  if (!isRecord(limitsRaw)) problems.push({ path: '$.limits', message: 'must be an object', value: limitsRaw, expected: `{ ${Object.keys(limitParams).join(', ')} }` });
  else {
    checkKnownKeys(limitsRaw, Object.keys(limitParams), '$.limits', problems);
    limits = checkParams(limitParams, limitsRaw, '$.limits', problems);
  }
  const snapshots = parseSnapshots(root.snapshots, problems);
  throwIfAny(problems);

  const list: Record<string, unknown> = { items };
  for (const key of SETTING_KEYS) if (root[key] !== undefined) list[key] = root[key];
  return {
    file, list, itemsFile: typeof root.items === 'string' ? resolve(baseDir, root.items) : undefined, listHash: sha256(JSON.stringify(list)), host, port, database, clock: clock as 'wall' | 'replay', epochMs, mqtt, itemNames, tokens,
    limits: {
      bodyBytes: limits.body_bytes, readingsPerRequest: limits.readings_per_request, requestsPerS: limits.requests_per_s,
      burst: limits.burst, maxFutureS: limits.max_future_s, tickS: limits.tick_s, latenessS: limits.lateness_s,
    },
    snapshots,
  };
}
