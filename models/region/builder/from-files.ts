// `region build` from a case and its files' bytes, with no file system: the same code in Node
// (bin/commands/region.ts, through node.ts) and in the browser's worker. Works out each raster's
// CRS (the case's `crs`, a GeoTIFF's geokeys, a .prj beside an ASCII grid) and runs the builder.
// Every input problem is an InputError naming the file and row/column or JSON path.
import { fromArrayBuffer } from 'geotiff';
import { InputError } from '../../errors.ts';
import type { Grid } from '../../grid/ascii.ts';
import { gridFileKind, gridFromBytes, isGeoTiffName } from '../../grid/bytes.ts';
import { geoKeyCode, USER_DEFINED } from '../../grid/geotiff.ts';
import { parseCrs, utmCodeAt, type Crs } from '../../geo/crs.ts';
import { parseJson } from '../../json.ts';
import { checkFileSize, MAX_TEXT_BYTES } from '../../limits.ts';
import { parseCategoryTable } from '../../risklist/category-table.ts';
import defaultCategories from '../../risklist/categories.json' with { type: 'json' };
import { buildRegion, type BuildInputs, type BuildStage } from './build.ts';
import { parseRegionCase, type RegionCase } from './case.ts';
import { readDistrictShapes } from './districts.ts';
import { itemsFromCsv, itemsFromGeoJson } from './items.ts';
import { classesOfRows, isLandcoverPreset, LANDCOVER_PRESETS, readClassMapping, type ClassMapping } from './landcover.ts';
import { resampleBilinear, type Located } from './raster.ts';

const FEET = new Set([9002, 9003, 9005, 9014, 9030, 9031, 9032, 9033, 9034, 9035, 9036, 9037, 9038, 9039, 9040, 9041, 9042, 9043, 9044, 9045]);

/** The case's files by the names the case gives them (relative to the case). */
export interface CaseFiles {
  /** The file's size in bytes, or undefined when there is no such file. */
  size(name: string): Promise<number | undefined>;
  read(name: string): Promise<Uint8Array>;
}

/** Files already in memory (dropped on the page, or a test's), by name. */
export function filesInMemory(files: ReadonlyMap<string, Uint8Array>): CaseFiles {
  return {
    size: async (name) => files.get(name)?.byteLength,
    read: async (name) => files.get(name)!,
  };
}

/** The stage running now, and about how much of the build is done (0–1). */
export type BuildProgress = (stage: Exclude<BuildStage, 'start'> | 'reading' | 'done', fraction: number) => void;

// The stage that follows each, and the share of a build done when it starts (timings_ms of a
// 1024² build's report: the terrain passes half, writing the grids a quarter).
const NEXT: Record<Exclude<BuildStage, 'write'>, [Exclude<BuildStage, 'start'>, number]> = {
  start: ['terrain', 0.1], terrain: ['districts', 0.6], districts: ['landcover', 0.65], landcover: ['population', 0.7], population: ['items', 0.72], items: ['write', 0.74],
};

/** A file's bytes, checked against `limit` before reading; a missing or unreadable file is an InputError at `path`. */
async function readLimited(files: CaseFiles, name: string, path: string, what: string, limit: number, missing = what): Promise<Uint8Array> {
  try {
    const size = await files.size(name);
    if (size === undefined) throw InputError.single(path, 'names a file that does not exist', name, missing);
    checkFileSize(size, limit, name, what);
    return await files.read(name);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: string }).code;
    throw InputError.single(path, `names a file that cannot be read (${code})`, name, missing);
  }
}

const readBytes = (files: CaseFiles, name: string, path: string, what: string) => readLimited(files, name, path, what, MAX_TEXT_BYTES);

/** A CRS the case names: an EPSG code, a WKT or proj string, or a .wkt/.prj file beside the case. */
async function caseCrs(spec: string, files: CaseFiles, path: string): Promise<Crs> {
  if (/\.(wkt|prj)$/i.test(spec.trim())) {
    const text = new TextDecoder().decode(await readBytes(files, spec.trim(), path, 'a WKT file'));
    return parseCrs(text, spec.trim());
  }
  return parseCrs(spec, path);
}

