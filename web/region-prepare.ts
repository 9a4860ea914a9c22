// Regions from outside, read whole and checked before anything is shown: by link (every file the
// manifest's folder holds, and the scenario's own files beside it) or from local files by path.
// A checked region gets blob: URLs, which the worker fetches as it fetches the shipped files.
import { InputError } from '../models/errors.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { RegionUrls } from './engine.worker.ts';
import { checkRegionManifest, checkScenarioOnRegion, gridSizeProblem, REQUIRED_FILES, regionFileNames } from './region-check.ts';
import { regionFolderOf, scenarioFilesIn } from './region-files.ts';
import { SCHEMA, type StoredRegion, type StoredScenario } from './region-store.ts';

export interface ScenarioChoice { id: string; json: unknown }

export interface RegionChoice {
  key: string;
  origin: 'shipped' | 'link' | 'files';
  name: string;
  nameZh: string;
  urls: RegionUrls;
  /** The scenarios to offer on it; the first opens. */
  scenarios: ScenarioChoice[];
  /** Opened from the copy kept in this browser because the link could not be loaded. */
  offlineCopy?: boolean;
}

/** A file loaded from a URL, or a clear problem naming it (HTTP status or no network). */
export async function fetchBlob(url: string, shownAs: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw InputError.single(shownAs, 'could not be loaded (no network or refused)', url, 'a file the page can fetch');
  }
  if (!response.ok) throw InputError.single(shownAs, `could not be loaded (HTTP ${response.status})`, url, 'a file the page can fetch');
  return response.blob();
}

async function jsonOf(blob: Blob, shownAs: string): Promise<unknown> {
  try {
    return JSON.parse(await blob.text());
  } catch (error) {
    throw InputError.single(shownAs, 'is not valid JSON', (error as Error).message, 'a JSON file');
  }
}

const baseName = (path: string) => path.replace(/\/+$/, '').split('/').pop() ?? path;

/** A region and scenario by link: every file the region folder holds and the scenario's own files. */
export async function regionFromLink(regionUrl: string, scenarioUrl?: string): Promise<StoredRegion> {
  const manifestUrl = new URL(regionUrl, location.href).href;
  const manifestBlob = await fetchBlob(manifestUrl, 'region.json');
  const manifest = checkRegionManifest(await jsonOf(manifestBlob, 'region.json'), 'region.json');
  const files: Record<string, Blob> = { 'region.json': manifestBlob };
  await Promise.all(regionFileNames(manifest).map(async (name) => {
    try {
      files[name] = await fetchBlob(new URL(name, manifestUrl).href, name);
    } catch (error) {
      // Files the checksums list but no scenario may need are not worth refusing the region for.
      if (REQUIRED_FILES.includes(name)) throw error;
    }
  }));
  const scenarios: StoredScenario[] = [];
  if (scenarioUrl) {
    const url = new URL(scenarioUrl, location.href).href;
    const shown = baseName(new URL(url).pathname);
    const json = await jsonOf(await fetchBlob(url, shown), shown);
    const own: Record<string, Blob> = {};
    for (const file of rainGridNames(json)) own[file] = await fetchBlob(new URL(file, url).href, file).catch(() => undefined as unknown as Blob);
    scenarios.push({ id: shown, json, files: Object.fromEntries(Object.entries(own).filter(([, b]) => b)) });
  }
  return { schema: SCHEMA, key: `link:${manifestUrl}`, origin: 'link', source: manifestUrl, saved: new Date().toISOString(), files, scenarios };
}

