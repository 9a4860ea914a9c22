// Running a grid ensemble's tiles (fs-grid-prob.ts) in Node: on a local pool of engine workers,
// on queue workers, or one per pod by index; the tile's products go through the shared results
// folder as binary files (tile-files.ts), never through Redis.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createNodeEngine } from '../engine-node.ts';
import { InputError } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { parseJson } from '../json.ts';
import { isRecord } from '../params.ts';
import { ENGINE_VERSION } from '../version.ts';
import { parseGridEnsembleBlock, type GridEnsembleSpec } from './fs-grid-block.ts';
import { badMemberUnion, runProbabilityTile, tilesNeedingRerun, withBadMembersExcluded, withFirstPassBad, type BadMember, type ProbabilityTile } from './fs-grid-prob.ts';
import type { TileWarning } from './fs-grid-warnings.ts';
import { readTileFile, tileFileName, writeTileFile, type TileFileRef } from './tile-files.ts';
import { onEngineWorkers, readCaseGridFiles } from './tile-run.ts';
import { prepareTiledCase, type TiledCase, type TileSize } from './tiles.ts';

export const PROBABILITY_KIND = 'fs-probability-tile';

/** A run's identity: case text and path, tile size, members and seed (a tile size "whole" for an untiled run). */
export function probabilityRunId(caseText: string, casePath: string, size: TileSize | 'whole', spec: GridEnsembleSpec): string {
  const tiles = size === 'whole' ? 'whole' : `${size.rows}x${size.cols}`;
  return createHash('sha256').update(`${ENGINE_VERSION}\0fs-probability\0${casePath}\0${tiles}\0${spec.members}\0${spec.seed}\0${caseText}`).digest('hex').slice(0, 16);
}

/** The case without its ensemble block: the deterministic case every member varies. */
export function withoutEnsemble(input: unknown): unknown {
  if (!isRecord(input)) return input;
  const { ensemble: _, ...rest } = input;
  return rest;
}

export interface ProbabilityRun { runId: string; input: unknown; grids: Record<string, Grid>; prepared: TiledCase; spec: GridEnsembleSpec }

/** Everything a run's tile needs, from the case text and its grids (CLI, queue worker and index pod alike). */
export function prepareProbabilityRun(text: string, casePath: string, value: unknown, grids: Record<string, Grid>, size: TileSize | 'whole', overrides: { members?: number; seed?: number }): ProbabilityRun {
  const spec = parseGridEnsembleBlock(isRecord(value) ? value.ensemble : undefined, overrides);
  const input = withoutEnsemble(value);
  let tile: TileSize;
  if (size === 'whole') {
    // One tile the size of the grid: the untiled ensemble is the tiled one's special case.
    const reference = prepareTiledCase(input, grids, { rows: 1, cols: 1 }).reference;
    tile = { rows: reference.nrows, cols: reference.ncols };
  } else tile = size;
  return { runId: probabilityRunId(text, casePath, size, spec), input, grids, prepared: prepareTiledCase(input, grids, tile), spec };
}

let kernelsInThisThread: Promise<unknown> | undefined;

/** A run as a queue worker loads it: from the case file's absolute path (the slope of a DEM needs the kernels here). */
export async function loadProbabilityRun(casePath: string, size: TileSize | 'whole', overrides: { members: number; seed: number }): Promise<ProbabilityRun> {
  await (kernelsInThisThread ??= createNodeEngine().ready());
  const text = await readFile(casePath, 'utf8');
  const value = parseJson(text, casePath);
  return prepareProbabilityRun(text, casePath, value, await readCaseGridFiles(withoutEnsemble(value), dirname(casePath)), size, overrides);
}

/**
 * Tiles on K engine worker threads, each taking the next index as it finishes one; tiles that missed
 * a member bad elsewhere are rerun without it (withBadMembersExcluded).
 */
export async function runProbabilityLocal(run: ProbabilityRun, workers: number): Promise<ProbabilityTile[]> {
  return withBadMembersExcluded(run.prepared.tiles.map((t) => t.index), (indices, exclude) => runProbabilityPass(run, workers, indices, exclude));
}

function runProbabilityPass(run: ProbabilityRun, workers: number, indices: number[], exclude: number[]): Promise<ProbabilityTile[]> {
  return onEngineWorkers(indices, run, workers, (engine, index) => runProbabilityTile(engine, run.prepared, index, run.spec, exclude));
}

