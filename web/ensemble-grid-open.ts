// A grid landslide ensemble's folder (`sandtable landslide fs case.json --members N --out DIR`, run
// on a cluster by a city) read back for the Ensemble tab: its manifest checked (the command, every
// product's SHA-256), its ESRI ASCII grids parsed with the project's reader and placed on the open
// region by their georeference, and members.csv read by column name (the CLI may add columns).
// The result is an EnsembleView (P(FS < 1) as the slope layer, first-failure quantiles, members) so
// the tab draws it with the same ramp, classes and tables as a scenario ensemble. Every refusal is
// an InputError naming the file and, for a grid, the header line of the field at fault.
import { InputError } from '../models/errors.ts';
import { parseJson } from '../models/json.ts';
import { manifestWarnings } from '../models/ensemble/member-warnings.ts';
import { firstChangedProduct, type EnsembleView } from '../models/ensemble/open-products.ts';
import type { MembersTable } from '../models/ensemble/open-more-products.ts';
import { parseCrs, regionCrs, sameCrsOver } from '../models/geo/crs.ts';
import { parseAsciiGrid, type Grid } from '../models/grid/ascii.ts';
import { parseCsv } from '../models/scenario/csv.ts';
import { gridOffset } from './ensemble-layers.ts';
import type { RegionManifest } from '../models/scenario/region.ts';

const MANIFEST = 'manifest.json';
export const GRID_COMMAND = 'landslide fs';
export const P_GRID = 'p_fs_below_1.asc';
const QUANTILE_GRIDS = { q05: 'first_failure_t_s_q05.asc', q50: 'first_failure_t_s_q50.asc', q95: 'first_failure_t_s_q95.asc' } as const;
const TIME_GRID = /^p_fs_below_1_t(\d+)\.asc$/;
/** members.csv's outcome columns are counts of cells (cells_fs_below_1, cells_water_table_at_base); the rest are drawn inputs. */
const isOutcome = (column: string) => column.startsWith('cells_');

export interface GridEnsembleInfo {
  caseFile: string;
  runId: string;
  /** Output times, s, each with its P(FS < 1 at that time) grid. */
  atTimes: { tS: number; grid: Grid }[];
  /** The CRS a .prj beside the grids names, or undefined: taken as the region's. */
  prj?: string;
  /** Grid cells that fall outside the region. */
  cellsOutside: number;
}

export interface GridEnsemble { view: EnsembleView; info: GridEnsembleInfo }

/** The command manifest.json names, so the tab knows which reader a folder needs. */
export function manifestCommand(text: string | undefined): string | undefined {
  try {
    const value = JSON.parse((text ?? '').replace(/^\uFEFF/, ''));
    return typeof value?.command === 'string' ? value.command : undefined;
  } catch {
    return undefined;
  }
}

interface GridManifest {
  case_file: string;
  /** The members' model warnings as `landslide fs --members` records them (none in folders written before it did). */
  model_warnings: ReturnType<typeof manifestWarnings>;
  ensemble: { run_id: string; members: number; good_members: number; seed: number };
  products_sha256: Record<string, string>;
}

function manifestOf(text: string | undefined): GridManifest {
  if (text === undefined) throw InputError.single(MANIFEST, 'is missing', undefined, 'the manifest.json `sandtable landslide fs --members N --out DIR` writes in DIR');
  // parseJson: a syntax error by manifest.json:line:col, a byte-order mark skipped, nesting bounded.
  const m = parseJson(text, MANIFEST) as Record<string, unknown>;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw InputError.single(`${MANIFEST} $`, 'must be an object', m, 'a landslide fs manifest');
  if (m.command !== GRID_COMMAND) throw InputError.single(`${MANIFEST} $.command`, 'is not a grid landslide output', m.command, `"${GRID_COMMAND}"`);
  const e = m.ensemble as Record<string, unknown> | undefined;
  if (!e || typeof e !== 'object') throw InputError.single(`${MANIFEST} $.ensemble`, 'is missing: this is a deterministic run', e, 'a folder written by sandtable landslide fs with --members N (or an ensemble block)');
  for (const key of ['members', 'good_members', 'seed'] as const) {
    if (!Number.isInteger(e[key]) || (e[key] as number) < 0) throw InputError.single(`${MANIFEST} $.ensemble.${key}`, 'must be a whole number', e[key], 'an integer ≥ 0');
  }
  const hashes = m.products_sha256 as Record<string, unknown> | undefined;
  if (!hashes || typeof hashes !== 'object' || Array.isArray(hashes) || Object.values(hashes).some((h) => typeof h !== 'string')) {
    throw InputError.single(`${MANIFEST} $.products_sha256`, 'is missing', hashes, 'each product\'s SHA-256, by file name');
  }
  // Shown as text in the panel: anything but a string (or none) is not what the CLI wrote.
  if (m.case_file !== undefined && typeof m.case_file !== 'string') throw InputError.single(`${MANIFEST} $.case_file`, 'must be a string', m.case_file, 'the case file the run read');
  if (e.run_id !== undefined && typeof e.run_id !== 'string') throw InputError.single(`${MANIFEST} $.ensemble.run_id`, 'must be a string', e.run_id, 'the run\'s id');
  const model_warnings = manifestWarnings(m, e.members as number);
  return { case_file: String(m.case_file ?? ''), ensemble: e as GridManifest['ensemble'], products_sha256: hashes as Record<string, string>, model_warnings };
}

