// Plain-TS twin of the terrain kernels (assembly/region/terrain.ts): the yardstick tests and
// benchmarks check the wasm against, bit for bit. Production imports models/region/terrain.ts.
// Slope and aspect (Horn 1981, as ArcGIS and GDAL compute them), and the hydrology a region needs
// (depression filling, D8 flow, accumulation, HAND). NODATA (NaN) cells stay NaN in every output
// and never drain anywhere.
import { dmath } from '../dmath.ts';
import type { Grid } from '../grid/ascii.ts';

export interface SlopeAspect {
  slopeDeg: Float64Array;
  /** Direction the slope faces (downslope), degrees clockwise from north; NaN on flat cells. */
  aspectDeg: Float64Array;
}

/**
 * Horn's 3×3 finite differences. A neighbour off the grid or NODATA is extrapolated as on the plane
 * through its neighbours: a side neighbour as 2·centre − opposite side (the centre if both are
 * missing), a corner as side + side − centre. A plane thus keeps its exact slope up to the edge.
 */
export function slopeAspect(dem: Grid): SlopeAspect {
  const { ncols, nrows, cellsize, values } = dem;
  const slopeDeg = new Float64Array(values.length);
  const aspectDeg = new Float64Array(values.length);
  const at = (r: number, c: number) => (r < 0 || r >= nrows || c < 0 || c >= ncols ? NaN : values[r * ncols + c]);
  const side = (value: number, opposite: number, centre: number) =>
    (!Number.isNaN(value) ? value : Number.isNaN(opposite) ? centre : 2 * centre - opposite);
  const corner = (value: number, rowSide: number, colSide: number, centre: number) =>
    (!Number.isNaN(value) ? value : rowSide + colSide - centre);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const e = values[i];
      if (Number.isNaN(e)) {
        slopeDeg[i] = NaN;
        aspectDeg[i] = NaN;
        continue;
      }
      const north = at(r - 1, c); const south = at(r + 1, c); const west = at(r, c - 1); const east = at(r, c + 1);
      const b = side(north, south, e); const h = side(south, north, e);
      const d = side(west, east, e); const f = side(east, west, e);
      const a = corner(at(r - 1, c - 1), b, d, e); const cc = corner(at(r - 1, c + 1), b, f, e);
      const g = corner(at(r + 1, c - 1), h, d, e); const k = corner(at(r + 1, c + 1), h, f, e);
      // dz/dx positive eastward; dz/dy positive northward (row 0 is north).
      const dzdx = ((cc + 2 * f + k) - (a + 2 * d + g)) / (8 * cellsize);
      const dzdy = ((a + 2 * b + cc) - (g + 2 * h + k)) / (8 * cellsize);
      const gradient = Math.hypot(dzdx, dzdy);
      slopeDeg[i] = (dmath.atan(gradient) * 180) / Math.PI;
      // Downslope points along −∇z; its compass bearing is atan2(east, north).
      aspectDeg[i] = gradient === 0 ? NaN : ((dmath.atan2(-dzdx, -dzdy) * 180) / Math.PI + 360) % 360;
    }
  }
  return { slopeDeg, aspectDeg };
}

/** D8 neighbour offsets, clockwise from north; diagonal steps are √2 cells long. */
export const D8_ROW = [-1, -1, 0, 1, 1, 1, 0, -1];
export const D8_COL = [0, 1, 1, 1, 0, -1, -1, -1];
const D8_LENGTH = [1, Math.SQRT2, 1, Math.SQRT2, 1, Math.SQRT2, 1, Math.SQRT2];

