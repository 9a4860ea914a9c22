// P(FS < 1) per cell of a big landslide grid, tile by tile: one job is one tile × every member
// (cells are independent, so a tile needs nothing from its neighbours and memory stays one tile's
// counts, whatever the member count). Per cell the tile keeps integer counts only: members whose
// FS fell below 1 at output time j, and members whose FIRST such time was j. The products are read
// off those counts exactly: P = count / members, and the first-failure quantiles by nearest rank
// over the members' first-failure times with "never" as +∞ (models/ensemble/reduce.ts's rule) —
// first-failure times are output times, so the counts per time are the sorted member values.
// Stitching places each tile's grids at its rectangle and adds the per-member cell counts.
import type { Grid } from '../grid/ascii.ts';
import { gridFilesOf } from '../landslide/grid.ts';
import { QUANTILES } from './reduce.ts';
import type { GridEnsembleSpec } from './fs-grid-block.ts';
import { memberTileCase, type TileOrigin } from './fs-grid-members.ts';
import type { GridRunner } from './tile-run.ts';
import { cutTile, type TiledCase } from './tiles.ts';

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

/** Runs every member on one tile (on `runner`, an engine or an engine worker) and reduces it to its counts' products. */
export async function runProbabilityTile(runner: GridRunner, prepared: TiledCase, index: number, spec: GridEnsembleSpec): Promise<ProbabilityTile> {
  const tile = prepared.tiles[index];
  const grids = cutTile(prepared, tile);
  const referenceName = Object.keys(prepared.files)[0];
  const origin: TileOrigin = { row0: tile.row0, col0: tile.col0, ncols: prepared.reference.ncols };
  const n = (tile.row1 - tile.row0) * (tile.col1 - tile.col0);
  const noData = new Uint8Array(n);
  let below = new Uint32Array(0);
  let firstAt = new Uint32Array(0);
  let times: number[] = [];
  const failedCells: number[] = [];
  const scalars: Record<string, number>[] = [];
  for (let m = 0; m < spec.members; m++) {
    const member = memberTileCase(prepared.input, grids, grids[referenceName], origin, spec, m);
    // Only the grids this member's case names cross to the engine (a DEM, once turned into slope, stays behind).
    const all = { ...grids, ...member.drawn };
    const named = Object.fromEntries(gridFilesOf(member.input).map(({ fileName }) => [fileName, all[fileName]]));
    const output = await runner.landslideGrid(member.input, named);
    if (m === 0) {
      times = output.times.map((t) => t.t_s);
      below = new Uint32Array(n * times.length);
      firstAt = new Uint32Array(n * times.length);
    }
    const T = times.length;
    const fs = times.map((t) => output.grids[`fs_min_t${t}.asc`].values);
    let failed = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(fs[0][i])) { noData[i] = 1; continue; }
      let first = -1;
      for (let j = 0; j < T; j++) {
        if (fs[j][i] < 1) { below[i * T + j]++; if (first < 0) first = j; }
      }
      if (first >= 0) { firstAt[i * T + first]++; failed++; }
    }
    failedCells.push(failed);
    scalars.push(member.scalars);
  }
  return { index, times, failedCells, scalars, grids: tileProducts(times, spec.members, noData, below, firstAt) };
}

export interface ProbabilityProducts {
  times: number[];
  grids: Record<string, Grid>;
  /** Per member: cells of the whole grid that failed, and the member's per-member draws. */
  members: { failedCells: number; scalars: Record<string, number> }[];
  nodataCells: number;
}

/** The whole grid's products from its tiles (any order, one per index): the same bytes for any tiling. */
export function stitchProbabilityTiles(prepared: TiledCase, results: readonly ProbabilityTile[]): ProbabilityProducts {
  const { reference, tiles } = prepared;
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const missing = tiles.filter((t) => !byIndex.has(t.index)).map((t) => t.index);
  if (missing.length) throw new Error(`tiles ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} have no result`);
  const ordered = tiles.map((t) => byIndex.get(t.index)!);
  const { ncols, nrows } = reference;
  const grids: Record<string, Grid> = {};
  for (const name of Object.keys(ordered[0].grids)) {
    const values = new Float64Array(ncols * nrows);
    tiles.forEach((tile, k) => {
      const part = ordered[k].grids[name];
      const cols = tile.col1 - tile.col0;
      for (let r = tile.row0; r < tile.row1; r++) values.set(part.subarray((r - tile.row0) * cols, (r - tile.row0 + 1) * cols), r * ncols + tile.col0);
    });
    grids[name] = { ncols, nrows, xllcorner: reference.xllcorner, yllcorner: reference.yllcorner, cellsize: reference.cellsize, nodata: reference.nodata ?? -9999, values };
  }
  const members = ordered[0].failedCells.map((_, m) => ({ failedCells: ordered.reduce((sum, t) => sum + t.failedCells[m], 0), scalars: ordered[0].scalars[m] }));
  let nodataCells = 0;
  for (const v of grids[P_GRID].values) if (Number.isNaN(v)) nodataCells++;
  return { times: ordered[0].times, grids, members, nodataCells };
}

/** members.csv: each member's per-member draws and how many cells failed in it. */
export function membersCsv(products: ProbabilityProducts): string {
  const fields = Object.keys(products.members[0]?.scalars ?? {});
  const rows = products.members.map((m, i) => [i, ...fields.map((f) => m.scalars[f]), m.failedCells].join(','));
  return [['member', ...fields, 'cells_fs_below_1'].join(','), ...rows].join('\n') + '\n';
}
