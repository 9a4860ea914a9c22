// The HTTP face of the live risk list (CONTRACT.md "risklist serve"), on node:http alone.
// Every route but /healthz needs `Authorization: Bearer <token>`; tokens are compared by SHA-256
// and only their id ever reaches a log or the audit table.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatProblem, InputError } from '../../errors.ts';
import { sha256, type ServeConfig, type TokenEntry } from './config.ts';
import { actionTimes, checkReading, quickReading, type Reading } from './ingest.ts';
import { LiveRoutes, pageLogLine, servePage } from './live-routes.ts';
import type { ActionKind, Change, RisklistService } from './service.ts';
import { changesAfter } from './store.ts';

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) { super(message); }
}

type Log = (fields: Record<string, unknown>) => void;

/** Token bucket per token: `rate` requests per second, `burst` at once. */
class RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly rate: number, private readonly burst: number) {}
  take(id: string): boolean {
    const now = performance.now() / 1000;
    const b = this.buckets.get(id) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.rate);
    b.at = now;
    this.buckets.set(id, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; version=0.0.4; charset=utf-8' : 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

export interface HttpFace { server: Server; url: string; close(): Promise<void> }

export async function startHttp(service: RisklistService, config: ServeConfig, log: Log): Promise<HttpFace> {
  const tokens = new Map(config.tokens.map((t) => [t.sha256, t]));
  const limit = new RateLimit(config.limits.requestsPerS, config.limits.burst);
  const streams = new Set<ServerResponse>();
  const live = new LiveRoutes(service, config.itemsFile, `sandtable-risklist@${config.host}`);

  const authenticate = (req: IncomingMessage): TokenEntry => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new HttpError(401, 'missing bearer token', { 'www-authenticate': 'Bearer' });
    const token = tokens.get(sha256(m[1]));
    if (!token) throw new HttpError(401, 'unknown token', { 'www-authenticate': 'Bearer error="invalid_token"' });
    if (!limit.take(token.id)) throw new HttpError(429, 'rate limit exceeded', { 'retry-after': '1' });
    return token;
  };
  const operator = (token: TokenEntry) => {
    if (token.role !== 'operator') throw new HttpError(403, 'needs an operator token');
  };
  const ready = () => {
    if (!service.ready) throw new HttpError(503, 'not ready: rebuilding state from the database', { 'retry-after': '1' });
  };

  async function readings(req: IncomingMessage, token: TokenEntry) {
    const done = service.arrived();
    try {
      return await readingsArrived(req, token, done);
    } finally {
      done();
    }
  }

  async function readingsArrived(req: IncomingMessage, token: TokenEntry, handedOff: () => void) {
    const body = await readBody(req, config.limits.bodyBytes);
    if (!Array.isArray(body)) throw new HttpError(400, 'body must be an array of readings { item, factor, value, t_s | time }');
    if (body.length > config.limits.readingsPerRequest) throw new HttpError(413, `more than ${config.limits.readingsPerRequest} readings in one request`);
    const allowed = token.role === 'device' ? token.items : undefined;
    const base = { epochMs: service.epochMs, latestS: config.clock === 'wall' ? service.wallS() + config.limits.maxFutureS : Infinity };
    const valid: { index: number; reading: Reading }[] = [];
    const rejected: { index: number; error: string }[] = [];
    let forbidden = 0;
    body.forEach((raw, index) => {
      const quick = quickReading(raw, service.index, base, allowed);
      if (quick) { valid.push({ index, reading: quick }); return; }
      const c = checkReading(raw, `$[${index}]`, service.index, base, allowed);
      if (c.ok) { valid.push({ index, reading: c.reading }); return; }
      if (c.reason === 'forbidden') forbidden++;
      service.metrics.rejected(c.reason);
      rejected.push({ index, error: c.error });
    });
    if (forbidden > 0 && forbidden === body.length) throw new HttpError(403, `token ${token.id} may not post readings for these items`);
    const result = valid.length > 0 ? await service.submitReadings(valid, `http:${token.id}`, handedOff) : { accepted: 0, rejected: [] };
    return { accepted: result.accepted, rejected: [...rejected, ...result.rejected].sort((a, b) => a.index - b.index) };
  }

  async function actions(req: IncomingMessage, token: TokenEntry, kind: ActionKind) {
    operator(token);
    const body = await readBody(req, config.limits.bodyBytes);
    const list = (Array.isArray(body) ? body : [body]).map((a) => actionTimes(a, service.epochMs));
    try {
      return { accepted: await service.submitActions(kind, list, token.id) };
    } catch (error) {
      if (error instanceof InputError) throw new HttpError(400, 'invalid input', { errors: error.problems.map(formatProblem) });
      throw error;
    }
  }

  async function advance(req: IncomingMessage, token: TokenEntry) {
    operator(token);
    if (config.clock !== 'replay') throw new HttpError(409, 'the clock follows the wall: /v1/advance needs "clock": "replay"');
    const body = await readBody(req, config.limits.bodyBytes) as { until_s?: unknown };
    const until = body?.until_s;
    if (typeof until !== 'number' || !Number.isFinite(until) || until < 0 || until > 1e12) {
      throw new HttpError(400, 'invalid input', { errors: [formatProblem({ path: '$.until_s', message: 'must be a time', value: until, expected: 'seconds in [0, 1e12]' })] });
    }
    try {
      return await service.advance(until, token.id);
    } catch (error) {
      if (error instanceof InputError) throw new HttpError(400, 'invalid input', { errors: error.problems.map(formatProblem) });
      throw error;
    }
  }

  const asChange = (c: { seq: number; t_s: number; item: string; from: number; to: number; reason: string | object }): Change =>
    ({ seq: c.seq, t_s: c.t_s, item: c.item, from: c.from, to: c.to, reason: typeof c.reason === 'string' ? JSON.parse(c.reason) : c.reason } as Change);

  function afterParam(url: URL, req: IncomingMessage): number {
    const raw = url.searchParams.get('after') ?? (req.headers['last-event-id'] as string | undefined) ?? '0';
    const after = Number(raw);
    if (!Number.isInteger(after) || after < 0) throw new HttpError(400, `after must be a sequence number ≥ 0 (got ${JSON.stringify(raw)})`);
    return after;
  }

  async function stream(req: IncomingMessage, res: ServerResponse, url: URL) {
    const after = afterParam(url, req);
    // detail=item adds the item's district and category to each change (additive: the live page
    // patches its counts under a filter with them); without it the change objects are unchanged.
    const detail = url.searchParams.get('detail') === 'item';
    let last = after;
    const buffered: Change[] = [];
    let live = false;
    const write = (c: Change) => {
      if (c.seq <= last) return;
      last = c.seq;
      const def = detail ? service.defs.itemOfIndex[service.index.item.get(c.item) ?? -1] : undefined;
      const data = detail ? { ...c, area: def?.area ?? null, category: def?.category ?? null } : c;
      res.write(`id: ${c.seq}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const off = service.onChanges((changes) => { for (const c of changes) (live ? write(c) : buffered.push(c)); });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': sandtable risk-list changes\n\n');
    streams.add(res);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => { off(); clearInterval(beat); streams.delete(res); });
    for (let batch = await changesAfter(service.sql, after, 10_000); batch.length > 0; batch = await changesAfter(service.sql, last, 10_000)) {
      for (const c of batch) write(asChange(c));
    }
    for (const c of buffered) write(c);
    live = true;
  }

  function items(url: URL) {
    const level = url.searchParams.get('level');
    const area = url.searchParams.get('district') ?? url.searchParams.get('area');
    const category = url.searchParams.get('category');
    const max = Math.min(Number(url.searchParams.get('limit') ?? 1000) || 1000, 100_000);
    const { itemOfIndex, ids } = service.defs;
    const out: { id: string; category: string | null; area: string | null; level: number }[] = [];
    let total = 0;
    for (let k = 0; k < ids.length; k++) {
      const def = itemOfIndex[k];
      if (level !== null && String(service.levels[k]) !== level) continue;
      if (area !== null && def.area !== area) continue;
      if (category !== null && def.category !== category) continue;
      total++;
      if (out.length < max) out.push({ id: ids[k], category: def.category ?? null, area: def.area ?? null, level: service.levels[k] });
    }
    return { total, items: out };
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<[string, number]> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/healthz' || path === '/readyz') {
      const body = { status: service.ready ? 'ok' : 'starting', clock: config.clock, clock_s: Number.isFinite(service.clock) ? service.clock : null, epoch: new Date(service.epochMs).toISOString(), items: service.defs.ids.length };
      send(res, service.ready ? 200 : 503, body);
      return [path, service.ready ? 200 : 503];
    }
    const page = servePage(path, method, res);
    if (page) return [page, res.statusCode];
    const token = authenticate(req);
    const extra = method === 'GET' ? await live.answer(path, url) : undefined;
    if (extra) {
      send(res, extra.status, extra.body, extra.type ? { 'content-type': extra.type } : {});
      return [extra.route, extra.status];
    }
    const posts: Record<string, () => Promise<unknown>> = {
      '/v1/readings': () => readings(req, token),
      '/v1/warnings': () => actions(req, token, 'warning'),
      '/v1/events': () => actions(req, token, 'event'),
      '/v1/pins': () => actions(req, token, 'pin'),
      '/v1/advance': () => advance(req, token),
    };
    if (posts[path]) {
      if (method !== 'POST') throw new HttpError(405, `${path} takes POST`, { allow: 'POST' });
      ready();
      send(res, 200, await posts[path]());
      return [path, 200];
    }
    if (method !== 'GET') throw new HttpError(405, `${path} takes GET`, { allow: 'GET' });
    if (path === '/metrics') {
      const wall = config.clock === 'wall' ? service.wallS() - service.clock : NaN;
      send(res, 200, service.metrics.text({ clockS: service.clock, lagS: wall, pending: service.pendingCount(), stale: live.staleCount(), items: service.defs.ids.length, ready: service.ready }));
      return [path, 200];
    }
    if (path === '/v1/changes') {
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100_000) || 100_000, 100_000);
      send(res, 200, { changes: (await changesAfter(service.sql, afterParam(url, req), limit)).map(asChange) });
      return [path, 200];
    }
    if (path === '/v1/changes/stream') { await stream(req, res, url); return [path, 200]; }
    if (path === '/v1/items') { send(res, 200, items(url)); return [path, 200]; }
    if (path === '/v1/stale') { send(res, 200, { clock_s: Number.isFinite(service.clock) ? service.clock : null, stale: service.stale() }); return [path, 200]; }
    const m = /^\/v1\/items\/([^/]+)(\/history)?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]);
      const item = service.item(id);
      if (!item) throw new HttpError(404, `no item ${JSON.stringify(id)}`);
      if (token.role === 'device' && token.items && !token.items.has(id)) throw new HttpError(403, `token ${token.id} may not read item ${id}`);
      send(res, 200, m[2] ? { item: id, changes: (await changesAfter(service.sql, afterParam(url, req), 100_000, id)).map(asChange) } : item);
      return ['/v1/items/:id', 200];
    }
    throw new HttpError(404, `no route ${method} ${path}`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(req, res, url).then(([r, status]) => service.metrics.request(r, status), (error) => {
      const e = error instanceof HttpError ? error : new HttpError(503, (error as Error)?.message ?? String(error));
      if (!(error instanceof HttpError)) log({ level: 'error', msg: 'request failed', path: url.pathname, error: e.message });
      const { errors, ...headers } = e.extra as Record<string, string> & { errors?: string[] };
      service.metrics.request(url.pathname.startsWith('/v1/items/') ? '/v1/items/:id' : url.pathname, e.status);
      if (!res.headersSent) send(res, e.status, errors ? { error: e.message, errors } : { error: e.message }, headers);
      else res.end();
      // An unread oversized body would keep the socket busy: drop the connection.
      if (e.status === 413) req.destroy();
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  log(pageLogLine(`http://${host}:${address.port}`));
  return {
    server,
    url: `http://${host}:${address.port}`,
    async close() {
      for (const res of streams) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get a moment to receive their answer.
      setTimeout(() => server.closeAllConnections(), 2000).unref();
      await closed;
    },
  };
}
