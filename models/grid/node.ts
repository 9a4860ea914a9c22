// Reading and writing grid files in Node. Relative names in a case resolve against the case's folder.
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import { formatAsciiGrid, parseAsciiGrid, type Grid } from './ascii.ts';

/** Reads the grid a case names at `path` (a JSON path, for the error if the file is missing). */
export async function readGridFile(fileName: string, baseDir: string, path: string): Promise<Grid> {
  const full = isAbsolute(fileName) ? fileName : join(baseDir, fileName);
  if (!/\.(asc|txt)$/i.test(fileName)) {
    throw InputError.single(path, 'is not a grid file this engine reads', fileName, 'an ESRI ASCII grid (.asc)');
  }
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(path, code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read (${code})`, fileName, 'a readable ESRI ASCII grid');
  }
  return parseAsciiGrid(text, fileName);
}

export async function writeGridFile(dir: string, fileName: string, grid: Grid, digits?: number): Promise<string> {
  const full = join(dir, fileName);
  await writeFile(full, formatAsciiGrid(grid, digits));
  return full;
}
