// Packs fire cases into wasm memory, runs assembly/fire/*.ts, copies results out.
import type { Arena, Kernels } from '../wasm.ts';
import type { PackedBehavior } from './behavior.ts';
import {
  ARG_ARRIVAL_OUT, ARG_BEDS, ARG_BED_INDEX, ARG_BED_PHI_W, ARG_BIT_STRIDE, ARG_BLOCKED_BITS, ARG_BOUNDS, ARG_CROSS_DC, ARG_CROSS_DR, ARG_CROSS_START, ARG_DURATION, ARG_HEAD_OUT, ARG_HEAP_CELL, ARG_HEAP_KEY, ARG_HEAP_SLOT, ARG_IGNITION_CELL, ARG_IGNITION_T, ARG_LENGTH, ARG_NCOLS, ARG_NROWS, ARG_N_BEDS, ARG_N_IGNITION, ARG_N_STENCIL, ARG_N_WIND, ARG_OPEN_BITS, ARG_PENDING, ARG_REACH, ARG_RECORDS, ARG_ROW_MASKS, ARG_SLOPE_X, ARG_SLOPE_Y, ARG_STENCIL_DC, ARG_STENCIL_DIST, ARG_STENCIL_DR, ARG_STENCIL_UX, ARG_STENCIL_UY, ARG_STEP_OFFSETS, ARG_STRIP_JUMP, ARG_STRIP_SHIFT, ARG_SUMMARY, ARG_WINDOW_DIRS, ARG_WIND_LIMIT, ARG_WIND_SPEED, ARG_WIND_T, ARG_WIND_X, ARG_WIND_Y,
} from '../../assembly/fire/layout.ts';
import { BED_STRIDE, OUT_STRIDE, SUMMARY_LAST_TIME, SUMMARY_LENGTH, SUMMARY_NON_FINITE, SUMMARY_POPPED } from '../../assembly/fire/layout.ts';
import type { PackedSpread, SpreadRun } from './packed.ts';

/** assembly/fire as the host sees it: every argument a number or a pointer. */
export interface FireKernels {
  fireBehavior(n: number, fuels: number, fuelIndex: number, cases: number, windLimit: number, out: number): void;
  fireBeds(n: number, fuels: number, fuelIndex: number, moistures: number, beds: number): void;
  fireBehaviorFromBeds(n: number, beds: number, bedIndex: number, winds: number, windLimit: number, out: number): void;
  /** `args`: f64[ARG_LENGTH], the ARG_* slots of assembly/fire/layout.ts. */
  fireSpread(args: number): void;
}

/**
 * `copy: false` returns a view on wasm memory instead of a fresh array: valid until the arena is
 * released or memory grows. The benchmark times the kernel that way, as the C yardstick writes into
 * a buffer it reuses, and copies the results once afterwards (192 MB at 2 M evaluations).
 */
export function prepareBehaviorRun(kernels: Kernels, arena: Arena, packed: PackedBehavior, copy = true): () => Float64Array {
  const fuels = arena.copyIn('f64', packed.fuels);
  const fuelIndex = arena.copyIn('i32', packed.fuelIndex);
  const cases = arena.copyIn('f64', packed.cases);
  const out = arena.allocate('f64', packed.n * OUT_STRIDE);
  return () => {
    kernels.exportsAs<FireKernels>().fireBehavior(packed.n, fuels.ptr, fuelIndex.ptr, cases.ptr, packed.windLimit ? 1 : 0, out.ptr);
    return copy ? arena.copyOut(out) : arena.view(out);
  };
}

export function fireBehaviorWasm(kernels: Kernels, packed: PackedBehavior): Float64Array {
  return kernels.withArena((arena) => prepareBehaviorRun(kernels, arena, packed)());
}

export interface BedTable { fuels: Float64Array; fuelIndex: Int32Array; moistures: Float64Array }
export interface BedEvaluations { bedIndex: Int32Array; winds: Float64Array; windLimit: boolean }

/** The table-driven path: beds once per (fuel, moisture), then every wind/slope evaluation. `copy` as above. */
export function prepareBedRun(kernels: Kernels, arena: Arena, table: BedTable, evals: BedEvaluations, copy = true): () => Float64Array {
  const k = kernels.exportsAs<FireKernels>();
  const nBeds = table.fuelIndex.length;
  const n = evals.bedIndex.length;
  const fuels = arena.copyIn('f64', table.fuels);
  const fuelIndex = arena.copyIn('i32', table.fuelIndex);
  const moistures = arena.copyIn('f64', table.moistures);
  const beds = arena.allocate('f64', nBeds * BED_STRIDE);
  const bedIndex = arena.copyIn('i32', evals.bedIndex);
  const winds = arena.copyIn('f64', evals.winds);
  const out = arena.allocate('f64', n * OUT_STRIDE);
  return () => {
    k.fireBeds(nBeds, fuels.ptr, fuelIndex.ptr, moistures.ptr, beds.ptr);
    k.fireBehaviorFromBeds(n, beds.ptr, bedIndex.ptr, winds.ptr, evals.windLimit ? 1 : 0, out.ptr);
    return copy ? arena.copyOut(out) : arena.view(out);
  };
}

