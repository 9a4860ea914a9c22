// GeoTIFF grids, read with geotiff.js, into the same Grid as ESRI ASCII: north-up, square cells,
// band 1, GDAL NODATA carried as NaN. Rotated or sheared rasters are refused, not resampled; a
// south-up (or east-to-west) raster is mirrored into north-up rows, which loses nothing.
//
// Georeferencing is read from the tags themselves rather than through getOrigin/getResolution:
// those ignore the tie point's raster position, and for a transform-only file they flip the
// sign of the y scale (so a north-up file looked south-up and was refused) and hide any rotation
// in the pixel size (a DEM rotated 30° read as north-up with cellsize 9.99…).
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { InputError } from '../errors.ts';
import { checkGridCells } from '../limits.ts';
import { checkExtent, DEFAULT_NODATA, type Grid } from './ascii.ts';

const PIXEL_IS_POINT = 2;

/** GeoTIFF's "user-defined" value of a GeoKey (GeoTIFF 1.1, OGC 19-008r4, §7.3). */
export const USER_DEFINED = 32767;

/** The GeoKey naming a GeoTIFF's CRS by code, and that code (USER_DEFINED: a CRS of the file's own). */
export interface GeoKeyCode { key: 'ProjectedCSTypeGeoKey' | 'GeographicTypeGeoKey'; code: number }

/**
 * Which GeoKey names the file's CRS: ProjectedCSTypeGeoKey when set, else GeographicTypeGeoKey in a
 * geographic model (GTModelTypeGeoKey 2); undefined when neither does. What a code means is the caller's.
 */
export function geoKeyCode(keys: Record<string, unknown>): GeoKeyCode | undefined {
  const projected = Number(keys.ProjectedCSTypeGeoKey);
  if (projected > 0) return { key: 'ProjectedCSTypeGeoKey', code: projected };
  const geographic = Number(keys.GeographicTypeGeoKey);
  if (Number(keys.GTModelTypeGeoKey) === 2 && geographic > 0) return { key: 'GeographicTypeGeoKey', code: geographic };
  return undefined;
}

/** Pixel (col, row) corner → map: x = x0 + dx·col, y = y0 + dy·row (no rotation terms). */
interface Axes { x0: number; y0: number; dx: number; dy: number }

export async function parseGeoTiff(bytes: ArrayBuffer, fileName: string): Promise<Grid> {
  try {
    return await readGeoTiff(bytes, fileName);
  } catch (error) {
    // geotiff.js throws plain errors on tags it cannot make sense of (a corrupt GeoKeyDirectory, a
    // tag of the wrong type): that is the file's fault, so it is an input error naming the file.
    if (error instanceof InputError) throw error;
    throw InputError.single(fileName, 'is not a readable GeoTIFF', (error as Error).message, 'a complete, uncorrupted GeoTIFF');
  }
}

