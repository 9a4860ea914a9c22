// What the app checks when a region or scenario comes from outside (a link, a folder, a zip),
// before the worker sees it: a bad manifest, a missing grid, a grid of another size, a scenario
// naming districts, rivers, sub-basins or files the region does not have. Each problem names the
// file and the field (`region.json $.grid.ncols`, `storm.json $.forcing.river_inflows[0].river`),
// so the trainer is told what to fix instead of looking at a blank map.
import { InputError, type Problem } from '../models/errors.ts';
import { isRecord } from '../models/params.ts';
import { regionIdProblems } from '../models/scenario/ids.ts';
import { REGION_GRIDS, REGION_ITEMS_FILE, type RegionManifest } from '../models/scenario/region.ts';
import { parseScenario, type Scenario } from '../models/scenario/schema.ts';

/** The files every region folder holds, by name: the grids and the risk-list items. */
export const REQUIRED_FILES: readonly string[] = [...Object.values(REGION_GRIDS), REGION_ITEMS_FILE];

/** `error`'s problems with their paths said to be in `file` (a scenario's `$.x` → `storm.json $.x`). */
export function inFile(error: unknown, file: string): unknown {
  if (!(error instanceof InputError)) return error;
  return new InputError(error.problems.map((p) => (p.path.startsWith('$') ? { ...p, path: `${file} ${p.path}` } : p)));
}

/**
 * A manifest as the engine reads it. Fields a built region may leave out (rivers, river entries,
 * the reservoir, land-cover codes, checksums) are optional; extra fields (a CRS definition,
 * district outlines) are kept as they are.
 */
export function checkRegionManifest(value: unknown, shownAs: string): RegionManifest {
  const at = (path: string) => `${shownAs} ${path}`;
  if (!isRecord(value)) throw InputError.single(at('$'), 'must be a region manifest object', value, '{ "grid": {…}, "districts": […], "reaches": […], … } as `sandtable region build` writes');
  const problems: Problem[] = [];
  const grid = value.grid;
  if (!isRecord(grid)) problems.push({ path: at('$.grid'), message: 'is missing or not an object', value: grid, expected: '{ "ncols", "nrows", "xllcorner", "yllcorner", "cellsize_m" }' });
  else {
    for (const key of ['ncols', 'nrows'] as const) {
      if (!(Number.isInteger(grid[key]) && (grid[key] as number) > 0)) problems.push({ path: at(`$.grid.${key}`), message: 'must be a positive whole number of cells', value: grid[key], expected: 'e.g. 1024' });
    }
    for (const key of ['xllcorner', 'yllcorner'] as const) {
      if (!Number.isFinite(grid[key])) problems.push({ path: at(`$.grid.${key}`), message: 'must be a number of metres', value: grid[key], expected: 'the grid\'s lower-left corner in the region\'s CRS' });
    }
    if (!(Number.isFinite(grid.cellsize_m) && (grid.cellsize_m as number) > 0)) problems.push({ path: at('$.grid.cellsize_m'), message: 'must be a positive number of metres', value: grid.cellsize_m, expected: 'e.g. 20' });
  }
  if (!Array.isArray(value.districts)) problems.push({ path: at('$.districts'), message: 'must be a list of districts', value: value.districts, expected: '[{ "index", "id", "name", "name_zh", "centre_m" }, …]' });
  if (!Array.isArray(value.reaches)) problems.push({ path: at('$.reaches'), message: 'must be a list of river reaches', value: value.reaches, expected: '[{ "index", "id", "downstream", … }, …] (may be empty)' });
  for (const key of ['rivers', 'river_entries'] as const) {
    if (value[key] !== undefined && !Array.isArray(value[key])) problems.push({ path: at(`$.${key}`), message: 'must be a list when given', value: value[key], expected: 'a list (may be empty)' });
  }
  problems.push(...regionIdProblems(value, shownAs));
  if (problems.length) throw new InputError(problems);
  return { rivers: [], river_entries: [], landcover_codes: {}, checksums: {}, ...value } as unknown as RegionManifest;
}