/** The rain grid files a scenario names (before it is checked: a bad scenario is checked later). */
function rainGridNames(json: unknown): string[] {
  const files = (json as { forcing?: { rain?: { grids?: { files?: unknown } } } })?.forcing?.rain?.grids?.files;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * A region from local files by path (a picked or dropped folder, or a zip's entries): the folder
 * holding region.json, and the scenario files found beside or above it with the files they name.
 */
export async function regionFromFiles(all: Map<string, Blob>, source: string): Promise<StoredRegion> {
  const folder = regionFolderOf(all, source);
  const files: Record<string, Blob> = {};
  for (const [path, blob] of all) if (path.startsWith(folder)) files[path.slice(folder.length)] = blob;
  const scenarios = await scenarioFilesIn(all, folder);
  return { schema: SCHEMA, key: `files:${source}`, origin: 'files', source, saved: new Date().toISOString(), files, scenarios };
}

/**
 * Checks a kept region whole — manifest, required files, grid sizes, each scenario against it —
 * and gives it blob: URLs. Throws the first file's problems; nothing is shown until all pass.
 */
export async function prepareRegion(stored: StoredRegion): Promise<RegionChoice> {
  const manifestBlob = stored.files['region.json'];
  if (!manifestBlob) throw InputError.single(`${stored.source}`, 'holds no region.json', Object.keys(stored.files).slice(0, 5).join(', '), 'a region folder: region.json and its grids');
  const manifest = checkRegionManifest(await jsonOf(manifestBlob, 'region.json'), 'region.json');
  const missing = REQUIRED_FILES.filter((name) => !stored.files[name]);
  if (missing.length) {
    throw new InputError(missing.map((name) => ({ path: name, message: 'is missing from the region folder', value: stored.source, expected: `a region folder with ${REQUIRED_FILES.join(', ')}` })));
  }
  const sizeProblems = await Promise.all(REQUIRED_FILES.filter((n) => n.endsWith('.asc')).map(async (name) => gridSizeProblem(await stored.files[name].slice(0, 400).text(), name, manifest)));
  const problems = sizeProblems.filter((p) => p !== undefined);
  if (problems.length) throw new InputError(problems);
  const scenarios = stored.scenarios.map((s) => {
    const scenario = checkScenarioOnRegion(s.json, s.id, manifest, (name) => name in s.files);
    return { id: scenario.id, json: s.json };
  });
  return { ...choiceUrls(stored, manifest), key: stored.key, origin: stored.origin, ...regionNames(manifest, stored.source), scenarios };
}

function regionNames(manifest: RegionManifest, source: string): { name: string; nameZh: string } {
  const m = manifest as RegionManifest & { name?: unknown; name_zh?: unknown };
  // A folder called `region` (as the shipped one is) is named by the folder around it.
  const folder = source.replace(/\/region\.json$/, '').replace(/\.zip$/i, '').replace(/\/region\/?$/, '');
  const name = typeof m.name === 'string' ? m.name : baseName(folder);
  // `region build` writes name_zh "" when the case gives none: the name stands in for it.
  return { name, nameZh: typeof m.name_zh === 'string' && m.name_zh !== '' ? m.name_zh : name };
}

function choiceUrls(stored: StoredRegion, manifest: RegionManifest): { urls: RegionUrls } {
  const url = (name: string) => URL.createObjectURL(stored.files[name]);
  const files: Record<string, string> = {};
  for (const s of stored.scenarios) for (const [name, blob] of Object.entries(s.files)) files[name] ??= URL.createObjectURL(blob);
  return {
    urls: {
      manifest: url('region.json'), items: url('risk-items.json'), dem: url('dem.asc'), landcover: url('landcover.asc'),
      districts: url('districts.asc'), basins: url('basins.asc'), population: url('population.asc'), buildings: url('buildings.asc'),
      hand: url('hand.asc'), fuel: url('fuel.asc'), files,
      ...(manifest.risk_categories && stored.files[manifest.risk_categories] ? { categories: url(manifest.risk_categories) } : {}),
    },
  };
}

export function revoke(choice: RegionChoice): void {
  if (choice.origin === 'shipped') return;
  const { files, ...grids } = choice.urls;
  for (const u of [...Object.values(grids), ...Object.values(files ?? {})]) URL.revokeObjectURL(u);
}