export async function writeProbabilityTile(dir: string, runId: string, tile: ProbabilityTile): Promise<TileFileRef> {
  const atBase = tile.waterTableAtBase ? { water_table_at_base: tile.waterTableAtBase } : {};
  const warnings = tile.warnings ? { warnings: tile.warnings } : {};
  return writeTileFile(dir, PROBABILITY_KIND, runId, tile.index, { times: tile.times, failed_cells: tile.failedCells, scalars: tile.scalars, bad: tile.bad, excluded: tile.excluded, ...atBase, ...warnings }, tile.grids);
}

export async function readProbabilityTile(path: string, runId: string, index: number, sha256?: string): Promise<ProbabilityTile> {
  const { meta, grids } = await readTileFile(path, PROBABILITY_KIND, runId, index, sha256);
  const m = meta as { times: number[]; failed_cells: number[]; scalars: Record<string, number>[]; bad?: BadMember[]; excluded?: number[]; water_table_at_base?: number[]; warnings?: TileWarning[] };
  return {
    index, times: m.times, failedCells: m.failed_cells, scalars: m.scalars, bad: m.bad ?? [], excluded: m.excluded ?? [], grids,
    ...(m.water_table_at_base ? { waterTableAtBase: m.water_table_at_base } : {}), ...(m.warnings ? { warnings: m.warnings } : {}),
  };
}

/**
 * Where the reruns of a run's tiles without `exclude` go: a folder of the results folder named by
 * the members left out, so a rerun never replaces a first-pass file (a restarted queue coordinator
 * may run the first pass again, and a reduce needs both: the first pass's bad records, the rerun's
 * counts).
 */
export function rerunFolder(results: string, exclude: readonly number[]): string {
  return join(results, `without-members-${createHash('sha256').update(exclude.join(',')).digest('hex').slice(0, 12)}`);
}

/** A rerun's file: the same run and tile, with exactly `union` left out and so no bad member of its own. */
export async function readRerunTile(dir: string, runId: string, index: number, union: readonly number[], sha256?: string): Promise<ProbabilityTile> {
  const path = join(rerunFolder(dir, union), tileFileName(PROBABILITY_KIND, index));
  const tile = await readProbabilityTile(path, runId, index, sha256);
  if (tile.bad.length || tile.excluded.join(',') !== union.join(',')) {
    throw InputError.single(path, 'is not a rerun without exactly the bad members', tile.excluded.join(','), `tile ${index} rerun with members ${union.join(',')} left out`);
  }
  return tile;
}

const listed = (indices: readonly number[]) => `${indices.slice(0, 10).join(', ')}${indices.length > 10 ? `, … (${indices.length} in all)` : ''}`;

/**
 * Every tile's products from the folder the --index runs wrote, or an input error naming the
 * missing tiles. Tiles that disagree on the bad members are taken from their reruns without the
 * union (`--exclude-members`, in rerunFolder); missing reruns are refused with `rerunCommand`, the
 * exact command that makes them.
 */
export async function readProbabilityResults(dir: string, runId: string, count: number, rerunCommand: (tiles: number[], union: number[]) => string): Promise<ProbabilityTile[]> {
  let names: Set<string>;
  try {
    names = new Set(await readdir(dir));
  } catch (error) {
    throw InputError.single('--from-results', `cannot be read (${(error as NodeJS.ErrnoException).code})`, dir, 'the folder the --index runs wrote their results to');
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !names.has(tileFileName(PROBABILITY_KIND, i)));
  if (missing.length) {
    throw InputError.single('--from-results', `lacks the results of tiles ${listed(missing)}`, dir, `a result file for each of the ${count} tiles (${tileFileName(PROBABILITY_KIND, 0)} …), written by --index runs of the same case, members and seed`);
  }
  const tiles: ProbabilityTile[] = [];
  for (let i = 0; i < count; i++) tiles.push(await readProbabilityTile(join(dir, tileFileName(PROBABILITY_KIND, i)), runId, i));
  const rerun = tilesNeedingRerun(tiles);
  if (!rerun.length) return tiles;
  const union = badMemberUnion(tiles);
  let rerunNames: Set<string>;
  try { rerunNames = new Set(await readdir(rerunFolder(dir, union))); } catch { rerunNames = new Set(); }
  const absent = rerun.filter((i) => !rerunNames.has(tileFileName(PROBABILITY_KIND, i)));
  if (absent.length) {
    throw InputError.single('--from-results', `has members ${union.join(', ')} bad (non-finite FS) in some tiles only, so tiles ${listed(absent)} counted them`, dir,
      `their reruns without those members, then this reduce again: ${rerunCommand(absent, union)}`);
  }
  for (const i of rerun) tiles[i] = withFirstPassBad(tiles[i], await readRerunTile(dir, runId, i, union), union);
  return tiles;
}
