// `landslide fs`, grid form: cell parameters as numbers, grid files or a zone table; runs the
// kernel in blocks and returns output grids per output time. Grid files are read by the caller
// (Node or browser) and handed in by name, so this module never touches a file system.
//
// Case: { "grid": { "slope_deg": "slope.asc" | 30, or "elevation_m": "dem.asc",
//                   "soil_depth_m": …, "water_table_depth_m": …, <any cell parameter>: number | "file",
//                   "zones": "zones.asc", "zone_table": [ { "zone": 1, <cell parameters> } ] },
//         "rain", "output_times_s", "depths_m", "unit_weight_water_n_per_m3", "basal_boundary",
//         "output": { "pressure_head_depths_m": [1, 2] } }
// NODATA in any input grid is NODATA in every output; flat cells (slope below FLAT_SLOPE_DEG) have no infinite-slope
// FS and are NODATA too (counted in the warnings).
import { childPath, InputError, type Problem } from '../errors.ts';
import { checkSameGeometry, DEFAULT_NODATA, type Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { checkKnownKeys, checkNumber, checkNumberArray, isCommentKey, isRecord, requireRecord, throwIfAny } from '../params.ts';
import type { Kernels } from '../wasm.ts';
import { checkCellConsistency, checkRun, COMMON_KEYS, parseRunOptions, rainToMetresPerSecond, type RunOptions } from './fs.ts';
import { CELL_STRIDE } from '../../assembly/landslide/layout.ts';
import { packCell, type CellProperties, type RunResult, type RunSetup } from './packed.ts';
import { prepareLandslideRun } from './kernel.ts';
import { CELL_PARAM_NAMES, cellParams, depth, FLAT_SLOPE_DEG, rainRateMetresPerSecond, rainRateMillimetresPerHour, type CellParamName } from './spec.ts';
import { rainRatios, warningLevel } from './warning.ts';

const GRID_KEYS = [...CELL_PARAM_NAMES, 'elevation_m', 'zones', 'zone_table'];
const BLOCK_CELLS = 4096;
const MAX_REPORTED_PER_GRID = 5;

/** Grid file names a grid-form case refers to ($.grid values that are strings). */
export function gridFilesOf(input: unknown): { fileName: string; path: string }[] {
  if (!isRecord(input) || !isRecord(input.grid)) return [];
  const files = Object.entries(input.grid)
    .filter(([key, v]) => typeof v === 'string' && !isCommentKey(key))
    .map(([key, v]) => ({ fileName: v as string, path: childPath('$.grid', key) }));
  if (isRecord(input.rain)) {
    for (const form of ['grids_mm_per_h', 'grids_m_per_s']) {
      const names = input.rain[form];
      if (Array.isArray(names)) names.forEach((n, i) => { if (typeof n === 'string') files.push({ fileName: n, path: `$.rain.${form}[${i}]` }); });
    }
  }
  return files;
}

export function isGridCase(input: unknown): boolean {
  return isRecord(input) && input.grid !== undefined;
}

export interface GridCase extends RunOptions {
  geometry: Omit<Grid, 'values'>;
  packed: Float64Array;
  cellCount: number;
  flatCells: number;
  pressureHeadDepths: Float64Array;
  /**
   * True: run the summary form (grid-summary.ts): each time's summary, the lowest FS over the run
   * and the first-failure grid, without a grid per output time. Only couplings set it.
   */
  summaryOnly?: boolean;
}

type Source = { kind: 'number'; value: number } | { kind: 'grid'; grid: Grid; name: string } | { kind: 'zone' };

function cellLabel(name: string, geometry: { ncols: number }, i: number): string {
  return `${name} (row ${Math.floor(i / geometry.ncols)}, col ${i % geometry.ncols})`;
}

export function parseGridCase(input: unknown, grids: Record<string, Grid>): GridCase {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, ['grid', 'output', ...COMMON_KEYS], '$', problems);
  const spec = requireRecord(root.grid, '$.grid');
  checkKnownKeys(spec, GRID_KEYS, '$.grid', problems);
  const options = parseRunOptions(root, problems, false, true);

  let pressureHeadDepths: Float64Array = new Float64Array(0);
  if (root.output !== undefined) {
    const output = requireRecord(root.output, '$.output');
    checkKnownKeys(output, ['pressure_head_depths_m'], '$.output', problems);
    if (output.pressure_head_depths_m !== undefined) {
      pressureHeadDepths = checkNumberArray(output.pressure_head_depths_m, '$.output.pressure_head_depths_m', problems, depth) ?? pressureHeadDepths;
    }
  }

  // The first grid named fixes the geometry every other grid must share.
  let reference: { grid: Grid; name: string } | undefined;
  const gridAt = (key: string): Grid | undefined => {
    const name = spec[key] as string;
    const grid = grids[name];
    if (!grid) throw new Error(`grid ${name} was not read`);
    if (!reference) reference = { grid, name };
    else checkSameGeometry(grid, reference.grid, name, reference.name, problems);
    return grid;
  };

  const sources = new Map<CellParamName, Source>();
  let slopeFromDem: Float64Array | undefined;
  if (spec.elevation_m !== undefined) {
    if (spec.slope_deg !== undefined) {
      problems.push({ path: '$.grid.elevation_m', message: 'cannot be given with slope_deg', value: spec.elevation_m, expected: 'either slope_deg or elevation_m' });
    } else if (typeof spec.elevation_m !== 'string') {
      problems.push({ path: '$.grid.elevation_m', message: 'must name a grid file', value: spec.elevation_m, expected: 'a DEM grid file name' });
    } else {
      const dem = gridAt('elevation_m')!;
      slopeFromDem = slopeAspect(dem).slopeDeg;
    }
  }
  for (const name of CELL_PARAM_NAMES) {
    const value = spec[name];
    const path = childPath('$.grid', name);
    if (typeof value === 'string') {
      sources.set(name, { kind: 'grid', grid: gridAt(name)!, name: value });
    } else if (value !== undefined) {
      const v = checkNumber(cellParams[name], value, path, problems);
      if (v !== undefined) sources.set(name, { kind: 'number', value: v });
    } else if (name === 'slope_deg' && slopeFromDem) {
      // set below from the DEM
    } else {
      sources.set(name, { kind: 'zone' });
    }
  }

  // Zones: which parameters come from the table, and the table itself.
  const fromZones = CELL_PARAM_NAMES.filter((n) => sources.get(n)?.kind === 'zone' && !(n === 'background_infiltration_m_per_s' && spec.zone_table === undefined));
  if (sources.get('background_infiltration_m_per_s')?.kind === 'zone' && spec.zone_table === undefined) {
    sources.set('background_infiltration_m_per_s', { kind: 'number', value: 0 });
  }
  const zoneRows = new Map<number, Partial<CellProperties>>();
  if (fromZones.length > 0) {
    if (typeof spec.zones !== 'string' || !Array.isArray(spec.zone_table)) {
      problems.push({
        path: '$.grid', message: `does not give ${fromZones.join(', ')}`, expected: 'each cell parameter as a number, a grid file, or a "zone_table" with a "zones" grid',
      });
    } else {
      spec.zone_table.forEach((row: unknown, i: number) => {
        const path = `$.grid.zone_table[${i}]`;
        if (!isRecord(row)) {
          problems.push({ path, message: 'must be an object', value: row, expected: '{ "zone": 1, <cell parameters> }' });
          return;
        }
        checkKnownKeys(row, ['zone', 'name', ...fromZones], path, problems);
        const zone = checkNumber({ kind: 'number', unit: '1', integer: true, min: 0, max: 1e9, description: 'zone id' }, row.zone, `${path}.zone`, problems);
        // The name is the user's label for the zone: text, so a number there is a slip, not a name.
        if (row.name !== undefined && typeof row.name !== 'string') problems.push({ path: `${path}.name`, message: 'must be text', value: row.name, expected: 'a zone name in quotes' });
        const values: Partial<CellProperties> = {};
        for (const name of fromZones) {
          const v = checkNumber(cellParams[name], row[name], childPath(path, name), problems);
          if (v !== undefined) values[name] = v;
        }
        if (zone !== undefined) {
          if (zoneRows.has(zone)) problems.push({ path: `${path}.zone`, message: 'repeats a zone id', value: zone, expected: 'one row per zone' });
          zoneRows.set(zone, values);
        }
      });
    }
  }
  const zonesGrid = typeof spec.zones === 'string' && fromZones.length > 0 ? gridAt('zones') : undefined;
  throwIfAny(problems);
  if (!reference) {
    throw InputError.single('$.grid', 'names no grid file', undefined, 'at least one parameter as a grid file (e.g. "slope_deg": "slope.asc")');
  }
  const geometry = { ...reference.grid, values: undefined } as Omit<Grid, 'values'> & { values?: unknown };
  delete geometry.values;
  const count = reference.grid.ncols * reference.grid.nrows;

  // Per-cell values, checked against the same declared ranges as the cells form.
  const reported = new Map<string, number>();
  const report = (name: string, p: Problem) => {
    const n = reported.get(name) ?? 0;
    reported.set(name, n + 1);
    if (n < MAX_REPORTED_PER_GRID) problems.push(p);
  };
  const packed = new Float64Array(count * CELL_STRIDE);
  const cell = {} as CellProperties;
  let flatCells = 0;
  const missingZones = new Set<number>();
  const PARAM_COUNT = CELL_PARAM_NAMES.length;
  const SLOPE_INDEX = CELL_PARAM_NAMES.indexOf('slope_deg');
  const sourceList = CELL_PARAM_NAMES.map((n) => sources.get(n) ?? ({ kind: 'zone' } as Source));
  for (let i = 0; i < count; i++) {
    let noData = false;
    const zoneId = zonesGrid ? zonesGrid.values[i] : NaN;
    const zone = zonesGrid && !Number.isNaN(zoneId) ? zoneRows.get(zoneId) : undefined;
    if (zonesGrid && !Number.isNaN(zoneId) && !zone && !missingZones.has(zoneId)) {
      missingZones.add(zoneId);
      report(spec.zones as string, { path: cellLabel(spec.zones as string, geometry, i), message: 'is a zone the zone table does not list', value: zoneId, expected: 'a zone id in $.grid.zone_table' });
    }
    for (let q = 0; q < PARAM_COUNT; q++) {
      const name = CELL_PARAM_NAMES[q];
      const source = sourceList[q];
      const fromDem = q === SLOPE_INDEX && slopeFromDem !== undefined;
      let v: number;
      if (fromDem) v = slopeFromDem![i];
      else if (source.kind === 'number') v = source.value;
      else if (source.kind === 'grid') v = source.grid.values[i];
      else v = zone ? zone[name]! : NaN;
      if (Number.isNaN(v)) { noData = true; cell[name] = NaN; continue; }
      if (q === SLOPE_INDEX && v >= 0 && v < FLAT_SLOPE_DEG) { noData = true; flatCells++; cell[name] = NaN; continue; }
      if (fromDem || source.kind === 'grid') {
        // The label is built only for a value out of range: building it for every cell was most
        // of this loop's time on large grids.
        const before = problems.length;
        checkNumber(cellParams[name], v, '', problems);
        if (problems.length > before) {
          const [p] = problems.splice(before);
          const gridName = fromDem ? `slope from ${spec.elevation_m}` : (source as { name: string }).name;
          p.path = cellLabel(gridName, geometry, i);
          report(p.path.split(' (')[0], p);
          noData = true;
        }
      }
      cell[name] = v;
    }
    if (!noData) {
      const before = problems.length;
      checkCellConsistency(cell, '', problems);
      if (problems.length > before) {
        for (const p of problems.splice(before)) {
          // Name the grid (or the $.grid field) of the parameter at fault, at this cell.
          const field = p.path.split('.').pop() as CellParamName;
          const source = sources.get(field);
          p.path = source?.kind === 'grid' ? cellLabel(source.name, geometry, i) : cellLabel(childPath('$.grid', field), geometry, i);
          report(`consistency ${field}`, p);
        }
      }
    }
    packCell(cell, options?.unitWeightWater ?? 9810, packed, i * CELL_STRIDE);
    if (noData) packed[i * CELL_STRIDE] = NaN;
  }
  if (options?.rainGrids) {
    const P = options.rainGrids.names.length;
    const intensity = new Float64Array(count * P);
    const rate = options.rainGrids.millimetresPerHour ? rainRateMillimetresPerHour : rainRateMetresPerSecond;
    options.rainGrids.names.forEach((name, n) => {
      const g = grids[name];
      if (!g) throw new Error(`grid ${name} was not read`);
      checkSameGeometry(g, reference!.grid, name, reference!.name, problems);
      if (g.values.length !== count) return;
      for (let i = 0; i < count; i++) {
        const v = g.values[i];
        if (Number.isNaN(v)) { packed[i * CELL_STRIDE] = NaN; continue; }
        const before = problems.length;
        checkNumber(rate, v, cellLabel(name, geometry, i), problems);
        if (problems.length > before) report(name, problems.splice(before)[0]);
        intensity[i * P + n] = rainToMetresPerSecond(v, options.rainGrids!.millimetresPerHour);
      }
    });
    options.setup.intensity = intensity;
  }
  for (const [name, n] of reported) {
    if (n > MAX_REPORTED_PER_GRID) problems.push({ path: name.startsWith('consistency') ? '$.grid' : name, message: `has ${n - MAX_REPORTED_PER_GRID} more cells like these` });
  }
  throwIfAny(problems);
  return { ...options!, geometry: geometry as Omit<Grid, 'values'>, packed, cellCount: count, flatCells, pressureHeadDepths };
}

