// Plain-TS twin of assembly/fire/spread.ts (same algorithm, same operation order); see the kernel
// for why it works the way it does. PackedSpread (./packed.ts) is what both take. The twin keeps
// the simpler layout on purpose: row-major arrays, a stencil loop with bounds checks, the heap slot
// beside the cell. The kernel's column-strip numbering, bitmaps and dense slot array only change
// where values live and which non-improving neighbours are skipped early, never a relaxation's
// result, so arrival times are identical (test/fire/spread.test.ts checks it at every strip width).
import { BED_STRIDE } from '../../assembly/fire/layout.ts';
import type { PackedSpread, SpreadRun } from './packed.ts';

const M_S_PER_FT_MIN = 0.3048 / 60.0;
const FT_MIN_PER_M_S = 60.0 / 0.3048;
const DONE = -2;
const NEVER = -1;

function ellipseEccentricity(windMiPerH: number): number {
  if (!(windMiPerH > 1.0e-7)) return 0.0;
  let lw = 0.936 * Math.exp(0.1147 * windMiPerH) + 0.461 * Math.exp(-0.0692 * windMiPerH) - 0.397;
  if (lw > 8.0) lw = 8.0;
  const x = lw * lw - 1.0;
  return x > 0.0 ? Math.sqrt(x) / lw : 0.0;
}

