import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseAsciiGrid } from '../../models/grid/ascii.ts';
import { geoKeyCode, parseGeoTiff, USER_DEFINED } from '../../models/grid/geotiff.ts';
import { readGridFile } from '../../models/grid/node.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandtable-grid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 3 × 2 GeoTIFF with the same cells as the ASCII grid below (west 100, north 220, 10 m). */
async function sampleTiff(extra: Record<string, unknown> = {}): Promise<ArrayBuffer> {
  return writeArrayBuffer(new Float32Array([1, 2, 3, 4, -9999, 6]), {
    width: 3, height: 2,
    ModelPixelScale: [10, 10, 0],
    ModelTiepoint: [0, 0, 0, 100, 220, 0],
    GDAL_NODATA: '-9999',
    // UTM 48N, as the demo region; without a projected CRS the writer assumes a global lat/lon raster.
    ProjectedCSTypeGeoKey: 32648,
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    ...extra,
  }) as unknown as ArrayBuffer;
}

const ascii = 'ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 10\nNODATA_value -9999\n1 2 3\n4 -9999 6\n';

describe('GeoTIFF grids', () => {
  it('read into the same Grid as the equivalent ESRI ASCII grid, NODATA as NaN', async () => {
    const fromTiff = await parseGeoTiff(await sampleTiff(), 'g.tif');
    const fromAscii = parseAsciiGrid(ascii, 'g.asc');
    expect(fromTiff).toEqual(fromAscii);
  });

  it('are read by file name wherever a grid file is accepted', async () => {
    writeFileSync(join(dir, 'g.tif'), Buffer.from(await sampleTiff()));
    const grid = await readGridFile('g.tif', dir, '$.slope_deg');
    expect(grid.ncols).toBe(3);
    expect(Array.from(grid.values)).toEqual([1, 2, 3, 4, NaN, 6]);
  });

  it('refuse non-square cells and non-TIFF bytes with the file named', async () => {
    const stretched = await sampleTiff({ ModelPixelScale: [10, 20, 0] });
    await expect(parseGeoTiff(stretched, 'g.tif')).rejects.toThrow(InputError);
    const problem = await parseGeoTiff(stretched, 'g.tif').catch((e: InputError) => formatProblem(e.problems[0]));
    expect(problem).toBe('error: g.tif: has non-square cells (got "10 × 20", expected square cells)');
    const junk = await parseGeoTiff(new TextEncoder().encode('not a tiff').buffer as ArrayBuffer, 'junk.tif').catch((e: InputError) => e.problems[0].path);
    expect(junk).toBe('junk.tif');
  });

  it('a missing file or an unknown extension is an input error at the JSON path', async () => {
    const missing = await readGridFile('nope.tif', dir, '$.fuel_model').catch((e: InputError) => formatProblem(e.problems[0]));
    expect(missing).toBe('error: $.fuel_model: names a file that does not exist (got "nope.tif", expected a readable grid file)');
    const png = await readGridFile('map.png', dir, '$.dem').catch((e: InputError) => formatProblem(e.problems[0]));
    expect(png).toMatch(/^error: \$\.dem: is not a grid file this engine reads/);
  });
});

describe('geoKeyCode: the GeoKey that names a GeoTIFF CRS by code (GeoTIFF 1.1, OGC 19-008r4, §7.3)', () => {
  it('takes ProjectedCSTypeGeoKey first, user-defined (32767) included, then GeographicTypeGeoKey in a geographic model only', () => {
    expect(geoKeyCode({ ProjectedCSTypeGeoKey: 32633, GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2 })).toEqual({ key: 'ProjectedCSTypeGeoKey', code: 32633 });
    expect(geoKeyCode({ ProjectedCSTypeGeoKey: USER_DEFINED, GTModelTypeGeoKey: 1 })).toEqual({ key: 'ProjectedCSTypeGeoKey', code: 32767 });
    expect(geoKeyCode({ GeographicTypeGeoKey: 4490, GTModelTypeGeoKey: 2 })).toEqual({ key: 'GeographicTypeGeoKey', code: 4490 });
    expect(geoKeyCode({ GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 1 })).toBeUndefined();
    expect(geoKeyCode({ GTModelTypeGeoKey: 2 })).toBeUndefined();
    expect(geoKeyCode({})).toBeUndefined();
  });
});