const FLAT_CELLS_TAIL = ' flat cells (slope below 1e-6°) have no infinite-slope factor of safety: written as NODATA';

export function flatCellsWarning(count: number): string {
  return `${count}${FLAT_CELLS_TAIL}`;
}

/**
 * The count a flatCellsWarning line gives, undefined for any other line: row bands and tiles each
 * write their own, which a merge sums into one line over the whole grid.
 */
export function flatCellsIn(line: string): number | undefined {
  if (!line.endsWith(FLAT_CELLS_TAIL)) return undefined;
  const count = line.slice(0, -FLAT_CELLS_TAIL.length);
  return /^\d+$/.test(count) ? Number(count) : undefined;
}

export interface GridTimeSummary {
  t_s: number; cells_fs_below_1: number; fs_min: number | null;
  rain_ratio?: number; rain_index?: string; cells_by_warning_level?: Record<'1' | '2' | '3' | '4', number>;
}
export interface GridOutput {
  grid: { ncols: number; nrows: number; cells: number; nodata_cells: number; flat_cells: number };
  times: GridTimeSummary[];
  /** Output grids by file name (fs_min_t3600.asc, …). */
  grids: Record<string, Grid>;
  /** The summary form's lowest FS of each cell over all output times (NaN: not evaluated). */
  lowestFs?: Grid;
  warnings: string[];
}

