// Building and loading a big region in the browser (issue 18: "a region up to 4096² cells must load
// and play smoothly (state the memory used)"). Writes the terrain bench's synthetic DEM
// (benchmarks/region/dem.ts) as ESRI ASCII + .prj, serves the app with Vite's dev server, and in
// Debian's Chromium: builds it through the "build a region" dialog (the worker), opens it, waits for
// its map and, unless --no-run, its storm starter run; then prints one JSON line: times per stage,
// the page's JS heap (CDP Runtime.getHeapUsage), the build worker's and the engine worker's wasm
// memory, and the renderer processes' resident memory (page and workers share one) sampled every
// 0.5 s. A measurement, not a test. usage: node --import tsx benchmarks/web/region-build.ts [N] [--no-run]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatGridFixed } from '../../models/region/builder/ascii-out.ts';
import { CELLSIZE_M, syntheticDem } from '../region/dem.ts';
import { rendererMiB } from './renderer-memory.ts';
import { startDevApp } from './dev-app.ts';

const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 4096);
const run = !process.argv.includes('--no-run');
const PORT = 4198;
// UTM 11N (the synthetic DEM's corner is the write-dem.ts ENVI header's), as an ESRI .prj says it.
const PRJ = 'PROJCS["WGS_1984_UTM_Zone_11N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

const dir = mkdtempSync(join(tmpdir(), 'sandtable-region-build-bench-'));
const dem = syntheticDem(n);
writeFileSync(join(dir, 'dem.asc'), formatGridFixed({ ...dem, xllcorner: 500000, yllcorner: 4000000, cellsize: CELLSIZE_M }, 2));
writeFileSync(join(dir, 'dem.prj'), PRJ);

