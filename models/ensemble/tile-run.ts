// Running tiles of a landslide grid case (tiles.ts) in Node: on a local pool of engine workers,
// one at a time on a queue worker, or one by index for a Kubernetes Indexed Job. Every path runs a
// tile the same way (cutTile → the engine's grid form → encodeTile), so its bytes do not depend on
// where it ran.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as Comlink from 'comlink';
import { createNodeEngine, spawnEngineWorker, type EngineWorker } from '../engine-node.ts';
import { gridBuffers } from '../engine-transfer.ts';
import { InputError } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { readGridFile } from '../grid/node.ts';
import { parseJson } from '../json.ts';
import { gridFilesOf, type GridOutput } from '../landslide/grid.ts';
import { cutTile, encodeTile, prepareTiledCase, tiledRunId, type EncodedTile, type TiledCase, type TileSize } from './tiles.ts';

export interface GridRunner {
  landslideGrid(input: unknown, grids: Record<string, Grid>): Promise<GridOutput>;
}

/** The grid files a case names, each read once (relative names against the case's folder). */
export async function readCaseGridFiles(input: unknown, baseDir: string): Promise<Record<string, Grid>> {
  const grids: Record<string, Grid> = {};
  for (const { fileName, path } of gridFilesOf(input)) grids[fileName] ??= await readGridFile(fileName, baseDir, path);
  return grids;
}

/** A tiled run as a queue worker or an index pod loads it: from the case file's absolute path. */
export interface LoadedTiledRun { runId: string; input: unknown; grids: Record<string, Grid>; prepared: TiledCase }

let kernelsInThisThread: Promise<unknown> | undefined;

export async function loadTiledRun(casePath: string, size: TileSize): Promise<LoadedTiledRun> {
  // A DEM's slope is computed whole, here, by the wasm terrain kernel: a queue worker's or an index
  // pod's own thread must have the kernels loaded (once) before prepareTiledCase asks for them.
  await (kernelsInThisThread ??= createNodeEngine().ready());
  const text = await readFile(casePath, 'utf8');
  const input = parseJson(text, casePath);
  const grids = await readCaseGridFiles(input, dirname(casePath));
  return { runId: tiledRunId(text, casePath, size), input, grids, prepared: prepareTiledCase(input, grids, size) };
}

export async function runTile(runner: GridRunner, prepared: TiledCase, index: number): Promise<EncodedTile> {
  const part = cutTile(prepared, prepared.tiles[index]);
  const owned = Object.entries(part).filter(([name]) => part[name] !== prepared.files[name]).map(([, g]) => g);
  return encodeTile(index, await runner.landslideGrid(prepared.input, Comlink.transfer(part, gridBuffers(owned))));
}

/**
 * A tile refused its input: the whole case on one engine gives the error an undivided run gives
 * (rows of the files, not of a tile). Should the whole case run, the tile's own error stands.
 */
export async function wholeCaseError(runner: GridRunner, input: unknown, grids: Record<string, Grid>, tileError: unknown): Promise<never> {
  await runner.landslideGrid(input, grids);
  throw tileError;
}

/** Tiles on K engine worker threads, each taking the next index as it finishes one. */
export function runTilesLocal(prepared: TiledCase, original: { input: unknown; grids: Record<string, Grid> }, workers: number, onResult?: (tile: EncodedTile) => void): Promise<EncodedTile[]> {
  return onEngineWorkers(prepared.tiles.map((t) => t.index), original, workers, async (engine, index) => {
    const tile = await runTile(engine, prepared, index);
    onResult?.(tile);
    return tile;
  });
}

/**
 * Jobs by index on K engine worker threads, each taking the next index as it finishes one; the
 * results in completion order. A tile's refused input is reported as the whole case reports it.
 */
export async function onEngineWorkers<T>(indices: number[], original: { input: unknown; grids: Record<string, Grid> }, workers: number, runOne: (engine: EngineWorker['engine'], index: number) => Promise<T>): Promise<T[]> {
  const pending = [...indices];
  const pool: EngineWorker[] = Array.from({ length: Math.max(1, Math.min(workers, pending.length)) }, () => spawnEngineWorker());
  const results: T[] = [];
  try {
    await Promise.all(pool.map(async (w) => {
      for (let index = pending.shift(); index !== undefined; index = pending.shift()) results.push(await runOne(w.engine, index));
    }));
  } catch (error) {
    pending.length = 0;
    if (error instanceof InputError) await wholeCaseError(pool[0].engine, original.input, original.grids, error);
    throw error;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
