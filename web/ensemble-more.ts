// What the ensemble tab draws from the products beside the probabilities: reaches ranked by their
// peak P(flow > warning flow) and one reach's series, first-failure hours and conditional flame
// length as classed map layers, the exposure rows people read first, and members.csv sorted.
// Plain functions: the components and the map only draw what these return.
import type { ExposureRow, FailureQuantile, MemberRow, MoreProducts, ReachProbabilities } from '../models/ensemble/open-more-products.ts';
import type { Grid } from '../models/grid/ascii.ts';
import { maxPooled, minPooled, OVERVIEW_FACTOR, type PreparedLayer } from './ensemble-layers.ts';

/** `meanP`: the mean of P over the step boundaries, the expected share of the time over warning flow. */
export interface RankedReach { id: string; peak: number; peakAtS: number; meanP: number }

/**
 * Reaches that may pass their warning flow, most likely first; among equal peaks (in a big flood
 * many reaches are over warning in every member) the one over it longer, then the earlier, then by id.
 */
export function rankReaches(reachP: ReachProbabilities): RankedReach[] {
  return reachP.reaches.map(({ id, p }) => {
    let k = 0;
    let sum = 0;
    p.forEach((v, j) => { if (v > p[k]) k = j; sum += v; });
    return { id, peak: p[k] ?? 0, peakAtS: reachP.tS[k] ?? 0, meanP: p.length ? sum / p.length : 0 };
  }).filter((r) => r.peak > 0).sort((a, b) => b.peak - a.peak || b.meanP - a.meanP || a.peakAtS - b.peakAtS || a.id.localeCompare(b.id));
}

export interface ReachSeries { id: string; hours: number[]; p: number[] }

export function reachSeries(reachP: ReachProbabilities, id: string): ReachSeries | undefined {
  const reach = reachP.reaches.find((r) => r.id === id);
  return reach && { id, hours: reachP.tS.map((s) => s / 3600), p: reach.p };
}

export interface ValueClass { from: number; rgb: [number, number, number]; key: string }

/**
 * Byram flame length classes as fire officers read them: Andrews & Rothermel (1982), "Charts for
 * interpreting wildland fire behavior characteristics", USDA Forest Service GTR INT-131, Table 1
 * (also the NWCG Fireline Handbook's fire suppression interpretations): below 4 ft (1.2 m) hand
 * crews at the head and flanks; 4–8 ft (2.4 m) too intense for hand lines, equipment (dozers,
 * engines, retardant); 8–11 ft (3.4 m) serious control problems at the head (torching, crowning,
 * spotting); above 11 ft control at the head ineffective: indirect attack. Colours from inferno
 * (Smith & van der Walt 2015), light to dark, apart from the warning levels and the P ramp.
 */
export const FLAME_CLASSES: readonly ValueClass[] = [
  { from: 0, rgb: [246, 215, 70], key: 'ensFlame_hand' }, // inferno 0.88
  { from: 1.2, rgb: [249, 142, 9], key: 'ensFlame_equipment' }, // inferno 0.75
  { from: 2.4, rgb: [188, 55, 84], key: 'ensFlame_head' }, // inferno 0.5
  { from: 3.4, rgb: [87, 16, 110], key: 'ensFlame_indirect' }, // inferno 0.25
];

/**
 * First failure, hours from the start: earlier is darker (the most urgent blocks stand out).
 * ColorBrewer BuPu (Brewer, colorbrewer2.org), 7 classes without the palest; after 24 h the palest kept.
 */
export const FAILURE_HOUR_CLASSES: readonly ValueClass[] = [
  { from: 0, rgb: [110, 1, 107], key: '≤ 1' },
  { from: 1, rgb: [136, 65, 157], key: '1–3' },
  { from: 3, rgb: [140, 107, 177], key: '3–6' },
  { from: 6, rgb: [140, 150, 198], key: '6–12' },
  { from: 12, rgb: [158, 188, 218], key: '12–24' },
  { from: 24, rgb: [191, 211, 230], key: '> 24' },
];

