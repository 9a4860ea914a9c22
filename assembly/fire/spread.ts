// Over ~400 lines on purpose: one kernel, and the helpers below are @inline pieces of its one hot
// loop (the heap, the bitmaps, the stencil screen); apart they would read as an API they are not.
//
// Fire arrival time over a raster: minimum travel time (Dijkstra) over a large stencil, with each
// step's time taken from the Rothermel ellipse of the cells at both ends.
//
// Why this method: on a homogeneous landscape Dijkstra over a stencil of directions {u_k} burns, at
// time t, the convex hull of the points t·ros(u_k)·u_k — a polygon inscribed in the true
// ellipse. With every primitive step out to ±5 cells (80 directions, the default; ±4 gives 48)
// that polygon loses about half a percent of the ellipse's area at any wind angle, where an 8-neighbour
// automaton loses a third to a half. A step never jumps a barrier: every cell its segment touches
// (corners included) must be burnable, so even a one-cell diagonal line of non-burnable cells holds.
//
// Time-varying wind: a cell's ellipse is evaluated with the wind blowing at the time it is
// reached; a neighbour's ellipse is cached per wind period (stamp), so each cell is evaluated
// about once per period it is touched in. All arrays come from the host; nothing is allocated.
//
// Cells are numbered in column strips, not rows (see "cells in column strips" below): a popped
// cell's 11 stencil rows then lie in 2–3 pages of records instead of 11.
//
// Cost per burned cell (native 512², callgrind): ~40 of the 80 neighbours are already burned and
// are skipped by the `open` bitmap, ~23 more by the 4-byte bound, ~17 records are read, ~5 improve
// (decrease-key), ~1.6 ellipses are evaluated. The queue is exact: any pop order among equal keys
// gives the same arrival times (a relaxation only uses the popped cell's time and period).

import { f64At, i32Arg, pointerArg } from "../memory";
import {
  ARG_ARRIVAL_OUT, ARG_BEDS, ARG_BED_INDEX, ARG_BED_PHI_W, ARG_BIT_STRIDE, ARG_BLOCKED_BITS, ARG_BOUNDS, ARG_CROSS_DC, ARG_CROSS_DR, ARG_CROSS_START, ARG_DURATION, ARG_HEAD_OUT, ARG_HEAP_CELL, ARG_HEAP_KEY, ARG_HEAP_SLOT, ARG_IGNITION_CELL, ARG_IGNITION_T, ARG_NCOLS, ARG_NROWS, ARG_N_BEDS, ARG_N_IGNITION, ARG_N_STENCIL, ARG_N_WIND, ARG_OPEN_BITS, ARG_PENDING, ARG_REACH, ARG_RECORDS, ARG_ROW_MASKS, ARG_SLOPE_X, ARG_SLOPE_Y, ARG_STENCIL_DC, ARG_STENCIL_DIST, ARG_STENCIL_DR, ARG_STENCIL_UX, ARG_STENCIL_UY, ARG_STEP_OFFSETS, ARG_STRIP_JUMP, ARG_STRIP_SHIFT, ARG_SUMMARY, ARG_WINDOW_DIRS, ARG_WIND_LIMIT, ARG_WIND_SPEED, ARG_WIND_T, ARG_WIND_X, ARG_WIND_Y,
} from "./layout";
import { BED_IR, BED_R0, BED_STRIDE, BED_WIND_B, BED_WIND_K, SUMMARY_LAST_TIME, SUMMARY_NON_FINITE, SUMMARY_POPPED } from "./layout";

const M_S_PER_FT_MIN: f64 = 0.3048 / 60.0;
const FT_MIN_PER_M_S: f64 = 60.0 / 0.3048;
// `bounds`: one f32 per cell, read for every neighbour of every popped cell, so it is the one
// array that must stay in cache. It holds an upper bound of the cell's arrival time (rounded up
// to f32; +Infinity if unreached) or a negative mark. A step whose half in the burning cell alone
// is not below the bound cannot improve the neighbour, and its 32-byte record is never touched.
const BLOCKED: f32 = -1.0;
const DONE: f32 = -2.0;

/** The smallest f32 ≥ x (x ≥ 0): a bound that never cuts off an improving step. */
@inline function upperF32(x: f64): f32 {
  let u = <f32>x;
  if (<f64>u < x) u = reinterpret<f32>(reinterpret<i32>(u) + 1);
  return u;
}

