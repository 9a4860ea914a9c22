// Tracing user geometry onto the grid (ignition lines, barrier polylines) and the fire's edge
// back off it. Every loop here is bounded by the grid, never by the coordinates a case gives.
import type { Grid } from '../grid/ascii.ts';

type Geometry = Pick<Grid, 'ncols' | 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>;

/**
 * The part of the segment (x0, y0)–(x1, y1) inside the box, by Cohen–Sutherland clipping, or
 * undefined when it misses the box. An end outside is moved onto the edge it crosses, that
 * coordinate set exactly and the other found along the segment: a horizontal road from x = −1e300
 * to 1e300 stays at its y. Differences are taken on halved coordinates, so two finite ends
 * (−1e308 and 1e308) cannot overflow to Infinity.
 */
export function clipSegment(
  x0: number, y0: number, x1: number, y1: number, xmin: number, ymin: number, xmax: number, ymax: number,
): [number, number, number, number] | undefined {
  if (![x0, y0, x1, y1].every(Number.isFinite)) return undefined;
  const code = (x: number, y: number) => (x < xmin ? 1 : x > xmax ? 2 : 0) | (y < ymin ? 4 : y > ymax ? 8 : 0);
  // From a toward b by the fraction f in [0, 1], in two halves so neither step can overflow.
  const along = (a: number, b: number, f: number) => { const h = (b * 0.5 - a * 0.5) * f; return a + h + h; };
  const fraction = (from: number, to: number, edge: number) => (edge * 0.5 - from * 0.5) / (to * 0.5 - from * 0.5);
  let c0 = code(x0, y0); let c1 = code(x1, y1);
  // Each pass puts one end on an edge it crossed; an end needs at most two (a corner), so four passes suffice.
  for (let pass = 0; pass < 4 && (c0 | c1) !== 0; pass++) {
    if (c0 & c1) return undefined;
    const first = c0 !== 0;
    const c = first ? c0 : c1;
    const [ax, ay, bx, by] = first ? [x0, y0, x1, y1] : [x1, y1, x0, y0];
    let x: number; let y: number;
    if (c & 8) { x = along(ax, bx, fraction(ay, by, ymax)); y = ymax; }
    else if (c & 4) { x = along(ax, bx, fraction(ay, by, ymin)); y = ymin; }
    else if (c & 2) { y = along(ay, by, fraction(ax, bx, xmax)); x = xmax; }
    else { y = along(ay, by, fraction(ax, bx, xmin)); x = xmin; }
    if (first) { x0 = x; y0 = y; c0 = code(x, y); } else { x1 = x; y1 = y; c1 = code(x, y); }
  }
  // Rounding on a far segment can leave an end a hair outside; inside the box by then it is not.
  if ((c0 | c1) !== 0) return undefined;
  return [x0, y0, x1, y1];
}

/**
 * Cells a segment between map points touches (closed squares: corners count), by sampling finely.
 * The segment is clipped to the grid (plus a cell of margin, so edge and corner contacts are
 * kept) first: a point at x = 1e9 on a 3-cell grid must cost what a point on its edge costs.
 * Returns whether the segment touches the grid at all.
 */
export function rasterizeSegment(geometry: Geometry, x0: number, y0: number, x1: number, y1: number, out: Set<number>): boolean {
  const { ncols, nrows, xllcorner, yllcorner, cellsize } = geometry;
  const clipped = clipSegment(
    x0, y0, x1, y1, xllcorner - cellsize, yllcorner - cellsize, xllcorner + (ncols + 1) * cellsize, yllcorner + (nrows + 1) * cellsize,
  );
  if (!clipped) return false;
  [x0, y0, x1, y1] = clipped;
  // Continuous column/row coordinates: col = (x − xll)/cs, row = nrows − (y − yll)/cs.
  const c0 = (x0 - xllcorner) / cellsize; const r0 = nrows - (y0 - yllcorner) / cellsize;
  const c1 = (x1 - xllcorner) / cellsize; const r1 = nrows - (y1 - yllcorner) / cellsize;
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(c1 - c0), Math.abs(r1 - r0)) * 8));
  const EPS = 1e-9;
  // The cells this segment passes through (new or already in `out`): the gap closing below looks
  // only at them, so a polyline of many segments costs its length, not its length × all cells so far.
  const visited = new Set<number>();
  for (let s = 0; s <= steps; s++) {
    const c = c0 + (c1 - c0) * (s / steps);
    const r = r0 + (r1 - r0) * (s / steps);
    // Points on a cell edge or corner belong to every cell sharing it.
    const cHi = Math.floor(c + EPS); const rHi = Math.floor(r + EPS);
    for (let cc = Math.floor(c - EPS); cc <= cHi; cc++) {
      for (let rr = Math.floor(r - EPS); rr <= rHi; rr++) {
        if (cc >= 0 && cc < ncols && rr >= 0 && rr < nrows) { visited.add(rr * ncols + cc); out.add(rr * ncols + cc); }
      }
    }
  }
  // Sampling can step across a corner between two samples: close such gaps on the diagonal.
  for (const cell of visited) {
    const r = Math.floor(cell / ncols); const c = cell % ncols;
    for (const [dr, dc] of DIAGONALS) {
      const rr = r + dr; const cc = c + dc;
      if (rr >= 0 && rr < nrows && cc >= 0 && cc < ncols && out.has(rr * ncols + cc) && !out.has(rr * ncols + c) && !out.has(r * ncols + cc)) {
        out.add(rr * ncols + c);
        out.add(r * ncols + cc);
      }
    }
  }
  return visited.size > 0;
}

