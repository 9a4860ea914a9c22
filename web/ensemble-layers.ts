// What the ensemble tab draws, from an opened ensemble (models/ensemble/open-products.ts): the
// chosen probability layer as map rasters, points or district areas in the probability ramp, the
// value under the pointer, and a gauge's fan chart (5/50/95 % band, warning flow, deterministic
// run). Plain functions: the panel and the map only draw what these return.
import type { EnsembleView } from '../models/ensemble/open-products.ts';
import { gridValueAt } from '../models/ensemble/open-products.ts';
import type { Grid } from '../models/grid/ascii.ts';
import type { RegionItem } from '../models/scenario/region.ts';
import type { MapOverlay } from './components/region-map.ts';
import { probabilityColour, probabilityRgba } from './probability-ramp.ts';

/** Members one browser run may have (one after another in the engine worker); the CLI runs up to 100 000. */
export const BROWSER_MAX_MEMBERS = 50;

// With the products beside the probabilities (web/ensemble-more.ts): reaches by peak P(flow > warning
// flow), conditional flame length and first-failure time, each next to its kin.
export type ProbabilityLayer = 'depth' | 'reaches' | 'burn' | 'flame' | 'slope' | 'failure' | 'items' | 'districts';
export const PROBABILITY_LAYERS: readonly ProbabilityLayer[] = ['depth', 'reaches', 'burn', 'flame', 'slope', 'failure', 'items', 'districts'];

/** The layers an ensemble has products for (a storm has no burn probability, a fire day no depth). */
export function layersOf(view: EnsembleView): ProbabilityLayer[] {
  const has: Record<ProbabilityLayer, boolean> = {
    depth: !!view.depth, reaches: !!view.reachP?.reaches.length, burn: !!view.burn, flame: !!view.flame, slope: !!view.slope,
    failure: !!view.firstFailure, items: view.items.length > 0, districts: view.districts.length > 0,
  };
  return PROBABILITY_LAYERS.filter((layer) => has[layer]);
}

/** A grid layer as RGBA and its extent in region cells from the north-west corner (the slope grid is coarser). */
export function gridRaster(grid: Grid, regionCellsize: number): { width: number; height: number; rgba: Uint8ClampedArray; cols: number; rows: number } {
  const factor = grid.cellsize / regionCellsize;
  return { width: grid.ncols, height: grid.nrows, rgba: probabilityRgba(grid, 210), cols: grid.ncols * factor, rows: grid.nrows * factor };
}

/** Cells per overview pixel side, and the zoom from which the map shows every cell instead. */
export const OVERVIEW_FACTOR = 4;

/** A probability layer's pixels: RGBA as gridRaster gives them and, for a grid of region cells, its max-pooled overview. */
export interface PreparedLayer {
  raster: ReturnType<typeof gridRaster>;
  overview?: { rgba: Uint8ClampedArray; width: number; height: number };
}

/** One way to make a layer's pixels, in the grid-folder worker (the first layer) and on the page (the others). */
export function preparedLayer(grid: Grid, regionCellsize: number): PreparedLayer {
  const raster = gridRaster(grid, regionCellsize);
  // A fine grid (region cells) also gets a max-pooled overview for the zoomed-out map.
  const pooled = raster.cols === grid.ncols ? maxPooled(grid, OVERVIEW_FACTOR) : undefined;
  return { raster, overview: pooled && { rgba: probabilityRgba(pooled, 210), width: pooled.ncols, height: pooled.nrows } };
}
export const DETAIL_FROM_ZOOM = 2;

/**
 * The whole-region overview of a fine probability grid: each pixel the highest P of its
 * `factor` × `factor` cells (NaN where all are NaN). One-cell flood strips along streams are a
 * fraction of a screen pixel at the whole-region view and would drop out; the highest value keeps
 * every place that may flood visible, and the map shows the cells themselves once zoomed in.
 */
export function maxPooled(grid: Pick<Grid, 'values' | 'ncols' | 'nrows'>, factor: number): { ncols: number; nrows: number; values: Float64Array } {
  return pooled(grid, factor, (v, kept) => v > kept);
}

/** The same with the lowest value of each block: the earliest first failure, the most urgent place. */
export function minPooled(grid: Pick<Grid, 'values' | 'ncols' | 'nrows'>, factor: number): { ncols: number; nrows: number; values: Float64Array } {
  return pooled(grid, factor, (v, kept) => v < kept);
}

