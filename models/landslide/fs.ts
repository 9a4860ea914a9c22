// `landslide fs`: the contract's case file → packed cells and a run setup → kernel → the contract's
// output. The grid form shares the rain, time and depth parsing (models/landslide/grid.ts).
import { dmath } from '../dmath.ts';
import { childPath, NumericalError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumberArray, checkParams, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { BASAL_FINITE, BASAL_INFINITE, CELL_STRIDE } from '../../assembly/landslide/layout.ts';
import { packCell, type CellProperties, type RunResult, type RunSetup } from './packed.ts';
import { parseWarningSpec, rainRatios, warningLevel, type RainState, type WarningSpec } from './warning.ts';
import {
  BASAL_BOUNDARIES, caseParams, CELL_PARAM_NAMES, cellParams, DEFAULT_DEPTH_COUNT, depth, MAX_PROFILE_VALUES,
  outputTime, rainParams, rainRateMetresPerSecond, rainRateMillimetresPerHour,
} from './spec.ts';

export const COMMON_KEYS = ['rain', 'output_times_s', 'depths_m', 'unit_weight_water_n_per_m3', 'basal_boundary', 'warning'];
const CELL_KEYS = [...CELL_PARAM_NAMES, 'id'];

export interface RunOptions {
  setup: RunSetup;
  unitWeightWater: number;
  /** Depths were not given: 20 evenly spaced to each cell's soil depth. */
  defaultDepths: boolean;
  /** The rain ratio at each output time, when the case asks for warning levels (per cell for rain grids). */
  warning?: { spec: WarningSpec; rain: RainState[] };
  /** Rain given as one grid per period: the grid form fills setup.intensity cell by cell. */
  rainGrids?: RainGrids;
  period: number;
}

export interface FsCase extends RunOptions {
  cells: CellProperties[];
  ids: (string | undefined)[];
  packed: Float64Array;
}

export interface FsDepthOutput { z_m: number; pressure_head_m: number; fs: number }
export interface FsTimeOutput {
  t_s: number; fs_min: number | null; z_at_fs_min_m: number | null; depths: FsDepthOutput[];
  rain_ratio?: number; rain_index?: string; warning_level?: number | null;
}
export interface FsCellOutput { id?: string; times: FsTimeOutput[]; first_fs_below_1_t_s: number | null }
export interface FsOutput { cells: FsCellOutput[]; warnings: string[] }

export interface RainGrids { names: string[]; millimetresPerHour: boolean; path: string }

/** The one conversion of rain to SI, so every rain form gives the same doubles. */
export function rainToMetresPerSecond(value: number, millimetresPerHour: boolean): number {
  return millimetresPerHour ? value / 1000 / 3600 : value;
}

function parseRain(value: unknown, problems: Problem[], gridsAllowed: boolean):
  { period: number; intensity: Float64Array; grids?: RainGrids } | undefined {
  if (!isRecord(value)) {
    problems.push({ path: '$.rain', message: 'must be an object', value, expected: '{ "period_s", "m_per_s": [...] } or { "period_s", "mm_per_h": [...] }' });
    return undefined;
  }
  const forms = ['m_per_s', 'mm_per_h', ...(gridsAllowed ? ['grids_m_per_s', 'grids_mm_per_h'] : [])];
  checkKnownKeys(value, ['period_s', ...forms], '$.rain', problems);
  const { period_s: period } = checkParams(rainParams, value, '$.rain', problems);
  const given = forms.filter((f) => value[f] !== undefined);
  if (given.length !== 1) {
    problems.push({
      path: '$.rain', message: given.length ? `gives both ${given.join(' and ')}` : 'gives no intensities',
      expected: `exactly one of ${forms.map((f) => `"${f}"`).join(', ')}`,
    });
    return undefined;
  }
  const form = given[0];
  if (form.startsWith('grids_')) {
    const names = value[form];
    const path = `$.rain.${form}`;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
      problems.push({ path, message: 'must list one grid file per period', value: names, expected: 'an array of grid file names' });
      return undefined;
    }
    if (period === undefined) return undefined;
    return { period, intensity: new Float64Array(0), grids: { names: names as string[], millimetresPerHour: form === 'grids_mm_per_h', path } };
  }
  const series = form === 'm_per_s'
    ? checkNumberArray(value.m_per_s, '$.rain.m_per_s', problems, rainRateMetresPerSecond)
    : checkNumberArray(value.mm_per_h, '$.rain.mm_per_h', problems, rainRateMillimetresPerHour);
  if (!series || period === undefined) return undefined;
  return { period, intensity: series.map((v) => rainToMetresPerSecond(v, form === 'mm_per_h')) };
}