async function readGeoTiff(bytes: ArrayBuffer, fileName: string): Promise<Grid> {
  let image: GeoTIFFImage;
  try {
    image = await (await fromArrayBuffer(bytes)).getImage();
  } catch (error) {
    throw InputError.single(fileName, 'is not a readable GeoTIFF', (error as Error).message, 'a GeoTIFF raster');
  }
  const ncols = image.getWidth();
  const nrows = image.getHeight();
  if (!(Number.isInteger(ncols) && ncols > 0 && Number.isInteger(nrows) && nrows > 0)) {
    throw InputError.single(fileName, 'has no raster size', `${ncols} × ${nrows}`, 'a width and height of at least 1 pixel');
  }
  checkGridCells(ncols, nrows, fileName);
  const axes = readAxes(image, fileName);
  const cellsize = Math.abs(axes.dx);
  if (Math.abs(Math.abs(axes.dy) - cellsize) > 1e-9 * cellsize) {
    throw InputError.single(fileName, 'has non-square cells', `${cellsize} × ${Math.abs(axes.dy)}`, 'square cells');
  }
  const geoKeys = (image.getGeoKeys?.() ?? {}) as { GTRasterTypeGeoKey?: number };
  // Pixel-is-point: the transform gives cell centres, so the corner is half a pixel back.
  const shift = geoKeys.GTRasterTypeGeoKey === PIXEL_IS_POINT ? 0.5 : 0;
  const xStart = axes.x0 - shift * axes.dx;
  const yStart = axes.y0 - shift * axes.dy;
  const west = axes.dx > 0 ? xStart : xStart + ncols * axes.dx;
  const south = axes.dy < 0 ? yStart + nrows * axes.dy : yStart;
  checkExtent(ncols, nrows, west, south, cellsize, fileName);

  const nodata = readNoData(image, fileName);
  await checkBlocks(image, bytes.byteLength, fileName);
  let band: ArrayLike<number>;
  try {
    [band] = (await image.readRasters({ samples: [0] })) as unknown as ArrayLike<number>[];
  } catch (error) {
    throw InputError.single(fileName, 'has raster data that cannot be decoded', (error as Error).message, 'a complete, uncorrupted GeoTIFF');
  }
  if (!band || band.length !== ncols * nrows) {
    throw InputError.single(fileName, 'has raster data of the wrong size', band?.length, `${ncols} × ${nrows} = ${ncols * nrows} values`);
  }
  const values = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    // Rows and columns are mirrored where the file runs south-up or east-to-west.
    const fromRow = axes.dy < 0 ? r : nrows - 1 - r;
    for (let c = 0; c < ncols; c++) {
      const v = band[fromRow * ncols + (axes.dx > 0 ? c : ncols - 1 - c)];
      if (v === nodata) {
        values[r * ncols + c] = NaN;
      } else if (v === Infinity || v === -Infinity) {
        throw InputError.single(fileName, `cell (row ${r}, col ${c}) is not a finite number`, v, 'a finite number, or NODATA');
      } else {
        values[r * ncols + c] = v;
      }
    }
  }
  return { ncols, nrows, xllcorner: west, yllcorner: south, cellsize, nodata: nodata ?? DEFAULT_NODATA, values };
}

/** The pixel-to-map axes, from ModelTransformation or from ModelTiepoint + ModelPixelScale. */
function readAxes(image: GeoTIFFImage, fileName: string): Axes {
  const directory = image.getFileDirectory();
  const transform = numbers(directory.getValue('ModelTransformation'));
  const tiepoint = numbers(directory.getValue('ModelTiepoint'));
  const scale = numbers(directory.getValue('ModelPixelScale'));
  const finite = (list: number[] | undefined, n: number) => !!list && list.length >= n && list.slice(0, n).every(Number.isFinite);
  let axes: Axes;
  if (transform) {
    // Row-major 4 × 4: x = a·col + b·row + d, y = e·col + f·row + h.
    if (!finite(transform, 8)) {
      throw InputError.single(fileName, 'has a bad ModelTransformation', `[${transform.slice(0, 8).join(', ')}]`, '16 finite numbers');
    }
    const [a, b, , d, e, f, , h] = transform;
    if (b !== 0 || e !== 0) {
      const short = (v: number) => Number(v.toPrecision(6));
      throw InputError.single(fileName, 'is rotated or sheared', `x per row ${short(b)}, y per column ${short(e)}`, 'a north-up raster (both 0)');
    }
    axes = { x0: d, y0: h, dx: a, dy: f };
  } else if (tiepoint && scale) {
    if (tiepoint.length !== 6) {
      throw InputError.single(fileName, 'is georeferenced by control points', `${tiepoint.length / 6} tie points`, 'one tie point and a pixel scale (a north-up raster)');
    }
    if (!finite(tiepoint, 6) || !finite(scale, 2)) {
      throw InputError.single(fileName, 'has a bad tie point or pixel scale', `tie point [${tiepoint.join(', ')}], scale [${scale.join(', ')}]`, 'finite numbers');
    }
    const [i, j, , x, y] = tiepoint;
    // A positive y scale means y falls as the row grows (GeoTIFF's north-up convention).
    axes = { x0: x - i * scale[0], y0: y + j * scale[1], dx: scale[0], dy: -scale[1] };
  } else {
    throw InputError.single(fileName, 'has no georeferencing', undefined, 'a GeoTIFF with a tie point and pixel scale, or a model transformation');
  }
  if (!(axes.dx !== 0 && axes.dy !== 0)) {
    throw InputError.single(fileName, 'has a zero pixel size', `${axes.dx} × ${axes.dy}`, 'a non-zero pixel size');
  }
  return axes;
}

