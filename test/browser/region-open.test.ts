// Issue 18: the app opens any region and scenario, by link and from local files, and keeps an
// opened region for offline use. The shipped region's files are copied under another path
// (test/browser/stage-region.ts), so nothing here can come from the URLs compiled into the app.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands, page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import { regionSource } from '../../web/region-source.ts';
import { storedRegion } from '../../web/region-store.ts';
import { until } from './until.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    stageLinkedRegion(): Promise<{ base: string }>;
    stageFlatRegion(n: number): Promise<{ region: string; scenario: string }>;
    rendererMemoryMiB(): Promise<number>;
  }
}

interface Internals {
  clockSnapshot: { state: string; timeS: number };
  scenario: { id: string; stepS: number };
  result?: { run: { grid: { stepS: number } } };
  baseMap?: { width: number; height: number };
}

let base = '';
beforeAll(async () => { ({ base } = await commands.stageLinkedRegion()); }, 120_000);
afterEach(() => { document.body.innerHTML = ''; vi.restoreAllMocks(); });
afterAll(async () => { await regionSource.useShipped(); });

function mount(): SandtableApp {
  const app = document.createElement('sandtable-app');
  document.body.append(app);
  return app;
}
const internals = (app: SandtableApp) => app as unknown as Internals;
const $ = <T extends Element>(root: Element, ...selectors: string[]) => {
  let node: Element | null = root;
  for (const s of selectors) node = (node?.shadowRoot ?? node)?.querySelector(s) ?? null;
  return node as T | null;
};
const computed = (app: SandtableApp) => ($(app, '.status')?.textContent?.includes('·') ? true : undefined);
const clock = (app: SandtableApp, detail: unknown) => $(app, 'timeline-bar')!.dispatchEvent(new CustomEvent('clock-command', { detail, bubbles: true, composed: true }));
async function language(app: SandtableApp): Promise<void> {
  ($(app, 'header button.lang-toggle') as HTMLButtonElement).click();
  await app.updateComplete;
  await $<SandtableApp>(app, 'region-picker')!.updateComplete;
}
async function screen(name: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: `../../test-results/screens/${name}.png` });
}

/** The exported AAR's JSON, caught where the app hands it to the browser as a download. */
async function exportAar(app: SandtableApp): Promise<{ scenario: { id: string }; injects_delivered: unknown[] }> {
  const blobs: Blob[] = [];
  const create = URL.createObjectURL.bind(URL);
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => { blobs.push(b as Blob); return create(b as Blob); });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  (app.shadowRoot!.querySelectorAll('.tabs button')[3] as HTMLButtonElement).click();
  await app.updateComplete;
  const panel = $<SandtableApp>(app, 'aar-panel')!;
  await panel.updateComplete;
  const button = [...panel.shadowRoot!.querySelectorAll('button')].find((b) => /AAR|总结/.test(b.textContent ?? '') && /JSON|导出/.test(b.textContent ?? ''))!;
  button.click();
  const blob = await until(() => blobs.find((b) => b.type === 'application/json'), 'the AAR download');
  return JSON.parse(await blob.text());
}

/** Plays three steps; the clock and the map move with them. */
async function playSteps(app: SandtableApp): Promise<void> {
  const stepS = internals(app).result!.run.grid.stepS;
  for (let k = 0; k < 3; k++) clock(app, { command: 'step' });
  await app.updateComplete;
  expect(internals(app).clockSnapshot.timeS).toBe(3 * stepS);
  const map = $<RegionMap>(app, 'region-map')!;
  await until(() => (map.drawn ? true : undefined), 'the map');
  expect(map.overlay!.points).toHaveLength(227);
}

