// P(FS < 1) per cell of a big landslide grid, tile by tile: one job is one tile × every member
// (cells are independent, so a tile needs nothing from its neighbours and memory stays one tile's
// counts, whatever the member count). Per cell the tile keeps integer counts only: members whose
// FS fell below 1 at output time j, and members whose FIRST such time was j. The products are read
// off those counts exactly: P = count / members, and the first-failure quantiles by nearest rank
// over the members' first-failure times with "never" as +∞ (models/ensemble/reduce.ts's rule) —
// first-failure times are output times, so the counts per time are the sorted member values.
// Stitching places each tile's grids at its rectangle and adds the per-member cell counts.
import { InputError } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { gridFilesOf, type GridOutput } from '../landslide/grid.ts';
import { QUANTILES } from './reduce.ts';
import type { GridEnsembleSpec } from './fs-grid-block.ts';
import { drawnGridName, memberTileCase, perturbationPath, type TileOrigin } from './fs-grid-members.ts';
import { ensembleWarnings } from './member-warnings.ts';
import { gridMemberWarnings, TileWarningRecorder, type TileWarning } from './fs-grid-warnings.ts';
import type { GridRunner } from './tile-run.ts';
import { cutTile, placeTilePart, requireEveryTile, referenceTileHead, tileOf, type Tile, type TiledCase } from './tiles.ts';

export interface ProbabilityTile {
  index: number;
  /** Output times, s. */
  times: number[];
  /** Per member: cells of this tile whose FS fell below 1 at some output time. */
  failedCells: number[];
  /** Per member: what it drew once for all cells (empty without per-member perturbations). */
  scalars: Record<string, number>[];
  /** This tile's product grids, by output file name, row-major over the tile. */
  grids: Record<string, Float64Array>;
  /** Members whose FS was not finite on a cell of this tile that the deterministic case computes. */
  bad: BadMember[];
  /** Members left out of the counts without being run (bad in another tile). */
  excluded: number[];
  /** With a drawn soil depth, per member: cells whose water table was raised to the drawn base (fs-grid-members.ts). */
  waterTableAtBase?: number[];
  /** The model lines the members wrote on this tile, with who wrote each (bad members too; none when no member warned). */
  warnings?: TileWarning[];
}

/** A member left out of every product: where (global row/col) and why its run went wrong. */
export interface BadMember { member: number; row: number; col: number; problem: string }

/**
 * Tile-local "(row r, col c)" in an input error's paths, as the whole grid's row and column; a
 * drawn grid's cell as the perturbation's JSON path (the user wrote no such grid).
 */
function globalCellError(error: InputError, origin: { row0: number; col0: number }): InputError {
  const drawn = drawnGridName('');
  return new InputError(error.problems.map((p) => ({
    ...p,
    path: p.path.replace(/\(row (\d+), col (\d+)\)$/, (_, r: string, c: string) => `(row ${Number(r) + origin.row0}, col ${Number(c) + origin.col0})`)
      .replace(new RegExp(`^${drawn}(\\w+)`), (_, field: string) => perturbationPath(field)),
  })));
}

const label = (percent: number) => String(percent).padStart(2, '0');
export const quantileGridName = (percent: number) => `first_failure_t_s_q${label(percent)}.asc`;
export const timeGridName = (t: number) => `p_fs_below_1_t${t}.asc`;
export const P_GRID = 'p_fs_below_1.asc';

/** The products of one tile from its per-cell counts (members N, T output times). */
export function tileProducts(times: readonly number[], members: number, noData: Uint8Array, below: Uint32Array, firstAt: Uint32Array): Record<string, Float64Array> {
  const n = noData.length;
  const T = times.length;
  const p = new Float64Array(n);
  const quantiles = QUANTILES.map(() => new Float64Array(n));
  const perTime = times.map(() => new Float64Array(n));
  const ranks = QUANTILES.map((q) => Math.max(1, Math.ceil((q / 100) * members)));
  for (let i = 0; i < n; i++) {
    if (noData[i]) {
      p[i] = NaN;
      for (const g of quantiles) g[i] = NaN;
      for (const g of perTime) g[i] = NaN;
      continue;
    }
    let failed = 0;
    for (let j = 0; j < T; j++) { failed += firstAt[i * T + j]; perTime[j][i] = below[i * T + j] / members; }
    p[i] = failed / members;
    ranks.forEach((rank, k) => {
      // The rank-th smallest first-failure time; past the failed members it is "never" (NODATA).
      let cumulative = 0;
      let value = NaN;
      for (let j = 0; j < T; j++) {
        cumulative += firstAt[i * T + j];
        if (cumulative >= rank) { value = times[j]; break; }
      }
      quantiles[k][i] = value;
    });
  }
  return {
    [P_GRID]: p,
    ...Object.fromEntries(QUANTILES.map((q, k) => [quantileGridName(q), quantiles[k]])),
    ...Object.fromEntries(times.map((t, j) => [timeGridName(t), perTime[j]])),
  };
}