/** A numeric tag as a plain array: one value comes back as a number, several as an array. */
function numbers(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>, Number);
  return [NaN]; // a string where numbers belong: reported as not finite
}

/** GDAL_NODATA as a number (undefined without one); "nan" means the NaN cells need no mapping. */
function readNoData(image: GeoTIFFImage, fileName: string): number | undefined {
  const text: unknown = image.getFileDirectory().getValue('GDAL_NODATA');
  if (text === undefined) return undefined;
  if (typeof text !== 'string') {
    throw InputError.single(fileName, 'has a bad GDAL_NODATA value', text, 'a number written as text');
  }
  const trimmed = text.replace(/\0/g, '').trim();
  if (/^[-+]?nan$/i.test(trimmed)) return undefined;
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) {
    throw InputError.single(fileName, 'has a bad GDAL_NODATA value', trimmed, 'a finite number or nan');
  }
  return value;
}

/**
 * Refuses blocks (strips or tiles) that the file cannot hold before any is decoded: a block past
 * the end of the file, a missing block, or a zero block size (which would never end the read).
 */
async function checkBlocks(image: GeoTIFFImage, fileBytes: number, fileName: string): Promise<void> {
  const blockWidth = image.getTileWidth();
  const blockHeight = image.getTileHeight();
  if (!(blockWidth >= 1 && blockHeight >= 1)) {
    throw InputError.single(fileName, 'has a zero tile or strip size', `${blockWidth} × ${blockHeight}`, 'blocks of at least 1 × 1 pixel');
  }
  const planes = image.planarConfiguration === 2 ? image.getSamplesPerPixel() : 1;
  const blocks = Math.ceil(image.getWidth() / blockWidth) * Math.ceil(image.getHeight() / blockHeight) * planes;
  const [offsetTag, countTag] = image.isTiled ? ['TileOffsets', 'TileByteCounts'] as const : ['StripOffsets', 'StripByteCounts'] as const;
  let offsets: ArrayLike<number>;
  let counts: ArrayLike<number>;
  try {
    const directory = image.getFileDirectory();
    offsets = (await directory.loadValue(offsetTag)) as ArrayLike<number>;
    counts = (await directory.loadValue(countTag)) as ArrayLike<number>;
  } catch (error) {
    throw InputError.single(fileName, `has an unreadable ${offsetTag} or ${countTag} tag`, (error as Error).message, 'a complete, uncorrupted GeoTIFF');
  }
  if (!offsets || !counts || offsets.length < blocks || counts.length < blocks) {
    throw InputError.single(fileName, `lists too few blocks in ${offsetTag}/${countTag}`, `${offsets?.length ?? 0} offsets, ${counts?.length ?? 0} byte counts`, `${blocks} of each`);
  }
  for (let k = 0; k < blocks; k++) {
    const end = Number(offsets[k]) + Number(counts[k]);
    if (Number(counts[k]) > 0 && !(end <= fileBytes)) {
      throw InputError.single(fileName, `is truncated: block ${k} ends past the end of the file`,
        `bytes ${Number(offsets[k])}–${end}`, `within the file's ${fileBytes} bytes`);
    }
  }
}
