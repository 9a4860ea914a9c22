// A region and the files a scenario names, fetched from the URLs the page serves and parsed in the
// worker that asks: the engine worker and each ensemble pool worker hold their own copy, loaded
// once while the URLs stay the same.
import { parseAsciiGrid, type Grid } from '../models/grid/ascii.ts';
import { parseGeoTiff } from '../models/grid/geotiff.ts';
import { InputError } from '../models/errors.ts';
import { withCategoryTable } from '../models/scenario/region-categories.ts';
import type { RegionData, RegionItem, RegionManifest } from '../models/scenario/region.ts';
import type { Scenario } from '../models/scenario/schema.ts';
import type { RegionUrls } from './engine.worker.ts';

export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * A loader that keeps the last region it parsed (six 1024² grids take a second or two) and, beside
 * it, the region graded by each category setting a scenario used: a recompute after a decision or a
 * what-if, or the next ensemble run, reads neither the grids nor the table again.
 */
export function gradedRegionCache(): (scenario: Scenario, urls: RegionUrls) => Promise<RegionData> {
  let cached: { key: string; region: Promise<RegionData>; graded: Map<string, Promise<RegionData>> } | undefined;
  return (scenario, urls) => {
    // The key holds every URL, the scenario's files too: a table file opened anew is a new key.
    const key = JSON.stringify(urls);
    if (cached?.key !== key) cached = { key, region: loadRegion(urls), graded: new Map() };
    const entry = cached;
    const setting = scenario.models.risklist.categories;
    const known = entry.graded.get(setting);
    if (known) return known;
    const graded = entry.region.then((region) => regionGradedBy(region, scenario, urls));
    entry.graded.set(setting, graded);
    // A read that failed (the network, a table the page lacked) is tried again by the next run.
    graded.catch(() => { if (entry.graded.get(setting) === graded) entry.graded.delete(setting); });
    return graded;
  };
}

async function loadRegion(urls: RegionUrls): Promise<RegionData> {
  const grid = async (url: string, name: string) => parseAsciiGrid(await fetchText(url), name);
  const [manifestText, itemsText, dem, landcover, districts, basins, population, buildings, hand, fuel] = await Promise.all([
    fetchText(urls.manifest), fetchText(urls.items),
    grid(urls.dem, 'dem.asc'), grid(urls.landcover, 'landcover.asc'), grid(urls.districts, 'districts.asc'),
    grid(urls.basins, 'basins.asc'), grid(urls.population, 'population.asc'), grid(urls.buildings, 'buildings.asc'), grid(urls.hand, 'hand.asc'), grid(urls.fuel, 'fuel.asc'),
  ]);
  const manifest = JSON.parse(manifestText) as RegionManifest;
  const items = (JSON.parse(itemsText) as { items: RegionItem[] }).items;
  return { manifest, items, dem, landcover, districts, basins, population, buildings, hand, fuel };
}

/** The region with the category table the scenario grades with, read from the URLs the page serves. */
function regionGradedBy(region: RegionData, scenario: Scenario, urls: RegionUrls): Promise<RegionData> {
  return withCategoryTable(region, scenario.models.risklist.categories, async (name, from) => {
    const url = from === 'region' ? urls.categories : urls.files?.[name];
    return url === undefined ? undefined : fetchText(url);
  });
}

/** The scenario's rain grids, from the URLs the page serves them at. */
export async function loadRainGrids(scenario: Scenario, urls: RegionUrls): Promise<Grid[] | undefined> {
  const files = scenario.rain.grids?.files;
  if (!files) return undefined;
  return Promise.all(files.map(async (file, k) => {
    const url = urls.files?.[file];
    if (!url) throw InputError.single(`$.forcing.rain.grids[${k}]`, 'names a file the page does not serve', file, `one of the files served beside the scenario (${Object.keys(urls.files ?? {}).length} known)`);
    if (/\.tiff?$/i.test(file)) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
      return parseGeoTiff(await response.arrayBuffer(), file);
    }
    return parseAsciiGrid(await fetchText(url), file);
  }));
}

/** A grid the scenario names beside itself (an ignition density grid), `path` naming the field. */
export async function scenarioGrid(urls: RegionUrls, file: string, path: string): Promise<Grid> {
  const url = urls.files?.[file];
  if (!url) throw InputError.single(path, 'names a file the page does not serve', file, 'a grid served beside the scenario');
  return parseAsciiGrid(await fetchText(url), file);
}
