// Reading grid files in Node (commands write theirs through bin/out-dir.ts). Relative names in a case resolve against the case's folder.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import { checkFileSize, MAX_BINARY_BYTES, MAX_TEXT_BYTES } from '../limits.ts';
import { parseAsciiGrid, type Grid } from './ascii.ts';
import { parseGeoTiff } from './geotiff.ts';

/**
 * Reads the grid a case names at `path` (a JSON path, for the error if the file is missing).
 * Every grid a case names is an input the model needs, so one with no data cells at all is
 * refused: it would otherwise run and answer nothing (`fs_min: null`) without a word.
 */
export async function readGridFile(fileName: string, baseDir: string, path: string): Promise<Grid> {
  const full = isAbsolute(fileName) ? fileName : join(baseDir, fileName);
  const tiff = /\.tiff?$/i.test(fileName);
  if (!tiff && !/\.(asc|txt)$/i.test(fileName)) {
    throw InputError.single(path, 'is not a grid file this engine reads', fileName, 'an ESRI ASCII grid (.asc) or a GeoTIFF (.tif)');
  }
  let bytes: Buffer;
  try {
    // Checked before reading: past these sizes the file cannot be held or decoded at all.
    checkFileSize((await stat(full)).size, tiff ? MAX_BINARY_BYTES : MAX_TEXT_BYTES, fileName, tiff ? 'a GeoTIFF grid' : 'an ESRI ASCII grid');
    bytes = await readFile(full);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(path, code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read (${code})`, fileName, 'a readable grid file');
  }
  const grid = tiff
    ? await parseGeoTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, fileName)
    : parseAsciiGrid(bytes.toString('utf8'), fileName);
  if (!grid.values.some((v) => !Number.isNaN(v))) {
    throw InputError.single(fileName, 'has no data cells', `${grid.ncols * grid.nrows} cells, all NODATA`, 'at least one cell with a value');
  }
  return grid;
}
