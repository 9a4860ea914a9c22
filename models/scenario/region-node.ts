// Loads a region in Node: the manifest a scenario names, and the grids and items beside it.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { parseAsciiGrid, type Grid } from '../grid/ascii.ts';
import { readGridFile } from '../grid/node.ts';
import { parseJson } from '../json.ts';
import { regionIdProblems } from './ids.ts';
import type { Scenario } from './schema.ts';
import { REGION_GRIDS, REGION_ITEMS_FILE, type RegionData, type RegionManifest, type RegionItem } from './region.ts';

async function readText(path: string, shownAs: string, jsonPath: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(jsonPath, code === 'ENOENT' ? 'names a region file that does not exist' : `cannot read a region file (${code})`, shownAs,
      'a region folder with region.json, the grids and risk-items.json (run `npm run build:region` for the shipped one)');
  }
}

export async function loadRegion(scenarioDir: string, manifestPath: string): Promise<RegionData> {
  const manifestFile = join(scenarioDir, manifestPath);
  const folder = dirname(manifestFile);
  const manifest = parseJson(await readText(manifestFile, manifestPath, '$.region'), manifestPath) as RegionManifest;
  const idProblems = regionIdProblems(manifest, manifestPath);
  if (idProblems.length) throw new InputError(idProblems);
  const gridEntries = await Promise.all(Object.entries(REGION_GRIDS).map(async ([role, file]) => {
    const shown = join(dirname(manifestPath), file);
    return [role, parseAsciiGrid(await readText(join(folder, file), shown, '$.region'), shown)] as const;
  }));
  const itemsShown = join(dirname(manifestPath), REGION_ITEMS_FILE);
  const items = (parseJson(await readText(join(folder, REGION_ITEMS_FILE), itemsShown, '$.region'), itemsShown) as { items: RegionItem[] }).items;
  const grids = Object.fromEntries(gridEntries) as Omit<RegionData, 'manifest' | 'items'>;
  for (const [role, grid] of gridEntries) {
    if (grid.ncols !== manifest.grid.ncols || grid.nrows !== manifest.grid.nrows) {
      throw InputError.single(join(dirname(manifestPath), REGION_GRIDS[role as keyof typeof REGION_GRIDS]), 'has a different size from the region',
        `${grid.ncols} × ${grid.nrows}`, `${manifest.grid.ncols} × ${manifest.grid.nrows} cells as region.json says`);
    }
  }
  return { manifest, items, ...grids };
}

/** The scenario's rain grids, read beside the scenario file (undefined when rain is not gridded). */
export async function loadRainGrids(scenarioDir: string, scenario: Scenario): Promise<Grid[] | undefined> {
  const files = scenario.rain.grids?.files;
  if (!files) return undefined;
  return Promise.all(files.map((file, k) => readGridFile(file, scenarioDir, `$.forcing.rain.grids[${k}]`)));
}
