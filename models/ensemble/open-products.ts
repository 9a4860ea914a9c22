// An ensemble output folder read back for the app: `sandtable ensemble`'s DIR (opened as files or a
// zip) or the browser's own run, checked against its manifest (every product it lists present and
// unchanged) and parsed into what the map and the fan chart draw. Bad folders are InputErrors that
// name the file: "manifest.json", "flood/gauge_quantiles.csv:1:3".
import { InputError } from '../errors.ts';
import { parseAsciiGrid, type Grid } from '../grid/ascii.ts';
import { parseJson } from '../json.ts';
import { checkFileSize, MAX_TEXT_BYTES } from '../limits.ts';
import { sha256Hex } from '../scenario/outputs.ts';
import { QUANTILES } from './reduce.ts';
import { manifestWarnings, type EnsembleWarning } from './member-warnings.ts';
import { GRID_MORE_PRODUCTS, openMoreProducts, type MoreProducts } from './open-more-products.ts';

/** A gauge's hydrograph quantiles over the members, m³/s at each step boundary. */
export interface GaugeFan { gauge: string; tS: number[]; q05: number[]; q50: number[]; q95: number[] }

/** Per item or district, P(level ≥ 1…4) at index level − 1. */
export interface LevelProbabilities { id: string; p: [number, number, number, number] }

export interface EnsembleView extends MoreProducts {
  scenario: string;
  seed: number;
  members: number;
  goodMembers: number;
  /** Per region cell: P(flood depth ≥ 0.3 m); NaN where no flood is computed. */
  depth?: Grid;
  /** Per region cell: P(burned). */
  burn?: Grid;
  /** Per slope block (a coarser grid over the region): P(FS < 1 at some hour); NaN off the steep blocks. */
  slope?: Grid;
  items: (LevelProbabilities & { category: string; district: string })[];
  districts: LevelProbabilities[];
  gauges: GaugeFan[];
  /** The members' model warnings by place (manifest.json's model_warnings); absent: none recorded. */
  modelWarnings?: { warnings: EnsembleWarning[]; left_out: number };
}

/** What the app reads of manifest.json; the rest is for people and other tools. */
export interface EnsembleManifest {
  command: 'ensemble';
  scenario: string;
  seed: number;
  members: number;
  good_members: number;
  product_sha256: Record<string, string>;
}

const MANIFEST = 'manifest.json';

function manifestOf(text: string | undefined): EnsembleManifest {
  if (text === undefined) throw InputError.single(MANIFEST, 'is missing', undefined, 'the manifest.json `sandtable ensemble --out DIR` writes in DIR');
  // parseJson: a syntax error by manifest.json:line:col, a byte-order mark skipped, nesting bounded.
  const value = parseJson(text, MANIFEST);
  const m = value as Partial<EnsembleManifest> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw InputError.single(`${MANIFEST} $`, 'must be an object', value, 'an ensemble manifest');
  if (m.command !== 'ensemble') throw InputError.single(`${MANIFEST} $.command`, 'is not an ensemble output', m.command, '"ensemble" (a folder written by sandtable ensemble)');
  for (const key of ['seed', 'members', 'good_members'] as const) {
    if (!Number.isInteger(m[key]) || (m[key] as number) < 0) throw InputError.single(`${MANIFEST} $.${key}`, 'must be a whole number', m[key], 'an integer ≥ 0');
  }
  if (typeof m.scenario !== 'string') throw InputError.single(`${MANIFEST} $.scenario`, 'must be a string', m.scenario, 'the scenario id');
  if (!m.product_sha256 || typeof m.product_sha256 !== 'object') throw InputError.single(`${MANIFEST} $.product_sha256`, 'is missing', m.product_sha256, 'each product\'s SHA-256, by file name');
  return m as EnsembleManifest;
}

/** A CSV product's rows (no quoted fields in these products), its header checked by `expect`. */
function table(files: Record<string, string>, name: string): string[][] | undefined {
  const text = files[name];
  if (text === undefined) return undefined;
  return text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((line) => line.split(','));
}

function number(rows: string[][], name: string, r: number, c: number): number {
  const cell = rows[r]?.[c];
  const v = cell === undefined || cell === '' ? NaN : Number(cell);
  if (!Number.isFinite(v)) throw InputError.single(`${name}:${r + 1}:${c + 1}`, 'is not a number', cell, 'a finite number');
  return v;
}