// --- one 32-byte record per cell -------------------------------------------------------------
// Everything a relaxation reads about a neighbour sits in one record (the search is memory-bound:
// separate arrays cost three cache lines per neighbour, and twice the time on large grids):
//   0 arrival time (f64, s)          8 1/(R_head (1 − e)) (f32, s/m)
//  12 e × heading east (f32)        16 e × heading north (f32)
//  20 wind period of the ellipse    24 unused
//  28 head rate of spread (f32, m/s)
// The host aligns records to 64 bytes so no record straddles two cache lines.
const RECORD_BYTES: usize = 32;
const ARRIVAL: usize = 0;
const SLOW: usize = 8;
const EAST: usize = 12;
const NORTH: usize = 16;
const PERIOD: usize = 20;
const HEAD: usize = 28;

@inline function recordOf(cells: usize, cell: i32): usize {
  return cells + (<usize>cell) * RECORD_BYTES;
}

// --- cells in column strips ----------------------------------------------------------------------
// Cell (row, col) is numbered strip · nrows · S + row · S + (col mod S), strip = col / S, with
// S = 1 << stripShift columns per strip (the host chooses S ≥ reach; the last strip is padded with
// cells that are never opened). Every per-cell array (records, bounds, heap slots, bed index,
// slope) uses this numbering, so the 2R+1 rows a popped cell's stencil touches are S cells apart
// rather than a whole grid row: at S = 16 the bounds of an 11-row stencil are 11 consecutive cache
// lines and its records 5.6 KB, where a 4096-wide grid put every row in another page (the search
// is TLB-bound there). Only the row-major bitmaps keep (row, col).
//
// A step (dr, dc) from column c of its strip is dr · S + dc, plus a jump of ±(nrows · S − S) when
// c + dc leaves the strip; `stripJump` holds that jump per (c, dc + R), so a neighbour costs one
// more L1 load than with row-major numbering.
@inline function stripJumpRow(stripJump: usize, width: i32, columnInStrip: i32): usize {
  return stripJump + ((<usize>(columnInStrip * width)) << 2);
}

// --- bitmaps over the grid, padded by `reach` cells on every side --------------------------------
// One bit per cell, so the 2R+1 cells of a stencil row come from one unaligned 8-byte load and the
// padding makes every window legal without bounds checks. `open`: not burned and not blocked (the
// only neighbours a popped cell can improve; done cells are skipped without touching `bounds`).
// `blockedBits`: barriers; when no barrier lies in the popped cell's window, no step from it can
// cross one and the per-step crossing scan is skipped.

@inline function bitOf(bitStride: i32, reach: i32, row: i32, col: i32): usize {
  return (<usize>(row + reach)) * (<usize>bitStride) + <usize>(col + reach);
}
@inline function setBit(bits: usize, i: usize): void {
  const at = bits + (i >> 3);
  const bit: i32 = 1 << <i32>(i & 7);
  store<u8>(at, <u8>(<i32>load<u8>(at) | bit));
}
@inline function clearBit(bits: usize, i: usize): void {
  const at = bits + (i >> 3);
  const bit: i32 = 1 << <i32>(i & 7);
  store<u8>(at, <u8>(<i32>load<u8>(at) & ~bit));
}

// Per window position (dr + R)·(2R+1) + (dc + R), the step's constants in one 32-byte entry.
const DIR_BYTES: usize = 32;
const DIR_SHIFT: usize = 5;
const DIR_UX: usize = 0;
const DIR_UY: usize = 8;
const DIR_HALF: usize = 16;
const DIR_CROSS_START: usize = 24;
const DIR_CROSS_END: usize = 28;
// `stepOffsets`, per column of a strip c and window position p, the whole step from a cell in
// column c to its neighbour at p: dr · S + dc plus the strip jump (S · (2R+1)² i32, 7.7 KB at
// R = 5), so a neighbour costs one load where the strip jump and the step took two.

// `pending`: scratch the host provides, one 16-byte entry per stencil step, for the neighbours of
// one pop that pass the bound screen: the cell, its window entry and this cell's slowness toward it.
const PENDING_BYTES: usize = 16;
const PENDING_SHIFT: usize = 4;
const PENDING_CELL: usize = 0;
const PENDING_DIR: usize = 4;
const PENDING_SLOW: usize = 8;

// --- indexed binary min-heap of cells keyed by arrival time ---------------------------------
// Slot s holds a cell id in heapCell and its arrival time in heapKey, so sifting reads the heap's
// own two arrays rather than chasing records across the grid. Each cell's slot (−1 when not
// queued) lives in the dense i32 array heapSlot, not in its record: every sift level writes the
// moved cell's slot, ~16 levels per pop, and a 4-byte entry shares its page and cache line with 8×
// as many front cells as a 32-byte record does.
// These three write their loads out instead of calling ../memory's i32At/f64At: routed through
// them, asc allocates fireSpread's locals differently and the hot loop's code changes.

