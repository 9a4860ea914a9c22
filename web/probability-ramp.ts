// Probabilities as colours: six classes of a reversed viridis ramp (van der Walt & Smith 2015,
// matplotlib's default: perceptually uniform and readable with the common colour-vision
// deficiencies and in greyscale), light yellow for unlikely to dark violet for near certain, so it
// stays apart from the warning levels' blue-yellow-orange-red. P = 0 and NaN are left clear.
import type { Grid } from '../models/grid/ascii.ts';

export interface ProbabilityClass { from: number; rgb: [number, number, number] }

/** Lower bounds of each class; a probability falls in the last class whose `from` it reaches. */
export const PROBABILITY_CLASSES: readonly ProbabilityClass[] = [
  { from: 0, rgb: [253, 231, 37] }, // #fde725 (0, 0.1)
  { from: 0.1, rgb: [122, 209, 81] }, // #7ad151
  { from: 0.3, rgb: [34, 168, 132] }, // #22a884
  { from: 0.5, rgb: [42, 120, 142] }, // #2a788e
  { from: 0.7, rgb: [65, 68, 135] }, // #414487
  { from: 0.9, rgb: [68, 1, 84] }, // #440154 [0.9, 1]
];

/** The class of a probability; −1 for none (0, NaN, or outside [0, 1]). */
export function probabilityClass(p: number): number {
  if (!(p > 0 && p <= 1)) return -1;
  for (let k = PROBABILITY_CLASSES.length - 1; k >= 0; k--) if (p >= PROBABILITY_CLASSES[k].from) return k;
  return 0;
}

export function probabilityColour(p: number, alpha = 1): string | undefined {
  const k = probabilityClass(p);
  if (k < 0) return undefined;
  const [r, g, b] = PROBABILITY_CLASSES[k].rgb;
  return alpha === 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}

/** A probability grid as RGBA rows (north at the top), clear where the class is none. */
export function probabilityRgba(grid: Pick<Grid, 'values' | 'ncols' | 'nrows'>, alpha = 255): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grid.ncols * grid.nrows * 4);
  for (let i = 0; i < grid.values.length; i++) {
    const k = probabilityClass(grid.values[i]);
    if (k < 0) continue;
    const [r, g, b] = PROBABILITY_CLASSES[k].rgb;
    rgba[i * 4] = r; rgba[i * 4 + 1] = g; rgba[i * 4 + 2] = b; rgba[i * 4 + 3] = alpha;
  }
  return rgba;
}

/** A probability as people read it: "0 %", "< 1 %", "37 %", "> 99 %", "100 %"; "—" for none. */
export function percent(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '—';
  if (p === 0 || p === 1) return `${p * 100} %`;
  if (p < 0.01) return '< 1 %';
  if (p > 0.99) return '> 99 %';
  return `${Math.round(p * 100)} %`;
}
