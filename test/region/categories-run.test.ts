// A city's own category table, carried by the built region (risk-categories.json, named by
// region.json) and used by `sandtable run`: a new category whose factor a coupling feeds (depth_cm,
// ponding at a low point) is fed, graded by the city's thresholds, and named in the outputs.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { FED_FACTORS } from '../../models/scenario/actions.ts';
import { CLI } from '../cli-harness.ts';
import { gb18030, KNOWN, lonLatOf, writeFixture, type Fixture } from './fixture.ts';

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

// Yellow at 1 cm, orange 2 cm, red 3 cm of water at a metro entrance: far below the default
// waterlogging table's 10/20/30 cm, so a level from these thresholds cannot come from that table.
const CITY_TABLE = {
  categories: [
    { id: 'metro-entrance', name: '地铁出入口 metro entrance', hazards: ['rainstorm'], hold_s: { 4: 3600, 3: 1800, 2: 900 },
      factors: [{ id: 'depth_cm', unit: 'cm', direction: 'above', thresholds: { 2: 1, 3: 2, 4: 3 }, deadband: 0, on_delay_s: 0, interval_s: 300 }] },
    { id: 'waterlogging', hazards: ['rainstorm', 'flood'], factors: [{ id: 'depth_cm', unit: 'cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 } }] },
  ],
};

let fixture: Fixture;
let region: string;
let scenario: string;
beforeAll(() => {
  fixture = writeFixture({ categories: 'city-categories.json' });
  writeFileSync(join(fixture.dir, 'city-categories.json'), JSON.stringify(CITY_TABLE));
  const [lon, lat] = lonLatOf(KNOWN.x, KNOWN.y);
  writeFileSync(join(fixture.dir, 'items.csv'), gb18030(`id,category,name,lon,lat\r\nM-1,metro-entrance,Metro A,${lon.toFixed(12)},${lat.toFixed(12)}\r\nWL-1,waterlogging,Underpass,${lon.toFixed(12)},${lat.toFixed(12)}\r\n`));
  region = join(fixture.dir, 'region');
  const built = run(['region', 'build', fixture.caseFile, '--out', region]);
  if (built.code !== 0) throw new Error(built.stderr);
  scenario = join(fixture.dir, 'storm.json');
  const made = run(['region', 'scenario', region, '--template', 'storm', '--out', scenario]);
  if (made.code !== 0) throw new Error(made.stderr);
  // Three times the starter's design storm (peak 90 mm/h): above any low point's drain capacity (35–50 mm/h, readings.ts).
  const s = JSON.parse(readFileSync(scenario, 'utf8'));
  s.forcing.rain.mm_per_h = s.forcing.rain.mm_per_h.map((v: number) => 3 * v);
  writeFileSync(scenario, JSON.stringify(s));
});
afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

const withCategories = (categories: unknown) => {
  const file = join(fixture.dir, `storm-${String(categories).replace(/\W/g, '')}.json`);
  const s = JSON.parse(readFileSync(scenario, 'utf8'));
  s.models = { ...(s.models ?? {}), risklist: { ...(s.models?.risklist ?? {}), categories } };
  writeFileSync(file, JSON.stringify(s));
  return file;
};

describe('a built region with the city\'s own category table', () => {
  it('the fed factors derived from a table give the shipped table\'s couplings exactly as they were listed by hand', () => {
    expect(FED_FACTORS).toEqual({
      waterlogging: ['depth_cm'], tunnel: ['depth_cm'], 'underground-space': ['entrance_depth_cm'],
      slope: ['rain_24h_mm', 'fs_min'], 'river-dike': ['stage_above_warning_m'], bridge: ['water_level_below_deck_m'],
    });
  });

  it('region.json names risk-categories.json, the table as given, with its checksum', () => {
    const manifest = JSON.parse(readFileSync(join(region, 'region.json'), 'utf8'));
    expect(manifest.risk_categories).toBe('risk-categories.json');
    expect(JSON.parse(readFileSync(join(region, 'risk-categories.json'), 'utf8'))).toEqual(CITY_TABLE);
    expect(manifest.checksums['risk-categories.json']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('run grades the new category by the city\'s thresholds, fed by the ponding coupling, and names it', () => {
    const out = join(fixture.dir, 'run');
    const ran = run(['run', scenario, '--out', out]);
    expect(ran.code, ran.stderr).toBe(0);
    const readings = readFileSync(join(out, 'readings.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const depths = readings.filter(([, item, factor]) => item === 'M-1' && factor === 'depth_cm').map((r) => ({ t: Number(r[0]), cm: Number(r[3]) }));
    const firstAbove = (cm: number) => depths.find((d) => d.cm >= cm)!.t;
    const features = JSON.parse(readFileSync(join(out, 'items.geojson'), 'utf8')).features;
    const metro = features.find((f: any) => f.properties.id === 'M-1');
    expect(metro.properties.category).toBe('metro-entrance');
    // Red the moment the water reaches the city's 3 cm (no on-delay), long before the default's 30 cm would;
    // the rainstorm warnings (the city's hazards) raise it to orange before that.
    const log = JSON.parse(readFileSync(join(out, 'risk-log.json'), 'utf8'));
    const red = log.changes.find((c: any) => c.item === 'M-1' && c.to === 4);
    expect(red).toEqual({ t_s: firstAbove(3), item: 'M-1', from: 3, to: 4, reason: { rule: 'sensor', factor: 'depth_cm', value: depths.find((d) => d.t === red.t_s)!.cm, threshold: 3 } });
    expect(firstAbove(3)).toBeLessThan(firstAbove(30));
    expect(log.changes.filter((c: any) => c.item === 'M-1' && c.to > c.from && c.to < 4).map((c: any) => c.reason.hazard)).toEqual(['rainstorm', 'rainstorm']);
    expect(metro.properties.max_level).toBe(4);
    // The run names the region it ran on, and nothing of the shipped region is left in its outputs.
    expect(JSON.parse(ran.stdout).region).toMatchObject({ name: 'Test Valley', name_zh: '测试河谷' });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).region).toMatchObject({ name: 'Test Valley', name_zh: '测试河谷' });
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => join(f.parentPath ?? f.path, f.name));
    const caps = files.filter((f) => f.endsWith('.xml'));
    expect(caps.length).toBeGreaterThan(0);
    for (const cap of caps) expect(readFileSync(cap, 'utf8')).toContain('<sender>sandtable@test-valley.example</sender>');
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/山城|mountain[- ]city/i);
  });

  it('"categories": "default" refuses the new category, naming the item\'s JSON path; an unknown value names the setting', () => {
    const refused = run(['run', withCategories('default')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${join('region', 'risk-items.json')} $.items[0].category: is not a category of the table in use (got "metro-entrance", expected one of waterlogging,`);
    const unknown = run(['run', withCategories('city')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: $.models.risklist.categories: is not a known value (got "city", expected one of region, default, or a file path');
    const missing = run(['run', withCategories('nowhere.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: $.models.risklist.categories: names a category table file that does not exist (got "nowhere.json"');
  });

  it('an item of a category in neither table still fails at build, by file:line:column', () => {
    const [lon, lat] = lonLatOf(KNOWN.x, KNOWN.y);
    writeFileSync(join(fixture.dir, 'items.csv'), gb18030(`id,category,name,lon,lat\r\nS-1,sinkhole,Sinkhole,${lon},${lat}\r\n`));
    const failed = run(['region', 'build', fixture.caseFile, '--out', join(fixture.dir, 'region-bad')]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('error: items.csv:2:2: is not a category of the table in use (got "sinkhole", expected one of metro-entrance, waterlogging (city-categories.json))');
  });

  it('a bad city table is refused at build by file and JSON path, before anything is written', async () => {
    const bad = writeFixture({ categories: 'city.json', items: undefined });
    try {
      writeFileSync(join(bad.dir, 'city.json'), JSON.stringify({ categories: [CITY_TABLE.categories[1], { id: 'metro-entrance', factors: [{ id: 'depth_cm', direction: 'up', thresholds: { 5: 1 } }] }] }));
      const error = await buildRegionFromCase(JSON.parse(readFileSync(bad.caseFile, 'utf8')), bad.dir).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.problems.map((p: any) => `${p.path}: ${p.message}`)).toEqual([
        'city.json $.categories[1].factors[0].direction: is not a direction',
        'city.json $.categories[1].factors[0].thresholds: must give a threshold per level',
      ]);
    } finally { rmSync(bad.dir, { recursive: true, force: true }); }
  });
});

describe('the app reads the same table from a region it holds as files (models/scenario/region-categories.ts)', () => {
  const folderReader = (dir: string) => async (name: string) => {
    try { return readFileSync(join(dir, name), 'utf8'); } catch { return undefined; }
  };

  it('"region" gives the table `sandtable run` grades with; "default" the engine\'s', async () => {
    const { loadRegion } = await import('../../models/scenario/region-node.ts');
    const { withCategoryTable } = await import('../../models/scenario/region-categories.ts');
    const onDisk = await loadRegion(fixture.dir, join(region, 'region.json'), undefined, 'region');
    const bare = { ...onDisk, categories: undefined };
    const inApp = await withCategoryTable(bare, 'region', folderReader(region));
    expect([...inApp.categories!.categories.keys()]).toEqual(['metro-entrance', 'waterlogging']);
    expect(inApp.categories!.categories).toEqual(onDisk.categories!.categories);
    // The shipped table has no metro entrances: the built region's item is refused by its JSON path.
    await expect(withCategoryTable(bare, 'default', folderReader(region))).rejects.toThrow(/risk-items\.json \$\.items\[0\]\.category/);
  });

  it('a table region.json names but the page was not given is an error naming region.json\'s field', async () => {
    const { loadRegion } = await import('../../models/scenario/region-node.ts');
    const { withCategoryTable } = await import('../../models/scenario/region-categories.ts');
    const onDisk = await loadRegion(fixture.dir, join(region, 'region.json'), undefined, 'region');
    const error = await withCategoryTable(onDisk, 'region', async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ path: 'region.json $.risk_categories', message: 'names a file that is not there', value: 'risk-categories.json' });
  });
});
