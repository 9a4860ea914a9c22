// The live page at the city's scale, not a test: `risklist serve` in this process on a synthetic
// 520 000-item list (replay clock, embedded PGlite), some level changes and stale sensors made by
// readings and an advance, then the page opened in headless Chromium (playwright-core,
// /usr/bin/chromium) with the operator's token. It reports every request the page made (server
// time measured again from Node, bytes), the time to the first rendered list, and what one live
// change costs the page afterwards (requests and bytes in the seconds after it).
//   node --import tsx benchmarks/risklist/live-page.ts [--items 520000] [--work DIR] [--build]
// --work keeps the list and the database between runs (installing 520 000 items takes minutes;
// a later start on the same folder only regrades). --build runs `vite build` first (dist/web).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadServeConfig } from '../../models/risklist/serve/config.ts';
import { startService } from '../../models/risklist/serve/start.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { cityList } from './city-list.ts';

const arg = (name: string, fallback: string) => { const k = process.argv.indexOf(`--${name}`); return k === -1 ? fallback : process.argv[k + 1]; };
const repo = fileURLToPath(new URL('../../', import.meta.url));
const items = Number(arg('items', '520000'));
const keep = arg('work', '');
const work = keep || mkdtempSync(join(tmpdir(), 'sandtable-live-page-bench-'));
mkdirSync(work, { recursive: true });
const TOKEN = 'live-page-bench-operator-0123456789abcdef';
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

if (process.argv.includes('--build') || !existsSync(join(repo, 'dist/web/live/index.html'))) {
  const built = spawnSync(process.execPath, [join(repo, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: repo, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed');
}

const itemsFile = join(work, 'risk-items.json');
const { list, factors } = cityList(items, true);
if (!existsSync(itemsFile)) {
  writeFileSync(itemsFile, JSON.stringify({ items: list }));
  // The demo region's manifest beside the items: its districts' names (the same ids) for the page.
  for (const f of ['region.json', 'districts.asc']) {
    const from = join(repo, 'scenarios/mountain-city/region', f);
    if (existsSync(from)) copyFileSync(from, join(work, f));
  }
}
const serve = {
  items: itemsFile, clock: 'replay', epoch: '2026-07-01T00:00:00Z', database: `embedded:${join(work, 'db')}`,
  tokens: [{ token: TOKEN, role: 'operator', id: 'bench' }],
  limits: { requests_per_s: 1e6, burst: 1e6, readings_per_request: 200_000, body_bytes: 64 * 2 ** 20 },
};
let t = performance.now();
const running = await startService(loadServeConfig(serve, join(work, 'serve.json')), await loadKernels(), () => {});
const startupS = (performance.now() - t) / 1000;
const url = running.http.url;
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};

// A first start: readings on 1 factor in 400 (beyond red, half way, quiet), every
// other factor silent, so after an hour most sensors are stale, as on a real list's first day.
if (!Number.isFinite(running.service.clock)) {
  const readings = factors.filter((_, k) => k % 400 === 0).map((f, k) => ({ item: f.item, factor: f.factor, value: k % 3 === 0 ? f.spike : k % 3 === 1 ? (f.quiet + f.spike) / 2 : f.quiet, t_s: 60 + (k % 600) }));
  for (let k = 0; k < readings.length; k += 20_000) await api('POST', '/v1/readings', readings.slice(k, k + 20_000));
  await api('POST', '/v1/advance', { until_s: 3600 });
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.addInitScript((token) => sessionStorage.setItem('sandtable-live-token', token), TOKEN);
const requests: { url: string; ms: number; bytes: number; at: number }[] = [];
const started: string[] = [];
page.on('request', (r) => { if (r.url().includes('/v1/') || r.url().includes('/healthz')) started.push(r.url().slice(url.length)); });
page.on('requestfinished', async (r) => {
  if (!r.url().includes('/v1/') && !r.url().includes('/healthz')) return;
  const timing = r.timing();
  const sizes = await r.sizes().catch(() => ({ responseBodySize: NaN }));
  requests.push({ url: r.url().slice(url.length), ms: round(timing.responseEnd), bytes: sizes.responseBodySize, at: performance.now() });
});
t = performance.now();
await page.goto(`${url}/live/`);
// The first render: rows in the list and the counts filled in (the page's own clock, from navigation).
const renderMs = await page.waitForFunction(() => {
  const app = document.querySelector('sandtable-live')?.shadowRoot;
  const rows = app?.querySelector('live-items')?.shadowRoot?.querySelectorAll('tbody tr').length ?? 0;
  const counts = [...(app?.querySelector('live-counts')?.shadowRoot?.querySelectorAll('.n') ?? [])].map((n) => Number(n.textContent));
  return rows > 0 && counts.some((n) => n > 0) ? performance.now() : 0;
}, undefined, { timeout: 600_000, polling: 50 }).then((h) => h.jsonValue());
const firstWallMs = performance.now() - t;
await page.waitForTimeout(2000);
const initial = requests.splice(0);
started.splice(0);
const heapMb = await page.evaluate(() => Math.round(((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN) / 2 ** 20));

// One live change: a reading that raises an item, and an advance; then what the page asks for.
// A waterlogging gauge the first readings left alone (they took every 400th factor), another one
// on each run (each run moves the clock by 600 s).
const clock = running.service.clock;
const gauges = factors.filter((f, k) => f.item.startsWith('WAT') && k % 400 !== 0);
const target = gauges[Math.floor(clock / 600) % gauges.length];
await api('POST', '/v1/readings', [{ item: target.item, factor: target.factor, value: target.spike, t_s: clock + 1 }]);
const changed = JSON.parse((await api('POST', '/v1/advance', { until_s: clock + 600 })).text) as { changes: unknown[] };
await page.waitForTimeout(5000);
const afterChange = requests.splice(0);
const afterChangeStarted = started.splice(0);

// Each request the page made at start, timed again from Node (median of 3) with the page closed,
// so its own polling does not queue in front: the service's own time.
await browser.close();
const server: Record<string, { ms: number; bytes: number }> = {};
for (const r of initial) {
  const times: number[] = [];
  let bytes = 0;
  for (let k = 0; k < 3; k++) {
    const s = performance.now();
    bytes = Buffer.byteLength((await api('GET', r.url)).text);
    times.push(performance.now() - s);
  }
  server[r.url] = { ms: round(median(times)), bytes };
}
const sum = (rs: { bytes: number }[]) => rs.reduce((a, r) => a + (r.bytes || 0), 0);
console.log(JSON.stringify({
  items, factors: factors.length, startup_s: round(startupS), clock_s: running.service.clock,
  first_render_ms: Math.round(renderMs), first_render_wall_ms: Math.round(firstWallMs), page_heap_mb: heapMb,
  initial_requests: initial.length, initial_bytes: sum(initial), initial_server: server,
  change: { changes: changed.changes.length, requests_started: afterChangeStarted, requests_finished: afterChange.length, bytes: sum(afterChange), urls: afterChange.map((r) => r.url) },
}, null, 1));
await running.stop();
if (!keep) rmSync(work, { recursive: true, force: true });
