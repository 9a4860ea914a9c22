// A `fire spread` case's checked inputs → the packed landscape the kernel takes. The inputs come
// from a case file (spread-case.ts parses them) or straight from a coupling's arrays
// (models/fire/spread-typed.ts); both pack here, so both give the kernel the same bytes.
import { dmath } from '../dmath.ts';
import type { Grid } from '../grid/ascii.ts';
import type { Problem } from '../errors.ts';
import { throwIfAny } from '../params.ts';
import { toRadians } from './behavior.ts';
import type { FuelCatalogue } from './fuel-input.ts';
import { packFuelTable, toSiFuel, type FuelModelEnglish } from './fuels.ts';
import { fireBedsWasm } from './kernel.ts';
import { BED_STRIDE } from '../../assembly/fire/layout.ts';
import type { SpreadCase } from './spread-case.ts';
import type { Kernels } from '../wasm.ts';
import { buildStencil } from './stencil.ts';
import type { slopeDeg } from './spec.ts';

const KJ_M2_PER_BTU_FT2 = 1.05505585262 / (0.3048 * 0.3048);

export interface Geometry { ncols: number; nrows: number; xllcorner: number; yllcorner: number; cellsize: number }
export interface FuelCells { models: FuelModelEnglish[]; modelOfCell: Int32Array; nodataCells: number }
export interface WindSeries { t: Float64Array; midflameMPerS: Float64Array; x: Float64Array; y: Float64Array }

/** Everything a spread run needs, checked against the spec, before the beds are computed. */
export interface SpreadInputs {
  geometry: Geometry;
  duration: number;
  /** Dead 1 h, 10 h, 100 h, live herb, live woody, as fractions. */
  moisture: number[];
  wind: WindSeries;
  radius: number;
  windLimit: boolean;
  fuel: FuelCells;
  slope: Float64Array;
  aspect: Float64Array;
  barrierCells: Set<number>;
  /** `path` names the ignition in messages (`$.ignitions[2]`). */
  ignitions: { cell: number; t: number; path: string }[];
  outputTimes: number[];
  warnings: string[];
}

/** A grid's values, each within the declared range (NaN: NODATA); the first few out of range are reported by cell. */
export function rangeCheckedValues(grid: Grid, label: string, path: string, param: typeof slopeDeg, geometry: Geometry, problems: Problem[]): Float64Array | undefined {
  const n = geometry.ncols * geometry.nrows;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const v = grid.values[i];
    if (Number.isNaN(v)) continue;
    if (!(v >= (param.min ?? -Infinity) && v <= (param.max ?? Infinity))) {
      if (bad++ < 3) {
        problems.push({ path: `${path} (${label} row ${Math.floor(i / geometry.ncols)}, col ${i % geometry.ncols})`, message: 'out of range', value: v, expected: `a number in [${param.min}, ${param.max}] ${param.unit}` });
      }
    }
  }
  return bad ? undefined : grid.values;
}

/** Each cell's fuel model from a grid of fuel numbers (NaN: NODATA, does not burn). */
export function fuelCellsOfGrid(grid: Grid, label: string, catalogue: FuelCatalogue, geometry: Geometry, problems: Problem[]): FuelCells | undefined {
  const n = geometry.ncols * geometry.nrows;
  const models: FuelModelEnglish[] = [];
  const index = new Map<FuelModelEnglish, number>();
  const indexOf = (m: FuelModelEnglish) => {
    if (!index.has(m)) { index.set(m, models.length); models.push(m); }
    return index.get(m)!;
  };
  const modelOfCell = new Int32Array(n);
  let nodataCells = 0;
  let bad = 0;
  const known = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = grid.values[i];
    if (Number.isNaN(v)) { modelOfCell[i] = -1; nodataCells++; continue; }
    let k = known.get(v);
    if (k === undefined) {
      const model = Number.isInteger(v) ? catalogue.find(v) : undefined;
      k = model ? indexOf(model) : -2;
      known.set(v, k);
    }
    if (k === -2 && bad++ < 3) {
      problems.push({ path: `$.fuel_model (${label} row ${Math.floor(i / geometry.ncols)}, col ${i % geometry.ncols})`, message: 'names no fuel model', value: v, expected: 'a standard or custom fuel model number, or NODATA' });
    }
    modelOfCell[i] = k;
  }
  return bad ? undefined : { models, modelOfCell, nodataCells };
}

/** Checked wind periods → the kernel's series: the meteorological "from" as the unit vector the wind blows toward. */
export function windSeriesOf(entries: { t: number; midflameMPerS: number; from: number }[], warnings: string[]): WindSeries {
  if (entries[0].t > 0) warnings.push(`$.wind.series[0] starts at t_s ${entries[0].t}: its wind also blows before then`);
  // (east, north): "from" → the unit vector the wind blows toward, (east, north).
  const rad = entries.map((e) => toRadians(e.from));
  return {
    t: Float64Array.from(entries, (e) => e.t),
    midflameMPerS: Float64Array.from(entries, (e) => e.midflameMPerS),
    x: Float64Array.from(rad, (r) => -dmath.sin(r)),
    y: Float64Array.from(rad, (r) => -dmath.cos(r)),
  };
}

