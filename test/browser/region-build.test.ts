// Issue 18, "building in the browser too": a city's DEM, districts and items given to the "build a
// region" dialog through its file inputs are built by the CLI's builder in a worker, with progress;
// the region opens and runs its storm starter, and its .zip downloads and opens again. A bad DEM
// shows the CLI's own error line beside the DEM.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { commands, page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { RegionBuildDialog } from '../../web/components/region-build-dialog.ts';
import { regionSource } from '../../web/region-source.ts';
import { storedRegion } from '../../web/region-store.ts';
import { readZip } from '../../web/zip.ts';
import { caseFromChoice } from '../../web/region-build.ts';
import { cityFiles, cityTiff } from './build-fixture.ts';
import { until } from './until.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeRegionBuild(caseJson: object, files: Record<string, string>): Promise<Record<string, string>>;
  }
}

interface Internals { clockSnapshot: { timeS: number }; scenario: { id: string }; result?: { run: { grid: { stepS: number } } } }

afterEach(() => { document.body.innerHTML = ''; vi.restoreAllMocks(); });
afterAll(async () => { await page.viewport(1440, 900); await regionSource.useShipped(); });

const $ = <T extends Element>(root: Element, ...selectors: string[]) => {
  let node: Element | null = root;
  for (const s of selectors) node = (node?.shadowRoot ?? node)?.querySelector(s) ?? null;
  return node as T | null;
};
const computed = (app: SandtableApp) => ($(app, '.status')?.textContent?.includes('·') ? true : undefined);

async function openDialog(): Promise<{ app: SandtableApp; dialog: RegionBuildDialog }> {
  const app = document.createElement('sandtable-app');
  document.body.append(app);
  await until(() => $(app, 'region-picker', 'button.build'), 'the picker');
  ($(app, 'region-picker', 'button.build') as HTMLButtonElement).click();
  const dialog = await until(() => $<RegionBuildDialog>(app, 'region-picker', 'region-build-dialog'), 'the build dialog');
  await dialog.updateComplete;
  return { app, dialog };
}