function parseTimes(value: unknown, problems: Problem[]): Float64Array | undefined {
  const times = checkNumberArray(value, '$.output_times_s', problems, outputTime);
  if (!times) return undefined;
  if (times.length === 0) {
    problems.push({ path: '$.output_times_s', message: 'is empty', value, expected: 'at least one output time' });
    return undefined;
  }
  for (let j = 1; j < times.length; j++) {
    if (!(times[j] > times[j - 1])) {
      problems.push({ path: `$.output_times_s[${j}]`, message: 'is not after the time before it', value: times[j], expected: `a time > ${times[j - 1]} s (increasing order)` });
      return undefined;
    }
  }
  return times;
}

function parseDepths(value: unknown, problems: Problem[]): Float64Array | undefined {
  if (value === undefined) return defaultDepthFractions();
  const depths = checkNumberArray(value, '$.depths_m', problems, depth);
  if (depths && depths.length === 0) {
    problems.push({ path: '$.depths_m', message: 'is empty', value, expected: 'at least one depth (or leave it out for 20 to the soil base)' });
  }
  return depths;
}

/** Uniform periods and every output time on a multiple of them: the lag-convolution path applies. */
function latticeOf(period: number, times: Float64Array): Int32Array | undefined {
  const steps = new Int32Array(times.length);
  for (let j = 0; j < times.length; j++) {
    const step = Math.round(times[j] / period);
    if (step * period !== times[j] || step > 1_000_000) return undefined;
    steps[j] = step;
  }
  return steps;
}

/** The parts of a case shared by the cells and grid forms. */
export function parseRunOptions(root: Record<string, unknown>, problems: Problem[], profiles: boolean, gridsAllowed = false): RunOptions | undefined {
  const { unit_weight_water_n_per_m3: unitWeightWater } = checkParams(caseParams, root, '$', problems);
  const rain = parseRain(root.rain, problems, gridsAllowed);
  const times = parseTimes(root.output_times_s, problems);
  const depths = parseDepths(root.depths_m, problems);
  const basalName = root.basal_boundary ?? 'infinite';
  if (!(BASAL_BOUNDARIES as readonly unknown[]).includes(basalName)) {
    problems.push({ path: '$.basal_boundary', message: 'is not a basal boundary', value: basalName, expected: `one of ${BASAL_BOUNDARIES.join(', ')}` });
  }
  const warningSpec = parseWarningSpec(root.warning, problems);
  if (!rain || !times || !depths || unitWeightWater === undefined) return undefined;
  const warning = warningSpec
    ? { spec: warningSpec, rain: rain.grids ? [] : rainRatios(warningSpec, Array.from(rain.intensity, (i) => i * 3.6e6), rain.period, times) }
    : undefined;
  const periodCount = rain.grids ? rain.grids.names.length : rain.intensity.length;
  return {
    ...runOptionsOf({
      unitWeightWater, periodS: rain.period, periodCount, intensity: rain.intensity, times, depths, depthsAreFractions: root.depths_m === undefined,
      basal: basalName === 'finite' ? 'finite' : 'infinite', profiles, rainPerCell: rain.grids !== undefined,
    }),
    warning, rainGrids: rain.grids,
  };
}

/** What a validated case's run needs, however it was given (a file's JSON or a coupling's arrays). */
export interface RunValues {
  unitWeightWater: number;
  periodS: number;
  periodCount: number;
  /** Rain per period, m/s; empty when each cell has its own (rainPerCell, filled by the grid form). */
  intensity: Float64Array;
  times: Float64Array;
  depths: Float64Array;
  depthsAreFractions: boolean;
  basal: 'finite' | 'infinite';
  profiles: boolean;
  rainPerCell: boolean;
}

