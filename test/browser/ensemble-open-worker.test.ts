// A scenario ensemble's folder (`sandtable ensemble --out DIR`) opened off the page's thread
// (web/ensemble-open.worker.ts through web/ensemble-opener.ts): the view the in-process reader gives,
// progress through reading, checking and parsing, refusals carried back with the in-process reader's
// file, line and message, layers' pixels made there, and the page answering a timer throughout a
// folder of a million cells a grid (on the page's thread, benchmarks/web/ensemble-open.ts measured
// the page held 0.5–1.5 s at 1024² cells), with Cancel at once.
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { InputError } from '../../models/errors.ts';
import { openEnsemble } from '../../models/ensemble/open-products.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { bytesSha256Hex, sha256Hex } from '../../models/scenario/outputs.ts';
import '../../web/components/ensemble-panel.ts';
import type { GridOpenProgress } from '../../web/ensemble-grid-open.ts';
import { preparedLayer } from '../../web/ensemble-layers.ts';
import { valueLayerPixels } from '../../web/ensemble-more.ts';
import { EnsembleOpener, OpenCancelled } from '../../web/ensemble-opener.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import { bigEnsembleFolder } from './big-ensemble-folder.ts';
import type { NodeEnsemble } from './stage-ensemble.ts';
import { watchTimerGaps } from './timer-gaps.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsemble(scenarioFile: string, members: number): Promise<NodeEnsemble>;
  }
}

const FIXTURE = 'test/ensemble/fixtures/storm-2h.json';
const blobs = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([n, t]) => [n, new Blob([t])]));