const DIAGONALS = [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const;

/**
 * The fire's edge at time t: marching squares on cell-centre arrival times, the edge placed by
 * linear interpolation between a burned and a later-burned centre, and half-way to an unburned
 * one. Outside the grid counts as unburned, so every perimeter closes.
 */
export function perimeterLines(arrival: Float64Array, g: Pick<Grid, 'ncols' | 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>, t: number): number[][][] {
  const { ncols, nrows, xllcorner, yllcorner, cellsize } = g;
  const at = (r: number, c: number) => (r < 0 || r >= nrows || c < 0 || c >= ncols ? Infinity : arrival[r * ncols + c]);
  const x = (c: number) => xllcorner + (c + 0.5) * cellsize;
  const y = (r: number) => yllcorner + (nrows - r - 0.5) * cellsize;
  const cut = (ta: number, tb: number) => (Number.isFinite(ta) && Number.isFinite(tb) ? (t - ta) / (tb - ta) : 0.5);
  const key = (p: number[]) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;
  const segments: number[][][] = [];
  // Dual cells between centres (r, c), (r, c+1), (r+1, c+1), (r+1, c), including a ring outside the grid.
  for (let r = -1; r < nrows; r++) {
    for (let c = -1; c < ncols; c++) {
      const corners = [at(r, c), at(r, c + 1), at(r + 1, c + 1), at(r + 1, c)];
      const inside = corners.map((v) => v <= t);
      const cases = inside.reduce((m, b, k) => m | (b ? 1 << k : 0), 0);
      if (cases === 0 || cases === 15) continue;
      const edge = (k: number): number[] => {
        const a = k; const b = (k + 1) % 4;
        const pts = [[r, c], [r, c + 1], [r + 1, c + 1], [r + 1, c]];
        const ta = corners[a]; const tb = corners[b];
        const f = inside[a] ? cut(ta, tb) : 1 - cut(tb, ta);
        const [ra, ca] = pts[a]; const [rb, cb] = pts[b];
        return [x(ca + (cb - ca) * f), y(ra + (rb - ra) * f)];
      };
      const crossing = [0, 1, 2, 3].filter((k) => inside[k] !== inside[(k + 1) % 4]);
      if (crossing.length === 2) segments.push([edge(crossing[0]), edge(crossing[1])]);
      else {
        // Saddle: cut each burned corner off on its own (a fire touching at a corner has not merged).
        for (const k of [0, 1, 2, 3]) if (inside[k]) segments.push([edge((k + 3) % 4), edge(k)]);
      }
    }
  }
  // Chain segments end to end into lines.
  const byEnd = new Map<string, number[]>();
  segments.forEach((s, i) => {
    for (const p of s) {
      const k = key(p);
      if (!byEnd.has(k)) byEnd.set(k, []);
      byEnd.get(k)!.push(i);
    }
  });
  const used = new Uint8Array(segments.length);
  const lines: number[][][] = [];
  for (let i = 0; i < segments.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    // Grown at both ends by pushing (the backward end reversed at the end): unshift would make a
    // long perimeter cost the square of its length.
    const forwardPart = [...segments[i]];
    const backwardPart: number[][] = [];
    for (const forward of [true, false]) {
      for (;;) {
        const tip = forward ? forwardPart[forwardPart.length - 1] : (backwardPart.length ? backwardPart[backwardPart.length - 1] : forwardPart[0]);
        const next = (byEnd.get(key(tip)) ?? []).find((j) => !used[j]);
        if (next === undefined) break;
        used[next] = 1;
        const [a, b] = segments[next];
        const other = key(a) === key(tip) ? b : a;
        (forward ? forwardPart : backwardPart).push(other);
      }
    }
    lines.push(backwardPart.reverse().concat(forwardPart));
  }
  return lines;
}
