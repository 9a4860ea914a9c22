// Ensembles in the browser: the engine worker runs the CLI's members and reduces them to the CLI's
// products, byte for byte (4 members of a 6-hour storm, the seed of the fixture's scenario).
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import storm from '../ensemble/fixtures/storm-6h.json';
import { startEngineWorker } from '../../web/engine-client.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import '../../web/app.ts';
import type { EnsemblePanel } from '../../web/components/ensemble-panel.ts';
import type { FanChart } from '../../web/components/fan-chart.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import { parseAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { PROBABILITY_CLASSES, probabilityClass, probabilityColour } from '../../web/probability-ramp.ts';
import { until } from './until.ts';
import type { NodeEnsemble } from './stage-ensemble.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsemble(scenarioFile: string, members: number): Promise<NodeEnsemble>;
  }
}

const FIXTURE = 'test/ensemble/fixtures/storm-6h.json';

describe('ensembles in the browser', () => {
  it('4 members of the 6-hour storm: every product is `sandtable ensemble`\'s, byte for byte', async () => {
    const engine = startEngineWorker();
    const steps: number[] = [];
    const [browser, node] = await Promise.all([
      engine.runEnsemble(storm as Record<string, unknown>, MOUNTAIN_CITY, { members: 4 }, Comlink.proxy((done: number) => { steps.push(done); })),
      commands.nodeEnsemble(FIXTURE, 4),
    ]);
    expect(browser.members).toBe(4);
    expect(browser.seed).toBe(node.manifest.seed);
    // File by file first, so a difference names the product it is in.
    expect(browser.productSha256).toEqual(node.manifest.product_sha256);
    expect(browser.productsSha256).toBe(node.manifest.products_sha256);
    expect(Object.keys(browser.productSha256)).toContain('flood/p_depth_over_0.3m.asc');
    expect(steps).toEqual([0, 1, 2, 3, 4]);
  }, 120_000);
});

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsembleZip(scenarioFile: string, members: number): Promise<string>;
  }
}

const deep = (root: Element, ...selectors: string[]): Element | null => {
  let node: Element | null = root;
  for (const s of selectors) node = (node?.shadowRoot ?? node)?.querySelector(s) ?? null;
  return node;
};

/** The CSV's value in `column` at the row of time `tS`. */
function csvAt(text: string, column: string, tS: number): number {
  const rows = text.trim().split('\n').map((l) => l.split(','));
  return Number(rows.find((r) => Number(r[0]) === tS)![rows[0].indexOf(column)]);
}

/** Centres of 7 × 7 blocks of cells that all hold `p` (so the map's pixel there is that value's colour). */
function uniformBlocks(grid: Grid, p: number, limit: number): [number, number][] {
  const found: [number, number][] = [];
  for (let r = 3; r < grid.nrows - 3 && found.length < limit; r += 7) for (let c = 3; c < grid.ncols - 3 && found.length < limit; c += 7) {
    let all = true;
    for (let dr = -3; dr <= 3 && all; dr++) for (let dc = -3; dc <= 3 && all; dc++) all = grid.values[(r + dr) * grid.ncols + c + dc] === p;
    if (all) found.push([c, r]);
  }
  return found;
}