/** `value` with each typed array as its type, length and SHA-256: deep equality over a million cells takes Vitest seconds. */
async function hashed(value: unknown): Promise<unknown> {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes) ${await bytesSha256Hex(value as ArrayBufferView<ArrayBuffer>)}`;
  if (Array.isArray(value)) return Promise.all(value.map(hashed));
  if (value && typeof value === 'object') return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await hashed(v)])));
  return value;
}

/** What the in-process reader and the worker say of a folder: both must refuse it alike. */
async function refusals(opener: EnsembleOpener, files: Record<string, string>) {
  const here = await openEnsemble(files).then(() => undefined, (e: unknown) => e);
  const there = await opener.openScenario(blobs(files)).then(() => undefined, (e: unknown) => e);
  expect(here).toBeInstanceOf(InputError);
  expect(there).toBeInstanceOf(InputError);
  expect((there as InputError).problems).toEqual((here as InputError).problems);
  return (there as InputError).problems[0];
}

describe('opening a scenario ensemble in the folder reader\'s worker', () => {
  it('gives the in-process reader\'s view of the CLI\'s folder, reports progress, paints layers and refuses bad files alike', async () => {
    const { files } = await commands.nodeEnsemble(FIXTURE, 4);
    const opener = new EnsembleOpener();
    const steps: GridOpenProgress[] = [];
    const view = await opener.openScenario(blobs(files), (p) => steps.push(p));
    expect(await hashed(view)).toEqual(await hashed(await openEnsemble(files)));
    expect(view.depth!.values).toBeInstanceOf(Float64Array);
    expect([view.depth!.ncols, view.depth!.nrows, view.members, view.gauges.length > 0]).toEqual([1024, 1024, 4, true]);
    // Reading each file, then each listed product's SHA-256, then each grid (depth, P(FS < 1), 3 first-failure quantiles).
    await new Promise((r) => setTimeout(r, 50)); // the last progress call may land after the result
    const last = (stage: string) => steps.filter((s) => s.stage === stage).at(-1);
    const listed = Object.keys(JSON.parse(files['manifest.json']).product_sha256).length;
    expect([...new Set(steps.map((s) => s.stage))]).toEqual(['read', 'check', 'parse']);
    expect(last('read')).toEqual({ stage: 'read', done: Object.keys(files).length, total: Object.keys(files).length });
    expect(last('check')).toEqual({ stage: 'check', done: listed, total: listed });
    expect(Object.keys(files).filter((n) => n.endsWith('.asc'))).toHaveLength(5);
    expect(last('parse')).toEqual({ stage: 'parse', done: 5, total: 5 });

    // Pixels made in the worker are those the page would make (ensemble-layers.ts, ensemble-more.ts).
    const cellsize = (await (await fetch(MOUNTAIN_CITY.manifest)).json() as RegionManifest).grid.cellsize_m;
    expect(await hashed(await opener.paint(view.depth!, 'depth', cellsize))).toEqual(await hashed(preparedLayer(view.depth!, cellsize)));
    expect(await hashed(await opener.paint(view.firstFailure!.q50, 'failure', cellsize))).toEqual(await hashed(valueLayerPixels(view.firstFailure!.q50, 'failure', cellsize)));

    // Refusals cross the worker as the InputError the in-process reader gives, by file, line and column.
    expect(await refusals(opener, { ...files, 'risk/districts.csv': files['risk/districts.csv'] + '\n' }))
      .toMatchObject({ path: 'risk/districts.csv', message: 'has changed since the ensemble wrote it' });
    const gauges = files['flood/gauge_quantiles.csv'].replace(/^(t_s,[^\n]*\n[^,]*,[^,]*,)[^,]*/, '$1x');
    const manifest = JSON.parse(files['manifest.json']);
    manifest.product_sha256['flood/gauge_quantiles.csv'] = await sha256Hex(gauges);
    expect(await refusals(opener, { ...files, 'flood/gauge_quantiles.csv': gauges, 'manifest.json': JSON.stringify(manifest) }))
      .toMatchObject({ path: 'flood/gauge_quantiles.csv:2:3', message: 'is not a number', value: 'x' });
    expect(await refusals(opener, { ...files, 'manifest.json': files['manifest.json'].replace('"command": "ensemble"', '"command": "run"') }))
      .toMatchObject({ path: 'manifest.json $.command', message: 'is not an ensemble output', value: 'run' });
    opener.dispose();
  }, 90_000);

  it('keeps the page answering while a million cells a grid are opened and painted, and cancels at once', async () => {
    const region = await (await fetch(MOUNTAIN_CITY.manifest)).json() as RegionManifest;
    const folder = await bigEnsembleFolder(region, 1000);
    const opener = new EnsembleOpener();
    const gaps = watchTimerGaps();
    try {
      const started = performance.now();
      // What the tab does: open, then the first layer's pixels, then another layer's.
      const view = await opener.openScenario(folder);
      const depth = await opener.paint(view.depth!, 'depth', region.grid.cellsize_m);
      const flame = await opener.paint(view.flame!, 'flame', region.grid.cellsize_m);
      const tookMs = performance.now() - started;
      expect([view.depth!.ncols, view.burn!.nrows, view.scenario, depth.raster.width, flame.overview!.width]).toEqual([1000, 1000, 'big-storm', 1000, 250]);
      expect([view.depth!.values[1], view.flame!.values[0], view.flame!.values[1]]).toEqual([1, NaN, 0.05]);
      expect(gaps.longestMs, `the longest gap of a 20 ms timer while opening and painting (${Math.round(tookMs)} ms)`).toBeLessThan(500);
      console.log(`scenario ensemble folder, 3 grids of 1000² cells: opened and painted in ${Math.round(tookMs)} ms, the page's longest timer gap ${Math.round(gaps.longestMs)} ms`);

      // Cancel mid-open: rejected at once, the worker ended; a paint asked for meanwhile is answered
      // or rejected as cancelled (the tab asks again), never left waiting; the next call starts a fresh worker.
      const steps: GridOpenProgress[] = [];
      const opening = opener.openScenario(folder, (p) => steps.push(p));
      const painting = opener.paint(view.burn!, 'burn', region.grid.cellsize_m).then((p) => p.raster.cols, (e: unknown) => e);
      while (!steps.some((s) => s.stage === 'read')) await new Promise((r) => setTimeout(r, 5));
      // "At once" is counted in tasks, not milliseconds, which a loaded machine stretches: rejected
      // before the next task runs, so nothing from the worker (a message is a task) was waited for.
      let cancelled: unknown;
      opening.catch((e: unknown) => { cancelled = e; });
      opener.cancel();
      await new Promise((r) => setTimeout(r, 0));
      expect(cancelled).toBeInstanceOf(OpenCancelled);
      const painted = await painting;
      expect(painted === 1000 || painted instanceof OpenCancelled, String(painted)).toBe(true);
      expect(opener.opening).toBe(false);
      expect((await opener.paint(view.burn!, 'burn', region.grid.cellsize_m)).raster.cols).toBe(1000);
      expect((await opener.openScenario(folder)).members).toBe(4);
    } finally {
      gaps.stop();
      opener.dispose();
    }
  }, 90_000);

  it('names what is being opened: the ensemble, or the grid ensemble', async () => {
    const panel = document.createElement('ensemble-panel');
    panel.lang = 'en';
    document.body.append(panel);
    try {
      panel.opening = { stage: 'parse', done: 2, total: 5, scenario: true };
      await panel.updateComplete;
      const bar = () => panel.shadowRoot!.querySelector('.opening progress')!;
      expect([bar().getAttribute('aria-label'), bar().getAttribute('aria-valuetext')]).toEqual(['Opening the ensemble', 'Parsing the grids: 2/5']);
      panel.opening = { stage: 'check', done: 1, total: 9 };
      await panel.updateComplete;
      expect([bar().getAttribute('aria-label'), bar().getAttribute('aria-valuetext')]).toEqual(['Opening the grid ensemble', 'Checking SHA-256 against manifest.json: 1/9']);
    } finally {
      panel.remove();
    }
  });
});