function pooled(grid: Pick<Grid, 'values' | 'ncols' | 'nrows'>, factor: number, better: (v: number, kept: number) => boolean) {
  const ncols = Math.ceil(grid.ncols / factor); const nrows = Math.ceil(grid.nrows / factor);
  const values = new Float64Array(ncols * nrows).fill(NaN);
  for (let r = 0; r < grid.nrows; r++) for (let c = 0; c < grid.ncols; c++) {
    const v = grid.values[r * grid.ncols + c];
    const k = Math.floor(r / factor) * ncols + Math.floor(c / factor);
    if (better(v, values[k]) || (Number.isNaN(values[k]) && !Number.isNaN(v))) values[k] = v;
  }
  return { ncols, nrows, values };
}

/**
 * Where a grid's north-west corner lies on the region map, in region cells east and south of the
 * region's: 0, 0 for the products of a scenario ensemble, anywhere for a grid run on its own
 * (`landslide fs --members`) over part of the region.
 */
export function gridOffset(grid: Pick<Grid, 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>, region: { nrows: number; xllcorner: number; yllcorner: number; cellsize_m: number }): { col0: number; row0: number } {
  const north = grid.yllcorner + grid.nrows * grid.cellsize;
  return { col0: (grid.xllcorner - region.xllcorner) / region.cellsize_m, row0: region.nrows - (north - region.yllcorner) / region.cellsize_m };
}

/** P(level ≥ `level`) of one item or district; undefined when the ensemble does not list it. */
export function levelProbability(rows: EnsembleView['items'] | EnsembleView['districts'], id: string, level: number): number | undefined {
  return rows.find((r) => r.id === id)?.p[level - 1];
}

/** Risk items as points coloured by P(level ≥ `level`); items never reaching it stay small and grey. */
export function itemPoints(view: EnsembleView, items: readonly RegionItem[], level: number): MapOverlay['points'] {
  const byId = new Map(view.items.map((r) => [r.id, r.p[level - 1]]));
  return items.filter((item) => byId.has(item.id)).map((item) => {
    const p = byId.get(item.id)!;
    const colour = probabilityColour(p);
    return { id: item.id, x: item.x_m, y: item.y_m, colour: colour ?? '#c8ccd2', radius: colour ? 6 : 3.5 };
  });
}

/** Districts filled by P(a warning of level ≥ `level`). */
export function districtAreas(view: EnsembleView, outlines: ReadonlyMap<string, [number, number][]>, level: number): MapOverlay['areas'] {
  return view.districts.flatMap((d) => {
    const ring = outlines.get(d.id);
    if (!ring) return [];
    return [{ ring, fill: probabilityColour(d.p[level - 1], 0.55) ?? 'rgba(255,255,255,0)', stroke: '#3b4252' }];
  });
}

/** The probability the chosen layer shows at a place (or at the item under the pointer). */
export function probabilityAt(view: EnsembleView, layer: ProbabilityLayer, level: number, at: { x: number; y: number; item?: string; district?: string }): number | undefined {
  switch (layer) {
    case 'depth': case 'burn': case 'slope': {
      const grid = view[layer];
      return grid ? gridValueAt(grid, at.x, at.y) : undefined;
    }
    case 'items': return at.item ? levelProbability(view.items, at.item, level) : undefined;
    case 'districts': return at.district ? levelProbability(view.districts, at.district, level) : undefined;
    default: return undefined;
  }
}

export interface FanData {
  timesS: number[];
  q05: number[]; q50: number[]; q95: number[];
  /** The gauge reach's warning (bankfull) flow, m³/s, repeated at each time. */
  warning?: number[];
  /** The deterministic run's flow at the gauge, at the same times. */
  deterministic?: number[];
}

/**
 * A gauge's fan: its quantiles, the warning flow and, when the deterministic run is of the same
 * scenario and clock, its hydrograph (runs share every step boundary: same start, step, duration).
 */
export function fanData(view: EnsembleView, gauge: string, context: { warningM3PerS?: number; deterministic?: ArrayLike<number> }): FanData | undefined {
  const fan = view.gauges.find((g) => g.gauge === gauge);
  if (!fan) return undefined;
  const data: FanData = { timesS: fan.tS, q05: fan.q05, q50: fan.q50, q95: fan.q95 };
  if (context.warningM3PerS !== undefined) data.warning = fan.tS.map(() => context.warningM3PerS!);
  if (context.deterministic && context.deterministic.length === fan.tS.length) data.deterministic = Array.from(context.deterministic);
  return data;
}

/** The quantiles at a time (the nearest step boundary at or before it). */
export function fanAt(data: FanData, tS: number): { q05: number; q50: number; q95: number } | undefined {
  let k = -1;
  for (let i = 0; i < data.timesS.length && data.timesS[i] <= tS; i++) k = i;
  return k < 0 ? undefined : { q05: data.q05[k], q50: data.q50[k], q95: data.q95[k] };
}