/**
 * Runs every member on one tile (on `runner`, an engine or an engine worker) and reduces it to its
 * counts' products. A member whose FS is not finite on a cell the deterministic case computes is
 * numerical trouble, not NODATA: it is recorded as bad and left out of the counts, as are the
 * `exclude`d members (bad in another tile), so every tile divides by the same good members.
 */
export async function runProbabilityTile(runner: GridRunner, prepared: TiledCase, index: number, spec: GridEnsembleSpec, exclude: readonly number[] = []): Promise<ProbabilityTile> {
  return runProbabilityTileCase(runner, probabilityTileCase(prepared, index), spec, exclude);
}

/**
 * What one tile's members need, and nothing of the rest of the grid: the case, the tile's own
 * grids, and where the tile sits (draws are keyed by global cell, so the same cell draws the same
 * value whatever tile holds it). A queue coordinator writes this to a file (fs-grid-inputs.ts).
 */
export interface ProbabilityTileCase {
  input: Record<string, unknown>;
  grids: Record<string, Grid>;
  /** The tile's size and georeference, which drawn grids take (the reference grid's head: its values may not be among `grids`). */
  reference: Omit<Grid, 'values'>;
  tile: Tile;
  /** The whole grid's width: a cell's global index is row × ncols + col. */
  ncols: number;
}

export function probabilityTileCase(prepared: TiledCase, index: number): ProbabilityTileCase {
  const tile = prepared.tiles[index];
  return { input: prepared.input, grids: cutTile(prepared, tile), reference: referenceTileHead(prepared, tile), tile, ncols: prepared.reference.ncols };
}