/** `file:line:1` of a header keyword in an ESRI ASCII grid's text (the fields a placement refusal names). */
function headerLine(text: string, name: string, keys: string[]): string {
  const lines = text.split(/\r?\n/, 8);
  const k = lines.findIndex((l) => keys.includes(l.trim().split(/\s+/)[0]?.toLowerCase() ?? ''));
  return `${name}:${k < 0 ? 1 : k + 1}:1`;
}

/**
 * Where `grid` lies on the region: refused when its cells are not the region's size or it does not
 * overlap the region at all (a folder of another city, or of another CRS read as this one's).
 */
export function placeOnRegion(grid: Grid, text: string, name: string, region: RegionManifest): { cellsOutside: number } {
  const r = region.grid;
  if (Math.abs(grid.cellsize - r.cellsize_m) > 1e-6 * r.cellsize_m) {
    throw InputError.single(`${headerLine(text, name, ['cellsize'])} cellsize`, 'differs from the open region\'s cell size', grid.cellsize, `${r.cellsize_m} m, the cells of the region map (${region.crs})`);
  }
  // Where the layers draw it (the cell sizes agree, checked above).
  const { col0, row0 } = gridOffset(grid, r);
  const colsIn = Math.min(col0 + grid.ncols, r.ncols) - Math.max(col0, 0);
  const rowsIn = Math.min(row0 + grid.nrows, r.nrows) - Math.max(row0, 0);
  if (!(colsIn > 0 && rowsIn > 0)) {
    const east = grid.xllcorner + grid.ncols * grid.cellsize;
    const north = grid.yllcorner + grid.nrows * grid.cellsize;
    throw InputError.single(`${headerLine(text, name, ['xllcorner', 'xllcenter'])} xllcorner/yllcorner`, 'puts the grid outside the open region',
      `x ${grid.xllcorner}–${east}, y ${grid.yllcorner}–${north}`,
      `an overlap with x ${r.xllcorner}–${r.xllcorner + r.ncols * r.cellsize_m}, y ${r.yllcorner}–${r.yllcorner + r.nrows * r.cellsize_m} m (${region.crs})`);
  }
  return { cellsOutside: grid.ncols * grid.nrows - Math.round(colsIn * rowsIn) };
}

/**
 * A .prj beside the grids names their CRS: refused unless it is the region's over the grid
 * (sameCrsOver: the rule `landslide fs --members` applies between its input grids' .prj files).
 */
function checkPrj(files: Record<string, string>, grid: Grid, region: RegionManifest): string | undefined {
  const prj = Object.keys(files).filter((n) => /\.prj$/i.test(n)).sort();
  const target = regionCrs(region);
  let named: string | undefined;
  for (const name of prj) {
    const crs = parseCrs(files[name], name);
    if (!sameCrsOver(target, crs, grid)) {
      throw InputError.single(name, 'names another coordinate reference system than the open region\'s', crs.name, `${region.crs}: the grids must be in the region map's CRS`);
    }
    named = crs.name;
  }
  return named;
}

/** members.csv by column name: `member`, `status`, `problem`, the outcomes (`cells_…`), the rest drawn inputs. */
export function gridMembersTable(text: string, name = 'members.csv'): MembersTable {
  const rows = parseCsv(text.replace(/^\uFEFF/, '')).map((r) => r.fields);
  const header = rows[0] ?? [];
  const at = (column: string) => header.indexOf(column);
  for (const column of ['member', 'status', 'problem']) {
    if (at(column) < 0) throw InputError.single(`${name}:1:1`, `has no ${column} column`, header.join(',').slice(0, 60), 'member,<drawn inputs>,cells_fs_below_1,status,problem');
  }
  const reserved = new Set(['member', 'status', 'problem', 'result_sha256']);
  const inputs = header.filter((h) => !reserved.has(h) && !isOutcome(h));
  const headlines = header.filter(isOutcome);
  return {
    inputs, headlines,
    rows: rows.slice(1).filter((r) => r.some((f) => f !== '')).map((row, k) => {
      const member = Number(row[at('member')]);
      if (!Number.isInteger(member) || member < 0) throw InputError.single(`${name}:${k + 2}:${at('member') + 1}`, 'is not a member index', row[at('member')], 'a whole number ≥ 0');
      const status = row[at('status')];
      if (status !== 'ok' && status !== 'bad') throw InputError.single(`${name}:${k + 2}:${at('status') + 1}`, 'is not a member status', status, '"ok" or "bad"');
      return {
        member, bad: status === 'bad', problem: row[at('problem')] ?? '', hash: at('result_sha256') < 0 ? '' : row[at('result_sha256')] ?? '',
        cells: Object.fromEntries([...inputs, ...headlines].map((h) => [h, row[at(h)] ?? ''])),
      };
    }),
  };
}