/** What a GeoTIFF's geokeys say: its CRS, or that it is in feet, or nothing. */
async function geoTiffCrs(bytes: Uint8Array, file: string): Promise<Crs | undefined> {
  const image = await (await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)).getImage();
  const keys = (image.getGeoKeys?.() ?? {}) as Record<string, number | string | undefined>;
  const unit = Number(keys.ProjLinearUnitsGeoKey ?? 9001); const vertical = Number(keys.VerticalUnitsGeoKey ?? 9001);
  if (FEET.has(unit) || FEET.has(vertical)) throw InputError.single(file, 'is in feet', `GeoTIFF ${FEET.has(unit) ? 'ProjLinearUnitsGeoKey' : 'VerticalUnitsGeoKey'} = ${FEET.has(unit) ? unit : vertical}`, 'a DEM in metres (reproject it, e.g. gdalwarp -t_srs EPSG:… and gdal_calc to metres)');
  const named = geoKeyCode(keys);
  const projected = named?.key === 'ProjectedCSTypeGeoKey' ? named.code : undefined;
  if (projected !== undefined && projected < USER_DEFINED) return parseCrs(`EPSG:${projected}`, `${file} (ProjectedCSTypeGeoKey)`);
  const geographic = Number(keys.GeographicTypeGeoKey);
  const ellipsoid = keys.GeogSemiMajorAxisGeoKey && keys.GeogInvFlatteningGeoKey ? `+a=${keys.GeogSemiMajorAxisGeoKey} +rf=${keys.GeogInvFlatteningGeoKey}` : geographic === 4490 ? '+ellps=GRS80' : '+datum=WGS84';
  if (projected === USER_DEFINED && Number(keys.ProjCoordTransGeoKey) === 1) {
    // User-defined transverse Mercator (how GDAL writes a custom Gauss–Krüger zone).
    const name = typeof keys.GTCitationGeoKey === 'string' ? keys.GTCitationGeoKey : 'user-defined transverse Mercator';
    const def = `+proj=tmerc +lat_0=${keys.ProjNatOriginLatGeoKey ?? 0} +lon_0=${keys.ProjNatOriginLongGeoKey ?? keys.ProjCenterLongGeoKey ?? 0} +k=${keys.ProjScaleAtNatOriginGeoKey ?? 1} +x_0=${keys.ProjFalseEastingGeoKey ?? 0} +y_0=${keys.ProjFalseNorthingGeoKey ?? 0} ${ellipsoid} +units=m +no_defs`;
    return { ...parseCrs(def, file), name };
  }
  if (projected === USER_DEFINED) return undefined;
  // A geographic model is CGCS2000 when its key says so, else taken as WGS84 (also with no key at all).
  if (Number(keys.GTModelTypeGeoKey) === 2) return parseCrs(geographic === 4490 ? 'EPSG:4490' : 'EPSG:4326', `${file} (GeographicTypeGeoKey)`);
  return undefined;
}

/** A raster and its CRS: the case's (for the DEM), else the file's own, else `fallback`. */
async function readRaster(files: CaseFiles, name: string, path: string, given: Crs | undefined, fallback?: Crs): Promise<{ located: Located; said: string }> {
  const { limit, what } = gridFileKind(name, path);
  const bytes = await readLimited(files, name, path, what, limit, 'a readable grid file');
  const grid = await gridFromBytes(bytes, name);
  let crs: Crs | undefined; let said = '';
  if (isGeoTiffName(name)) {
    // The geokeys are read under the text limit, as they always were (a GeoTIFF past it is refused here).
    checkFileSize(bytes.byteLength, MAX_TEXT_BYTES, name, 'a GeoTIFF');
    crs = await geoTiffCrs(bytes, name); said = 'its GeoTIFF geokeys';
  }
  const prj = name.replace(/\.[^./\\]+$/, '.prj');
  if (!crs && prj !== name && (await files.size(prj)) !== undefined) { crs = await caseCrs(prj, files, path); said = `${prj} beside it`; }
  // The case's crs is for files that say none; where both speak, the case's wins and the report says so.
  if (given) { said = crs ? `the case's crs (the file's own, ${crs.name} from ${said}, set aside)` : 'the case\'s crs'; crs = given; }
  if (!crs && fallback) { crs = fallback; said = 'none given: taken as the DEM\'s'; }
  if (!crs) throw InputError.single(name, 'says no coordinate reference system and the case gives no "crs"', 'no .prj beside it, no GeoTIFF geokeys', 'a .prj file beside the DEM, a GeoTIFF with its CRS, or "crs": "EPSG:…" (or a WKT) in the case');
  if (crs.metresPerUnit !== 1) throw InputError.single(name, 'is in feet', `${crs.name}: ${crs.metresPerUnit} m per unit (${said})`, 'a DEM in metres on a metre grid (reproject it first)');
  return { located: { grid, crs }, said };
}