@inline function cellAt(heapCell: usize, slot: i32): i32 {
  return load<i32>(heapCell + ((<usize>slot) << 2));
}
@inline function keyAt(heapKey: usize, slot: i32): f64 {
  return load<f64>(heapKey + ((<usize>slot) << 3));
}
@inline function place(heapCell: usize, heapKey: usize, heapSlot: usize, slot: i32, cell: i32, t: f64): void {
  store<i32>(heapCell + ((<usize>slot) << 2), cell);
  store<f64>(heapKey + ((<usize>slot) << 3), t);
  store<i32>(heapSlot + ((<usize>cell) << 2), slot);
}

function siftUp(heapCell: usize, heapKey: usize, heapSlot: usize, slot: i32): void {
  const cell = cellAt(heapCell, slot);
  const t = keyAt(heapKey, slot);
  while (slot > 0) {
    const parent = (slot - 1) >> 1;
    const parentKey = keyAt(heapKey, parent);
    if (parentKey <= t) break;
    place(heapCell, heapKey, heapSlot, slot, cellAt(heapCell, parent), parentKey);
    slot = parent;
  }
  place(heapCell, heapKey, heapSlot, slot, cell, t);
}

/** siftUp for a cell whose new key is t, going up from `slot` (its slot, or the new last one). */
@inline function siftUpWith(heapCell: usize, heapKey: usize, heapSlot: usize, slot: i32, cell: i32, t: f64): void {
  while (slot > 0) {
    const parent = (slot - 1) >> 1;
    const parentKey = keyAt(heapKey, parent);
    if (parentKey <= t) break;
    place(heapCell, heapKey, heapSlot, slot, cellAt(heapCell, parent), parentKey);
    slot = parent;
  }
  place(heapCell, heapKey, heapSlot, slot, cell, t);
}

function siftDown(heapCell: usize, heapKey: usize, heapSlot: usize, size: i32, slot: i32): void {
  const cell = cellAt(heapCell, slot);
  const t = keyAt(heapKey, slot);
  while (true) {
    let child = 2 * slot + 1;
    if (child >= size) break;
    let childKey = keyAt(heapKey, child);
    if (child + 1 < size) {
      const rightKey = keyAt(heapKey, child + 1);
      if (rightKey < childKey) { child++; childKey = rightKey; }
    }
    if (childKey >= t) break;
    place(heapCell, heapKey, heapSlot, slot, cellAt(heapCell, child), childKey);
    slot = child;
  }
  place(heapCell, heapKey, heapSlot, slot, cell, t);
}

// --- the per-cell ellipse -----------------------------------------------------------------------

/** Anderson (1983) length-to-width, effective wind in mi/h, capped at 8: as behave. */
@inline function ellipseEccentricity(windMiPerH: f64): f64 {
  if (!(windMiPerH > 1.0e-7)) return 0.0;
  let lw = 0.936 * Math.exp(0.1147 * windMiPerH) + 0.461 * Math.exp(-0.0692 * windMiPerH) - 0.397;
  if (lw > 8.0) lw = 8.0;
  const x = lw * lw - 1.0;
  return x > 0.0 ? Math.sqrt(x) / lw : 0.0;
}

/** Cell `cell`'s ellipse under the period's wind (factor φw of its bed, blowing toward (wx, wy)), into its record. */
function evaluateCell(
  cell: i32, beds: usize, bedIndex: usize, slopeX: usize, slopeY: usize, bedPhiW: usize,
  wx: f64, wy: f64, windLimit: bool, record: usize, period: i32,
): void {
  const c = <usize>cell;
  const b = <usize>load<i32>(bedIndex + (c << 2));
  const bed = beds + ((b * <usize>BED_STRIDE) << 3);
  const r0 = load<f64>(bed, BED_R0 << 3);
  const reaction = load<f64>(bed, BED_IR << 3);
  const windB = load<f64>(bed, BED_WIND_B << 3);
  const windK = load<f64>(bed, BED_WIND_K << 3);
  const phiW = load<f64>(bedPhiW + (b << 3));
  // Vector sum of wind and slope effects (Rothermel 1983), in east/north components.
  const vx = r0 * (phiW * wx + <f64>load<f32>(slopeX + (c << 2)));
  const vy = r0 * (phiW * wy + <f64>load<f32>(slopeY + (c << 2)));
  const push = Math.sqrt(vx * vx + vy * vy);
  let head = r0 + push;
  let effectiveWind = 0.0;
  if (r0 > 0.0 && push > 0.0) {
    effectiveWind = Math.pow((push / r0) / windK, 1.0 / windB);
    const limit = 0.9 * reaction;
    if (windLimit && effectiveWind > limit) {
      effectiveWind = limit;
      head = r0 * (1.0 + windK * Math.pow(limit, windB));
    }
  }
  const ecc = ellipseEccentricity(effectiveWind / 88.0);
  const headMs = head * M_S_PER_FT_MIN;
  // Slowness (s/m) toward u is (1 − e·cos θ) / (R_head (1 − e)): store 1/(R_head (1 − e)) and
  // e × heading, so a step costs multiplies and adds only.
  store<f32>(record, <f32>headMs, HEAD);
  store<f32>(record, headMs > 0.0 ? <f32>(1.0 / (headMs * (1.0 - ecc))) : <f32>Infinity, SLOW);
  store<f32>(record, push > 0.0 ? <f32>(ecc * (vx / push)) : 0.0, EAST);
  store<f32>(record, push > 0.0 ? <f32>(ecc * (vy / push)) : 0.0, NORTH);
  store<i32>(record, period, PERIOD);
}

