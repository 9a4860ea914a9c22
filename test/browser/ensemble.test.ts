// Ensembles in the browser: the pool of ensemble workers runs the CLI's members and reduces them to
// the CLI's products, byte for byte (4 members of a 6-hour storm, the seed of the fixture's scenario).
import { describe, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import storm from '../ensemble/fixtures/storm-6h.json';
import { EnsemblePool } from '../../web/ensemble-pool.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import '../../web/app.ts';
import type { EnsemblePanel } from '../../web/components/ensemble-panel.ts';
import type { FanChart } from '../../web/components/fan-chart.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import { parseAsciiGrid } from '../../models/grid/ascii.ts';
import { PROBABILITY_CLASSES, probabilityClass, probabilityColour } from '../../web/probability-ramp.ts';
import { cancelThenRun } from './ensemble-cancel.ts';
import { until } from './until.ts';
import type { NodeEnsemble } from './stage-ensemble.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsemble(scenarioFile: string, members: number): Promise<NodeEnsemble>;
  }
}

const FIXTURE = 'test/ensemble/fixtures/storm-6h.json';

describe('ensembles in the browser', () => {
  // On 2 pool workers: the Run button's run in the app test below.
  it('4 members of the 6-hour storm on 1 pool worker: every product is `sandtable ensemble`\'s, byte for byte', async () => {
    const node = commands.nodeEnsemble(FIXTURE, 4);
    const steps: number[] = [];
    const one = await new EnsemblePool().run(storm as Record<string, unknown>, MOUNTAIN_CITY, { members: 4 }, { size: 1, progress: (p) => steps.push(p.done) });
    const { manifest } = await node;
    expect([one.members, one.workers]).toEqual([4, 1]);
    expect(one.seed).toBe(manifest.seed);
    // File by file first, so a difference names the product it is in.
    expect(one.productSha256).toEqual(manifest.product_sha256);
    expect(one.productsSha256).toBe(manifest.products_sha256);
    expect(Object.keys(one.productSha256)).toContain('flood/p_depth_over_0.3m.asc');
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

    // Pixels: zoomed in on a cell (no smoothing past 4×), the map shows the base map under the
    // ramp colour of that cell's product value, blended at the layer's opacity; clear where P = 0.
    const depth = parseAsciiGrid(node.files['flood/p_depth_over_0.3m.asc'], 'p.asc');
    const baseMap = (app as unknown as { baseMap: { width: number; rgba: Uint8ClampedArray } }).baseMap;
    const view = map as unknown as { zoom: number; centre: { col: number; row: number }; draw(): void };
    const canvas = map.shadowRoot!.querySelector('canvas')!;
    const alpha = 0.9 * (210 / 255);
    const pixelAt = (i: number) => {
      view.zoom = 16;
      view.centre = { col: (i % depth.ncols) + 0.5, row: Math.floor(i / depth.ncols) + 0.5 };
      view.draw();
      return Array.from(canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data.slice(0, 3));
    };
    const values = [...new Set(Array.from(depth.values).filter((v) => v > 0))].sort();
    expect(values.length).toBeGreaterThanOrEqual(3); // 4 members: P in quarters, several classes on the map
    for (const p of [0, ...values]) {
      const i = depth.values.indexOf(p);
      const base = Array.from(baseMap.rgba.slice(i * 4, i * 4 + 3));
      const rgb = p === 0 ? base : PROBABILITY_CLASSES[probabilityClass(p)].rgb.map((v, k) => alpha * v + (1 - alpha) * base[k]);
      const pixel = pixelAt(i);
      expect(pixel.every((v, k) => Math.abs(v - rgb[k]) <= 2), `cell ${i} (P = ${p}): pixel ${pixel}, expected ${rgb.map(Math.round)}`).toBe(true);
    }
    view.zoom = 1;
    view.centre = { col: depth.ncols / 2, row: depth.nrows / 2 };
    view.draw();
    // Zoomed out, the overview (highest P of 4 × 4 cells) is drawn instead, over the same extent.
    expect(map.overlay!.rasters!.map((r) => [r.cols, r.rows, r.fromZoom, r.belowZoom])).toEqual([[1024, 1024, undefined, 2], [1024, 1024, 2, undefined]]);

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

    // Run and Cancel on the worker pool, then a run shown in place of the folder (ensemble-cancel.ts).
    await cancelThenRun(app, panel, deep(app, 'ensemble-run-controls')!, node.manifest.product_sha256, 4);
  }, 240_000);
});
