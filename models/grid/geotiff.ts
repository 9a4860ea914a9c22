// GeoTIFF grids, read with geotiff.js, into the same Grid as ESRI ASCII: north-up, square cells,
// band 1, GDAL NODATA carried as NaN. Rotated or sheared rasters are refused, not resampled.
import { fromArrayBuffer } from 'geotiff';
import { InputError } from '../errors.ts';
import { DEFAULT_NODATA, type Grid } from './ascii.ts';

const PIXEL_IS_POINT = 2;

export async function parseGeoTiff(bytes: ArrayBuffer, fileName: string): Promise<Grid> {
  let image;
  try {
    image = await (await fromArrayBuffer(bytes)).getImage();
  } catch (error) {
    throw InputError.single(fileName, 'is not a readable GeoTIFF', (error as Error).message, 'a GeoTIFF raster');
  }
  const ncols = image.getWidth();
  const nrows = image.getHeight();
  let origin: number[];
  let resolution: number[];
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    throw InputError.single(fileName, 'has no georeferencing', undefined, 'a GeoTIFF with a tie point and pixel scale');
  }
  const fileDirectory = image.fileDirectory as { ModelTransformation?: number[] };
  const transform = fileDirectory.ModelTransformation;
  if (transform && (transform[1] !== 0 || transform[4] !== 0)) {
    throw InputError.single(fileName, 'is rotated or sheared', `transformation [${transform.slice(0, 8).join(', ')}]`, 'a north-up raster');
  }
  const [cellX, cellY] = resolution;
  if (!(cellX > 0) || !(cellY < 0)) {
    throw InputError.single(fileName, 'is not north-up', `pixel size (${cellX}, ${cellY})`, 'a positive x and a negative y pixel size');
  }
  const cellsize = cellX;
  if (Math.abs(-cellY - cellX) > 1e-9 * cellX) {
    throw InputError.single(fileName, 'has non-square cells', `${cellX} × ${-cellY}`, 'square cells');
  }
  const geoKeys = (image.getGeoKeys?.() ?? {}) as { GTRasterTypeGeoKey?: number };
  const shift = geoKeys.GTRasterTypeGeoKey === PIXEL_IS_POINT ? cellsize / 2 : 0;
  const west = origin[0] - shift;
  const north = origin[1] + shift;
  const [band] = (await image.readRasters({ samples: [0] })) as unknown as ArrayLike<number>[];
  const nodata = image.getGDALNoData();
  const values = Float64Array.from(band as ArrayLike<number>);
  if (nodata !== null && nodata !== undefined) {
    for (let i = 0; i < values.length; i++) if (values[i] === nodata) values[i] = NaN;
  }
  return {
    ncols, nrows, xllcorner: west, yllcorner: north - nrows * cellsize, cellsize,
    nodata: nodata ?? DEFAULT_NODATA, values,
  };
}
