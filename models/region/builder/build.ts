// The region builder: a DEM (in metres, projected) and a city's optional layers become a region in
// the form of scenarios/mountain-city/region/ (region.json, the grids, risk-items.json), plus a
// build report. File reading is the caller's (build/node.ts in Node); this is the same in a worker.
import { InputError } from '../../errors.ts';
import type { Grid } from '../../grid/ascii.ts';
import { formatGridFixed } from './ascii-out.ts';
import { D8_COL, D8_ROW, heightAboveDrainage, slopeAspect } from '../../grid/terrain.ts';
import { extractRiverNetwork } from '../network.ts';
import type { RegionCase } from './case.ts';
import { fillToNearest, rasterizeDistricts, type DistrictShape } from './districts.ts';
import { districtOutlineParts } from './outlines.ts';
import type { BuiltItem, ItemContext } from './items.ts';
import { FUEL_OF_LANDCOVER, LANDCOVER, type ClassMapping } from './landcover.ts';
import { resampleCounts, resampleNearest, type Located } from './raster.ts';
import { sha256Hex } from '../../scenario/outputs.ts';

export const BUILDER_VERSION = 1;
/** The city's category table, beside region.json (which names it as `risk_categories`). */
export const RISK_CATEGORIES_FILE = 'risk-categories.json';
export const MIN_ELEVATION_M = -500;
export const MAX_ELEVATION_M = 9000;

export interface BuildInputs {
  regionCase: RegionCase;
  dem: Located;
  /** Said in the report: where the CRS came from, a reprojection, … */
  notes: string[];
  districts?: { shapes: DistrictShape[]; file: string };
  items?: (ctx: Omit<ItemContext, 'categories' | 'categoriesFile'>) => { items: BuiltItem[]; file: string; encoding?: string };
  /** The table items are checked against; `own`: the city's table as given, written beside region.json. */
  categories: { ids: Set<string>; file: string; defaults: Set<string>; own?: unknown };
  landcover?: { raster: Located; classes: ReadonlyMap<number, ClassMapping>; file: string };
  fuel?: { raster: Located; file: string };
  population?: { raster: Located; file: string };
  buildings?: { raster: Located; file: string };
  /** Told as each stage ends (a worker's progress bar); 'start' before the first. */
  onStage?: (stage: BuildStage) => void;
}

export type BuildStage = 'start' | 'terrain' | 'districts' | 'landcover' | 'population' | 'items' | 'write';

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** Cells with no lower neighbour in the DEM as given: pits (all neighbours higher) and flats (some equal). */
function pitsAndFlats(dem: Grid): { pits: number; flats: number } {
  const { ncols, nrows, values } = dem;
  let pits = 0; let flats = 0;
  for (let r = 1; r < nrows - 1; r++) {
    for (let c = 1; c < ncols - 1; c++) {
      const z = values[r * ncols + c];
      if (Number.isNaN(z)) continue;
      let lower = false; let equal = false; let edge = false;
      for (let k = 0; k < 8; k++) {
        const n = values[(r + D8_ROW[k]) * ncols + c + D8_COL[k]];
        if (Number.isNaN(n)) edge = true; else if (n < z) lower = true; else if (n === z) equal = true;
      }
      if (!lower && !edge) { if (equal) flats++; else pits++; }
    }
  }
  return { pits, flats };
}

