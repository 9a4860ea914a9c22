// The grid form's case built from arrays a coupling already holds (models/scenario/slope-grid.ts),
// rather than from grid files named in a case file: nothing to name, so no file checks, and no
// JSON written only to be parsed again. What protects the kernel stays: every value is checked
// against the same declared ranges (spec.ts) and the same cell consistency as the file form, and
// NaN marks NODATA exactly as there, so both forms pack the same bytes for the same values.
import { InputError, type Problem } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { boundsOf, checkNumber, withinBounds } from '../params.ts';
import { CELL_STRIDE } from '../../assembly/landslide/layout.ts';
import { checkCellConsistency, defaultDepthFractions, rainToMetresPerSecond, runOptionsOf } from './fs.ts';
import type { GridCase } from './grid.ts';
import { packCell, type CellProperties } from './packed.ts';
import { caseParams, CELL_PARAM_NAMES, cellParams, FLAT_SLOPE_DEG, rainRateMillimetresPerHour, type CellParamName } from './spec.ts';

export interface GridArrays {
  geometry: Omit<Grid, 'values'>;
  /** Each cell parameter: one value per cell (row-major, NaN: NODATA) or one value for all cells. */
  cells: Record<CellParamName, Float64Array | number>;
  /** Rain of each period in each cell, mm/h (NaN: NODATA). */
  rain: { periodS: number; mmPerHour: Float64Array[] };
  outputTimesS: readonly number[];
  basalBoundary: 'finite' | 'infinite';
  /** The summary form only (GridCase.summaryOnly). */
  summaryOnly?: boolean;
  /**
   * Where to pack the rain (cells × periods, m/s), when the caller lends an array it reuses from
   * run to run; every value is written. Without it (or at another length) a new array.
   */
  intensityInto?: Float64Array;
}

/** Values out of their declared range are reported as the file form reports them (by grid and cell), never run. */
function fail(problems: Problem[]): never {
  throw new InputError(problems);
}

// A cell's path ("slope_deg (row r, col c)") is only built for a value that fails: building it for
// every value of every cell and rain period was most of this function's CPU and garbage (an
// ensemble member packs its slope grid once; the collector's threads then compete with the other
// workers' members for the cores).
const scratch: Problem[] = [];
const consistent = (cell: Partial<CellProperties>) => {
  checkCellConsistency(cell, '', scratch);
  if (scratch.length === 0) return true;
  scratch.length = 0;
  return false;
};

// One cell record for every call, made here with all its keys in one order: a record made afresh
// per call gets its shape by adding keys, and V8 drops such shapes (with the code compiled for
// them) once the record is gone, so each ensemble member compiled the packing loop again. NaN, not
// 0, to start: the fields hold doubles from the first store on, so no later store changes the shape.
const cell: CellProperties = {
  slope_deg: NaN, soil_depth_m: NaN, water_table_depth_m: NaN, cohesion_pa: NaN, friction_deg: NaN,
  unit_weight_soil_n_per_m3: NaN, ks_m_per_s: NaN, diffusivity_m2_per_s: NaN, background_infiltration_m_per_s: NaN,
};

const cellPath = (name: string, i: number, ncols: number) => `${name} (row ${Math.floor(i / ncols)}, col ${i % ncols})`;

// The ranges as bounds (params.ts says why), in CELL_PARAM_NAMES order.
const RAIN_BOUNDS = boundsOf(rainRateMillimetresPerHour);
const CELL_BOUNDS = CELL_PARAM_NAMES.map((name) => boundsOf(cellParams[name]));
const PARAM_COUNT = CELL_PARAM_NAMES.length;
const SLOPE = CELL_PARAM_NAMES.indexOf('slope_deg');

/**
 * Checks and packs every cell; returns how many are flat. Parameter q of cell i is
 * `columns[q][i * strides[q]]` (stride 0: one value for all cells, checked by the caller).
 * A leaf over typed arrays and module constants: the loop ran inside gridCaseFromArrays, whose
 * optimised code checked the shape of its argument, and the slope grid's argument had a new shape
 * at every ensemble member (an object spread, whose shape V8 drops with the object), so every
 * member threw that code away and compiled the loop again.
 */
