// GeoTIFF georeferencing and hostile TIFFs: every way a file can place its pixels (tie point +
// scale, transform only, flipped, rotated, sheared), and files that lie about their size.
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseAsciiGrid } from '../../models/grid/ascii.ts';
import { parseGeoTiff } from '../../models/grid/geotiff.ts';
import { SAMPLE_ASCII, SAMPLE_ROWS, TAG, tiffOf, transform, withShortAt, withTag } from './tiff-fixtures.ts';

const expected = parseAsciiGrid(SAMPLE_ASCII, 'g.asc');
const southUpRows = [...SAMPLE_ROWS].reverse();
const eastToWestRows = SAMPLE_ROWS.map((row) => [...row].reverse());

async function problemOf(tiff: ArrayBuffer, name = 'g.tif'): Promise<string> {
  try {
    await parseGeoTiff(tiff, name);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem).join('\n');
    throw error;
  }
  return 'accepted';
}

describe('GeoTIFF georeferencing is read from the tags, into north-up rows', () => {
  it('a north-up transform-only file (as GDAL writes it) reads like the tie-point one', async () => {
    expect(await parseGeoTiff(tiffOf(SAMPLE_ROWS, { ModelTransformation: transform(10, 0, 100, 0, -10, 220) }), 'g.tif')).toEqual(expected);
  });

  it('a tie point at a raster position other than (0, 0) moves the origin back to the corner', async () => {
    const tiff = tiffOf(SAMPLE_ROWS, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [1, 1, 0, 110, 210, 0] });
    expect(await parseGeoTiff(tiff, 'g.tif')).toEqual(expected);
  });

  it('pixel-is-point: the transform gives the first cell centre', async () => {
    const tiff = tiffOf(SAMPLE_ROWS, { ModelTransformation: transform(10, 0, 105, 0, -10, 215), GTRasterTypeGeoKey: 2 });
    expect(await parseGeoTiff(tiff, 'g.tif')).toEqual(expected);
  });

  it('south-up files (positive y step, or a negative y pixel scale) are mirrored into north-up rows', async () => {
    const byTransform = tiffOf(southUpRows, { ModelTransformation: transform(10, 0, 100, 0, 10, 200) });
    expect(await parseGeoTiff(byTransform, 'g.tif')).toEqual(expected);
    const byScale = tiffOf(southUpRows, { ModelPixelScale: [10, -10, 0], ModelTiepoint: [0, 0, 0, 100, 200, 0] });
    expect(await parseGeoTiff(byScale, 'g.tif')).toEqual(expected);
  });

  it('east-to-west files (negative x step) are mirrored into west-to-east columns', async () => {
    const tiff = tiffOf(eastToWestRows, { ModelTransformation: transform(-10, 0, 130, 0, -10, 220) });
    expect(await parseGeoTiff(tiff, 'g.tif')).toEqual(expected);
  });

  it('rotated and sheared files are refused naming the file, not read as north-up', async () => {
    const c = 10 * Math.cos(Math.PI / 6);
    const rotated = tiffOf(SAMPLE_ROWS, { ModelTransformation: transform(c, 5, 100, 5, -c, 220) });
    expect(await problemOf(rotated, 'rotated.tif')).toBe(
      'error: rotated.tif: is rotated or sheared (got "x per row 5, y per column 5", expected a north-up raster (both 0))');
    const sheared = tiffOf(SAMPLE_ROWS, { ModelTransformation: transform(10, 2, 100, 0, -10, 220) });
    expect(await problemOf(sheared, 'sheared.tif')).toBe('error: sheared.tif: is rotated or sheared (got "x per row 2, y per column 0", expected a north-up raster (both 0))');
  });

  it('control-point georeferencing, zero or non-finite pixel sizes are refused', async () => {
    const gcps = tiffOf(SAMPLE_ROWS, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0, 2, 1, 0, 120, 210, 0] });
    expect(await problemOf(gcps)).toBe('error: g.tif: is georeferenced by control points (got "2 tie points", expected one tie point and a pixel scale (a north-up raster))');
    expect(await problemOf(tiffOf(SAMPLE_ROWS, { ModelTransformation: transform(0, 0, 100, 0, 0, 220) })))
      .toBe('error: g.tif: has a zero pixel size (got "0 × 0", expected a non-zero pixel size)');
    expect(await problemOf(tiffOf(SAMPLE_ROWS, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, Infinity, 220, 0] })))
      .toBe('error: g.tif: has a bad tie point or pixel scale (got "tie point [0, 0, 0, Infinity, 220, 0], scale [10, 10, 0]", expected finite numbers)');
    expect(await problemOf(tiffOf(SAMPLE_ROWS, { ModelPixelScale: [1e308, 1e308, 0], ModelTiepoint: [0, 0, 0, 1e308, 220, 0] })))
      .toMatch(/^error: g\.tif: puts the grid edges beyond the largest number/);
  });
});

