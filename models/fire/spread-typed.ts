// A `fire spread` case built from a coupling's in-memory grids and values (models/scenario/
// fire-coupling.ts) rather than a case file naming grid files: nothing to look up by name, no JSON
// written only to be parsed again. What protects the kernel stays, through the same spec
// functions as the file form: the grid-size limit, ranges of every value (elevation, moisture,
// wind, times, coordinates), fuel numbers, ignitions on burnable ground (at packing). Problems
// carry the file form's JSON paths: models/scenario/run.ts names the scenario's field from them.
import { checkSameGeometry, type Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';
import type { Problem } from '../errors.ts';
import { gridCellsProblem } from '../limits.ts';
import { checkNumber, throwIfAny } from '../params.ts';
import { parseMoisture } from './behavior.ts';
import { FuelCatalogue } from './fuel-input.ts';
import { SPREAD_STRIP_SHIFT, stripLayout } from './kernel.ts';
import { elevationM, spreadCaseParams, timeS, windFrom, midflameWind, type moistureParams } from './spec.ts';
import { DEFAULT_STENCIL_RADIUS } from './spread-case.ts';
import { fuelCellsOfGrid, rangeCheckedValues, windSeriesOf, type Geometry, type SpreadInputs } from './spread-pack.ts';
import { parseIgnitions } from './spread-places.ts';

export interface SpreadArrays {
  geometry: Geometry;
  /** Fuel model numbers per cell (NaN: NODATA), and the DEM slope and aspect come from; both on `geometry`. */
  fuel: Grid;
  elevation: Grid;
  moisturePercent: Record<keyof typeof moistureParams, number>;
  /** Midflame wind periods, in increasing time. */
  wind: { tS: number; midflameMPerS: number; fromDeg: number }[];
  ignitions: { x_m: number; y_m: number; t_s: number }[];
  /** Cells that do not burn (fire breaks, closed roads), row-major indices. */
  barrierCells: Set<number>;
  durationS: number;
  outputTimesS: number[];
}

export function spreadInputsOf(a: SpreadArrays): SpreadInputs {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const g = a.geometry;
  const tooLarge = gridCellsProblem(g.ncols, g.nrows, '$.grid', stripLayout(g.nrows, g.ncols, SPREAD_STRIP_SHIFT).cells);
  if (tooLarge) throwIfAny([tooLarge]);
  const reference = { ...g, nodata: -9999, values: new Float64Array(0) };
  checkSameGeometry(a.fuel, reference, 'fuel', 'grid', problems);
  checkSameGeometry(a.elevation, reference, 'elevation', 'grid', problems);
  throwIfAny(problems);

  const duration = checkNumber(spreadCaseParams.duration_s, a.durationS, '$.duration_s', problems);
  const moisture = parseMoisture(a.moisturePercent, '$.moisture_percent', problems);
  const entries: { t: number; midflameMPerS: number; from: number }[] = [];
  a.wind.forEach((w, i) => {
    const t = checkNumber(timeS, w.tS, `$.wind.series[${i}].t_s`, problems);
    const speed = checkNumber(midflameWind, w.midflameMPerS, `$.wind.series[${i}].midflame_m_per_s`, problems);
    const from = checkNumber(windFrom, w.fromDeg, `$.wind.series[${i}].from_deg`, problems);
    if (t !== undefined && entries.length && t <= entries[entries.length - 1].t) {
      problems.push({ path: `$.wind.series[${i}].t_s`, message: 'is not after the previous period', value: t, expected: `a time > ${entries[entries.length - 1].t} s` });
    }
    if (t !== undefined && speed !== undefined && from !== undefined) entries.push({ t, midflameMPerS: speed, from });
  });
  if (a.wind.length === 0) problems.push({ path: '$.wind.series', message: 'is empty', expected: 'at least one wind period' });
  const catalogue = FuelCatalogue.parse(undefined, '$.custom_fuel_models', problems);
  throwIfAny(problems);
  const wind = windSeriesOf(entries, warnings);

  const fuel = fuelCellsOfGrid(a.fuel, 'fuel grid', catalogue, g, problems);
  const dem = rangeCheckedValues(a.elevation, 'elevation grid', '$.elevation_m', elevationM, g, problems);
  const ignitions = parseIgnitions(a.ignitions, g, problems);
  const outputTimes = a.outputTimesS.map((t, i) => checkNumber({ ...timeS, max: duration! }, t, `$.output_times_s[${i}]`, problems) ?? 0);
  throwIfAny(problems);
  const { slopeDeg, aspectDeg } = slopeAspect({ ...g, nodata: -9999, values: dem! });
  const late = new Map<string, number>();
  for (const ig of ignitions) if (ig.t > duration!) late.set(ig.path, ig.t);
  for (const [path, t] of late) warnings.push(`${path} starts at t_s ${t}, after duration_s ${duration}: it burns nothing`);
  return {
    geometry: g, duration: duration!, moisture: moisture!, wind, radius: DEFAULT_STENCIL_RADIUS, windLimit: false,
    fuel: fuel!, slope: slopeDeg, aspect: aspectDeg, barrierCells: a.barrierCells, ignitions, outputTimes, warnings,
  };
}
