// Terrain passes of the region builder over raw memory the host allocated (models/region/terrain.ts):
// priority-flood depression filling, D8 directions, flow accumulation, height above drainage, Horn
// slope and aspect. Each mirrors its plain-TS twin (models/region/reference.ts) operation for
// operation, so both give the same bits; no allocation inside any loop.
import { f64At, i32At, i8At, setF64, setI32, setI8, setU8, u8At } from "../memory";
import {
  DIR_OUTLET, FILL_HEAP_FULL, HAND_UNKNOWN, HEAP_CELL, HEAP_ENTRY_BYTES, HEAP_KEY,
  STATS_FILLED_CELLS, STATS_FLAT_CELLS, STATS_MAX_FILL_DEPTH, STATS_NODATA_CELLS,
} from "./layout";

// D8 neighbours clockwise from north; diagonal steps are √2 cells long.
const D8_ROW: StaticArray<i32> = [-1, -1, 0, 1, 1, 1, 0, -1];
const D8_COL: StaticArray<i32> = [0, 1, 1, 1, 0, -1, -1, -1];
const D8_LENGTH: StaticArray<f64> = [1, Math.SQRT2, 1, Math.SQRT2, 1, Math.SQRT2, 1, Math.SQRT2];

@inline function heapKey(heap: usize, slot: i32): f64 { return load<f64>(heap + <usize>slot * HEAP_ENTRY_BYTES + HEAP_KEY); }
@inline function heapCell(heap: usize, slot: i32): i32 { return load<i32>(heap + <usize>slot * HEAP_ENTRY_BYTES + HEAP_CELL); }
@inline function heapSet(heap: usize, slot: i32, key: f64, cell: i32): void {
  const at = heap + <usize>slot * HEAP_ENTRY_BYTES;
  store<f64>(at + HEAP_KEY, key);
  store<i32>(at + HEAP_CELL, cell);
}

/** Binary min-heap push by sifting a hole up; returns the new size. */
@inline function heapPush(heap: usize, size: i32, key: f64, cell: i32): i32 {
  let hole = size;
  while (hole > 0) {
    const parent = (hole - 1) >> 1;
    const parentKey = heapKey(heap, parent);
    if (parentKey <= key) break;
    heapSet(heap, hole, parentKey, heapCell(heap, parent));
    hole = parent;
  }
  heapSet(heap, hole, key, cell);
  return size + 1;
}

/** Removes the top entry (read it first) by sifting the last entry down from the root. */
@inline function heapRemoveTop(heap: usize, size: i32): i32 {
  const last = size - 1;
  const key = heapKey(heap, last);
  const cell = heapCell(heap, last);
  let hole = 0;
  while (true) {
    let child = 2 * hole + 1;
    if (child >= last) break;
    let childKey = heapKey(heap, child);
    if (child + 1 < last) {
      const rightKey = heapKey(heap, child + 1);
      if (rightKey < childKey) { child++; childKey = rightKey; }
    }
    if (key <= childKey) break;
    heapSet(heap, hole, childKey, heapCell(heap, child));
    hole = child;
  }
  if (last > 0) heapSet(heap, hole, key, cell);
  return last;
}

const GREW_NONE = 0;
const GREW_PIT = 1;
const GREW_HEAP = 2;

/** One neighbour `j` reached from a cell at `zi`: raised into the pit queue, or onto the heap. */
@inline function floodNeighbour(
  j: i32, zi: f64, epsilon: f64, filled: usize, done: usize, heap: usize, size: i32, heapCapacity: i32, pit: usize, pitTail: i32,
): i32 {
  if (u8At(done, j)) return GREW_NONE;
  setU8(done, j, 1);
  const zj = f64At(filled, j);
  if (zj <= zi) {
    setF64(filled, j, zi + epsilon);
    setI32(pit, pitTail, j);
    return GREW_PIT;
  }
  if (size == heapCapacity) return FILL_HEAP_FULL;
  heapPush(heap, size, zj, j);
  return GREW_HEAP;
}

