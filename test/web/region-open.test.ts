// Opening a region from outside (web/zip.ts, region-files.ts, region-check.ts, region-prepare.ts):
// zips as Info-ZIP writes them and as test/web/zip-writer.ts builds them byte by byte, the folder
// found inside, and each way a region or scenario is refused, by file and field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { checkRegionManifest, checkScenarioOnRegion, gridSizeProblem, regionFileNames } from '../../web/region-check.ts';
import { findNamed, regionFolderOf } from '../../web/region-files.ts';
import { prepareRegion, regionFromFiles } from '../../web/region-prepare.ts';
import { readZip } from '../../web/zip.ts';
import { makeZip } from './zip-writer.ts';

const reference = (name: string) => new Blob([readFileSync(new URL(`../reference/region-zip/${name}`, import.meta.url))]);
const problemsOf = async (work: () => unknown) => {
  try { await work(); } catch (error) { if (error instanceof InputError) return error.problems.map((p) => `${p.path}: ${p.message}`); throw error; }
  throw new Error('expected an InputError');
};

/** A 2 × 2 region with the districts and entering rivers the shipped storm scenario names. */
function tinyRegion(): Record<string, unknown> {
  return {
    name: 'Tiny Valley', name_zh: '小河谷', crs: 'EPSG:32648', crs_wkt: 'PROJCS[…]', generator_version: 1, seed: 0,
    grid: { ncols: 2, nrows: 2, xllcorner: 0, yllcorner: 0, cellsize_m: 10 },
    districts: ['yuzhong', 'jiangbei', 'shapingba', 'beibei', 'banan'].map((id, index) => ({ index, id, name: id, name_zh: id, centre_m: [5, 5] })),
    river_entries: [{ river: 'main', name: 'M', name_zh: 'M', reach: 'R1', upstream_area_km2: 1 }, { river: 'tributary', name: 'T', name_zh: 'T', reach: 'R1', upstream_area_km2: 1 }],
    reaches: [{ index: 0, id: 'R1', downstream: null, length_m: 10, slope: 0.01, drainage_area_km2: 1, local_area_km2: 1, strahler_order: 1, path_m: [[0, 0], [10, 10]] }],
  };
}
const grid = (n = 2) => `ncols ${n}\nnrows ${n}\nxllcorner 0\nyllcorner 0\ncellsize 10\n${Array.from({ length: n }, () => Array(n).fill(1).join(' ')).join('\n')}\n`;
const GRIDS = ['dem.asc', 'landcover.asc', 'districts.asc', 'basins.asc', 'population.asc', 'buildings.asc', 'hand.asc', 'fuel.asc'];
const storm = () => JSON.parse(readFileSync(new URL('../../scenarios/mountain-city/storm-peak-24h.json', import.meta.url), 'utf8'));

function regionFiles(prefix: string, manifest = tinyRegion()): Map<string, Blob> {
  const files = new Map<string, Blob>([[`${prefix}region.json`, new Blob([JSON.stringify(manifest)])], [`${prefix}risk-items.json`, new Blob(['{"items":[]}'])]]);
  for (const g of GRIDS) files.set(prefix + g, new Blob([grid()]));
  return files;
}

describe('readZip (APPNOTE 6.3.10 central directory; deflate-raw through DecompressionStream)', () => {
  it('reads an Info-ZIP archive, deflated and stored, leaving folders out', async () => {
    for (const name of ['tiny-infozip.zip', 'tiny-stored-infozip.zip']) {
      const files = await readZip(reference(name), name);
      expect([...files.keys()].sort()).toEqual(['tiny/dem.asc', 'tiny/radar/h00.asc', 'tiny/region.json']);
      expect(await files.get('tiny/dem.asc')!.text()).toBe('ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n1 2\n3 4\n');
      expect(await files.get('tiny/radar/h00.asc')!.text()).toBe('rain 5\n');
    }
  });

  it('reads a zip with an archive comment and UTF-8 names', async () => {
    const zip = makeZip([['城市/region.json', '{"a":1}'], ['城市/dem.asc', 'x'.repeat(10_000)]], 8, 'made for a test');
    const files = await readZip(new Blob([new Uint8Array(zip)]), 'city.zip');
    expect(await files.get('城市/region.json')!.text()).toBe('{"a":1}');
    expect((await files.get('城市/dem.asc')!.text()).length).toBe(10_000);
  });

  it('refuses what is not a zip, naming the file', async () => {
    expect(await problemsOf(() => readZip(new Blob(['just text']), 'notes.zip'))).toEqual(['notes.zip: is not a zip file (no central directory)']);
  });
});

