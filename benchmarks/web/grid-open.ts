// Opening a city-sized grid landslide ensemble folder in the Ensemble tab (issue 20: grids of
// millions of cells were read, hashed and parsed on the page's main thread). Writes a synthetic
// `landslide fs --members` folder of SIDE × SIDE cells (P(FS < 1), three first-failure quantiles and
// two output times: six ESRI ASCII grids, members.csv and a manifest with their SHA-256) on the
// shipped region's cells, serves the app with Vite's dev server and, in Debian's Chromium, picks the
// folder with the tab's grid folder input. From the pick until the layer is on the map it records
// the page's long tasks (PerformanceObserver 'longtask': main-thread tasks over 50 ms) and the
// longest gap of a 20 ms timer (how long the page could not answer a click). Prints one JSON line.
// A measurement, not a test. usage: node --import tsx benchmarks/web/grid-open.ts [side, default 2000]
// (run it in a checkout before the grid folder reader's worker, now web/ensemble-open.worker.ts, for the main-thread figures).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { startDevApp } from './dev-app.ts';

const SIDE = Number(process.argv[2] ?? 2000);
const PORT = 4196;
const dir = resolve('test-results/bench-grid-open');
const region = JSON.parse(readFileSync('scenarios/mountain-city/region/region.json', 'utf8'));

/** The folder `landslide fs --members 12` would write for SIDE² cells from the region's south-west corner. */
function writeFolder(): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const grid = (f: (i: number) => number): Grid => ({
    ncols: SIDE, nrows: SIDE, xllcorner: region.grid.xllcorner, yllcorner: region.grid.yllcorner, cellsize: region.grid.cellsize_m, nodata: -9999,
    values: Float64Array.from({ length: SIDE * SIDE }, (_, i) => f(i)),
  });
  const twelfths = (i: number, k: number) => ((i * 7 + k * 13 + Math.floor(i / SIDE) * 3) % 13 === 12 ? NaN : ((i * 7 + k * 13 + Math.floor(i / SIDE) * 3) % 13) / 12);
  const hours = (i: number, k: number) => [NaN, 3600, 10800, 21600, 43200][(i * 3 + k + Math.floor(i / SIDE)) % 5];
  const files: Record<string, string> = {
    'p_fs_below_1.asc': formatAsciiGrid(grid((i) => twelfths(i, 0))),
    'p_fs_below_1_t3600.asc': formatAsciiGrid(grid((i) => twelfths(i, 1))),
    'p_fs_below_1_t43200.asc': formatAsciiGrid(grid((i) => twelfths(i, 2))),
    'first_failure_t_s_q05.asc': formatAsciiGrid(grid((i) => hours(i, 0))),
    'first_failure_t_s_q50.asc': formatAsciiGrid(grid((i) => hours(i, 1))),
    'first_failure_t_s_q95.asc': formatAsciiGrid(grid((i) => hours(i, 2))),
    'members.csv': ['member,friction_deg,cells_fs_below_1,status,problem', ...Array.from({ length: 12 }, (_, m) => `${m},${30 + m / 4},${m * 1000},ok,`)].join('\n') + '\n',
  };
  const hashes = Object.fromEntries(Object.keys(files).sort().map((n) => [n, createHash('sha256').update(files[n]).digest('hex')]));
  files['manifest.json'] = JSON.stringify({ command: 'landslide fs', case_file: 'city.json', ensemble: { run_id: 'bench0000', members: 12, good_members: 12, seed: 1 }, bad_members: [], products_sha256: hashes });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  process.stderr.write(`wrote ${SIDE}×${SIDE} cells: ${Math.round(Object.values(files).reduce((s, t) => s + t.length, 0) / 2 ** 20)} MiB in ${dir}\n`);
  return Object.keys(files);
}

type App = HTMLElement & { computing: boolean; result?: unknown };
const names = writeFolder();
const devApp = await startDevApp(PORT);
try {
  const page = await devApp.computedPage();
  // The folder's files fetched into the page first (from the dev server), outside the measured time.
  await page.evaluate(async ({ dir, names }) => {
    const files = await Promise.all(names.map(async (n) => new File([await (await fetch(`/@fs${dir}/${n}`)).blob()], n)));
    (window as unknown as { benchFiles: File[] }).benchFiles = files;
    const app = document.querySelector('sandtable-app') as unknown as App;
    [...app.shadowRoot!.querySelectorAll('.tabs button')].find((b) => /Ensemble|集合/.test(b.textContent ?? ''))!.dispatchEvent(new MouseEvent('click'));
  }, { dir, names });
  await page.waitForFunction(() => (document.querySelector('sandtable-app') as unknown as App).shadowRoot!.querySelector('ensemble-panel')?.shadowRoot?.querySelector('input.grid-folder'), null, { timeout: 60_000 });
  const result = await page.evaluate(async () => {
    const app = document.querySelector('sandtable-app') as unknown as App;
    const panel = app.shadowRoot!.querySelector('ensemble-panel')!;
    const tasks: { start: number; duration: number }[] = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration }); });
    observer.observe({ type: 'longtask' });
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; }, 20);
    const started = performance.now();
    const input = panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const f of (window as unknown as { benchFiles: File[] }).benchFiles) transfer.items.add(f);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    let openedMs = 0;
    const stages: [number, string][] = [];
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const stage = panel.shadowRoot!.querySelector('.opening span')?.textContent ?? '';
      if (stage.split(':')[0] !== stages.at(-1)?.[1].split(':')[0]) stages.push([Math.round(performance.now() - started), stage]);
      const error = panel.shadowRoot!.querySelector('.error')?.textContent;
      if (error) throw new Error(error);
      if (!openedMs && panel.shadowRoot!.querySelector('.opened')?.textContent?.includes('bench000')) openedMs = performance.now() - started;
      const map = app.shadowRoot!.querySelector('region-map') as unknown as { overlay?: { rasters?: unknown[] } };
      if (openedMs && map.overlay?.rasters?.length) break;
      if (performance.now() - started > 300_000) throw new Error('the folder did not open in 5 minutes');
    }
    const shownMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 500)); // long tasks are reported after they end
    clearInterval(timer);
    observer.disconnect();
    const inWindow = tasks.filter((t) => t.start >= started - 1);
    const beforeOpened = inWindow.filter((t) => t.start < started + openedMs);
    const sum = (l: typeof tasks) => Math.round(l.reduce((s, t) => s + t.duration, 0));
    return {
      opened_s: Number((openedMs / 1000).toFixed(2)), on_map_s: Number((shownMs / 1000).toFixed(2)),
      long_tasks: { count: inWindow.length, total_ms: sum(inWindow), longest_ms: Math.round(Math.max(0, ...inWindow.map((t) => t.duration))) },
      long_tasks_until_opened: { count: beforeOpened.length, total_ms: sum(beforeOpened), longest_ms: Math.round(Math.max(0, ...beforeOpened.map((t) => t.duration))) },
      longest_timer_gap_ms: Math.round(maxGap),
      // When each long task began (ms after the pick) and how long it was, beside the stages the panel said.
      tasks: inWindow.map((t) => [Math.round(t.start - started), Math.round(t.duration)]), stages,
    };
  });
  process.stdout.write(JSON.stringify({ cells: SIDE * SIDE, grids: 6, ...result }) + '\n');
} finally {
  await devApp.close();
  rmSync(dir, { recursive: true, force: true });
}