describe('hostile TIFFs end in an input error naming the file', () => {
  const sample = () => tiffOf(SAMPLE_ROWS, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0] });

  it('a size beyond the memory budget is refused before any allocation', async () => {
    const huge = withTag(withTag(sample(), TAG.ImageWidth, 100_000), TAG.ImageLength, 100_000);
    expect(await problemOf(huge, 'huge.tif')).toBe(
      'error: huge.tif: has more cells than this engine can hold (got "100000 × 100000 = 10000000000 cells", expected at most 32000000 cells (the memory budget of the wasm32 kernels))');
  });

  it('a truncated file, or a strip offset past the end, says the file is truncated', async () => {
    const truncated = sample().slice(0, sample().byteLength - 8);
    expect(await problemOf(truncated, 'cut.tif')).toBe(
      `error: cut.tif: is truncated: block 0 ends past the end of the file (got "bytes ${truncated.byteLength - 16}–${truncated.byteLength + 8}", expected within the file's ${truncated.byteLength} bytes)`);
    const moved = withTag(sample(), TAG.StripOffsets, 1_000_000);
    expect(await problemOf(moved, 'moved.tif')).toMatch(/^error: moved\.tif: is truncated: block 0 ends past the end of the file \(got "bytes 1000000–1000024"/);
  });

  it('a strip shorter than its pixels is a decoding error, not a RangeError', async () => {
    const short = withTag(sample(), TAG.StripByteCounts, 8);
    expect(await problemOf(short, 'short.tif')).toMatch(/^error: short\.tif: has raster data that cannot be decoded \(got ".*", expected a complete, uncorrupted GeoTIFF\)$/);
  });

  it('a GeoKeyDirectory pointing at a missing tag (the library throws a plain Error) names the file', async () => {
    // Entry 1 (shorts 4–7) is the first key; short 5 is the tag that holds its value, 0 for inline.
    const broken = withShortAt(sample(), TAG.GeoKeyDirectory, 5, 34737);
    expect(await problemOf(broken, 'keys.tif')).toMatch(/^error: keys\.tif: is not a readable GeoTIFF \(got "Could not get value of geoKey '\w+'\.", expected a complete, uncorrupted GeoTIFF\)$/);
  });

  it('infinite cells and a non-numeric GDAL_NODATA are refused', async () => {
    const inf = tiffOf([[1, 2, 3], [4, Infinity, 6]], { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0] });
    expect(await problemOf(inf)).toBe('error: g.tif: cell (row 1, col 1) is not a finite number (got Infinity, expected a finite number, or NODATA)');
    const badNodata = tiffOf(SAMPLE_ROWS, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0], GDAL_NODATA: 'none' });
    expect(await problemOf(badNodata)).toBe('error: g.tif: has a bad GDAL_NODATA value (got "none", expected a finite number or nan)');
    const nanNodata = tiffOf([[1, 2, 3], [4, NaN, 6]], { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0], GDAL_NODATA: 'nan' });
    const grid = await parseGeoTiff(nanNodata, 'g.tif');
    expect(grid.nodata).toBe(-9999);
    expect(Array.from(grid.values)).toEqual([1, 2, 3, 4, NaN, 6]);
  });
});