const { browser, close } = await startDevApp(PORT);
let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, rendererMiB()); }, 500);
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (m) => process.stderr.write(`console ${m.type()}: ${m.text()}\n`));
  page.on('crash', () => process.stderr.write('the page crashed\n'));
  const cdp = await page.context().newCDPSession(page);
  const heapMiB = async () => Math.round(((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20);
  // Functions, not strings: the page's Content-Security-Policy forbids eval.
  type App = HTMLElement & { baseMap?: { width: number }; scenario?: { id: string }; engine: { remote: { wasmMemoryBytes(): Promise<number> } } };
  const engineWasmMiB = async () => Math.round(await page.evaluate(() => (document.querySelector('sandtable-app') as unknown as App).engine.remote.wasmMemoryBytes()) / 2 ** 20);
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.waitForFunction(() => (document.querySelector('sandtable-app')?.shadowRoot?.querySelector('region-map') as { drawn?: boolean } | null)?.drawn, null, { timeout: 120_000 });
  const idle = { renderer_mib: rendererMiB(), page_heap_mib: await heapMiB() };
  // The dev server may still re-bundle a dependency and reload the page once: try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator('region-picker summary').click({ timeout: 60_000 });
      await page.locator('region-picker button.build').click({ timeout: 20_000 });
      break;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
  await page.locator('region-build-dialog input.file-dem').setInputFiles([join(dir, 'dem.asc'), join(dir, 'dem.prj')]);
  await page.locator('region-build-dialog input.name').fill(`Synthetic ${n}`);
  await page.evaluate(() => {
    const w = window as unknown as { built?: unknown; stages: [string, number][] };
    w.stages = [];
    document.addEventListener('region-built', (e) => { w.built = (e as CustomEvent).detail; });
    const watch = setInterval(() => {
      const stage = document.querySelector('sandtable-app')?.shadowRoot?.querySelector('region-picker')?.shadowRoot?.querySelector('region-build-dialog')?.shadowRoot?.querySelector('.stage')?.textContent ?? '';
      if (stage && stage.split(' · ')[0] !== w.stages.at(-1)?.[0]) w.stages.push([stage.split(' · ')[0], Math.round(performance.now())]);
      if (w.built) clearInterval(watch);
    }, 100);
  });
  const started = Date.now();
  await page.locator('region-build-dialog button.start').click();
  // Polled from here, each change told on stderr as it comes: a long build shows where it is.
  for (let last = '';;) {
    const now = await page.evaluate(() => {
      const dialog = document.querySelector('sandtable-app')?.shadowRoot?.querySelector('region-picker')?.shadowRoot?.querySelector('region-build-dialog')?.shadowRoot;
      return { built: !!(window as unknown as { built?: unknown }).built, stage: dialog?.querySelector('.stage')?.textContent ?? '', problem: dialog?.querySelector('.problem')?.textContent ?? '' };
    });
    const line = `${now.stage} ${now.problem}`;
    if (line !== last) { process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0)} s: ${line} · renderer ${rendererMiB()} MiB\n`); last = line; }
    if (now.built || now.problem) break;
    if (Date.now() - started > 1_800_000) throw new Error('the build took over 30 min');
    await new Promise((r) => setTimeout(r, 2000));
  }
  const builtMs = Date.now() - started;
  const { built, stages } = await page.evaluate(() => {
    const w = window as unknown as { built?: { wasmBytes: number; report: { timings_ms: Record<string, number>; streams: { reaches: number } } }; stages: [string, number][] };
    return { built: w.built, stages: w.stages };
  });
  if (!built) throw new Error(`the build failed: ${await page.locator('region-build-dialog .problem').first().textContent()}`);
  await page.locator('region-build-dialog button.close').click();
  for (let last = '';;) {
    const now = await page.evaluate((size) => {
      const a = document.querySelector('sandtable-app') as unknown as App;
      const picker = a.shadowRoot!.querySelector('region-picker')?.shadowRoot;
      const said = [picker?.querySelector('.name')?.textContent, picker?.querySelector('[role=status]')?.textContent, picker?.querySelector('.problem')?.textContent, a.shadowRoot!.querySelector('.status')?.textContent, `map ${a.baseMap?.width}`].join(' | ');
      return { said, ready: a.baseMap?.width === size && !!(a.shadowRoot!.querySelector('region-map') as { drawn?: boolean } | null)?.drawn };
    }, n);
    if (now.said !== last) { process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0)} s: ${now.said} · renderer ${rendererMiB()} MiB\n`); last = now.said; }
    if (now.ready) break;
    if (Date.now() - started > 1_800_000) throw new Error('the region took over 30 min to open');
    await new Promise((r) => setTimeout(r, 2000));
  }
  const mapMs = Date.now() - started - builtMs;
  const loaded = { renderer_mib: rendererMiB(), page_heap_mib: await heapMiB(), engine_wasm_mib: await engineWasmMiB() };
  let ran: Record<string, number> | undefined;
  if (run) {
    // The built region opens on its fire starter (first by file name): the storm is chosen from the menu.
    await page.evaluate(() => {
      const menu = (document.querySelector('sandtable-app') as unknown as App).shadowRoot!.querySelector('select.scenario-title') as HTMLSelectElement;
      const storm = [...menu.options].find((o) => o.textContent?.includes('Design storm') || o.textContent?.includes('设计暴雨'));
      if (!storm) throw new Error(`no storm starter in the menu: ${[...menu.options].map((o) => o.textContent).join(', ')}`);
      menu.value = storm.value;
      menu.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => {
      const a = document.querySelector('sandtable-app') as unknown as App;
      return a.scenario?.id === 'storm-starter' && a.shadowRoot!.querySelector('.status')?.textContent?.includes('·');
    }, null, { timeout: 3_600_000, polling: 1000 });
    ran = { run_ms: Date.now() - started - builtMs - mapMs, renderer_mib: rendererMiB(), page_heap_mib: await heapMiB(), engine_wasm_mib: await engineWasmMiB() };
  }
  process.stdout.write(JSON.stringify({
    cells: n * n, dem_mib: Math.round(readFileSync(join(dir, 'dem.asc')).length / 2 ** 20), reaches: built.report.streams.reaches,
    build_ms: builtMs, build_timings_ms: built.report.timings_ms, stages_at_ms: stages, build_worker_wasm_mib: Math.round(built.wasmBytes / 2 ** 20),
    open_and_map_ms: mapMs, idle, loaded, ...(ran ? { storm_run: ran } : {}), renderer_peak_mib: Math.max(peak, rendererMiB()),
  }) + '\n');
} finally {
  clearInterval(sampler);
  await close();
  rmSync(dir, { recursive: true, force: true });
}
