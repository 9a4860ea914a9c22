// Risk-list items of the demo region: 200+ monitored points across the 11 default categories
// (models/risklist/categories.json), each placed where that kind of hazard point stands in a
// mountain city: underpasses at urban low points, slopes on steep ground near housing, bridges and
// dikes on the urban rivers. Each records its district, sub-basin and nearest reach so the
// couplings can feed it.
import { dmath } from '../../models/dmath.ts';
import { seededRandom } from '../../models/random.ts';
import type { RegionItem } from '../../models/scenario/region.ts';

export interface RegionLayers {
  ncols: number;
  nrows: number;
  cellsize: number;
  xllcorner: number;
  yllcorner: number;
  elevation: Float64Array;
  slopeDeg: Float64Array;
  landcover: Float64Array;
  accumulationCells: Float64Array;
  population: Float64Array;
  district: Float64Array;
  basin: Float64Array;
}


const URBAN = 3;
const WATER = [1, 2];

interface Placement {
  category: string;
  prefix: string;
  count: number;
  nameEn: string;
  nameZh: string;
  minSpacingM: number;
  /** Suitability of a cell, > 0 where the item may stand; higher is likelier. */
  suits: (i: number, layers: RegionLayers) => number;
  static: 'lec' | 'matrix';
}

function isUrban(l: RegionLayers, i: number) { return l.landcover[i] === URBAN; }
function nearWaterCells(l: RegionLayers, i: number, radius: number): boolean {
  const r0 = Math.floor(i / l.ncols); const c0 = i % l.ncols;
  for (let dr = -radius; dr <= radius; dr += Math.max(1, radius >> 1)) {
    for (let dc = -radius; dc <= radius; dc += Math.max(1, radius >> 1)) {
      const r = r0 + dr; const c = c0 + dc;
      if (r >= 0 && r < l.nrows && c >= 0 && c < l.ncols && WATER.includes(l.landcover[r * l.ncols + c])) return true;
    }
  }
  return false;
}

const PLACEMENTS: Placement[] = [
  { category: 'waterlogging', prefix: 'WL', count: 40, nameEn: 'Underpass / low road', nameZh: '下穿道积水点', minSpacingM: 300, static: 'lec',
    // Urban cells where runoff gathers on gentle ground: the underpasses and dips that flood first.
    suits: (i, l) => (isUrban(l, i) && l.slopeDeg[i] < 6 && l.accumulationCells[i] > 40 ? dmath.log(l.accumulationCells[i]) : 0) },
  { category: 'septic-tank', prefix: 'ST', count: 30, nameEn: 'Septic tank', nameZh: '化粪池', minSpacingM: 250, static: 'lec',
    suits: (i, l) => (isUrban(l, i) ? l.population[i] : 0) },
  { category: 'gas-main', prefix: 'GM', count: 20, nameEn: 'Gas main segment', nameZh: '燃气管线', minSpacingM: 400, static: 'lec',
    suits: (i, l) => (isUrban(l, i) ? 1 + l.slopeDeg[i] / 10 : 0) },
  { category: 'slope', prefix: 'SL', count: 35, nameEn: 'Slope above housing', nameZh: '边坡地灾点', minSpacingM: 300, static: 'matrix',
    // Steep ground with people below or beside it: the geohazard points a storm threatens.
    suits: (i, l) => (l.slopeDeg[i] > 24 && l.slopeDeg[i] < 50 && !WATER.includes(l.landcover[i]) && l.population[i] > 0.2 ? l.slopeDeg[i] : 0) },
  { category: 'bridge', prefix: 'BR', count: 12, nameEn: 'River bridge', nameZh: '跨江桥梁', minSpacingM: 700, static: 'lec',
    suits: (i, l) => (l.landcover[i] === 1 && nearUrban(l, i, 20) ? 1 : 0) },
  { category: 'tunnel', prefix: 'TN', count: 8, nameEn: 'Road tunnel portal', nameZh: '隧道', minSpacingM: 800, static: 'lec',
    // Portals where roads from the city meet the ridges.
    suits: (i, l) => (l.elevation[i] > 330 && l.elevation[i] < 420 && l.slopeDeg[i] > 15 && nearUrban(l, i, 10) ? 1 : 0) },
  { category: 'utility-tunnel', prefix: 'UT', count: 10, nameEn: 'Utility tunnel section', nameZh: '综合管廊', minSpacingM: 500, static: 'lec',
    suits: (i, l) => (isUrban(l, i) && l.population[i] > 6 ? 1 : 0) },
  { category: 'underground-space', prefix: 'UG', count: 20, nameEn: 'Underground mall / metro entrance', nameZh: '地下空间', minSpacingM: 350, static: 'lec',
    suits: (i, l) => (isUrban(l, i) ? l.population[i] * l.population[i] : 0) },
  { category: 'high-rise-fire', prefix: 'HR', count: 25, nameEn: 'High-rise building', nameZh: '高层建筑消防', minSpacingM: 300, static: 'lec',
    suits: (i, l) => (isUrban(l, i) ? l.population[i] * l.population[i] : 0) },
  { category: 'deep-excavation', prefix: 'DE', count: 12, nameEn: 'Deep excavation site', nameZh: '深基坑', minSpacingM: 500, static: 'matrix',
    suits: (i, l) => (isUrban(l, i) && l.slopeDeg[i] < 15 ? 1 : 0) },
  { category: 'river-dike', prefix: 'RD', count: 15, nameEn: 'Riverside embankment', nameZh: '滨江堤防', minSpacingM: 600, static: 'matrix',
    suits: (i, l) => (isUrban(l, i) && nearWaterCells(l, i, 3) ? 1 : 0) },
];

