// A grid landslide ensemble run elsewhere (`sandtable landslide fs case.json --members N --out DIR`,
// here in Node on a window of the shipped region's DEM) opened in the Ensemble tab: P(FS < 1) in
// the probability ramp and first-failure hours in their classes, each drawn at its georeferenced
// place on the region map (the pixels at chosen cells are the file's values), P at one output time,
// members.csv with a bad member's reason as text, and the folders the tab must refuse, by name:
// a tampered product, and a grid of other cells than the region's.
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import storm from '../ensemble/fixtures/storm-2h.json';
import { parseAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { sha256Hex } from '../../models/scenario/outputs.ts';
import '../../web/app.ts';
import type { EnsemblePanel } from '../../web/components/ensemble-panel.ts';
import type { MembersTable } from '../../web/components/members-table.ts';
import type { QuantilePicker } from '../../web/components/quantile-picker.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import { FAILURE_HOUR_CLASSES, failureClass, hoursText } from '../../web/ensemble-more.ts';
import { PROBABILITY_CLASSES, percent, probabilityClass } from '../../web/probability-ramp.ts';
import { regionSource } from '../../web/region-source.ts';
import { screens, type Tab } from './ensemble-views.ts';
import type { NodeGridEnsemble } from './stage-grid-ensemble.ts';
import { until } from './until.ts';
import { bigFolder } from './big-grid-folder.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeGridEnsemble(which: 'city' | 'demo'): Promise<NodeGridEnsemble>;
  }
}

// The fixture's window of the region: rows 736–775, cols 96–151 (grid-landslide-city.json's _about).
const [ROW0, COL0] = [736, 96];
const ALPHA = 0.9 * (210 / 255);
type MapView = { zoom: number; centre: { col: number; row: number }; draw(): void };

const deep = (root: Element, ...selectors: string[]): Element | null => {
  let node: Element | null = root;
  for (const s of selectors) node = (node?.shadowRoot ?? node)?.querySelector(s) ?? null;
  return node;
};

function pick(input: HTMLInputElement, files: File[]): void {
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change'));
}

const asFiles = (files: Record<string, string>) => Object.entries(files).map(([name, text]) => new File([text], name));
const zipFile = (base64: string, name: string) => new File([Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))], name, { type: 'application/zip' });

/** The folder with `name` changed by `edit` and its SHA-256 in the manifest made to match, as a crafted folder would be. */
async function rehashed(files: Record<string, string>, name: string, edit: (text: string) => string): Promise<Record<string, string>> {
  const out = { ...files, [name]: edit(files[name]) };
  const manifest = JSON.parse(files['manifest.json']);
  manifest.products_sha256[name] = await sha256Hex(out[name]);
  out['manifest.json'] = JSON.stringify(manifest);
  return out;
}

