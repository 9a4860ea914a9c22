// A landslide grid too big for one machine, in tiles: the grid form's cells are independent (each
// is its own infinite slope), so a rectangle of the input grids runs alone and its output grids are
// the same numbers the undivided run gives for those cells. The one neighbourhood input, slope
// from a DEM, is taken on the whole DEM first (as models/landslide/parallel.ts does for its bands),
// so a tile's edge cells see the same neighbours as in the undivided run and no halo is needed.
// Tiles are numbered row-major over the tile grid; results are keyed by that index, and the stitch
// writes each tile's values at its place and adds its counts, so any completion order, worker count
// or retry gives the same bytes.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { gridFilesOf, type GridOutput, type GridTimeSummary } from '../landslide/grid.ts';
import { mergePartSummaries } from '../landslide/parallel.ts';
import { isRecord } from '../params.ts';
import { ENGINE_VERSION } from '../version.ts';
import type { GridHead } from './tile-files.ts';

export interface TileSize { rows: number; cols: number }
export interface Tile { index: number; row0: number; row1: number; col0: number; col1: number }

/** Largest tile side: a tile is one job, and the grid form itself stops at 32 M cells. */
export const MAX_TILE_SIDE = 100_000;

/** `--tile R` (R × R cells) or `--tile RxC`. */
export function parseTileOption(value: string | true | undefined): TileSize {
  const text = typeof value === 'string' ? value : '';
  const m = /^(\d{1,6})(?:x(\d{1,6}))?$/.exec(text);
  const rows = m ? Number(m[1]) : NaN;
  const cols = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(rows >= 1 && rows <= MAX_TILE_SIDE && cols >= 1 && cols <= MAX_TILE_SIDE)) {
    throw InputError.single('--tile', 'is not a tile size', value === true ? undefined : value, `R or RxC: rows and columns of cells per tile, each in [1, ${MAX_TILE_SIDE}], e.g. 1024 or 512x2048`);
  }
  return { rows, cols };
}

/** The tiles of an nrows × ncols grid, row-major; the last row and column of tiles may be smaller. */
export function planTiles(nrows: number, ncols: number, size: TileSize): Tile[] {
  const tiles: Tile[] = [];
  for (let row0 = 0; row0 < nrows; row0 += size.rows) {
    for (let col0 = 0; col0 < ncols; col0 += size.cols) {
      tiles.push({ index: tiles.length, row0, row1: Math.min(nrows, row0 + size.rows), col0, col1: Math.min(ncols, col0 + size.cols) });
    }
  }
  return tiles;
}

const DEM_SLOPE = 'slope from elevation_m';

/** The case as every tile runs it: grid files by name, with a DEM already turned into slope. */
export interface TiledCase {
  input: Record<string, unknown>;
  files: Record<string, Grid>;
  /** The grid whose size tiles are cut from (the first the case names). */
  reference: Grid;
  tiles: Tile[];
}

export function prepareTiledCase(input: unknown, grids: Record<string, Grid>, size: TileSize): TiledCase {
  if (!isRecord(input) || !isRecord(input.grid)) {
    throw InputError.single('$.grid', 'is required for --tile', undefined, 'the grid form of the case (cell parameters as grid files): only a grid can be cut into tiles');
  }
  let caseInput: Record<string, unknown> = input;
  let files = grids;
  if (typeof input.grid.elevation_m === 'string' && input.grid.slope_deg === undefined && grids[input.grid.elevation_m]) {
    const dem = grids[input.grid.elevation_m];
    const { elevation_m: _, ...rest } = input.grid;
    caseInput = { ...input, grid: { ...rest, slope_deg: DEM_SLOPE } };
    files = { ...grids, [DEM_SLOPE]: { ...dem, values: slopeAspect(dem).slopeDeg } };
  }
  const reference = Object.values(files)[0];
  if (!reference) throw InputError.single('$.grid', 'names no grid file', undefined, 'at least one cell parameter given as a grid file (e.g. "slope_deg": "slope.asc"): only a grid can be cut into tiles');
  return { input: caseInput, files, reference, tiles: planTiles(reference.nrows, reference.ncols, size) };
}


/** The grids the prepared case reads: a DEM, once turned into slope, is not among them, so no tile carries it. */
export function gridsRead(prepared: TiledCase): string[] {
  return [...new Set(gridFilesOf(prepared.input).map((f) => f.fileName))].filter((name) => prepared.files[name]);
}

/** Whether grid `g` is cut into tiles: those the size of the reference are; others, if any, go whole (the engine then names the mismatch). */
export const isCut = (prepared: TiledCase, g: Pick<Grid, 'nrows' | 'ncols'>) => g.nrows === prepared.reference.nrows && g.ncols === prepared.reference.ncols;

/** Grid `g`'s head as the tile's rectangle of it has it. */
export function tileHead(prepared: TiledCase, g: GridHead, tile: Tile): GridHead {
  if (!isCut(prepared, g)) return g;
  return {
    ...g, ncols: tile.col1 - tile.col0, nrows: tile.row1 - tile.row0,
    xllcorner: g.xllcorner + tile.col0 * g.cellsize,
    yllcorner: g.yllcorner + (g.nrows - tile.row1) * g.cellsize,
  };
}

/** The reference grid's head (no values: drawn grids take only its size and place) as tile `tile` has it. */
export function referenceTileHead(prepared: TiledCase, tile: Tile): GridHead {
  const { values: _, ...head } = prepared.reference;
  return tileHead(prepared, head, tile);
}