/** A geographic DEM onto the UTM zone of its centre, at about its own resolution. */
function toUtm(dem: Located): { located: Located; note: string } {
  const g = dem.grid;
  const lon = g.xllcorner + (g.ncols * g.cellsize) / 2; const lat = g.yllcorner + (g.nrows * g.cellsize) / 2;
  const code = utmCodeAt(lon, lat);
  const crs = parseCrs(`EPSG:${code}`, 'UTM');
  const xs: number[] = []; const ys: number[] = [];
  for (let k = 0; k <= 8; k++) {
    for (const [u, v] of [[k / 8, 0], [k / 8, 1], [0, k / 8], [1, k / 8]]) {
      const [x, y] = crs.fromLonLat(g.xllcorner + u * g.ncols * g.cellsize, g.yllcorner + v * g.nrows * g.cellsize);
      xs.push(x); ys.push(y);
    }
  }
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]; const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  // A cell's east–west and north–south sizes at the centre, in metres, averaged and rounded to the metre.
  const [cx, cy] = crs.fromLonLat(lon, lat);
  const east = crs.fromLonLat(lon + g.cellsize, lat); const north = crs.fromLonLat(lon, lat + g.cellsize);
  const cellsize = Math.max(1, Math.round((Math.hypot(east[0] - cx, east[1] - cy) + Math.hypot(north[0] - cx, north[1] - cy)) / 2));
  const target: Grid = { ncols: Math.ceil((x1 - x0) / cellsize), nrows: Math.ceil((y1 - y0) / cellsize), xllcorner: Math.floor(x0), yllcorner: Math.floor(y0), cellsize, nodata: -9999, values: new Float64Array(0) };
  const grid = resampleBilinear(dem, { grid: target, crs });
  return { located: { grid, crs }, note: `the DEM is geographic (${dem.crs.name}, ${g.cellsize}° cells): reprojected to ${crs.name} by bilinear resampling at ${cellsize} m (${grid.ncols} × ${grid.nrows} cells)` };
}

export type BuildReport = Awaited<ReturnType<typeof buildRegion>>['report'];
/** The region's files as text, its report, and the names (as the case gives them) of the files read. */
export interface BuiltRegionText { files: Record<string, string>; report: BuildReport; region: Awaited<ReturnType<typeof buildRegion>>['region']; inputs: string[] }