function probabilities(rows: string[][], name: string, idColumn: string, prefix: string): LevelProbabilities[] {
  const header = rows[0];
  const columns = [1, 2, 3, 4].map((l) => header.indexOf(`${prefix}${l}`));
  if (header[0] !== idColumn || columns.some((c) => c < 0)) throw InputError.single(`${name}:1:1`, 'has an unexpected header', header.join(','), `${idColumn},…,${prefix}1…${prefix}4`);
  return rows.slice(1).map((row, k) => ({ id: row[0], p: columns.map((c) => probability(rows, name, k + 1, c)) as LevelProbabilities['p'] }));
}

function probability(rows: string[][], name: string, r: number, c: number): number {
  const v = number(rows, name, r, c);
  if (v < 0 || v > 1) throw InputError.single(`${name}:${r + 1}:${c + 1}`, 'is not a probability', rows[r][c], 'a number in [0, 1]');
  return v;
}

/** Each gauge's 5/50/95 % columns of gauge_quantiles.csv. */
export function gaugeFans(rows: string[][], name = 'flood/gauge_quantiles.csv'): GaugeFan[] {
  const header = rows[0];
  if (header[0] !== 't_s') throw InputError.single(`${name}:1:1`, 'has an unexpected header', header[0], 't_s,time,<gauge>_q05_m3_per_s,…');
  const gauges = [...new Set(header.slice(2).map((h) => h.replace(/_q\d\d_m3_per_s$/, '')))];
  const tS = rows.slice(1).map((_, k) => number(rows, name, k + 1, 0));
  return gauges.map((gauge) => {
    const column = (q: number) => {
      const c = header.indexOf(`${gauge}_q${String(q).padStart(2, '0')}_m3_per_s`);
      if (c < 0) throw InputError.single(`${name}:1:1`, `has no q${String(q).padStart(2, '0')} column for gauge ${gauge}`, header.join(','), QUANTILES.map((p) => `${gauge}_q${String(p).padStart(2, '0')}_m3_per_s`).join(','));
      return rows.slice(1).map((_, k) => number(rows, name, k + 1, c));
    };
    return { gauge, tS, q05: column(5), q50: column(50), q95: column(95) };
  });
}

/**
 * Every product `recorded` (a manifest's SHA-256 by file name) lists must be in `files` (refused by
 * name if not); the first, in name order, whose SHA-256 differs from the recorded one, if any.
 */
export async function firstChangedProduct(files: Record<string, string>, recorded: Record<string, string>, options: { hashed?: (name: string) => void; sha256?: Record<string, Promise<string>> } = {}): Promise<{ name: string; sha256: string; recorded: string } | undefined> {
  const names = Object.keys(recorded).sort();
  for (const name of names) {
    if (files[name] === undefined) throw InputError.single(name, 'is missing', undefined, `every product manifest.json lists (${names.length})`);
  }
  const hashes = await Promise.all(names.map(async (name) => {
    // A caller that read the files as bytes hashed them then (a product's bytes are its UTF-8 text).
    const hash = await (options.sha256?.[name] ?? sha256Hex(files[name]));
    options.hashed?.(name);
    return hash;
  }));
  const k = names.findIndex((name, i) => hashes[i] !== recorded[name]);
  return k < 0 ? undefined : { name: names[k], sha256: hashes[k], recorded: recorded[names[k]] };
}

/** How far opening an ensemble folder is: products' SHA-256 checked, then grids parsed, each `done` of `total`. */
export interface OpenProgress { stage: 'check' | 'parse'; done: number; total: number }

/** Every ESRI ASCII grid a scenario ensemble's folder may hold, in the order they are parsed. */
const GRID_PRODUCTS = ['flood/p_depth_over_0.3m.asc', 'fire/burn_probability.asc', 'landslide/p_fs_below_1.asc', ...GRID_MORE_PRODUCTS];

/**
 * The products of one ensemble, by path in its folder (a picked folder's own name stripped). With
 * `manifestText`, every product the manifest lists must be there with its recorded SHA-256;
 * `options.sha256` has them already where the caller hashed the files' bytes as it read them.
 */