export function runOptionsOf(v: RunValues): RunOptions {
  const boundaries = new Float64Array(v.periodCount + 1);
  for (let n = 0; n <= v.periodCount; n++) boundaries[n] = n * v.periodS;
  const timeSteps = latticeOf(v.periodS, v.times);
  const setup: RunSetup = {
    basal: v.basal === 'finite' ? BASAL_FINITE : BASAL_INFINITE,
    boundaries, intensity: v.intensity, times: v.times, depths: v.depths,
    depthsAreFractions: v.depthsAreFractions, profiles: v.profiles,
    lagged: timeSteps ? { period: v.periodS, timeSteps } : undefined,
    rainPerCell: v.rainPerCell,
  };
  return { setup, unitWeightWater: v.unitWeightWater, defaultDepths: v.depthsAreFractions, period: v.periodS };
}

/** The default depths: evenly spaced fractions of each cell's soil depth. */
export function defaultDepthFractions(): Float64Array {
  return Float64Array.from({ length: DEFAULT_DEPTH_COUNT }, (_, k) => (k + 1) / DEFAULT_DEPTH_COUNT);
}

/** Checks that need two fields of one cell (or zone): returns false if the cell cannot run. */
export function checkCellConsistency(cell: Partial<CellProperties>, path: string, problems: Problem[]): boolean {
  let ok = true;
  if (cell.water_table_depth_m !== undefined && cell.soil_depth_m !== undefined && cell.water_table_depth_m > cell.soil_depth_m) {
    problems.push({
      path: childPath(path, 'water_table_depth_m'), message: 'puts the water table below the soil base',
      value: cell.water_table_depth_m, expected: `a depth ≤ soil_depth_m (${cell.soil_depth_m} m)`,
    });
    ok = false;
  }
  if (cell.slope_deg !== undefined && cell.ks_m_per_s !== undefined && cell.background_infiltration_m_per_s !== undefined) {
    const cos = dmath.cos(cell.slope_deg * Math.PI / 180);
    const limit = cell.ks_m_per_s * cos * cos;
    if (cell.background_infiltration_m_per_s >= limit) {
      problems.push({
        path: childPath(path, 'background_infiltration_m_per_s'), message: 'leaves no steady water table (β = cos²δ − I_ZLT/Ks ≤ 0)',
        value: cell.background_infiltration_m_per_s, expected: `less than ks_m_per_s·cos²(slope) = ${Number(limit.toPrecision(6))} m/s`,
      });
      ok = false;
    }
  }
  return ok;
}

export function parseFsCase(input: unknown): FsCase {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, ['cells', ...COMMON_KEYS], '$', problems);
  if (!Array.isArray(root.cells) || root.cells.length === 0) {
    problems.push({ path: '$.cells', message: 'must be a non-empty array', value: root.cells, expected: 'an array of cells (or the grid form, "grid": {...})' });
  }
  const options = parseRunOptions(root, problems, true);
  const cells: CellProperties[] = [];
  const ids: (string | undefined)[] = [];
  (Array.isArray(root.cells) ? root.cells : []).forEach((item: unknown, i: number) => {
    const path = `$.cells[${i}]`;
    if (!isRecord(item)) {
      problems.push({ path, message: 'must be an object', value: item, expected: 'a cell { "slope_deg", "soil_depth_m", ... }' });
      return;
    }
    checkKnownKeys(item, CELL_KEYS, path, problems);
    const before = problems.length;
    const cell = checkParams(cellParams, item, path, problems) as CellProperties;
    if (item.id !== undefined && typeof item.id !== 'string') {
      problems.push({ path: `${path}.id`, message: 'must be a string', value: item.id, expected: 'a cell id' });
    }
    if (checkCellConsistency(cell, path, problems) && problems.length === before) {
      cells.push(cell);
      ids.push(item.id as string | undefined);
    }
  });
  if (options && !options.defaultDepths) {
    const deepest = options.setup.depths.reduce((a, b) => Math.max(a, b), 0);
    const shallowestBase = cells.reduce((a, c) => Math.min(a, c.soil_depth_m), Infinity);
    if (deepest > shallowestBase) {
      const i = cells.findIndex((c) => c.soil_depth_m === shallowestBase);
      problems.push({
        path: '$.depths_m', message: `reaches below the soil base of $.cells[${i}]`, value: deepest,
        expected: `depths ≤ ${shallowestBase} m, the shallowest soil_depth_m`,
      });
    }
  }
  if (options) {
    const values = cells.length * options.setup.times.length * options.setup.depths.length;
    if (values > MAX_PROFILE_VALUES) {
      problems.push({ path: '$', message: 'asks for too many profile values', value: values, expected: `at most ${MAX_PROFILE_VALUES} cells × times × depths (use the grid form for large areas)` });
    }
  }
  throwIfAny(problems);
  const packed = new Float64Array(cells.length * CELL_STRIDE);
  cells.forEach((cell, c) => packCell(cell, options!.unitWeightWater, packed, c * CELL_STRIDE));
  return { ...options!, cells, ids, packed };
}

