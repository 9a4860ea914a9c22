// The live page's reads at the city's scale (issue 19, the live list paragraph): counts per level,
// district and category kept in memory, the list paged server-side most urgent first under the
// filters, the stale sensors and the change log paged, display names carried from the items. Each
// answer is checked against the plain scan routes (/v1/items, /v1/stale) on the same service, so
// the index can never drift from the levels the service grades; then again after live changes.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../../models/risklist/serve/config.ts';
import { InputError } from '../../../models/errors.ts';
import { OPERATOR, serveInProcess, tokens, type InProcess } from './harness.ts';

const REGION_ITEMS = fileURLToPath(new URL('../../../scenarios/mountain-city/region/risk-items.json', import.meta.url));
const DISTRICTS = ['yuzhong', 'jiangbei', 'nanan'];
const CATEGORIES = ['waterlogging', 'septic-tank', 'slope'];

/** 90 items over 3 districts × 3 categories, base levels 1–4 spread unevenly, ids out of order. */
function listOf() {
  return Array.from({ length: 90 }, (_, i) => ({
    id: `IT-${String((i * 37) % 90).padStart(3, '0')}`,
    category: CATEGORIES[i % 3], area: DISTRICTS[Math.floor(i / 3) % 3],
    base_level: [1, 1, 2, 1, 3, 1, 4, 2][i % 8], factors: 'category',
    ...(i % 2 === 0 ? { name: `Point ${i} <b>&</b>`, name_zh: `测试点${i}号` } : {}),
  }));
}

interface Row { id: string; category: string | null; area: string | null; level: number }