function nearUrban(l: RegionLayers, i: number, radius: number): boolean {
  const r0 = Math.floor(i / l.ncols); const c0 = i % l.ncols;
  let west = false; let east = false;
  for (let d = 1; d <= radius; d++) {
    for (const [dr, dc] of [[0, -d], [-d, 0]]) { const j = (r0 + dr) * l.ncols + c0 + dc; if (j >= 0 && l.landcover[j] === URBAN) west = true; }
    for (const [dr, dc] of [[0, d], [d, 0]]) { const j = (r0 + dr) * l.ncols + c0 + dc; if (j < l.landcover.length && l.landcover[j] === URBAN) east = true; }
  }
  return west && east;
}

const L_VALUES = [10, 6, 3, 1, 0.5];
const E_VALUES = [10, 6, 3, 2, 1];
const C_VALUES = [100, 40, 15, 7, 3];

export function placeRiskItems(layers: RegionLayers, districtIds: readonly string[], districtNamesZh: readonly string[], basinIds: readonly string[], seed: number): RegionItem[] {
  const random = seededRandom(seed);
  const items: RegionItem[] = [];
  const n = layers.ncols * layers.nrows;
  for (const placement of PLACEMENTS) {
    // Weighted sampling without replacement over suitable cells, keeping a minimum spacing.
    const candidates: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < n; i += 3) {
      const w = placement.suits(i, layers);
      if (w > 0) { candidates.push(i); weights.push(w); }
    }
    const keys = candidates.map((_, k) => -dmath.log(random()) / weights[k]);
    const order = candidates.map((_, k) => k).sort((a, b) => keys[a] - keys[b]);
    const chosen: number[] = [];
    const spacingCells = placement.minSpacingM / layers.cellsize;
    for (const k of order) {
      if (chosen.length === placement.count) break;
      const i = candidates[k];
      const r = Math.floor(i / layers.ncols); const c = i % layers.ncols;
      const tooClose = chosen.some((j) => Math.hypot(Math.floor(j / layers.ncols) - r, (j % layers.ncols) - c) < spacingCells);
      if (!tooClose) chosen.push(i);
    }
    chosen.forEach((i, k) => {
      const r = Math.floor(i / layers.ncols); const c = i % layers.ncols;
      const district = layers.district[i];
      const basin = layers.basin[i];
      const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
      items.push({
        id: `${placement.prefix}-${String(k + 1).padStart(3, '0')}`,
        category: placement.category,
        name: `${placement.nameEn}, ${districtIds[district]} #${k + 1}`,
        name_zh: `${districtNamesZh[district]}${placement.nameZh}${k + 1}号`,
        area: districtIds[district],
        x_m: layers.xllcorner + (c + 0.5) * layers.cellsize,
        y_m: layers.yllcorner + (layers.nrows - r - 0.5) * layers.cellsize,
        basin: basin >= 0 ? basinIds[basin] : null,
        ...(placement.static === 'lec'
          ? { lec: { L: pick(L_VALUES.slice(2)), E: pick(E_VALUES), C: pick(C_VALUES.slice(1)) } }
          : { matrix: { likelihood: 1 + Math.floor(random() * 4), severity: 2 + Math.floor(random() * 4) } }),
      });
    });
  }
  return items;
}