/** φw of every bed for one wind speed: the only power of the wind, computed once per period. */
function windFactors(nBeds: i32, beds: usize, windFtMin: f64, bedPhiW: usize): void {
  for (let b = 0; b < nBeds; b++) {
    const bed = beds + ((<usize>(b * BED_STRIDE)) << 3);
    const phiW = windFtMin < 1.0e-7 ? 0.0 : Math.pow(windFtMin, load<f64>(bed, BED_WIND_B << 3)) * load<f64>(bed, BED_WIND_K << 3);
    store<f64>(bedPhiW + ((<usize>b) << 3), phiW);
  }
}

/** Slowness (s/m) in direction (ux, uy): the inverse of behave's focal-polar rate R(1−e)/(1−e cos θ). */
@inline function slownessToward(record: usize, ux: f64, uy: f64): f64 {
  const eCosine = ux * <f64>load<f32>(record, EAST) + uy * <f64>load<f32>(record, NORTH);
  return <f64>load<f32>(record, SLOW) * (1.0 - eCosine);
}

/**
 * The bound screen of one pop (the first of its three passes, see fireSpread): every open stencil
 * neighbour whose step's half in the popped cell alone is below its bound goes to `pending`.
 * Returns the end of the entries written.
 */
@inline function screenNeighbours(
  cell: i32, row: i32, col: i32, t: f64, slowHere: f64, eastHere: f64, northHere: f64,
  openBits: usize, bitStride: i32, width: i32, rowMasks: usize, windowDirs: usize, offsets: usize,
  bounds: usize, pending: usize,
): usize {
  let end = pending;
  // Bit of the window's first cell, (row − R, col − R), in the padded bitmap; one row down is
  // bitStride bits on. The row mask keeps only the 2R+1 window bits.
  let bit = (<usize>row) * (<usize>bitStride) + <usize>col;
  let rowDirs = windowDirs;
  let rowOffsets = offsets;
  for (let r = 0; r < width; r++) {
    let w = (load<u64>(openBits + (bit >> 3)) >> <u64>(bit & 7)) & load<u64>(rowMasks + ((<usize>r) << 3));
    while (w != 0) {
      const k = <usize>ctz<u64>(w);
      w &= w - 1;
      const dir = rowDirs + (k << DIR_SHIFT);
      const next = cell + load<i32>(rowOffsets + (k << 2));
      // slownessToward(here, ux, uy), with the popped cell's three fields passed in.
      const slow = slowHere * (1.0 - (load<f64>(dir, DIR_UX) * eastHere + load<f64>(dir, DIR_UY) * northHere));
      const lower = t + load<f64>(dir, DIR_HALF) * slow;
      store<i32>(end, next, PENDING_CELL);
      store<i32>(end, <i32>dir, PENDING_DIR);
      store<f64>(end, slow, PENDING_SLOW);
      // Half the step in each cell's fuel, at each cell's rate in the step's direction. The half
      // in this cell alone already fails to improve most queued neighbours: then neither the
      // neighbour's record nor its ellipse is needed (the full candidate can only be larger, in
      // floating point too, and the bound is never below the exact time). Written always, kept
      // when below the bound: the end moves by 0 or 1 entry, with no branch to mispredict.
      end += (<usize>(lower < <f64>load<f32>(bounds + ((<usize>next) << 2)))) << PENDING_SHIFT;
    }
    bit += <usize>bitStride;
    rowDirs += (<usize>width) << DIR_SHIFT;
    rowOffsets += (<usize>width) << 2;
  }
  return end;
}

/**
 * The rest of a relaxation, for one pending entry whose neighbour holds this period's ellipse:
 * the full candidate, the barrier scan, the record, the bound and the queue. Returns the heap's
 * new size. Calls nothing: the heap's sift-up is inline.
 */
