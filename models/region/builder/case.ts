// The region case of CONTRACT.md ("region build"): which of a user's files make the region, and
// how to read them. Only `schema` and `dem` are required; every path is relative to the case.
import { childPath, InputError, type Problem } from '../../errors.ts';
import { checkKnownKeys, isRecord } from '../../params.ts';
import { checkClassRows, type ClassRow } from './landcover.ts';

export const REGION_CASE_SCHEMA = 'sandtable.region-case/1';

export interface RegionCase {
  name: string;
  name_zh: string;
  dem: string;
  crs?: string;
  districts?: { file: string; id_field: string; name_field: string; name_zh_field: string; crs?: string };
  items?: { file: string; crs?: string };
  categories?: string;
  /** `classes`: a preset's name (LANDCOVER_PRESETS), a mapping CSV, or the city's own table. */
  landcover?: { file: string; classes: string | ClassRow[] };
  fuel?: string;
  population?: string;
  buildings?: string;
  streams: { threshold_km2: number; min_headwater_cells: number };
  river_entries: { x_m: number; y_m: number; upstream_area_km2: number; name: string; name_zh: string }[];
}

const TOP = ['schema', 'name', 'name_zh', 'dem', 'crs', 'districts', 'items', 'categories', 'landcover', 'fuel', 'population', 'buildings', 'streams', 'river_entries'];
export const DEFAULT_THRESHOLD_KM2 = 2;
/**
 * First-order streams shorter than this many cells that end at a confluence are pruned
 * (models/region/network.ts says why): 4 removes the one- to three-cell stubs a threshold leaves
 * just above confluences (on the real SRTM tile: 42 m and 90 m stubs at 10–12 % in its TM copy,
 * a 102 m one at 6 % in its UTM copy) and keeps every first-order stream of 120 m and more.
 */
export const DEFAULT_MIN_HEADWATER_CELLS = 4;

