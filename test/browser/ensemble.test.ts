// Ensembles in the browser: the pool of ensemble workers runs the CLI's members and reduces them to
// the CLI's products, byte for byte (4 members of a 2-hour storm on 1 worker, 3 of a 3-hour fire with
// a bad member on 2, each with its fixture's seed), and the ensemble tab shows the CLI's products as
// they are in its files.
import { describe, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import storm from '../ensemble/fixtures/storm-2h.json';
import fire from '../ensemble/fixtures/fire-3h.json';
import { EnsemblePool } from '../../web/ensemble-pool.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import { regionSource } from '../../web/region-source.ts';
import '../../web/app.ts';
import type { EnsemblePanel } from '../../web/components/ensemble-panel.ts';
import type { FanChart } from '../../web/components/fan-chart.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import { parseAsciiGrid } from '../../models/grid/ascii.ts';
import { PROBABILITY_CLASSES, probabilityClass, probabilityColour } from '../../web/probability-ramp.ts';
import { cancelThenRun } from './ensemble-cancel.ts';
import { until } from './until.ts';
import { trainerScreens } from './trainer-screens.ts';
import type { EnsembleWarning } from '../../models/ensemble/member-warnings.ts';
import { isInfo, readingOrder, warningText, whereText } from '../../web/model-warning-text.ts';
import { checkExposure, checkFirstFailure, checkFlame, checkMembers, checkMembersEscaped, checkReaches, screens, type Tab } from './ensemble-views.ts';
import type { NodeEnsemble } from './stage-ensemble.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsemble(scenarioFile: string, members: number): Promise<NodeEnsemble>;
  }
}

const FIXTURE = 'test/ensemble/fixtures/storm-2h.json';
const FIRE_FIXTURE = 'test/ensemble/fixtures/fire-3h.json';