/**
 * Priority-Flood+ε (Barnes, Lehman & Mulla 2014, "Priority-Flood: An optimal depression-filling and
 * watershed-labeling algorithm for digital elevation models", Computers & Geosciences 62:117–127,
 * Algorithm 3): flooded inward from the edge and from NODATA, lowest cell first; a neighbour no
 * higher than the cell that reached it is raised to that cell + ε, so flats and filled pits keep a
 * gradient and every cell drains. Raised cells go into Barnes' plain FIFO ("pit queue") instead of
 * the heap. The FIFO is sorted by construction (pops never go down), and a cell is taken from
 * whichever of FIFO and heap holds the lower elevation, so cells leave in exactly the elevation
 * order of a heap alone; ties between equal elevations cannot change the filled surface (each
 * cell's value depends only on the elevation of whoever reaches it first), which is what lets the
 * kernel and its heap-only twin agree bit for bit.
 *
 * `heap` holds `heapCapacity` entries of HEAP_ENTRY_BYTES; `pit` one i32 per cell; `done` one byte
 * per cell. Returns the number of cells flooded, or FILL_HEAP_FULL when the heap overflowed.
 */
export function regionFill(
  nrows: i32, ncols: i32, dem: usize, epsilon: f64, filled: usize, done: usize,
  heap: usize, heapCapacity: i32, pit: usize,
): i32 {
  const n = nrows * ncols;
  memory.copy(filled, dem, <usize>n << 3);
  memory.fill(done, 0, <usize>n);
  let size = 0;
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const z = f64At(filled, i);
      if (isNaN(z)) { setU8(done, i, 1); continue; }
      let edge = r == 0 || c == 0 || r == nrows - 1 || c == ncols - 1;
      for (let k = 0; k < 8 && !edge; k++) {
        edge = isNaN(f64At(dem, (r + unchecked(D8_ROW[k])) * ncols + c + unchecked(D8_COL[k])));
      }
      if (edge) {
        if (size == heapCapacity) return FILL_HEAP_FULL;
        size = heapPush(heap, size, z, i);
        setU8(done, i, 1);
      }
    }
  }
  let pitHead = 0;
  let pitTail = 0;
  let flooded = 0;
  while (size > 0 || pitHead < pitTail) {
    let i: i32;
    if (pitHead < pitTail && (size == 0 || f64At(filled, i32At(pit, pitHead)) <= heapKey(heap, 0))) {
      i = i32At(pit, pitHead++);
    } else {
      i = heapCell(heap, 0);
      size = heapRemoveTop(heap, size);
    }
    flooded++;
    const zi = f64At(filled, i);
    const r = i / ncols;
    const c = i - r * ncols;
    if (r > 0 && c > 0 && r < nrows - 1 && c < ncols - 1) {
      // All eight neighbours exist: unrolled, clockwise from north as D8_ROW/D8_COL.
      for (let k = 0; k < 8; k++) {
        let j: i32;
        switch (k) {
          case 0: j = i - ncols; break;
          case 1: j = i - ncols + 1; break;
          case 2: j = i + 1; break;
          case 3: j = i + ncols + 1; break;
          case 4: j = i + ncols; break;
          case 5: j = i + ncols - 1; break;
          case 6: j = i - 1; break;
          default: j = i - ncols - 1;
        }
        const grew = floodNeighbour(j, zi, epsilon, filled, done, heap, size, heapCapacity, pit, pitTail);
        if (grew == GREW_PIT) pitTail++;
        else if (grew == GREW_HEAP) size++;
        else if (grew == FILL_HEAP_FULL) return FILL_HEAP_FULL;
      }
    } else {
      for (let k = 0; k < 8; k++) {
        const rr = r + unchecked(D8_ROW[k]);
        const cc = c + unchecked(D8_COL[k]);
        if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
        const grew = floodNeighbour(rr * ncols + cc, zi, epsilon, filled, done, heap, size, heapCapacity, pit, pitTail);
        if (grew == GREW_PIT) pitTail++;
        else if (grew == GREW_HEAP) size++;
        else if (grew == FILL_HEAP_FULL) return FILL_HEAP_FULL;
      }
    }
  }
  return flooded;
}