/** The class of a flame length (m); −1 for none (NaN: no member burned the cell). */
export function flameClass(m: number): number {
  if (!(m >= 0)) return -1;
  for (let k = FLAME_CLASSES.length - 1; k >= 0; k--) if (m >= FLAME_CLASSES[k].from) return k;
  return -1;
}

/** The class of a first-failure time (s): ≤ 1 h, (1, 3] h, …; −1 for "never" (NaN). */
export function failureClass(s: number): number {
  if (!(s >= 0)) return -1;
  const h = s / 3600;
  for (let k = FAILURE_HOUR_CLASSES.length - 1; k > 0; k--) if (h > FAILURE_HOUR_CLASSES[k].from) return k;
  return 0;
}

export function classRgba(grid: Pick<Grid, 'values'>, classOf: (v: number) => number, classes: readonly ValueClass[], alpha = 210): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grid.values.length * 4);
  for (let i = 0; i < grid.values.length; i++) {
    const k = classOf(grid.values[i]);
    if (k < 0) continue;
    const [r, g, b] = classes[k].rgb;
    rgba[i * 4] = r; rgba[i * 4 + 1] = g; rgba[i * 4 + 2] = b; rgba[i * 4 + 3] = alpha;
  }
  return rgba;
}

export type ValueLayer = 'failure' | 'flame';

export const isValueLayer = (layer: string | undefined): layer is ValueLayer => layer === 'failure' || layer === 'flame';

/** A value layer's pixels in its classes, with an overview when its grid is of region cells. */
export function valueLayerPixels(grid: Grid, layer: ValueLayer, regionCellsize: number): PreparedLayer {
  const [classOf, classes] = layer === 'flame' ? [flameClass, FLAME_CLASSES] as const : [failureClass, FAILURE_HOUR_CLASSES] as const;
  const factor = grid.cellsize / regionCellsize;
  // The overview keeps the worst of each block: the longest flame, the earliest failure (on region
  // cells in a grid landslide ensemble; a scenario's slope blocks are coarse, no overview).
  const pooled = factor === 1 ? (layer === 'flame' ? maxPooled : minPooled)(grid, OVERVIEW_FACTOR) : undefined;
  return {
    raster: { width: grid.ncols, height: grid.nrows, rgba: classRgba(grid, classOf, classes), cols: grid.ncols * factor, rows: grid.nrows * factor },
    overview: pooled && { width: pooled.ncols, height: pooled.nrows, rgba: classRgba(pooled, classOf, classes) },
  };
}

export function valueGrid(view: MoreProducts, layer: ValueLayer, quantile: FailureQuantile): Grid | undefined {
  return layer === 'flame' ? view.flame : view.firstFailure?.[quantile];
}

/** Hours as read on the map: "1 h", "2.5 h". */
export function hoursText(s: number): string {
  return `${Number((s / 3600).toFixed(2))} h`;
}

/** The headlines the exposure table shows, in reading order: people under each warning level, flooded, burned, then areas. */
const EXPOSURE_ORDER = ['people_level_1_peak', 'people_level_2_peak', 'people_level_3_peak', 'people_level_4_peak', 'people_flooded', 'people_burned', 'flooded_area_km2', 'burned_area_km2'];

export function exposureShown(rows: readonly ExposureRow[]): ExposureRow[] {
  return EXPOSURE_ORDER.flatMap((metric) => rows.filter((r) => r.metric === metric));
}

export type SortKey = { column: string; descending: boolean };

/** Members sorted by a column ("member", "status", "problem" or an input/headline); numbers as numbers, blanks last. */
export function sortMembers(rows: readonly MemberRow[], sort: SortKey): MemberRow[] {
  const cell = (r: MemberRow): string => (sort.column === 'member' ? String(r.member) : sort.column === 'status' ? (r.bad ? 'bad' : 'ok') : sort.column === 'problem' ? r.problem : r.cells[sort.column] ?? '');
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const [x, y] = [cell(a), cell(b)];
    if (x === '' || y === '') return x === y ? a.member - b.member : x === '' ? 1 : -1;
    const [nx, ny] = [Number(x), Number(y)];
    const order = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    return sign * order || a.member - b.member;
  });
}
