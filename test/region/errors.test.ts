// Bad input to `region build`: each refused with the file and row/column or JSON path that is
// wrong, exit 2, and nothing written.
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../models/errors.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { CLI } from '../cli-harness.ts';
import { asciiDem, gb18030, lonLatOf, WKT_4545, writeFixture, XLL, YLL, type Fixture } from './fixture.ts';

const made: Fixture[] = [];
afterAll(() => { for (const f of made) rmSync(f.dir, { recursive: true, force: true }); });

/** The problems building the fixture gives after `change` alters its files (case overrides first). */
async function problemsOf(overrides: Record<string, unknown>, change: (dir: string) => void = () => {}): Promise<Problem[]> {
  const fixture = writeFixture(overrides);
  made.push(fixture);
  change(fixture.dir);
  try {
    await buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('built without a problem');
}

const csv = (rows: string) => (dir: string) => writeFileSync(join(dir, 'items.csv'), gb18030(`id,category,name,name_zh,lon,lat\r\n${rows}`));
const [lon0, lat0] = lonLatOf(XLL + 100, YLL + 100);

describe('region build refuses bad input, naming where', () => {
  it('a DEM without a CRS and no "crs" in the case', async () => {
    const [p] = await problemsOf({}, (dir) => unlinkSync(join(dir, 'dem.prj')));
    expect(p.path).toBe('dem.asc');
    expect(p.message).toBe('says no coordinate reference system and the case gives no "crs"');
  });

  it('…which the case\'s "crs" then supplies (an EPSG code)', async () => {
    const fixture = writeFixture({ crs: 'EPSG:4545' });
    made.push(fixture);
    unlinkSync(join(fixture.dir, 'dem.prj'));
    const { report } = await buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
    expect(report.crs).toBe('EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)');
  });

  it('a DEM in feet (its .prj\'s linear unit)', async () => {
    const [p] = await problemsOf({}, (dir) => writeFileSync(join(dir, 'dem.prj'), WKT_4545.replace('UNIT["Meter",1.0]', 'UNIT["Foot_US",0.3048006096012192]')));
    expect(p.path).toBe('dem.asc');
    expect(p.message).toBe('is in feet');
  });

  it('NODATA everywhere', async () => {
    const [p] = await problemsOf({}, (dir) => writeFileSync(join(dir, 'dem.asc'), asciiDem().replace(/^(\d[\d.]*\s)+/gm, (row) => row.replace(/\d[\d.]*/g, '-9999'))));
    expect(p.path).toBe('dem.asc');
    expect(p.message).toBe('has no data cells');
  });

  it('an elevation no place on Earth has (a unit or NODATA mistake), at its row and column', async () => {
    const [p] = await problemsOf({}, (dir) => writeFileSync(join(dir, 'dem.asc'), asciiDem().replace(/^(ncols[\s\S]*?NODATA_value -9999\n)(\S+)/, '$11e308')));
    expect(p.path).toBe('dem.asc');
    expect(p.message).toBe('has an elevation no place on Earth has');
    expect(p.value).toBe('1e+308 at row 1, column 1');
  });

  it('an item outside the DEM, at its row and column', async () => {
    const [p] = await problemsOf({}, csv(`A-1,waterlogging,a,甲,${lon0},${lat0}\r\nA-2,waterlogging,b,乙,${lon0 + 0.5},${lat0}\r\n`));
    expect(p.path).toBe('items.csv:3:5');
    expect(p.message).toBe('is outside the DEM');
  });

  it('an unknown category', async () => {
    const [p] = await problemsOf({}, csv(`A-1,sinkhole,a,甲,${lon0},${lat0}\r\n`));
    expect(p.path).toBe('items.csv:2:2');
    expect(p.message).toBe('is not a category of the table in use');
    expect(p.value).toBe('sinkhole');
  });

  it('…which the city\'s own category table makes known', async () => {
    const fixture = writeFixture({ categories: 'categories.json' });
    made.push(fixture);
    writeFileSync(join(fixture.dir, 'categories.json'), JSON.stringify({ categories: [{ id: 'sinkhole', factors: [] }, { id: 'waterlogging', factors: [] }, { id: 'slope', factors: [] }] }));
    csv(`A-1,sinkhole,a,甲,${lon0},${lat0}\r\n`)(fixture.dir);
    const { report } = await buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
    expect(report.items.by_category).toEqual({ sinkhole: 1 });
    expect(report.warnings.some((w: string) => w.startsWith('categories sinkhole come from categories.json'))).toBe(true);
  });

  it('a CSV row with a bad coordinate', async () => {
    const [p] = await problemsOf({}, csv(`A-1,slope,a,甲,106.7x,${lat0}\r\n`));
    expect(p.path).toBe('items.csv:2:5');
    expect(p.message).toBe('is not a valid longitude');
  });

  it('missing columns', async () => {
    const [p] = await problemsOf({}, (dir) => writeFileSync(join(dir, 'items.csv'), `id,name,lon,lat\n1,a,${lon0},${lat0}\n`));
    expect(p.path).toBe('items.csv:1:1');
    expect(p.message).toBe('has no category column');
  });

  it('districts in another CRS than declared: projected metres in a file that says nothing (so WGS 84)', async () => {
    const [p] = await problemsOf({}, (dir) => writeFileSync(join(dir, 'districts.geojson'), JSON.stringify({
      type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'a' }, geometry: { type: 'Polygon', coordinates: [[[XLL, YLL], [XLL + 900, YLL], [XLL + 900, YLL + 900], [XLL, YLL]]] } }],
    })));
    expect(p.path).toBe('districts.geojson $.features[0].geometry.coordinates[0][0]');
    expect(p.message).toMatch(/^is not a longitude\/latitude, though the file is WGS 84 by RFC 7946/);
  });

  it('…and when declared EPSG:4545 in the case, the same file builds', async () => {
    const fixture = writeFixture({ districts: { file: 'districts.geojson', id_field: 'code', crs: 'EPSG:4545' } });
    made.push(fixture);
    writeFileSync(join(fixture.dir, 'districts.geojson'), JSON.stringify({
      type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'a' }, geometry: { type: 'Polygon', coordinates: [[[XLL, YLL], [XLL + 960, YLL], [XLL + 960, YLL + 1920], [XLL, YLL + 1920], [XLL, YLL]]] } }],
    }));
    csv(`A-1,slope,a,甲,${lon0},${lat0}\r\n`)(fixture.dir);
    const { report } = await buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
    expect(report.districts[0].in_polygon_km2).toBeCloseTo((32 * 64 * 900) / 1e6, 6);
  });

  it('an unknown case field, and a missing file', async () => {
    const [unknown] = await problemsOf({ dem_units: 'm' });
    expect(unknown.path).toBe('$.dem_units');
    expect(unknown.message).toBe('unknown field');
    const [missing] = await problemsOf({ population: 'pop.tif' });
    expect(missing.path).toBe('$.population');
    expect(missing.message).toBe('names a file that does not exist');
  });

  it('from the CLI: exit 2, one error line, and no DIR written', () => {
    const fixture = writeFixture();
    made.push(fixture);
    unlinkSync(join(fixture.dir, 'dem.prj'));
    const out = join(fixture.dir, 'region');
    const r = spawnSync(process.execPath, [CLI, 'region', 'build', fixture.caseFile, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: dem\.asc: says no coordinate reference system and the case gives no "crs" \(got "no \.prj beside it, no GeoTIFF geokeys", expected a \.prj file beside the DEM/);
    expect(existsSync(out)).toBe(false);
  });

  it('a region.json whose CRS cannot be read is refused by `run` before it runs, naming $.crs', () => {
    const fixture = writeFixture();
    made.push(fixture);
    const out = join(fixture.dir, 'region');
    expect(spawnSync(process.execPath, [CLI, 'region', 'build', fixture.caseFile, '--out', out], { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync(process.execPath, [CLI, 'region', 'scenario', out, '--template', 'storm', '--out', join(fixture.dir, 's.json')], { encoding: 'utf8' }).status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'region.json'), 'utf8'));
    delete manifest.crs_definition;
    manifest.crs = 'Gauss zone 36';
    writeFileSync(join(out, 'region.json'), JSON.stringify(manifest));
    const r = spawnSync(process.execPath, [CLI, 'run', join(fixture.dir, 's.json')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: region/region.json $.crs: is not a coordinate reference system');
  });
});