function packCellColumns(columns: Float64Array[], strides: Int32Array, count: number, ncols: number, unitWeightWater: number, packed: Float64Array, problems: Problem[]): number {
  let flatCells = 0;
  for (let i = 0; i < count; i++) {
    let noData = false;
    for (let q = 0; q < PARAM_COUNT; q++) {
      const name = CELL_PARAM_NAMES[q];
      const v = columns[q][i * strides[q]];
      if (Number.isNaN(v)) { noData = true; cell[name] = NaN; continue; }
      if (q === SLOPE && v >= 0 && v < FLAT_SLOPE_DEG) { noData = true; flatCells++; cell[name] = NaN; continue; }
      if (strides[q] !== 0 && !withinBounds(CELL_BOUNDS[q], v) && checkNumber(cellParams[name], v, cellPath(name, i, ncols), problems) === undefined) noData = true;
      cell[name] = v;
    }
    if (!noData && !consistent(cell)) checkCellConsistency(cell, cellPath('cell', i, ncols), problems);
    if (problems.length) fail(problems);
    packCell(cell, unitWeightWater, packed, i * CELL_STRIDE);
    if (noData) packed[i * CELL_STRIDE] = NaN;
  }
  return flatCells;
}

/** Period `n`'s rain (mm/h per cell) into `intensity` (m/s, cell-major); NODATA rain makes the cell NODATA. */
function packRain(values: Float64Array, n: number, P: number, ncols: number, packed: Float64Array, intensity: Float64Array, problems: Problem[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // A NODATA cell's rain is 0, as in a new array: a lent one may hold another run's.
    if (Number.isNaN(v)) { packed[i * CELL_STRIDE] = NaN; intensity[i * P + n] = 0; continue; }
    if (!withinBounds(RAIN_BOUNDS, v) && checkNumber(rainRateMillimetresPerHour, v, cellPath(`rain[${n}]`, i, ncols), problems) === undefined) fail(problems);
    intensity[i * P + n] = rainToMetresPerSecond(v, true);
  }
}

export function gridCaseFromArrays(a: GridArrays): GridCase {
  const { geometry } = a;
  const count = geometry.ncols * geometry.nrows;
  const problems: Problem[] = [];
  for (const name of CELL_PARAM_NAMES) {
    const v = a.cells[name];
    if (typeof v === 'number') checkNumber(cellParams[name], v, name, problems);
    else if (v.length !== count) problems.push({ path: name, message: 'has the wrong number of cells', value: v.length, expected: `${count} cells` });
  }
  a.rain.mmPerHour.forEach((g, n) => { if (g.length !== count) problems.push({ path: `rain[${n}]`, message: 'has the wrong number of cells', value: g.length, expected: `${count} cells` }); });
  if (problems.length) fail(problems);

  const unitWeightWater = caseParams.unit_weight_water_n_per_m3.default;
  const packed = new Float64Array(count * CELL_STRIDE);
  const columns: Float64Array[] = [];
  const strides = new Int32Array(PARAM_COUNT);
  for (let q = 0; q < PARAM_COUNT; q++) {
    const source = a.cells[CELL_PARAM_NAMES[q]];
    columns.push(typeof source === 'number' ? Float64Array.of(source) : source);
    strides[q] = typeof source === 'number' ? 0 : 1;
  }
  const flatCells = packCellColumns(columns, strides, count, geometry.ncols, unitWeightWater, packed, problems);

  const P = a.rain.mmPerHour.length;
  const intensity = a.intensityInto?.length === count * P ? a.intensityInto : new Float64Array(count * P);
  for (let n = 0; n < P; n++) packRain(a.rain.mmPerHour[n], n, P, geometry.ncols, packed, intensity, problems);
  const options = runOptionsOf({
    unitWeightWater, periodS: a.rain.periodS, periodCount: P, intensity, times: Float64Array.from(a.outputTimesS),
    depths: defaultDepthFractions(), depthsAreFractions: true, basal: a.basalBoundary, profiles: false, rainPerCell: true,
  });
  // Every key spelt out, in the order the spreads gave them (the memo's digest reads them in
  // order): one object shape at every call, where a spread's shape is made again per call.
  const { ncols, nrows, xllcorner, yllcorner, cellsize, nodata } = geometry;
  return {
    setup: options.setup, unitWeightWater: options.unitWeightWater, defaultDepths: options.defaultDepths, period: options.period,
    geometry: { ncols, nrows, xllcorner, yllcorner, cellsize, nodata }, packed, cellCount: count, flatCells, pressureHeadDepths: new Float64Array(0),
    summaryOnly: a.summaryOnly === true ? true : undefined,
  };
}
