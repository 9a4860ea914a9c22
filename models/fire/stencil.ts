// The spread stencil: every primitive step out to ±radius cells, and for each step the cells its
// segment touches (corners count), which must all be burnable for the step to be taken.
import { dmath } from '../dmath.ts';

export interface Stencil {
  n: number;
  dr: Int32Array;
  dc: Int32Array;
  /** Step length, m. */
  dist: Float64Array;
  /** Unit direction: east and north components (rows grow southward). */
  ux: Float64Array;
  uy: Float64Array;
  crossStart: Int32Array;
  crossDr: Int32Array;
  crossDc: Int32Array;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Does the segment (0,0)→(dr,dc) meet the closed unit square centred on (r,c)? (Liang–Barsky.) */
function touches(dr: number, dc: number, r: number, c: number): boolean {
  let t0 = 0;
  let t1 = 1;
  const EPS = 1e-12;
  for (const [p, q0, q1] of [[dr, r - 0.5, r + 0.5], [dc, c - 0.5, c + 0.5]] as const) {
    if (p === 0) {
      if (0 < q0 - EPS || 0 > q1 + EPS) return false;
      continue;
    }
    let a = (q0 - EPS) / p;
    let b = (q1 + EPS) / p;
    if (a > b) [a, b] = [b, a];
    t0 = Math.max(t0, a);
    t1 = Math.min(t1, b);
    if (t0 > t1) return false;
  }
  return true;
}

export function buildStencil(radius: number, cellsize: number): Stencil {
  const steps: [number, number][] = [];
  for (let dr = -radius; dr <= radius; dr++) {
    for (let dc = -radius; dc <= radius; dc++) {
      if ((dr || dc) && gcd(Math.abs(dr), Math.abs(dc)) === 1) steps.push([dr, dc]);
    }
  }
  // Short steps first: they settle most cells, so long steps more often find nothing to improve.
  steps.sort((a, b) => (a[0] ** 2 + a[1] ** 2) - (b[0] ** 2 + b[1] ** 2) || dmath.atan2(a[0], a[1]) - dmath.atan2(b[0], b[1]));
  const n = steps.length;
  const s: Stencil = {
    n, dr: new Int32Array(n), dc: new Int32Array(n), dist: new Float64Array(n), ux: new Float64Array(n), uy: new Float64Array(n),
    crossStart: new Int32Array(n + 1), crossDr: new Int32Array(0), crossDc: new Int32Array(0),
  };
  const crossR: number[] = [];
  const crossC: number[] = [];
  steps.forEach(([dr, dc], k) => {
    const len = Math.hypot(dr, dc);
    s.dr[k] = dr;
    s.dc[k] = dc;
    s.dist[k] = len * cellsize;
    s.ux[k] = dc / len;
    s.uy[k] = -dr / len;
    s.crossStart[k] = crossR.length;
    for (let r = Math.min(0, dr); r <= Math.max(0, dr); r++) {
      for (let c = Math.min(0, dc); c <= Math.max(0, dc); c++) {
        if ((r === 0 && c === 0) || (r === dr && c === dc)) continue;
        if (touches(dr, dc, r, c)) { crossR.push(r); crossC.push(c); }
      }
    }
  });
  s.crossStart[n] = crossR.length;
  s.crossDr = Int32Array.from(crossR);
  s.crossDc = Int32Array.from(crossC);
  return s;
}
