// The ensemble's products from its members' results. Exact and order-free: probabilities are
// integer counts over the good members divided once at the end; quantiles are read off the full
// sorted set of member values (nearest rank, no interpolation); flame lengths are summed in whole
// millimetres. Results are taken in member order whatever order they came in, so the same set of
// members gives the same bytes for any number of workers, any completion order and any retries.
import { regionCrs } from '../geo/crs.ts';
import { formatAsciiGrid, type Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { csvField } from '../scenario/csv.ts';
import { floodInundation } from '../scenario/inundation.ts';
import type { RegionData } from '../scenario/region.ts';
import { isoAt, type Scenario } from '../scenario/schema.ts';
import { SLOPE_GRID_BLOCK, SLOPE_GRID_MIN_SLOPE_DEG } from '../scenario/slope-grid.ts';
import type { MemberResult } from './member.ts';

/** The quantiles every quantile product gives, in percent. */
export const QUANTILES = [5, 50, 95] as const;

/** What the products are laid out on: the region, its grids, items and clock. */
export interface Layout {
  scenario: Pick<Scenario, 'startTime' | 'startEpochMs' | 'stepS' | 'durationS'>;
  region: RegionData;
  /** Cells with no flood depth in any run (rivers, the reservoir, outside every sub-basin). */
  dryMask: Uint8Array;
  slope: { geometry: Omit<Grid, 'values'>; steep: Uint8Array };
}

export function layoutOf(scenario: Layout['scenario'], region: RegionData): Layout {
  const noFlood = floodInundation(region, new Float64Array(region.manifest.reaches.length)).maxDepthM;
  const dryMask = Uint8Array.from(noFlood, (d) => (Number.isNaN(d) ? 1 : 0));
  // The blocks models/scenario/slope-grid.ts evaluates: mean slope of B × B cells ≥ the threshold.
  const { ncols, nrows, xllcorner, yllcorner, cellsize_m: size } = region.manifest.grid;
  const B = SLOPE_GRID_BLOCK;
  const cols = Math.floor(ncols / B); const rows = Math.floor(nrows / B);
  const { slopeDeg } = slopeAspect(region.dem);
  const steep = new Uint8Array(cols * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let dr = 0; dr < B; dr++) for (let dc = 0; dc < B; dc++) sum += slopeDeg[(r * B + dr) * ncols + c * B + dc];
    steep[r * cols + c] = sum / (B * B) >= SLOPE_GRID_MIN_SLOPE_DEG ? 1 : 0;
  }
  const geometry = { ncols: cols, nrows: rows, xllcorner, yllcorner: yllcorner + (nrows - rows * B) * size, cellsize: size * B, nodata: -9999 };
  return { scenario, region, dryMask, slope: { geometry, steep } };
}

/** Nearest-rank quantile (Hyndman & Fan type 1) of ascending values: always one member's value. */
export function nearestRank(sorted: ArrayLike<number>, percent: number): number {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1];
}

const probability = (count: number, n: number) => (n > 0 ? Number((count / n).toFixed(6)) : NaN);

/**
 * A grid's probabilities from its counts: `probability(count, n)` looked up in a table of the n + 1
 * counts there can be, the same doubles. The coordinator runs this once, over every region cell,
 * in code not yet optimised; toFixed per cell was most of its reduce's CPU after the last member.
 * NaN where `mask` (if given) is `masked`.
 */