describe('a grid landslide ensemble in the Ensemble tab', () => {
  it('opens landslide fs --members output: P(FS < 1) and first failure drawn at their place as the files say; members listed; tampered and misplaced folders refused by name', async () => {
    await regionSource.start(`?scenario=/test/ensemble/fixtures/storm-2h.json`);
    const app = document.createElement('sandtable-app') as HTMLElement & { updateComplete: Promise<unknown> };
    document.body.append(app);
    const internals = app as unknown as { computing: boolean; result?: unknown; uiLang: string; scenario: { id: string }; baseMap: { width: number; rgba: Uint8ClampedArray } };
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the first scenario to be computed', 90_000);
    expect(internals.scenario.id).toBe(storm.id);
    internals.uiLang = 'en';
    const [city, demo] = await Promise.all([commands.nodeGridEnsemble('city'), commands.nodeGridEnsemble('demo')]);
    await app.updateComplete;
    [...app.shadowRoot!.querySelectorAll('.tabs button')].find((b) => b.textContent?.trim() === 'Ensemble')!.dispatchEvent(new MouseEvent('click'));
    await app.updateComplete;
    const panel = await until(() => deep(app, 'ensemble-panel') as EnsemblePanel | null, 'the ensemble panel');
    await panel.updateComplete;
    const map = deep(app, 'region-map') as RegionMap;
    const view = map as unknown as MapView;
    const canvas = map.shadowRoot!.querySelector('canvas')!;
    const legend = () => app.shadowRoot!.querySelector('.ensemble-legend')?.textContent?.replace(/\s+/g, ' ') ?? '';
    const error = () => panel.shadowRoot!.querySelector('.error')?.textContent ?? '';

    // The folder as picked (files flat, as a folder picker of DIR gives them).
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, asFiles(city.files));
    await until(() => (map.overlay?.rasters?.length ? true : undefined), 'the P(FS < 1) layer on the map', 30_000);
    expect(error()).toBe('');
    await until(() => panel.shadowRoot!.querySelector('.opened'), 'the opened ensemble\'s line');
    // The CLI wrote the DEM's .prj beside each grid; the app checked it is the region's CRS.
    expect(Object.keys(city.files).filter((n) => n.endsWith('.prj')).length).toBeGreaterThanOrEqual(8);
    expect(panel.shadowRoot!.querySelector('.opened')!.textContent).toMatch(/case\.json · grid landslide ensemble · run [0-9a-f]{8} · 2240 cells · CRS WGS_1984_UTM_Zone_48N \(\.prj\)/);
    expect(panel.shadowRoot!.querySelector('.opened')!.textContent).toContain('12/12 good members');
    // At its place: 96 cells east and 736 south of the region's north-west corner, 56 × 40 region cells; the map brought there.
    expect(map.overlay!.rasters!.map((r) => [r.col0, r.row0, r.cols, r.rows])).toEqual([[COL0, ROW0, 56, 40], [COL0, ROW0, 56, 40]]);
    expect(view.zoom).toBeGreaterThan(4);
    expect([Math.round(view.centre.col), Math.round(view.centre.row)]).toEqual([COL0 + 28, ROW0 + 20]);
    const tab: Tab = { app, panel, map, files: city.files };
    await screens(tab, 'grid-p');

    /** The map's pixel at grid cell i's centre, zoomed in all the way, and what it must be for colour `rgb` (undefined: clear). */
    const pixelCheck = (grid: Grid, i: number, rgb: readonly number[] | undefined) => {
      const [r, c] = [Math.floor(i / grid.ncols), i % grid.ncols];
      view.zoom = 16;
      view.centre = { col: COL0 + c + 0.5, row: ROW0 + r + 0.5 };
      view.draw();
      const pixel = Array.from(canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data.slice(0, 3));
      const k = ((ROW0 + r) * internals.baseMap.width + COL0 + c) * 4;
      const base = Array.from(internals.baseMap.rgba.slice(k, k + 3));
      const expected = (rgb ? rgb.map((v, j) => ALPHA * v + (1 - ALPHA) * base[j]) : base).map(Math.round);
      return { ok: pixel.every((v, j) => Math.abs(v - expected[j]) <= 2), text: `cell ${i} (row ${r}, col ${c}): pixel ${pixel}, expected ${expected}` };
    };
    const expectPixel = async (grid: Grid, i: number, rgb: readonly number[] | undefined) => {
      // A new layer's bitmap is made asynchronously: wait for it, then say what differs.
      await until(() => (pixelCheck(grid, i, rgb).ok ? true : undefined), `cell ${i} in its colour`).catch(() => undefined);
      const last = pixelCheck(grid, i, rgb);
      expect(last.ok, last.text).toBe(true);
    };
    const readoutAt = async (grid: Grid, i: number) => {
      const x = grid.xllcorner + ((i % grid.ncols) + 0.5) * grid.cellsize;
      const y = grid.yllcorner + (grid.nrows - Math.floor(i / grid.ncols) - 0.5) * grid.cellsize;
      map.dispatchEvent(new CustomEvent('map-hover', { detail: { x, y }, bubbles: true, composed: true }));
      await app.updateComplete;
      return legend();
    };
    /** One cell of each value the grid holds (NaN as "nodata"), the first in reading order. */
    const oneCellPerValue = (grid: Grid) => [...new Map(Array.from(grid.values, (v, i) => [Number.isNaN(v) ? 'nodata' : v, i] as const).reverse()).values()];

    // P(FS < 1): a cell of every value in the file, in its ramp class (clear at 0), and its readout.
    const p = parseAsciiGrid(city.files['p_fs_below_1.asc'], 'p');
    const classes = new Set<number>();
    for (const i of oneCellPerValue(p)) {
      const k = probabilityClass(p.values[i]);
      classes.add(k);
      await expectPixel(p, i, k < 0 ? undefined : PROBABILITY_CLASSES[k].rgb);
      expect(await readoutAt(p, i)).toContain(`Under the pointer: ${percent(p.values[i])}`);
    }
    expect(classes.size).toBeGreaterThanOrEqual(5); // 12 members: P in twelfths, most classes of the ramp

    // P at one output time: hour 1's own grid, where it differs from "any time".
    const hour1 = parseAsciiGrid(city.files['p_fs_below_1_t3600.asc'], 'p1');
    const select = await until(() => app.shadowRoot!.querySelector('.ensemble-legend select.slope-time') as HTMLSelectElement | null, 'the output time choice');
    expect([...select.options].map((o) => o.textContent)).toEqual(['at any output time (within 12 h)', 'at hour 1', 'at hour 3', 'at hour 6', 'at hour 12']);
    select.value = '3600';
    select.dispatchEvent(new Event('change'));
    const differs = Array.from(hour1.values).findIndex((v, i) => probabilityClass(v) !== probabilityClass(p.values[i]) && v > 0);
    expect(differs).toBeGreaterThanOrEqual(0);
    await expectPixel(hour1, differs, PROBABILITY_CLASSES[probabilityClass(hour1.values[differs])].rgb);
    expect(await readoutAt(hour1, differs)).toContain(`Under the pointer: ${percent(hour1.values[differs])}`);

    // First failure at the 5 % and 50 % quantiles: each time in its hour class, "never" clear.
    (panel.shadowRoot!.querySelector('input[value=failure]') as HTMLInputElement).click();
    const picker = await until(() => app.shadowRoot!.querySelector('.ensemble-legend quantile-picker') as QuantilePicker | null, 'the quantile picker');
    await picker.updateComplete;
    expect(legend()).toContain('First failure time (hours), per cell');
    for (const q of ['q05', 'q50'] as const) {
      const choice = picker.shadowRoot!.querySelector('select')!;
      choice.value = q;
      choice.dispatchEvent(new Event('change'));
      const grid = parseAsciiGrid(city.files[`first_failure_t_s_${q}.asc`], q);
      const cells = oneCellPerValue(grid);
      expect(cells.length).toBeGreaterThanOrEqual(4); // hours 1, 3, 6 and 12, and never
      for (const i of cells) {
        const v = grid.values[i];
        await expectPixel(grid, i, Number.isNaN(v) ? undefined : FAILURE_HOUR_CLASSES[failureClass(v)].rgb);
        expect(await readoutAt(grid, i)).toContain(`Under the pointer: ${Number.isNaN(v) ? 'never (clear)' : hoursText(v)}`);
      }
    }
    view.zoom = 6;
    view.centre = { col: COL0 + 28, row: ROW0 + 20 };
    view.draw();
    await screens(tab, 'grid-failure');

    // members.csv: every member with its drawn inputs and outcome, by column name.
    const table = await until(() => app.shadowRoot!.querySelector('.ensemble-more members-table') as MembersTable | null, 'the members table');
    await table.updateComplete;
    const csv = city.files['members.csv'].trim().split('\n').map((l) => l.split(','));
    expect(csv[0]).toEqual(['member', 'friction_deg', 'soil_depth_m', 'rain_scale', 'cells_water_table_at_base', 'cells_fs_below_1', 'status', 'problem']);
    expect([...table.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent))).toEqual(csv.slice(1).map((r) => r.slice(0, 6)));
    expect([...table.shadowRoot!.querySelectorAll('thead tr.groups th')].map((th) => [th.textContent, th.getAttribute('colspan')]).slice(1, 3)).toEqual([['Drawn inputs', '3'], ['Headline outcomes', '2']]);

    // A bad member (as the CLI lists one whose FS was not finite), its reason holding markup: listed with it, as text.
    const hostile = 'fs not finite at (row 3, col 7) <img src=x onerror="window.__gridXss=1"><b>b</b>';
    const withBad = await rehashed(city.files, 'members.csv', (text) => text.replace(/^3,(.*),\d+,ok,$/m, `3,$1,,bad,"${hostile.replace(/"/g, '""')}"`));
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, asFiles(withBad));
    const badRow = await until(() => (app.shadowRoot!.querySelector('.ensemble-more members-table') as MembersTable | null)?.shadowRoot?.querySelector('tr.bad') as HTMLElement | null, 'the bad member');
    const shown = app.shadowRoot!.querySelector('.ensemble-more members-table') as MembersTable;
    expect(badRow.dataset.member).toBe('3');
    expect(badRow.querySelector('td.problem')!.textContent).toBe(hostile);
    expect(shown.shadowRoot!.querySelector('.count li')!.textContent).toBe(`Member 3: ${hostile}`);
    expect(shown.shadowRoot!.querySelector('img, b')).toBeNull();
    expect((window as unknown as { __gridXss?: number }).__gridXss).toBeUndefined();
    await screens(tab, 'grid-members', () => app.shadowRoot!.querySelector('.ensemble-more members-table')?.parentElement);

    // A product changed after the run (one cell's P): refused by name, what is shown stays.
    const tampered = { ...city.files, 'p_fs_below_1.asc': city.files['p_fs_below_1.asc'].replace(/\n(\S+ )/, '\n0.5 ') };
    expect(tampered['p_fs_below_1.asc']).not.toBe(city.files['p_fs_below_1.asc']);
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, asFiles(tampered));
    await until(() => error() || undefined, 'the tampered folder refused');
    expect(error()).toMatch(/^p_fs_below_1\.asc: has changed since landslide fs wrote it \(got SHA-256 [0-9a-f]{12}…, expected SHA-256 [0-9a-f]{12}… \(manifest\.json\)\)$/);
    expect(panel.shadowRoot!.querySelector('.opened')!.textContent).toContain('case.json');

    // The same folder with its grids' .prj said to be UTM zone 49N (rehashed, as a crafted folder would be): refused by name.
    const otherCrs = await rehashed(city.files, 'p_fs_below_1.prj', (text) => text.replace('Zone_48N', 'Zone_49N').replace('"Central_Meridian",105.0', '"Central_Meridian",111.0'));
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, asFiles(otherCrs));
    await until(() => (error().includes('coordinate reference') ? true : undefined), 'the folder of another CRS refused');
    expect(error()).toBe('p_fs_below_1.prj: names another coordinate reference system than the open region\'s (got WGS_1984_UTM_Zone_49N, expected EPSG:32648 (WGS 84 / UTM zone 48N): the grids must be in the region map\'s CRS)');

    // The demo valley (10 m cells, 140 km west of the region), as its .zip: refused naming the file and field.
    pick(panel.shadowRoot!.querySelector('input.grid-zip') as HTMLInputElement, [zipFile(demo.zipBase64, 'landslide-demo.zip')]);
    await until(() => (error().includes('cellsize') ? true : undefined), 'the demo folder refused');
    expect(error()).toBe('p_fs_below_1.asc:5:1 cellsize: differs from the open region\'s cell size (got 10, expected 20 m, the cells of the region map (EPSG:32648 (WGS 84 / UTM zone 48N)))');
    // And one of the region's cell size placed beside the region, not on it.
    const elsewhere: Record<string, string> = {};
    for (const [name, text] of Object.entries(city.files)) elsewhere[name] = name.endsWith('.asc') ? text.replace(/^xllcorner .*$/m, 'xllcorner 700000') : text;
    const manifest = JSON.parse(city.files['manifest.json']);
    for (const name of Object.keys(manifest.products_sha256)) manifest.products_sha256[name] = await sha256Hex(elsewhere[name]);
    elsewhere['manifest.json'] = JSON.stringify(manifest);
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, asFiles(elsewhere));
    await until(() => (error().includes('outside') ? true : undefined), 'the misplaced folder refused');
    expect(error()).toBe('p_fs_below_1.asc:3:1 xllcorner/yllcorner: puts the grid outside the open region (got x 700000–701120, y 3266960–3267760, expected an overlap with x 640000–660480, y 3262000–3282480 m (EPSG:32648 (WGS 84 / UTM zone 48N)))');

    // A city's folder (a million cells a grid) opens in a worker: progress a screen reader can read, and Cancel.
    const big = await bigFolder((app as unknown as { manifest: RegionManifest }).manifest, 1000);
    const openedBefore = panel.shadowRoot!.querySelector('.opened')!.textContent;
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, Object.values(big));
    const bar = await until(() => panel.shadowRoot!.querySelector('.opening progress') as HTMLProgressElement | null, 'the opening progress');
    expect(error()).toBe('');
    expect(bar.getAttribute('aria-label')).toBe('Opening the grid ensemble');
    expect(bar.getAttribute('aria-valuetext')).toMatch(/^(Reading the files|Checking SHA-256 against manifest\.json|Parsing the grids): \d+\/\d+$/);
    (panel.shadowRoot!.querySelector('button.cancel-open') as HTMLButtonElement).click();
    const status = () => panel.shadowRoot!.querySelector('.open-status')!.textContent;
    // "At once" counted in tasks, not in milliseconds a loaded CI stretches: said by the next task
    // (a worker's message is one, so none was waited for) and the renders it asked for.
    await new Promise((r) => setTimeout(r, 0));
    await app.updateComplete;
    await panel.updateComplete;
    expect(status()).toBe('Opening cancelled; what is shown has not changed.');
    expect(panel.shadowRoot!.querySelector('.opening')).toBeNull();
    expect(panel.shadowRoot!.querySelector('.opened')!.textContent).toBe(openedBefore);
    // Opened to the end: the million-cell grid is the P layer, at the region's south-west corner.
    pick(panel.shadowRoot!.querySelector('input.grid-folder') as HTMLInputElement, Object.values(big));
    await until(() => (panel.shadowRoot!.querySelector('.opened')?.textContent?.includes('big.json') ? true : undefined), 'the big folder opened', 60_000);
    expect(status()).toBe('');
    await until(() => (map.overlay?.rasters?.some((r) => r.cols === 1000) ? true : undefined), 'the big P layer');
    expect(map.overlay!.rasters!.map((r) => [r.col0, r.row0])).toEqual([[0, 1024 - 1000], [0, 1024 - 1000]]);
    // Screens of the progress as a trainer sees it (held at one stage: a real open passes it too fast to shoot).
    const desk = (app as unknown as { ensembleDesk: { opening?: unknown } }).ensembleDesk;
    desk.opening = { stage: 'parse', done: 2, total: 5 };
    await screens(tab, 'grid-opening');
    desk.opening = undefined;
    app.remove();
  }, 240_000);
});
