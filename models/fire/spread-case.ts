// `fire spread`: the contract's case → a packed landscape for the kernel → grids, perimeters and
// the JSON summary. Grid files are read by the caller (CLI or browser) and handed in by name, so
// this module never touches a file system.
import { checkSameGeometry, type Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { NumericalError, type Problem } from '../errors.ts';
import { gridCellsProblem } from '../limits.ts';
import { checkKnownKeys, checkNumber, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { parseMoisture } from './behavior.ts';
import { FuelCatalogue, FUEL_EXPECTED } from './fuel-input.ts';
import { SPREAD_STRIP_SHIFT, stripLayout } from './kernel.ts';
import type { PackedSpread, SpreadRun } from './packed.ts';
import { fuelCellsOfGrid, packSpreadCase, rangeCheckedValues, windSeriesOf, type FuelCells, type Geometry, type SpreadInputs, type WindSeries } from './spread-pack.ts';
import type { Kernels } from '../wasm.ts';
import { parseBarriers, parseIgnitions } from './spread-places.ts';
import { perimeterLines, rasterizeSegment } from './trace.ts';
import {
  aspectDeg, elevationM, slopeDeg, spreadCaseParams, spreadGridParams, timeS, windFrom, windLimitDescription, midflameWind,
} from './spec.ts';

// The scenario couples fire through these; they live in trace.ts with the rest of the geometry.
export { perimeterLines, rasterizeSegment };

export const DEFAULT_STENCIL_RADIUS = 5;
export const MAX_OUTPUT_TIMES = 1000;
const STENCIL_RADIUS = { kind: 'number', unit: 'cells', min: 1, max: 8, integer: true, description: 'Longest spread step (cells): 5 → 80 directions' } as const;
const CASE_KEYS = [
  'grid', 'fuel_model', 'slope_deg', 'aspect_deg', 'elevation_m', 'moisture_percent', 'wind', 'ignitions', 'barriers',
  'duration_s', 'output_times_s', 'wind_limit', 'custom_fuel_models', 'stencil_radius',
];
const GRID_EXTENSION = /\.(asc|txt|tiff?)$/i;

export interface SpreadCase {
  packed: PackedSpread;
  geometry: Pick<Grid, 'ncols' | 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>;
  outputTimes: number[];
  /** Heat per unit area of each bed, kJ/m²: Byram's intensity is this times the rate of spread. */
  heatPerArea: Float64Array;
  warnings: string[];
}

/** The grid files a case names, with the JSON path that names each (for the caller to read). */
export function spreadGridFiles(input: unknown): { name: string; path: string }[] {
  if (!isRecord(input)) return [];
  const files: { name: string; path: string }[] = [];
  for (const key of ['fuel_model', 'slope_deg', 'aspect_deg', 'elevation_m']) {
    const v = input[key];
    if (typeof v === 'string' && GRID_EXTENSION.test(v)) files.push({ name: v, path: `$.${key}` });
  }
  return files;
}

function parseGeometry(value: unknown, problems: Problem[]): Geometry | undefined {
  if (!isRecord(value)) {
    problems.push({ path: '$.grid', message: 'must be an object', value, expected: '{ "ncols", "nrows", "cellsize_m", "xllcorner", "yllcorner" }' });
    return undefined;
  }
  const before = problems.length;
  checkKnownKeys(value, Object.keys(spreadGridParams), '$.grid', problems);
  const g = checkParams(spreadGridParams, value, '$.grid', problems);
  if (problems.length > before) return undefined;
  const tooLarge = gridCellsProblem(g.ncols, g.nrows, '$.grid', stripLayout(g.nrows, g.ncols, SPREAD_STRIP_SHIFT).cells);
  if (tooLarge) { problems.push(tooLarge); return undefined; }
  return { ncols: g.ncols, nrows: g.nrows, xllcorner: g.xllcorner, yllcorner: g.yllcorner, cellsize: g.cellsize_m };
}

function gridInput(value: string, path: string, grids: Map<string, Grid>, geometry: Geometry, problems: Problem[]): Grid | undefined {
  const grid = grids.get(value);
  if (!grid) {
    problems.push({ path, message: 'names a grid file that was not loaded', value, expected: 'a grid file beside the case' });
    return undefined;
  }
  const reference = { ...geometry, nodata: -9999, values: new Float64Array(0) };
  const before = problems.length;
  checkSameGeometry(grid, reference, path, '$.grid', problems);
  return problems.length > before ? undefined : grid;
}

/** A number for every cell, or a grid file of numbers; NaN marks NODATA. */
function numberField(
  value: unknown, path: string, param: typeof slopeDeg, grids: Map<string, Grid>, geometry: Geometry, problems: Problem[],
): Float64Array | undefined {
  const n = geometry.ncols * geometry.nrows;
  if (typeof value === 'string') {
    const grid = gridInput(value, path, grids, geometry, problems);
    return grid && rangeCheckedValues(grid, value, path, param, geometry, problems);
  }
  const v = checkNumber(param, value, path, problems);
  return v === undefined ? undefined : new Float64Array(n).fill(v);
}

function parseFuelCells(value: unknown, catalogue: FuelCatalogue, grids: Map<string, Grid>, geometry: Geometry, problems: Problem[]): FuelCells | undefined {
  const n = geometry.ncols * geometry.nrows;
  if (typeof value === 'string' && GRID_EXTENSION.test(value)) {
    const grid = gridInput(value, '$.fuel_model', grids, geometry, problems);
    return grid && fuelCellsOfGrid(grid, value, catalogue, geometry, problems);
  }
  const model = isRecord(value) ? undefined : catalogue.find(value);
  if (!model) {
    problems.push({ path: '$.fuel_model', message: value === undefined ? 'is required' : 'names no fuel model', value, expected: `${FUEL_EXPECTED.replace(', or a custom model object', '')}, or a grid file of fuel numbers` });
    return undefined;
  }
  return { models: [model], modelOfCell: new Int32Array(n).fill(0), nodataCells: 0 };
}

function parseWind(value: unknown, problems: Problem[], warnings: string[]): WindSeries | undefined {
  const path = '$.wind';
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "midflame_m_per_s", "from_deg" } or { "series": [ { "t_s", "midflame_m_per_s", "from_deg" } ] }' });
    return undefined;
  }
  const before = problems.length;
  const entries: { t: number; midflameMPerS: number; from: number }[] = [];
  if (value.series !== undefined) {
    checkKnownKeys(value, ['series'], path, problems);
    if (!Array.isArray(value.series) || value.series.length === 0) {
      problems.push({ path: `${path}.series`, message: 'must be a non-empty array', value: value.series, expected: 'wind periods [ { "t_s", "midflame_m_per_s", "from_deg" } ]' });
      return undefined;
    }
    value.series.forEach((item, i) => {
      const p = `${path}.series[${i}]`;
      if (!isRecord(item)) { problems.push({ path: p, message: 'must be an object', value: item, expected: '{ "t_s", "midflame_m_per_s", "from_deg" }' }); return; }
      checkKnownKeys(item, ['t_s', 'midflame_m_per_s', 'from_deg'], p, problems);
      const t = checkNumber(timeS, item.t_s, `${p}.t_s`, problems);
      const speed = checkNumber(midflameWind, item.midflame_m_per_s, `${p}.midflame_m_per_s`, problems);
      const from = checkNumber(windFrom, item.from_deg, `${p}.from_deg`, problems);
      if (t !== undefined && entries.length && t <= entries[entries.length - 1].t) {
        problems.push({ path: `${p}.t_s`, message: 'is not after the previous period', value: t, expected: `a time > ${entries[entries.length - 1].t} s` });
      }
      if (t !== undefined && speed !== undefined && from !== undefined) entries.push({ t, midflameMPerS: speed, from });
    });
  } else {
    checkKnownKeys(value, ['midflame_m_per_s', 'from_deg'], path, problems);
    const speed = checkNumber(midflameWind, value.midflame_m_per_s, `${path}.midflame_m_per_s`, problems);
    const from = checkNumber(windFrom, value.from_deg, `${path}.from_deg`, problems);
    if (speed !== undefined && from !== undefined) entries.push({ t: 0, midflameMPerS: speed, from });
  }
  if (problems.length > before) return undefined;
  return windSeriesOf(entries, warnings);
}