/** Copies the tile's rectangle of `values` (a grid `ncols` wide), row by row, into `into`. */
export function cutRows(values: Float64Array, ncols: number, tile: Tile, into: Float64Array): void {
  const cols = tile.col1 - tile.col0;
  for (let r = tile.row0; r < tile.row1; r++) {
    const from = r * ncols + tile.col0;
    into.set(values.subarray(from, from + cols), (r - tile.row0) * cols);
  }
}

/** The tile's rectangle of every grid the case reads (gridsRead) the size of the reference; the others whole. */
export function cutTile(prepared: TiledCase, tile: Tile): Record<string, Grid> {
  const cut = (g: Grid): Grid => {
    if (!isCut(prepared, g)) return g;
    const values = new Float64Array((tile.row1 - tile.row0) * (tile.col1 - tile.col0));
    cutRows(g.values, g.ncols, tile, values);
    return { ...tileHead(prepared, g, tile), values };
  };
  return Object.fromEntries(gridsRead(prepared).map((name) => [name, cut(prepared.files[name])]));
}

/** A run's identity: the same case text, case path and tile size make the same job ids and result files. */
export function tiledRunId(caseText: string, casePath: string, size: TileSize): string {
  return createHash('sha256').update(`${ENGINE_VERSION}\0tiles\0${casePath}\0${size.rows}x${size.cols}\0${caseText}`).digest('hex').slice(0, 16);
}

/** A tile's output as plain JSON (it crosses Redis and the shared folder): every double's 8 bytes, base64. */
export interface EncodedTile {
  index: number;
  grid: GridOutput['grid'];
  times: GridTimeSummary[];
  warnings: string[];
  /** Every double's bytes as base64, or the values themselves once read back from a results folder. */
  grids: Record<string, { nodata: number; cellsize: number; f64: string | Float64Array }>;
}

export function encodeTile(index: number, output: GridOutput): EncodedTile {
  const grids = Object.fromEntries(Object.entries(output.grids).map(([name, g]) => {
    const bytes = Buffer.from(g.values.buffer, g.values.byteOffset, g.values.byteLength);
    return [name, { nodata: g.nodata, cellsize: g.cellsize, f64: bytes.toString('base64') }];
  }));
  return { index, grid: output.grid, times: output.times, warnings: output.warnings, grids };
}

export function decodeValues(f64: string | Float64Array): Float64Array {
  if (typeof f64 !== 'string') return f64;
  const bytes = Buffer.from(f64, 'base64');
  // A copy into a fresh, aligned buffer: a Buffer may sit at any offset of Node's pool.
  const values = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

/**
 * The undivided run's output from its tiles' (given in any order, one per index). Grids: each
 * tile's values at its rectangle. Summaries: counts add, the lowest FS is the lowest of the
 * tiles' lowest (a min does not depend on the order it is taken in), as models/landslide/parallel.ts
 * combines its bands.
 */
export function stitchTiles(prepared: TiledCase, encoded: readonly EncodedTile[]): GridOutput {
  const stitcher = new TileStitcher(prepared);
  for (const tile of encoded) stitcher.add(tile);
  return stitcher.finish();
}

/**
 * stitchTiles a tile at a time, as tiles arrive (a queue coordinator places each while the others
 * still run, and lets its arrays go). A tile added twice (a retried job) writes the same values
 * at the same place; the summaries are merged in index order at the end.
 */
/** Tile `index` of the run, refused if the run has no such tile (a result of another tiling). */
export function tileOf(prepared: TiledCase, index: number): Tile {
  const at = prepared.tiles[index];
  if (!at) throw new Error(`tile ${index} is not a tile of this run (it has ${prepared.tiles.length})`);
  return at;
}

/**
 * Copies tile `index`'s row-major `part` of grid `name` into the whole grid in `grids`, made at its
 * first tile with the reference's extent. Both stitchers (deterministic and probability) place by it.
 */
export function placeTilePart(prepared: TiledCase, grids: Record<string, Grid>, index: number, name: string, part: Float64Array, cell: { cellsize: number; nodata: number }): void {
  const { reference } = prepared;
  const { ncols, nrows } = reference;
  const at = tileOf(prepared, index);
  const cols = at.col1 - at.col0;
  grids[name] ??= { ncols, nrows, xllcorner: reference.xllcorner, yllcorner: reference.yllcorner, cellsize: cell.cellsize, nodata: cell.nodata, values: new Float64Array(ncols * nrows) };
  const { values } = grids[name];
  for (let r = at.row0; r < at.row1; r++) values.set(part.subarray((r - at.row0) * cols, (r - at.row0 + 1) * cols), r * ncols + at.col0);
}

/** Refuses a stitch that lacks some tile's result. */
export function requireEveryTile(prepared: TiledCase, has: (index: number) => boolean): void {
  const missing = prepared.tiles.filter((t) => !has(t.index)).map((t) => t.index);
  if (missing.length) throw new Error(`tiles ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} have no result`);
}

export class TileStitcher {
  private readonly grids: Record<string, Grid> = {};
  private readonly summaries = new Map<number, Omit<EncodedTile, 'grids'>>();

  constructor(private readonly prepared: TiledCase) {}

  add(tile: EncodedTile): void {
    tileOf(this.prepared, tile.index);
    for (const [name, head] of Object.entries(tile.grids)) placeTilePart(this.prepared, this.grids, tile.index, name, decodeValues(head.f64), head);
    const { grids: _, ...summary } = tile;
    this.summaries.set(tile.index, summary);
  }

  finish(): GridOutput {
    const { reference, tiles } = this.prepared;
    requireEveryTile(this.prepared, (index) => this.summaries.has(index));
    const { grid, times, warnings } = mergePartSummaries(tiles.map((t) => this.summaries.get(t.index)!), reference.ncols, reference.nrows);
    return { grid, times, grids: this.grids, warnings };
  }
}
