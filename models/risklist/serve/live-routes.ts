// What the live page needs beyond CONTRACT.md's routes (all additive): the built page itself under
// a strict Content-Security-Policy, the latest changes, the districts' names, and the posted
// warnings as JSON and as CAP 1.2.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cursorText, LiveIndex, parseCursor, type Cursor, type LiveFilter } from './live-index.ts';
import { ItemSearch, searchProblem } from './live-search.ts';
import { StaleIndex } from './live-stale.ts';
import type { RisklistService } from './service.ts';
import { capId, loadRegionInfo, postedWarnings, warningAreas, warningsCap, type RegionInfo } from './warnings-cap.ts';

/** Everything from this origin, nothing inline, no framing: the page holds an operator's token. */
export const LIVE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `vite build` writes the app and the live page (its second entry) here. */
export const DIST_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy': LIVE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY',
};

export const NOT_BUILT = 'The live page is not built. Build it once with `npx vite build` (it writes dist/web/, the live page at dist/web/live/index.html), then reload.';

/** The start-up log line about the page: where it is, or how to build it. */
export function pageLogLine(url: string, dist = DIST_DIR): Record<string, unknown> {
  return existsSync(join(dist, 'live', 'index.html'))
    ? { msg: 'live page', url: `${url}/live/` }
    : { level: 'warn', msg: NOT_BUILT, url: `${url}/live/` };
}

/**
 * Serves `/` (to /live/), `/live/` and the built assets, no token needed: the page holds no data,
 * it asks for a token and sends it in the Authorization header. Returns the route served, or
 * undefined when the path is not the page's.
 */
export function servePage(path: string, method: string, res: ServerResponse, dist = DIST_DIR): string | undefined {
  if (path === '/') {
    res.writeHead(302, { location: '/live/', ...SECURITY_HEADERS });
    res.end();
    return '/';
  }
  const isPage = path === '/live' || path === '/live/' || path === '/live/index.html';
  if (!isPage && !path.startsWith('/assets/')) return undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET', 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
    res.end(JSON.stringify({ error: `${path} takes GET` }));
    return isPage ? '/live/' : '/assets/*';
  }
  const page = join(dist, 'live', 'index.html');
  if (isPage && !existsSync(page)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(`${NOT_BUILT}\n(looked for ${page})\n`);
    return '/live/';
  }
  const file = isPage ? page : normalize(join(dist, decodeURIComponent(path)));
  // Never outside dist/web/assets, whatever "../" the path holds.
  if (!isPage && !file.startsWith(join(dist, 'assets') + sep)) return undefined;
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    // Hashed asset names change with their content; the page itself must always be fresh.
    'cache-control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
    ...SECURITY_HEADERS,
  });
  res.end(method === 'HEAD' ? undefined : readFileSync(file));
  return isPage ? '/live/' : '/assets/*';
}

export interface ExtraAnswer { route: string; status: number; body: unknown; type?: string }

/** Rows in one page of /v1/live/items or /v1/live/stale: a page stays small, whatever the list. */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;

class BadQuery extends Error {}

function filterOf(url: URL): LiveFilter {
  const level = url.searchParams.get('level');
  if (level !== null && !/^[1-4]$/.test(level)) throw new BadQuery(`level must be 1, 2, 3 or 4 (got ${JSON.stringify(level)})`);
  const area = url.searchParams.get('district') ?? undefined;
  const category = url.searchParams.get('category') ?? undefined;
  return { level: level === null ? undefined : Number(level), area: area || undefined, category: category || undefined };
}

function pageOf(url: URL): { limit: number; after: Cursor | undefined } {
  const raw = url.searchParams.get('limit');
  const limit = raw === null ? PAGE_DEFAULT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) throw new BadQuery(`limit must be a whole number from 1 to ${PAGE_MAX} (got ${JSON.stringify(raw)})`);
  const after = parseCursor(url.searchParams.get('cursor'));
  if (after === null) throw new BadQuery(`cursor must be the "next" of a previous page (got ${JSON.stringify(url.searchParams.get('cursor'))})`);
  return { limit, after };
}