function pick(dialog: RegionBuildDialog, input: string, files: File[]): void {
  const element = $<HTMLInputElement>(dialog, `input.${input}`)!;
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  element.files = transfer.files;
  element.dispatchEvent(new Event('change'));
}
function type(dialog: RegionBuildDialog, input: string, value: string): void {
  const element = $<HTMLInputElement>(dialog, `input.${input}`)!;
  element.value = value;
  element.dispatchEvent(new Event('input'));
}
async function screen(name: string, width: number, height: number): Promise<void> {
  await page.viewport(width, height);
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: `../../test-results/screens/${name}.png` });
}
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('building a region in the browser (issue 18)', () => {
  it('builds from the file inputs with progress, opens the region with both starters, runs the fire and then the storm, and the .zip round-trips', async () => {
    const { app, dialog } = await openDialog();
    const city = cityFiles();
    pick(dialog, 'file-dem', [city.dem, city.prj]);
    pick(dialog, 'file-districts', [city.districts]);
    pick(dialog, 'file-items', [city.items]);
    type(dialog, 'name', 'Test Valley'); type(dialog, 'name-zh', '测试河谷'); type(dialog, 'threshold', '0.1');
    await dialog.updateComplete;
    expect(text($(dialog, '.row.dem .chosen'))).toBe('dem.asc, dem.prj');
    await screen('region-build-zh-1440', 1440, 900);
    await screen('region-build-zh-1024', 1024, 768);

    const fractions: number[] = [];
    const watch = setInterval(() => { const p = $<HTMLProgressElement>(dialog, 'progress'); if (p) fractions.push(p.value); }, 5);
    ($(dialog, 'button.start') as HTMLButtonElement).click();
    const done = await until(() => $(dialog, '.done'), 'the build to finish', 60_000);
    clearInterval(watch);
    expect(text(done)).toBe('区域已生成并打开：1 条河段，2 个点位，2 个行政区，3 条提示');
    expect(text($(dialog, '.stage'))).toBe('完成 · 100 %');
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

    // Opened through the region source, kept for offline use, with both starters as its scenarios (by file name).
    expect(regionSource.current).toMatchObject({ origin: 'files', key: 'files:Test-Valley.zip', name: 'Test Valley', nameZh: '测试河谷' });
    expect(regionSource.current.scenarios.map((s) => s.id)).toEqual(['fire-starter', 'storm-starter']);
    const kept = await storedRegion('files:Test-Valley.zip');
    expect(Object.keys(kept!.files).sort()).toEqual(['basins.asc', 'build-report.json', 'buildings.asc', 'dem.asc', 'districts.asc', 'fire-starter.json', 'fuel.asc', 'hand.asc', 'landcover.asc', 'population.asc', 'region.json', 'risk-items.json', 'storm-starter.json']);
    // The fire starter opens first and runs (10-minute steps), then the storm is chosen from the menu.
    await until(() => (internals(app).scenario?.id === 'fire-starter' && computed(app) ? true : undefined), 'the fire starter to be computed', 90_000);
    expect(internals(app).result!.run.grid.stepS).toBe(600);
    const menu = $<HTMLSelectElement>(app, 'select.scenario-title')!;
    expect([...menu.options].map((o) => o.textContent)).toEqual(['测试河谷森林火险（12小时）', '测试河谷设计暴雨（24小时）']);
    menu.value = '1';
    menu.dispatchEvent(new Event('change'));
    // The status may still read "computed" for a moment after the switch: wait for the storm's own run.
    await until(() => (internals(app).scenario?.id === 'storm-starter' && computed(app) && internals(app).result ? true : undefined), 'the storm starter to be computed', 90_000);
    const stepS = internals(app).result!.run.grid.stepS;
    expect(stepS).toBe(900);
    for (let k = 0; k < 3; k++) $(app, 'timeline-bar')!.dispatchEvent(new CustomEvent('clock-command', { detail: { command: 'step' }, bubbles: true, composed: true }));
    await app.updateComplete;
    expect(internals(app).clockSnapshot.timeS).toBe(3 * stepS);

    // The download: a zip the app's own reader opens, with the same files, and which opens as the region.
    const blobs: Blob[] = [];
    const create = URL.createObjectURL.bind(URL);
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => { blobs.push(b as Blob); return create(b as Blob); });
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { names.push(this.download); });
    ($(dialog, 'button.download') as HTMLButtonElement).click();
    const zip = await until(() => blobs.find((b) => b.type === 'application/zip'), 'the .zip download');
    expect(names).toEqual(['Test-Valley.zip']);
    const unzipped = await readZip(zip, 'Test-Valley.zip');
    expect([...unzipped.keys()].sort()).toEqual(Object.keys(kept!.files).sort());
    for (const name of ['region.json', 'dem.asc', 'risk-items.json']) expect(await unzipped.get(name)!.text()).toBe(await kept!.files[name].text());
    expect(zip.size).toBeLessThan([...unzipped.values()].reduce((s, b) => s + b.size, 0) / 2);
    await regionSource.useShipped();
    // As a case without name_zh builds it (name_zh ""): the name stands in for the Chinese one.
    const manifest = (await unzipped.get('region.json')!.text()).replace('"name_zh": "测试河谷"', '"name_zh": ""');
    unzipped.set('region.json', new Blob([manifest]));
    await regionSource.openFiles(unzipped, 'again.zip');
    expect(regionSource.problem).toBeUndefined();
    expect(regionSource.current).toMatchObject({ key: 'files:again.zip', name: 'Test Valley', nameZh: 'Test Valley' });
    vi.restoreAllMocks();
    await screen('region-build-done-zh-1440', 1440, 900);
  }, 240_000);

  it('a DEM with an impossible elevation: the CLI\'s error line beside the DEM, in either language, and nothing opens', async () => {
    await regionSource.useShipped();
    const { app, dialog } = await openDialog();
    const city = cityFiles();
    pick(dialog, 'file-dem', [city.badDem, city.prj]);
    ($(dialog, 'button.start') as HTMLButtonElement).click();
    const problem = await until(() => $(dialog, '.row.dem .problem'), 'the DEM\'s problem', 60_000);
    // As `sandtable region build` prints it (test/region/errors.test.ts checks the CLI's side).
    expect(text(problem)).toBe('error: dem.asc: has an elevation no place on Earth has (got "30000 at row 1, column 1", expected metres in [-500, 9000] (a DEM in feet or centimetres, or an undeclared NODATA value?))');
    expect(text($(dialog, '.failed'))).toBe('无法生成区域（与命令行相同的错误信息）');
    expect(regionSource.current.key).toBe('shipped');
    await screen('region-build-error-zh-1440', 1440, 900);
    ($(app, 'header button.lang-toggle') as HTMLButtonElement).click();
    await app.updateComplete;
    await dialog.updateComplete;
    expect(text($(dialog, '.failed'))).toBe('The region could not be built (the command line\'s messages)');
    expect(text($(dialog, '.row.dem .problem'))).toBe(text(problem));
    await screen('region-build-error-en-1440', 1440, 900);
    await screen('region-build-error-en-1024', 1024, 768);
  }, 120_000);
});