export async function buildRegion(inputs: BuildInputs) {
  const { regionCase, dem: { grid: dem, crs } } = inputs;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: Exclude<BuildStage, 'start'>) => { const now = performance.now(); timings[name] = Math.round(now - t); t = now; inputs.onStage?.(name); };
  inputs.onStage?.('start');
  const warnings: string[] = [];
  const { ncols, nrows, cellsize, xllcorner, yllcorner } = dem;
  const n = ncols * nrows;
  const cellAreaKm2 = (cellsize * cellsize) / 1e6;
  const grid = (values: Float64Array | Int32Array, nodata = -9999): Grid => ({ ncols, nrows, xllcorner, yllcorner, cellsize, nodata, values: values instanceof Float64Array ? values : Float64Array.from(values) });
  let nodataCells = 0;
  for (let i = 0; i < n; i++) {
    const z = dem.values[i];
    if (Number.isNaN(z)) nodataCells++;
    // Beyond any elevation on Earth (Dead Sea shore −430 m, Everest 8849 m): a unit or NODATA mistake.
    else if (!(z >= MIN_ELEVATION_M && z <= MAX_ELEVATION_M)) {
      throw InputError.single(regionCase.dem, 'has an elevation no place on Earth has', `${z} at row ${Math.floor(i / ncols) + 1}, column ${(i % ncols) + 1}`, `metres in [${MIN_ELEVATION_M}, ${MAX_ELEVATION_M}] (a DEM in feet or centimetres, or an undeclared NODATA value?)`);
    }
  }
  if (nodataCells === n) throw InputError.single(regionCase.dem, 'has no data cells', `${n} cells, all NODATA`, 'a DEM with elevations');
  if (nodataCells > 0) warnings.push(`${nodataCells} NODATA cells (${((100 * nodataCells) / n).toFixed(1)} %) stay NODATA in dem.asc; water reaching them leaves the region there`);

  // Terrain: the same passes as the shipped region's generator (models/grid/terrain.ts, models/region/network.ts).
  const { slopeDeg } = slopeAspect(dem);
  const network = extractRiverNetwork(dem, regionCase.streams.threshold_km2, 'R', regionCase.streams.min_headwater_cells);
  const filledStats = { cells: 0, max_m: 0, volume_m3: 0 };
  for (let i = 0; i < n; i++) {
    const depth = network.filledElevation[i] - dem.values[i];
    if (depth > 1e-6) { filledStats.cells++; filledStats.max_m = Math.max(filledStats.max_m, depth); filledStats.volume_m3 += depth * cellsize * cellsize; }
  }
  // Inside filled depressions HAND is NODATA (as generate.ts): a closed hollow ponds its own rain.
  const hand = heightAboveDrainage(network.filledElevation, network.direction, ncols, network.isStream)
    .map((h, i) => (network.filledElevation[i] - dem.values[i] > 0.05 ? NaN : Math.round(h * 100) / 100));
  lap('terrain');
  if (network.reaches.length === 0) throw InputError.single('$.streams.threshold_km2', 'leaves the region without a single stream', regionCase.streams.threshold_km2, `a drainage area below the largest on the DEM (${(Math.max(...network.accumulationCells) * cellAreaKm2).toFixed(3)} km²)`);

  // Districts.
  let shapes = inputs.districts?.shapes ?? [{ id: 'region', name: regionCase.name, name_zh: regionCase.name_zh || regionCase.name, feature: -1, polygons: [] }];
  let districtOfCell: Int32Array;
  const inPolygon = new Float64Array(shapes.length);
  if (inputs.districts) {
    districtOfCell = rasterizeDistricts(shapes, dem);
    const counts = new Float64Array(shapes.length);
    for (let i = 0; i < n; i++) if (districtOfCell[i] >= 0) counts[districtOfCell[i]]++;
    const kept = shapes.filter((s, k) => {
      if (counts[k] === 0) warnings.push(`district ${s.id} (${inputs.districts!.file} $.features[${s.feature}]) covers no cell centre of the DEM: left out`);
      return counts[k] > 0;
    });
    if (kept.length === 0) throw InputError.single(`${inputs.districts.file} $.features`, 'lie outside the DEM', `${shapes.length} districts`, `polygons over the DEM (${crs.name}, x ${xllcorner}–${xllcorner + ncols * cellsize}, y ${yllcorner}–${yllcorner + nrows * cellsize}); is the file in another CRS than declared?`);
    if (kept.length < shapes.length) { shapes = kept; districtOfCell = rasterizeDistricts(shapes, dem); }
    inPolygon.fill(0);
    for (let i = 0; i < n; i++) if (districtOfCell[i] >= 0) inPolygon[districtOfCell[i]]++;
    const joined = fillToNearest(districtOfCell, ncols, nrows);
    if (joined > 0) warnings.push(`${joined} cells (${((100 * joined) / n).toFixed(1)} %) lie in no district polygon: each joins its nearest district`);
  } else {
    districtOfCell = new Int32Array(n);
    inPolygon[0] = n;
    warnings.push('no districts file: the whole DEM is one district, "region"');
  }
  const districtCells = new Float64Array(shapes.length);
  const centres = shapes.map(() => [0, 0]);
  for (let i = 0; i < n; i++) {
    const d = districtOfCell[i];
    districtCells[d]++;
    centres[d][0] += xllcorner + ((i % ncols) + 0.5) * cellsize;
    centres[d][1] += yllcorner + (nrows - Math.floor(i / ncols) - 0.5) * cellsize;
  }
  lap('districts');

  // Land cover and fuel.
  const landcover = new Float64Array(n).fill(LANDCOVER.grassShrub);
  const fuel = new Float64Array(n);
  if (inputs.landcover) {
    const classes = resampleNearest(inputs.landcover.raster, inputs.dem).values;
    const unknown = new Map<number, number>(); let outside = 0;
    for (let i = 0; i < n; i++) {
      const cls = classes[i];
      const mapped = inputs.landcover.classes.get(cls);
      if (Number.isNaN(cls)) outside++;
      else if (!mapped) unknown.set(cls, (unknown.get(cls) ?? 0) + 1);
      landcover[i] = mapped ? LANDCOVER[mapped.landcover] : LANDCOVER.grassShrub;
      fuel[i] = mapped ? mapped.fuel : FUEL_OF_LANDCOVER[LANDCOVER.grassShrub];
    }
    if (outside) warnings.push(`${outside} cells beyond ${inputs.landcover.file}: taken as grass/shrub`);
    for (const [cls, count] of unknown) warnings.push(`land-cover class ${cls} (${count} cells) of ${inputs.landcover.file} has no mapping: taken as grass/shrub`);
  } else {
    // Without a land-cover map, only the big rivers are known: streams draining ≥ 100 km².
    for (let i = 0; i < n; i++) if (network.accumulationCells[i] * cellAreaKm2 >= 100) landcover[i] = LANDCOVER.river;
    for (let i = 0; i < n; i++) fuel[i] = FUEL_OF_LANDCOVER[landcover[i]];
    warnings.push('no landcover: grass/shrub (fuel GR2) everywhere, river on streams draining ≥ 100 km²');
  }
  if (inputs.fuel) {
    const given = resampleNearest(inputs.fuel.raster, inputs.dem).values;
    let missing = 0;
    for (let i = 0; i < n; i++) { if (Number.isNaN(given[i])) missing++; else fuel[i] = given[i]; }
    if (missing) warnings.push(`${missing} cells beyond ${inputs.fuel.file}: fuel from land cover`);
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(dem.values[i])) fuel[i] = 99;
  lap('landcover');

  const counts = (layer: BuildInputs['population'], what: string) => {
    if (!layer) { warnings.push(`no ${what} grid: ${what} are zero everywhere (exposure counts will be 0)`); return { values: new Float64Array(n), total: 0 }; }
    const { grid: g, inside, outside } = resampleCounts(layer.raster, inputs.dem);
    if (outside > 0) warnings.push(`${round(outside, 1)} ${what} of ${layer.file} lie beyond the DEM: left out`);
    return { values: g.values.map((v) => round(v, 3)), total: inside };
  };
  const population = counts(inputs.population, 'residents');
  const buildings = counts(inputs.buildings, 'buildings');
  lap('population');

  const reachIds = network.reaches.map((r) => r.id);
  const districtIds = shapes.map((s) => s.id);
  const itemsResult = inputs.items?.({ dem, demCrs: crs, districtIds, districtOfCell, basinOfCell: network.basinOfCell, reachIds });
  const items = itemsResult?.items ?? [];
  const foreign = [...new Set(items.map((i) => i.category).filter((c) => !inputs.categories.defaults.has(c)))];
  if (foreign.length) warnings.push(`categories ${foreign.join(', ')} come from ${inputs.categories.file} (kept as risk-categories.json): a scenario grades them with "models": { "risklist": { "categories": "region" } }, the default, and refuses them with "default"`);
  if (!inputs.items) warnings.push('no items file: the risk list is empty');
  lap('items');

  const entries = regionCase.river_entries.map((e, k) => {
    const c = Math.floor((e.x_m - xllcorner) / cellsize); const r = nrows - 1 - Math.floor((e.y_m - yllcorner) / cellsize);
    if (c < 0 || c >= ncols || r < 0 || r >= nrows) throw InputError.single(`$.river_entries[${k}]`, 'is outside the DEM', `x ${e.x_m}, y ${e.y_m}`, `x in [${xllcorner}, ${xllcorner + ncols * cellsize}), y in [${yllcorner}, ${yllcorner + nrows * cellsize})`);
    // The stream cell nearest the point (within 10 cells), else the sub-basin the point drains to.
    let best = -1; let bestD = Infinity;
    for (let dr = -10; dr <= 10; dr++) for (let dc = -10; dc <= 10; dc++) {
      const rr = r + dr; const cc = c + dc;
      if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols || !network.isStream[rr * ncols + cc]) continue;
      if (dr * dr + dc * dc < bestD) { bestD = dr * dr + dc * dc; best = rr * ncols + cc; }
    }
    const basin = network.basinOfCell[best >= 0 ? best : r * ncols + c];
    if (basin < 0) warnings.push(`river entry ${e.name} ($.river_entries[${k}]) reaches no stream: its inflow is left out`);
    const id = `river-${k + 1}`;
    return { river: id, name: e.name, name_zh: e.name_zh, reach: basin >= 0 ? reachIds[basin] : null, upstream_area_km2: e.upstream_area_km2 };
  });

  const districtRows = shapes.map((s, k) => ({
    id: s.id, name: s.name, name_zh: s.name_zh, area_km2: round(districtCells[k] * cellAreaKm2, 4), in_polygon_km2: round(inPolygon[k] * cellAreaKm2, 4),
    ...(inputs.population ? { residents: Math.round(population.values.reduce((sum, v, i) => (districtOfCell[i] === k ? sum + v : sum), 0)) } : {}),
  }));
  const files: Record<string, string> = {
    // Elevations to the millimetre, residents and buildings to a thousandth, HAND to the centimetre (as generate.ts rounds it).
    'dem.asc': formatGridFixed(dem, 3),
    'landcover.asc': formatGridFixed(grid(landcover), 0),
    'fuel.asc': formatGridFixed(grid(fuel), 0),
    'population.asc': formatGridFixed(grid(population.values), 3),
    'buildings.asc': formatGridFixed(grid(buildings.values), 3),
    'districts.asc': formatGridFixed(grid(districtOfCell), 0),
    'basins.asc': formatGridFixed(grid(network.basinOfCell, -1), 0),
    'hand.asc': formatGridFixed(grid(hand), 2),
    'risk-items.json': JSON.stringify({ _about: `Risk-list items of ${regionCase.name}, built by \`sandtable region build\`.`, items }, null, 1) + '\n',
    ...(inputs.categories.own !== undefined ? { [RISK_CATEGORIES_FILE]: JSON.stringify(inputs.categories.own, null, 1) + '\n' } : {}),
  };
  const region = {
    _about: `${regionCase.name}: built by \`sandtable region build\` from the user's files (build-report.json says how).`,
    generator_version: BUILDER_VERSION,
    seed: 0,
    name: regionCase.name, name_zh: regionCase.name_zh,
    crs: crs.name,
    crs_definition: crs.definition,
    grid: { ncols, nrows, xllcorner, yllcorner, cellsize_m: cellsize },
    landcover_codes: LANDCOVER,
    districts: shapes.map((s, index) => {
      const parts = inputs.districts ? districtOutlineParts(s, { x0: xllcorner, y0: yllcorner, x1: xllcorner + ncols * cellsize, y1: yllcorner + nrows * cellsize }, cellsize) : [];
      return {
        index, id: s.id, name: s.name, name_zh: s.name_zh,
        centre_m: [round(centres[index][0] / districtCells[index], 1), round(centres[index][1] / districtCells[index], 1)],
        // The largest part as `outline_m` (the map's); every part as `outlines_m` where there are several (CAP areas).
        ...(parts.length ? { outline_m: parts[0] } : {}),
        ...(parts.length > 1 ? { outlines_m: parts } : {}),
      };
    }),
    rivers: entries.map((e) => ({ id: e.river, name: e.name, name_zh: e.name_zh })),
    river_entries: entries,
    reaches: network.reaches.map((r, index) => ({
      index, id: r.id, downstream: r.downstream, length_m: Math.round(r.lengthM), slope: Number(r.slope.toPrecision(4)),
      drainage_area_km2: round(r.drainageAreaKm2, 3), local_area_km2: round(r.localAreaKm2, 3), strahler_order: r.strahlerOrder,
      path_m: r.cells.filter((_, k) => k % 5 === 0 || k === r.cells.length - 1).map((cell) => [
        round(xllcorner + ((cell % ncols) + 0.5) * cellsize, 3), round(yllcorner + (nrows - Math.floor(cell / ncols) - 0.5) * cellsize, 3),
      ]),
    })),
    ...(inputs.categories.own !== undefined ? { risk_categories: RISK_CATEGORIES_FILE } : {}),
    // Web Crypto: the same hashes in Node and in the browser's worker.
    checksums: Object.fromEntries(await Promise.all(Object.entries(files).map(async ([name, text]) => [name, await sha256Hex(text)]))),
  };
  files['region.json'] = JSON.stringify(region, null, 1) + '\n';
  lap('write');
  const { pits, flats } = pitsAndFlats(dem);
  const report = {
    region: regionCase.name, crs: crs.name, notes: inputs.notes,
    grid: { ncols, nrows, cells: n, cellsize_m: cellsize, xllcorner, yllcorner },
    nodata_cells: nodataCells,
    depressions: { pit_cells: pits, flat_cells: flats, filled_cells: filledStats.cells, max_fill_m: round(filledStats.max_m, 3), fill_volume_m3: Math.round(filledStats.volume_m3) },
    streams: { threshold_km2: regionCase.streams.threshold_km2, min_headwater_cells: regionCase.streams.min_headwater_cells, pruned_headwaters: network.prunedHeadwaters, stream_cells: network.isStream.reduce((a, b) => a + b, 0), reaches: network.reaches.length, outlets: network.reaches.filter((r) => r.downstream === null).length, total_length_km: round(network.reaches.reduce((s, r) => s + r.lengthM, 0) / 1000, 3) },
    districts: districtRows,
    items: { placed: items.length, ...(itemsResult ? { file: itemsResult.file } : {}), ...(itemsResult?.encoding ? { encoding: itemsResult.encoding } : {}), by_category: Object.fromEntries([...new Set(items.map((i) => i.category))].map((c) => [c, items.filter((i) => i.category === c).length])) },
    ...(inputs.population ? { residents: Math.round(population.total) } : {}),
    ...(inputs.buildings ? { buildings: Math.round(buildings.total) } : {}),
    river_entries: entries,
    warnings,
    timings_ms: timings,
  };
  return { files, report, slopeDeg, region };
}