describe('opening a region (issue 18)', () => {
  it('a link to a region with missing grids is refused by file, translated, and the shipped region stays', async () => {
    await regionSource.start(`?region=${base}broken/region/region.json&scenario=${base}city/storm.json`);
    const app = mount();
    const map = await until(() => $<RegionMap>(app, 'region-map'), 'the map element');
    await until(() => (map.drawn ? true : undefined), 'the shipped map', 60_000);
    expect(regionSource.current.key).toBe('shipped');
    expect(internals(app).baseMap).toMatchObject({ width: 1024, height: 1024 });
    const alert = () => $(app, 'region-picker', '.problem')?.textContent?.replace(/\s+/g, ' ') ?? '';
    await until(() => (alert() ? true : undefined), 'the problem');
    expect(alert()).toContain('无法打开区域或情景（仍显示原区域）');
    expect(alert()).toMatch(/(dem|landcover|districts|basins|population|buildings|hand|fuel)\.asc 无法加载 \(HTTP 404\)/);
    await screen('region-link-broken-zh');
    await language(app);
    expect(alert()).toContain('Could not open the region or scenario (the region open before stays)');
    expect(alert()).toMatch(/\.asc could not be loaded \(HTTP 404\)/);
    await screen('region-link-broken-en');

    // A scenario for another region, opened from a file: refused by file and field, nothing switches.
    const storm = await (await fetch(`${base}city/storm.json`)).json();
    const other = new File([JSON.stringify({ ...storm, forcing: { ...storm.forcing, rain: { ...storm.forcing.rain, district_factors: { nowhere: 1 } } } })], 'other-city.json', { type: 'application/json' });
    const input = $<HTMLInputElement>(app, 'region-picker', 'input.scenario')!;
    const transfer = new DataTransfer();
    transfer.items.add(other);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await until(() => (alert().includes('other-city.json') ? true : undefined), 'the scenario\'s problem');
    expect(alert()).toContain('other-city.json $.forcing.rain.district_factors.nowhere names no district of the region');
    expect(regionSource.current.key).toBe('shipped');
    expect(regionSource.current.scenarios.map((s) => s.id)).not.toContain('mountain-city-storm-peak-24h-other');
  }, 120_000);

  it('opens a region and scenario by link, plays it, exports an AAR, and keeps it for offline use', async () => {
    const region = `${base}city/region/region.json`;
    await regionSource.start(`?region=${region}&scenario=${base}city/storm.json`);
    expect(regionSource.problem).toBeUndefined();
    expect(regionSource.current).toMatchObject({ origin: 'link', name: 'city' });
    expect(regionSource.current.urls.dem).toMatch(/^blob:/);
    const app = mount();
    await until(() => computed(app), 'the linked scenario to be computed', 90_000);
    expect(internals(app).scenario.id).toBe('mountain-city-storm-peak-24h');
    expect(internals(app).baseMap).toMatchObject({ width: 1024, height: 1024 });
    await playSteps(app);
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    console.log(`1024² region open and run: page JS heap ${memory ? (memory.usedJSHeapSize / 2 ** 20).toFixed(0) : '?'} MiB; renderer processes (page + engine worker) ${await commands.rendererMemoryMiB()} MiB resident`);
    const aar = await exportAar(app);
    expect(aar.scenario.id).toBe('mountain-city-storm-peak-24h');
    const kept = await storedRegion(`link:${new URL(region, location.href).href}`);
    expect(Object.keys(kept!.files)).toEqual(expect.arrayContaining(['region.json', 'dem.asc', 'hand.asc', 'risk-items.json']));

    // Without the network the link opens the copy kept in this browser.
    document.body.innerHTML = '';
    vi.spyOn(window, 'fetch').mockImplementation(() => Promise.reject(new TypeError('Failed to fetch')));
    await regionSource.start(`?region=${region}&scenario=${base}city/storm.json&offline=1`);
    vi.mocked(window.fetch).mockRestore();
    expect(regionSource.current).toMatchObject({ origin: 'link', offlineCopy: true, name: 'city' });
    expect(regionSource.current.scenarios.map((s) => s.id)).toEqual(['mountain-city-storm-peak-24h']);
    expect((await (await fetch(regionSource.current.urls.dem)).text()).slice(0, 11)).toBe('ncols 1024\n');
  }, 240_000);

  it('opens a .zip of a region folder with its scenario from the file input', async () => {
    const app = mount();
    await until(() => computed(app), 'the first scenario', 90_000);
    const zip = new File([await (await fetch(`${base}city.zip`)).blob()], 'city.zip', { type: 'application/zip' });
    const input = $<HTMLInputElement>(app, 'region-picker', 'input.zip')!;
    const transfer = new DataTransfer();
    transfer.items.add(zip);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await until(() => (regionSource.current.key === 'files:city.zip' ? true : undefined), 'the zip to open', 60_000);
    await until(() => (internals(app).scenario.id === 'mountain-city-storm-peak-24h' && computed(app) ? true : undefined), 'the zipped scenario to be computed', 90_000);
    expect($(app, 'region-picker', '.name')!.textContent).toContain('city');
    await playSteps(app);
    expect((await exportAar(app)).scenario.id).toBe('mountain-city-storm-peak-24h');
    vi.restoreAllMocks();
    (app.shadowRoot!.querySelectorAll('.tabs button')[0] as HTMLButtonElement).click();
    await screen('region-zip-zh');
    await language(app);
    await screen('region-zip-en');
    $<HTMLElement>(app, 'region-picker', 'details')!.setAttribute('open', '');
    await screen('region-menu-en');
  }, 240_000);
});
