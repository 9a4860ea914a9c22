// Checks of the ensemble tab's views beside the probability layers, against the CLI's product
// files (test/browser/ensemble.test.ts runs them on the app it has open): the reach chart and
// ranking (a reach chosen on the map and in the list), first-failure hours and flame-length classes
// as map pixels and readouts, the exposure table, the members table (sorted, bad members with their
// reason, file text never run as markup), and screenshots of each.
import { expect } from 'vitest';
import { openEnsemble } from '../../models/ensemble/open-products.ts';
import { reachProbabilities } from '../../models/ensemble/open-more-products.ts';
import { parseAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { sha256Hex } from '../../models/scenario/outputs.ts';
import { trainerScreens } from './trainer-screens.ts';
import type { ExposureTable } from '../../web/components/exposure-table.ts';
import type { MembersTable } from '../../web/components/members-table.ts';
import type { QuantilePicker } from '../../web/components/quantile-picker.ts';
import type { ReachProbabilityChart } from '../../web/components/reach-probability-chart.ts';
import type { ReachRanking } from '../../web/components/reach-ranking.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import type { EnsembleDesk } from '../../web/ensemble-desk.ts';
import { FAILURE_HOUR_CLASSES, failureClass, FLAME_CLASSES, flameClass, hoursText, rankReaches } from '../../web/ensemble-more.ts';
import { probabilityColour } from '../../web/probability-ramp.ts';
import { until } from './until.ts';

export interface Tab {
  app: HTMLElement & { updateComplete: Promise<unknown> };
  panel: HTMLElement;
  map: RegionMap;
  files: Record<string, string>;
}

type MapView = { zoom: number; centre: { col: number; row: number }; draw(): void; toScreen(x: number, y: number): [number, number] };
const desk = (tab: Tab) => (tab.app as unknown as { ensembleDesk: EnsembleDesk }).ensembleDesk;
const more = (tab: Tab) => tab.app.shadowRoot!.querySelector('.ensemble-more')!;
const legendText = (tab: Tab) => tab.app.shadowRoot!.querySelector('.ensemble-legend')?.textContent?.replace(/\s+/g, ' ') ?? '';
const chooseLayer = (tab: Tab, layer: string) => (tab.panel.shadowRoot!.querySelector(`input[value=${layer}]`) as HTMLInputElement).click();

/** The CSV's value in `name` at the row of time `tS`. */
function csvAt(text: string, name: string, tS: number): number {
  const rows = text.trim().split('\n').map((l) => l.split(','));
  return Number(rows.find((r) => Number(r[0]) === tS)![rows[0].indexOf(name)]);
}

/** The CSV's column `column` as numbers. */
function column(text: string, name: string): number[] {
  const rows = text.trim().split('\n').map((l) => l.split(','));
  const c = rows[0].indexOf(name);
  return rows.slice(1).map((r) => Number(r[c]));
}

/** Screens of the tab as an analyst sees them, zh and en at the two sizes trainers use. */
export async function screens(tab: Tab, name: string, scrollTo?: () => Element | null | undefined): Promise<void> {
  await trainerScreens(tab.app, `ensemble-${name}`, { beforeShot: () => scrollTo?.()?.scrollIntoView({ block: 'start' }), after: 'en' });
}

/** The map's pixel at the centre of a region cell, zoomed in all the way, and the base map's colour there. */
function pixelAtCell(tab: Tab, col: number, row: number): { pixel: number[]; base: number[] } {
  const view = tab.map as unknown as MapView;
  const baseMap = (tab.app as unknown as { baseMap: { width: number; rgba: Uint8ClampedArray } }).baseMap;
  const canvas = tab.map.shadowRoot!.querySelector('canvas')!;
  view.zoom = 16;
  view.centre = { col: col + 0.5, row: row + 0.5 };
  view.draw();
  const i = row * baseMap.width + col;
  return {
    pixel: Array.from(canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data.slice(0, 3)),
    base: Array.from(baseMap.rgba.slice(i * 4, i * 4 + 3)),
  };
}

function resetView(tab: Tab): void {
  const view = tab.map as unknown as MapView;
  view.zoom = 1;
  view.centre = { col: 512, row: 512 };
  view.draw();
}

/** A grid cell drawn in its class colour (blended at the layer's opacity), or clear. */
async function expectCellColour(tab: Tab, grid: Grid, cell: number, rgb: readonly number[] | undefined, what: string): Promise<void> {
  const factor = grid.cellsize / (tab.app as unknown as { baseMap: { cellsize: number } }).baseMap.cellsize;
  const [col, row] = [(cell % grid.ncols) * factor + Math.floor(factor / 2), Math.floor(cell / grid.ncols) * factor + Math.floor(factor / 2)];
  const alpha = 0.9 * (210 / 255);
  const matches = () => {
    const { pixel, base } = pixelAtCell(tab, col, row);
    const expected = rgb ? rgb.map((v, k) => alpha * v + (1 - alpha) * base[k]) : base;
    return { pixel, expected: expected.map(Math.round), ok: pixel.every((v, k) => Math.abs(v - expected[k]) <= 2) };
  };
  // The layer's bitmap is made asynchronously after a change of quantile: wait for it, then say what differs.
  await until(() => (matches().ok ? true : undefined), `${what}: cell ${cell} in its colour`, 3000).catch(() => undefined);
  const last = matches();
  expect(last.ok, `${what}: cell ${cell}: pixel ${last.pixel}, expected ${last.expected}`).toBe(true);
}

/** Hovers a grid cell's centre; the legend's readout. */
async function readoutAt(tab: Tab, grid: Grid, cell: number): Promise<string> {
  const x = grid.xllcorner + ((cell % grid.ncols) + 0.5) * grid.cellsize;
  const y = grid.yllcorner + (grid.nrows - Math.floor(cell / grid.ncols) - 0.5) * grid.cellsize;
  tab.map.dispatchEvent(new CustomEvent('map-hover', { detail: { x, y }, bubbles: true, composed: true }));
  await tab.app.updateComplete;
  return legendText(tab);
}

export async function checkReaches(tab: Tab): Promise<void> {
  chooseLayer(tab, 'reaches');
  await until(() => (tab.map.overlay?.lines.some((l) => l.id) ? true : undefined), 'the reaches on the map');
  const csv = tab.files['flood/p_flow_over_warning.csv'];
  const ranked = rankReaches(reachProbabilities(csv));
  expect(ranked.length).toBeGreaterThanOrEqual(3);
  // Each reach drawn in the ramp colour of its peak probability.
  for (const r of ranked) expect(tab.map.overlay!.lines.find((l) => l.id === r.id)!.colour).toBe(probabilityColour(r.peak));
  const chart = async (id: string) => until(() => {
    const c = more(tab).querySelector('reach-probability-chart') as ReachProbabilityChart | null;
    return c?.plotted && c.data?.id === id ? c : undefined;
  }, `the chart of reach ${id}`);
  // The most likely reach first: its series is the CSV's column, hour 1 at step 4.
  let plotted = (await chart(ranked[0].id)).plotted!;
  expect(plotted.p).toEqual(column(csv, `${ranked[0].id}_p`));
  expect(plotted.hours[4]).toBe(1);
  // A reach clicked on the map.
  resetView(tab);
  // One whose P rises through the storm (0 → 0.25 → … → 1 in the 2-hour fixture), so its series is its own.
  const target = [...ranked].reverse().find((r) => column(csv, `${r.id}_p`).some((p) => p > 0 && p < 1))!;
  expect(target).toBeDefined();
  const reach = (tab.app as unknown as { manifest: { reaches: { id: string; path_m: [number, number][] }[] } }).manifest.reaches.find((r) => r.id === target.id)!;
  const middle = reach.path_m[Math.floor(reach.path_m.length / 2)];
  const view = tab.map as unknown as MapView;
  view.zoom = 8;
  const base = (tab.app as unknown as { baseMap: { xllcorner: number; yllcorner: number; cellsize: number; height: number } }).baseMap;
  view.centre = { col: (middle[0] - base.xllcorner) / base.cellsize, row: base.height - (middle[1] - base.yllcorner) / base.cellsize };
  view.draw();
  const canvas = tab.map.shadowRoot!.querySelector('canvas')!;
  const box = canvas.getBoundingClientRect();
  const [sx, sy] = view.toScreen(...middle);
  canvas.dispatchEvent(new MouseEvent('click', { clientX: box.left + sx, clientY: box.top + sy, bubbles: true }));
  plotted = (await chart(target.id)).plotted!;
  expect(plotted.p).toEqual(column(csv, `${target.id}_p`));
  expect(plotted.p[4]).toBe(csvAt(csv, `${target.id}_p`, 3600));
  expect(desk(tab).more.reach).toBe(target.id);
  // And one chosen in the ranking, which lists the reaches by peak.
  const ranking = more(tab).querySelector('reach-ranking') as ReachRanking;
  await ranking.updateComplete;
  expect([...ranking.shadowRoot!.querySelectorAll('button')].slice(0, 3).map((b) => b.dataset.reach)).toEqual(ranked.slice(0, 3).map((r) => r.id));
  (ranking.shadowRoot!.querySelector(`button[data-reach=${ranked[2].id}]`) as HTMLButtonElement).click();
  plotted = (await chart(ranked[2].id)).plotted!;
  expect(plotted.p).toEqual(column(csv, `${ranked[2].id}_p`));
  resetView(tab);
}

export async function checkFirstFailure(tab: Tab): Promise<void> {
  chooseLayer(tab, 'failure');
  const picker = await until(() => tab.app.shadowRoot!.querySelector('.ensemble-legend quantile-picker') as QuantilePicker | null, 'the quantile picker');
  await picker.updateComplete;
  for (const q of ['q95', 'q05'] as const) { // q05 last: the screens show its many blocks
    const select = picker.shadowRoot!.querySelector('select')!;
    select.value = q;
    select.dispatchEvent(new Event('change'));
    const grid = parseAsciiGrid(tab.files[`landslide/first_failure_t_s_${q}.asc`], q);
    const times = [...new Set(Array.from(grid.values).filter((v) => v >= 0))].sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(q === 'q05' ? 2 : 1); // 1 h and 2 h at q05 in the 2-hour storm
    for (const t of times) {
      const cell = grid.values.indexOf(t);
      await expectCellColour(tab, grid, cell, FAILURE_HOUR_CLASSES[failureClass(t)].rgb, `first failure ${q} = ${t} s`);
      expect(await readoutAt(tab, grid, cell)).toContain(`Under the pointer: ${hoursText(t)}`);
    }
    // A steep block that never fails at this quantile is clear and says so.
    const slope = parseAsciiGrid(tab.files['landslide/p_fs_below_1.asc'], 'p');
    const never = Array.from(slope.values).findIndex((p, i) => p >= 0 && Number.isNaN(grid.values[i]));
    if (never >= 0) {
      await expectCellColour(tab, grid, never, undefined, `never at ${q}`);
      expect(await readoutAt(tab, grid, never)).toContain('Under the pointer: never (clear)');
    }
  }
  resetView(tab);
}

export async function checkExposure(tab: Tab, metric: string): Promise<void> {
  const table = await until(() => more(tab).querySelector('exposure-table') as ExposureTable | null, 'the exposure table');
  await table.updateComplete;
  const row = table.shadowRoot!.querySelector(`tr[data-metric=${metric}]`)!;
  const csvRow = tab.files['exposure_quantiles.csv'].split('\n').find((l) => l.startsWith(`${metric},`))!.split(',');
  expect([...row.querySelectorAll('td')].map((td) => Number(td.textContent!.replace(/,/g, '')))).toEqual(csvRow.slice(2).map(Number));
}

/** The members table: the CSV's rows, sorted by a heading click; bad members highlighted with the CSV's reason. */
export async function checkMembers(tab: Tab, sortBy: string): Promise<MembersTable> {
  const table = await until(() => more(tab).querySelector('members-table') as MembersTable | null, 'the members table');
  await table.updateComplete;
  const csv = tab.files['members.csv'].trim().split('\n').map((l) => l.split(','));
  (table.shadowRoot!.querySelector(`button[data-column="${sortBy}"]`) as HTMLButtonElement).click();
  await tab.app.updateComplete; await table.updateComplete;
  (table.shadowRoot!.querySelector(`button[data-column="${sortBy}"]`) as HTMLButtonElement).click(); // twice: descending
  await tab.app.updateComplete; await table.updateComplete;
  const c = csv[0].indexOf(sortBy);
  const expected = csv.slice(1).filter((r) => r[c] !== '').sort((a, b) => Number(b[c]) - Number(a[c]) || Number(a[0]) - Number(b[0])).map((r) => Number(r[0]));
  const shown = [...table.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => Number((tr as HTMLElement).dataset.member));
  expect(shown.slice(0, expected.length)).toEqual(expected);
  const statusColumn = csv[0].indexOf('status');
  for (const r of csv.slice(1)) {
    const tr = table.shadowRoot!.querySelector(`tbody tr[data-member="${r[0]}"]`)!;
    expect(tr.classList.contains('bad')).toBe(r[statusColumn] === 'bad');
    expect(tr.querySelector('td.problem')!.textContent).toBe(r[statusColumn + 1]);
    if (r[statusColumn] === 'bad') expect(table.shadowRoot!.querySelector(`.count li[data-member="${r[0]}"]`)!.textContent).toBe(`Member ${r[0]}: ${r[statusColumn + 1]}`);
    expect(tr.querySelectorAll('td')[c].textContent).toBe(r[c]);
  }
  return table;
}

export async function checkFlame(tab: Tab): Promise<void> {
  chooseLayer(tab, 'flame');
  const grid = parseAsciiGrid(tab.files['fire/conditional_flame_length_m.asc'], 'flame');
  const byClass = FLAME_CLASSES.map((_, k) => Array.from(grid.values).findIndex((v) => flameClass(v) === k)).filter((i) => i >= 0);
  expect(byClass.length).toBeGreaterThanOrEqual(2);
  for (const cell of byClass) {
    const v = grid.values[cell];
    await expectCellColour(tab, grid, cell, FLAME_CLASSES[flameClass(v)].rgb, `flame ${v} m`);
    expect(await readoutAt(tab, grid, cell)).toContain(`Under the pointer: ${v} m · `);
  }
  expect(legendText(tab)).toContain('Andrews & Rothermel 1982');
  resetView(tab);
}

/** A members.csv whose problem holds markup, opened as a folder (hashes redone): shown as text, never run. */
export async function checkMembersEscaped(tab: Tab): Promise<void> {
  const hostile = '<img src=x onerror="window.__ensembleXss=1"><b>bold</b>';
  const files: Record<string, string> = { ...tab.files, 'members.csv': tab.files['members.csv'].replace('live_woody: out of range', `live_woody: out of range ${hostile.replace(/"/g, '""')}`).replace(/,(\$\.forcing[^\n]*?),([0-9a-f]{64})\n/, (_, p, h) => `,"${p}",${h}\n`) };
  const manifest = JSON.parse(files['manifest.json']);
  manifest.product_sha256['members.csv'] = await sha256Hex(files['members.csv']);
  const view = await openEnsemble(files, JSON.stringify(manifest));
  await (desk(tab) as unknown as { show(v: unknown, s: unknown): Promise<void> }).show(view, { folder: 'crafted' });
  await tab.app.updateComplete;
  const table = await until(() => more(tab).querySelector('members-table') as MembersTable | null, 'the members table');
  await table.updateComplete;
  const problem = table.shadowRoot!.querySelector('tr.bad td.problem')!;
  expect(problem.textContent).toBe(`$.forcing.fuel_moisture_percent.live_woody: out of range ${hostile}`);
  expect(table.shadowRoot!.querySelector('.count li')!.textContent).toBe(`Member 0: $.forcing.fuel_moisture_percent.live_woody: out of range ${hostile}`);
  expect(table.shadowRoot!.querySelector('img, b')).toBeNull();
  expect((window as unknown as { __ensembleXss?: number }).__ensembleXss).toBeUndefined();
}