export function fireSpreadReference(p: PackedSpread): SpreadRun {
  const { nrows, ncols, bedIndex, beds, slopeX, slopeY, stencil } = p;
  const cells = nrows * ncols;
  const arrival = new Float64Array(cells).fill(Infinity);
  const pos = new Int32Array(cells).fill(NEVER);
  const stamp = new Int32Array(cells).fill(-1);
  const heap = new Int32Array(cells);
  const cacheHead = new Float32Array(cells);
  const cacheSlow = new Float32Array(cells);
  const cacheEx = new Float32Array(cells);
  const cacheEy = new Float32Array(cells);
  let size = 0;

  const place = (slot: number, cell: number) => { heap[slot] = cell; pos[cell] = slot; };
  const siftUp = (slot: number) => {
    const cell = heap[slot];
    const t = arrival[cell];
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      const other = heap[parent];
      if (arrival[other] <= t) break;
      place(slot, other);
      slot = parent;
    }
    place(slot, cell);
  };
  const siftDown = (slot: number) => {
    const cell = heap[slot];
    const t = arrival[cell];
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= size) break;
      let childKey = arrival[heap[child]];
      if (child + 1 < size) {
        const rightKey = arrival[heap[child + 1]];
        if (rightKey < childKey) { child++; childKey = rightKey; }
      }
      if (childKey >= t) break;
      place(slot, heap[child]);
      slot = child;
    }
    place(slot, cell);
  };
  const evaluateCell = (cell: number, windFtMin: number, wx: number, wy: number) => {
    const bed = bedIndex[cell] * BED_STRIDE;
    const r0 = beds[bed];
    const reaction = beds[bed + 1];
    const windB = beds[bed + 3];
    const windK = beds[bed + 4];
    const phiW = windFtMin < 1.0e-7 ? 0.0 : Math.pow(windFtMin, windB) * windK;
    const vx = r0 * (phiW * wx + slopeX[cell]);
    const vy = r0 * (phiW * wy + slopeY[cell]);
    const push = Math.sqrt(vx * vx + vy * vy);
    let head = r0 + push;
    let effectiveWind = 0.0;
    if (r0 > 0.0 && push > 0.0) {
      effectiveWind = Math.pow((push / r0) / windK, 1.0 / windB);
      const limit = 0.9 * reaction;
      if (p.windLimit && effectiveWind > limit) {
        effectiveWind = limit;
        head = r0 * (1.0 + windK * Math.pow(limit, windB));
      }
    }
    const ecc = ellipseEccentricity(effectiveWind / 88.0);
    const headMs = head * M_S_PER_FT_MIN;
    cacheHead[cell] = headMs;
    cacheSlow[cell] = headMs > 0.0 ? 1.0 / (headMs * (1.0 - ecc)) : Infinity;
    cacheEx[cell] = push > 0.0 ? ecc * (vx / push) : 0.0;
    cacheEy[cell] = push > 0.0 ? ecc * (vy / push) : 0.0;
  };
  const slownessToward = (c: number, ux: number, uy: number) => {
    const eCosine = ux * cacheEx[c] + uy * cacheEy[c];
    return cacheSlow[c] * (1.0 - eCosine);
  };

  for (let k = 0; k < p.ignitionCell.length; k++) {
    const cell = p.ignitionCell[k];
    const t = p.ignitionT[k];
    if (bedIndex[cell] < 0) continue;
    if (!(t < arrival[cell])) continue;
    arrival[cell] = t;
    if (pos[cell] === NEVER) { place(size, cell); size++; siftUp(size - 1); } else siftUp(pos[cell]);
  }

  let period = 0;
  let windFtMin = p.windMidflameMPerS[0] * FT_MIN_PER_M_S;
  let wx = p.windX[0];
  let wy = p.windY[0];
  let popped = 0;
  let lastTime = 0;
  let nonFinite = 0;
  while (size > 0) {
    const cell = heap[0];
    const t = arrival[cell];
    if (t > p.duration) break;
    size--;
    if (size > 0) { place(0, heap[size]); siftDown(0); }
    pos[cell] = DONE;
    popped += 1;
    lastTime = t;
    while (period + 1 < p.windT.length && p.windT[period + 1] <= t) {
      period++;
      windFtMin = p.windMidflameMPerS[period] * FT_MIN_PER_M_S;
      wx = p.windX[period];
      wy = p.windY[period];
    }
    if (stamp[cell] !== period) { evaluateCell(cell, windFtMin, wx, wy); stamp[cell] = period; }
    const headHere = cacheHead[cell];
    if (!Number.isFinite(headHere) || Number.isNaN(cacheSlow[cell])) { nonFinite += 1; continue; }
    if (!(headHere > 0.0)) continue;
    const row = Math.floor(cell / ncols);
    const col = cell - row * ncols;
    for (let k = 0; k < stencil.n; k++) {
      const r = row + stencil.dr[k];
      const c = col + stencil.dc[k];
      if (r < 0 || r >= nrows || c < 0 || c >= ncols) continue;
      const next = r * ncols + c;
      const nextSlot = pos[next];
      if (nextSlot === DONE) continue;
      if (bedIndex[next] < 0) continue;
      const ux = stencil.ux[k];
      const uy = stencil.uy[k];
      const half = 0.5 * stencil.dist[k];
      const best = arrival[next];
      const slowHere = slownessToward(cell, ux, uy);
      if (!(t + half * slowHere < best)) continue;
      if (stamp[next] !== period) { evaluateCell(next, windFtMin, wx, wy); stamp[next] = period; }
      const candidate = t + half * (slowHere + slownessToward(next, ux, uy));
      if (!(candidate < best)) continue;
      let blocked = false;
      for (let m = stencil.crossStart[k]; m < stencil.crossStart[k + 1]; m++) {
        if (bedIndex[(row + stencil.crossDr[m]) * ncols + col + stencil.crossDc[m]] < 0) { blocked = true; break; }
      }
      if (blocked) continue;
      arrival[next] = candidate;
      if (nextSlot === NEVER) { place(size, next); size++; siftUp(size - 1); } else siftUp(nextSlot);
    }
  }
  for (let s = 0; s < size; s++) arrival[heap[s]] = Infinity;
  for (let i = 0; i < cells; i++) if (arrival[i] === Infinity) cacheHead[i] = 0;
  return { arrival, head: cacheHead, popped, lastTime, nonFinite };
}
