// Hostile ESRI ASCII grids and grid files: sizes past the memory budget, non-finite header
// numbers, a byte order mark, files too large to read, grids with no data at all.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseAsciiGrid } from '../../models/grid/ascii.ts';
import { readGridFile } from '../../models/grid/node.ts';
import { MAX_TEXT_BYTES } from '../../models/limits.ts';
import { SAMPLE_ASCII, SAMPLE_ROWS, tiffOf } from './tiff-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandtable-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorsOf(text: string): string[] {
  try {
    parseAsciiGrid(text, 'g.asc');
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  return ['accepted'];
}

async function readProblem(name: string, content: string | Buffer | ArrayBuffer): Promise<string> {
  writeFileSync(join(dir, name), content instanceof ArrayBuffer ? Buffer.from(content) : content);
  return readGridFile(name, dir, '$.dem').then(() => 'accepted', (e: InputError) => e.problems.map(formatProblem).join('\n'));
}

describe('ESRI ASCII headers are checked before anything is allocated', () => {
  it('a size past the memory budget names the file:line:col of ncols and the limit', () => {
    expect(errorsOf(SAMPLE_ASCII.replace('ncols 3', 'ncols 1000000000'))).toEqual([
      'error: g.asc:1:7: has more cells than this engine can hold (got "1000000000 × 2 = 2000000000 cells", expected at most 32000000 cells (the memory budget of the wasm32 kernels))',
    ]);
  });

  it('every header number is finite: xllcenter 1e999 or NODATA_value 1e999 is refused, not Infinity', () => {
    const centred = SAMPLE_ASCII.replace('xllcorner 100', 'xllcenter 1e999');
    expect(errorsOf(centred)).toEqual(['error: g.asc:3:11: bad xllcenter (got Infinity, expected a finite number)']);
    expect(errorsOf(SAMPLE_ASCII.replace('yllcorner 200', 'yllcorner -1e400'))).toEqual(['error: g.asc:4:11: bad yllcorner (got -Infinity, expected a finite number (or yllcenter))']);
    expect(errorsOf(SAMPLE_ASCII.replace('NODATA_value -9999', 'NODATA_value -1e999'))).toEqual(['error: g.asc:6:14: bad nodata_value (got -Infinity, expected a finite number)']);
  });

  it('edges that overflow, and cells too small to tell apart at the coordinates, are refused', () => {
    expect(errorsOf(SAMPLE_ASCII.replace('cellsize 10', 'cellsize 1e308'))).toEqual(['error: g.asc:5:10: puts the grid edges beyond the largest number (got "east Infinity, north Infinity", expected finite edges)']);
    expect(errorsOf(SAMPLE_ASCII.replace('xllcorner 100', 'xllcorner 1e12').replace('cellsize 10', 'cellsize 1e-6'))).toEqual([
      'error: g.asc:5:10: is too small for the coordinates (got 0.000001, expected at least 1e-9 of the largest coordinate (1000000000000 m))',
    ]);
  });

  it('an infinite cell value is located as file:line:col', () => {
    expect(errorsOf(SAMPLE_ASCII.replace('4 -9999 6', '4 1e999 6'))).toEqual(['error: g.asc:8:3: cell (row 1, col 1) is not a finite number (got "1e999", expected a finite number, or -9999 for NODATA)']);
  });

  it('a leading UTF-8 byte order mark (Windows editors) is blank space to the tokenizer (JS \\s includes U+FEFF)', () => {
    expect(parseAsciiGrid('\uFEFF' + SAMPLE_ASCII, 'g.asc')).toEqual(parseAsciiGrid(SAMPLE_ASCII, 'g.asc'));
  });
});

describe('grid files a case names', () => {
  it('one with no data cells at all is refused naming the file (ASCII and GeoTIFF)', async () => {
    const empty = SAMPLE_ASCII.replace(/1 2 3\n4 -9999 6/, '-9999 -9999 -9999\n-9999 -9999 -9999');
    expect(await readProblem('empty.asc', empty)).toBe('error: empty.asc: has no data cells (got "6 cells, all NODATA", expected at least one cell with a value)');
    const nodata = SAMPLE_ROWS.map((row) => row.map(() => -9999));
    const tiff = tiffOf(nodata, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0] });
    expect(await readProblem('empty.tif', tiff)).toBe('error: empty.tif: has no data cells (got "6 cells, all NODATA", expected at least one cell with a value)');
    expect(await readProblem('one.asc', empty.replace('-9999\n', '7\n'))).toBe('accepted');
  });

  it('one larger than the text budget is refused by its size, before it is read', async () => {
    const path = join(dir, 'big.asc');
    writeFileSync(path, '');
    truncateSync(path, MAX_TEXT_BYTES + 1); // sparse: no disk space used
    const problem = await readGridFile('big.asc', dir, '$.dem').then(() => 'accepted', (e: InputError) => formatProblem(e.problems[0]));
    expect(problem).toBe(`error: big.asc: is too large for an ESRI ASCII grid (got "${MAX_TEXT_BYTES + 1} bytes", expected at most 500 MiB)`);
  });
});