/** Cells raised, the largest raise, cells with no way down on the original DEM, NODATA cells. */
export function regionFillStats(nrows: i32, ncols: i32, dem: usize, filled: usize, stats: usize): void {
  let raised = 0;
  let maxDepth = 0.0;
  let flats = 0;
  let nodata = 0;
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const z = f64At(dem, i);
      if (isNaN(z)) { nodata++; continue; }
      const depth = f64At(filled, i) - z;
      if (depth > 0) { raised++; if (depth > maxDepth) maxDepth = depth; }
      if (r == 0 || c == 0 || r == nrows - 1 || c == ncols - 1) continue;
      let outlet = false;
      for (let k = 0; k < 8 && !outlet; k++) {
        const zj = f64At(dem, (r + unchecked(D8_ROW[k])) * ncols + c + unchecked(D8_COL[k]));
        outlet = isNaN(zj) || zj < z;
      }
      if (!outlet) flats++;
    }
  }
  setF64(stats, STATS_FILLED_CELLS, <f64>raised);
  setF64(stats, STATS_MAX_FILL_DEPTH, maxDepth);
  setF64(stats, STATS_FLAT_CELLS, <f64>flats);
  setF64(stats, STATS_NODATA_CELLS, <f64>nodata);
}

/** Steepest-descent D8 direction per cell (i8), DIR_OUTLET where no neighbour is lower. */
export function regionFlowDirections(nrows: i32, ncols: i32, elevation: usize, direction: usize): void {
  for (let r = 0; r < nrows; r++) {
    const interiorRow = r > 0 && r < nrows - 1;
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const zi = f64At(elevation, i);
      let best = DIR_OUTLET;
      if (!isNaN(zi)) {
        let bestDrop = 0.0;
        if (interiorRow && c > 0 && c < ncols - 1) {
          // All eight neighbours exist: no bounds checks, the same drops in the same order.
          const up = elevation + (<usize>(i - ncols) << 3);
          const here = elevation + (<usize>i << 3);
          const down = elevation + (<usize>(i + ncols) << 3);
          let zj = load<f64>(up); let drop = zi - zj;
          if (drop > bestDrop) { bestDrop = drop; best = 0; }
          zj = load<f64>(up, 8); drop = (zi - zj) / Math.SQRT2;
          if (drop > bestDrop) { bestDrop = drop; best = 1; }
          zj = load<f64>(here, 8); drop = zi - zj;
          if (drop > bestDrop) { bestDrop = drop; best = 2; }
          zj = load<f64>(down, 8); drop = (zi - zj) / Math.SQRT2;
          if (drop > bestDrop) { bestDrop = drop; best = 3; }
          zj = load<f64>(down); drop = zi - zj;
          if (drop > bestDrop) { bestDrop = drop; best = 4; }
          zj = load<f64>(down - 8); drop = (zi - zj) / Math.SQRT2;
          if (drop > bestDrop) { bestDrop = drop; best = 5; }
          zj = load<f64>(here - 8); drop = zi - zj;
          if (drop > bestDrop) { bestDrop = drop; best = 6; }
          zj = load<f64>(up - 8); drop = (zi - zj) / Math.SQRT2;
          if (drop > bestDrop) { bestDrop = drop; best = 7; }
        } else {
          for (let k = 0; k < 8; k++) {
            const rr = r + unchecked(D8_ROW[k]);
            const cc = c + unchecked(D8_COL[k]);
            if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
            const zj = f64At(elevation, rr * ncols + cc);
            if (isNaN(zj)) continue;
            const drop = (zi - zj) / unchecked(D8_LENGTH[k]);
            if (drop > bestDrop) { bestDrop = drop; best = k; }
          }
        }
      }
      setI8(direction, i, best);
    }
  }
}

