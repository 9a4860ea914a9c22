// A queue tile's output grids as ESRI ASCII text, formatted by the worker that ran the tile: the
// coordinator then only copies bytes. Formatting the stitched grids was the coordinator's largest
// cost by far (5 output grids of 10 M cells: 13.2 of its 17.2 s of CPU, serial, after the last
// tile; benchmarks/ensemble/tiles-coordinator.ts), and on a queue it is spread over the workers.
// A cell's text depends on its value alone (models/grid/ascii.ts, asciiCellFormat), so a row of
// the whole grid is its tiles' row segments joined by one space, and the file is the undivided
// run's, byte for byte. Rows are variable-length text: a row's place in the file is known only
// once every tile to its left and above has come back, so the coordinator keeps each tile's text
// (≈ 5.8 bytes a cell at 7 digits on the benchmark's grids, 9.4 at full precision; doubles are 8)
// and writes every file once at the end, each row a copy of its segments into the file's buffer
// (≈ 0.05 s per 100 MB) — not positioned writes as tiles arrive.
import { asciiCellFormat, asciiGridHeader, type Grid } from '../grid/ascii.ts';
import type { GridOutput, GridTimeSummary } from '../landslide/grid.ts';
import { mergePartSummaries } from '../landslide/parallel.ts';
import { readTileFile, writeTileFile, type TileFileRef } from './tile-files.ts';
import { requireEveryTile, tileOf, type TiledCase } from './tiles.ts';

/** How the output grids are written: significant digits per value (undefined: shortest round-trip, `--full-precision`). */
export interface AsciiFormat { digits?: number }

/** A grid's rows as text, each row's cells joined by one space, rows back to back, and each row's length in bytes. */
export function formatRows(grid: Pick<Grid, 'ncols' | 'nrows' | 'nodata' | 'values'>, format: AsciiFormat): { text: Buffer; rowBytes: number[] } {
  const cell = asciiCellFormat(grid.nodata, format.digits);
  const rowBytes: number[] = [];
  const cells: string[] = new Array(grid.ncols);
  // Rows go into buffers a few MB at a time: a big tile at full precision is more text than one V8 string holds (2^29 characters).
  const chunks: Buffer[] = [];
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => { chunks.push(Buffer.from(pending.join(''), 'latin1')); pending = []; pendingLength = 0; };
  for (let r = 0; r < grid.nrows; r++) {
    for (let c = 0; c < grid.ncols; c++) cells[c] = cell(grid.values[r * grid.ncols + c]);
    const row = cells.join(' ');
    pending.push(row);
    pendingLength += row.length;
    // Digits, signs, dots, exponents, "Infinity": one byte a character.
    rowBytes.push(row.length);
    if (pendingLength >= 1 << 23) flush();
  }
  flush();
  return { text: Buffer.concat(chunks), rowBytes };
}

interface TextMeta {
  index: number; format: AsciiFormat; grid: GridOutput['grid']; times: GridTimeSummary[]; warnings: string[];
  heads: Record<string, { nodata: number; cellsize: number; rowBytes: number[] }>;
}

/** A tile's output grids, formatted, into `dir` as a `tile-text` file; its summary in the header. */
export function writeTileText(dir: string, runId: string, index: number, output: GridOutput, format: AsciiFormat): Promise<TileFileRef> {
  const heads: TextMeta['heads'] = {};
  const texts: Record<string, Buffer> = {};
  for (const [name, g] of Object.entries(output.grids)) {
    const { text, rowBytes } = formatRows(g, format);
    heads[name] = { nodata: g.nodata, cellsize: g.cellsize, rowBytes };
    texts[name] = text;
  }
  const meta: TextMeta = { index, format: { ...(format.digits === undefined ? {} : { digits: format.digits }) }, grid: output.grid, times: output.times, warnings: output.warnings, heads };
  return writeTileFile(dir, 'tile-text', runId, index, meta, texts);
}

interface TileText { meta: TextMeta; bytes: Record<string, Uint8Array> }

