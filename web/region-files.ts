// Local files as the region source reads them: by path, whether they came from a folder picker
// (<input webkitdirectory>), a drop (folders walked through the entries API), or a .zip.
import { InputError } from '../models/errors.ts';
import type { StoredScenario } from './region-store.ts';
import { readZip } from './zip.ts';

/** `a/b/../c.asc` → `a/c.asc`; a leading `./` is dropped. */
export function normalisePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return out.join('/');
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

/** The folder (`''` or ending in `/`) holding the region's region.json: the one nearest the top. */
export function regionFolderOf(all: Map<string, Blob>, source: string): string {
  const manifests = [...all.keys()].filter((p) => p === 'region.json' || p.endsWith('/region.json')).sort((a, b) => a.split('/').length - b.split('/').length);
  if (!manifests.length) throw InputError.single(source, 'holds no region.json', [...all.keys()].slice(0, 5).join(', ') || 'no files', 'a region folder (region.json and its grids), or a .zip of one');
  return dirOf(manifests[0]);
}

export const isScenarioJson = (json: unknown) => (json as { schema?: unknown } | null)?.schema === 'sandtable.scenario/1';

export async function readScenarioJson(blob: Blob, name: string): Promise<unknown> {
  try {
    return JSON.parse(await blob.text());
  } catch (error) {
    throw InputError.single(name, 'is not valid JSON', (error as Error).message, 'a scenario .json (schema "sandtable.scenario/1")');
  }
}

/**
 * A file a scenario names, among files by path: as written relative to the scenario's folder, or
 * else by its tail inside the region folder (`region/radar/h00.asc` → `radar/h00.asc`), so a
 * scenario opened on its own still finds the rain grids its region carries.
 */
export function findNamed(name: string, scenarioDir: string | undefined, files: Map<string, Blob>, regionFolder = ''): Blob | undefined {
  if (scenarioDir !== undefined) {
    const exact = files.get(normalisePath(scenarioDir + name));
    if (exact) return exact;
  }
  const parts = normalisePath(name).split('/');
  for (let k = 0; k < parts.length; k++) {
    const hit = files.get(regionFolder + parts.slice(k).join('/'));
    if (hit) return hit;
  }
  return undefined;
}

/** The scenario files among `all` (any .json of schema sandtable.scenario/1), with their rain grids. */
export async function scenarioFilesIn(all: Map<string, Blob>, regionFolder: string): Promise<StoredScenario[]> {
  const scenarios: StoredScenario[] = [];
  for (const [path, blob] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.endsWith('.json') || /(^|\/)(region|risk-items|build-report|manifest)\.json$/.test(path) || blob.size > 5_000_000) continue;
    let json: unknown;
    try { json = JSON.parse(await blob.text()); } catch { continue; }
    if (!isScenarioJson(json)) continue;
    scenarios.push(scenarioWithFiles(json, path, dirOf(path), all, regionFolder));
  }
  return scenarios;
}

/** A scenario and the files it names that were found (the check says which were not). */
export function scenarioWithFiles(json: unknown, shownAs: string, dir: string | undefined, files: Map<string, Blob>, regionFolder = ''): StoredScenario {
  const names = (json as { forcing?: { rain?: { grids?: { files?: unknown } } } })?.forcing?.rain?.grids?.files;
  const own: Record<string, Blob> = {};
  for (const name of Array.isArray(names) ? names : []) {
    if (typeof name !== 'string') continue;
    const blob = findNamed(name, dir, files, regionFolder);
    if (blob) own[name] = blob;
  }
  return { id: shownAs, json, files: own };
}

/** Files from an <input type=file> (a folder with webkitdirectory, or single files), by path. */
export async function filesFromInput(list: FileList | File[]): Promise<{ files: Map<string, Blob>; source: string }> {
  const files = [...list];
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return { files: await readZip(files[0], files[0].name), source: files[0].name };
  const map = new Map<string, Blob>();
  for (const f of files) map.set(f.webkitRelativePath || f.name, f);
  const top = files[0]?.webkitRelativePath?.split('/')[0];
  return { files: map, source: top || files[0]?.name || 'files' };
}

/** Files dropped on the page: folders walked, a single .zip opened. */
export async function filesFromDrop(transfer: DataTransfer): Promise<{ files: Map<string, Blob>; source: string }> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!entries.length) return filesFromInput([...transfer.files]);
  const map = new Map<string, Blob>();
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      map.set(prefix + entry.name, file);
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      // readEntries gives at most 100 entries a call: read until it gives none.
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  if (map.size === 1) {
    const [[name, blob]] = [...map];
    if (/\.zip$/i.test(name)) return { files: await readZip(blob, name), source: name };
  }
  return { files: map, source: entries[0].name };
}