@inline function relaxPending(
  at: usize, next: i32, there: usize, cell: i32, t: f64, bounds: usize,
  heapCell: usize, heapKey: usize, heapSlot: usize, size: i32,
  nearBlocked: u64, crossDr: usize, crossDc: usize, stripShift: i32, jumps: usize, reach: i32,
): i32 {
  const dir = <usize>load<i32>(at, PENDING_DIR);
  const slow = load<f64>(at, PENDING_SLOW);
  const half = load<f64>(dir, DIR_HALF);
  const best = load<f64>(there, ARRIVAL);
  if (!(t + half * slow < best)) return size;
  const candidate = t + half * (slow + slownessToward(there, load<f64>(dir, DIR_UX), load<f64>(dir, DIR_UY)));
  if (!(candidate < best)) return size;
  return commitAt(there, next, dir, candidate, cell, bounds, heapCell, heapKey, heapSlot, size,
    nearBlocked, crossDr, crossDc, stripShift, jumps, reach);
}

/**
 * The end of a relaxation whose candidate improves the neighbour at record `there`: the barrier
 * scan, then the record, the bound and the queue (decrease-key, or insert as the new last slot,
 * then an inline sift-up). Returns the heap's new size.
 */
@inline function commitAt(
  there: usize, next: i32, dir: usize, candidate: f64, cell: i32, bounds: usize,
  heapCell: usize, heapKey: usize, heapSlot: usize, size: i32,
  nearBlocked: u64, crossDr: usize, crossDc: usize, stripShift: i32, jumps: usize, reach: i32,
): i32 {
  if (nearBlocked != 0) {
    const crossEnd = load<i32>(dir, DIR_CROSS_END);
    for (let m = load<i32>(dir, DIR_CROSS_START); m < crossEnd; m++) {
      const throughDc = load<i32>(crossDc + ((<usize>m) << 2));
      const through = cell + (load<i32>(crossDr + ((<usize>m) << 2)) << stripShift) + throughDc
        + load<i32>(jumps + ((<usize>(throughDc + reach)) << 2));
      if (load<f32>(bounds + ((<usize>through) << 2)) == BLOCKED) return size;
    }
  }
  store<f64>(there, candidate, ARRIVAL);
  store<f32>(bounds + ((<usize>next) << 2), upperF32(candidate));
  // Decrease-key, or insert as the new last slot.
  let slot = load<i32>(heapSlot + ((<usize>next) << 2));
  if (slot < 0) slot = size++;
  siftUpWith(heapCell, heapKey, heapSlot, slot, next, candidate);
  return size;
}

/**
 * Arrival times (s) for an nrows × ncols grid (row 0 north).
 * Cells with bedIndex < 0 never burn and block any step that touches them.
 * Wind: nWind periods starting at windT[k] (s), speed windSpeed[k] (m/s) toward (windX, windY).
 * Stencil k: offset (stencilDr, stencilDc), length stencilDist (m), unit (stencilUx east, stencilUy
 * north); the cells its segment touches are cross[crossStart[k] .. crossStart[k+1]) as (dr, dc).
 * reach = max |dr|, |dc| ≤ S.
 * Cells (bedIndex, slopeX, slopeY, ignitionCell, records, bounds, heapSlot) are numbered in column
 * strips of S = 1 << stripShift columns, ceil(ncols / S) · S · nrows cells in all; padding cells
 * must have bedIndex < 0. bedPhiW: scratch, one f64 per bed; stripJump: scratch, S · (2R+1) i32;
 * stepOffsets: scratch, S · (2R+1)² i32.
 * `records` holds RECORD_BYTES per cell (scratch); `pending` PENDING_BYTES per stencil step
 * (scratch). On return, row-major (row · ncols + col) like the host's grids: arrivalOut (f64)
 * each cell's arrival time, +Infinity where not burned by `duration`; headOut (f32) the head rate
 * at arrival, 0 where not burned. They are written when a cell is popped, its arrival and ellipse
 * then final, so the host copies two contiguous arrays instead of gathering 537 MB of
 * strip-ordered records at 4096².
 */