/** The readable summary `region build` prints on stderr. */
export function summaryText(report: Awaited<ReturnType<typeof buildRegion>>['report'], out: string): string {
  const d = report.depressions;
  const lines = [
    `region build: ${report.region} → ${out}`,
    `  grid       ${report.grid.ncols} × ${report.grid.nrows} cells of ${report.grid.cellsize_m} m (${report.grid.cells} cells) in ${report.crs}`,
    ...report.notes.map((note) => `  note       ${note}`),
    `  NODATA     ${report.nodata_cells} cells`,
    `  filled     ${d.filled_cells} cells raised, up to ${d.max_fill_m} m (${d.fill_volume_m3} m³); ${d.pit_cells} pits and ${d.flat_cells} flat cells in the DEM as given`,
    `  streams    ${report.streams.reaches} reaches, ${report.streams.total_length_km} km, ${report.streams.outlets} outlets (threshold ${report.streams.threshold_km2} km²; ${report.streams.pruned_headwaters} headwater stubs under ${report.streams.min_headwater_cells} cells pruned)`,
    `  items      ${report.items.placed} placed${report.items.encoding ? ` (${report.items.encoding})` : ''}`,
    ...report.districts.map((x) => `  district   ${x.id} ${x.name_zh}: ${x.area_km2} km² (${x.in_polygon_km2} km² inside its polygon)${'residents' in x ? `, ${x.residents} residents` : ''}`),
    ...('residents' in report ? [`  residents  ${report.residents}`] : []),
    ...report.warnings.map((w) => `  warning    ${w}`),
  ];
  return lines.join('\n') + '\n';
}