function probabilityGrid(counts: Uint32Array, n: number, mask?: Uint8Array, masked = 1): Float64Array {
  const table = new Float64Array(n + 1);
  for (let c = 0; c <= n; c++) table[c] = probability(c, n);
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = mask && mask[i] === masked ? NaN : counts[i] <= n ? table[counts[i]] : probability(counts[i], n);
  return out;
}
// Quoted where needed (csv.ts): a member's problem text may hold commas.
const csv = (header: string[], rows: (string | number)[][]) => [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
const regionGrid = (region: RegionData, values: Float64Array): Grid => {
  const { ncols, nrows, xllcorner, yllcorner, cellsize_m } = region.manifest.grid;
  return { ncols, nrows, xllcorner, yllcorner, cellsize: cellsize_m, nodata: -9999, values };
};

/** Every product, by file name. `results` may come in any order; bad members are left out. */
export function reduceMembers(layout: Layout, results: readonly MemberResult[]): Record<string, string> {
  const sorted = byIndex(results);
  const good = sorted.filter((r) => r.problem === undefined);
  const n = good.length;
  const { region, scenario } = layout;
  const time = (t: number) => isoAt(scenario, t);
  const files: Record<string, string> = {};
  const first = good[0];

  if (first?.reachOver) {
    const reachIds = region.manifest.reaches.map((r) => r.id);
    const steps = Math.round(scenario.durationS / scenario.stepS);
    const counts = reachIds.map(() => new Uint32Array(steps + 1));
    for (const m of good) reachIds.forEach((id, r) => { for (const k of m.reachOver![id] ?? []) counts[r][k]++; });
    files['flood/p_flow_over_warning.csv'] = csv(['t_s', 'time', ...reachIds.map((id) => `${id}_p`)],
      Array.from({ length: steps + 1 }, (_, k) => [k * scenario.stepS, time(k * scenario.stepS), ...counts.map((c) => probability(c[k], n))]));
    const gauges = Object.keys(first.gaugeFlows ?? {});
    const columns = gauges.flatMap((g) => QUANTILES.map((q) => `${g}_q${String(q).padStart(2, '0')}_m3_per_s`));
    const rows: (string | number)[][] = [];
    const values = new Float64Array(n);
    for (let k = 0; k <= steps; k++) {
      const row: (string | number)[] = [k * scenario.stepS, time(k * scenario.stepS)];
      for (const g of gauges) {
        good.forEach((m, j) => { values[j] = m.gaugeFlows![g][k]; });
        values.sort();
        for (const q of QUANTILES) row.push(Number(nearestRank(values, q).toFixed(3)));
      }
      rows.push(row);
    }
    files['flood/gauge_quantiles.csv'] = csv(['t_s', 'time', ...columns], rows);
  }
  if (first?.flooded) {
    const counts = new Uint32Array(layout.dryMask.length);
    for (const m of good) for (const i of m.flooded!) counts[i]++;
    const p = probabilityGrid(counts, n, layout.dryMask);
    files['flood/p_depth_over_0.3m.asc'] = formatAsciiGrid(regionGrid(region, p));
  }
  if (first?.failed) Object.assign(files, slopeProducts(layout, good));
  if (first?.burned) {
    const counts = new Uint32Array(layout.dryMask.length);
    const flameSum = new Float64Array(layout.dryMask.length); // whole mm: exact below 2^53
    for (const m of good) m.burned!.forEach((i, k) => { counts[i]++; flameSum[i] += m.flameMm![k]; });
    files['fire/burn_probability.asc'] = formatAsciiGrid(regionGrid(region, probabilityGrid(counts, n)));
    files['fire/conditional_flame_length_m.asc'] = formatAsciiGrid(regionGrid(region, Float64Array.from(counts, (c, i) => (c > 0 ? Number((flameSum[i] / c / 1000).toFixed(3)) : NaN))));
  }
  Object.assign(files, riskProducts(layout, good));
  files['exposure_quantiles.csv'] = exposureQuantiles(good);
  return files;
}

function slopeProducts(layout: Layout, good: readonly MemberResult[]): Record<string, string> {
  const { geometry, steep } = layout.slope;
  const n = good.length;
  const counts = new Uint32Array(steep.length);
  const times = new Map<number, number[]>();
  for (const m of good) for (const [i, t] of m.failed!) {
    counts[i]++;
    if (!times.has(i)) times.set(i, []);
    times.get(i)!.push(t);
  }
  const files: Record<string, string> = {};
  files['landslide/p_fs_below_1.asc'] = formatAsciiGrid({ ...geometry, values: probabilityGrid(counts, n, steep, 0) });
  // A member whose block never failed counts as +∞: the q-th quantile is "never" (NODATA) while
  // fewer than q % of the members failed there.
  for (const q of QUANTILES) {
    const values = new Float64Array(steep.length).fill(NaN);
    for (const [i, list] of times) {
      const all = Float64Array.from({ length: n }, (_, k) => (k < list.length ? list[k] : Infinity)).sort();
      const v = nearestRank(all, q);
      values[i] = Number.isFinite(v) ? v : NaN;
    }
    files[`landslide/first_failure_t_s_q${String(q).padStart(2, '0')}.asc`] = formatAsciiGrid({ ...geometry, values });
  }
  return files;
}

function riskProducts(layout: Layout, good: readonly MemberResult[]): Record<string, string> {
  const { region } = layout;
  const n = good.length;
  const levels = [1, 2, 3, 4] as const;
  const itemCounts = region.items.map(() => new Uint32Array(5));
  const districtCounts = region.manifest.districts.map(() => new Uint32Array(5));
  for (const m of good) {
    m.itemMax!.forEach((l, k) => { for (const level of levels) if (l >= level) itemCounts[k][level]++; });
    m.districtMax!.forEach((l, d) => { for (const level of levels) if (l >= level) districtCounts[d][level]++; });
  }
  // Any region's CRS, as the run's own outputs convert (models/scenario/outputs.ts).
  const crs = regionCrs(region.manifest);
  const lonLat = (x: number, y: number): [number, number] => {
    const [lon, lat] = crs.toLonLat(x, y);
    return [Number(lon.toFixed(7)), Number(lat.toFixed(7))];
  };
  const p = (counts: Uint32Array) => levels.map((l) => probability(counts[l], n));
  const files: Record<string, string> = {};
  files['risk/items.csv'] = csv(['item', 'category', 'district', ...levels.map((l) => `p_level_${l}`)],
    region.items.map((item, k) => [item.id, item.category, item.area, ...p(itemCounts[k])]));
  files['risk/items.geojson'] = JSON.stringify({
    type: 'FeatureCollection',
    features: region.items.map((item, k) => ({
      type: 'Feature',
      properties: { id: item.id, category: item.category, district: item.area, ...Object.fromEntries(levels.map((l, j) => [`p_level_${l}`, p(itemCounts[k])[j]])) },
      geometry: { type: 'Point', coordinates: lonLat(item.x_m, item.y_m) },
    })),
  }) + '\n';
  files['risk/districts.csv'] = csv(['district', ...levels.map((l) => `p_warning_${l}`)],
    region.manifest.districts.map((d, k) => [d.id, ...p(districtCounts[k])]));
  return files;
}

/** Quantiles of each member headline (people exposed, areas, peaks) over the good members. */
function exposureQuantiles(good: readonly MemberResult[]): string {
  const names = good.length ? Object.keys(good[0].headline ?? {}) : [];
  return csv(['metric', 'members', ...QUANTILES.map((q) => `q${String(q).padStart(2, '0')}`)], names.map((name) => {
    const values = Float64Array.from(good, (m) => m.headline![name]).sort();
    return [name, values.length, ...QUANTILES.map((q) => Number(nearestRank(values, q).toPrecision(9)))];
  }));
}

/**
 * One result per member, in member order: a retried or duplicated member counts once. Two
 * different results for one index would mean a member is not a function of (seed, index): that
 * is a bug, never averaged over.
 */
export function byIndex(results: readonly MemberResult[]): MemberResult[] {
  const one = new Map<number, MemberResult>();
  for (const r of results) {
    const seen = one.get(r.index);
    if (seen && seen.hash !== r.hash) throw new Error(`member ${r.index} gave two different results (${seen.hash} and ${r.hash})`);
    if (!seen) one.set(r.index, r);
  }
  return [...one.values()].sort((a, b) => a.index - b.index);
}

/** members.csv: each member's drawn inputs, headline outcomes, status and result hash. */
export function membersCsv(results: readonly MemberResult[]): string {
  const sorted = byIndex(results);
  const inputKeys = [...new Set(sorted.flatMap((r) => Object.keys(r.inputs)))];
  const headlineKeys = [...new Set(sorted.flatMap((r) => Object.keys(r.headline ?? {})))];
  return csv(['member', ...inputKeys, ...headlineKeys, 'status', 'problem', 'result_sha256'], sorted.map((r) => [
    r.index, ...inputKeys.map((k) => r.inputs[k] ?? ''),
    ...headlineKeys.map((k) => (r.headline?.[k] === undefined ? '' : Number(r.headline[k].toPrecision(9)))),
    r.problem === undefined ? 'ok' : 'bad', r.problem ?? '', r.hash,
  ]));
}