export function fireSpread(args: usize): void {
  const nrows = i32Arg(args, ARG_NROWS);
  const ncols = i32Arg(args, ARG_NCOLS);
  const bedIndex = pointerArg(args, ARG_BED_INDEX);
  const nBeds = i32Arg(args, ARG_N_BEDS);
  const beds = pointerArg(args, ARG_BEDS);
  const slopeX = pointerArg(args, ARG_SLOPE_X);
  const slopeY = pointerArg(args, ARG_SLOPE_Y);
  const bedPhiW = pointerArg(args, ARG_BED_PHI_W);
  const nWind = i32Arg(args, ARG_N_WIND);
  const windT = pointerArg(args, ARG_WIND_T);
  const windSpeed = pointerArg(args, ARG_WIND_SPEED);
  const windX = pointerArg(args, ARG_WIND_X);
  const windY = pointerArg(args, ARG_WIND_Y);
  const windLimit = i32Arg(args, ARG_WIND_LIMIT);
  const nStencil = i32Arg(args, ARG_N_STENCIL);
  const stencilDr = pointerArg(args, ARG_STENCIL_DR);
  const stencilDc = pointerArg(args, ARG_STENCIL_DC);
  const stencilDist = pointerArg(args, ARG_STENCIL_DIST);
  const stencilUx = pointerArg(args, ARG_STENCIL_UX);
  const stencilUy = pointerArg(args, ARG_STENCIL_UY);
  const crossStart = pointerArg(args, ARG_CROSS_START);
  const crossDr = pointerArg(args, ARG_CROSS_DR);
  const crossDc = pointerArg(args, ARG_CROSS_DC);
  const reach = i32Arg(args, ARG_REACH);
  const stripShift = i32Arg(args, ARG_STRIP_SHIFT);
  const stripJump = pointerArg(args, ARG_STRIP_JUMP);
  const nIgnition = i32Arg(args, ARG_N_IGNITION);
  const ignitionCell = pointerArg(args, ARG_IGNITION_CELL);
  const ignitionT = pointerArg(args, ARG_IGNITION_T);
  const duration = f64At(args, ARG_DURATION);
  const records = pointerArg(args, ARG_RECORDS);
  const bounds = pointerArg(args, ARG_BOUNDS);
  const heapCell = pointerArg(args, ARG_HEAP_CELL);
  const heapKey = pointerArg(args, ARG_HEAP_KEY);
  const heapSlot = pointerArg(args, ARG_HEAP_SLOT);
  const summary = pointerArg(args, ARG_SUMMARY);
  const arrivalOut = pointerArg(args, ARG_ARRIVAL_OUT);
  const headOut = pointerArg(args, ARG_HEAD_OUT);
  const openBits = pointerArg(args, ARG_OPEN_BITS);
  const blockedBits = pointerArg(args, ARG_BLOCKED_BITS);
  const bitStride = i32Arg(args, ARG_BIT_STRIDE);
  const windowDirs = pointerArg(args, ARG_WINDOW_DIRS);
  const rowMasks = pointerArg(args, ARG_ROW_MASKS);
  const pending = pointerArg(args, ARG_PENDING);
  const stepOffsets = pointerArg(args, ARG_STEP_OFFSETS);
  const width = 2 * reach + 1;
  const stripColumns = 1 << stripShift;
  const stripCells = nrows << stripShift;
  const nStrips = (ncols + stripColumns - 1) >> stripShift;
  for (let c = 0; c < stripColumns; c++) {
    for (let k = 0; k < width; k++) {
      const to = c + k - reach;
      const jump = to >= stripColumns ? stripCells - stripColumns : to < 0 ? stripColumns - stripCells : 0;
      store<i32>(stripJumpRow(stripJump, width, c) + ((<usize>k) << 2), jump);
    }
  }
  const bitmapBytes = (<usize>(nrows + 2 * reach)) * (<usize>(bitStride >> 3)) + 8;
  memory.fill(openBits, 0, bitmapBytes);
  memory.fill(blockedBits, 0, bitmapBytes);
  memory.fill(windowDirs, 0, (<usize>(width * width)) * DIR_BYTES);
  memory.fill(rowMasks, 0, (<usize>width) << 3);
  memory.fill(stepOffsets, 0, (<usize>(stripColumns * width * width)) << 2);
  for (let k = 0; k < nStencil; k++) {
    const dr = load<i32>(stencilDr + ((<usize>k) << 2));
    const dc = load<i32>(stencilDc + ((<usize>k) << 2));
    const dir = windowDirs + (<usize>((dr + reach) * width + dc + reach)) * DIR_BYTES;
    store<f64>(dir, load<f64>(stencilUx + ((<usize>k) << 3)), DIR_UX);
    store<f64>(dir, load<f64>(stencilUy + ((<usize>k) << 3)), DIR_UY);
    store<f64>(dir, 0.5 * load<f64>(stencilDist + ((<usize>k) << 3)), DIR_HALF);
    for (let c = 0; c < stripColumns; c++) {
      const step = (dr << stripShift) + dc + load<i32>(stripJumpRow(stripJump, width, c) + ((<usize>(dc + reach)) << 2));
      store<i32>(stepOffsets + ((<usize>((c * width + dr + reach) * width + dc + reach)) << 2), step);
    }
    store<i32>(dir, load<i32>(crossStart + ((<usize>k) << 2)), DIR_CROSS_START);
    store<i32>(dir, load<i32>(crossStart + ((<usize>(k + 1)) << 2)), DIR_CROSS_END);
    const mask = rowMasks + ((<usize>(dr + reach)) << 3);
    store<u64>(mask, load<u64>(mask) | (<u64>1 << <u64>(dc + reach)));
  }
  const gridCells = <usize>(nrows * ncols);
  for (let at: usize = 0; at < gridCells; at++) store<f64>(arrivalOut + (at << 3), Infinity);
  memory.fill(headOut, 0, gridCells << 2);
  let i = 0;
  for (let strip = 0; strip < nStrips; strip++) {
    for (let row = 0; row < nrows; row++) {
      for (let c = 0; c < stripColumns; c++, i++) {
        const rec = recordOf(records, i);
        store<f64>(rec, Infinity, ARRIVAL);
        store<i32>(heapSlot + ((<usize>i) << 2), -1);
        store<i32>(rec, -1, PERIOD);
        store<f32>(rec, 0.0, HEAD);
        const blocked = load<i32>(bedIndex + ((<usize>i) << 2)) < 0;
        store<f32>(bounds + ((<usize>i) << 2), blocked ? BLOCKED : <f32>Infinity);
        // Padding columns stay out of both bitmaps (their bits would be the next row's padding).
        const col = (strip << stripShift) + c;
        if (col < ncols) setBit(blocked ? blockedBits : openBits, bitOf(bitStride, reach, row, col));
      }
    }
  }
  let size: i32 = 0;
  for (let k = 0; k < nIgnition; k++) {
    const cell = load<i32>(ignitionCell + ((<usize>k) << 2));
    const t = load<f64>(ignitionT + ((<usize>k) << 3));
    const rec = recordOf(records, cell);
    if (load<f32>(bounds + ((<usize>cell) << 2)) == BLOCKED) continue;
    if (!(t < load<f64>(rec, ARRIVAL))) continue;
    store<f64>(rec, t, ARRIVAL);
    store<f32>(bounds + ((<usize>cell) << 2), upperF32(t));
    const slot = load<i32>(heapSlot + ((<usize>cell) << 2));
    if (slot < 0) {
      place(heapCell, heapKey, heapSlot, size, cell, t);
      size++;
      siftUp(heapCell, heapKey, heapSlot, size - 1);
    } else {
      store<f64>(heapKey + ((<usize>slot) << 3), t);
      siftUp(heapCell, heapKey, heapSlot, slot);
    }
  }

  const limit = windLimit != 0;
  let period: i32 = 0;
  windFactors(nBeds, beds, load<f64>(windSpeed) * FT_MIN_PER_M_S, bedPhiW);
  let wx = load<f64>(windX);
  let wy = load<f64>(windY);
  let popped: f64 = 0;
  let lastTime: f64 = 0;
  let nonFinite: f64 = 0;

  while (size > 0) {
    const cell = cellAt(heapCell, 0);
    const t = keyAt(heapKey, 0);
    if (t > duration) break;
    size--;
    if (size > 0) {
      place(heapCell, heapKey, heapSlot, 0, cellAt(heapCell, size), keyAt(heapKey, size));
      siftDown(heapCell, heapKey, heapSlot, size, 0);
    }
    const here = recordOf(records, cell);
    store<f32>(bounds + ((<usize>cell) << 2), DONE);
    const strip = cell / stripCells;
    const inStrip = cell - strip * stripCells;
    const row = inStrip >> stripShift;
    const columnInStrip = inStrip & (stripColumns - 1);
    const col = (strip << stripShift) + columnInStrip;
    const jumps = stripJumpRow(stripJump, width, columnInStrip);
    clearBit(openBits, bitOf(bitStride, reach, row, col));
    popped += 1;
    lastTime = t;

    // Dijkstra pops in time order, so the wind period only ever moves forward.
    while (period + 1 < nWind && load<f64>(windT + ((<usize>(period + 1)) << 3)) <= t) {
      period++;
      windFactors(nBeds, beds, load<f64>(windSpeed + ((<usize>period) << 3)) * FT_MIN_PER_M_S, bedPhiW);
      wx = load<f64>(windX + ((<usize>period) << 3));
      wy = load<f64>(windY + ((<usize>period) << 3));
    }
    // The ellipse depends only on the cell and the wind period: one computed this period as a
    // neighbour is the one it burns with.
    if (load<i32>(here, PERIOD) != period) {
      evaluateCell(cell, beds, bedIndex, slopeX, slopeY, bedPhiW, wx, wy, limit, here, period);
    }
    const headHere = <f64>load<f32>(here, HEAD);
    const outAt = <usize>(row * ncols + col);
    store<f64>(arrivalOut + (outAt << 3), t);
    store<f32>(headOut + (outAt << 2), <f32>headHere);
    if (!isFinite(headHere) || isNaN(<f64>load<f32>(here, SLOW))) { nonFinite += 1; continue; }
    if (!(headHere > 0.0)) continue;

    let nearBlocked: u64 = 0;
    {
      let bit = (<usize>row) * (<usize>bitStride) + <usize>col;
      for (let r = 0; r < width; r++, bit += <usize>bitStride) nearBlocked |= load<u64>(blockedBits + (bit >> 3)) >> <u64>(bit & 7);
      nearBlocked &= (<u64>1 << <u64>width) - 1;
    }
    // Passes over the open cells of the stencil. (1) The bound screen: the half of each step in
    // this cell alone against the neighbour's 4-byte bound; the ~17 of ~40 that pass go to
    // `pending` (screenNeighbours). (2) Those whose record holds this period's ellipse get their
    // full candidate; the ~4 of them that improve their record go to `improving` (branch-free:
    // whether a candidate improves is a coin toss to the branch predictor); the others, kept
    // compacted at the front of `pending`, wait for (4). (3) The improvements: barrier scan,
    // record, bound, queue. (4) The rest get this period's ellipse and are relaxed in full (~1.5
    // per pop). No pass changes an arrival time: each neighbour is relaxed once per pop, from
    // this cell's time alone; relaxing one changes no other's bound or record; an ellipse depends
    // only on the cell and the period (so the order of relaxations and evaluations within one pop
    // is free, as before). Why: V8 has no callee-saved registers, so a loop that may call
    // evaluateCell spills what it keeps across the call on every iteration (the single loop
    // spilled about ten values per neighbour); passes (1)-(3), which see nearly all the work,
    // call nothing.
    const improving = pending + (<usize>nStencil) * PENDING_BYTES;
    const end = screenNeighbours(
      cell, row, col, t, <f64>load<f32>(here, SLOW), <f64>load<f32>(here, EAST), <f64>load<f32>(here, NORTH),
      openBits, bitStride, width, rowMasks, windowDirs,
      stepOffsets + ((<usize>(columnInStrip * width * width)) << 2), bounds, pending,
    );
    let stale = pending;
    let improved = improving;
    for (let at = pending; at < end; at += PENDING_BYTES) {
      const next = load<i32>(at, PENDING_CELL);
      const there = recordOf(records, next);
      if (load<i32>(there, PERIOD) != period) {
        store<u64>(stale, load<u64>(at));
        store<f64>(stale, load<f64>(at, PENDING_SLOW), PENDING_SLOW);
        stale += PENDING_BYTES;
        continue;
      }
      // The full candidate; kept (branch-free, like the screen) when it improves the record.
      const dir = <usize>load<i32>(at, PENDING_DIR);
      const slow = load<f64>(at, PENDING_SLOW);
      const half = load<f64>(dir, DIR_HALF);
      const best = load<f64>(there, ARRIVAL);
      const candidate = t + half * (slow + slownessToward(there, load<f64>(dir, DIR_UX), load<f64>(dir, DIR_UY)));
      store<u64>(improved, load<u64>(at));
      store<f64>(improved, candidate, PENDING_SLOW);
      improved += (<usize>((<i32>(t + half * slow < best)) & (<i32>(candidate < best)))) << PENDING_SHIFT;
    }
    for (let at = improving; at < improved; at += PENDING_BYTES) {
      const next = load<i32>(at, PENDING_CELL);
      size = commitAt(
        recordOf(records, next), next, <usize>load<i32>(at, PENDING_DIR), load<f64>(at, PENDING_SLOW), cell, bounds,
        heapCell, heapKey, heapSlot, size, nearBlocked, crossDr, crossDc, stripShift, jumps, reach,
      );
    }
    for (let at = pending; at < stale; at += PENDING_BYTES) {
      const next = load<i32>(at, PENDING_CELL);
      const there = recordOf(records, next);
      // As before the split: the ellipse only for a step that may still improve the record.
      if (!(t + load<f64>(<usize>load<i32>(at, PENDING_DIR), DIR_HALF) * load<f64>(at, PENDING_SLOW) < load<f64>(there, ARRIVAL))) continue;
      evaluateCell(next, beds, bedIndex, slopeX, slopeY, bedPhiW, wx, wy, limit, there, period);
      size = relaxPending(at, next, there, cell, t, bounds, heapCell, heapKey, heapSlot, size, nearBlocked, crossDr, crossDc, stripShift, jumps, reach);
    }
  }
  store<f64>(summary + ((<usize>SUMMARY_POPPED) << 3), popped);
  store<f64>(summary + ((<usize>SUMMARY_LAST_TIME) << 3), lastTime);
  store<f64>(summary + ((<usize>SUMMARY_NON_FINITE) << 3), nonFinite);
}
