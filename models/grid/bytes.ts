// A grid file's bytes into a Grid, wherever the bytes came from (a file in Node, a dropped file in
// the browser's worker): GeoTIFF by its .tif/.tiff name, else ESRI ASCII.
import { InputError } from '../errors.ts';
import { MAX_BINARY_BYTES, MAX_TEXT_BYTES } from '../limits.ts';
import { parseAsciiGrid, type Grid } from './ascii.ts';
import { parseGeoTiff } from './geotiff.ts';

export const isGeoTiffName = (fileName: string) => /\.tiff?$/i.test(fileName);

/** The size limit and what a grid named `fileName` is, or an InputError at `path` for a name no reader takes. */
export function gridFileKind(fileName: string, path: string): { limit: number; what: string } {
  if (isGeoTiffName(fileName)) return { limit: MAX_BINARY_BYTES, what: 'a GeoTIFF grid' };
  if (!/\.(asc|txt)$/i.test(fileName)) throw InputError.single(path, 'is not a grid file this engine reads', fileName, 'an ESRI ASCII grid (.asc) or a GeoTIFF (.tif)');
  return { limit: MAX_TEXT_BYTES, what: 'an ESRI ASCII grid' };
}

/**
 * Every grid a case names is an input the model needs, so one with no data cells at all is
 * refused: it would otherwise run and answer nothing (`fs_min: null`) without a word.
 */
export async function gridFromBytes(bytes: Uint8Array, fileName: string): Promise<Grid> {
  const grid = isGeoTiffName(fileName)
    ? await parseGeoTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, fileName)
    // ignoreBOM: the text exactly as Node's Buffer#toString('utf8') gives it.
    : parseAsciiGrid(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), fileName);
  if (!grid.values.some((v) => !Number.isNaN(v))) {
    throw InputError.single(fileName, 'has no data cells', `${grid.ncols * grid.nrows} cells, all NODATA`, 'at least one cell with a value');
  }
  return grid;
}