/** A binary min-heap of cell indices keyed by elevation, ties broken by insertion order. */
class CellHeap {
  private cells: number[] = [];
  private keys: number[] = [];
  private order: number[] = [];
  private counter = 0;
  get size() { return this.cells.length; }
  private less(i: number, j: number) {
    return this.keys[i] < this.keys[j] || (this.keys[i] === this.keys[j] && this.order[i] < this.order[j]);
  }
  private swap(i: number, j: number) {
    [this.cells[i], this.cells[j]] = [this.cells[j], this.cells[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
  }
  push(cell: number, key: number) {
    this.cells.push(cell); this.keys.push(key); this.order.push(this.counter++);
    for (let i = this.cells.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): number {
    const top = this.cells[0];
    const last = this.cells.length - 1;
    this.swap(0, last);
    this.cells.pop(); this.keys.pop(); this.order.pop();
    for (let i = 0; ;) {
      const l = 2 * i + 1; const r = l + 1;
      let m = i;
      if (l < this.cells.length && this.less(l, m)) m = l;
      if (r < this.cells.length && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/**
 * Priority-flood depression filling (Barnes, Lehman & Mulla 2014) with a tiny gradient across
 * flats, so every cell drains to the grid edge or to NODATA and D8 finds a direction everywhere.
 */
export function fillDepressions(dem: Grid, epsilon = 1e-4): Float64Array {
  const { ncols, nrows, values } = dem;
  const filled = Float64Array.from(values);
  const done = new Uint8Array(values.length);
  const heap = new CellHeap();
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      if (Number.isNaN(values[i])) { done[i] = 1; continue; }
      let edge = r === 0 || c === 0 || r === nrows - 1 || c === ncols - 1;
      for (let k = 0; k < 8 && !edge; k++) edge = Number.isNaN(values[(r + D8_ROW[k]) * ncols + c + D8_COL[k]]);
      if (edge) { heap.push(i, filled[i]); done[i] = 1; }
    }
  }
  while (heap.size > 0) {
    const i = heap.pop();
    const r = Math.floor(i / ncols); const c = i % ncols;
    for (let k = 0; k < 8; k++) {
      const rr = r + D8_ROW[k]; const cc = c + D8_COL[k];
      if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
      const j = rr * ncols + cc;
      if (done[j]) continue;
      done[j] = 1;
      if (filled[j] <= filled[i]) filled[j] = filled[i] + epsilon;
      heap.push(j, filled[j]);
    }
  }
  return filled;
}

/** Steepest-descent D8 direction (index into D8_ROW/D8_COL) per cell; −1 where water leaves the grid. */
export function flowDirections(elevation: Float64Array, ncols: number, nrows: number): Int8Array {
  const direction = new Int8Array(elevation.length).fill(-1);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      if (Number.isNaN(elevation[i])) continue;
      let best = -1;
      let bestDrop = 0;
      for (let k = 0; k < 8; k++) {
        const rr = r + D8_ROW[k]; const cc = c + D8_COL[k];
        if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
        const ej = elevation[rr * ncols + cc];
        if (Number.isNaN(ej)) continue;
        const drop = (elevation[i] - ej) / D8_LENGTH[k];
        if (drop > bestDrop) { bestDrop = drop; best = k; }
      }
      direction[i] = best;
    }
  }
  return direction;
}

/** Index of the cell each cell drains into, or −1. */
export function downstreamCell(direction: Int8Array, ncols: number, i: number): number {
  const k = direction[i];
  return k < 0 ? -1 : i + D8_ROW[k] * ncols + D8_COL[k];
}

/** Number of cells draining through each cell, itself included (upstream before downstream). */
export function flowAccumulation(direction: Int8Array, ncols: number): Float64Array {
  const n = direction.length;
  const inflowCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = downstreamCell(direction, ncols, i);
    if (j >= 0) inflowCount[j]++;
  }
  const accumulation = new Float64Array(n).fill(1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (inflowCount[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const j = downstreamCell(direction, ncols, i);
    if (j < 0) continue;
    accumulation[j] += accumulation[i];
    if (--inflowCount[j] === 0) queue[tail++] = j;
  }
  return accumulation;
}

/**
 * Height above nearest drainage (HAND; Rennó et al. 2008, Nobre et al. 2011): each cell's height
 * above the stream cell its D8 path first reaches, on the conditioned surface. With a river's stage
 * it maps inundation without a 2-D model (NOAA's National Water Model maps floods this way).
 * NaN where the path leaves the grid before meeting a stream.
 */
export function heightAboveDrainage(elevation: Float64Array, direction: Int8Array, ncols: number, isStream: Uint8Array): Float64Array {
  const n = elevation.length;
  const UNKNOWN = -2;
  const drain = new Int32Array(n).fill(UNKNOWN);
  const path = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (drain[i] !== UNKNOWN) continue;
    let length = 0;
    let j = i;
    while (j >= 0 && drain[j] === UNKNOWN && !isStream[j]) {
      path[length++] = j;
      j = downstreamCell(direction, ncols, j);
    }
    let target = -1;
    if (j >= 0) {
      if (isStream[j]) drain[j] = j;
      target = drain[j];
    }
    for (let k = 0; k < length; k++) drain[path[k]] = target;
  }
  const hand = new Float64Array(n);
  for (let i = 0; i < n; i++) hand[i] = drain[i] < 0 ? NaN : elevation[i] - elevation[drain[i]];
  return hand;
}

/**
 * Each cell marked `unlabelled` gets the label of the first other cell its D8 path reaches, or −1
 * where the path leaves the grid first (sub-basins from the reaches' cells). Returns a new array.
 */
export function labelDownstream(direction: Int8Array, ncols: number, labels: Int32Array, unlabelled: number): Int32Array {
  const label = Int32Array.from(labels);
  const path: number[] = [];
  for (let i = 0; i < label.length; i++) {
    if (label[i] !== unlabelled) continue;
    path.length = 0;
    let j = i;
    while (j >= 0 && label[j] === unlabelled) { path.push(j); j = downstreamCell(direction, ncols, j); }
    const found = j >= 0 ? label[j] : -1;
    for (const p of path) label[p] = found;
  }
  return label;
}