/** The additive read routes; undefined when the path is none of them. */
export class LiveRoutes {
  private region: RegionInfo | undefined | null = null;
  private areas: unknown;
  private indexOf: LiveIndex | undefined;
  private staleOf: StaleIndex | undefined;
  private searchOf: ItemSearch | undefined;
  constructor(private readonly service: RisklistService, private readonly itemsFile: string | undefined, private readonly sender: string) {}

  /** Built at the first question, on the list the service grades (the same for its whole life). */
  private get index(): LiveIndex {
    return (this.indexOf ??= new LiveIndex(this.service));
  }

  private get search(): ItemSearch {
    return (this.searchOf ??= new ItemSearch(this.service.defs.ids, (id) => this.names(id)));
  }

  private get staleIndex(): StaleIndex {
    return (this.staleOf ??= new StaleIndex(this.service, this.index));
  }

  private names(id: string) {
    const n = this.service.config.itemNames?.get(id);
    return { name: n?.name ?? null, name_zh: n?.name_zh ?? null };
  }

  /** Stale factors in the whole list, from the index (for /metrics: a scan allocated one object per stale factor). */
  staleCount(): number { return this.staleIndex.count(); }

  /** The live page's reads: counts, a page of the list, a page of the stale sensors. */
  private page(path: string, url: URL, only: Uint32Array | undefined): ExtraAnswer | undefined {
    const { service, index } = this;
    const filter = filterOf(url);
    if (path === '/v1/live/counts') {
      // The levels read and the seq they stand for are taken together: the page patches after it.
      const counts = index.counts(filter);
      return { route: path, status: 200, body: { seq: service.lastSeq, clock_s: Number.isFinite(service.clock) ? service.clock : null, ...counts } };
    }
    const { limit, after } = pageOf(url);
    const ids = service.defs.ids;
    if (path === '/v1/live/items') {
      const items: unknown[] = [];
      let more = false;
      let last: Cursor | undefined;
      index.walk(filter, after, (k, level) => {
        // One item beyond the page tells that there is a next page.
        if (items.length === limit) { more = true; return false; }
        items.push({ id: ids[k], ...this.names(ids[k]), category: index.categoryOfIndex(k), area: index.areaOfIndex(k), level });
        last = { level, index: k };
        return true;
      }, only);
      let total = 0;
      if (only) index.walk(filter, undefined, () => { total++; return true; }, only);
      else total = index.counts(filter).total;
      return { route: path, status: 200, body: { seq: service.lastSeq, total, items, next: more ? cursorText(last!) : null } };
    }
    if (path === '/v1/live/stale') {
      const { list } = service.defs;
      const page = this.staleIndex.page(filter, after, limit);
      const stale = page.rows.map(({ item: k, factor: g, level }) => ({
        item: ids[k], ...this.names(ids[k]), factor: service.defs.itemOfIndex[k].factors[g - list.factorStart[k]].id, since_s: service.lastTime[g] + list.staleAfter[g], level,
      }));
      const last = page.rows.at(-1);
      return { route: path, status: 200, body: { clock_s: Number.isFinite(service.clock) ? service.clock : null, total: page.total, stale, next: page.more ? cursorText({ level: last!.level, index: last!.factor }) : null } };
    }
    return undefined;
  }