/** The cell `i` drains into, or −1 (off the grid, or a direction pointing outside it). */
@inline function downstream(direction: usize, n: i32, ncols: i32, i: i32): i32 {
  const k = i8At(direction, i);
  if (k < 0) return -1;
  const j = i + unchecked(D8_ROW[k & 7]) * ncols + unchecked(D8_COL[k & 7]);
  return j < 0 || j >= n ? -1 : j;
}

/** Cells draining through each cell, itself included: Kahn's topological order, no recursion. */
export function regionAccumulation(n: i32, ncols: i32, direction: usize, inflow: usize, queue: usize, accumulation: usize): void {
  memory.fill(inflow, 0, <usize>n << 2);
  for (let i = 0; i < n; i++) {
    const j = downstream(direction, n, ncols, i);
    if (j >= 0) setI32(inflow, j, i32At(inflow, j) + 1);
  }
  let tail = 0;
  for (let i = 0; i < n; i++) {
    setF64(accumulation, i, 1.0);
    if (i32At(inflow, i) == 0) setI32(queue, tail++, i);
  }
  for (let head = 0; head < tail; head++) {
    const i = i32At(queue, head);
    const j = downstream(direction, n, ncols, i);
    if (j < 0) continue;
    setF64(accumulation, j, f64At(accumulation, j) + f64At(accumulation, i));
    const left = i32At(inflow, j) - 1;
    setI32(inflow, j, left);
    if (left == 0) setI32(queue, tail++, j);
  }
}

/**
 * Height above the stream cell each cell's D8 path first reaches (NaN if none): every path walked
 * once, the cells on it labelled with the stream cell found, so the pass is linear in cells.
 */
export function regionHand(n: i32, ncols: i32, elevation: usize, direction: usize, isStream: usize, drain: usize, path: usize, hand: usize): void {
  for (let i = 0; i < n; i++) setI32(drain, i, HAND_UNKNOWN);
  for (let i = 0; i < n; i++) {
    if (i32At(drain, i) != HAND_UNKNOWN) continue;
    let length = 0;
    let j = i;
    // A loop in a caller's directions would never end: a path longer than the grid stops.
    while (j >= 0 && length < n && i32At(drain, j) == HAND_UNKNOWN && !u8At(isStream, j)) {
      setI32(path, length++, j);
      j = downstream(direction, n, ncols, j);
    }
    let target = -1;
    if (j >= 0) {
      if (u8At(isStream, j)) setI32(drain, j, j);
      target = i32At(drain, j);
      if (target == HAND_UNKNOWN) target = -1;
    }
    for (let k = 0; k < length; k++) setI32(drain, i32At(path, k), target);
  }
  for (let i = 0; i < n; i++) {
    const d = i32At(drain, i);
    setF64(hand, i, d < 0 ? NaN : f64At(elevation, i) - f64At(elevation, d));
  }
}

/**
 * Labels every cell still marked `unlabelled` with the label of the first labelled cell its D8 path
 * reaches (−1 if it leaves the grid first): the sub-basin of each reach in one linear pass.
 */
export function regionLabelDownstream(n: i32, ncols: i32, direction: usize, label: usize, unlabelled: i32, path: usize): void {
  for (let i = 0; i < n; i++) {
    if (i32At(label, i) != unlabelled) continue;
    let length = 0;
    let j = i;
    while (j >= 0 && length < n && i32At(label, j) == unlabelled) {
      setI32(path, length++, j);
      j = downstream(direction, n, ncols, j);
    }
    const found = j >= 0 && i32At(label, j) != unlabelled ? i32At(label, j) : -1;
    for (let k = 0; k < length; k++) setI32(label, i32At(path, k), found);
  }
}

/**
 * V8's Math.hypot for two arguments (src/builtins/math.tq: scaled by the larger magnitude, summed
 * with Kahan's compensation, which for two terms reduces to this), so the twin's slopes match.
 */