/** Fuel beds (BED_STRIDE values each) for a table of fuels and moistures: what fire spread sets up with. */
export function fireBedsWasm(kernels: Kernels, table: BedTable): Float64Array {
  return kernels.withArena((arena) => {
    const nBeds = table.fuelIndex.length;
    const fuels = arena.copyIn('f64', table.fuels);
    const fuelIndex = arena.copyIn('i32', table.fuelIndex);
    const moistures = arena.copyIn('f64', table.moistures);
    const beds = arena.allocate('f64', nBeds * BED_STRIDE);
    kernels.exportsAs<FireKernels>().fireBeds(nBeds, fuels.ptr, fuelIndex.ptr, moistures.ptr, beds.ptr);
    return arena.copyOut(beds);
  });
}

const RECORD_F64 = 4;

/**
 * log2 of the spread kernel's strip width S (see assembly/fire/spread.ts, "cells in column
 * strips"): 16 columns make one bounds row of a strip a 64-byte cache line and an 11-row stencil's
 * records 5.6 KB; narrower strips split more stencils across two strips.
 */
export const SPREAD_STRIP_SHIFT = 4;

/** Where the kernel keeps cell (row, col) when cells are numbered in column strips of 1 << shift. */
export function stripLayout(nrows: number, ncols: number, shift: number) {
  const stripColumns = 1 << shift;
  const strips = Math.ceil(ncols / stripColumns);
  return {
    cells: strips * stripColumns * nrows,
    cellOf: (row: number, col: number) => (col >> shift) * nrows * stripColumns + row * stripColumns + (col & (stripColumns - 1)),
  };
}

/** Row-major per-cell values renumbered for the kernel; padding cells get `fill`. */
function toStrips<T extends Int32Array | Float32Array>(values: T, nrows: number, ncols: number, shift: number, fill: number): T {
  const layout = stripLayout(nrows, ncols, shift);
  const out = new (values.constructor as { new (n: number): T })(layout.cells).fill(fill) as T;
  for (let row = 0; row < nrows; row++) {
    for (let col = 0; col < ncols; col++) out[layout.cellOf(row, col)] = values[row * ncols + col];
  }
  return out;
}

/**
 * Copies the landscape in once; the returned function runs the spread and copies results out.
 * `stripShift` other than SPREAD_STRIP_SHIFT is for tests and tuning (S = 1 << stripShift must be
 * at least the stencil's reach).
 */
