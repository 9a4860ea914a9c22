// Opening a scenario ensemble's folder (`sandtable ensemble --out DIR`) in the Ensemble tab on a
// region of a million cells (issue 20: its products were hashed and parsed on the page's main
// thread, the map and every button frozen meanwhile). Runs `sandtable ensemble` on the 2-hour storm
// fixture (4 members, the shipped 1024² region) and opens its DIR as a .zip (stored, so the inflate
// does not count) with the tab's zip input. `dense` (the default) adds what a flood-and-fire
// ensemble's folder holds: P(burned) and conditional flame length on every region cell, and every
// region cell's P(depth ≥ 0.3 m) set to a non-zero value (the CLI's storm floods few cells, so its
// grid is mostly "0"), each listed in the manifest with its SHA-256; `cli` opens the folder as the
// CLI wrote it. From the pick until the first layer is on the map, then for each other grid layer
// from its radio button's click until it is drawn, it records the page's long tasks
// (PerformanceObserver 'longtask': main-thread tasks over 50 ms) and the longest gap of a 20 ms
// timer (how long the page could not answer a click). Prints one JSON line.
// A measurement, not a test. usage: node --import tsx benchmarks/web/ensemble-open.ts [dense|cli]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { formatAsciiGrid, parseAsciiGrid } from '../../models/grid/ascii.ts';
import { makeZip } from '../../test/web/zip-writer.ts';
import { startDevApp } from './dev-app.ts';

const MODE = process.argv[2] ?? 'dense';
if (MODE !== 'dense' && MODE !== 'cli') throw new Error(`unknown mode ${MODE}: dense or cli`);
const PORT = 4195;
const FIXTURE = 'test/ensemble/fixtures/storm-2h.json';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

/** The CLI's folder, as text by path, with the dense grids added when asked. */
function folder(): Record<string, string> {
  const out = join(mkdtempSync(join(tmpdir(), 'sandtable-bench-ensemble-open-')), 'out');
  try {
    const run = spawnSync(process.execPath, ['bin/sandtable.js', 'ensemble', FIXTURE, '--members', '4', '--workers', '1', '--out', out], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`sandtable ensemble failed: ${run.stderr}`);
    const files = Object.fromEntries(filesUnder(out).map((p) => [relative(out, p).split('\\').join('/'), readFileSync(p, 'utf8')]));
    if (MODE === 'cli') return files;
    const depth = parseAsciiGrid(files['flood/p_depth_over_0.3m.asc'], 'p.asc');
    const n = depth.values.length;
    const row = (i: number) => Math.floor(i / depth.ncols);
    // Values in quarters and twelfths, as 4- or 12-member products hold, varying cell to cell.
    const dense = (f: (i: number) => number) => formatAsciiGrid({ ...depth, values: Float64Array.from({ length: n }, (_, i) => f(i)) });
    const added: Record<string, string> = {
      'flood/p_depth_over_0.3m.asc': dense((i) => ((i * 7 + row(i) * 3) % 4 + 1) / 4),
      'fire/burn_probability.asc': dense((i) => ((i * 5 + row(i)) % 13) / 12),
      'fire/conditional_flame_length_m.asc': dense((i) => ((i * 11 + row(i)) % 13 === 0 ? NaN : ((i * 11 + row(i)) % 97) / 20)),
    };
    const manifest = JSON.parse(files['manifest.json']);
    for (const [name, text] of Object.entries(added)) {
      files[name] = text;
      manifest.product_sha256[name] = createHash('sha256').update(text).digest('hex');
    }
    files['manifest.json'] = JSON.stringify(manifest, null, 2) + '\n';
    return files;
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

const files = folder();
const zip = makeZip(Object.entries(files).map(([name, text]) => [`ensemble-out/${name}`, text] as [string, string]), 0);
process.stderr.write(`folder (${MODE}): ${Object.keys(files).length} files, ${Math.round(zip.length / 2 ** 20)} MiB\n`);

type App = HTMLElement & { computing: boolean; result?: unknown };
const devApp = await startDevApp(PORT);
try {
  const page = await devApp.computedPage();
  await page.evaluate((base64) => {
    (window as unknown as { benchZip: File }).benchZip = new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'ensemble-out.zip', { type: 'application/zip' });
    const app = document.querySelector('sandtable-app') as unknown as App;
    [...app.shadowRoot!.querySelectorAll('.tabs button')].find((b) => /Ensemble|集合/.test(b.textContent ?? ''))!.dispatchEvent(new MouseEvent('click'));
  }, zip.toString('base64'));
  await page.waitForFunction(() => (document.querySelector('sandtable-app') as unknown as App).shadowRoot!.querySelector('ensemble-panel')?.shadowRoot?.querySelector('input.zip'), null, { timeout: 60_000 });
  const result = await page.evaluate(async () => {
    const app = document.querySelector('sandtable-app') as unknown as App;
    const panel = app.shadowRoot!.querySelector('ensemble-panel')!;
    const map = app.shadowRoot!.querySelector('region-map') as unknown as { overlay?: { rasters?: { image: unknown }[] } };
    const tasks: { start: number; duration: number }[] = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration }); });
    observer.observe({ type: 'longtask' });
    let last = performance.now();
    let gapStart = 0;
    let maxGap = 0;
    const timer = setInterval(() => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; }, 20);
    /** From `start()` until `done()` holds: the seconds, the long tasks and the longest timer gap. */
    const measure = async (start: () => void, done: () => boolean) => {
      await new Promise((r) => setTimeout(r, 300));
      maxGap = 0;
      last = gapStart = performance.now();
      start();
      for (;;) {
        await new Promise((r) => setTimeout(r, 20));
        const error = panel.shadowRoot!.querySelector('.error')?.textContent;
        if (error) throw new Error(error);
        if (done()) break;
        if (performance.now() - gapStart > 300_000) throw new Error('not shown in 5 minutes');
      }
      const tookMs = performance.now() - gapStart;
      await new Promise((r) => setTimeout(r, 300)); // long tasks are reported after they end
      const mine = tasks.filter((t) => t.start >= gapStart - 1 && t.start <= gapStart + tookMs);
      return {
        s: Number((tookMs / 1000).toFixed(2)), longest_timer_gap_ms: Math.round(maxGap),
        long_tasks: { count: mine.length, total_ms: Math.round(mine.reduce((s, t) => s + t.duration, 0)), longest_ms: Math.round(Math.max(0, ...mine.map((t) => t.duration))) },
      };
    };
    const open = await measure(() => {
      const input = panel.shadowRoot!.querySelector('input.zip') as HTMLInputElement;
      const transfer = new DataTransfer();
      transfer.items.add((window as unknown as { benchZip: File }).benchZip);
      input.files = transfer.files;
      input.dispatchEvent(new Event('change'));
    }, () => !!panel.shadowRoot!.querySelector('.opened') && !!map.overlay?.rasters?.length);
    const layers: Record<string, unknown> = {};
    for (const layer of ['burn', 'flame', 'slope', 'failure', 'depth']) {
      const radio = panel.shadowRoot!.querySelector(`input[value=${layer}]`) as HTMLInputElement | null;
      if (!radio) continue;
      const before = map.overlay?.rasters?.[0]?.image;
      layers[layer] = await measure(() => radio.click(), () => !!map.overlay?.rasters?.length && map.overlay.rasters[0].image !== before);
    }
    clearInterval(timer);
    observer.disconnect();
    return { open, layers };
  });
  process.stdout.write(JSON.stringify({ mode: MODE, zip_mib: Number((zip.length / 2 ** 20).toFixed(1)), ...result }) + '\n');
} finally {
  await devApp.close();
}
