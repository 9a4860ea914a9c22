// Reading a case: a file path, or `-` for stdin. Relative names inside it resolve against its folder.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Grid } from '../models/grid/ascii.ts';
import { readGridFile } from '../models/grid/node.ts';
import { InputError } from '../models/errors.ts';
import { parseJson } from '../models/json.ts';
import { checkFileSize, MAX_TEXT_BYTES } from '../models/limits.ts';

export interface CaseFile {
  value: unknown;
  /** Folder that relative file names in the case are resolved against. */
  baseDir: string;
  name: string;
  /** The file's text as read (hashed into manifests). */
  text: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    checkFileSize(size, MAX_TEXT_BYTES, '<stdin>', 'a JSON case');
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readCase(arg: string | undefined): Promise<CaseFile> {
  if (arg === undefined) throw InputError.single('<case.json>', 'is missing', undefined, 'a case file path, or - for stdin');
  if (arg === '-') {
    const text = await readStdin();
    return { value: parseJson(text, '<stdin>'), baseDir: process.cwd(), name: '<stdin>', text };
  }
  let text: string;
  try {
    // The size is checked first: a file past V8's string limit cannot even be decoded.
    checkFileSize((await stat(arg)).size, MAX_TEXT_BYTES, arg, 'a JSON case');
    text = await readFile(arg, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(arg, code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`, undefined, 'a readable JSON case file');
  }
  return { value: parseJson(text, arg), baseDir: dirname(resolve(arg)), name: arg, text };
}

/**
 * The grid files a case names, each read once, and every input file the command read (the case
 * and its grids), which its output folder must never overwrite.
 */
export async function readCaseGrids(file: CaseFile, named: { fileName: string; path: string }[]): Promise<{ grids: Record<string, Grid>; inputs: string[] }> {
  const grids: Record<string, Grid> = {};
  const inputs = file.name === '<stdin>' ? [] : [file.name];
  for (const { fileName, path } of named) {
    grids[fileName] ??= await readGridFile(fileName, file.baseDir, path);
    inputs.push(resolve(file.baseDir, fileName));
  }
  return { grids, inputs };
}

/** Indented JSON with arrays of numbers kept on one line, so a hydrograph reads as a row. */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, body: string) => `[${body.split(/,\s*/).join(', ')}]`);
}

export function printJson(value: unknown): void {
  process.stdout.write(stringifyJson(value) + '\n');
}