describe('ensembles in the browser', () => {
  it('4 members of the 2-hour storm on 1 pool worker: every product is `sandtable ensemble`\'s, byte for byte', async () => {
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

  it('3 members of a 3-hour fire on 2 pool workers, one refused by the models: every product is `sandtable ensemble`\'s, the bad member left out alike', async () => {
    const pool = new EnsemblePool();
    const [browser, node] = await Promise.all([
      pool.run(fire as Record<string, unknown>, MOUNTAIN_CITY, { members: 3 }, { size: 2 }),
      commands.nodeEnsemble(FIRE_FIXTURE, 3),
    ]);
    pool.dispose();
    expect(browser.workers).toBe(2);
    expect(browser.productSha256).toEqual(node.manifest.product_sha256);
    expect(browser.productsSha256).toBe(node.manifest.products_sha256);
    expect(Object.keys(browser.productSha256)).toEqual(expect.arrayContaining(['fire/burn_probability.asc', 'fire/conditional_flame_length_m.asc']));
    // Member 0 draws live woody moisture 90 % × 6.02 > 500 %: refused, listed with its reason.
    expect(browser.badMembers.map((b) => b.index)).toEqual([0]);
    expect(node.files['members.csv']).toContain('0,0.865529411,1.37825812,6.02357989,,,,,,,,,,bad,$.forcing.fuel_moisture_percent.live_woody: out of range,');
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
    // The app opens the ensemble's own scenario first (as a `?scenario=` link would), so the fan
    // chart overlays its deterministic run without computing the 72-hour storm before it.
    await regionSource.start(`?scenario=/${FIXTURE}`);
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as { computing: boolean; result?: unknown; uiLang: string; scenario: { id: string } };
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the first scenario to be computed', 90_000);
    expect(internals.scenario.id).toBe(storm.id);
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
    expect(opened.textContent).toContain('ensemble-test-storm-2h');
    // The members' model warnings, each place as manifest.json records it, with how many of the 4 members gave it.
    const recorded = (node.manifest as unknown as { model_warnings: EnsembleWarning[]; model_warnings_left_out: number });
    expect(recorded.model_warnings.length).toBeGreaterThan(0);
    const notice = panel.shadowRoot!.querySelector('model-warnings-notice')!;
    await notice.updateComplete;
    // Worded by their codes in the UI's language (web/model-warning-text.ts), the run-wide ones first, information folded below.
    const line = (w: EnsembleWarning) => `${w.model} · ${whereText(w.where, 'en')}: ${warningText(w, 'en')} (in ${w.members} of 4 members; first: member ${w.first_member})`;
    const shownOrder = [...readingOrder(recorded.model_warnings.filter((w) => !isInfo(w))), ...recorded.model_warnings.filter(isInfo)];
    expect([...notice.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(shownOrder.map(line));
    (notice.shadowRoot!.querySelector('summary') as HTMLElement).click();
    await trainerScreens(app as Tab['app'], 'ensemble-warnings', { beforeShot: () => notice.scrollIntoView({ block: 'start' }), after: 'en' });
    (notice.shadowRoot!.querySelector('summary') as HTMLElement).click();

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

    // The fan chart: the outlet's 5/50/95 % at hour 1 are the CSV's, with the warning flow and the deterministic run.
    const fan = await until(() => {
      const chart = panel.shadowRoot!.querySelector('fan-chart') as FanChart | null;
      return chart?.plotted.length ? chart : undefined;
    }, 'the fan chart');
    const series = Object.fromEntries(fan.plotted);
    const k = 4; // hour 1 at 900 s steps
    const csv = node.files['flood/gauge_quantiles.csv'];
    expect(panel.gauge).toBe('G-outlet');
    expect([series['5 %'][k], series.median[k], series['95 %'][k]])
      .toEqual([csvAt(csv, 'G-outlet_q05_m3_per_s', 3600), csvAt(csv, 'G-outlet_q50_m3_per_s', 3600), csvAt(csv, 'G-outlet_q95_m3_per_s', 3600)]);
    expect(fan.plotted.map(([label]) => label)).toEqual(['5 %', 'median', '95 %', 'warning flow', 'deterministic run']);
    expect(fan.plotted[3][1].every((v) => v === fan.plotted[3][1][0] && (v as number) > 0)).toBe(true); // the warning flow

    // Screens as the analyst sees them: zh/en at the two sizes trainers use.
    const tab: Tab = { app: app as Tab['app'], panel, map, files: node.files };
    await screens(tab, 'depth');
    // The products beside the probabilities, each as its file has it (test/browser/ensemble-views.ts).
    await checkReaches(tab);
    await screens(tab, 'reaches', () => app.shadowRoot!.querySelector('.ensemble-more'));
    await checkFirstFailure(tab);
    await screens(tab, 'failure');
    await checkExposure(tab, 'people_level_4_peak');
    await checkExposure(tab, 'people_flooded');
    await checkMembers(tab, 'people_flooded');
    await screens(tab, 'tables', () => app.shadowRoot!.querySelector('.ensemble-more exposure-table')?.parentElement);
    // Items: P(reaching orange) as point colours, their values readable from the list by keyboard.
    (panel.shadowRoot!.querySelector('input[value=items]') as HTMLInputElement).click();
    await until(() => (map.overlay?.points.length ? true : undefined), 'the items layer');
    const items = node.files['risk/items.csv'].trim().split('\n').slice(1).map((l) => l.split(','));
    const [id, , , , , p3] = items[0];
    expect(map.overlay!.points.find((pt) => pt.id === id)!.colour).toBe(probabilityColour(Number(p3)) ?? '#c8ccd2');
    await page.viewport(1440, 900);
    await new Promise((r) => setTimeout(r, 400));
    await page.screenshot({ path: `../../test-results/screens/ensemble-items-1440x900-en.png` });

    // The fire ensemble's folder: flame length in its fire-officer classes, the bad member and its reason.
    const fireZip = await commands.nodeEnsembleZip(FIRE_FIXTURE, 3);
    const fireTransfer = new DataTransfer();
    fireTransfer.items.add(new File([Uint8Array.from(atob(fireZip), (ch) => ch.charCodeAt(0))], 'fire-out.zip', { type: 'application/zip' }));
    input.files = fireTransfer.files;
    input.dispatchEvent(new Event('change'));
    await until(() => (panel.shadowRoot!.querySelector('.opened')?.textContent?.includes('ensemble-test-fire-3h') ? true : undefined), 'the fire ensemble');
    const fireTab: Tab = { ...tab, files: (await commands.nodeEnsemble(FIRE_FIXTURE, 3)).files };
    await checkFlame(fireTab);
    await checkMembers(fireTab, 'burned_area_km2');
    await screens(fireTab, 'flame-members', () => app.shadowRoot!.querySelector('.ensemble-more members-table')?.parentElement);
    await checkMembersEscaped(fireTab);
    // Opening a folder as a trainer sees it (held at one stage: the worker passes it too fast to shoot).
    const desk = (app as unknown as { ensembleDesk: { opening?: unknown } }).ensembleDesk;
    desk.opening = { stage: 'parse', done: 2, total: 5, scenario: true };
    await screens(fireTab, 'opening', () => panel.shadowRoot!.querySelector('.opening'));
    desk.opening = undefined;

    // Run and Cancel on the worker pool, then a run shown in place of the folder (ensemble-cancel.ts).
    await cancelThenRun(app, panel, deep(app, 'ensemble-run-controls')!, node.manifest.product_sha256, 4, { warnings: recorded.model_warnings, left_out: recorded.model_warnings_left_out });
  }, 240_000);
});
