// Risk-list items from a CSV (UTF-8 or GB18030) or GeoJSON points: placed on the DEM's grid, given
// the district and sub-basin they stand in, their categories checked against the table in use.
// A CSV problem is named `items.csv:<line>:<column>`, a GeoJSON one by its JSON path.
import { InputError, type Problem } from '../../errors.ts';
import type { Grid } from '../../grid/ascii.ts';
import { parseCrs, type Crs } from '../../geo/crs.ts';
import { isRecord } from '../../params.ts';
import type { RegionItem } from '../../scenario/region.ts';
import { decodeText, parseCsv } from './text.ts';

export interface ItemContext {
  dem: Grid;
  demCrs: Crs;
  districtIds: string[];
  /** District index of every cell. */
  districtOfCell: Int32Array;
  basinOfCell: Int32Array;
  reachIds: string[];
  categories: Set<string>;
  categoriesFile: string;
}

export type BuiltItem = RegionItem & { base_level?: number };

type Field = 'id' | 'category' | 'name' | 'name_zh' | 'lon' | 'lat' | 'x' | 'y' | 'district' | 'base_level' | 'lec_l' | 'lec_e' | 'lec_c' | 'likelihood' | 'severity';

/** One item from its fields; `where(field)` names the cell or JSON path of a field for errors. */
function placeItem(get: (f: Field) => string | number | undefined, where: (f: Field) => string, ctx: ItemContext, xyCrs: Crs | undefined, seen: Set<string>, problems: Problem[]): BuiltItem | undefined {
  const before = problems.length;
  const text = (f: Field) => { const v = get(f); return v === undefined ? '' : String(v).trim(); };
  const number = (f: Field, min: number, max: number, what: string): number | undefined => {
    const raw = get(f);
    if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
    const v = typeof raw === 'number' ? raw : /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
    if (!(Number.isFinite(v) && v >= min && v <= max)) { problems.push({ path: where(f), message: `is not a valid ${what}`, value: raw, expected: `a number in [${min}, ${max}]` }); return undefined; }
    return v;
  };
  const id = text('id');
  if (!id) problems.push({ path: where('id'), message: 'is empty', value: get('id'), expected: 'the item\'s id' });
  else if (seen.has(id)) problems.push({ path: where('id'), message: 'repeats an earlier item\'s id', value: id, expected: 'a unique id' });
  seen.add(id);
  const category = text('category');
  if (!ctx.categories.has(category)) problems.push({ path: where('category'), message: 'is not a category of the table in use', value: category, expected: `one of ${[...ctx.categories].join(', ')} (${ctx.categoriesFile})` });
  const byLonLat = get('lon') !== undefined || get('lat') !== undefined;
  let x: number | undefined; let y: number | undefined;
  if (byLonLat) {
    const lon = number('lon', -180, 180, 'longitude'); const lat = number('lat', -90, 90, 'latitude');
    if (lon === undefined && !problems.some((p) => p.path === where('lon'))) problems.push({ path: where('lon'), message: 'is missing', value: get('lon'), expected: 'a longitude in degrees' });
    if (lat === undefined && !problems.some((p) => p.path === where('lat'))) problems.push({ path: where('lat'), message: 'is missing', value: get('lat'), expected: 'a latitude in degrees' });
    // WGS 84 and CGCS2000 degrees are one (a few centimetres apart; models/geo/crs.ts).
    if (lon !== undefined && lat !== undefined) [x, y] = ctx.demCrs.fromLonLat(lon, lat);
  } else {
    x = number('x', -1e8, 1e8, 'x coordinate'); y = number('y', -1e8, 1e8, 'y coordinate');
    if (x === undefined && !problems.some((p) => p.path === where('x'))) problems.push({ path: where('x'), message: 'is missing', value: get('x'), expected: 'an easting in the DEM\'s CRS' });
    if (y === undefined && !problems.some((p) => p.path === where('y'))) problems.push({ path: where('y'), message: 'is missing', value: get('y'), expected: 'a northing in the DEM\'s CRS' });
    if (x !== undefined && y !== undefined && xyCrs && !xyCrs.geographic && xyCrs.definition !== ctx.demCrs.definition) [x, y] = ctx.demCrs.fromLonLat(...xyCrs.toLonLat(x, y));
  }
  const g = ctx.dem;
  let cell = -1;
  if (x !== undefined && y !== undefined) {
    const c = Math.floor((x - g.xllcorner) / g.cellsize); const r = g.nrows - 1 - Math.floor((y - g.yllcorner) / g.cellsize);
    if (c < 0 || c >= g.ncols || r < 0 || r >= g.nrows) {
      problems.push({ path: where(byLonLat ? 'lon' : 'x'), message: 'is outside the DEM', value: `${byLonLat ? `${get('lon')}, ${get('lat')} → ` : ''}x ${x.toFixed(1)}, y ${y.toFixed(1)}`,
        expected: `x in [${g.xllcorner}, ${g.xllcorner + g.ncols * g.cellsize}), y in [${g.yllcorner}, ${g.yllcorner + g.nrows * g.cellsize}) in ${ctx.demCrs.name}` });
    } else cell = r * g.ncols + c;
  }
  let area = text('district');
  if (area && !ctx.districtIds.includes(area)) problems.push({ path: where('district'), message: 'names no district of the region', value: area, expected: `one of ${ctx.districtIds.join(', ')}` });
  const baseLevel = number('base_level', 1, 4, 'base level');
  const lec = ['lec_l', 'lec_e', 'lec_c'].map((f) => number(f as Field, 0, 1e6, 'LEC factor'));
  const matrix = ['likelihood', 'severity'].map((f) => number(f as Field, 1, 5, 'risk-matrix rating'));
  if (problems.length > before || cell < 0 || x === undefined || y === undefined) return undefined;
  if (!area) area = ctx.districtIds[ctx.districtOfCell[cell]];
  const basin = ctx.basinOfCell[cell];
  return {
    id, category, name: text('name') || id, name_zh: text('name_zh') || text('name') || id, area,
    x_m: Math.round(x * 1000) / 1000, y_m: Math.round(y * 1000) / 1000, basin: basin >= 0 ? ctx.reachIds[basin] : null,
    ...(baseLevel !== undefined ? { base_level: Math.round(baseLevel) } : {}),
    ...(lec.every((v) => v !== undefined) ? { lec: { L: lec[0]!, E: lec[1]!, C: lec[2]! } } : {}),
    ...(matrix.every((v) => v !== undefined) ? { matrix: { likelihood: matrix[0]!, severity: matrix[1]! } } : {}),
  };
}