const base64 = async (blob: Blob) => {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};
const fromBase64 = (b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
/** The report without its timings, which differ from build to build. */
const withoutTimings = (text: string) => ({ ...JSON.parse(text), timings_ms: undefined });

describe('dropping files on the build dialog (issue 18)', () => {
  it('a drop puts each file in its row by name, a region case among them gives the names, the page\'s own drop never sees it, and it builds', async () => {
    await regionSource.useShipped();
    const { dialog } = await openDialog();
    const city = cityFiles();
    const regionCase = new File([JSON.stringify({ schema: 'sandtable.region-case/1', name: 'Dropped Valley', name_zh: '拖放河谷', dem: 'old.asc', streams: { threshold_km2: 0.1 } })], 'case.json');
    const transfer = new DataTransfer();
    for (const f of [city.items, city.dem, regionCase, city.districts, city.prj]) transfer.items.add(f);
    const pageDrops: Event[] = [];
    const onPageDrop = (e: Event) => pageDrops.push(e);
    document.addEventListener('drop', onPageDrop);
    document.addEventListener('dragover', onPageDrop);
    try {
      const card = $(dialog, '.card')!;
      const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true });
      card.dispatchEvent(over);
      expect(over.defaultPrevented).toBe(true);
      expect(dialog.classList.contains('dropping')).toBe(true);
      const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true });
      card.dispatchEvent(drop);
      await dialog.updateComplete;
      expect(drop.defaultPrevented).toBe(true);
      expect(dialog.classList.contains('dropping')).toBe(false);
      expect(pageDrops).toEqual([]);
      expect(regionSource.current.key).toBe('shipped');
      expect(regionSource.problem).toBeUndefined();
      // In the order dropped within a row.
      expect(text($(dialog, '.row.dem .chosen'))).toBe('dem.asc, dem.prj');
      expect(text($(dialog, '.row.districts .chosen'))).toBe('districts.geojson');
      expect(text($(dialog, '.row.items .chosen'))).toBe('items.csv');
      expect(text($(dialog, '.row.others .chosen'))).toBe('case.json');
    } finally {
      document.removeEventListener('drop', onPageDrop);
      document.removeEventListener('dragover', onPageDrop);
    }
    ($(dialog, 'button.start') as HTMLButtonElement).click();
    const done = await until(() => $(dialog, '.done') ?? $(dialog, '.problem'), 'the build to finish', 60_000);
    expect(text(done)).toBe('区域已生成并打开：1 条河段，2 个点位，2 个行政区，3 条提示');
    expect(regionSource.current).toMatchObject({ key: 'files:Dropped-Valley.zip', name: 'Dropped Valley', nameZh: '拖放河谷' });
    expect(regionSource.current.scenarios.map((s) => s.id)).toEqual(['fire-starter', 'storm-starter']);
  }, 120_000);
});

describe('a GeoTIFF DEM built in the browser (issue 18)', () => {
  it('a GeoTIFF with its geokeys (EPSG:4545, no .prj) builds in the worker into the CLI\'s files byte for byte, both starters too', async () => {
    await regionSource.useShipped();
    const { dialog } = await openDialog();
    const city = cityFiles();
    const tiff = await cityTiff();
    pick(dialog, 'file-dem', [tiff]);
    pick(dialog, 'file-districts', [city.districts]);
    pick(dialog, 'file-items', [city.items]);
    type(dialog, 'name', 'Tiff Valley'); type(dialog, 'name-zh', '影像河谷'); type(dialog, 'threshold', '0.1');
    await dialog.updateComplete;
    ($(dialog, 'button.start') as HTMLButtonElement).click();
    await until(() => $(dialog, '.done') ?? $(dialog, '.problem'), 'the build to finish', 60_000);
    expect(text($(dialog, '.problem'))).toBe('');
    const kept = (await storedRegion('files:Tiff-Valley.zip'))!;
    const report = JSON.parse(await kept.files['build-report.json'].text());
    expect(report.notes[0]).toBe('CRS from its GeoTIFF geokeys: EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)');

    // The CLI on the same case (as the dialog made it) and the same bytes.
    const { caseJson, files } = await caseFromChoice({ name: 'Tiff Valley', nameZh: '影像河谷', crs: '', thresholdKm2: 0.1, dem: [tiff], districts: city.districts, items: city.items, layers: {}, others: [] });
    const given: Record<string, string> = {};
    for (const [name, bytes] of files) given[name] = await base64(new Blob([bytes as BlobPart]));
    const cli = await commands.nodeRegionBuild(caseJson, given);
    expect(Object.keys(kept.files).sort()).toEqual(Object.keys(cli).sort());
    expect(Object.keys(cli)).toContain('fire-starter.json');
    for (const name of Object.keys(cli)) {
      if (name === 'build-report.json') expect(withoutTimings(await kept.files[name].text())).toEqual(withoutTimings(fromBase64(cli[name])));
      else expect(await base64(kept.files[name]), name).toBe(cli[name]);
    }
  }, 180_000);
});

const internals = (app: SandtableApp) => app as unknown as Internals;