/** The files of a region folder: those every region has, and any the manifest's checksums list. */
export function regionFileNames(manifest: RegionManifest): string[] {
  const listed = isRecord(manifest.checksums) ? Object.keys(manifest.checksums) : [];
  return [...new Set([...REQUIRED_FILES, ...listed.filter((name) => !name.includes('..') && !name.startsWith('/'))])];
}

/** An ESRI ASCII grid's size from its header (the first few lines). */
export function asciiGridSize(head: string): { ncols: number; nrows: number } | undefined {
  const ncols = /^\s*ncols\s+(\d+)/im.exec(head)?.[1];
  const nrows = /^\s*nrows\s+(\d+)/im.exec(head)?.[1];
  return ncols && nrows ? { ncols: Number(ncols), nrows: Number(nrows) } : undefined;
}

/** A grid's header against the manifest's grid: `shownAs` names the file. */
export function gridSizeProblem(head: string, shownAs: string, manifest: RegionManifest): Problem | undefined {
  const size = asciiGridSize(head);
  const want = `${manifest.grid.ncols} × ${manifest.grid.nrows} cells as region.json says`;
  if (!size) return { path: shownAs, message: 'is not an ESRI ASCII grid (no ncols/nrows header)', value: head.slice(0, 40), expected: want };
  if (size.ncols !== manifest.grid.ncols || size.nrows !== manifest.grid.nrows) return { path: shownAs, message: 'has a different size from the region', value: `${size.ncols} × ${size.nrows}`, expected: want };
  return undefined;
}

const list = (ids: string[]) => (ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, …` : ids.join(', ') || 'none');

/**
 * The scenario, checked against the region it is opened on: what `sandtable run` would refuse for
 * the same pair, found before the map changes. `hasFile` says whether a file the scenario names
 * beside itself (a rain grid) came with it.
 */
export function checkScenarioOnRegion(json: unknown, shownAs: string, manifest: RegionManifest, hasFile: (name: string) => boolean): Scenario {
  let scenario: Scenario;
  try {
    scenario = parseScenario(json);
  } catch (error) {
    throw inFile(error, shownAs);
  }
  const problems: Problem[] = [];
  const at = (path: string) => `${shownAs} ${path}`;
  const districts = manifest.districts.map((d) => d.id);
  for (const district of Object.keys(scenario.rain.districtFactors)) {
    if (!districts.includes(district)) problems.push({ path: at(`$.forcing.rain.district_factors.${district}`), message: 'names no district of the region', value: district, expected: `one of ${list(districts)}` });
  }
  const reaches = manifest.reaches.map((r) => r.id);
  for (const basin of Object.keys(scenario.rain.basins?.byBasin ?? {})) {
    if (!reaches.includes(basin)) problems.push({ path: at(`$.forcing.rain.basins.${basin}`), message: 'names no sub-basin of the region', value: basin, expected: `a reach id of region.json (${list(reaches)})` });
  }
  const rivers = manifest.river_entries.filter((e) => e.reach).map((e) => e.river);
  scenario.riverInflows.forEach(({ river }, k) => {
    if (!rivers.includes(river)) problems.push({ path: at(`$.forcing.river_inflows[${k}].river`), message: 'names no river entering the region', value: river, expected: rivers.length ? `one of ${list(rivers)}` : 'none: no river enters this region' });
  });
  (scenario.rain.grids?.files ?? []).forEach((file, k) => {
    if (!hasFile(file)) problems.push({ path: at(`$.forcing.rain.grids[${k}]`), message: 'names a file that did not come with the scenario or region', value: file, expected: 'the rain grid, beside the scenario as it names it' });
  });
  if (problems.length) throw new InputError(problems);
  return scenario;
}
