// Static (base) levels of RISKLIST.md: the 5×5 risk matrix and LEC (Graham–Kinney D = L·E·C),
// with the band edges as settings.
//
// LEC is computed exactly: every allowed L is a multiple of 0.1 and every E a multiple of 0.5, so
// 20·D = (10·L)·(2·E)·C is an integer and is compared with 20·edge. Multiplying the decimals
// directly (0.1 · 0.5 · 100 …) rounds, and a product that should sit exactly on an edge can land
// on either side of it: that is how implementations put D = 20 or D = 70 in the wrong band.

export const LEC_L = [10, 6, 3, 1, 0.5, 0.2, 0.1] as const;
export const LEC_E = [10, 6, 3, 2, 1, 0.5] as const;
export const LEC_C = [100, 40, 15, 7, 3, 1] as const;

/** Upper edges (inclusive) of bands 1, 2, 3; band 4 is above the last. */
export type BandEdges = readonly [number, number, number];

/** D ≤ 20 → 1, 20 < D ≤ 70 → 2, 70 < D ≤ 160 → 3, D > 160 → 4. */
export const DEFAULT_LEC_EDGES: BandEdges = [20, 70, 160];
/** R ≤ 3 → 1 (1–3), R ≤ 8 → 2 (4–8), R ≤ 16 → 3 (9–16), else 4 (20–25). */
export const DEFAULT_MATRIX_EDGES: BandEdges = [3, 8, 16];

/** Band of a score against half-open bands (edge_{k−1}, edge_k]. */
export function bandOf(score: number, edges: BandEdges): 1 | 2 | 3 | 4 {
  if (score <= edges[0]) return 1;
  if (score <= edges[1]) return 2;
  if (score <= edges[2]) return 3;
  return 4;
}

export function matrixLevel(likelihood: number, severity: number, edges: BandEdges = DEFAULT_MATRIX_EDGES): 1 | 2 | 3 | 4 {
  return bandOf(likelihood * severity, edges);
}

/** 20·D as an exact integer, or NaN when L or E is not one of the tabulated values. */
export function lecScoreTimes20(l: number, e: number, c: number): number {
  const l10 = Math.round(l * 10);
  const e2 = Math.round(e * 2);
  if (Math.abs(l10 - l * 10) > 1e-9 || Math.abs(e2 - e * 2) > 1e-9) return NaN;
  return l10 * e2 * c;
}

export function lecLevel(l: number, e: number, c: number, edges: BandEdges = DEFAULT_LEC_EDGES): 1 | 2 | 3 | 4 {
  const scaled = lecScoreTimes20(l, e, c);
  return bandOf(scaled, [edges[0] * 20, edges[1] * 20, edges[2] * 20]);
}