/** How far opening a grid ensemble is: files read, products' SHA-256 checked, grids parsed, each `done` of `total`. */
export interface GridOpenProgress { stage: 'read' | 'check' | 'parse'; done: number; total: number }

/** The grid ensemble in `files` (by path in its folder), checked and placed on `region`. */
export async function openGridEnsemble(files: Record<string, string>, region: RegionManifest | undefined, progress?: (p: GridOpenProgress) => void, sha256?: Record<string, Promise<string>>): Promise<GridEnsemble> {
  const manifest = manifestOf(files[MANIFEST]);
  const names = Object.keys(manifest.products_sha256).sort();
  for (const name of [P_GRID, ...Object.values(QUANTILE_GRIDS), 'members.csv']) {
    if (!names.includes(name)) throw InputError.single(`${MANIFEST} $.products_sha256`, `does not list ${name}`, names.join(', ').slice(0, 80), 'the products landslide fs --members writes');
  }
  let checked = 0;
  const changed = await firstChangedProduct(files, manifest.products_sha256, { sha256, hashed: () => progress?.({ stage: 'check', done: ++checked, total: names.length }) });
  if (changed) throw InputError.single(changed.name, 'has changed since landslide fs wrote it', `SHA-256 ${changed.sha256.slice(0, 12)}…`, `SHA-256 ${changed.recorded.slice(0, 12)}… (manifest.json)`);
  if (!region) throw InputError.single(P_GRID, 'cannot be placed: no region is open', undefined, 'a region open in the app (the grids are drawn on its map)');
  const gridCount = 1 + Object.keys(QUANTILE_GRIDS).length + names.filter((n) => TIME_GRID.test(n)).length;
  let parsed = 0;
  const parsedOne = () => progress?.({ stage: 'parse', done: ++parsed, total: gridCount });
  const p = parseAsciiGrid(files[P_GRID], P_GRID);
  parsedOne();
  const placed = placeOnRegion(p, files[P_GRID], P_GRID, region);
  const prj = checkPrj(files, p, region);
  const grid = (name: string) => {
    const g = parseAsciiGrid(files[name], name);
    const tolerance = 1e-6 * p.cellsize;
    if (g.ncols !== p.ncols || g.nrows !== p.nrows || Math.abs(g.cellsize - p.cellsize) > tolerance || Math.abs(g.xllcorner - p.xllcorner) > tolerance || Math.abs(g.yllcorner - p.yllcorner) > tolerance) {
      throw InputError.single(`${name}:1:1`, 'is not on the same cells as p_fs_below_1.asc', `${g.ncols} × ${g.nrows} at (${g.xllcorner}, ${g.yllcorner})`, `${p.ncols} × ${p.nrows} at (${p.xllcorner}, ${p.yllcorner})`);
    }
    parsedOne();
    return g;
  };
  const atTimes = names.flatMap((name) => {
    const t = TIME_GRID.exec(name);
    return t ? [{ tS: Number(t[1]), grid: grid(name) }] : [];
  }).sort((a, b) => a.tS - b.tS);
  const e = manifest.ensemble;
  const view: EnsembleView = {
    scenario: manifest.case_file.split(/[\\/]/).pop() || manifest.case_file, seed: e.seed, members: e.members, goodMembers: e.good_members,
    slope: p, items: [], districts: [], gauges: [],
    firstFailure: { q05: grid(QUANTILE_GRIDS.q05), q50: grid(QUANTILE_GRIDS.q50), q95: grid(QUANTILE_GRIDS.q95) },
    memberRows: gridMembersTable(files['members.csv']),
    modelWarnings: manifest.model_warnings,
  };
  return { view, info: { caseFile: manifest.case_file, runId: String(e.run_id ?? ''), atTimes, prj, cellsOutside: placed.cellsOutside } };
}