/** A worker's formatted tile, its hash checked against the one its job returned. */
export async function readTileText(ref: TileFileRef, runId: string): Promise<TileText> {
  const { meta, bytes } = await readTileFile(ref.path, 'tile-text', runId, ref.index, ref.sha256);
  return { meta: meta as TextMeta, bytes };
}

/**
 * The undivided run's output files from formatted tiles, given as they arrive (any order; a tile
 * added twice, a retried job, replaces itself with the same bytes). `finish` gives the summary
 * and, per grid, a function that builds its file (one at a time: only one file's buffer is held).
 */
export class TextStitcher {
  private readonly tiles = new Map<number, TileText>();

  constructor(private readonly prepared: TiledCase, private readonly format: AsciiFormat) {}

  add(tile: TileText): void {
    tileOf(this.prepared, tile.meta.index);
    if (tile.meta.format?.digits !== this.format.digits) throw new Error(`tile ${tile.meta.index} was formatted with ${tile.meta.format?.digits ?? 'full'} digits, this run writes ${this.format.digits ?? 'full'} digits`);
    this.tiles.set(tile.meta.index, tile);
  }

  finish(): { output: GridOutput; files: Record<string, () => Uint8Array> } {
    const { reference, tiles } = this.prepared;
    requireEveryTile(this.prepared, (index) => this.tiles.has(index));
    const ordered = tiles.map((t) => this.tiles.get(t.index)!);
    const { grid, times, warnings } = mergePartSummaries(ordered.map((t) => t.meta), reference.ncols, reference.nrows);
    const names = Object.keys(ordered[0].meta.heads);
    for (const t of ordered) {
      const missing = names.find((n) => !t.bytes[n]);
      if (missing) throw new Error(`tile ${t.meta.index} has no ${missing}: its worker wrote other grids than tile ${ordered[0].meta.index}'s`);
    }
    const files = Object.fromEntries(names.map((name) => [name, () => this.file(name, ordered)]));
    return { output: { grid, times, grids: {}, warnings }, files };
  }

  /** Grid `name`'s file: formatAsciiGrid's header (the stitched grid's extent, as placeTilePart gives it), then every row. */
  private file(name: string, ordered: readonly TileText[]): Uint8Array {
    const { reference, tiles } = this.prepared;
    const { nodata, cellsize } = ordered[0].meta.heads[name];
    const header = Buffer.from(asciiGridHeader({ ...reference, cellsize, nodata }), 'latin1');
    // Each tile's row segments start where the rows before them end.
    const starts = ordered.map((t) => {
      const rowBytes = t.meta.heads[name].rowBytes;
      const at = new Array<number>(rowBytes.length);
      let sum = 0;
      for (let r = 0; r < rowBytes.length; r++) { at[r] = sum; sum += rowBytes[r]; }
      return at;
    });
    let total = header.length;
    for (const t of ordered) for (const n of t.meta.heads[name].rowBytes) total += n;
    // Per row: a space between tiles of one tile row, a newline at its end.
    const tileCols = tiles.filter((t) => t.row0 === 0).length;
    total += reference.nrows * tileCols;
    const file = Buffer.allocUnsafe(total);
    header.copy(file, 0);
    let at = header.length;
    const SPACE = 0x20; const NEWLINE = 0x0a;
    for (let first = 0; first < tiles.length; first += tileCols) {
      const band = tiles[first];
      for (let r = 0; r < band.row1 - band.row0; r++) {
        for (let k = 0; k < tileCols; k++) {
          const t = ordered[first + k];
          const from = starts[first + k][r];
          const length = t.meta.heads[name].rowBytes[r];
          file.set(t.bytes[name].subarray(from, from + length), at);
          at += length;
          file[at++] = k === tileCols - 1 ? NEWLINE : SPACE;
        }
      }
    }
    if (at !== total) throw new Error(`${name}: the stitched file came out ${at} bytes, ${total} expected`);
    return file;
  }
}
