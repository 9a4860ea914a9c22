// The live risk list page (issue 19 "Out"), as an operator uses it: `sandtable risklist serve` runs
// as the CLI with a fresh embedded database and serves the built page under its CSP header; a
// wrong token is refused with a clear message; with the operator's token the list shows a page at a
// time (the service pages it, most urgent first), a reading posted over HTTP moves an item's level,
// its count and adds a log row within a bounded wait, with every request for counts held back (the
// page patches them from the feed), the district filter narrows the list and its counts, item
// names show in the page's language, and the page switches to English. A search by item id or name
// (zh or en) narrows the list on the service, with the filters. A filter's first answers, landing
// after a change the feed already brought, do not undo it. Screenshots at 1440×900 and 1024×768
// in both languages go to test-results/screens/live-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    liveStart(): Promise<{ url: string }>;
    liveApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; type: string | null }>;
    liveRestart(): Promise<void>;
    liveOpen(width: number, height: number): Promise<{ csp: string | null }>;
    liveResize(width: number, height: number): Promise<void>;
    liveHold(glob: string, hold: boolean): Promise<void>;
    liveLateAnswer(glob: string, action: 'hold' | 'fetched' | 'land' | 'off'): Promise<number>;
    liveDo(kind: 'fill' | 'click' | 'select' | 'press', selector: string, value?: string): Promise<void>;
    liveTexts(selector: string): Promise<string[]>;
    liveSession(key: string): Promise<string | null>;
    liveShot(name: string): Promise<string>;
    liveViolations(): Promise<{ csp: string[]; urls: string[]; log: string[] }>;
    liveCspProbe(): Promise<{ ran: boolean; styled: string }>;
    liveStop(): Promise<void>;
  }
}

const TOKEN = 'live-operator-token-0123456789abcdef';
// The slowest wait below is the list's order: the page reloads it once a burst has passed (0.8 s
// of quiet, 3 s at most), then asks the service; 10 s leaves a loaded 2-core CI room for the rest.
const FEED_WAIT_MS = 10_000;

