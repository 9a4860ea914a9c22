// Fire arrival time over a raster: minimum travel time (Dijkstra) over a large stencil, with each
// step's time taken from the Rothermel ellipse of the cells at both ends.
//
// Why this method: on a homogeneous landscape Dijkstra over a stencil of directions {u_k} burns, at
// time t, the convex hull of the points t·ros(u_k)·u_k — a polygon inscribed in the true
// ellipse. With every primitive step out to ±4 cells (48 directions, largest angular gap 14°)
// that polygon loses well under 1 % of the ellipse's area at any wind angle, where an 8-neighbour
// automaton loses a third to a half. A step never jumps a barrier: every cell its segment touches
// (corners included) must be burnable, so even a one-cell diagonal line of non-burnable cells holds.
//
// Time-varying wind: a cell's ellipse is evaluated with the wind blowing at the time it is
// reached; a neighbour's ellipse is cached per wind period (stamp), so each cell is evaluated
// about once per period it is touched in. All arrays come from the host; nothing is allocated.

import { BED_STRIDE } from "./rothermel";

const M_S_PER_FT_MIN: f64 = 0.3048 / 60.0;
const FT_MIN_PER_M_S: f64 = 60.0 / 0.3048;
const DONE: i32 = -2;
const NEVER: i32 = -1;

// Summary record written at `summary`.
const SUMMARY_POPPED: i32 = 0;
const SUMMARY_LAST_TIME: i32 = 1;
const SUMMARY_NON_FINITE: i32 = 2;

// --- indexed binary min-heap of cells keyed by arrival time ---------------------------------
// heap[0..size) holds cell ids; pos[cell] is its slot, NEVER, or DONE.

@inline function key(arrival: usize, cell: i32): f64 {
  return load<f64>(arrival + ((<usize>cell) << 3));
}
@inline function heapAt(heap: usize, slot: i32): i32 {
  return load<i32>(heap + ((<usize>slot) << 2));
}
@inline function place(heap: usize, pos: usize, slot: i32, cell: i32): void {
  store<i32>(heap + ((<usize>slot) << 2), cell);
  store<i32>(pos + ((<usize>cell) << 2), slot);
}

function siftUp(heap: usize, pos: usize, arrival: usize, slot: i32): void {
  const cell = heapAt(heap, slot);
  const t = key(arrival, cell);
  while (slot > 0) {
    const parent = (slot - 1) >> 1;
    const other = heapAt(heap, parent);
    if (key(arrival, other) <= t) break;
    place(heap, pos, slot, other);
    slot = parent;
  }
  place(heap, pos, slot, cell);
}