describe('region files by path', () => {
  it('finds the region folder nearest the top, and a scenario\'s rain grid by its tail', () => {
    const files = new Map<string, Blob>([['city/region/region.json', new Blob()], ['city/region/old/region.json', new Blob()], ['city/region/radar/h00.asc', new Blob(['r'])]]);
    expect(regionFolderOf(files, 'city')).toBe('city/region/');
    expect(findNamed('region/radar/h00.asc', 'city/', files)).toBe(files.get('city/region/radar/h00.asc'));
    expect(findNamed('region/radar/h00.asc', undefined, files, 'city/region/')).toBe(files.get('city/region/radar/h00.asc'));
    expect(findNamed('region/radar/h01.asc', undefined, files, 'city/region/')).toBeUndefined();
    expect(() => regionFolderOf(new Map([['a.txt', new Blob()]]), 'stuff')).toThrow('stuff: holds no region.json');
  });
});

describe('checkRegionManifest: a bad manifest is named by field; optional fields may be absent', () => {
  it('keeps extra fields and fills the lists a built region may leave out', () => {
    const m = checkRegionManifest(tinyRegion(), 'region.json');
    expect((m as unknown as { crs_wkt: string }).crs_wkt).toBe('PROJCS[…]');
    expect(m.rivers).toEqual([]);
    expect(m.reservoir).toBeUndefined();
    expect(regionFileNames(m)).toEqual([...GRIDS, 'risk-items.json']);
    expect(regionFileNames({ ...m, checksums: { 'dem.asc': 'x', 'radar/h00.asc': 'y', '../etc/passwd': 'z' } })).toContain('radar/h00.asc');
    expect(regionFileNames({ ...m, checksums: { '../etc/passwd': 'z' } })).not.toContain('../etc/passwd');
  });

  it('names each bad field', async () => {
    const bad = { ...tinyRegion(), grid: { ncols: 0, nrows: 2, xllcorner: 'w', yllcorner: 0, cellsize_m: -1 }, districts: 'x' };
    expect(await problemsOf(() => checkRegionManifest(bad, 'region.json'))).toEqual([
      'region.json $.grid.ncols: must be a positive whole number of cells',
      'region.json $.grid.xllcorner: must be a number of metres',
      'region.json $.grid.cellsize_m: must be a positive number of metres',
      'region.json $.districts: must be a list of districts',
    ]);
    expect(await problemsOf(() => checkRegionManifest([], 'region.json'))).toEqual(['region.json $: must be a region manifest object']);
  });

  it('checks a grid header against the manifest', () => {
    const m = checkRegionManifest(tinyRegion(), 'region.json');
    expect(gridSizeProblem(grid(2), 'dem.asc', m)).toBeUndefined();
    expect(gridSizeProblem(grid(3), 'dem.asc', m)).toMatchObject({ path: 'dem.asc', message: 'has a different size from the region', value: '3 × 3' });
  });
});