/** Polls the page until `ok` holds for the texts the selector matches; fails after `ms`. */
async function waitTexts(selector: string, ok: (texts: string[]) => boolean, what: string, ms = FEED_WAIT_MS): Promise<string[]> {
  const end = performance.now() + ms;
  for (;;) {
    const texts = await commands.liveTexts(selector);
    if (ok(texts)) return texts;
    if (performance.now() > end) throw new Error(`within ${ms} ms: ${what} (saw ${JSON.stringify(texts.slice(0, 8))})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the live risk list page', () => {
  beforeAll(async () => { await commands.liveStart(); }, 120_000);
  afterAll(async () => { await commands.liveStop(); });

  it('refuses a wrong token clearly, then follows readings live, filters, and speaks English', async () => {
    const { csp } = await commands.liveOpen(1440, 900);
    expect(csp).toBe("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");

    await commands.liveDo('fill', 'input[name=token]', 'not-the-token');
    await commands.liveDo('press', 'input[name=token]', 'Enter');
    expect(await waitTexts('.error', (t) => t.length === 1, 'the refusal')).toEqual(['服务器拒绝了这个令牌 (401: 未知令牌)']);
    expect(await commands.liveSession('sandtable-live-token')).toBeNull();
    await commands.liveShot('token-refused-zh');

    await commands.liveDo('fill', 'input[name=token]', TOKEN);
    await commands.liveDo('click', 'form button[type=submit]');
    await waitTexts('[data-connection]', (t) => t[0] === '实时', 'the feed open');
    // 227 items in the demo region, a page of 100 at a time, highest level first.
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 100 / 共 227', 'the first page');
    const levels = (await commands.liveTexts('live-items tbody .badge')).map((b) => ['蓝 低', '黄 一般', '橙 较大', '红 重大'].indexOf(b) + 1);
    expect(levels.every((l, k) => l >= 1 && (k === 0 || l <= levels[k - 1]))).toBe(true);
    await commands.liveDo('click', 'live-items button.more');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 200 / 共 227', 'the second page');
    await commands.liveDo('click', 'live-items button.more');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 227 / 共 227', 'the last page');
    expect(await commands.liveTexts('live-items button.more')).toEqual([]);
    expect(new Set(await commands.liveTexts('live-items tbody td:first-child .mono')).size).toBe(227);
    expect(await commands.liveTexts('live-items tr[data-item="WL-004"] .badge')).toEqual(['蓝 低']);
    // The region's name of the item (risk-items.json), in the page's language.
    expect(await commands.liveTexts('live-items tr[data-item="WL-004"] .item-name')).toEqual(['沙坪坝下穿道积水点4号']);
    const count = async (level: number) => Number((await commands.liveTexts(`live-counts button[data-level="${level}"] .n`))[0]);
    const [blue0, red0] = [await count(1), await count(4)];
    await commands.liveHold('**/v1/live/counts*', true);
    await commands.liveHold('**/v1/items?*', true);

    // A gauge's reading over HTTP: 35 cm at WL-004 (red ≥ 30 cm, on_delay 60 s: categories.json).
    expect((await commands.liveApi('POST', '/v1/readings', [{ item: 'WL-004', factor: 'depth_cm', value: 35, t_s: 60 }])).body).toEqual({ accepted: 1, rejected: [] });
    const advanced = await commands.liveApi('POST', '/v1/advance', { until_s: 300 });
    expect(advanced.body.changes).toEqual([{ seq: 1, t_s: 120, item: 'WL-004', from: 1, to: 4, reason: { rule: 'sensor', factor: 'depth_cm', value: 35, threshold: 30 } }]);
    await waitTexts('live-items tr[data-item="WL-004"] .badge', (t) => t[0] === '红 重大', 'WL-004 shown red');
    const row = await waitTexts('live-log tr[data-seq="1"] td', (t) => t.length === 4, 'a log row for the change');
    expect(row).toEqual(['2026-07-01 00:02:00', 'WL-004\n沙坪坝下穿道积水点4号', '蓝 低 → 红 重大', '积水深度 (cm) = 35 (阈值 30)']);
    // The counts moved with no answer from /v1/live/counts or the scan route /v1/items: patched from the feed.
    await waitTexts('live-counts button[data-level="4"] .n', (t) => Number(t[0]) === red0 + 1, 'one more red item');
    expect(await count(1)).toBe(blue0 - 1);
    // The list's order follows once the burst has passed: WL-004 now among the red ones at the top.
    await waitTexts('live-items tbody td:first-child .mono', (t) => t.slice(0, red0 + 1).includes('WL-004'), 'WL-004 among the red items at the top');
    await commands.liveHold('**/v1/live/counts*', false);
    await commands.liveHold('**/v1/items?*', false);

    // District filter: only Shapingba's items, WL-004 among them.
    await commands.liveDo('select', 'select[name=district]', 'shapingba');
    const districts = await waitTexts('live-items tbody td:nth-child(3)', (t) => t.length > 0 && t.every((d) => d === '沙坪坝'), 'only 沙坪坝 rows');
    expect(districts.length).toBe(39);
    await waitTexts('live-counts .n', (t) => t.reduce((a, n) => a + Number(n), 0) === 39, 'the counts of Shapingba');
    const shapingbaCounts = await Promise.all([4, 3, 2, 1].map(count));
    // A change in the district under its filter: counted at once, again with counts requests held.
    await commands.liveHold('**/v1/live/counts*', true);
    await commands.liveHold('**/v1/items?*', true);
    const low = (await commands.liveApi('GET', '/v1/items?district=shapingba&category=waterlogging&level=1')).body.items.at(-1).id as string;
    expect((await commands.liveApi('POST', '/v1/readings', [{ item: low, factor: 'depth_cm', value: 25, t_s: 320 }])).body).toEqual({ accepted: 1, rejected: [] });
    await commands.liveApi('POST', '/v1/advance', { until_s: 450 });
    await waitTexts('live-counts button[data-level="3"] .n', (t) => Number(t[0]) === shapingbaCounts[1] + 1, 'one more orange item in Shapingba');
    expect(await count(1)).toBe(shapingbaCounts[3] - 1);
    await commands.liveHold('**/v1/live/counts*', false);
    await commands.liveHold('**/v1/items?*', false);
    // Stale sensors follow the filter: only Shapingba's items. Their page is a request of its own,
    // which nothing above waited for: the list of every district stays on show until it lands.
    const shapingba = (await commands.liveApi('GET', '/v1/items?district=shapingba')).body.items.map((i: { id: string }) => i.id);
    await waitTexts('live-stale tbody td:first-child .mono', (t) => t.length > 0 && t.every((id) => shapingba.includes(id)), 'only Shapingba\'s stale sensors');
    expect(await commands.liveTexts('live-items tr[data-item="WL-004"] td:first-child .mono')).toEqual(['WL-004']);
    await commands.liveShot('zh-1440x900');
    await commands.liveResize(1024, 768);
    await commands.liveShot('zh-1024x768');

    await commands.liveDo('click', 'header button.lang');
    await waitTexts('h1', (t) => t[0] === 'Live risk list', 'the English title');
    expect((await commands.liveTexts('live-items tbody td:nth-child(3)')).every((d) => d === 'Shapingba')).toBe(true);
    expect(await commands.liveTexts('live-log tr[data-seq="1"] td:nth-child(3)')).toEqual(['blue → red']);
    expect(await commands.liveTexts('live-items tr[data-item="WL-004"] .item-name')).toEqual(['Underpass / low road, shapingba #4']);
    await commands.liveShot('en-1024x768');
    await commands.liveResize(1440, 900);
    await commands.liveShot('en-1440x900');

    // The service restarts (graceful stop, same database and port): the page reconnects by itself
    // and the feed resumes after the last change it saw.
    await commands.liveRestart();
    const blue = (await commands.liveApi('GET', '/v1/items?district=shapingba&category=waterlogging&level=1')).body.items[0].id as string;
    expect((await commands.liveApi('POST', '/v1/readings', [{ item: blue, factor: 'depth_cm', value: 35, t_s: 500 }])).body).toEqual({ accepted: 1, rejected: [] });
    await commands.liveApi('POST', '/v1/advance', { until_s: 600 });
    await waitTexts('[data-connection]', (t) => t[0] === 'live', 'the feed open again', 20_000);
    const resumed = await waitTexts('live-log tbody tr td:nth-child(2) .mono', (t) => t.length === 3, 'the change after the restart in the log', 20_000);
    expect(resumed).toEqual([blue, low, 'WL-004']);
    await waitTexts(`live-items tr[data-item="${blue}"] .badge`, (t) => t[0] === 'red', `${blue} shown red`);

    const seen = await commands.liveViolations();
    expect(seen.csp).toEqual([]);
    // The control: the policy is in force (an inline style and an inline script are refused, and seen).
    expect(await commands.liveCspProbe()).toEqual({ ran: false, styled: 'rgb(29, 36, 48)' });
    const after = (await commands.liveViolations()).csp;
    expect(after.some((v) => v.startsWith('style-src-attr'))).toBe(true);
    expect(after.some((v) => v.startsWith('script-src-elem'))).toBe(true);
    expect(seen.urls.filter((u) => u.includes(TOKEN))).toEqual([]);
    expect(seen.log.filter((l) => l.includes(TOKEN))).toEqual([]);
    // A service restart and seventeen waits on the page: 48 s at load 20–28 on 2 cores, of the 60 s default.
  }, 180_000);

  it('searches the list by item id or name (zh and en), on the service, with the filters; markup typed stays text', async () => {
    await commands.liveOpen(1440, 900);
    await commands.liveDo('fill', 'input[name=token]', TOKEN);
    await commands.liveDo('click', 'form button[type=submit]');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 100 / 共 227', 'the first page');
    expect(await commands.liveTexts('label.search')).toEqual(['搜索']);
    const ids = async (query: string) => (await commands.liveApi('GET', `/v1/live/items?limit=1000&${query}`)).body.items.map((i: { id: string }) => i.id) as string[];
    const shown = () => commands.liveTexts('live-items tbody td:first-child .mono');

    // Part of an id, in any case: the nine WL-00x gauges, in the service's order (most urgent first).
    await commands.liveDo('fill', 'input[name=q]', 'wl-00');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 9 / 共 9', 'the nine WL-00x items');
    expect(await shown()).toEqual(await ids('q=wl-00'));
    expect((await shown()).every((id) => id.startsWith('WL-00'))).toBe(true);
    // A Chinese name.
    await commands.liveDo('fill', 'input[name=q]', '沙坪坝下穿道积水点4号');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 1 / 共 1', 'one item by its Chinese name');
    expect(await shown()).toEqual(['WL-004']);
    // With a filter: "#4" names in Shapingba only; then markup typed as a search finds nothing and injects nothing.
    await commands.liveDo('fill', 'input[name=q]', 'shapingba #4');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 4 / 共 4', 'the four "#4" items of Shapingba');
    expect((await shown()).sort()).toEqual(['GM-004', 'SL-004', 'ST-004', 'WL-004']);
    await commands.liveDo('select', 'select[name=level]', '1');
    const blue = await ids('level=1&q=shapingba%20%234');
    await waitTexts('live-items h2 small', (t) => t[0] === `显示 ${blue.length} / 共 ${blue.length}`, 'the blue ones among them');
    expect(await shown()).toEqual(blue);
    await commands.liveDo('select', 'select[name=level]', '0');
    // Back to the four before typing: when none of them is blue, "0 of 0" is already on show and would
    // let the markup check below run before the level-0 answer lands and fills the list again.
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 4 / 共 4', 'the four "#4" items again');
    await commands.liveDo('fill', 'input[name=q]', '<img src=x onerror=alert(1)>');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 0 / 共 0', 'no item for markup');
    expect(await commands.liveTexts('live-items img, sandtable-live img')).toEqual([]);
    // An empty answer says so, rather than leaving a bare table heading.
    expect(await commands.liveTexts('live-items .empty')).toEqual(['没有符合筛选或搜索条件的风险点']);
    await commands.liveShot('search-zh-1440x900');

    // English: the label, and a search by the English name.
    await commands.liveDo('click', 'header button.lang');
    await waitTexts('label.search', (t) => t[0] === 'Search', 'the English label');
    await commands.liveDo('fill', 'input[name=q]', 'UNDERPASS / low road, shapingba #4');
    await waitTexts('live-items h2 small', (t) => t[0] === '1 shown of 1', 'one item by its English name');
    expect(await shown()).toEqual(['WL-004']);
    await commands.liveShot('search-en-1440x900');
    // Clear filters clears the search too: the whole list again.
    await commands.liveDo('click', '.filters button.plain');
    await waitTexts('live-items h2 small', (t) => t[0] === '100 shown of 227', 'the whole list again');
    await commands.liveDo('click', 'header button.lang');
  });

  it('the CAP of a warning posted to the service parses as CAP 1.2 XML', async () => {
    expect(await commands.liveApi('POST', '/v1/warnings', [{ id: 'W-<&>', t_s: 700, colour: 'red', hazard: 'rainstorm', area: 'shapingba', name: 'Cell "7" & <b>not markup</b>' }])).toMatchObject({ status: 200, body: { accepted: 1 } });
    const cap = await commands.liveApi('GET', `/v1/warnings/${encodeURIComponent('W-<&>')}.cap`);
    expect(cap.type).toBe('application/cap+xml; charset=utf-8');
    const doc = new DOMParser().parseFromString(cap.body, 'application/xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const NS = 'urn:oasis:names:tc:emergency:cap:1.2';
    expect(doc.documentElement.namespaceURI).toBe(NS);
    const one = (name: string) => [...doc.getElementsByTagNameNS(NS, name)].map((e) => e.textContent);
    // CAP 1.2 §3.2.1: no space, comma, "<" or "&" in an identifier: the id percent-encoded.
    expect(one('identifier')).toEqual(['sandtable.risklist.W-%3C%26>.alert']);
    expect(one('sent')).toEqual(['2026-07-01T00:11:40+00:00']);
    expect([one('status'), one('msgType'), one('scope')]).toEqual([['Actual'], ['Alert'], ['Public']]);
    expect([one('category'), one('urgency'), one('severity'), one('certainty')]).toEqual([['Met'], ['Immediate'], ['Extreme'], ['Observed']]);
    expect(one('areaDesc')).toEqual(['Shapingba 沙坪坝']);
    // Escaped text comes back as the operator wrote it, and no element was injected.
    expect(one('description')[0]).toMatch(/^Cell "7" & <b>not markup<\/b>: posted to the live risk list/);
    expect(doc.getElementsByTagName('b').length).toBe(0);
    const ring = one('polygon')[0]!.split(' ').map((p) => p.split(',').map(Number));
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const [lat, lon] of ring) {
      expect(lat).toBeGreaterThan(29);
      expect(lat).toBeLessThan(30.2);
      expect(lon).toBeGreaterThan(106);
      expect(lon).toBeLessThan(107);
    }
  });

  // Last: its reading moves the replay clock past the times the tests above post at.
  it('a filter\'s first answers, landing after a change the feed already brought, do not undo it', async () => {
    await commands.liveOpen(1440, 900);
    await commands.liveDo('fill', 'input[name=token]', TOKEN);
    await commands.liveDo('click', 'form button[type=submit]');
    await waitTexts('[data-connection]', (t) => t[0] === '实时', 'the feed open');
    await waitTexts('live-items h2 small', (t) => t[0] === '显示 100 / 共 227', 'the first page');
    // Jiangbei's only: a poll's counts for the whole city, asked just before the filter, must not be
    // taken for the filter's first answer.
    const COUNTS = '**/v1/live/counts?district=jiangbei*';
    const LIST = '**/v1/live/items?district=jiangbei&*';
    await commands.liveLateAnswer(COUNTS, 'hold');
    await commands.liveLateAnswer(LIST, 'hold');
    try {
      // Jiangbei's counts and list are answered now, before the change, and reach the page after it.
      await commands.liveDo('select', 'select[name=district]', 'jiangbei');
      for (const glob of [COUNTS, LIST]) {
        for (let waited = 0; (await commands.liveLateAnswer(glob, 'fetched')) === 0; waited += 100) {
          if (waited > FEED_WAIT_MS) throw new Error(`no request for ${glob} after the filter`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const item = (await commands.liveApi('GET', '/v1/items?district=jiangbei&category=waterlogging&level=1')).body.items[0].id as string;
      expect((await commands.liveApi('POST', '/v1/readings', [{ item, factor: 'depth_cm', value: 35, t_s: 1000 }])).body).toEqual({ accepted: 1, rejected: [] });
      const { changes } = (await commands.liveApi('POST', '/v1/advance', { until_s: 1100 })).body as { changes: { seq: number; item: string; to: number }[] };
      // The warning posted above falls due on the way too: its changes come in the same feed.
      expect(changes.filter((c) => c.item === item).map((c) => c.to)).toEqual([4]);
      await waitTexts(`live-log tr[data-seq="${Math.max(...changes.map((c) => c.seq))}"] td`, (t) => t.length === 4, 'the last change in the log');
      await commands.liveLateAnswer(COUNTS, 'land');
      await commands.liveLateAnswer(LIST, 'land');
      // Every later request waits, so only the late answers and the feed make what is shown.
      const levels = (await commands.liveApi('GET', '/v1/live/counts?district=jiangbei')).body.levels as number[];
      await waitTexts('live-counts .n', (t) => t.length === 4 && t.map(Number).join() === [4, 3, 2, 1].map((l) => levels[l]).join(), `Jiangbei's counts with the change (${levels})`);
      await waitTexts(`live-items tr[data-item="${item}"] .badge`, (t) => t[0] === '红 重大', `${item} shown red`);
    } finally {
      await commands.liveLateAnswer(COUNTS, 'off');
      await commands.liveLateAnswer(LIST, 'off');
    }
  });
});