export function checkRun(run: RunResult): void {
  if (run.nonFiniteCount > 0) {
    throw new NumericalError(`landslide: ${run.nonFiniteCount} pressure heads or factors of safety came out NaN or infinite`);
  }
}

export function formatFsOutput(parsed: FsCase, run: RunResult): FsOutput {
  checkRun(run);
  const { times } = parsed.setup;
  // Plain loops, not callbacks: the scenario's monitored slopes are formatted at every ensemble
  // member, and callbacks made per call were compiled again each time.
  const cells: FsCellOutput[] = [];
  for (let c = 0; c < parsed.cells.length; c++) {
    const cell = parsed.cells[c];
    const cellTimes: FsTimeOutput[] = [];
    for (let j = 0; j < times.length; j++) cellTimes.push(timeOutput(parsed, run, c * times.length + j, j, cell.soil_depth_m));
    cells.push({
      ...(parsed.ids[c] !== undefined ? { id: parsed.ids[c] } : {}),
      times: cellTimes,
      first_fs_below_1_t_s: Number.isNaN(run.firstFailure[c]) ? null : run.firstFailure[c],
    });
  }
  return { cells, warnings: [] };
}

/** Output time j of a cell whose first value is at `o` = cell × times + j. */
function timeOutput(parsed: FsCase, run: RunResult, o: number, j: number, soilDepthM: number): FsTimeOutput {
  const { times, depths, depthsAreFractions } = parsed.setup;
  const K = depths.length;
  const atDepths: FsDepthOutput[] = [];
  for (let k = 0; k < K; k++) {
    atDepths.push({
      z_m: depthsAreFractions ? depths[k] * soilDepthM : depths[k],
      pressure_head_m: run.pressureHead![o * K + k],
      fs: run.fsAtDepth![o * K + k],
    });
  }
  return {
    t_s: times[j],
    fs_min: Number.isNaN(run.fsMin[o]) ? null : run.fsMin[o],
    z_at_fs_min_m: Number.isNaN(run.zAtFsMin[o]) ? null : run.zAtFsMin[o],
    depths: atDepths,
    ...(parsed.warning ? warningFields(parsed.warning, j, run.fsMin[o]) : {}),
  };
}

export function warningFields(warning: NonNullable<RunOptions['warning']>, j: number, fsMin: number) {
  const rain = warning.rain[j];
  return { rain_ratio: rain.ratio, rain_index: rain.by, warning_level: warningLevel(fsMin, rain.ratio, warning.spec.config) };
}

/** Printed precision: ψ and FS to 1e-6 (a micrometre of head), depths to 1e-9 m. */
export function roundFsOutput(output: FsOutput): FsOutput {
  const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
  const r9 = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    ...output,
    cells: output.cells.map((cell) => ({
      ...cell,
      times: cell.times.map((t) => ({
        ...t,
        fs_min: t.fs_min === null ? null : r6(t.fs_min),
        z_at_fs_min_m: t.z_at_fs_min_m === null ? null : r9(t.z_at_fs_min_m),
        depths: t.depths.map((d) => ({ z_m: r9(d.z_m), pressure_head_m: r6(d.pressure_head_m), fs: r6(d.fs) })),
        ...(t.rain_ratio !== undefined ? { rain_ratio: r6(t.rain_ratio) } : {}),
      })),
    })),
  };
}
