// BullMQ's Redis client interface (IRedisClient, bullmq/dist/esm/interfaces/redis-client.d.ts)
// over one plain RESP2 socket. BullMQ 6 no longer bundles ioredis and this project does not ship
// it, so this small adapter speaks Redis's own wire protocol (https://redis.io/docs/latest/develop/reference/protocol-spec/)
// for the ~40 commands BullMQ declares there: the job system is still BullMQ's (its Lua scripts,
// locks, stalled-job recovery, retries); only the socket is ours. No cluster, no reconnect
// backoff: a lost connection fails the command, as BullMQ expects of a closed connection.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { ConnectionClosedError } from 'bullmq';

type Arg = string | number | Buffer | undefined | null;
type Reply = string | number | null | Error | Reply[];

export class ReplyError extends Error {
  constructor(message: string) { super(message); this.name = 'ReplyError'; }
}

/** One complete reply at `at`, or undefined while the buffer holds only part of it. */
function parseReply(buf: Buffer, at: number): { value: Reply; next: number } | undefined {
  const end = buf.indexOf('\r\n', at);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, end);
  switch (type) {
    case '+': return { value: line, next: end + 2 };
    case '-': return { value: new ReplyError(line), next: end + 2 };
    case ':': return { value: Number(line), next: end + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next: end + 2 };
      if (buf.length < end + 2 + n + 2) return undefined;
      return { value: buf.toString('utf8', end + 2, end + 2 + n), next: end + 2 + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: end + 2 };
      const items: Reply[] = [];
      let next = end + 2;
      for (let k = 0; k < n; k++) {
        const item = parseReply(buf, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default: throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
  }
}

function encode(args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    // As ioredis: an absent argument (BullMQ passes `undefined` for unused script arguments) is empty.
    const bytes: Buffer = a instanceof Uint8Array ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.from(a === undefined || a === null ? '' : String(a));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Arguments as sent. Byte arguments are copied now: msgpackr (BullMQ's packer) reuses its output
 * buffer, so a command queued in a batch or waiting for its script to load would otherwise send
 * whatever was packed after it.
 */
const flatten = (args: unknown[]): Arg[] => (args.flat(Infinity) as (Arg | Uint8Array)[]).map((a) => (a instanceof Uint8Array ? Buffer.from(a) : a));
const toObject = (flat: Reply) => {
  const out: Record<string, string> = {};
  const list = (flat ?? []) as string[];
  for (let k = 0; k + 1 < list.length; k += 2) out[list[k]] = list[k + 1];
  return out;
};

interface Script { sha: string; lua: string; keys: number }

export interface RespOptions { host: string; port: number; db: number; username?: string; password?: string; tls: boolean }

export function respOptionsFromUrl(url: string): RespOptions {
  const u = new URL(url);
  return {
    host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.replace('/', '') || 0),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}), ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    tls: u.protocol === 'rediss:',
  };
}

/** Commands queued for one round trip (pipeline) or one MULTI/EXEC (transaction). */
class Batch {
  private readonly commands: Arg[][] = [];
  constructor(private readonly client: RespClient, private readonly atomic: boolean) {}
  private add(...args: Arg[]) { this.commands.push(flatten(args)); return this; }
  hgetall(key: string) { return this.add('HGETALL', key); }
  hset(key: string, data: Record<string, string | number>) { return this.add('HSET', key, ...Object.entries(data).flat()); }
  hscan(key: string, cursor: string | number, options: { COUNT?: number } = {}) { return this.add('HSCAN', key, cursor, ...(options.COUNT ? ['COUNT', options.COUNT] : [])); }
  smembers(key: string) { return this.add('SMEMBERS', key); }
  sscan(key: string, cursor: string | number, options: { COUNT?: number } = {}) { return this.add('SSCAN', key, cursor, ...(options.COUNT ? ['COUNT', options.COUNT] : [])); }
  zrange(key: string, start: number, end: number) { return this.add('ZRANGE', key, start, end); }
  lrange(key: string, start: number, end: number) { return this.add('LRANGE', key, start, end); }
  llen(key: string) { return this.add('LLEN', key); }
  del(...keys: string[]) { return this.add('DEL', ...keys.flat()); }
  runCommand(name: string, args: unknown[]) { this.commands.push(this.client.scriptCall(name, args)); return this; }
  async exec(): Promise<[Error | null, unknown][] | null> {
    // Scripts a fresh server has not seen yet: load them first, so EVALSHA inside MULTI cannot miss.
    for (const c of this.commands) if (c[0] === 'EVALSHA') await this.client.ensureScript(String(c[1]));
    const shaped = this.commands.map((c) => (c[0] === 'HGETALL' ? 'object' : 'plain'));
    if (!this.atomic) {
      const replies = await Promise.all(this.commands.map((c) => this.client.call(c).then((v) => [null, v] as [null, unknown], (e: Error) => [e, null] as [Error, null])));
      return replies.map(([e, v], k) => [e, shaped[k] === 'object' && !e ? toObject(v as Reply) : v]);
    }
    const all = [['MULTI'], ...this.commands, ['EXEC']];
    const replies = await Promise.all(all.map((c) => this.client.call(c).catch((e: Error) => e)));
    const exec = replies[replies.length - 1];
    if (exec instanceof Error) throw exec;
    if (exec === null) return null;
    return (exec as Reply[]).map((v, k) => (v instanceof Error ? [v, null] : [null, shaped[k] === 'object' ? toObject(v) : v]));
  }
}