export function parseRegionCase(value: unknown): RegionCase {
  const problems: Problem[] = [];
  if (!isRecord(value)) throw InputError.single('$', 'must be an object', value, `a region case { "schema": "${REGION_CASE_SCHEMA}", "dem": … }`);
  checkKnownKeys(value, TOP, '$', problems);
  if (value.schema !== REGION_CASE_SCHEMA) problems.push({ path: '$.schema', message: value.schema === undefined ? 'is required' : 'is not a region case schema', value: value.schema, expected: JSON.stringify(REGION_CASE_SCHEMA) });
  const text = (v: unknown, path: string, required: boolean, what: string): string | undefined => {
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') { problems.push({ path, message: v === undefined ? 'is required' : 'must be a non-empty string', value: v, expected: what }); return undefined; }
    return v;
  };
  const fileObject = <K extends string>(v: unknown, path: string, keys: readonly K[], what: string): Record<K, string | undefined> | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string') return { file: v } as Record<K, string | undefined>;
    if (!isRecord(v)) { problems.push({ path, message: 'must be an object', value: v, expected: what }); return undefined; }
    checkKnownKeys(v, keys, path, problems);
    const out = {} as Record<K, string | undefined>;
    for (const k of keys) out[k] = text(v[k], childPath(path, k), k === 'file', k === 'file' ? 'a file name, relative to the case' : 'a string');
    return out;
  };
  const dem = text(value.dem, '$.dem', true, 'the DEM file: a GeoTIFF (.tif) or ESRI ASCII grid (.asc, with a .prj beside it), in metres');
  const districts = fileObject(value.districts, '$.districts', ['file', 'id_field', 'name_field', 'name_zh_field', 'crs'] as const, '{ "file": "districts.geojson", "id_field", "name_field", "name_zh_field" }');
  const items = fileObject(value.items, '$.items', ['file', 'crs'] as const, '{ "file": "items.csv" }');
  // A table written in the case is checked here, by JSON path; a name is the builder's to resolve.
  const classTable = isRecord(value.landcover) && Array.isArray(value.landcover.classes)
    ? checkClassRows(value.landcover.classes, '$.landcover.classes', problems) : undefined;
  const landcover = fileObject(classTable ? { ...(value.landcover as object), classes: undefined } : value.landcover, '$.landcover', ['file', 'classes'] as const, '{ "file": "lc.tif", "classes": "esa-worldcover" }');
  if (landcover && landcover.classes === undefined) landcover.classes = 'esa-worldcover';
  let threshold = DEFAULT_THRESHOLD_KM2;
  let minHeadwaterCells = DEFAULT_MIN_HEADWATER_CELLS;
  if (value.streams !== undefined) {
    if (!isRecord(value.streams)) problems.push({ path: '$.streams', message: 'must be an object', value: value.streams, expected: '{ "threshold_km2": 2 }' });
    else {
      checkKnownKeys(value.streams, ['threshold_km2', 'min_headwater_cells'], '$.streams', problems);
      const t = value.streams.threshold_km2;
      if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0 && t <= 1e6)) problems.push({ path: '$.streams.threshold_km2', message: 'must be a positive number of km²', value: t, expected: 'a drainage area in (0, 10⁶] km²' });
      else if (typeof t === 'number') threshold = t;
      const m = value.streams.min_headwater_cells;
      if (m !== undefined && !(Number.isInteger(m) && (m as number) >= 0 && (m as number) <= 1000)) problems.push({ path: '$.streams.min_headwater_cells', message: 'must be a whole number of cells', value: m, expected: 'an integer in [0, 1000] (0 keeps every stream)' });
      else if (typeof m === 'number') minHeadwaterCells = m;
    }
  }
  const entries: RegionCase['river_entries'] = [];
  if (value.river_entries !== undefined) {
    if (!Array.isArray(value.river_entries)) problems.push({ path: '$.river_entries', message: 'must be an array', value: value.river_entries, expected: '[{ "x_m", "y_m", "upstream_area_km2", "name" }]' });
    else value.river_entries.forEach((e: unknown, k: number) => {
      const at = `$.river_entries[${k}]`;
      if (!isRecord(e)) { problems.push({ path: at, message: 'must be an object', value: e, expected: '{ "x_m", "y_m", "upstream_area_km2", "name" }' }); return; }
      checkKnownKeys(e, ['x_m', 'y_m', 'upstream_area_km2', 'name', 'name_zh'], at, problems);
      const num = (key: string, min: number) => {
        const v = e[key];
        if (!(typeof v === 'number' && Number.isFinite(v) && v >= min)) { problems.push({ path: `${at}.${key}`, message: 'must be a finite number', value: v, expected: min > -Infinity ? `a number ≥ ${min}` : 'a coordinate in the DEM\'s CRS, m' }); return NaN; }
        return v;
      };
      const name = text(e.name, `${at}.name`, false, 'the river\'s name') ?? `River ${k + 1}`;
      entries.push({ x_m: num('x_m', -Infinity), y_m: num('y_m', -Infinity), upstream_area_km2: num('upstream_area_km2', 0), name, name_zh: text(e.name_zh, `${at}.name_zh`, false, 'a string') ?? name });
    });
  }
  const result: RegionCase = {
    name: text(value.name, '$.name', false, 'the region\'s name') ?? 'My region',
    name_zh: text(value.name_zh, '$.name_zh', false, 'the region\'s Chinese name') ?? '',
    dem: dem ?? '',
    crs: text(value.crs, '$.crs', false, 'an EPSG code ("EPSG:4545"), a WKT, or a .wkt/.prj file name'),
    districts: districts?.file ? { file: districts.file, id_field: districts.id_field ?? 'id', name_field: districts.name_field ?? 'name', name_zh_field: districts.name_zh_field ?? 'name_zh', ...(districts.crs ? { crs: districts.crs } : {}) } : undefined,
    items: items?.file ? { file: items.file, ...(items.crs ? { crs: items.crs } : {}) } : undefined,
    categories: text(value.categories, '$.categories', false, 'a category table file (the form of models/risklist/categories.json)'),
    landcover: landcover?.file ? { file: landcover.file, classes: classTable ?? landcover.classes! } : undefined,
    fuel: text(value.fuel, '$.fuel', false, 'a fuel-model raster'),
    population: text(value.population, '$.population', false, 'a residents-per-cell raster'),
    buildings: text(value.buildings, '$.buildings', false, 'a buildings-per-cell raster'),
    streams: { threshold_km2: threshold, min_headwater_cells: minHeadwaterCells },
    river_entries: entries,
  };
  if (problems.length) throw new InputError(problems);
  return result;
}