describe('the ensemble tab', () => {
  it('opens the CLI\'s folder (.zip): P(depth ≥ 0.3 m) colours the map cell by cell, the fan chart has the gauge\'s quantiles', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as { computing: boolean; result?: unknown; uiLang: string; open(json: unknown): Promise<unknown> };
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the first scenario to be computed', 90_000);
    // The deterministic run the fan chart overlays: the ensemble's own scenario, opened in the app.
    await internals.open(storm);
    internals.uiLang = 'en';
    const [zip, node] = await Promise.all([commands.nodeEnsembleZip(FIXTURE, 4), commands.nodeEnsemble(FIXTURE, 4)]);
    (app.shadowRoot!.querySelectorAll('.tabs button')[6] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = await until(() => deep(app, 'ensemble-panel') as EnsemblePanel | null, 'the ensemble panel');
    await panel.updateComplete;
    const input = panel.shadowRoot!.querySelector('input.zip') as HTMLInputElement;
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(zip), (ch) => ch.charCodeAt(0))], 'ensemble-out.zip', { type: 'application/zip' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    const map = deep(app, 'region-map') as RegionMap;
    await until(() => (map.overlay?.rasters?.length ? true : undefined), 'the probability layer on the map', 30_000);
    expect(panel.shadowRoot!.querySelector('.error')).toBeNull();
    const opened = await until(() => panel.shadowRoot!.querySelector('.opened'), 'the opened ensemble\'s line');
    expect(opened.textContent).toContain('ensemble-test-storm-6h');

    // Pixels: at cells whose product value is p, the map shows p's ramp class over the base map.
    const depth = parseAsciiGrid(node.files['flood/p_depth_over_0.3m.asc'], 'p.asc');
    const baseMap = (app as unknown as { baseMap: { width: number; height: number; rgba: Uint8ClampedArray } }).baseMap;
    const canvas = map.shadowRoot!.querySelector('canvas')!;
    const context = canvas.getContext('2d')!;
    const ratio = canvas.width / map.clientWidth;
    const fit = Math.min(map.clientWidth / baseMap.width, map.clientHeight / baseMap.height);
    const alpha = 0.9 * (210 / 255);
    const checked: string[] = [];
    const values = [...new Set(Array.from(depth.values).filter((v) => v > 0))].sort();
    expect(values.length).toBeGreaterThanOrEqual(2); // more than one class on the map
    for (const p of values) {
      for (const [c, r] of uniformBlocks(depth, p, 3)) {
        const x = Math.round((map.clientWidth / 2 + (c + 0.5 - baseMap.width / 2) * fit) * ratio);
        const y = Math.round((map.clientHeight / 2 + (r + 0.5 - baseMap.height / 2) * fit) * ratio);
        const pixel = Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
        const base = Array.from(baseMap.rgba.slice((r * baseMap.width + c) * 4, (r * baseMap.width + c) * 4 + 3));
        const blended = PROBABILITY_CLASSES.map((k) => k.rgb.map((v, i) => alpha * v + (1 - alpha) * base[i]));
        const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
        const nearest = blended.map((b) => distance(b, pixel)).reduce((best, d, k, all) => (d < all[best] ? k : best), 0);
        expect(nearest, `cell (${c}, ${r}) P = ${p}: pixel ${pixel}`).toBe(probabilityClass(p));
        expect(distance(blended[nearest], pixel)).toBeLessThan(30);
        checked.push(`${p}`);
      }
    }
    expect(new Set(checked).size).toBeGreaterThanOrEqual(2);

    // The fan chart: the outlet's 5/50/95 % at hour 3 are the CSV's, with the warning flow and the deterministic run.
    const fan = await until(() => {
      const chart = panel.shadowRoot!.querySelector('fan-chart') as FanChart | null;
      return chart?.plotted.length ? chart : undefined;
    }, 'the fan chart');
    const series = Object.fromEntries(fan.plotted);
    const k = 3 * 4; // hour 3 at 900 s steps
    const csv = node.files['flood/gauge_quantiles.csv'];
    expect(panel.gauge).toBe('G-outlet');
    expect([series['5 %'][k], series.median[k], series['95 %'][k]])
      .toEqual([csvAt(csv, 'G-outlet_q05_m3_per_s', 10800), csvAt(csv, 'G-outlet_q50_m3_per_s', 10800), csvAt(csv, 'G-outlet_q95_m3_per_s', 10800)]);
    expect(fan.plotted.map(([label]) => label)).toEqual(['5 %', 'median', '95 %', 'warning flow', 'deterministic run']);
    expect(fan.plotted[3][1].every((v) => v === fan.plotted[3][1][0] && (v as number) > 0)).toBe(true); // the warning flow

    // Screens as the analyst sees them: zh/en at the two sizes trainers use.
    for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
      await page.viewport(width, height);
      for (const lang of ['zh-CN', 'en'] as const) {
        internals.uiLang = lang;
        await app.updateComplete;
        await new Promise((r) => setTimeout(r, 400));
        await page.screenshot({ path: `../../test-results/screens/ensemble-depth-${width}x${height}-${lang}.png` });
      }
    }
    // Items: P(reaching orange) as point colours, their values readable from the list by keyboard.
    (panel.shadowRoot!.querySelector('input[value=items]') as HTMLInputElement).click();
    await until(() => (map.overlay?.points.length ? true : undefined), 'the items layer');
    const items = node.files['risk/items.csv'].trim().split('\n').slice(1).map((l) => l.split(','));
    const [id, , , , , p3] = items[0];
    expect(map.overlay!.points.find((pt) => pt.id === id)!.colour).toBe(probabilityColour(Number(p3)) ?? '#c8ccd2');
    await page.viewport(1440, 900);
    await new Promise((r) => setTimeout(r, 400));
    await page.screenshot({ path: `../../test-results/screens/ensemble-items-1440x900-en.png` });
  }, 180_000);
});