/**
 * Runs the cells block by block, handing each block's results to `take` with the block's first
 * cell: the results are views of wasm memory, valid only inside `take` (no per-block copy).
 */
export function runBlocks(kernels: Kernels, packed: Float64Array, setup: RunSetup, count: number, take: (block: RunResult, first: number) => void): void {
  kernels.withArena((arena) => {
    const run = prepareLandslideRun(kernels, arena, setup, Math.min(BLOCK_CELLS, Math.max(1, count)), false);
    for (let start = 0; start < count; start += BLOCK_CELLS) {
      const end = Math.min(count, start + BLOCK_CELLS);
      const P = setup.boundaries.length - 1;
      const rain = setup.rainPerCell ? setup.intensity.subarray(start * P, end * P) : undefined;
      const result = run(packed.subarray(start * CELL_STRIDE, end * CELL_STRIDE), rain);
      checkRun(result);
      take(result, start);
    }
  });
}

/**
 * Folds one block's FS (cell c, time j at c·T + j) into each time's count of FS < 1 and lowest FS
 * (fill `lowestAtTime` with Infinity: none). Blocks come in cell order, so each time's cells are
 * met in grid order: NaN is neither below 1 nor lowest, and of equal values (0 and -0) the first
 * met stays the lowest. Folding while the block is in cache spares a second read of the T grids.
 */
