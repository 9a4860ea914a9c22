// `landslide fs case.json --out DIR` (the deterministic grid form, whole or tiled) writes the case's
// CRS beside every output grid, as `--members` does: ESRI ASCII grids carry none, and QGIS puts a
// grid without a .prj in the wrong place. An ASCII input's .prj is copied as read; a GeoTIFF's EPSG
// GeoKey becomes that code's ESRI WKT, byte-equal to GDAL's (test/reference/geo/epsg-esri-wkt.tsv);
// a code with no known WKT or a projection of the file's own gets none and a `note:` on stderr.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { landslideFs } from '../../bin/commands/landslide.ts';
import { casePrj } from '../../bin/grid-prj.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { cliWorkspace } from '../cli-harness.ts';
import { NCOLS, NROWS, tileFixtureCase, tileFixtureGrids, writeTileFixture } from '../ensemble/tile-fixture.ts';
import { TAG, withShortAt } from '../grid/tiff-fixtures.ts';
import { referencePath } from '../reference.ts';

const engine = createNodeEngine();
const { dir, sandtable } = cliWorkspace('landslide-prj');
writeTileFixture(dir);

/** GDAL's ESRI WKT of an EPSG code (gdalsrsinfo -o wkt_esri), from the reference copy. */
const gdalWkt = (code: number) => readFileSync(referencePath('geo/epsg-esri-wkt.tsv'), 'utf8').split('\n').find((l) => l.startsWith(`${code}\t`))!.split('\t')[1];
const UTM48N = gdalWkt(32648);
const UTM49N = gdalWkt(32649);

/** The fixture's DEM as a Float32 GeoTIFF on the same cells, with the given GeoKeys. */
function writeDemTiff(name: string, geoKeys: Record<string, number>, patch = (tiff: ArrayBuffer) => tiff): string {
  const dem = tileFixtureGrids()['dem.asc'];
  const tiff = writeArrayBuffer(Float32Array.from(dem.values), {
    width: NCOLS, height: NROWS, ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, dem.xllcorner, dem.yllcorner + NROWS * 10, 0],
    GTRasterTypeGeoKey: 1, ...geoKeys,
  }) as unknown as ArrayBuffer;
  writeFileSync(join(dir, name), Buffer.from(patch(tiff)));
  const casePath = join(dir, name.replace(/\.tif$/, '.json'));
  writeFileSync(casePath, JSON.stringify({ ...tileFixtureCase, grid: { ...tileFixtureCase.grid, elevation_m: name } }));
  return casePath;
}

const stderr: string[] = [];
afterEach(() => { vi.restoreAllMocks(); stderr.length = 0; rmSync(join(dir, 'dem.prj'), { force: true }); rmSync(join(dir, 'soil.prj'), { force: true }); });

/** The command in this process, its stdout swallowed and its stderr kept; returns the folder's files. */
async function run(casePath: string, out: string, more: [string, string][] = []): Promise<Record<string, string>> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr.push(String(chunk)); return true; });
  await landslideFs({ positional: [casePath], options: new Map([['out', join(dir, out)], ...more]) }, engine);
  vi.restoreAllMocks();
  return Object.fromEntries(readdirSync(join(dir, out)).map((n) => [n, readFileSync(join(dir, out, n), 'utf8')]));
}

const ascNames = (files: Record<string, string>) => Object.keys(files).filter((n) => n.endsWith('.asc')).sort();
const prjNames = (files: Record<string, string>) => Object.keys(files).filter((n) => n.endsWith('.prj')).sort();

