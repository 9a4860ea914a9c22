// A region as the scenario runner sees it: the manifest written by a region generator (districts,
// rivers and where they enter, the reservoir, the river network and its sub-basins), the risk-list
// items, and the grids. Loading is the caller's (Node reads files, the browser fetches them).
import type { Grid } from '../grid/ascii.ts';

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
  seed: number;
  crs: string;
  grid: { ncols: number; nrows: number; xllcorner: number; yllcorner: number; cellsize_m: number };
  landcover_codes: Record<string, number>;
  districts: { index: number; id: string; name: string; name_zh: string; centre_m: [number, number] }[];
  rivers: { id: string; name: string; name_zh: string }[];
  river_entries: { river: string; name: string; name_zh: string; reach: string | null; upstream_area_km2: number }[];
  reservoir: { id: string; name: string; name_zh: string; level_m: number; dam_crest_m: number; dam_m: [number, number]; area_km2: number };
  reaches: RegionReach[];
  checksums: Record<string, string>;
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
  items: RegionItem[];
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