export async function openEnsemble(files: Record<string, string>, manifestText: string | undefined = files[MANIFEST],
  options: { sha256?: Record<string, Promise<string>>; progress?: (p: OpenProgress) => void } = {}): Promise<EnsembleView> {
  const manifest = manifestOf(manifestText);
  let checked = 0;
  const checking = Object.keys(manifest.product_sha256).length;
  const changed = await firstChangedProduct(files, manifest.product_sha256, { sha256: options.sha256, hashed: () => options.progress?.({ stage: 'check', done: ++checked, total: checking }) });
  if (changed) throw InputError.single(changed.name, 'has changed since the ensemble wrote it', changed.sha256.slice(0, 12), `SHA-256 ${changed.recorded.slice(0, 12)}… (manifest.json)`);
  let parsed = 0;
  const parsing = GRID_PRODUCTS.filter((name) => files[name] !== undefined).length;
  const grid = (name: string) => {
    if (files[name] === undefined) return undefined;
    const g = parseAsciiGrid(files[name], name);
    options.progress?.({ stage: 'parse', done: ++parsed, total: parsing });
    return g;
  };
  const items = table(files, 'risk/items.csv');
  const districts = table(files, 'risk/districts.csv');
  const gauges = table(files, 'flood/gauge_quantiles.csv');
  const itemRows = items ? probabilities(items, 'risk/items.csv', 'item', 'p_level_') : [];
  return {
    scenario: manifest.scenario, seed: manifest.seed, members: manifest.members, goodMembers: manifest.good_members,
    depth: grid('flood/p_depth_over_0.3m.asc'), burn: grid('fire/burn_probability.asc'), slope: grid('landslide/p_fs_below_1.asc'),
    items: itemRows.map((row, k) => ({ ...row, category: items![k + 1][1], district: items![k + 1][2] })),
    districts: districts ? probabilities(districts, 'risk/districts.csv', 'district', 'p_warning_') : [],
    gauges: gauges ? gaugeFans(gauges) : [],
    modelWarnings: manifestWarnings(manifest as unknown as Record<string, unknown>, manifest.members),
    ...openMoreProducts(files, grid),
  };
}

/** The value of a grid at a place in map metres (the region's CRS); undefined outside it. */
export function gridValueAt(grid: Grid, x: number, y: number): number | undefined {
  const col = Math.floor((x - grid.xllcorner) / grid.cellsize);
  const rowFromTop = grid.nrows - 1 - Math.floor((y - grid.yllcorner) / grid.cellsize);
  if (col < 0 || col >= grid.ncols || rowFromTop < 0 || rowFromTop >= grid.nrows) return undefined;
  return grid.values[rowFromTop * grid.ncols + col];
}

/**
 * The texts of an ensemble folder among picked files (a folder picker, a drop, a zip's entries),
 * by path below the folder holding manifest.json (the one nearest the top); a .prj says the grids' CRS.
 */
export async function ensembleFilesIn(all: Map<string, Blob>, source: string): Promise<Record<string, string>> {
  return blobTexts(ensembleBlobsIn(all, source));
}

/** The texts of files already found (ensembleBlobsIn), by the same paths. */
export async function blobTexts(blobs: Record<string, Blob>): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(Object.entries(blobs).map(async ([path, blob]) => [path, await blob.text()] as const)));
}

/** The files of the ensemble folder among `all`, by path below it, unread (their sizes checked): for a worker to read. */
export function ensembleBlobsIn(all: Map<string, Blob>, source: string): Record<string, Blob> {
  const manifests = [...all.keys()].filter((p) => p === MANIFEST || p.endsWith(`/${MANIFEST}`)).sort((a, b) => a.split('/').length - b.split('/').length);
  if (!manifests.length) throw InputError.single(source, 'holds no manifest.json', [...all.keys()].slice(0, 5).join(', ') || 'no files', 'a folder written by sandtable ensemble --out DIR (manifest.json, members.csv, products), or a .zip of one');
  const folder = manifests[0].slice(0, manifests[0].length - MANIFEST.length);
  const entries = [...all].filter(([path]) => path.startsWith(folder) && /\.(json|csv|asc|geojson|prj)$/i.test(path));
  // Sizes before any text is read: a tab that decodes a file past V8's string limit dies with it.
  for (const [path, blob] of entries) checkFileSize(blob.size, MAX_TEXT_BYTES, path.slice(folder.length), 'the app to read');
  return Object.fromEntries(entries.map(([path, blob]) => [path.slice(folder.length), blob]));
}