  private areasBody() {
    const counts = new Map<string, number>();
    const categories = new Map<string, number>();
    for (const def of this.service.defs.itemOfIndex) {
      if (def.area !== undefined) counts.set(def.area, (counts.get(def.area) ?? 0) + 1);
      if (def.category !== undefined) categories.set(def.category, (categories.get(def.category) ?? 0) + 1);
    }
    const names = new Map(this.regionInfo()?.manifest.districts.map((d) => [d.id, d]) ?? []);
    return {
      areas: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([id, items]) => ({ id, name: names.get(id)?.name ?? null, name_zh: names.get(id)?.name_zh ?? null, items })),
      categories: [...categories].sort(([a], [b]) => a.localeCompare(b)).map(([id, items]) => ({ id, items })),
    };
  }

  private regionInfo(): RegionInfo | undefined {
    if (this.region === null) this.region = loadRegionInfo(this.itemsFile);
    return this.region;
  }

  async answer(path: string, url: URL): Promise<ExtraAnswer | undefined> {
    const service = this.service;
    if (path.startsWith('/v1/live/')) {
      try {
        // q= (the list only): the items whose id or name holds the text (./live-search.ts); none given, every item.
        const q = path === '/v1/live/items' ? (url.searchParams.get('q') ?? '').trim() : '';
        const problem = searchProblem(q);
        if (problem) throw new BadQuery(problem);
        return this.page(path, url, q === '' ? undefined : await this.search.match(q));
      } catch (error) {
        if (error instanceof BadQuery) return { route: path, status: 400, body: { error: error.message } };
        throw error;
      }
    }
    if (path === '/v1/changes/recent') {
      const n = Math.max(1, Math.min(Number(url.searchParams.get('n') ?? 200) || 200, 5000));
      // before=<seq>: the page before the oldest change shown (the log paged back, newest first).
      const beforeRaw = url.searchParams.get('before');
      const before = beforeRaw === null ? undefined : Number(beforeRaw);
      if (before !== undefined && !(Number.isInteger(before) && before >= 1)) return { route: path, status: 400, body: { error: `before must be a sequence number ≥ 1 (got ${JSON.stringify(beforeRaw)})` } };
      const rows = await service.sql.query<{ seq: number; t_s: number; item: string; from_level: number; to_level: number; reason: string }>(
        before === undefined
          ? 'SELECT seq, t_s, item, from_level, to_level, reason FROM changes ORDER BY seq DESC LIMIT $1'
          : 'SELECT seq, t_s, item, from_level, to_level, reason FROM changes WHERE seq < $2 ORDER BY seq DESC LIMIT $1', before === undefined ? [n] : [n, before]);
      const changes = rows.reverse().map((c) => ({ seq: Number(c.seq), t_s: c.t_s, item: c.item, from: c.from_level, to: c.to_level, reason: JSON.parse(c.reason) }));
      const last = (await service.sql.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM changes'))[0].seq;
      return { route: path, status: 200, body: { last_seq: Number(last ?? 0), changes } };
    }
    if (path === '/v1/areas') {
      // The list never changes while the service runs: counted once.
      this.areas ??= this.areasBody();
      return { route: path, status: 200, body: this.areas };
    }
    if (path === '/v1/warnings') {
      const warnings = await postedWarnings(service);
      return { route: path, status: 200, body: { warnings: warnings.map((w) => ({ ...w, areas: warningAreas(service, w), cap: `/v1/warnings/${encodeURIComponent(w.id)}.cap` })) } };
    }
    const m = /^\/v1\/warnings\/([^/]+?)(\.cancel)?\.cap$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]);
      const warnings = await postedWarnings(service);
      if (!warnings.some((w) => w.id === id)) return { route: '/v1/warnings/:id.cap', status: 404, body: { error: `no warning ${JSON.stringify(id)}` } };
      const lift = warnings.find((w) => w.id === id)!.lift_s;
      // A Cancel is sent when the clock reaches the lift time, not before.
      if (m[2] && lift !== undefined && !(service.clock >= lift)) return { route: '/v1/warnings/:id.cap', status: 404, body: { error: `warning ${JSON.stringify(id)} is lifted at t_s ${lift}, after the clock (${Number.isFinite(service.clock) ? service.clock : 'not started'}): no cancel message yet` } };
      const wanted = `${capId(id)}.${m[2] ? 'cancel' : 'alert'}.xml`;
      const message = warningsCap(service, warnings, this.regionInfo(), this.sender).find((c) => c.fileName === wanted);
      if (!message) return { route: '/v1/warnings/:id.cap', status: 404, body: { error: `warning ${JSON.stringify(id)} has no cancel message: it was not lifted, or a later warning replaced it` } };
      return { route: '/v1/warnings/:id.cap', status: 200, body: message.xml, type: 'application/cap+xml; charset=utf-8' };
    }
    return undefined;
  }
}
