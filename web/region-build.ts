// Building a region on the page (issue 18): the dialog's choices become a region case (CONTRACT.md
// "region build") and a map of its files' bytes, built in a worker of its own
// (web/region-build.worker.ts); a problem is placed beside the file or field it names.
import * as Comlink from 'comlink';
import '../models/comlink-errors.ts';
import { REGION_CASE_SCHEMA } from '../models/region/builder/case.ts';
import { isLandcoverPreset, LANDCOVER_PRESETS, type LandcoverPreset } from '../models/region/builder/landcover.ts';
import type { BuildStageName, BuiltRegion, RegionBuildApi } from './region-build.worker.ts';

export type { BuildStageName, BuiltRegion } from './region-build.worker.ts';

/** The dialog's rows a file or problem belongs to. */
export type BuildRow = 'dem' | 'districts' | 'items' | 'layers' | 'classes' | 'names' | 'crs';
export const LAYERS = ['population', 'buildings', 'fuel', 'landcover'] as const;
export type Layer = typeof LAYERS[number];

export interface BuildChoice {
  name: string; nameZh: string; crs: string; thresholdKm2: number;
  /** The DEM and whatever goes with it (.prj beside an ESRI ASCII grid). */
  dem: File[];
  districts?: File; items?: File;
  layers: Partial<Record<Layer, File>>;
  /** Any other file: a region case .json (its choices are taken), a .wkt, a category table. */
  others: File[];
  /** The land-cover raster's class table, as edited (web/components/landcover-classes.ts). */
  landcoverClasses?: ClassEntry[];
}

/**
 * A row of the land-cover class table as typed: text, so that a typo reaches the case, and the
 * builder's check and message, as it was typed.
 */
export interface ClassEntry { code: string; landcover: string; fuel: string }

