// The builder's other inputs: a GeoTIFF DEM's geokeys (CRS, feet), a geographic DEM reprojected
// to UTM, and rasters in another grid and CRS resampled onto the DEM (counts keep their sums).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { CELL, elevation, KNOWN, lonLatOf, N, writeFixture, XLL, YLL, type Fixture } from './fixture.ts';

const made: Fixture[] = [];
afterAll(() => { for (const f of made) rmSync(f.dir, { recursive: true, force: true }); });
const WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

async function tiff(keys: Record<string, number>): Promise<Uint8Array> {
  const values = Float32Array.from({ length: N * N }, (_, i) => elevation(i % N, Math.floor(i / N)));
  return new Uint8Array(await writeArrayBuffer(values, { width: N, height: N, ModelPixelScale: [CELL, CELL, 0], ModelTiepoint: [0, 0, 0, XLL, YLL + N * CELL, 0], GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ...keys }));
}

async function build(overrides: Record<string, unknown>, files: Record<string, string | Uint8Array>) {
  const fixture = writeFixture(overrides);
  made.push(fixture);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(fixture.dir, name), content);
  return buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
}

describe('region build inputs', () => {
  it('a GeoTIFF DEM says its CRS by geokeys (ProjectedCSTypeGeoKey 4545)', async () => {
    const { report } = await build({ dem: 'dem.tif' }, { 'dem.tif': await tiff({ ProjectedCSTypeGeoKey: 4545, ProjLinearUnitsGeoKey: 9001 }) });
    expect(report.crs).toBe('EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)');
    expect(report.notes[0]).toBe('CRS from its GeoTIFF geokeys: EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)');
    expect(report.items.placed).toBe(2);
  });

  it('a GeoTIFF DEM in feet (ProjLinearUnitsGeoKey 9002) is refused', async () => {
    const error = await build({ dem: 'dem.tif' }, { 'dem.tif': await tiff({ ProjectedCSTypeGeoKey: 4545, ProjLinearUnitsGeoKey: 9002 }) }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0]).toMatchObject({ path: 'dem.tif', message: 'is in feet', value: 'GeoTIFF ProjLinearUnitsGeoKey = 9002' });
  });

  it('a geographic DEM is reprojected to its centre\'s UTM zone, and the report says so', async () => {
    const n = 40; const step = 0.0003;
    const rows = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => String(400 + 2 * c + r)).join(' '));
    const asc = [`ncols ${n}`, `nrows ${n}`, 'xllcorner 106.5', 'yllcorner 29.5', `cellsize ${step}`, 'NODATA_value -9999', ...rows, ''].join('\n');
    const { report, files } = await build({ dem: 'geo.asc', districts: undefined, items: undefined, streams: { threshold_km2: 0.05 } }, { 'geo.asc': asc, 'geo.prj': WGS84_PRJ });
    expect(report.crs).toBe('EPSG:32648 (WGS 84 / UTM zone 48N)');
    // 0.0003° is 33.2 m north–south and 29.0 m east–west at 29.5°N: 31 m cells.
    expect(report.grid.cellsize_m).toBe(31);
    expect(report.notes[1]).toMatch(/^the DEM is geographic \(GCS_WGS_1984, 0\.0003° cells\): reprojected to EPSG:32648 \(WGS 84 \/ UTM zone 48N\) by bilinear resampling at 31 m/);
    expect(JSON.parse(files['region.json']).crs_definition).toContain('+proj=utm +zone=48');
  });

  it('population in another CRS and grid keeps its sum; ESA WorldCover classes map to land cover and fuel', async () => {
    // 5 × 5 cells of 0.002° (≈ 190 m) with 10 residents each, wholly inside the DEM, in WGS 84.
    const pop = ['ncols 5', 'nrows 5', 'xllcorner 107.797', 'yllcorner 29.82', 'cellsize 0.002', 'NODATA_value -9999', ...Array(5).fill('10 10 10 10 10'), ''].join('\n');
    // Land cover on the DEM's own grid (no CRS: taken as the DEM's): tree cover west, built-up east.
    const lc = [`ncols ${N}`, `nrows ${N}`, `xllcorner ${XLL}`, `yllcorner ${YLL}`, `cellsize ${CELL}`, 'NODATA_value -9999',
      ...Array.from({ length: N }, () => Array.from({ length: N }, (_, c) => (c < 32 ? 10 : 50)).join(' ')), ''].join('\n');
    const { report, files } = await build({ population: 'pop.asc', landcover: { file: 'lc.asc', classes: 'esa-worldcover' } }, { 'pop.asc': pop, 'pop.prj': WGS84_PRJ, 'lc.asc': lc });
    expect(report.residents).toBe(250);
    expect(report.districts.reduce((s: number, d: any) => s + d.residents, 0)).toBe(250);
    const cells = (name: string) => files[name].split('\n').slice(6, 6 + N).map((l) => l.trim().split(/\s+/).map(Number));
    expect(cells('landcover.asc')[5][3]).toBe(6);
    expect(cells('landcover.asc')[5][60]).toBe(3);
    expect(cells('fuel.asc')[5][3]).toBe(165);
    expect(cells('fuel.asc')[5][60]).toBe(91);
    expect(report.notes).toContain('lc.asc says no CRS: taken as the DEM\'s');
  });

  it('items as GeoJSON points (WGS 84 by RFC 7946), with their properties', async () => {
    const points = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 'G-1', category: 'gas-main', name: 'Main', name_zh: '燃气', base_level: 2 }, geometry: { type: 'Point', coordinates: lonLatOf(KNOWN.x, KNOWN.y) } },
    ] };
    const { files } = await build({ items: { file: 'items.geojson' } }, { 'items.geojson': JSON.stringify(points) });
    const [item] = JSON.parse(files['risk-items.json']).items;
    expect(item).toMatchObject({ id: 'G-1', category: 'gas-main', name_zh: '燃气', area: 'east', base_level: 2 });
    expect(Math.abs(item.x_m - KNOWN.x)).toBeLessThan(0.001);
    expect(Math.abs(item.y_m - KNOWN.y)).toBeLessThan(0.001);
  });

  it('a city\'s own land-cover mapping CSV (class,landcover,fuel), and its bad rows', async () => {
    const lc = [`ncols ${N}`, `nrows ${N}`, `xllcorner ${XLL}`, `yllcorner ${YLL}`, `cellsize ${CELL}`, 'NODATA_value -9999',
      ...Array.from({ length: N }, () => Array.from({ length: N }, (_, c) => (c < 32 ? 1 : 2)).join(' ')), ''].join('\n');
    const { files } = await build({ landcover: { file: 'lc.asc', classes: 'classes.csv' } }, { 'lc.asc': lc, 'classes.csv': 'class,landcover,fuel\n1,forest,188\n2,farmland,93\n' });
    const row = files['fuel.asc'].split('\n')[6].split(' ').map(Number);
    expect([row[0], row[63]]).toEqual([188, 93]);
    const error = await build({ landcover: { file: 'lc.asc', classes: 'classes.csv' } }, { 'lc.asc': lc, 'classes.csv': 'class,landcover,fuel\n1,jungle,188\n' }).catch((e) => e);
    expect(error.problems[0]).toMatchObject({ path: 'classes.csv:2:2', message: 'is not a land cover of the region', value: 'jungle' });
  });
});