export class RespClient extends EventEmitter {
  status: 'wait' | 'connecting' | 'ready' | 'end' = 'wait';
  readonly isCluster = false;
  readonly options: Record<string, unknown>;
  private socket?: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: { resolve: (v: Reply) => void; reject: (e: Error) => void }[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly loaded = new Set<string>();

  constructor(private readonly connection: RespOptions, extra: Record<string, unknown> = {}) {
    super();
    this.options = { ...connection, maxRetriesPerRequest: null, ...extra };
  }

  async connect(): Promise<void> {
    if (this.status === 'ready') return;
    this.status = 'connecting';
    this.buffer = Buffer.alloc(0);
    const { host, port, tls } = this.connection;
    await new Promise<void>((resolve, reject) => {
      const socket = tls ? tlsConnect({ host, port, servername: host }) : connect({ host, port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.once(tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', (error) => { reject(error); this.emit('error', error); });
      socket.on('data', (chunk) => this.receive(chunk));
      socket.once('close', () => this.closed());
    });
    const { username, password, db } = this.connection;
    if (password !== undefined) await this.call(username ? ['AUTH', username, password] : ['AUTH', password]);
    if (db) await this.call(['SELECT', db]);
    this.loaded.clear();
    this.status = 'ready';
    this.emit('connect');
    this.emit('ready');
  }

  private receive(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let at = 0;
    for (;;) {
      const reply = parseReply(this.buffer, at);
      if (!reply) break;
      at = reply.next;
      const waiter = this.waiting.shift();
      if (!waiter) continue;
      if (reply.value instanceof Error) waiter.reject(reply.value); else waiter.resolve(reply.value);
    }
    this.buffer = at === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(at);
  }

  private closed() {
    if (this.status === 'end') return;
    this.status = 'end';
    for (const w of this.waiting.splice(0)) w.reject(new ConnectionClosedError());
    this.emit('close');
    this.emit('end');
  }

  /** Sends one command; a Redis error reply rejects with a ReplyError. */
  call(args: readonly Arg[]): Promise<any> {
    if (!this.socket || this.status === 'end' || this.status === 'wait') return Promise.reject(new ConnectionClosedError());
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket!.write(encode(args));
    });
  }

  disconnect(_reconnect?: boolean): void {
    this.socket?.destroy();
    this.closed();
  }

  async quit(): Promise<string> {
    try { await this.call(['QUIT']); } catch { /* closing anyway */ }
    this.disconnect();
    return 'OK';
  }

  duplicate(overrides: Record<string, unknown> = {}): RespClient {
    const copy = new RespClient(this.connection, overrides);
    for (const [name, s] of this.scripts) copy.scripts.set(name, s);
    return copy;
  }

  defineCommand(name: string, { numberOfKeys, lua }: { numberOfKeys: number; lua: string }): void {
    this.scripts.set(name, { sha: createHash('sha1').update(lua).digest('hex'), lua, keys: numberOfKeys });
  }

  scriptCall(name: string, args: unknown[]): Arg[] {
    const script = this.scripts.get(name);
    if (!script) throw new Error(`BullMQ script ${name} was not defined`);
    return ['EVALSHA', script.sha, script.keys, ...flatten(args)];
  }

  async ensureScript(sha: string): Promise<void> {
    if (this.loaded.has(sha)) return;
    const script = [...this.scripts.values()].find((s) => s.sha === sha)!;
    await this.call(['SCRIPT', 'LOAD', script.lua]);
    this.loaded.add(sha);
  }

  async runCommand(name: string, args: unknown[]): Promise<any> {
    const call = this.scriptCall(name, args);
    await this.ensureScript(String(call[1]));
    return this.call(call);
  }

  multi() { return new Batch(this, true); }
  pipeline() { return new Batch(this, false); }
  async hgetall(key: string) { return toObject(await this.call(['HGETALL', key])); }
  hget(key: string, field: string) { return this.call(['HGET', key, field]); }
  hmget(key: string, ...fields: string[]) { return this.call(['HMGET', key, ...fields.flat()]); }
  hset(key: string, data: Record<string, string | number>) { return this.call(['HSET', key, ...Object.entries(data).flat()]); }
  hdel(key: string, ...fields: string[]) { return this.call(['HDEL', key, ...fields.flat()]); }
  hexists(key: string, field: string) { return this.call(['HEXISTS', key, field]); }
  get(key: string) { return this.call(['GET', key]); }
  set(key: string, value: string | number, options: { PX?: number; EX?: number } = {}) {
    return this.call(['SET', key, value, ...(options.PX != null ? ['PX', options.PX] : []), ...(options.EX != null ? ['EX', options.EX] : [])]);
  }
  del(...keys: string[]) { return this.call(['DEL', ...keys.flat()]); }
  zrange(key: string, start: number, end: number, options: { WITHSCORES?: boolean } = {}) { return this.call(['ZRANGE', key, start, end, ...(options.WITHSCORES ? ['WITHSCORES'] : [])]); }
  zrevrange(key: string, start: number, end: number, options: { WITHSCORES?: boolean } = {}) { return this.call(['ZREVRANGE', key, start, end, ...(options.WITHSCORES ? ['WITHSCORES'] : [])]); }
  zcard(key: string) { return this.call(['ZCARD', key]); }
  zscore(key: string, member: string) { return this.call(['ZSCORE', key, member]); }
  lrange(key: string, start: number, end: number) { return this.call(['LRANGE', key, start, end]); }
  llen(key: string) { return this.call(['LLEN', key]); }
  ltrim(key: string, start: number, end: number) { return this.call(['LTRIM', key, start, end]); }
  lpos(key: string, value: string) { return this.call(['LPOS', key, value]); }
  smembers(key: string) { return this.call(['SMEMBERS', key]); }
  xadd(key: string, id: string, fields: Record<string, string | number>, options: { MAXLEN?: number; approximate?: boolean } = {}) {
    return this.call(['XADD', key, ...(options.MAXLEN != null ? ['MAXLEN', ...(options.approximate ? ['~'] : []), options.MAXLEN] : []), id, ...Object.entries(fields).flat()]);
  }
  xread(streams: { key: string; id: string }[], options: { BLOCK?: number; COUNT?: number } = {}) {
    return this.call(['XREAD', ...(options.COUNT != null ? ['COUNT', options.COUNT] : []), ...(options.BLOCK != null ? ['BLOCK', options.BLOCK] : []), 'STREAMS', ...streams.map((s) => s.key), ...streams.map((s) => s.id)]);
  }
  xtrim(key: string, strategy: 'MAXLEN', threshold: number, options: { approximate?: boolean } = {}) { return this.call(['XTRIM', key, strategy, ...(options.approximate ? ['~'] : []), threshold]); }
  bzpopmin(key: string, timeout: number) { return this.call(['BZPOPMIN', key, timeout]); }
  info() { return this.call(['INFO']); }
  clientSetName(name: string) { return this.call(['CLIENT', 'SETNAME', name]); }
  clientList() { return this.call(['CLIENT', 'LIST']); }
  clientInfo() { return this.call(['CLIENT', 'INFO']); }
  scan(cursor: string | number, options: { MATCH?: string; COUNT?: number } = {}) {
    return this.call(['SCAN', cursor, ...(options.MATCH ? ['MATCH', options.MATCH] : []), ...(options.COUNT ? ['COUNT', options.COUNT] : [])]);
  }
  scanStream({ match, count }: { match: string; count?: number }): Readable {
    const scan = (cursor: string) => this.scan(cursor, { MATCH: match, ...(count ? { COUNT: count } : {}) }) as Promise<[string, string[]]>;
    return Readable.from((async function* () {
      let cursor = '0';
      do {
        const [next, keys] = await scan(cursor);
        cursor = next;
        if (keys.length) yield keys;
      } while (cursor !== '0');
    })(), { objectMode: true });
  }
}

/** Connects and pings once: an unreachable or refusing Redis is named at `--queue` before BullMQ starts. */
export async function checkReachable(url: string, timeoutMs = 5000): Promise<string | undefined> {
  const client = new RespClient(respOptionsFromUrl(url));
  client.on('error', () => undefined);
  const timer = new Promise<string>((resolve) => setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs).unref());
  const attempt = client.connect().then(() => client.call(['PING'])).then(() => undefined, (error: NodeJS.ErrnoException) => error.code ?? error.message);
  const problem = await Promise.race([attempt, timer]);
  client.disconnect();
  return problem;
}