export async function buildRegionText(value: unknown, files: CaseFiles, progress?: BuildProgress): Promise<BuiltRegionText> {
  const regionCase: RegionCase = parseRegionCase(value);
  const inputs: string[] = [];
  progress?.('reading', 0);
  const given = regionCase.crs ? await caseCrs(regionCase.crs, files, '$.crs') : undefined;
  const read = await readRaster(files, regionCase.dem, '$.dem', given);
  inputs.push(regionCase.dem);
  const notes = [`CRS from ${read.said}: ${read.located.crs.name}`];
  let dem = read.located;
  if (dem.crs.geographic) { const utm = toUtm(dem); dem = utm.located; notes.push(utm.note); }

  const build: BuildInputs = { regionCase, dem, notes, categories: { ids: new Set(), file: 'models/risklist/categories.json', defaults: new Set() } };
  const defaults = new Set((defaultCategories as { categories: { id: string }[] }).categories.map((c) => c.id));
  build.categories = { ids: defaults, file: 'models/risklist/categories.json (the engine\'s default table)', defaults };
  if (regionCase.categories) {
    const table = parseJson(new TextDecoder().decode(await readBytes(files, regionCase.categories, '$.categories', 'a category table')), regionCase.categories);
    // Checked here as `run` will read it, so a bad threshold is named at build, by file and JSON path.
    build.categories.ids = new Set(parseCategoryTable(table, regionCase.categories).categories.keys());
    build.categories.file = regionCase.categories;
    build.categories.own = table;
    inputs.push(regionCase.categories);
  }
  if (regionCase.districts) {
    const d = regionCase.districts;
    const json = parseJson(new TextDecoder().decode(await readBytes(files, d.file, '$.districts.file', 'a GeoJSON file of district polygons')), d.file);
    build.districts = { shapes: readDistrictShapes(json, d.file, d, dem.crs), file: d.file };
    inputs.push(d.file);
  }
  if (regionCase.items) {
    const it = regionCase.items;
    const bytes = await readBytes(files, it.file, '$.items.file', 'a CSV or GeoJSON file of risk-list items');
    const itemsCrs = it.crs ? await caseCrs(it.crs, files, '$.items.crs') : undefined;
    build.items = (ctx) => {
      const full = { ...ctx, categories: build.categories.ids, categoriesFile: build.categories.file };
      if (/\.(geo)?json$/i.test(it.file)) return { items: itemsFromGeoJson(parseJson(new TextDecoder().decode(bytes), it.file), it.file, full, itemsCrs), file: it.file };
      return { ...itemsFromCsv(bytes, it.file, full, itemsCrs), file: it.file };
    };
    inputs.push(it.file);
  }
  const layer = async (name: string | undefined, path: string) => {
    if (!name) return undefined;
    const { located, said } = await readRaster(files, name, path, undefined, dem.crs);
    inputs.push(name);
    if (said.startsWith('none')) notes.push(`${name} says no CRS: taken as the DEM's`);
    return { raster: located, file: name };
  };
  if (regionCase.landcover) {
    const lc = regionCase.landcover;
    const raster = await layer(lc.file, '$.landcover.file');
    let classes: ReadonlyMap<number, ClassMapping>;
    if (Array.isArray(lc.classes)) classes = classesOfRows(lc.classes);
    else if (isLandcoverPreset(lc.classes)) classes = classesOfRows(LANDCOVER_PRESETS[lc.classes]);
    else {
      if (!/\.csv$/i.test(lc.classes)) throw InputError.single('$.landcover.classes', 'is not a class table', lc.classes, `${Object.keys(LANDCOVER_PRESETS).map((k) => `"${k}"`).join(', ')}, a table [{ "code", "landcover", "fuel" }] or a mapping CSV (class,landcover,fuel)`);
      classes = readClassMapping(await readBytes(files, lc.classes, '$.landcover.classes', 'a mapping CSV'), lc.classes);
      inputs.push(lc.classes);
    }
    build.landcover = { ...raster!, classes };
  }
  build.fuel = await layer(regionCase.fuel, '$.fuel');
  build.population = await layer(regionCase.population, '$.population');
  build.buildings = await layer(regionCase.buildings, '$.buildings');
  if (progress) build.onStage = (ended) => { if (ended !== 'write') progress(...NEXT[ended]); };
  const built = await buildRegion(build);
  progress?.('done', 1);
  return { files: { ...built.files, 'build-report.json': JSON.stringify(built.report, null, 1) + '\n' }, report: built.report, region: built.region, inputs };
}

/** The region's files as bytes (UTF-8): the form a worker hands to the page or packs into a zip. */
export async function buildRegionBytes(value: unknown, files: ReadonlyMap<string, Uint8Array>, progress?: BuildProgress) {
  const built = await buildRegionText(value, filesInMemory(files), progress);
  const encoder = new TextEncoder();
  const bytes: Record<string, Uint8Array> = {};
  for (const name of Object.keys(built.files)) { bytes[name] = encoder.encode(built.files[name]); delete built.files[name]; }
  return { files: bytes, report: built.report, region: built.region, inputs: built.inputs };
}