function siftDown(heap: usize, pos: usize, arrival: usize, size: i32, slot: i32): void {
  const cell = heapAt(heap, slot);
  const t = key(arrival, cell);
  while (true) {
    let child = 2 * slot + 1;
    if (child >= size) break;
    let childKey = key(arrival, heapAt(heap, child));
    if (child + 1 < size) {
      const rightKey = key(arrival, heapAt(heap, child + 1));
      if (rightKey < childKey) { child++; childKey = rightKey; }
    }
    if (childKey >= t) break;
    place(heap, pos, slot, heapAt(heap, child));
    slot = child;
  }
  place(heap, pos, slot, cell);
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

/**
 * Cell `cell`'s head rate (m/s), eccentricity and heading (east, north) under wind of speed
 * `windFtMin` blowing toward (wx, wy), written to the four f32 caches.
 */
function evaluateCell(
  cell: i32, beds: usize, bedIndex: usize, slopeX: usize, slopeY: usize,
  windFtMin: f64, wx: f64, wy: f64, windLimit: bool,
  cacheHead: usize, cacheEcc: usize, cacheHx: usize, cacheHy: usize,
): void {
  const c = <usize>cell;
  const bed = beds + ((<usize>(load<i32>(bedIndex + (c << 2)) * BED_STRIDE)) << 3);
  const r0 = load<f64>(bed);
  const reaction = load<f64>(bed, 8);
  const windB = load<f64>(bed, 24);
  const windK = load<f64>(bed, 32);
  const phiW = windFtMin < 1.0e-7 ? 0.0 : Math.pow(windFtMin, windB) * windK;
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
  store<f32>(cacheHead + (c << 2), <f32>(head * M_S_PER_FT_MIN));
  store<f32>(cacheEcc + (c << 2), <f32>ecc);
  store<f32>(cacheHx + (c << 2), push > 0.0 ? <f32>(vx / push) : 0.0);
  store<f32>(cacheHy + (c << 2), push > 0.0 ? <f32>(vy / push) : 0.0);
}

/** Rate of spread (m/s) in direction (ux, uy) from the cell's ellipse: behave's focal polar form. */
@inline function rateToward(cacheHead: usize, cacheEcc: usize, cacheHx: usize, cacheHy: usize, c: usize, ux: f64, uy: f64): f64 {
  const head = <f64>load<f32>(cacheHead + (c << 2));
  const ecc = <f64>load<f32>(cacheEcc + (c << 2));
  const cosine = ux * <f64>load<f32>(cacheHx + (c << 2)) + uy * <f64>load<f32>(cacheHy + (c << 2));
  return head * (1.0 - ecc) / (1.0 - ecc * cosine);
}

/**
 * Arrival times (s) at `arrival` for an nrows × ncols grid (row 0 north).
 * Cells with bedIndex < 0 never burn and block any step that touches them.
 * Wind: nWind periods starting at windT[k] (s), speed windSpeed[k] (m/s) toward (windX, windY).
 * Stencil k: offset (stencilDr, stencilDc), length stencilDist (m), unit (stencilUx east, stencilUy
 * north); the cells its segment touches are cross[crossStart[k] .. crossStart[k+1]) as (dr, dc).
 * Cells not reached by `duration` keep +Infinity.
 */
export function fireSpread(
  nrows: i32, ncols: i32,
  bedIndex: usize, beds: usize, slopeX: usize, slopeY: usize,
  nWind: i32, windT: usize, windSpeed: usize, windX: usize, windY: usize, windLimit: i32,
  nStencil: i32, stencilDr: usize, stencilDc: usize, stencilDist: usize, stencilUx: usize, stencilUy: usize,
  crossStart: usize, crossDr: usize, crossDc: usize,
  nIgnition: i32, ignitionCell: usize, ignitionT: usize,
  duration: f64,
  arrival: usize, cacheHead: usize, cacheEcc: usize, cacheHx: usize, cacheHy: usize, stamp: usize,
  heap: usize, pos: usize, summary: usize,
): void {
  const cells = nrows * ncols;
  for (let i = 0; i < cells; i++) {
    store<f64>(arrival + ((<usize>i) << 3), Infinity);
    store<i32>(pos + ((<usize>i) << 2), NEVER);
    store<i32>(stamp + ((<usize>i) << 2), -1);
  }
  let size: i32 = 0;
  for (let k = 0; k < nIgnition; k++) {
    const cell = load<i32>(ignitionCell + ((<usize>k) << 2));
    const t = load<f64>(ignitionT + ((<usize>k) << 3));
    if (load<i32>(bedIndex + ((<usize>cell) << 2)) < 0) continue;
    if (!(t < key(arrival, cell))) continue;
    store<f64>(arrival + ((<usize>cell) << 3), t);
    const slot = load<i32>(pos + ((<usize>cell) << 2));
    if (slot == NEVER) {
      place(heap, pos, size, cell);
      size++;
      siftUp(heap, pos, arrival, size - 1);
    } else {
      siftUp(heap, pos, arrival, slot);
    }
  }

  const limit = windLimit != 0;
  let period: i32 = 0;
  let windFtMin = load<f64>(windSpeed) * FT_MIN_PER_M_S;
  let wx = load<f64>(windX);
  let wy = load<f64>(windY);
  let popped: f64 = 0;
  let lastTime: f64 = 0;
  let nonFinite: f64 = 0;

  while (size > 0) {
    const cell = heapAt(heap, 0);
    const t = key(arrival, cell);
    if (t > duration) break;
    size--;
    if (size > 0) {
      place(heap, pos, 0, heapAt(heap, size));
      siftDown(heap, pos, arrival, size, 0);
    }
    store<i32>(pos + ((<usize>cell) << 2), DONE);
    popped += 1;
    lastTime = t;

    // Dijkstra pops in time order, so the wind period only ever moves forward.
    while (period + 1 < nWind && load<f64>(windT + ((<usize>(period + 1)) << 3)) <= t) {
      period++;
      windFtMin = load<f64>(windSpeed + ((<usize>period) << 3)) * FT_MIN_PER_M_S;
      wx = load<f64>(windX + ((<usize>period) << 3));
      wy = load<f64>(windY + ((<usize>period) << 3));
    }
    evaluateCell(cell, beds, bedIndex, slopeX, slopeY, windFtMin, wx, wy, limit, cacheHead, cacheEcc, cacheHx, cacheHy);
    store<i32>(stamp + ((<usize>cell) << 2), period);
    const headHere = <f64>load<f32>(cacheHead + ((<usize>cell) << 2));
    if (!isFinite(headHere)) { nonFinite += 1; continue; }
    if (!(headHere > 0.0)) continue;

    const row = cell / ncols;
    const col = cell - row * ncols;
    for (let k = 0; k < nStencil; k++) {
      const r = row + load<i32>(stencilDr + ((<usize>k) << 2));
      const c = col + load<i32>(stencilDc + ((<usize>k) << 2));
      if (r < 0 || r >= nrows || c < 0 || c >= ncols) continue;
      const next = r * ncols + c;
      const nextSlot = load<i32>(pos + ((<usize>next) << 2));
      if (nextSlot == DONE) continue;
      if (load<i32>(bedIndex + ((<usize>next) << 2)) < 0) continue;
      const ux = load<f64>(stencilUx + ((<usize>k) << 3));
      const uy = load<f64>(stencilUy + ((<usize>k) << 3));
      const rateHere = rateToward(cacheHead, cacheEcc, cacheHx, cacheHy, <usize>cell, ux, uy);
      if (load<i32>(stamp + ((<usize>next) << 2)) != period) {
        evaluateCell(next, beds, bedIndex, slopeX, slopeY, windFtMin, wx, wy, limit, cacheHead, cacheEcc, cacheHx, cacheHy);
        store<i32>(stamp + ((<usize>next) << 2), period);
      }
      const rateThere = rateToward(cacheHead, cacheEcc, cacheHx, cacheHy, <usize>next, ux, uy);
      if (!(rateThere > 0.0)) continue;
      // Half the step in each cell's fuel, at each cell's rate in the step's direction.
      const half = 0.5 * load<f64>(stencilDist + ((<usize>k) << 3));
      const candidate = t + half / rateHere + half / rateThere;
      if (!(candidate < key(arrival, next))) continue;
      let blocked = false;
      const end = load<i32>(crossStart + ((<usize>(k + 1)) << 2));
      for (let m = load<i32>(crossStart + ((<usize>k) << 2)); m < end; m++) {
        const through = (row + load<i32>(crossDr + ((<usize>m) << 2))) * ncols + col + load<i32>(crossDc + ((<usize>m) << 2));
        if (load<i32>(bedIndex + ((<usize>through) << 2)) < 0) { blocked = true; break; }
      }
      if (blocked) continue;
      store<f64>(arrival + ((<usize>next) << 3), candidate);
      if (nextSlot == NEVER) {
        place(heap, pos, size, next);
        size++;
        siftUp(heap, pos, arrival, size - 1);
      } else {
        siftUp(heap, pos, arrival, nextSlot);
      }
    }
  }
  // Reached but not popped by `duration`: not burned.
  for (let s = 0; s < size; s++) {
    const cell = heapAt(heap, s);
    store<f64>(arrival + ((<usize>cell) << 3), Infinity);
  }
  store<f64>(summary + ((<usize>SUMMARY_POPPED) << 3), popped);
  store<f64>(summary + ((<usize>SUMMARY_LAST_TIME) << 3), lastTime);
  store<f64>(summary + ((<usize>SUMMARY_NON_FINITE) << 3), nonFinite);
}
