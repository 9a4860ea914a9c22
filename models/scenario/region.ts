// A region as the scenario runner sees it: the manifest written by a region generator (districts,
// rivers and where they enter, the reservoir, the river network and its sub-basins), the risk-list
// items, and the grids. Loading is the caller's (Node reads files, the browser fetches them).
import type { CategoryTable } from '../risklist/category-table.ts';
import { InputError, type Problem } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { isRecord } from '../params.ts';

export interface RegionReach {
  index: number;
  id: string;
  downstream: string | null;
  length_m: number;
  slope: number;
  drainage_area_km2: number;
  local_area_km2: number;
  strahler_order: number;
  path_m: [number, number][];
}

export interface RegionManifest {
  generator_version: number;
  /** A built region's names (`region build`); the shipped region carries none. */
  name?: string;
  name_zh?: string;
  seed: number;
  crs: string;
  /** The CRS's proj string or WKT (built regions; models/geo/crs.ts): `crs` is then only its name. */
  crs_definition?: string;
  grid: { ncols: number; nrows: number; xllcorner: number; yllcorner: number; cellsize_m: number };
  landcover_codes: Record<string, number>;
  /**
   * `outline_m`: the district's outline (built regions; the largest part); `outlines_m`: every part
   * of a district in several pieces. Without them a district is its centre's Voronoi cell.
   */
  districts: { index: number; id: string; name: string; name_zh: string; centre_m: [number, number]; outline_m?: [number, number][]; outlines_m?: [number, number][][] }[];
  rivers: { id: string; name: string; name_zh: string }[];
  river_entries: { river: string; name: string; name_zh: string; reach: string | null; upstream_area_km2: number }[];
  /** Built regions have none: dam releases then name no reservoir. */
  reservoir?: { id: string; name: string; name_zh: string; level_m: number; dam_crest_m: number; dam_m: [number, number]; area_km2: number };
  reaches: RegionReach[];
  checksums: Record<string, string>;
  /** A built region's own category table, a file beside region.json (`region build` with "categories"). */
  risk_categories?: string;
}

export interface RegionItem {
  id: string;
  category: string;
  name: string;
  name_zh: string;
  area: string;
  x_m: number;
  y_m: number;
  basin: string | null;
  lec?: { L: number; E: number; C: number };
  matrix?: { likelihood: number; severity: number };
}

export interface RegionData {
  manifest: RegionManifest;
  /** The category table the scenario grades with (`models.risklist.categories`); absent: the engine's default. */
  categories?: CategoryTable;
  items: RegionItem[];
  /** The items file as the scenario names it, for problems the risk list finds in an item. */
  itemsFile?: string;
  dem: Grid;
  landcover: Grid;
  districts: Grid;
  basins: Grid;
  population: Grid;
  buildings: Grid;
  /** Height above the nearest stream cell, m. */
  hand: Grid;
  fuel: Grid;
}

/** The grid files a region manifest's folder holds, by role. */
export const REGION_GRIDS = {
  dem: 'dem.asc', landcover: 'landcover.asc', districts: 'districts.asc',
  basins: 'basins.asc', population: 'population.asc', buildings: 'buildings.asc', hand: 'hand.asc', fuel: 'fuel.asc',
} as const;

export const REGION_ITEMS_FILE = 'risk-items.json';

/**
 * The risk-list items as the couplings need them: a unique id, a category, a district of the
 * region and a point inside its grid (the couplings sample the grids there). Problems are named
 * `<file> $.items[k].field`; the risk list checks the rest of each item when it grades.
 */
export function checkRegionItems(value: unknown, file: string, manifest: RegionManifest): RegionItem[] {
  const problems: Problem[] = [];
  const at = (path: string) => `${file} ${path}`;
  if (!isRecord(value) || !Array.isArray(value.items)) throw InputError.single(at('$.items'), 'must be a list of risk-list items', isRecord(value) ? value.items : value, '{ "items": [{ "id", "category", "area", "x_m", "y_m", … }] }');
  const g = manifest.grid;
  const districts = manifest.districts.map((d) => d.id);
  const seen = new Set<string>();
  const east = g.xllcorner + g.ncols * g.cellsize_m;
  const north = g.yllcorner + g.nrows * g.cellsize_m;
  value.items.forEach((item: unknown, k: number) => {
    const path = `$.items[${k}]`;
    if (!isRecord(item)) { problems.push({ path: at(path), message: 'must be an object', value: item, expected: 'a risk-list item' }); return; }
    if (typeof item.id !== 'string' || item.id === '') problems.push({ path: at(`${path}.id`), message: 'must be a non-empty string', value: item.id, expected: 'the item\'s id' });
    else if (seen.has(item.id)) problems.push({ path: at(`${path}.id`), message: 'repeats an earlier item\'s id', value: item.id, expected: 'a unique id' });
    else seen.add(item.id);
    if (typeof item.category !== 'string') problems.push({ path: at(`${path}.category`), message: 'must be a category', value: item.category, expected: 'a category of models/risklist/categories.json' });
    if (!districts.includes(item.area as string)) problems.push({ path: at(`${path}.area`), message: 'names no district of the region', value: item.area, expected: `one of ${districts.join(', ')}` });
    if (!(typeof item.x_m === 'number' && item.x_m >= g.xllcorner && item.x_m < east)) problems.push({ path: at(`${path}.x_m`), message: 'is outside the region', value: item.x_m, expected: `an easting in [${g.xllcorner}, ${east}) m` });
    if (!(typeof item.y_m === 'number' && item.y_m >= g.yllcorner && item.y_m < north)) problems.push({ path: at(`${path}.y_m`), message: 'is outside the region', value: item.y_m, expected: `a northing in [${g.yllcorner}, ${north}) m` });
  });
  if (problems.length) throw new InputError(problems.slice(0, 20));
  return value.items as RegionItem[];
}

/** Every item's category is one the table in use defines: the couplings and the grading read it there. */
export function checkItemCategories(items: readonly RegionItem[], file: string, table: CategoryTable): void {
  const problems: Problem[] = [];
  items.forEach((item, k) => {
    if (!table.categories.has(item.category)) {
      problems.push({ path: `${file} $.items[${k}].category`, message: 'is not a category of the table in use', value: item.category,
        expected: `one of ${[...table.categories.keys()].join(', ')} (${table.file}; $.models.risklist.categories chooses the table)` });
    }
  });
  if (problems.length) throw new InputError(problems.slice(0, 20));
}
