// Reading and writing grid files in Node. Relative names in a case resolve against the case's folder.
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import { formatAsciiGrid, parseAsciiGrid, type Grid } from './ascii.ts';
import { parseGeoTiff } from './geotiff.ts';

/** Reads the grid a case names at `path` (a JSON path, for the error if the file is missing). */
export async function readGridFile(fileName: string, baseDir: string, path: string): Promise<Grid> {
  const full = isAbsolute(fileName) ? fileName : join(baseDir, fileName);
  const tiff = /\.tiff?$/i.test(fileName);
  if (!tiff && !/\.(asc|txt)$/i.test(fileName)) {
    throw InputError.single(path, 'is not a grid file this engine reads', fileName, 'an ESRI ASCII grid (.asc) or a GeoTIFF (.tif)');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(path, code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read (${code})`, fileName, 'a readable grid file');
  }
  if (tiff) return parseGeoTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, fileName);
  return parseAsciiGrid(bytes.toString('utf8'), fileName);
}

export async function writeGridFile(dir: string, fileName: string, grid: Grid, digits?: number): Promise<string> {
  const full = join(dir, fileName);
  await writeFile(full, formatAsciiGrid(grid, digits));
  return full;
}