/** The beds (wasm fireBeds, so Node and the browser agree to the bit) and the packed landscape. */
export function packSpreadCase(kernels: Kernels, inputs: SpreadInputs): SpreadCase {
  const { geometry: g, moisture, wind, radius, windLimit, fuel, slope, aspect, barrierCells, ignitions, outputTimes, duration } = inputs;
  // A copy: the inputs may be a memo's key, and packing adds warnings.
  const warnings = [...inputs.warnings];
  const n = g.ncols * g.nrows;
  // Beds: one per fuel model in use (the moisture is one for the whole landscape).
  const models = fuel.models;
  const fuels = packFuelTable(models.map(toSiFuel));
  const moistures = new Float64Array(models.length * 5);
  models.forEach((_, k) => moistures.set(moisture, k * 5));
  const beds = fireBedsWasm(kernels, { fuels, fuelIndex: Int32Array.from(models.keys()), moistures });

  const bedIndex = new Int32Array(n);
  const slopeX = new Float32Array(n);
  const slopeY = new Float32Array(n);
  let unburnable = 0;
  let flatNodata = 0;
  for (let i = 0; i < n; i++) {
    const k = fuel.modelOfCell[i];
    // A bed that cannot spread (no load, or too wet) is as good as a barrier.
    if (k < 0 || barrierCells.has(i) || !(beds[k * BED_STRIDE] > 0)) { bedIndex[i] = -1; unburnable++; continue; }
    bedIndex[i] = k;
    const s = slope[i];
    const a = aspect[i];
    if (Number.isNaN(s)) { flatNodata++; continue; }
    if (s === 0 || Number.isNaN(a)) continue;
    const tan = dmath.tan(toRadians(s));
    const phiS = beds[k * BED_STRIDE + 5] * (tan * tan);
    // Upslope points opposite the aspect: bearing a + 180 → (east, north) = (−sin a, −cos a).
    const ar = toRadians(a);
    slopeX[i] = phiS * -dmath.sin(ar);
    slopeY[i] = phiS * -dmath.cos(ar);
  }
  if (fuel.nodataCells) warnings.push(`${fuel.nodataCells} cells of NODATA fuel do not burn`);
  if (flatNodata) warnings.push(`${flatNodata} cells with NODATA slope or elevation are treated as flat`);
  const tooWet = models.filter((_, k) => !(beds[k * BED_STRIDE] > 0) && models[k].depth_ft > 0).map((m) => m.code);
  if (tooWet.length) warnings.push(`fuel models ${tooWet.join(', ')} do not spread at this moisture (at or above extinction)`);

  const ignitionProblems: Problem[] = [];
  const good = ignitions.filter((ig) => {
    if (bedIndex[ig.cell] >= 0) return true;
    const row = Math.floor(ig.cell / g.ncols);
    const what = fuel.modelOfCell[ig.cell] < 0 ? 'NODATA fuel' : barrierCells.has(ig.cell) ? 'a barrier' : `fuel ${models[fuel.modelOfCell[ig.cell]].code}, which cannot spread here`;
    ignitionProblems.push({ path: ig.path, message: `lies on ${what}`, value: `cell (row ${row}, col ${ig.cell % g.ncols})`, expected: 'an ignition on burnable fuel' });
    return false;
  });
  // A line may cross a road; only a line (or point) with nothing burnable at all is an error.
  // Sets, not nested scans: a case may hold thousands of ignitions, a line thousands of cells.
  const live = new Set(good.map((ig) => ig.path));
  const reported = new Set<string>();
  throwIfAny(ignitionProblems.filter((pr) => !live.has(pr.path) && !reported.has(pr.path) && reported.add(pr.path)));

  return {
    packed: {
      nrows: g.nrows, ncols: g.ncols, cellsize: g.cellsize, bedIndex, beds, slopeX, slopeY,
      windT: wind.t, windMidflameMPerS: wind.midflameMPerS, windX: wind.x, windY: wind.y, windLimit: windLimit,
      stencil: buildStencil(radius, g.cellsize),
      ignitionCell: Int32Array.from(good, (ig) => ig.cell), ignitionT: Float64Array.from(good, (ig) => ig.t), duration: duration,
    },
    geometry: g,
    outputTimes,
    heatPerArea: Float64Array.from(models.keys(), (k) => beds[k * BED_STRIDE + 1] * beds[k * BED_STRIDE + 2] * KJ_M2_PER_BTU_FT2),
    warnings,
  };
}