export function itemsFromCsv(bytes: Uint8Array, file: string, ctx: ItemContext, itemsCrs?: Crs): { items: BuiltItem[]; encoding: string } {
  const { text, encoding } = decodeText(bytes);
  const table = parseCsv(text, file);
  const column = new Map(table.header.map((h, k) => [h, k]));
  const missing = ['id', 'category'].filter((h) => !column.has(h));
  const located = (column.has('lon') && column.has('lat')) || (column.has('x') && column.has('y'));
  if (missing.length || !located) {
    throw InputError.single(`${file}:1:1`, `has no ${[...missing, ...(located ? [] : ['lon,lat (or x,y)'])].join(', ')} column`, table.header.join(','), 'a header row with id, category and lon,lat (WGS 84) or x,y (the DEM\'s CRS); optional name, name_zh, district, base_level');
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const items: BuiltItem[] = [];
  for (const row of table.rows) {
    if (problems.length >= 20) break;
    const get = (f: Field) => (column.has(f) ? row.cells[column.get(f)!] : undefined);
    const where = (f: Field) => `${file}:${row.line}:${(column.get(f) ?? 0) + 1}`;
    const item = placeItem(get, where, ctx, itemsCrs, seen, problems);
    if (item) items.push(item);
  }
  if (problems.length) throw new InputError(problems.slice(0, 20));
  return { items, encoding };
}

export function itemsFromGeoJson(value: unknown, file: string, ctx: ItemContext, itemsCrs?: Crs): BuiltItem[] {
  if (!isRecord(value) || !Array.isArray(value.features)) throw InputError.single(`${file} $`, 'is not a GeoJSON FeatureCollection', isRecord(value) ? value.type : value, 'Point features with id and category properties');
  const member = isRecord(value.crs) && isRecord(value.crs.properties) ? value.crs.properties.name : undefined;
  const code = typeof member === 'string' ? /EPSG:+(\d+)/i.exec(member)?.[1] : undefined;
  const crs = itemsCrs ?? (code ? parseCrs(`EPSG:${code}`, `${file} $.crs.properties.name`) : undefined);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const items: BuiltItem[] = [];
  value.features.forEach((feature: unknown, k: number) => {
    const at = `${file} $.features[${k}]`;
    const props = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
    const geometry = isRecord(feature) && isRecord(feature.geometry) ? feature.geometry : undefined;
    if (geometry?.type !== 'Point' || !Array.isArray(geometry.coordinates)) { problems.push({ path: `${at}.geometry`, message: 'is not a Point', value: geometry?.type, expected: 'a Point geometry' }); return; }
    const [a, b] = geometry.coordinates as unknown[];
    const projected = crs !== undefined && !crs.geographic;
    const get = (f: Field): string | number | undefined => {
      if (f === 'lon' || f === 'x') return (f === 'x') === projected ? (a as number) : undefined;
      if (f === 'lat' || f === 'y') return (f === 'y') === projected ? (b as number) : undefined;
      const v = props[f];
      return typeof v === 'string' || typeof v === 'number' ? v : undefined;
    };
    const where = (f: Field) => (['lon', 'lat', 'x', 'y'].includes(f) ? `${at}.geometry.coordinates[${f === 'lon' || f === 'x' ? 0 : 1}]` : `${at}.properties.${f}`);
    const item = placeItem(get, where, ctx, crs, seen, problems);
    if (item) items.push(item);
  });
  if (problems.length) throw new InputError(problems.slice(0, 20));
  return items;
}