@inline function hypotAsV8(x: f64, y: f64): f64 {
  const ax = abs(x);
  const ay = abs(y);
  if (isNaN(ax) || isNaN(ay)) return ax == Infinity || ay == Infinity ? Infinity : NaN;
  let max = 0.0;
  if (ax > max) max = ax;
  if (ay > max) max = ay;
  if (max == Infinity) return Infinity;
  if (max == 0) return 0;
  const nx = ax / max;
  const ny = ay / max;
  return sqrt(nx * nx + ny * ny) * max;
}

/** Extrapolation of a missing Horn neighbour on the plane through its neighbours (see the twin). */
@inline function side(value: f64, opposite: f64, centre: f64): f64 {
  return !isNaN(value) ? value : isNaN(opposite) ? centre : 2 * centre - opposite;
}
@inline function corner(value: f64, rowSide: f64, colSide: f64, centre: f64): f64 {
  return !isNaN(value) ? value : rowSide + colSide - centre;
}
@inline function at(values: usize, nrows: i32, ncols: i32, r: i32, c: i32): f64 {
  return r < 0 || r >= nrows || c < 0 || c >= ncols ? NaN : f64At(values, r * ncols + c);
}

/**
 * Slope (degrees) and downslope aspect (degrees clockwise from north, NaN on flat cells) by Horn's
 * (1981) 3×3 differences, as `gdaldem slope/aspect`; atan/atan2 from this module's libm, the same
 * functions the host's dmath calls.
 */
export function regionSlopeAspect(nrows: i32, ncols: i32, cellsize: f64, values: usize, slopeDeg: usize, aspectDeg: usize): void {
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const e = f64At(values, i);
      if (isNaN(e)) { setF64(slopeDeg, i, NaN); setF64(aspectDeg, i, NaN); continue; }
      let north: f64; let south: f64; let west: f64; let east: f64;
      let northWest: f64; let northEast: f64; let southWest: f64; let southEast: f64;
      if (r > 0 && c > 0 && r < nrows - 1 && c < ncols - 1) {
        // All eight neighbours exist: the same values as at(), without its bounds checks.
        const up = values + (<usize>(i - ncols) << 3);
        const down = values + (<usize>(i + ncols) << 3);
        const here = values + (<usize>i << 3);
        north = load<f64>(up); south = load<f64>(down); west = load<f64>(here - 8); east = load<f64>(here, 8);
        northWest = load<f64>(up - 8); northEast = load<f64>(up, 8); southWest = load<f64>(down - 8); southEast = load<f64>(down, 8);
      } else {
        north = at(values, nrows, ncols, r - 1, c); south = at(values, nrows, ncols, r + 1, c);
        west = at(values, nrows, ncols, r, c - 1); east = at(values, nrows, ncols, r, c + 1);
        northWest = at(values, nrows, ncols, r - 1, c - 1); northEast = at(values, nrows, ncols, r - 1, c + 1);
        southWest = at(values, nrows, ncols, r + 1, c - 1); southEast = at(values, nrows, ncols, r + 1, c + 1);
      }
      const b = side(north, south, e); const h = side(south, north, e);
      const d = side(west, east, e); const f = side(east, west, e);
      const a = corner(northWest, b, d, e);
      const cc = corner(northEast, b, f, e);
      const g = corner(southWest, h, d, e);
      const k = corner(southEast, h, f, e);
      const dzdx = ((cc + 2 * f + k) - (a + 2 * d + g)) / (8 * cellsize);
      const dzdy = ((a + 2 * b + cc) - (g + 2 * h + k)) / (8 * cellsize);
      const gradient = hypotAsV8(dzdx, dzdy);
      setF64(slopeDeg, i, (Math.atan(gradient) * 180) / Math.PI);
      setF64(aspectDeg, i, gradient == 0 ? NaN : ((Math.atan2(-dzdx, -dzdy) * 180) / Math.PI + 360) % 360);
    }
  }
}