export function entriesOfPreset(name: LandcoverPreset): ClassEntry[] {
  return LANDCOVER_PRESETS[name].map((r) => ({ code: String(r.code), landcover: r.landcover, fuel: r.fuel === undefined ? '' : String(r.fuel) }));
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const valueOfText = (text: string): string | number => (NUMBER_TEXT.test(text.trim()) ? Number(text.trim()) : text.trim());

/** The table as the case writes it: a preset's name if it is that preset unchanged, else its rows. */
export function classesOfEntries(entries: readonly ClassEntry[]): string | Record<string, unknown>[] {
  const same = (a: readonly ClassEntry[], b: readonly ClassEntry[]) => a.length === b.length && a.every((e, k) => e.code.trim() === b[k].code && e.landcover === b[k].landcover && e.fuel.trim() === b[k].fuel);
  const preset = (Object.keys(LANDCOVER_PRESETS) as LandcoverPreset[]).find((name) => same(entries, entriesOfPreset(name)));
  if (preset) return preset;
  return entries.map((e) => ({ code: valueOfText(e.code), landcover: e.landcover, ...(e.fuel.trim() ? { fuel: valueOfText(e.fuel) } : {}) }));
}

/** The class table a region case gives, to edit: a preset or a table in the case; a CSV stays a file. */
export function entriesOfCase(regionCase: unknown): ClassEntry[] | undefined {
  const classes = (regionCase as { landcover?: { classes?: unknown } } | undefined)?.landcover?.classes;
  if (typeof classes === 'string') return isLandcoverPreset(classes) ? entriesOfPreset(classes) : undefined;
  if (!Array.isArray(classes)) return undefined;
  const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return classes.map((row) => ({ code: text(row?.code), landcover: text(row?.landcover), fuel: text(row?.fuel) }));
}

const DEM_NAME = /\.(tiff?|asc|txt)$/i;

/** Where a dropped file goes, by its name. */
export function rowOfFile(name: string): 'dem' | 'districts' | 'items' | 'others' {
  if (DEM_NAME.test(name) || /\.prj$/i.test(name)) return 'dem';
  if (/\.geojson$/i.test(name)) return 'districts';
  if (/\.csv$/i.test(name)) return 'items';
  return 'others';
}

/** The district fields to read: the usual names if the file's first feature has them, else its first property. */
export function districtFields(geojson: unknown): { id_field: string; name_field: string; name_zh_field: string } {
  const props = (geojson as { features?: { properties?: Record<string, unknown> }[] })?.features?.[0]?.properties ?? {};
  const keys = Object.keys(props);
  const pick = (candidates: string[], fallback: string) => candidates.find((k) => keys.includes(k)) ?? fallback;
  return {
    id_field: pick(['id', 'code', 'adcode', 'ID', 'CODE'], keys[0] ?? 'id'),
    name_field: pick(['name', 'NAME', 'name_en'], 'name'),
    name_zh_field: pick(['name_zh', 'NAME_ZH', 'name_cn'], 'name_zh'),
  };
}

const bytesOf = async (file: File) => new Uint8Array(await file.arrayBuffer());

/** The case the CLI would read, and its files' bytes by the names it uses. */
export async function caseFromChoice(choice: BuildChoice): Promise<{ caseJson: Record<string, unknown>; files: Map<string, Uint8Array> }> {
  const files = new Map<string, Uint8Array>();
  const all = [...choice.dem, choice.districts, choice.items, ...Object.values(choice.layers), ...choice.others].filter((f): f is File => !!f);
  for (const file of all) files.set(file.name, await bytesOf(file));
  let base: Record<string, unknown> = {};
  for (const file of choice.others.filter((f) => /\.json$/i.test(f.name))) {
    try {
      const json = JSON.parse(new TextDecoder().decode(files.get(file.name)));
      if (json?.schema === REGION_CASE_SCHEMA) { base = json; files.delete(file.name); }
    } catch { /* not a case: a category table or other file the case names */ }
  }
  const caseJson: Record<string, unknown> = { ...base, schema: REGION_CASE_SCHEMA };
  const dem = choice.dem.find((f) => DEM_NAME.test(f.name));
  if (dem) caseJson.dem = dem.name;
  if (choice.name.trim()) caseJson.name = choice.name.trim();
  if (choice.nameZh.trim()) caseJson.name_zh = choice.nameZh.trim();
  if (choice.crs.trim()) caseJson.crs = choice.crs.trim();
  if (choice.districts) {
    let fields = districtFields(undefined);
    try { fields = districtFields(JSON.parse(new TextDecoder().decode(files.get(choice.districts.name)))); } catch { /* the builder names the JSON problem */ }
    caseJson.districts = { file: choice.districts.name, ...fields };
  }
  if (choice.items) caseJson.items = { file: choice.items.name };
  for (const layer of LAYERS) {
    const file = choice.layers[layer];
    if (!file) continue;
    const baseClasses = (base.landcover as { classes?: unknown } | undefined)?.classes;
    caseJson[layer] = layer === 'landcover' ? { file: file.name, classes: choice.landcoverClasses ? classesOfEntries(choice.landcoverClasses) : baseClasses ?? 'esa-worldcover' } : file.name;
  }
  if (Number.isFinite(choice.thresholdKm2) && !(base.streams as object | undefined)) caseJson.streams = { threshold_km2: choice.thresholdKm2 };
  return { caseJson, files };
}

/** The row a problem belongs beside: by the file it names first, else by its JSON path in the case. */
export function rowOfProblem(path: string, caseJson: Record<string, unknown>): BuildRow {
  const file = (v: unknown) => (typeof v === 'string' ? v : (v as { file?: string } | undefined)?.file);
  const head = path.split(/[\s:]/)[0];
  const dem = file(caseJson.dem);
  if (path.startsWith('$.dem') || (dem && (head === dem || head === dem.replace(/\.[^.]+$/, '.prj')))) return 'dem';
  if (path.startsWith('$.districts') || head === file(caseJson.districts)) return 'districts';
  if (path.startsWith('$.items') || path.startsWith('$.categories') || head === file(caseJson.items)) return 'items';
  if (path.startsWith('$.crs')) return 'crs';
  const classes = (caseJson.landcover as { classes?: unknown } | undefined)?.classes;
  if (path.startsWith('$.landcover.classes') || (typeof classes === 'string' && head === classes)) return 'classes';
  if (LAYERS.some((l) => path.startsWith(`$.${l}`) || head === file(caseJson[l]))) return 'layers';
  return 'names';
}

/** Runs one build in a new worker, ended when the build ends (or fails). */
export async function buildInWorker(caseJson: unknown, files: Map<string, Uint8Array>, progress: (stage: BuildStageName, fraction: number) => void): Promise<BuiltRegion> {
  const worker = new Worker(new URL('./region-build.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-region-build' });
  try {
    const remote = Comlink.wrap<RegionBuildApi>(worker);
    const buffers = [...files.values()].map((b) => b.buffer as ArrayBuffer);
    // A worker that dies (out of memory on a huge DEM) answers nothing: say so rather than wait forever.
    const died = new Promise<never>((_, reject) => worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new Error(`the build stopped in its worker: ${event.message || 'out of memory?'}`));
    }));
    return await Promise.race([remote.build(caseJson, Comlink.transfer(files, buffers), Comlink.proxy(progress)), died]);
  } finally {
    worker.terminate();
  }
}