export function prepareSpreadRun(kernels: Kernels, arena: Arena, p: PackedSpread, stripShift = SPREAD_STRIP_SHIFT): () => SpreadRun {
  const st = p.stencil;
  const reach = Math.max(...Array.from(st.dr, Math.abs), ...Array.from(st.dc, Math.abs));
  if (1 << stripShift < reach) throw new Error(`spread strips of ${1 << stripShift} columns are narrower than the stencil's reach ${reach}`);
  const layout = stripLayout(p.nrows, p.ncols, stripShift);
  const cells = layout.cells;
  const bedIndex = arena.copyIn('i32', toStrips(p.bedIndex, p.nrows, p.ncols, stripShift, -1));
  const beds = arena.copyIn('f64', p.beds);
  const slopeX = arena.copyIn('f32', toStrips(p.slopeX, p.nrows, p.ncols, stripShift, 0));
  const slopeY = arena.copyIn('f32', toStrips(p.slopeY, p.nrows, p.ncols, stripShift, 0));
  const windT = arena.copyIn('f64', p.windT);
  const windSpeed = arena.copyIn('f64', p.windMidflameMPerS);
  const windX = arena.copyIn('f64', p.windX);
  const windY = arena.copyIn('f64', p.windY);
  const dr = arena.copyIn('i32', st.dr);
  const dc = arena.copyIn('i32', st.dc);
  const dist = arena.copyIn('f64', st.dist);
  const ux = arena.copyIn('f64', st.ux);
  const uy = arena.copyIn('f64', st.uy);
  const crossStart = arena.copyIn('i32', st.crossStart);
  const crossDr = arena.copyIn('i32', st.crossDr);
  const crossDc = arena.copyIn('i32', st.crossDc);
  const nBeds = p.beds.length / BED_STRIDE;
  const bedPhiW = arena.allocate('f64', nBeds);
  const width = 2 * reach + 1;
  const stripJump = arena.allocate('i32', (1 << stripShift) * width);
  const ignitionCell = arena.copyIn('i32', Int32Array.from(p.ignitionCell, (cell) => layout.cellOf(Math.floor(cell / p.ncols), cell % p.ncols)));
  const ignitionT = arena.copyIn('f64', p.ignitionT);
  // One 32-byte record per cell (see assembly/fire/spread.ts): arrival f64 first, head rate last,
  // aligned to 64 bytes so none straddles a cache line.
  const recordsRegion = arena.allocate('f64', cells * RECORD_F64 + 8);
  const records = { kind: 'f64' as const, ptr: ((recordsRegion.ptr + 63) & ~63) >>> 0, length: cells * RECORD_F64 };
  const bounds = arena.allocate('f32', cells);
  const heapCell = arena.allocate('i32', cells);
  const heapKey = arena.allocate('f64', cells);
  const heapSlot = arena.allocate('i32', cells);
  const summary = arena.allocate('f64', SUMMARY_LENGTH);
  const arrivalOut = arena.allocate('f64', p.nrows * p.ncols);
  const headOut = arena.allocate('f32', p.nrows * p.ncols);
  // Two bitmaps (open, blocked) with `reach` cells of padding on every side, 8 spare bytes for the
  // kernel's unaligned window loads; the stencil by window position (32 bytes each), row masks,
  // and each step as a cell offset per column of a strip.
  const bitStride = Math.ceil((p.ncols + 2 * reach) / 8) * 8;
  const bitmapWords = Math.ceil(((p.nrows + 2 * reach) * (bitStride / 8) + 8) / 8);
  const openBits = arena.allocate('f64', bitmapWords);
  const blockedBits = arena.allocate('f64', bitmapWords);
  const windowDirs = arena.allocate('f64', width * width * 4);
  const stepOffsets = arena.allocate('i32', (1 << stripShift) * width * width);
  const rowMasks = arena.allocate('f64', width);
  // Two lists of one 16-byte entry per stencil step: the neighbours of one pop that pass the
  // bound screen, and those whose candidate improves their record.
  const pending = arena.allocate('f64', 4 * st.n);
  const args = arena.allocate('f64', ARG_LENGTH);
  const a = arena.view(args);
  a[ARG_NROWS] = p.nrows;
  a[ARG_NCOLS] = p.ncols;
  a[ARG_BED_INDEX] = bedIndex.ptr;
  a[ARG_N_BEDS] = nBeds;
  a[ARG_BEDS] = beds.ptr;
  a[ARG_SLOPE_X] = slopeX.ptr;
  a[ARG_SLOPE_Y] = slopeY.ptr;
  a[ARG_BED_PHI_W] = bedPhiW.ptr;
  a[ARG_N_WIND] = p.windT.length;
  a[ARG_WIND_T] = windT.ptr;
  a[ARG_WIND_SPEED] = windSpeed.ptr;
  a[ARG_WIND_X] = windX.ptr;
  a[ARG_WIND_Y] = windY.ptr;
  a[ARG_WIND_LIMIT] = p.windLimit ? 1 : 0;
  a[ARG_N_STENCIL] = st.n;
  a[ARG_STENCIL_DR] = dr.ptr;
  a[ARG_STENCIL_DC] = dc.ptr;
  a[ARG_STENCIL_DIST] = dist.ptr;
  a[ARG_STENCIL_UX] = ux.ptr;
  a[ARG_STENCIL_UY] = uy.ptr;
  a[ARG_CROSS_START] = crossStart.ptr;
  a[ARG_CROSS_DR] = crossDr.ptr;
  a[ARG_CROSS_DC] = crossDc.ptr;
  a[ARG_REACH] = reach;
  a[ARG_STRIP_SHIFT] = stripShift;
  a[ARG_STRIP_JUMP] = stripJump.ptr;
  a[ARG_N_IGNITION] = p.ignitionCell.length;
  a[ARG_IGNITION_CELL] = ignitionCell.ptr;
  a[ARG_IGNITION_T] = ignitionT.ptr;
  a[ARG_DURATION] = p.duration;
  a[ARG_RECORDS] = records.ptr;
  a[ARG_BOUNDS] = bounds.ptr;
  a[ARG_HEAP_CELL] = heapCell.ptr;
  a[ARG_HEAP_KEY] = heapKey.ptr;
  a[ARG_HEAP_SLOT] = heapSlot.ptr;
  a[ARG_SUMMARY] = summary.ptr;
  a[ARG_ARRIVAL_OUT] = arrivalOut.ptr;
  a[ARG_HEAD_OUT] = headOut.ptr;
  a[ARG_OPEN_BITS] = openBits.ptr;
  a[ARG_BLOCKED_BITS] = blockedBits.ptr;
  a[ARG_BIT_STRIDE] = bitStride;
  a[ARG_WINDOW_DIRS] = windowDirs.ptr;
  a[ARG_ROW_MASKS] = rowMasks.ptr;
  a[ARG_PENDING] = pending.ptr;
  a[ARG_STEP_OFFSETS] = stepOffsets.ptr;
  return () => {
    kernels.exportsAs<FireKernels>().fireSpread(args.ptr);
    const s = arena.view(summary);
    return { arrival: arena.copyOut(arrivalOut), head: arena.copyOut(headOut), popped: s[SUMMARY_POPPED], lastTime: s[SUMMARY_LAST_TIME], nonFinite: s[SUMMARY_NON_FINITE] };
  };
}

export function fireSpreadWasm(kernels: Kernels, p: PackedSpread): SpreadRun {
  return kernels.withArena((arena) => prepareSpreadRun(kernels, arena, p)());
}