describe('landslide fs (deterministic grid form): the outputs\' CRS', () => {
  it('reads a geographic GeoTIFF\'s GeographicTypeGeoKey (CGCS2000), and nothing, without a note, from one with no CRS', async () => {
    await engine.ready();
    const dem = tileFixtureGrids()['dem.asc'];
    writeDemTiff('geo-4490.tif', { GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4490 });
    // geotiff.js writes WGS 84 into a file given no CRS: the GeoKey directory's key count set to 0 leaves none.
    writeDemTiff('no-crs.tif', {}, (tiff) => withShortAt(tiff, TAG.GeoKeyDirectory, 3, 0));
    const geographic = await casePrj([{ fileName: 'geo-4490.tif' }], { 'geo-4490.tif': dem }, dir);
    expect(geographic.notes).toEqual([]);
    expect(geographic.prj).toMatchObject({ text: gdalWkt(4490), from: 'geo-4490.tif', source: 'geokeys' });
    expect(geographic.prj!.crs.name).toBe('EPSG:4490 (China Geodetic Coordinate System 2000)');
    expect(await casePrj([{ fileName: 'no-crs.tif' }], { 'no-crs.tif': dem }, dir)).toEqual({ prj: undefined, notes: [] });
  });

  it('writes none when the grids say none, and copies an input .prj beside every grid, whole and tiled, naming it in the manifest', async () => {
    const none = await run(join(dir, 'case.json'), 'none');
    expect(prjNames(none)).toEqual([]);
    expect(JSON.parse(none['manifest.json']).crs).toBeUndefined();

    writeFileSync(join(dir, 'dem.prj'), UTM48N);
    for (const [out, more] of [['asc-prj', []], ['asc-prj-tiled', [['tile', '5x7']]]] as [string, [string, string][]][]) {
      const files = await run(join(dir, 'case.json'), out, more);
      const grids = ascNames(files);
      expect(grids).toContain('fs_min_t21600.asc');
      expect(prjNames(files)).toEqual(grids.map((n) => n.replace(/\.asc$/, '.prj')));
      for (const name of prjNames(files)) expect(files[name], name).toBe(UTM48N);
      const manifest = JSON.parse(files['manifest.json']);
      expect(manifest).toMatchObject({ crs: 'WGS_1984_UTM_Zone_48N', crs_prj: 'dem.prj' });
      expect(manifest.files).toEqual(Object.keys(files).filter((n) => n !== 'manifest.json').sort());
      for (const name of grids) expect(files[name], name).toBe(none[name]);
    }
    expect(stderr).toEqual([]);
  }, 60_000);

  it('writes GDAL\'s ESRI WKT of a GeoTIFF\'s EPSG GeoKey, and refuses an ASCII grid whose .prj names another CRS', async () => {
    const tifCase = writeDemTiff('dem.tif', { ProjectedCSTypeGeoKey: 32648, GTModelTypeGeoKey: 1 });
    const files = await run(tifCase, 'tif');
    expect(prjNames(files)).toEqual(ascNames(files).map((n) => n.replace(/\.asc$/, '.prj')));
    expect(files['fs_min_t7200.prj']).toBe('PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
    expect(JSON.parse(files['manifest.json'])).toMatchObject({ crs: 'EPSG:32648 (WGS 84 / UTM zone 48N)', crs_geokeys: 'dem.tif' });
    expect(JSON.parse(files['manifest.json']).crs_prj).toBeUndefined();

    writeFileSync(join(dir, 'soil.prj'), UTM49N);
    const error = await run(tifCase, 'tif-refused').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ path: 'soil.prj', message: 'names another coordinate reference system than dem.tif', value: 'WGS_1984_UTM_Zone_49N', expected: 'EPSG:32648 (WGS 84 / UTM zone 48N): every grid of one case lies on the same cells' });
  }, 60_000);

  it('writes none for an EPSG code it has no WKT for, or a projection of the file\'s own, and says so on stderr; the run still succeeds', async () => {
    const mercator = writeDemTiff('dem-3857.tif', { ProjectedCSTypeGeoKey: 3857, GTModelTypeGeoKey: 1 });
    writeFileSync(join(dir, 'soil.prj'), UTM48N); // another grid's .prj cannot be checked against EPSG:3857: none written
    const cli = sandtable(['landslide', 'fs', mercator, '--out', join(dir, 'mercator')]);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toBe('note: dem-3857.tif: its GeoKeys give EPSG:3857 (ProjectedCSTypeGeoKey), which this engine has no WKT for: no .prj written beside the output grids (give them EPSG:3857 in QGIS, or a .prj from gdalsrsinfo -o wkt_esri EPSG:3857)\n');
    expect(readdirSync(join(dir, 'mercator')).filter((n) => n.endsWith('.prj'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'mercator', 'manifest.json'), 'utf8')).crs).toBeUndefined();

    const own = writeDemTiff('dem-own.tif', { ProjectedCSTypeGeoKey: 32767, GTModelTypeGeoKey: 1 });
    const files = await run(own, 'own');
    expect(prjNames(files)).toEqual([]);
    expect(stderr).toEqual(['note: dem-own.tif: its GeoKeys define a projection of their own (ProjectedCSTypeGeoKey = 32767), not an EPSG code: no .prj written beside the output grids (give them the GeoTIFF\'s CRS in QGIS, or a .prj from gdalsrsinfo -o wkt_esri dem-own.tif)\n']);
  }, 60_000);

  it('loads the kernels only to compare two CRSs that differ in text: a pool run need not wait for them otherwise', async () => {
    await engine.ready(); // the comparison below projects a point with the deterministic math
    const grids = tileFixtureGrids();
    const named = [{ fileName: 'dem.asc' }, { fileName: 'soil.asc' }];
    let loads = 0;
    const ready = async () => { loads++; };
    writeFileSync(join(dir, 'dem.prj'), UTM48N);
    writeFileSync(join(dir, 'soil.prj'), UTM48N);
    expect((await casePrj(named, grids, dir, ready)).prj!.text).toBe(UTM48N);
    expect(loads).toBe(0);
    writeDemTiff('dem-32648.tif', { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648 });
    const mixed = await casePrj([{ fileName: 'dem-32648.tif' }, { fileName: 'soil.asc' }], { 'dem-32648.tif': grids['dem.asc'], 'soil.asc': grids['soil.asc'] }, dir, ready);
    expect(mixed.prj!.from).toBe('dem-32648.tif');
    expect(mixed.prj!.inputs).toEqual([join(dir, 'soil.prj')]);
    expect(loads).toBe(1);
  });
});
