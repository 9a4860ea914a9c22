// The app's ensemble worker pool (issue 20: "reconsider the 50-member cap with measured memory and
// time"). Serves the app with Vite's dev server and, in Debian's Chromium, for each pool size
// (navigator.hardwareConcurrency set through the DevTools protocol): opens the 72-hour storm with the
// ensemble block of test/ensemble/fixtures/storm-6h.json, runs N members from the Ensemble tab's
// Run button and waits for its "Finished" status. Prints one JSON line per pool size: wall time,
// seconds per member, members/s, the renderer processes' resident memory (page and workers share
// one) before the run and at its peak (sampled every 0.5 s), and the page's JS heap after the run.
// A measurement, not a test. usage: node --import tsx benchmarks/web/ensemble-pool.ts [members] [pool sizes, e.g. 1,2] [scenario]
// with scenario one of: storm-72h (the default above); storm-6h (test/ensemble/fixtures/storm-6h.json,
// a short storm, as it is); fire-day (scenarios/mountain-city/fire-summer.json, 12 hours, with the
// fire-3h fixture's wind and moisture perturbations, moisture × 0.8–1.5 so no member leaves its range).
import { readFileSync } from 'node:fs';
import { rendererMiB } from './renderer-memory.ts';
import { startDevApp } from './dev-app.ts';

const [membersArg, sizesArg, scenarioArg = 'storm-72h'] = process.argv.slice(2);
const members = Number(membersArg ?? 4);
const sizes = (sizesArg ?? '1,2').split(',').map(Number);
const PORT = 4197;
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const storm = json('scenarios/mountain-city/storm-72h.json');
const fireBlock = json('test/ensemble/fixtures/fire-3h.json').ensemble;
// Each opened as the app opens a scenario file, with the shipped region's path as storm-72h.json gives it.
const SCENARIOS: Record<string, { label: string; scenario: Record<string, unknown> }> = {
  'storm-72h': { label: 'storm-72h + storm-6h ensemble block', scenario: { ...storm, ensemble: json('test/ensemble/fixtures/storm-6h.json').ensemble } },
  'storm-6h': { label: 'test/ensemble/fixtures/storm-6h.json', scenario: { ...json('test/ensemble/fixtures/storm-6h.json'), region: storm.region } },
  'fire-day': {
    label: 'fire-summer (12 h) + fire-3h wind/moisture perturbations, moisture × 0.8–1.5',
    scenario: { ...json('scenarios/mountain-city/fire-summer.json'), ensemble: { ...fireBlock, perturbations: { ...fireBlock.perturbations, fuel_moisture_scale: { distribution: 'uniform', min: 0.8, max: 1.5 } } } },
  },
};
if (!SCENARIOS[scenarioArg]) throw new Error(`unknown scenario ${scenarioArg}: one of ${Object.keys(SCENARIOS).join(', ')}`);
const { label, scenario } = SCENARIOS[scenarioArg];
const wallByWorkers = new Map<number, number>();

const { browser, close } = await startDevApp(PORT);
type App = HTMLElement & { computing: boolean; result?: unknown; open(json: unknown): Promise<unknown>; ensembleDesk: { lastRun?: { wallMs: number; workers: number; badMembers: unknown[] } } };
try {
  for (const size of sizes) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('crash', () => process.stderr.write('the page crashed\n'));
    page.on('console', (m) => { if (m.type() === 'error') process.stderr.write(`console: ${m.text()}\n`); });
    const cdp = await context.newCDPSession(page);
    const heapMiB = async () => Math.round(((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20);
    await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: size });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    // The dev server may re-bundle a dependency and reload once: wait for the computed first scenario.
    await page.waitForFunction(() => { const a = document.querySelector('sandtable-app') as unknown as App | null; return a && !a.computing && a.result; }, null, { timeout: 300_000, polling: 1000 });
    await page.evaluate(async (json) => {
      const app = document.querySelector('sandtable-app') as unknown as App;
      await app.open(json);
      (app.shadowRoot!.querySelectorAll('.tabs button')[6] as HTMLButtonElement).click();
    }, scenario);
    await page.waitForFunction(() => { const a = document.querySelector('sandtable-app') as unknown as App; return !a.computing && a.shadowRoot!.querySelector('ensemble-run-controls'); }, null, { timeout: 300_000, polling: 1000 });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (cores !== size) throw new Error(`the page says ${cores} cores, not ${size}`);
    const before = { renderer_mib: rendererMiB(), page_heap_mib: await heapMiB() };
    let peak = before.renderer_mib;
    const sampler = setInterval(() => { peak = Math.max(peak, rendererMiB()); }, 500);
    const started = Date.now();
    await page.evaluate((n) => {
      const controls = (document.querySelector('sandtable-app') as unknown as App).shadowRoot!.querySelector('ensemble-run-controls')!.shadowRoot!;
      (controls.querySelector('input[name=members]') as HTMLInputElement).value = String(n);
      (controls.querySelector('button.run') as HTMLButtonElement).click();
    }, members);
    for (let last = '';;) {
      const status = await page.evaluate(() => (document.querySelector('sandtable-app') as unknown as App).shadowRoot!.querySelector('ensemble-run-controls')!.shadowRoot!.querySelector('.figures, [role=status]')?.textContent ?? '');
      if (status !== last) { process.stderr.write(`pool ${size}, ${((Date.now() - started) / 1000).toFixed(0)} s: ${status} · renderer ${rendererMiB()} MiB\n`); last = status; }
      if (await page.evaluate(() => !!(document.querySelector('sandtable-app') as unknown as App).ensembleDesk.lastRun)) break;
      const error = await page.evaluate(() => (document.querySelector('sandtable-app') as unknown as App).shadowRoot!.querySelector('ensemble-panel')?.shadowRoot?.querySelector('.error')?.textContent);
      if (error) throw new Error(`the run failed: ${error}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    clearInterval(sampler);
    const run = await page.evaluate(() => (document.querySelector('sandtable-app') as unknown as App).ensembleDesk.lastRun!);
    wallByWorkers.set(run.workers, run.wallMs / 1000);
    process.stdout.write(JSON.stringify({
      scenario: label, members, workers: run.workers, bad_members: run.badMembers.length,
      wall_s: run.wallMs / 1000, s_per_member: Number((run.wallMs / 1000 / members).toFixed(2)), members_per_s: Number((members / (run.wallMs / 1000)).toFixed(3)),
      renderer_mib: { before: before.renderer_mib, peak, after: rendererMiB() }, page_heap_mib: { before: before.page_heap_mib, after: await heapMiB() },
    }) + '\n');
    await context.close();
  }
  // The pool's scaling in one line: 1 worker's wall time over each larger pool's.
  if (wallByWorkers.has(1)) {
    const speedup = Object.fromEntries([...wallByWorkers].filter(([k]) => k > 1).map(([k, s]) => [`${k}_vs_1`, Number((wallByWorkers.get(1)! / s).toFixed(2))]));
    process.stdout.write(JSON.stringify({ scenario: label, members, speedup }) + '\n');
  }
} finally {
  await close();
}
