// Queue tiles formatted by their workers (models/ensemble/tile-text.ts): the coordinator joins the
// tiles' row segments into the output files instead of formatting the stitched grids itself (on
// the 10 M-cell benchmark that formatting was most of the coordinator's CPU). The files must be
// formatAsciiGrid's of the undivided run, byte for byte, for any tiling, order and precision.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { cutTile, prepareTiledCase } from '../../models/ensemble/tiles.ts';
import { formatRows, readTileText, TextStitcher, writeTileText } from '../../models/ensemble/tile-text.ts';
import { asciiCellFormat, formatAsciiGrid } from '../../models/grid/ascii.ts';
import { cliWorkspace } from '../cli-harness.ts';
import { NCOLS, NROWS, tileFixtureCase, tileFixtureGrids } from './tile-fixture.ts';

const engine = createNodeEngine();
const { dir } = cliWorkspace('tile-text');
const decode = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('queue tiles formatted by their workers', () => {
  it('join into the undivided run\'s ESRI ASCII files, byte for byte, for any tile size, order and precision', async () => {
    await engine.ready();
    const whole = await engine.landslideGrid(tileFixtureCase, tileFixtureGrids());
    for (const size of [{ rows: 1, cols: 1 }, { rows: 4, cols: 4 }, { rows: 5, cols: 7 }, { rows: 6, cols: 100 }, { rows: 100, cols: 3 }, { rows: NROWS, cols: NCOLS }]) {
      const prepared = prepareTiledCase(tileFixtureCase, tileFixtureGrids(), size);
      const outputs = [];
      for (const tile of prepared.tiles) outputs.push(await engine.landslideGrid(prepared.input, cutTile(prepared, tile)));
      for (const digits of [7, undefined]) {
        const label = `${size.rows}x${size.cols}, ${digits ?? 'full'} digits`;
        const stitcher = new TextStitcher(prepared, { digits });
        const results = join(dir, `${size.rows}x${size.cols}-${digits ?? 'full'}`);
        // Last tile first: the join does not depend on the order tiles come back in.
        for (const tile of [...prepared.tiles].reverse()) {
          const ref = await writeTileText(results, 'run-t', tile.index, outputs[tile.index], { digits });
          stitcher.add(await readTileText(ref, 'run-t'));
        }
        const { output, files } = stitcher.finish();
        expect(Object.keys(files), label).toEqual(Object.keys(whole.grids));
        for (const [name, grid] of Object.entries(whole.grids)) expect(decode(files[name]()), `${label}: ${name}`).toBe(formatAsciiGrid(grid, digits));
        expect(output.times, label).toEqual(whole.times);
        expect(output.grid, label).toEqual(whole.grid);
      }
    }
  }, 60_000);

  it('a row\'s segment is its cells joined by one space, with its length in bytes; NODATA cells print the grid\'s NODATA value', () => {
    const { text, rowBytes } = formatRows({ ncols: 3, nrows: 2, nodata: -9999, values: Float64Array.from([1.23456789, NaN, -0.5, 1e-9, 2, 100]) }, { digits: 3 });
    expect(text.toString('latin1')).toBe('1.23 -9999 -0.5' + '1e-9 2 100');
    expect(rowBytes).toEqual([15, 10]);
  });

  it('a tile of more text than one buffer chunk (8 Mi characters) comes out whole and in order', () => {
    const ncols = 1000; const nrows = 1000;
    const grid = { ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize: 1, nodata: -9999, values: Float64Array.from({ length: ncols * nrows }, (_, i) => (i % 977 === 0 ? NaN : Math.sqrt(i) / 7)) };
    const { text, rowBytes } = formatRows(grid, {});
    expect(text.length).toBeGreaterThan(2 * 2 ** 23);
    const lines = formatAsciiGrid(grid).split('\n').slice(6, -1);
    expect(rowBytes).toEqual(lines.map((l) => l.length));
    expect(text.toString('latin1')).toBe(lines.join(''));
  });

  it('cells format as the plain definition whether their text is remembered or not (few values, many, -0, NaN, ±Infinity)', () => {
    const plain = (nodata: number, digits?: number) => (v: number) => (Number.isNaN(v) ? String(nodata) : digits ? String(Number(v.toPrecision(digits))) : String(v));
    const few = Array.from({ length: 20_000 }, (_, i) => [0.5, 1, -0, 0, NaN, Infinity, -Infinity, 1e-7, 43200][i % 9]);
    // Continuous values past the memory's 4096, then few again: the memory is dropped, the text stays right.
    const many = Array.from({ length: 20_000 }, (_, i) => (i < 10_000 ? Math.sqrt(i + 0.5) * 1.2345678901 : few[i]));
    for (const values of [few, many]) {
      for (const digits of [7, 3, undefined]) {
        const remembered = asciiCellFormat(-9999, digits);
        const reference = plain(-9999, digits);
        expect(values.map(remembered)).toEqual(values.map(reference));
      }
    }
  });

  it('refuse a tile formatted in another precision (a worker of a coordinator restarted with --full-precision) and a run missing a tile', async () => {
    const prepared = prepareTiledCase(tileFixtureCase, tileFixtureGrids(), { rows: 7, cols: 9 });
    const output = await engine.landslideGrid(prepared.input, cutTile(prepared, prepared.tiles[1]));
    const ref = await writeTileText(join(dir, 'precision'), 'run-p', 1, output, { digits: 7 });
    const stitcher = new TextStitcher(prepared, {});
    const tile = await readTileText(ref, 'run-p');
    expect(() => stitcher.add(tile)).toThrow('tile 1 was formatted with 7 digits, this run writes full digits');
    const seven = new TextStitcher(prepared, { digits: 7 });
    seven.add(tile);
    expect(() => seven.finish()).toThrow(`tiles 0, 2, 3 have no result`);
  });
});
