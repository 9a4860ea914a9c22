// Reading grid files in Node (commands write theirs through bin/out-dir.ts). Relative names in a case resolve against the case's folder.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import { checkFileSize } from '../limits.ts';
import type { Grid } from './ascii.ts';
import { gridFileKind, gridFromBytes } from './bytes.ts';

/** Reads the grid a case names at `path` (a JSON path, for the error if the file is missing). */
export async function readGridFile(fileName: string, baseDir: string, path: string): Promise<Grid> {
  const full = isAbsolute(fileName) ? fileName : join(baseDir, fileName);
  const { limit, what } = gridFileKind(fileName, path);
  let bytes: Buffer;
  try {
    // Checked before reading: past these sizes the file cannot be held or decoded at all.
    checkFileSize((await stat(full)).size, limit, fileName, what);
    bytes = await readFile(full);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(path, code === 'ENOENT' ? 'names a file that does not exist' : `names a file that cannot be read (${code})`, fileName, 'a readable grid file');
  }
  return gridFromBytes(bytes, fileName);
}