/** The case file's JSON → the checked inputs (models/fire/spread-pack.ts packs them for the kernel). */
export function parseSpreadInputs(input: unknown, grids: Map<string, Grid> = new Map()): SpreadInputs {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  const warnings: string[] = [];
  checkKnownKeys(root, CASE_KEYS, '$', problems);
  const geometry = parseGeometry(root.grid, problems);
  const { duration_s: duration } = checkParams(spreadCaseParams, root, '$', problems);
  const moisture = parseMoisture(root.moisture_percent, '$.moisture_percent', problems);
  const wind = parseWind(root.wind, problems, warnings);
  const catalogue = FuelCatalogue.parse(root.custom_fuel_models, '$.custom_fuel_models', problems);
  const radius = checkNumber({ ...STENCIL_RADIUS, default: DEFAULT_STENCIL_RADIUS }, root.stencil_radius, '$.stencil_radius', problems)!;
  if (root.wind_limit !== undefined && typeof root.wind_limit !== 'boolean') {
    problems.push({ path: '$.wind_limit', message: 'must be true or false', value: root.wind_limit, expected: windLimitDescription });
  }
  if (!geometry) throwIfAny(problems);
  const g = geometry!;

  const fuel = parseFuelCells(root.fuel_model, catalogue, grids, g, problems);
  let slope: Float64Array | undefined;
  let aspect: Float64Array | undefined;
  if (root.elevation_m !== undefined) {
    for (const key of ['slope_deg', 'aspect_deg']) {
      if (root[key] !== undefined) problems.push({ path: `$.${key}`, message: 'conflicts with $.elevation_m', value: root[key], expected: 'either elevation_m or slope_deg/aspect_deg' });
    }
    if (typeof root.elevation_m !== 'string') {
      problems.push({ path: '$.elevation_m', message: 'must name a grid file', value: root.elevation_m, expected: 'a DEM grid file (.asc or .tif)' });
    } else {
      const dem = numberField(root.elevation_m, '$.elevation_m', elevationM, grids, g, problems);
      if (dem) {
        const sa = slopeAspect({ ...g, nodata: -9999, values: dem });
        slope = sa.slopeDeg;
        aspect = sa.aspectDeg;
      }
    }
  } else {
    slope = numberField(root.slope_deg ?? 0, '$.slope_deg', slopeDeg, grids, g, problems);
    aspect = numberField(root.aspect_deg ?? 0, '$.aspect_deg', aspectDeg, grids, g, problems);
  }
  const barrierCells = parseBarriers(root.barriers, g, problems, warnings);
  const ignitions = parseIgnitions(root.ignitions, g, problems);

  let outputTimes = [duration];
  if (root.output_times_s !== undefined) {
    if (!Array.isArray(root.output_times_s) || root.output_times_s.length === 0) {
      problems.push({ path: '$.output_times_s', message: 'must be a non-empty array', value: root.output_times_s, expected: 'times in s, within [0, duration_s]' });
    } else if (root.output_times_s.length > MAX_OUTPUT_TIMES) {
      // Each output time costs a pass over the grid and a perimeter: the count is bounded, not the user's.
      problems.push({ path: '$.output_times_s', message: 'has too many times', value: `${root.output_times_s.length} times`, expected: `at most ${MAX_OUTPUT_TIMES} times` });
    } else {
      outputTimes = root.output_times_s.map((t, i) => checkNumber({ ...timeS, max: duration ?? timeS.max }, t, `$.output_times_s[${i}]`, problems) ?? 0);
    }
  }
  if (duration !== undefined) {
    const late = new Map<string, number>();
    for (const ig of ignitions) if (ig.t > duration) late.set(ig.path, ig.t);
    for (const [path, t] of late) warnings.push(`${path} starts at t_s ${t}, after duration_s ${duration}: it burns nothing`);
  }
  throwIfAny(problems);

  return {
    geometry: g, duration: duration!, moisture: moisture!, wind: wind!, radius, windLimit: root.wind_limit === true,
    fuel: fuel!, slope: slope!, aspect: aspect!, barrierCells, ignitions, outputTimes, warnings,
  };
}

