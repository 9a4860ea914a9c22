// The live page's routes and the warnings as CAP 1.2 (issue 19 "Out"). The page is served without a
// token under a strict CSP header, says how to build itself when dist is missing, and never leaves
// dist/web/assets; posted warnings come back as CAP 1.2 (OASIS CAP v1.2, 2010: required alert
// elements identifier, sender, sent, status, msgType, scope; info's category, event, urgency,
// severity, certainty; area's areaDesc; polygon as WGS 84 "lat,lon" pairs, first = last).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_CSP, NOT_BUILT, pageLogLine, servePage } from '../../../models/risklist/serve/live-routes.ts';
import { DEVICE_ALL, serveInProcess, tokens, type InProcess } from './harness.ts';

const REGION_ITEMS = fileURLToPath(new URL('../../../scenarios/mountain-city/region/risk-items.json', import.meta.url));

/** The text of every leaf element `<name>text</name>` in document order (the CAP writer's output is flat per line). */
function leaves(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
}

describe('the live page is served under a strict CSP', () => {
  async function get(dist: string, path: string) {
    const server = createServer((req, res) => { if (!servePage(req.url!, req.method!, res, dist)) { res.writeHead(404); res.end('not the page'); } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}${path}`, { redirect: 'manual' });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } finally {
      server.close();
    }
  }

  it('serves the built page and its assets with the CSP header; says how to build when dist is missing', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'sandtable-live-dist-'));
    try {
      const missing = await get(dist, '/live/');
      expect(missing.status).toBe(503);
      expect(missing.text).toContain(NOT_BUILT);
      expect(NOT_BUILT).toContain('npx vite build');
      expect(pageLogLine('http://127.0.0.1:1', dist)).toEqual({ level: 'warn', msg: NOT_BUILT, url: 'http://127.0.0.1:1/live/' });
      mkdirSync(join(dist, 'live'));
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'live', 'index.html'), '<!doctype html><title>live</title>');
      writeFileSync(join(dist, 'assets', 'live-abc.js'), 'export {}');
      writeFileSync(join(dist, 'secret.txt'), 'outside assets');
      expect(pageLogLine('http://127.0.0.1:1', dist)).toEqual({ msg: 'live page', url: 'http://127.0.0.1:1/live/' });
      const page = await get(dist, '/live/');
      expect(page).toMatchObject({ status: 200, text: '<!doctype html><title>live</title>' });
      expect(page.headers.get('content-security-policy')).toBe(LIVE_CSP);
      expect(LIVE_CSP).not.toContain('unsafe-inline');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const asset = await get(dist, '/assets/live-abc.js');
      expect(asset).toMatchObject({ status: 200, text: 'export {}' });
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await get(dist, '/assets/%2e%2e/secret.txt')).text).toBe('not the page');
      expect(await get(dist, '/')).toMatchObject({ status: 302 });
      expect((await get(dist, '/')).headers.get('location')).toBe('/live/');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('warnings posted to the service as CAP 1.2', () => {
  let api: InProcess;
  beforeAll(async () => {
    api = await serveInProcess({ items: REGION_ITEMS, clock: 'replay', epoch: '2026-07-01T08:00:00Z', tokens: tokens() });
    expect(await api.call('POST', '/v1/warnings', [
      { id: 'W-1', t_s: 600, lift_s: 7800, colour: 'orange', hazard: 'rainstorm', area: 'jiangbei', name: 'Storm <A&B> "night" \'cell\'' },
      { id: 'W-2', t_s: 900, level: 2, hazard: 'heat', items: ['WL-009', 'WL-001'] },
      { id: 'W 3,a', t_s: 950, level: 1, hazard: 'rainstorm', area: 'yuzhong' },
    ])).toMatchObject({ status: 200, body: { accepted: 3 } });
    expect((await api.call('POST', '/v1/advance', { until_s: 1000 })).status).toBe(200);
  }, 60_000);
  afterAll(() => api?.stop());

  it('writes every required element, the time with its offset, the district outline in lat,lon', async () => {
    const res = await api.call('GET', '/v1/warnings/W-1.cap');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/cap+xml; charset=utf-8');
    const xml = res.body as string;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">')).toBe(true);
    expect(leaves(xml, 'identifier')).toEqual(['sandtable.risklist.W-1.alert']);
    expect(leaves(xml, 'sender')).toEqual(['sandtable-risklist@127.0.0.1']);
    // CAP 1.2 §3.3.2: dates carry a numeric offset; "Z" is not allowed. t_s 600 after the epoch.
    expect(leaves(xml, 'sent')).toEqual(['2026-07-01T08:10:00+00:00']);
    expect(leaves(xml, 'status')).toEqual(['Actual']);
    expect(leaves(xml, 'msgType')).toEqual(['Alert']);
    expect(leaves(xml, 'scope')).toEqual(['Public']);
    expect(leaves(xml, 'category')).toEqual(['Met']);
    expect(leaves(xml, 'event')).toEqual(['Rainstorm warning 暴雨预警']);
    expect(leaves(xml, 'urgency')).toEqual(['Immediate']);
    expect(leaves(xml, 'severity')).toEqual(['Severe']);
    expect(leaves(xml, 'certainty')).toEqual(['Observed']);
    expect(leaves(xml, 'expires')).toEqual(['2026-07-01T10:10:00+00:00']);
    expect(leaves(xml, 'areaDesc')).toEqual(['Jiangbei 江北']);
    // The operator's text is escaped, never markup.
    expect(leaves(xml, 'description')[0]).toBe('Storm &lt;A&amp;B&gt; &quot;night&quot; \'cell\': posted to the live risk list; raises 15 risk-list items to level 3 or above');
    const [polygon] = leaves(xml, 'polygon');
    const points = polygon.split(' ').map((p) => p.split(',').map(Number));
    expect(points.length).toBeGreaterThanOrEqual(4);
    expect(points[0]).toEqual(points[points.length - 1]);
    // Independently: the region's district centre (UTM 48N, EPSG:32648) lies inside the lat/lon box of the polygon.
    const [lon, lat] = proj4('+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs', 'WGS84', [650_870, 3_275_750]);
    const lats = points.map((p) => p[0]); const lons = points.map((p) => p[1]);
    for (const [value, list] of [[lat, lats], [lon, lons]] as const) {
      expect(value).toBeGreaterThan(Math.min(...list));
      expect(value).toBeLessThan(Math.max(...list));
    }
  });

  it('a warning naming items covers the districts of its items; another hazard is CAP "Other"', async () => {
    const xml = (await api.call('GET', '/v1/warnings/W-2.cap')).body as string;
    expect(leaves(xml, 'category')).toEqual(['Other']);
    expect(leaves(xml, 'event')).toEqual(['heat warning']);
    expect(leaves(xml, 'severity')).toEqual(['Moderate']);
    const listed = (await api.call('GET', '/v1/warnings')).body.warnings.find((w: { id: string }) => w.id === 'W-2');
    expect(listed.areas).toEqual(['jiangbei', 'nanan']);
    expect(leaves(xml, 'areaDesc')).toEqual(['Jiangbei 江北', "Nan'an 南岸"]);
    expect(leaves(xml, 'polygon').length).toBe(2);
  });

  it('an id with a space or comma is percent-encoded in the identifier (CAP 1.2 §3.2.1)', async () => {
    const xml = (await api.call('GET', `/v1/warnings/${encodeURIComponent('W 3,a')}.cap`)).body as string;
    expect(leaves(xml, 'identifier')).toEqual(['sandtable.risklist.W%203%2Ca.alert']);
    expect(leaves(xml, 'areaDesc')).toEqual(['Yuzhong 渝中']);
  });

  it('the Cancel only once the clock reached the lift time; unknown ids and missing tokens refused', async () => {
    expect(await api.call('GET', '/v1/warnings/W-1.cancel.cap')).toMatchObject({ status: 404, body: { error: 'warning "W-1" is lifted at t_s 7800, after the clock (1000): no cancel message yet' } });
    await api.call('POST', '/v1/advance', { until_s: 8000 });
    const cancel = (await api.call('GET', '/v1/warnings/W-1.cancel.cap')).body as string;
    expect(leaves(cancel, 'msgType')).toEqual(['Cancel']);
    expect(leaves(cancel, 'references')).toEqual(['sandtable-risklist@127.0.0.1,sandtable.risklist.W-1.alert,2026-07-01T08:10:00+00:00']);
    expect(await api.call('GET', '/v1/warnings/W-9.cap')).toMatchObject({ status: 404, body: { error: 'no warning "W-9"' } });
    expect(await api.call('GET', '/v1/warnings/W-1.cap', undefined, null)).toMatchObject({ status: 401 });
    expect((await api.call('GET', '/v1/warnings/W-1.cap', undefined, DEVICE_ALL)).status).toBe(200);
  });

  it('the page\'s helpers: recent changes with the last sequence number, districts with their names', async () => {
    const recent = await api.call('GET', '/v1/changes/recent?n=2');
    const all = (await api.call('GET', '/v1/changes')).body.changes;
    expect(recent.body).toEqual({ last_seq: all[all.length - 1].seq, changes: all.slice(-2) });
    const areas = (await api.call('GET', '/v1/areas')).body;
    expect(areas.areas.find((a: { id: string }) => a.id === 'jiangbei')).toEqual({ id: 'jiangbei', name: 'Jiangbei', name_zh: '江北', items: 32 });
    expect(areas.categories.length).toBe(11);
  });
});