export function foldBelowOneAndLowest(fsMin: Float64Array, n: number, T: number, below: Float64Array, lowestAtTime: Float64Array): void {
  for (let c = 0; c < n; c++) {
    for (let j = 0; j < T; j++) {
      const fs = fsMin[c * T + j];
      if (fs < 1) below[j]++;
      if (fs < lowestAtTime[j]) lowestAtTime[j] = fs;
    }
  }
}

/** One output time's summary line from that fold: `fs_min` is null where no cell had a value (Infinity stayed). */
export function timeSummary(t_s: number, below: Float64Array, lowestAtTime: Float64Array, j: number): GridTimeSummary {
  return { t_s, cells_fs_below_1: below[j], fs_min: lowestAtTime[j] === Infinity ? null : lowestAtTime[j] };
}

/** Cells per tile of the transpose below: 8 f64 fill one cache line of each output grid. */
const TILE = 8;

/**
 * Scatters a block's cell-major values (cell c, slot j at c·S + j) into one grid per slot, a tile
 * of cells at a time, so each grid is written a whole cache line at once rather than one value
 * per line (the plain loop spent a fifth of the grid form's time here).
 */
function scatter(from: Float64Array, n: number, S: number, into: Float64Array[], at: number): void {
  for (let c0 = 0; c0 < n; c0 += TILE) {
    const c1 = Math.min(n, c0 + TILE);
    for (let j = 0; j < S; j++) {
      const grid = into[j];
      for (let c = c0; c < c1; c++) grid[at + c] = from[c * S + j];
    }
  }
}

function timeLabel(t: number): string {
  return `t${t}`;
}

