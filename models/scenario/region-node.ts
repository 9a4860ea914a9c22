// Loads a region in Node: the manifest a scenario names, and the grids and items beside it.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { regionCrs } from '../geo/crs.ts';
import { parseAsciiGrid, type Grid } from '../grid/ascii.ts';
import { readGridFile } from '../grid/node.ts';
import { parseJson } from '../json.ts';
import { regionIdProblems } from './ids.ts';
import type { Scenario } from './schema.ts';
import { chooseCategoryTable, type NamedFileReader } from './region-categories.ts';
import { checkItemCategories, checkRegionItems, REGION_GRIDS, REGION_ITEMS_FILE, type RegionData, type RegionManifest } from './region.ts';

const REGION_EXPECTED = 'a region folder with region.json, the grids and risk-items.json (run `npm run build:region` for the shipped one)';

async function readText(path: string, shownAs: string, jsonPath: string, expected = REGION_EXPECTED, what = 'a region file'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(jsonPath, code === 'ENOENT' ? `names ${what} that does not exist` : `cannot read ${what} (${code})`, shownAs, expected);
  }
}

/**
 * The region a scenario names: `manifestPath` relative to the scenario's folder or absolute; the
 * risk-list items from `itemsPath` (the scenario's `models.risklist.items`, resolved the same way)
 * or else risk-items.json beside the manifest.
 */
export async function loadRegion(scenarioDir: string, manifestPath: string, itemsPath?: string, categoriesSetting = 'region'): Promise<RegionData> {
  const manifestFile = resolve(scenarioDir, manifestPath);
  const folder = dirname(manifestFile);
  const manifest = parseJson(await readText(manifestFile, manifestPath, '$.region'), manifestPath) as RegionManifest;
  const idProblems = regionIdProblems(manifest, manifestPath);
  if (idProblems.length) throw new InputError(idProblems);
  // Every WGS 84 output converts through the region's CRS: an unknown one is refused before the run, not after it.
  regionCrs(manifest, manifestPath);
  const gridEntries = await Promise.all(Object.entries(REGION_GRIDS).map(async ([role, file]) => {
    const shown = join(dirname(manifestPath), file);
    return [role, parseAsciiGrid(await readText(join(folder, file), shown, '$.region'), shown)] as const;
  }));
  const itemsShown = itemsPath ?? join(dirname(manifestPath), REGION_ITEMS_FILE);
  const itemsText = itemsPath === undefined
    ? await readText(join(folder, REGION_ITEMS_FILE), itemsShown, '$.region')
    : await readText(resolve(scenarioDir, itemsPath), itemsShown, '$.models.risklist.items', 'a risk-items JSON file ({ "items": [...] }) of the region', 'a file');
  const items = checkRegionItems(parseJson(itemsText, itemsShown), itemsShown, manifest);
  const categories = await chooseCategoryTable(manifest, categoriesSetting, diskCategoryReader(scenarioDir, manifestPath), manifestPath);
  checkItemCategories(items, itemsShown, categories);
  const grids = Object.fromEntries(gridEntries) as Omit<RegionData, 'manifest' | 'items' | 'itemsFile' | 'categories'>;
  for (const [role, grid] of gridEntries) {
    if (grid.ncols !== manifest.grid.ncols || grid.nrows !== manifest.grid.nrows) {
      throw InputError.single(join(dirname(manifestPath), REGION_GRIDS[role as keyof typeof REGION_GRIDS]), 'has a different size from the region',
        `${grid.ncols} × ${grid.nrows}`, `${manifest.grid.ncols} × ${manifest.grid.nrows} cells as region.json says`);
    }
  }
  return { manifest, items, itemsFile: itemsShown, categories, ...grids };
}

/** `models.risklist.categories` by the shared rule, reading the region's folder or the scenario's. */
function diskCategoryReader(scenarioDir: string, manifestPath: string): NamedFileReader {
  return async (name, from) => {
    try {
      return await readFile(resolve(from === 'region' ? dirname(resolve(scenarioDir, manifestPath)) : scenarioDir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
}

/** The scenario's rain grids, read beside the scenario file (undefined when rain is not gridded). */
export async function loadRainGrids(scenarioDir: string, scenario: Scenario): Promise<Grid[] | undefined> {
  const files = scenario.rain.grids?.files;
  if (!files) return undefined;
  return Promise.all(files.map((file, k) => readGridFile(file, scenarioDir, `$.forcing.rain.grids[${k}]`)));
}