export async function runProbabilityTileCase(runner: GridRunner, tileCase: ProbabilityTileCase, spec: GridEnsembleSpec, exclude: readonly number[] = []): Promise<ProbabilityTile> {
  const { tile, grids, reference } = tileCase;
  const index = tile.index;
  const origin: TileOrigin = { row0: tile.row0, col0: tile.col0, ncols: tileCase.ncols };
  const { input } = tileCase;
  const cols = tile.col1 - tile.col0;
  const n = (tile.row1 - tile.row0) * cols;
  const run = async (m: number, memberSpec: GridEnsembleSpec) => {
    const member = memberTileCase(input, grids, reference, origin, memberSpec, m);
    // Only the grids this member's case names cross to the engine (a DEM, once turned into slope, stays behind).
    const all = { ...grids, ...member.drawn };
    const named = Object.fromEntries(gridFilesOf(member.input).map(({ fileName }) => [fileName, all[fileName]]));
    try {
      return { member, output: await runner.landslideGrid(member.input, named) };
    } catch (error) {
      throw error instanceof InputError ? globalCellError(error, tile) : error;
    }
  };
  // The deterministic case says which cells are NODATA (holes, flat cells): the same in every member.
  const deterministic = (await run(0, { ...spec, perturbations: [] })).output;
  const times = deterministic.times.map((t) => t.t_s);
  const T = times.length;
  const noData = new Uint8Array(n);
  for (const t of times) deterministic.grids[`fs_min_t${t}.asc`].values.forEach((v, i) => { if (!Number.isFinite(v)) noData[i] = 1; });
  const below = new Uint32Array(n * T);
  const firstAt = new Uint32Array(n * T);
  const failedCells: number[] = [];
  const scalars: Record<string, number>[] = [];
  const bad: BadMember[] = [];
  const atBase: number[] = [];
  const warned = new TileWarningRecorder();
  const excluded = new Set(exclude);
  for (let m = 0; m < spec.members; m++) {
    if (excluded.has(m)) {
      const member = memberTileCase(input, grids, reference, origin, spec, m);
      scalars.push(member.scalars);
      if (member.waterTableAtBase !== undefined) atBase.push(member.waterTableAtBase);
      failedCells.push(0);
      continue;
    }
    const { member, output } = await run(m, spec);
    warned.add(m, output.warnings);
    injectedFsFaults(m, tile, output);
    scalars.push(member.scalars);
    if (member.waterTableAtBase !== undefined) atBase.push(member.waterTableAtBase);
    const fs = times.map((t) => output.grids[`fs_min_t${t}.asc`].values);
    let trouble: BadMember | undefined;
    for (let i = 0; i < n && !trouble; i++) {
      if (noData[i]) continue;
      for (let j = 0; j < T; j++) {
        if (Number.isFinite(fs[j][i])) continue;
        const row = tile.row0 + Math.floor(i / cols);
        const col = tile.col0 + (i % cols);
        trouble = { member: m, row, col, problem: `FS is ${fs[j][i]} at row ${row}, col ${col}, t = ${times[j]} s, a cell the deterministic case computes` };
        break;
      }
    }
    if (trouble) { bad.push(trouble); failedCells.push(0); continue; }
    let failed = 0;
    for (let i = 0; i < n; i++) {
      if (noData[i]) continue;
      let first = -1;
      for (let j = 0; j < T; j++) {
        if (fs[j][i] < 1) { below[i * T + j]++; if (first < 0) first = j; }
      }
      if (first >= 0) { firstAt[i * T + first]++; failed++; }
    }
    failedCells.push(failed);
  }
  const good = spec.members - excluded.size - bad.length;
  const warnings = warned.finish();
  return {
    index, times, failedCells, scalars, bad, excluded: [...excluded].sort((a, b) => a - b), grids: tileProducts(times, good, noData, below, firstAt),
    ...(atBase.length ? { waterTableAtBase: atBase } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

let faults: { member: number; row: number; col: number }[] | undefined;

/**
 * Fault injection for the tests of the paths a bad member takes through separate processes (queue
 * workers, index pods), where no test can swap the engine: SANDTABLE_FAULT_FS_NAN="m:r:c,…" makes
 * member m's FS NaN at global cell (r, c) at the last output time, as a numerical failure would.
 */
function injectedFsFaults(member: number, tile: { row0: number; row1: number; col0: number; col1: number }, output: GridOutput): void {
  faults ??= (globalThis.process?.env.SANDTABLE_FAULT_FS_NAN ?? '').split(',').filter(Boolean).map((f) => {
    const [m, row, col] = f.split(':').map(Number);
    return { member: m, row, col };
  });
  for (const f of faults) {
    if (f.member !== member || f.row < tile.row0 || f.row >= tile.row1 || f.col < tile.col0 || f.col >= tile.col1) continue;
    output.grids[`fs_min_t${output.times.at(-1)!.t_s}.asc`].values[(f.row - tile.row0) * (tile.col1 - tile.col0) + f.col - tile.col0] = NaN;
  }
}

/** The members bad in any tile: every tile must leave them all out for its counts to be stitched. */
export function badMemberUnion(results: readonly ProbabilityTile[]): number[] {
  return [...new Set(results.flatMap((r) => r.bad.map((b) => b.member)))].sort((a, b) => a - b);
}

/**
 * Every tile's result over the same good members: `pass` runs the given tiles with the given members
 * excluded. Bad members are rare, so after the first pass only the tiles that did not see all of
 * them are rerun with the union excluded (keeping the bad records they found).
 */
export async function withBadMembersExcluded(indices: number[], pass: (indices: number[], exclude: number[]) => Promise<ProbabilityTile[]>): Promise<ProbabilityTile[]> {
  const first = await pass(indices, []);
  const rerun = tilesNeedingRerun(first);
  if (!rerun.length) return first;
  const union = badMemberUnion(first);
  const again = new Map((await pass(rerun, union)).map((t) => [t.index, t]));
  return first.map((t) => {
    const redone = again.get(t.index);
    return redone ? withFirstPassBad(t, redone, union) : t;
  });
}

/**
 * A tile's rerun (every member of `union` skipped, so it found no bad member) with its first pass's
 * bad records: the union's members this tile did not find bad are the ones it excluded. This is the
 * tile a run that knew the union from the start would have given.
 */
export function withFirstPassBad(first: ProbabilityTile, redone: ProbabilityTile, union: readonly number[]): ProbabilityTile {
  // The first pass ran every member, so its warnings are every member's; the rerun's lack the union's.
  return { ...redone, bad: first.bad, excluded: union.filter((m) => !first.bad.some((b) => b.member === m)), warnings: first.warnings };
}

/** Tiles whose counts do not leave out exactly the union's members: they need a rerun excluding it. */
export function tilesNeedingRerun(results: readonly ProbabilityTile[]): number[] {
  const union = badMemberUnion(results).join(',');
  return results.filter((r) => [...new Set([...r.excluded, ...r.bad.map((b) => b.member)])].sort((a, b) => a - b).join(',') !== union).map((r) => r.index).sort((a, b) => a - b);
}

export interface ProbabilityProducts {
  times: number[];
  grids: Record<string, Grid>;
  /** Per member: cells of the whole grid that failed, the member's per-member draws, and why it was left out if it was. */
  members: { failedCells: number; scalars: Record<string, number>; bad?: BadMember; waterTableAtBase?: number }[];
  nodataCells: number;
  /** The members' model warnings, grouped by model, place and code as `sandtable ensemble` records them. */
  modelWarnings: ReturnType<typeof ensembleWarnings>;
}

/** The whole grid's products from its tiles (any order, one per index): the same bytes for any tiling. */
export function stitchProbabilityTiles(prepared: TiledCase, results: readonly ProbabilityTile[]): ProbabilityProducts {
  const stitcher = new ProbabilityStitcher(prepared);
  for (const r of results) stitcher.place(r);
  return stitcher.finish(results);
}

/**
 * stitchProbabilityTiles a tile at a time, as tiles arrive (a queue coordinator places each while
 * the others still run, and lets its arrays go): `place` puts a tile's grids at its rectangle (a
 * rerun placed after its first pass replaces it), `finish` takes every tile's counts and records.
 */
export class ProbabilityStitcher {
  private readonly grids: Record<string, Grid> = {};

  constructor(private readonly prepared: TiledCase) {}

  place(tile: Pick<ProbabilityTile, 'index' | 'grids'>): void {
    const { reference } = this.prepared;
    tileOf(this.prepared, tile.index);
    const cell = { cellsize: reference.cellsize, nodata: reference.nodata ?? -9999 };
    for (const [name, part] of Object.entries(tile.grids)) placeTilePart(this.prepared, this.grids, tile.index, name, part, cell);
  }

  /** `results`: every tile's final counts and records (their grids already placed, so they may be empty). */
  finish(results: readonly ProbabilityTile[]): ProbabilityProducts {
    return probabilityProducts(this.prepared, results, this.grids);
  }
}

function probabilityProducts(prepared: TiledCase, results: readonly ProbabilityTile[], grids: Record<string, Grid>): ProbabilityProducts {
  const { reference, tiles } = prepared;
  const byIndex = new Map(results.map((r) => [r.index, r]));
  requireEveryTile(prepared, (index) => byIndex.has(index));
  const ordered = tiles.map((t) => byIndex.get(t.index)!);
  const { ncols } = reference;
  const rerun = tilesNeedingRerun(ordered);
  if (rerun.length) throw new Error(`tiles ${rerun.slice(0, 10).join(', ')} did not leave out every bad member (${badMemberUnion(ordered).join(', ')}): rerun them with those excluded`);
  // A member bad in several tiles is reported at its first offending cell in the whole grid's row-major order, whatever the tiling.
  const firstBad = new Map<number, BadMember>();
  for (const b of ordered.flatMap((t) => t.bad)) {
    const seen = firstBad.get(b.member);
    if (!seen || b.row * ncols + b.col < seen.row * ncols + seen.col) firstBad.set(b.member, b);
  }
  if (firstBad.size === ordered[0].failedCells.length) throw new Error(`every member's FS was not finite on some cell the deterministic case computes (member 0: ${firstBad.get(0)!.problem}): no products`);
  const members = ordered[0].failedCells.map((_, m) => {
    const bad = firstBad.get(m);
    const atBase = ordered[0].waterTableAtBase ? { waterTableAtBase: ordered.reduce((sum, t) => sum + (t.waterTableAtBase?.[m] ?? 0), 0) } : {};
    return { failedCells: bad ? 0 : ordered.reduce((sum, t) => sum + t.failedCells[m], 0), scalars: ordered[0].scalars[m], ...atBase, ...(bad ? { bad } : {}) };
  });
  let nodataCells = 0;
  for (const v of grids[P_GRID].values) if (Number.isNaN(v)) nodataCells++;
  const modelWarnings = ensembleWarnings(gridMemberWarnings(ordered, members.length));
  return { times: ordered[0].times, grids, members, nodataCells, modelWarnings };
}

/**
 * members.csv: each member's per-member draws (with a drawn soil depth, how many cells' water table
 * went to the drawn base), how many cells failed in it, and whether it counts (as the scenario
 * ensemble's members.csv says).
 */
export function membersCsv(products: ProbabilityProducts): string {
  const fields = Object.keys(products.members[0]?.scalars ?? {});
  const atBase = products.members[0]?.waterTableAtBase !== undefined;
  const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const rows = products.members.map((m, i) => [i, ...fields.map((f) => m.scalars[f]), ...(atBase ? [m.waterTableAtBase] : []), m.bad ? '' : m.failedCells, m.bad ? 'bad' : 'ok', m.bad ? quoted(m.bad.problem) : ''].join(','));
  return [['member', ...fields, ...(atBase ? ['cells_water_table_at_base'] : []), 'cells_fs_below_1', 'status', 'problem'].join(','), ...rows].join('\n') + '\n';
}

/** manifest.json's `bad_members`: each left-out member's index, drawn scalars, first offending global cell and reason. */
export function badMembersOf(products: ProbabilityProducts) {
  return products.members.flatMap((m, index) => (m.bad ? [{ index, inputs: m.scalars, row: m.bad.row, col: m.bad.col, problem: m.bad.problem }] : []));
}