describe('checkScenarioOnRegion: a scenario for another region is refused before the map changes', () => {
  it('names the district, river and file the region lacks', async () => {
    const m = checkRegionManifest({ ...tinyRegion(), districts: [{ index: 0, id: 'yuzhong', name: 'Y', name_zh: 'Y', centre_m: [5, 5] }], river_entries: [] }, 'region.json');
    const problems = await problemsOf(() => checkScenarioOnRegion(storm(), 'storm.json', m, () => true));
    expect(problems).toContain('storm.json $.forcing.rain.district_factors.jiangbei: names no district of the region');
    expect(problems).toContain('storm.json $.forcing.river_inflows[0].river: names no river entering the region');
    const radar = JSON.parse(readFileSync(new URL('../../scenarios/mountain-city/storm-radar-24h.json', import.meta.url), 'utf8'));
    const full = checkRegionManifest(tinyRegion(), 'region.json');
    expect((await problemsOf(() => checkScenarioOnRegion(radar, 'radar.json', full, (f) => f !== 'region/radar/rain-h05.asc')))).toEqual([
      'radar.json $.forcing.rain.grids[5]: names a file that did not come with the scenario or region',
    ]);
  });

  it('says in which file a scenario\'s own error is', async () => {
    const problems = await problemsOf(() => checkScenarioOnRegion({ ...storm(), duration_s: -5 }, 'storm.json', checkRegionManifest(tinyRegion(), 'region.json'), () => true));
    expect(problems.every((p) => p.startsWith('storm.json $.'))).toBe(true);
  });
});

describe('prepareRegion: a region from files is shown only whole', () => {
  it('opens a zipped folder with its scenario, named from the manifest, as blob: URLs', async () => {
    const files = regionFiles('tiny/region/');
    files.set('tiny/storm.json', new Blob([JSON.stringify(storm())]));
    const zip = makeZip(await Promise.all([...files].map(async ([p, b]) => [p, Buffer.from(await b.arrayBuffer())] as [string, Buffer])));
    const stored = await regionFromFiles(await readZip(new Blob([new Uint8Array(zip)]), 'tiny.zip'), 'tiny.zip');
    expect(Object.keys(stored.files).sort()).toEqual(['region.json', 'risk-items.json', ...GRIDS].sort());
    const choice = await prepareRegion(stored);
    expect(choice).toMatchObject({ key: 'files:tiny.zip', origin: 'files', name: 'Tiny Valley', nameZh: '小河谷' });
    expect(choice.scenarios.map((s) => s.id)).toEqual(['mountain-city-storm-peak-24h']);
    expect(choice.urls.dem).toMatch(/^blob:/);
    expect(await (await fetch(choice.urls.dem)).text()).toBe(grid());
  });

  it('refuses a folder missing a grid, or with a grid of another size, naming the file', async () => {
    const missing = regionFiles('');
    missing.delete('hand.asc');
    expect(await problemsOf(async () => prepareRegion(await regionFromFiles(missing, 'city')))).toEqual(['hand.asc: is missing from the region folder']);
    const wrong = regionFiles('');
    wrong.set('fuel.asc', new Blob([grid(3)]));
    expect(await problemsOf(async () => prepareRegion(await regionFromFiles(wrong, 'city')))).toEqual(['fuel.asc: has a different size from the region']);
  });
});

describe('region problems in the UI language', () => {
  it('every message the region checks give has a Chinese text', async () => {
    const { regionMessage } = await import('../../web/region-messages.ts');
    for (const message of ['is missing from the region folder', 'holds no region.json', 'is not valid JSON', 'has a different size from the region',
      'is not an ESRI ASCII grid (no ncols/nrows header)', 'names no district of the region', 'names no sub-basin of the region', 'names no river entering the region',
      'names a file that did not come with the scenario or region', 'is not a zip file (no central directory)', 'is missing or not an object',
      'must be a positive whole number of cells', 'must be a positive number of metres', 'must be a list of districts', 'must be a list of river reaches',
      'must be a region manifest object', 'is not a scenario']) {
      expect(regionMessage('zh-CN', message), message).toMatch(/[\u4e00-\u9fff]/);
      expect(regionMessage('en', message)).toBe(message);
    }
    expect(regionMessage('zh-CN', 'could not be loaded (HTTP 404)')).toBe('无法加载 (HTTP 404)');
  });
});
