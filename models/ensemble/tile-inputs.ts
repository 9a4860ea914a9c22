// A queue tile's own inputs, cut by the coordinator into the shared results folder. Without them,
// every queue worker read and parsed the case's whole ASCII grids before its first tile: on the
// 10 M-cell benchmark ≈ 6 s of CPU per worker process, duplicated by each worker and serial before
// any tile ran, which made the queue's 2-worker speedup 1.58× where the local pool's is 1.80×. The
// coordinator has the parsed grids (it needs them for the stitch), so it writes each tile's
// rectangle once, as a binary tile file (tile-files.ts: SHA-256 checked), and a worker reads only
// its tile's bytes: no ASCII parse, no kernels in its main thread, memory for one tile.
// A tile's output goes back the same way, its doubles written straight from the engine's arrays.
import * as Comlink from 'comlink';
import { gridBuffers } from '../engine-transfer.ts';
import type { Grid } from '../grid/ascii.ts';
import type { GridOutput } from '../landslide/grid.ts';
import { joinGrids, readTileFile, writeTileFile, type GridHead, type TileFileRef, type TileSection } from './tile-files.ts';
import { cutRows, gridsRead, isCut, tileHead, type TiledCase } from './tiles.ts';
import type { GridRunner } from './tile-run.ts';

interface TileInputMeta { input: unknown; heads: Record<string, GridHead> }

/**
 * Tile `index`'s rectangle of every grid the case reads (as cutTile gives it) and the case, into
 * `dir`: each row copied once, from the whole grid straight into the file (no tile-sized array in between).
 */
export function writeTileInput(dir: string, runId: string, prepared: TiledCase, index: number): Promise<TileFileRef> {
  return writeTileFile(dir, 'tile-input', runId, index, ...tileInputSections(prepared, index));
}

/** The input file's meta and sections: what cutTile gives, each cut grid's rows filled into the file in place. */
export function tileInputSections(prepared: TiledCase, index: number): [TileInputMeta, Record<string, TileSection>] {
  const tile = prepared.tiles[index];
  const heads: Record<string, GridHead> = {};
  const sections: Record<string, TileSection> = {};
  for (const name of gridsRead(prepared)) {
    const { values, ...head } = prepared.files[name];
    heads[name] = tileHead(prepared, head, tile);
    sections[name] = !isCut(prepared, head) ? values : { doubles: heads[name].nrows * heads[name].ncols, fill: (into: Float64Array) => cutRows(values, head.ncols, tile, into) };
  }
  return [{ input: prepared.input, heads }, sections];
}

/** A tile's input as the coordinator cut it (its SHA-256 checked), run on `runner`. */
export async function runTileInput(runner: GridRunner, ref: TileFileRef, runId: string): Promise<GridOutput> {
  const { meta, grids: values } = await readTileFile(ref.path, 'tile-input', runId, ref.index, ref.sha256);
  const { input, heads } = meta as TileInputMeta;
  const grids = joinGrids(heads, values);
  return runner.landslideGrid(input, Comlink.transfer(grids, gridBuffers(Object.values(grids))));
}

/** A tile's output grids into `dir`, in the form readEncodedTile (tile-queue.ts) reads back: every tile file of kind `tile` is written here. */
export function writeTileOutput(dir: string, runId: string, index: number, output: Pick<GridOutput, 'grid' | 'times' | 'warnings'> & { grids: Record<string, Pick<Grid, 'nodata' | 'cellsize' | 'values'>> }): Promise<TileFileRef> {
  const heads = Object.fromEntries(Object.entries(output.grids).map(([name, g]) => [name, { nodata: g.nodata, cellsize: g.cellsize }]));
  const values = Object.fromEntries(Object.entries(output.grids).map(([name, g]) => [name, g.values]));
  return writeTileFile(dir, 'tile', runId, index, { index, grid: output.grid, times: output.times, warnings: output.warnings, heads }, values);
}
