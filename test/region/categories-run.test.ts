// A city's own category table, carried by the built region (risk-categories.json, named by
// region.json) and used by `sandtable run`: a new category whose factor a coupling feeds (depth_cm,
// ponding at a low point) is fed, graded by the city's thresholds, and named in the outputs.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { FED_FACTORS } from '../../models/scenario/actions.ts';
import type { RegionData } from '../../models/scenario/region.ts';
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
    expect(missing.stderr.trim()).toBe('error: $.models.risklist.categories: names a file that does not exist (got "nowhere.json", expected a category table file, relative to the scenario\'s folder (the form of models/risklist/categories.json))');
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

describe('the app and `sandtable run` choose the table by one rule; only the reader differs (models/scenario/region-categories.ts)', () => {
  const folderReader = (regionDir: string) => async (name: string, from: 'region' | 'scenario') => {
    try { return readFileSync(join(from === 'region' ? regionDir : fixture.dir, name), 'utf8'); } catch { return undefined; }
  };
  type Outcome = { table: string[] } | { path: string; message: string; value: unknown; expected?: string };
  const outcome = (got: RegionData | unknown): Outcome => {
    if (got instanceof InputError) { const { path, message, value, expected } = got.problems[0]; return { path, message, value, expected }; }
    if (got && typeof got === 'object' && 'categories' in got) return { table: [...(got as RegionData).categories!.categories.keys()] };
    throw got;
  };
  /** What `run` (the disk, region.json as the scenario names it) and the app (a reader, region.json by its name) make of a setting. */
  const both = async (setting: string, regionDir = region) => {
    const { loadRegion } = await import('../../models/scenario/region-node.ts');
    const { withCategoryTable } = await import('../../models/scenario/region-categories.ts');
    const manifestPath = join(relative(fixture.dir, regionDir), 'region.json');
    const onDisk = await loadRegion(fixture.dir, join(region, 'region.json'), undefined, 'region');
    const manifest = JSON.parse(readFileSync(join(regionDir, 'region.json'), 'utf8'));
    const cli = await loadRegion(fixture.dir, manifestPath, undefined, setting).then(outcome, outcome);
    const app = await withCategoryTable({ ...onDisk, manifest, categories: undefined }, setting, folderReader(regionDir)).then(outcome, outcome);
    return { cli, app, manifestPath };
  };
  const variant = (name: string, change: (manifest: any) => void) => {
    const dir = join(fixture.dir, name);
    rmSync(dir, { recursive: true, force: true });
    cpSync(region, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'region.json'), 'utf8'));
    change(manifest);
    writeFileSync(join(dir, 'region.json'), JSON.stringify(manifest));
    return dir;
  };
  const samePlace = (cli: Outcome, app: Outcome, manifestPath: string) =>
    expect({ ...cli, path: (cli as any).path.replace(manifestPath, 'region.json') }).toEqual(app);

  it('"region" gives the city\'s table, "default" the engine\'s (refusing the city\'s item by its JSON path), a file the scenario names its table', async () => {
    expect(await both('region')).toMatchObject({ cli: { table: ['metro-entrance', 'waterlogging'] }, app: { table: ['metro-entrance', 'waterlogging'] } });
    const byDefault = await both('default');
    expect(byDefault.cli).toMatchObject({ path: join('region', 'risk-items.json $.items[0].category'), value: 'metro-entrance' });
    expect(byDefault.app).toMatchObject({ path: 'risk-items.json $.items[0].category', value: 'metro-entrance' });
    expect(await both('city-categories.json')).toMatchObject({ cli: { table: ['metro-entrance', 'waterlogging'] }, app: { table: ['metro-entrance', 'waterlogging'] } });
  });

  it('a table file that is not there: one wording, value and expectation from both, at the setting or at region.json\'s field', async () => {
    const named = await both('nowhere.json');
    expect(named.cli).toEqual({ path: '$.models.risklist.categories', message: 'names a file that does not exist', value: 'nowhere.json', expected: 'a category table file, relative to the scenario\'s folder (the form of models/risklist/categories.json)' });
    expect(named.app).toEqual(named.cli);
    const lost = await both('region', variant('region-lost-table', (m) => { m.risk_categories = 'lost.json'; }));
    expect(lost.cli).toEqual({ path: `${lost.manifestPath} $.risk_categories`, message: 'names a file that does not exist', value: 'lost.json', expected: 'the category table region build wrote beside region.json (the form of models/risklist/categories.json)' });
    samePlace(lost.cli, lost.app, lost.manifestPath);
  });

  it('region.json may name only a file beside it, and a table that is not JSON is placed by line and column, in both', async () => {
    writeFileSync(join(fixture.dir, 'outside.json'), JSON.stringify(CITY_TABLE));
    const escaping = await both('region', variant('region-escaping', (m) => { m.risk_categories = '../outside.json'; }));
    expect(escaping.cli).toMatchObject({ message: 'must name a file beside region.json', value: '../outside.json' });
    samePlace(escaping.cli, escaping.app, escaping.manifestPath);
    writeFileSync(join(fixture.dir, 'broken.json'), '{"categories": [\n  {"id": }\n]}');
    const broken = await both('broken.json');
    expect(broken.cli).toMatchObject({ path: 'broken.json:2:10', message: 'not valid JSON' });
    expect(broken.app).toEqual(broken.cli);
  });
});
