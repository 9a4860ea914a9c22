// `landslide fs case.json --members N` writes the case's CRS beside its output grids: ESRI ASCII
// grids carry none, and GIS tools (and the app, web/ensemble-grid-open.ts) read it from a .prj of
// the grid's name. The inputs' .prj (as `region build` reads one beside a DEM) is copied as read
// beside every output grid and listed in the manifest; grids whose .prj files disagree are refused.
// A GeoTIFF input says its CRS in its GeoKeys: its EPSG code's ESRI WKT is written instead.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { landslideFs } from '../../bin/commands/landslide.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { cliWorkspace } from '../cli-harness.ts';
import { NCOLS, NROWS, tileFixtureCase, tileFixtureGrids, writeTileFixture } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir, sandtable } = cliWorkspace('fs-grid-prj');
writeTileFixture(dir);
const casePath = join(dir, 'ensemble.json');
writeFileSync(casePath, JSON.stringify({ ...tileFixtureCase, ensemble: { members: 3, seed: 5, perturbations: { rain_scale: { distribution: 'uniform', min: 0.6, max: 1.6 } } } }));

// The fixture's cells lie at x 500 000, y 3 300 000: UTM zone 48N. ESRI's WKT (what ArcGIS and
// QGIS's "ESRI" export write in a .prj) and OGC's WKT of the same CRS (EPSG:32648, epsg.io/32648).
const ESRI_UTM48N = 'PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const OGC_UTM48N = 'PROJCS["WGS 84 / UTM zone 48N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",105],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]';
const OGC_UTM49N = OGC_UTM48N.replace('48N', '49N').replace('"central_meridian",105', '"central_meridian",111');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const run = (out: string) => landslideFs({ positional: [casePath], options: new Map([['out', join(dir, out)]]) }, engine);
const folder = (out: string) => Object.fromEntries(readdirSync(join(dir, out)).map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]));

async function refusal(): Promise<InputError> {
  const error = await run(`refused-${Math.random().toString(36).slice(2)}`).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('landslide fs --members: the grids\' CRS', () => {
  it('writes no .prj when the case\'s grids have none', async () => {
    await run('none');
    const files = folder('none');
    expect(Object.keys(files).filter((n) => n.endsWith('.prj'))).toEqual([]);
    expect(JSON.parse(files['manifest.json']).crs).toBeUndefined();
  }, 30_000);

  it('copies the grids\' .prj beside every output grid, lists each with its SHA-256 and names the CRS; the grids are the same bytes', async () => {
    writeFileSync(join(dir, 'dem.prj'), ESRI_UTM48N);
    writeFileSync(join(dir, 'soil.prj'), OGC_UTM48N); // the same CRS in other words: accepted
    try {
      await run('prj');
      const files = folder('prj');
      const grids = Object.keys(files).filter((n) => n.endsWith('.asc')).sort();
      expect(grids).toContain('p_fs_below_1.asc');
      expect(Object.keys(files).filter((n) => n.endsWith('.prj')).sort()).toEqual(grids.map((n) => n.replace(/\.asc$/, '.prj')));
      for (const name of grids) expect(files[name.replace(/\.asc$/, '.prj')]).toBe(ESRI_UTM48N);
      const manifest = JSON.parse(files['manifest.json']);
      expect(manifest).toMatchObject({ crs: 'WGS_1984_UTM_Zone_48N', crs_prj: 'dem.prj' });
      expect(manifest.products_sha256['p_fs_below_1.prj']).toBe(sha256(ESRI_UTM48N));
      expect(Object.keys(manifest.products_sha256).sort()).toEqual(Object.keys(files).filter((n) => n !== 'manifest.json').sort());
      const none = folder('none');
      for (const name of grids) expect(files[name]).toBe(none[name]);
    } finally {
      writeFileSync(join(dir, 'soil.prj'), OGC_UTM48N);
    }
  }, 30_000);

  it('writes GDAL\'s ESRI WKT of a GeoTIFF DEM\'s EPSG GeoKey beside every output grid, naming the file in the manifest', async () => {
    const dem = tileFixtureGrids()['dem.asc'];
    const tiff = writeArrayBuffer(Float32Array.from(dem.values), {
      width: NCOLS, height: NROWS, ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, dem.xllcorner, dem.yllcorner + NROWS * 10, 0],
      GTRasterTypeGeoKey: 1, GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648,
    }) as unknown as ArrayBuffer;
    writeFileSync(join(dir, 'dem.tif'), Buffer.from(tiff));
    const tifCase = join(dir, 'ensemble-tif.json');
    writeFileSync(tifCase, JSON.stringify({ ...JSON.parse(readFileSync(casePath, 'utf8')), grid: { ...tileFixtureCase.grid, elevation_m: 'dem.tif' } }));
    await landslideFs({ positional: [tifCase], options: new Map([['out', join(dir, 'tif')]]) }, engine);
    const files = folder('tif');
    const grids = Object.keys(files).filter((n) => n.endsWith('.asc')).sort();
    expect(Object.keys(files).filter((n) => n.endsWith('.prj')).sort()).toEqual(grids.map((n) => n.replace(/\.asc$/, '.prj')));
    // gdalsrsinfo -o wkt_esri EPSG:32648 (GDAL 3.6.2): the same text as ESRI_UTM48N above.
    for (const name of grids) expect(files[name.replace(/\.asc$/, '.prj')]).toBe(ESRI_UTM48N);
    const manifest = JSON.parse(files['manifest.json']);
    expect(manifest).toMatchObject({ crs: 'EPSG:32648 (WGS 84 / UTM zone 48N)', crs_geokeys: 'dem.tif' });
    expect(manifest.products_sha256['p_fs_below_1.prj']).toBe(sha256(ESRI_UTM48N));
    for (const name of grids) expect(files[name]).toBe(folder('none')[name]);
  }, 30_000);

  it('refuses grids whose .prj files name different CRSs, or a .prj that is no CRS, naming the file', async () => {
    writeFileSync(join(dir, 'dem.prj'), ESRI_UTM48N);
    writeFileSync(join(dir, 'soil.prj'), OGC_UTM49N);
    expect((await refusal()).problems[0]).toMatchObject({ path: 'soil.prj', message: 'names another coordinate reference system than dem.prj', value: 'WGS 84 / UTM zone 49N' });
    // As a user sees it: the CLI's own process (its kernels loaded as the command loads them), exit 2.
    const cli = sandtable(['landslide', 'fs', casePath, '--out', join(dir, 'cli-refused')]);
    expect([cli.code, cli.stderr.trim()]).toEqual([2, 'error: soil.prj: names another coordinate reference system than dem.prj (got "WGS 84 / UTM zone 49N", expected WGS_1984_UTM_Zone_48N: every grid of one case lies on the same cells)']);
    writeFileSync(join(dir, 'soil.prj'), 'zone 48 north, I think');
    expect((await refusal()).problems[0]).toMatchObject({ path: 'soil.prj', message: 'is not a coordinate reference system' });
  }, 30_000);
});
