// The rain over the region period by period on a coarse grid: what the map's rain layer shows.
// Rain varies over kilometres and the region's cells are 20 m, so a block of cells takes the rain
// of its centre cell; a period is the whole number of model steps nearest an hour, and its value
// is the mean rate over those steps (mm/h), so a 15-minute burst shows at a quarter of its rate.
import type { StepGrid } from './forcing.ts';
import { rainAtCells, type RainField } from './rain-field.ts';
import type { RegionData } from './region.ts';
import { perRegion } from './region-memo.ts';

export interface RainMap {
  /** Region cells per block side; the last row and column of blocks may hang over the region. */
  blockCells: number;
  ncols: number;
  nrows: number;
  periodS: number;
  periods: number;
  /** Mean rate per block and period, mm/h: period-major, then row-major blocks (north first). */
  mmPerH: Float32Array;
}

export function rainMap(rain: RainField, region: RegionData, grid: StepGrid, blockCells = 8): RainMap {
  const { ncols: regionCols, nrows: regionRows } = region.manifest.grid;
  const ncols = Math.ceil(regionCols / blockCells);
  const nrows = Math.ceil(regionRows / blockCells);
  const stepsPerPeriod = Math.max(1, Math.round(3600 / grid.stepS));
  const periods = Math.ceil(grid.steps / stepsPerPeriod);
  const blocks = ncols * nrows;
  const mmPerH = new Float32Array(periods * blocks);
  const depths = rainAtCells(rain, perRegion(region, `rainMapCentres ${blockCells}`, () => blockCentres(regionCols, regionRows, ncols, nrows, blockCells)));
  for (let b = 0; b < blocks; b++) blockRates(depths[b], grid.steps, stepsPerPeriod, grid.stepS, mmPerH, blocks, b);
  return { blockCells, ncols, nrows, periodS: stepsPerPeriod * grid.stepS, periods, mmPerH };
}

/** The region cell at the centre of each block (clamped to the region), row-major blocks. */
function blockCentres(regionCols: number, regionRows: number, ncols: number, nrows: number, blockCells: number): Int32Array {
  const centres = new Int32Array(ncols * nrows);
  for (let row = 0; row < nrows; row++) {
    const cellRow = Math.min(regionRows - 1, row * blockCells + (blockCells >> 1));
    for (let col = 0; col < ncols; col++) centres[row * ncols + col] = cellRow * regionCols + Math.min(regionCols - 1, col * blockCells + (blockCells >> 1));
  }
  return centres;
}

/**
 * One block's mean rate per period (mm/h) from its depths per step, into `mmPerH`. A leaf over
 * typed arrays: its optimised code holds from one run to the next.
 */
function blockRates(depths: Float64Array, steps: number, stepsPerPeriod: number, stepS: number, mmPerH: Float32Array, blocks: number, block: number): void {
  const periods = mmPerH.length / blocks;
  for (let p = 0; p < periods; p++) {
    const first = p * stepsPerPeriod;
    const last = Math.min(steps, first + stepsPerPeriod);
    let mm = 0;
    for (let j = first; j < last; j++) mm += depths[j];
    mmPerH[p * blocks + block] = (mm * 3600) / ((last - first) * stepS);
  }
}

/** The rain layer's classes, mm/h: lower bounds and colours (light green for drizzle to purple). */
export const RAIN_CLASSES: readonly { fromMmPerH: number; colour: [number, number, number] }[] = [
  { fromMmPerH: 0.5, colour: [166, 242, 143] },
  { fromMmPerH: 2.5, colour: [61, 186, 61] },
  { fromMmPerH: 8, colour: [97, 184, 255] },
  { fromMmPerH: 16, colour: [0, 0, 255] },
  { fromMmPerH: 30, colour: [250, 0, 250] },
  { fromMmPerH: 50, colour: [128, 0, 64] },
];

/** Whether any block sees rain the layer would colour, in any period. */
export function rainMapIsDry(map: RainMap): boolean {
  return !map.mmPerH.some((rate) => rate >= RAIN_CLASSES[0].fromMmPerH);
}

/** One period of a rain map as RGBA pixels (one per block): no colour below the first class. */
export function rainMapPixels(map: RainMap, period: number, alpha = 64): Uint8ClampedArray<ArrayBuffer> {
  const blocks = map.ncols * map.nrows;
  const rgba = new Uint8ClampedArray(blocks * 4);
  const offset = Math.max(0, Math.min(map.periods - 1, period)) * blocks;
  for (let b = 0; b < blocks; b++) {
    const rate = map.mmPerH[offset + b];
    let k = RAIN_CLASSES.length - 1;
    while (k >= 0 && !(rate >= RAIN_CLASSES[k].fromMmPerH)) k--;
    if (k < 0) continue;
    const [r, g, bl] = RAIN_CLASSES[k].colour;
    rgba[b * 4] = r; rgba[b * 4 + 1] = g; rgba[b * 4 + 2] = bl; rgba[b * 4 + 3] = alpha;
  }
  return rgba;
}