/**
 * The case as the kernel takes it. `kernels` computes the fuel beds (the same wasm fireBeds the
 * behaviour kernel uses, so Node and the browser agree to the bit); they also back dmath.
 */
export function parseSpreadCase(kernels: Kernels, input: unknown, grids: Map<string, Grid> = new Map()): SpreadCase {
  return packSpreadCase(kernels, parseSpreadInputs(input, grids));
}

export interface SpreadOutput {
  summary: { burned_area_m2: { t_s: number; area_m2: number }[]; cells_burned: number; warnings: string[]; stencil_directions: number };
  arrival: Grid;
  ros: Grid;
  intensity: Grid;
  perimeters: GeoJsonFeatureCollection;
}

export interface GeoJsonFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { t_s: number; area_m2: number }; geometry: { type: 'MultiLineString'; coordinates: number[][][] } }[];
}

export function formatSpread(c: SpreadCase, run: SpreadRun): SpreadOutput {
  if (run.nonFinite > 0) throw new NumericalError(`fire spread produced ${run.nonFinite} non-finite rates of spread`);
  const { ncols, nrows } = c.geometry;
  const n = ncols * nrows;
  const base = { ...c.geometry, nodata: -9999 };
  const arrival = new Float64Array(n);
  const ros = new Float64Array(n);
  const intensity = new Float64Array(n);
  let burned = 0;
  for (let i = 0; i < n; i++) {
    const t = run.arrival[i];
    if (t === Infinity) { arrival[i] = NaN; ros[i] = NaN; intensity[i] = NaN; continue; }
    if (!Number.isFinite(t)) throw new NumericalError(`fire spread produced a non-finite arrival time at cell ${i}`);
    burned++;
    arrival[i] = t;
    ros[i] = run.head[i] * 60;
    intensity[i] = c.heatPerArea[c.packed.bedIndex[i]] * run.head[i];
  }
  const cellArea = c.geometry.cellsize ** 2;
  const burnedArea = c.outputTimes.map((t) => {
    let count = 0;
    for (let i = 0; i < n; i++) if (run.arrival[i] <= t) count++;
    return { t_s: t, area_m2: count * cellArea };
  });
  return {
    summary: { burned_area_m2: burnedArea, cells_burned: burned, warnings: c.warnings, stencil_directions: c.packed.stencil.n },
    arrival: { ...base, values: arrival },
    ros: { ...base, values: ros },
    intensity: { ...base, values: intensity },
    perimeters: {
      type: 'FeatureCollection',
      features: burnedArea.map(({ t_s, area_m2 }) => ({
        type: 'Feature', properties: { t_s, area_m2 },
        geometry: { type: 'MultiLineString', coordinates: perimeterLines(run.arrival, c.geometry, t_s) },
      })),
    },
  };
}