/** The reference: the scan route's rows, most urgent first then id order (the kernel's, JS string order). */
async function scanned(api: InProcess, query: string): Promise<Row[]> {
  const rows = (await api.call('GET', `/v1/items?${query}&limit=100000`)).body.items as Row[];
  return rows.sort((a, b) => b.level - a.level || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function paged(api: InProcess, query: string, limit: number): Promise<{ rows: Row[]; pages: number; total: number }> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let total = -1;
  do {
    const res = await api.call('GET', `/v1/live/items?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    rows.push(...res.body.items.map(({ id, category, area, level }: Row) => ({ id, category, area, level })));
    total = res.body.total;
    cursor = res.body.next;
    pages++;
  } while (cursor !== null);
  return { rows, pages, total };
}

const QUERIES = ['', 'level=1', 'level=4', 'district=jiangbei', 'category=slope', 'district=nanan&category=waterlogging', 'level=2&district=yuzhong&category=septic-tank', 'district=nowhere'];

async function expectAgrees(api: InProcess) {
  for (const q of QUERIES) {
    const want = await scanned(api, q);
    const got = await paged(api, q, 7);
    expect(got.rows, q).toEqual(want);
    expect(got.total, q).toBe(want.length);
    expect(got.pages, q).toBe(Math.max(1, Math.ceil(want.length / 7)));
    const params = new URLSearchParams(q);
    const counts = (await api.call('GET', `/v1/live/counts?${q}`)).body;
    const byLevel = async (l: number) => {
      const p = new URLSearchParams(q);
      p.set('level', String(l));
      return (await scanned(api, p.toString())).length;
    };
    expect(counts.levels, q).toEqual([0, await byLevel(1), await byLevel(2), await byLevel(3), await byLevel(4)]);
    expect(counts.total, q).toBe(want.length);
    for (const d of DISTRICTS) {
      const p = new URLSearchParams(q);
      p.set('district', d);
      expect(counts.districts[d], `${q} ${d}`).toBe((await scanned(api, p.toString())).length);
    }
    if (!params.has('category')) expect(Object.values(counts.categories).reduce((a: number, b) => a + (b as number), 0), q).toBe(want.length);
  }
}

describe('the live page reads, paged and counted from memory', () => {
  let api: InProcess;
  beforeAll(async () => {
    api = await serveInProcess({ items: listOf(), clock: 'replay', epoch: '2026-07-01T00:00:00Z', tokens: tokens() });
  }, 60_000);
  afterAll(() => api?.stop());

  it('pages the list most urgent first under every filter, with counts equal to a scan', async () => {
    const first = (await api.call('GET', '/v1/live/items?limit=5')).body;
    expect(first.items.map((i: Row) => i.level)).toEqual([4, 4, 4, 4, 4]);
    expect(first).toMatchObject({ seq: 0, total: 90, next: expect.stringMatching(/^4\.\d+$/) });
    await expectAgrees(api);
  });

  it('follows level changes: counts and pages after a reading graded, with the seq they stand for', async () => {
    const low = (await scanned(api, 'level=1&category=waterlogging'))[0];
    expect((await api.call('POST', '/v1/readings', [{ item: low.id, factor: 'depth_cm', value: 35, t_s: 60 }])).body).toEqual({ accepted: 1, rejected: [] });
    const before = (await api.call('GET', '/v1/live/counts')).body.levels;
    expect((await api.call('POST', '/v1/advance', { until_s: 300 })).body.changes).toMatchObject([{ seq: 1, item: low.id, from: 1, to: 4 }]);
    const after = (await api.call('GET', '/v1/live/counts')).body;
    expect(after.seq).toBe(1);
    expect(after.levels).toEqual([0, before[1] - 1, before[2], before[3], before[4] + 1]);
    expect((await api.call('GET', '/v1/live/items?level=4&limit=1000')).body.items.map((i: Row) => i.id)).toContain(low.id);
    await expectAgrees(api);
  });

  it('pages the stale sensors most urgent first, the same set as /v1/stale', async () => {
    await api.call('POST', '/v1/advance', { until_s: 4000 });
    const all = (await api.call('GET', '/v1/stale')).body.stale as { item: string; factor: string; since_s: number }[];
    expect(all.length).toBeGreaterThan(100);
    for (const q of ['', 'district=jiangbei', 'level=4&category=septic-tank']) {
      const order = (await scanned(api, q)).map((r) => r.id);
      const rank = new Map(order.map((id, k) => [id, k]));
      const want = all.filter((s) => rank.has(s.item)).sort((a, b) => rank.get(a.item)! - rank.get(b.item)!);
      const got: { item: string; factor: string; since_s: number }[] = [];
      let cursor: string | null = null;
      do {
        const res: { total: number; stale: { item: string; factor: string; since_s: number }[]; next: string | null } = (await api.call('GET', `/v1/live/stale?${q}&limit=9${cursor ? `&cursor=${cursor}` : ''}`)).body;
        expect(res.total, q).toBe(want.length);
        got.push(...res.stale.map(({ item, factor, since_s }: { item: string; factor: string; since_s: number }) => ({ item, factor, since_s })));
        cursor = res.next;
      } while (cursor !== null);
      expect(got, q).toEqual(want);
    }
  });

  it('carries display names, and refuses bad queries with the reason', async () => {
    const ids = listOf();
    const named = (await api.call('GET', '/v1/live/items?limit=1000')).body.items.find((i: { id: string }) => i.id === ids[4].id);
    expect(named).toMatchObject({ name: 'Point 4 <b>&</b>', name_zh: '测试点4号' });
    expect((await api.call('GET', '/v1/live/items?limit=1000')).body.items.find((i: { id: string }) => i.id === ids[1].id)).toMatchObject({ name: null, name_zh: null });
    expect(await api.call('GET', '/v1/live/items?level=5')).toMatchObject({ status: 400, body: { error: 'level must be 1, 2, 3 or 4 (got "5")' } });
    expect(await api.call('GET', '/v1/live/items?limit=1001')).toMatchObject({ status: 400, body: { error: 'limit must be a whole number from 1 to 1000 (got "1001")' } });
    expect(await api.call('GET', '/v1/live/stale?cursor=x')).toMatchObject({ status: 400, body: { error: 'cursor must be the "next" of a previous page (got "x")' } });
    expect(await api.call('GET', '/v1/changes/recent?before=0')).toMatchObject({ status: 400, body: { error: 'before must be a sequence number ≥ 1 (got "0")' } });
    expect((await api.call('GET', '/v1/live/counts', undefined, null)).status).toBe(401);
    expect((await api.call('GET', '/v1/live/items', undefined, 'not-a-token')).status).toBe(401);
  });

  it('searches by id, name or name_zh (q=), case and width ignored, paged and filtered like the list; bad q refused', async () => {
    const names = new Map(listOf().map((i) => [i.id, i]));
    const fold = (t: string) => t.normalize('NFKC').toLowerCase();
    for (const [q, filter, hits] of [
      ['it-00', '', 10], ['IT-01', 'district=nanan', undefined], ['point 1', '', undefined], ['POINT 2 <B>', 'level=1', undefined],
      ['测试点1', '', 5], ['号', 'category=slope', undefined], ['ＩＴ－０４', '', 10], ['nothing like it', '', 0], ['&', '', 45],
    ] as const) {
      const want = (await scanned(api, filter)).filter((r) => {
        const n = names.get(r.id)!;
        return [r.id, n.name ?? '', n.name_zh ?? ''].some((text) => fold(text).includes(fold(q)));
      });
      if (hits !== undefined) expect(want.length, q).toBe(hits);
      expect(want.length === 0 || want.length < (await scanned(api, filter)).length, q).toBe(true);
      const got = await paged(api, `${filter}&q=${encodeURIComponent(q)}`, 4);
      expect(got.rows, q).toEqual(want);
      expect(got.total, q).toBe(want.length);
    }
    // No q (or a blank one): the answer as before, byte for byte.
    expect((await api.call('GET', '/v1/live/items?limit=7&q=%20')).body).toEqual((await api.call('GET', '/v1/live/items?limit=7')).body);
    expect(await api.call('GET', `/v1/live/items?q=${'a'.repeat(65)}`)).toMatchObject({ status: 400, body: { error: 'q must be at most 64 characters (got 65)' } });
    expect(await api.call('GET', `/v1/live/items?q=${'测'.repeat(64)}`)).toMatchObject({ status: 200 });
    expect(await api.call('GET', '/v1/live/items?q=a%0Ab')).toMatchObject({ status: 400, body: { error: 'q must not hold control characters' } });
    expect((await api.call('GET', '/v1/live/items?q=IT', undefined, null)).status).toBe(401);
  });

  it('pages the change log back from a seq, and adds district and category to the feed on request', async () => {
    const items = (await scanned(api, 'level=1&category=waterlogging')).slice(0, 3);
    await api.call('POST', '/v1/readings', items.map((r, k) => ({ item: r.id, factor: 'depth_cm', value: 35, t_s: 4100 + k })));
    await api.call('POST', '/v1/advance', { until_s: 4400 });
    const newest = (await api.call('GET', '/v1/changes/recent?n=2')).body;
    expect(newest.last_seq).toBe(4);
    expect(newest.changes.map((c: { seq: number }) => c.seq)).toEqual([3, 4]);
    expect((await api.call('GET', '/v1/changes/recent?n=2&before=3')).body.changes.map((c: { seq: number }) => c.seq)).toEqual([1, 2]);
    expect((await api.call('GET', '/v1/changes/recent?n=2&before=1')).body.changes).toEqual([]);

    const read = async (query: string) => {
      const controller = new AbortController();
      const res = await fetch(`${api.url}/v1/changes/stream?after=3${query}`, { headers: { authorization: `Bearer ${OPERATOR}` }, signal: controller.signal });
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('id: 4\n')) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      return JSON.parse(/^data: (.*)$/m.exec(text.slice(text.indexOf('id: 4')))![1]);
    };
    const plain = await read('');
    expect(Object.keys(plain).sort()).toEqual(['from', 'item', 'reason', 'seq', 't_s', 'to']);
    const def = listOf().find((i) => i.id === plain.item)!;
    expect(await read('&detail=item')).toEqual({ ...plain, area: def.area, category: def.category });
  });
});

describe('display names in the serve file', () => {
  it('takes name and name_zh from a region\'s items and inline items, outside the list hash', () => {
    const region = loadServeConfig({ items: REGION_ITEMS, tokens: tokens() }, '/tmp/serve.json');
    // scenarios/mountain-city/region/risk-items.json, the first item.
    expect(region.itemNames.get('WL-001')).toEqual({ name: 'Underpass / low road, jiangbei #1', name_zh: '江北下穿道积水点1号' });
    expect(region.itemNames.size).toBe(227);
    const bare = [{ id: 'A', category: 'waterlogging', factors: 'category' }];
    const withZh = [{ ...bare[0], name_zh: '甲' }];
    const a = loadServeConfig({ items: bare, tokens: tokens() }, '/tmp/serve.json');
    const b = loadServeConfig({ items: withZh, tokens: tokens() }, '/tmp/serve.json');
    expect(b.itemNames.get('A')).toEqual({ name: null, name_zh: '甲' });
    // A database started before names were added keeps serving the same list.
    expect(b.listHash).toBe(a.listHash);
  });

  it('refuses a name that is not a short string, by its path', () => {
    try {
      loadServeConfig({ items: [{ id: 'A', category: 'waterlogging', factors: 'category', name_zh: 42 }], tokens: tokens() }, '/tmp/serve.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([{ path: '$.items[0].name_zh', message: 'is not a display name', value: 42, expected: 'a non-empty string of at most 200 characters' }]);
    }
  });
});