export function runGridCase(kernels: Kernels, parsed: GridCase): GridOutput {
  const { setup, geometry, packed, cellCount } = parsed;
  const T = setup.times.length;
  const gridOf = (values: Float64Array): Grid => ({ ...geometry, nodata: geometry.nodata ?? DEFAULT_NODATA, values });
  const fsMin = Array.from({ length: T }, () => new Float64Array(cellCount));
  const zMin = Array.from({ length: T }, () => new Float64Array(cellCount));
  const first = new Float64Array(cellCount);
  const below = new Float64Array(T);
  const lowestAtTime = new Float64Array(T).fill(Infinity);
  let noDataCells = 0;
  runBlocks(kernels, packed, setup, cellCount, (block, at) => {
    const n = block.firstFailure.length;
    foldBelowOneAndLowest(block.fsMin, n, T, below, lowestAtTime);
    scatter(block.fsMin, n, T, fsMin, at);
    scatter(block.zAtFsMin, n, T, zMin, at);
    first.set(block.firstFailure, at);
    noDataCells += block.noDataCells;
  });
  const grids: Record<string, Grid> = {};
  const times: GridTimeSummary[] = [];
  // With a rain grid per period every cell has its own storm, so its own rain ratio.
  let cellRatios: Float64Array | undefined;
  if (parsed.warning && setup.rainPerCell) {
    const P = setup.boundaries.length - 1;
    cellRatios = new Float64Array(cellCount * T);
    const series = new Float64Array(P);
    for (let i = 0; i < cellCount; i++) {
      for (let n = 0; n < P; n++) series[n] = setup.intensity[i * P + n] * 3.6e6;
      rainRatios(parsed.warning.spec, series, parsed.period, setup.times).forEach((r, j) => { cellRatios![i * T + j] = r.ratio; });
    }
  }
  for (let j = 0; j < T; j++) {
    const t = setup.times[j];
    grids[`fs_min_${timeLabel(t)}.asc`] = gridOf(fsMin[j]);
    grids[`z_at_fs_min_m_${timeLabel(t)}.asc`] = gridOf(zMin[j]);
    const summary = timeSummary(t, below, lowestAtTime, j);
    if (parsed.warning) {
      const rain = parsed.warning.rain[j] ?? { ratio: NaN, by: 'per cell' };
      const levels = new Float64Array(cellCount);
      const counts = { 1: 0, 2: 0, 3: 0, 4: 0 };
      for (let i = 0; i < cellCount; i++) {
        const ratio = cellRatios ? cellRatios[i * T + j] : rain.ratio;
        const level = warningLevel(fsMin[j][i], ratio, parsed.warning.spec.config);
        levels[i] = level ?? NaN;
        if (level !== null) counts[level]++;
      }
      grids[`warning_level_${timeLabel(t)}.asc`] = gridOf(levels);
      Object.assign(summary, cellRatios ? { cells_by_warning_level: counts } : { rain_ratio: rain.ratio, rain_index: rain.by, cells_by_warning_level: counts });
      if (cellRatios) grids[`rain_ratio_${timeLabel(t)}.asc`] = gridOf(Float64Array.from({ length: cellCount }, (_, i) => (Number.isNaN(fsMin[j][i]) ? NaN : cellRatios![i * T + j])));
    }
    times.push(summary);
  }
  // First output time with FS < 1; never-failing cells are NODATA, as the contract's grids mark "no value".
  grids['first_fs_below_1_t_s.asc'] = gridOf(first);

  const K = parsed.pressureHeadDepths.length;
  if (K > 0) {
    const headSetup: RunSetup = { ...setup, depths: parsed.pressureHeadDepths, depthsAreFractions: false, profiles: true };
    const heads = Array.from({ length: T * K }, () => new Float64Array(cellCount));
    runBlocks(kernels, packed, headSetup, cellCount, (block, at) => {
      scatter(block.pressureHead!, block.firstFailure.length, T * K, heads, at);
    });
    for (let j = 0; j < T; j++) {
      for (let k = 0; k < K; k++) {
        grids[`pressure_head_m_z${parsed.pressureHeadDepths[k]}_${timeLabel(setup.times[j])}.asc`] = gridOf(heads[j * K + k]);
      }
    }
  }
  const warnings: string[] = [];
  if (parsed.flatCells > 0) warnings.push(flatCellsWarning(parsed.flatCells));
  return { grid: { ncols: geometry.ncols, nrows: geometry.nrows, cells: cellCount, nodata_cells: noDataCells, flat_cells: parsed.flatCells }, times, grids, warnings };
}
