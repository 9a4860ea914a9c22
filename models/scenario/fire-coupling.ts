// Dry wind → fire: delivered ignition injects start fires on the region's fuel and terrain under
// the scenario's wind; barrier injects (fire breaks, closed roads) stop them. The fire front at each
// coupling step, the area burned, the people in burned cells, and forest-fire warnings for the
// districts whose monitored points the fire approaches.
import type { Engine } from '../engine.ts';
import type { SpreadOutput } from '../fire/spread-case.ts';
import { perimeterLines, rasterizeSegment } from '../fire/spread-case.ts';
import { spreadInputsOf } from '../fire/spread-typed.ts';
import { cellAt, type Grid } from '../grid/ascii.ts';
import type { StepGrid } from './forcing.ts';
import type { Inject } from './injects.ts';
import type { RegionData } from './region.ts';
import type { Scenario } from './schema.ts';
import { levelsToWarnings, type IssuedWarning } from './warning-rules.ts';

/**
 * Midflame wind from the 10 m wind: a wind adjustment factor of 0.4, Albini & Baughman's (1979)
 * value for unsheltered surface fuels — the fast, conservative choice for a drill.
 */
export const WIND_ADJUSTMENT_FACTOR = 0.4;
/** Distances from a monitored point at which its district's forest-fire warning turns red, orange, yellow. */
export const WARNING_DISTANCES_M = { 4: 500, 3: 1500, 2: 3000 } as const;

export interface FireRun {
  /** Arrival time of the fire in each cell, s (Infinity: not reached). */
  arrivalS: Float64Array;
  burnedAreaM2: number[];
  peopleInBurnedCells: number[];
  /** The fire's edge at each step end, in map metres. */
  perimeters: number[][][][];
  ignitions: { x_m: number; y_m: number; t_s: number }[];
  output: SpreadOutput;
}

export function fireIgnitions(injects: readonly Inject[], due: ReadonlyMap<string, number | undefined>) {
  const ignitions: { x_m: number; y_m: number; t_s: number }[] = [];
  const barriers: { polyline_m: [number, number][]; t_s: number }[] = [];
  for (const inject of injects) {
    const t = due.get(inject.id);
    if (t === undefined || inject.state === 'cancelled') continue;
    const action = inject.action;
    if (action?.type === 'ignition' && typeof action.x_m === 'number' && typeof action.y_m === 'number') ignitions.push({ x_m: action.x_m, y_m: action.y_m, t_s: t });
    // A fire break exists from the time the inject is delivered (runFire splits the run there).
    if (action?.type === 'barrier' && Array.isArray(action.polyline_m)) barriers.push({ polyline_m: action.polyline_m, t_s: t });
  }
  return { ignitions, barriers };
}

/**
 * The fire under barriers that appear during it. The kernel takes barriers for a whole run, so a
 * break cut at T splits the run there: the fire as it stands at T (every cell burned by then, with
 * its time) ignites a second run that has the break. Minimum travel time from those cells is
 * exactly the first run's continuation, so without the break nothing would change; with it, only
 * spread after T is barred, and ground burned before T stays burned.
 */
export async function runFire(
  engine: Engine, scenario: Scenario, region: RegionData, grid: StepGrid, injects: readonly Inject[], due: ReadonlyMap<string, number | undefined>,
  evacuatedFrom: ReadonlyMap<string, number> = new Map(),
): Promise<FireRun | undefined> {
  const { ignitions, barriers } = fireIgnitions(injects, due);
  if (ignitions.length === 0) return undefined;
  const g = region.manifest.grid;
  const firstIgnition = Math.min(...ignitions.map((i) => i.t_s));
  const geometry = { ncols: g.ncols, nrows: g.nrows, xllcorner: g.xllcorner, yllcorner: g.yllcorner, cellsize: g.cellsize_m };
  // Barriers standing by `cutBy`, as cells; ground already burning is not cut (`burned` by then).
  const caseWith = (starts: { x_m: number; y_m: number; t_s: number }[], cutBy: number, burned?: Float64Array) => {
    const cells = new Set<number>();
    for (const b of barriers) {
      if (b.t_s > cutBy) continue;
      for (let k = 1; k < b.polyline_m.length; k++) rasterizeSegment(geometry, ...b.polyline_m[k - 1], ...b.polyline_m[k], cells);
    }
    const standing = new Set([...cells].filter((i) => !(burned && burned[i] <= cutBy)).sort((a, b) => a - b));
    return spreadInputsOf({
      geometry, fuel: region.fuel, elevation: region.dem,
      moisturePercent: scenario.fuelMoisturePercent,
      wind: scenario.wind.map((w) => ({ tS: w.tS, midflameMPerS: w.speed10mMPerS * WIND_ADJUSTMENT_FACTOR, fromDeg: w.fromDeg })),
      ignitions: starts, barrierCells: standing, durationS: scenario.durationS,
      // Only the final state from the model: the per-step series below come from arrival times.
      outputTimesS: [scenario.durationS],
    });
  };
  let output = await engine.fireSpreadInputs(caseWith(ignitions, firstIgnition));
  const cuts = [...new Set(barriers.map((b) => b.t_s).filter((t) => t > firstIgnition && t < scenario.durationS))].sort((a, b) => a - b);
  for (const cut of cuts) {
    const before = output.arrival.values;
    const burning: { x_m: number; y_m: number; t_s: number }[] = [];
    for (let i = 0; i < before.length; i++) {
      if (!(before[i] <= cut)) continue;
      const row = Math.floor(i / g.ncols); const col = i % g.ncols;
      burning.push({ x_m: g.xllcorner + (col + 0.5) * g.cellsize_m, y_m: g.yllcorner + (g.nrows - row - 0.5) * g.cellsize_m, t_s: before[i] });
    }
    const later = ignitions.filter((i) => i.t_s > cut);
    if (burning.length === 0 && later.length === 0) continue;
    const after = await engine.fireSpreadInputs(caseWith([...burning, ...later], cut, before));
    output = mergeAt(output, after, cut);
  }
  const stepEnds = Array.from({ length: grid.steps }, (_, j) => (j + 1) * grid.stepS);
  const arrivalS = Float64Array.from(output.arrival.values, (v) => (Number.isNaN(v) ? Infinity : v));
  // Area and people burned, step by step: sort the burned cells by arrival once.
  const burned = [...arrivalS.keys()].filter((i) => arrivalS[i] !== Infinity).sort((a, b) => arrivalS[a] - arrivalS[b]);
  const peopleInBurnedCells: number[] = [];
  const burnedAreaM2: number[] = [];
  // Residents of burned cells, per district: an evacuated district's leave the count from the order on.
  const districtIds = region.manifest.districts.map((d) => d.id);
  const byDistrict = new Float64Array(districtIds.length);
  let k = 0;
  for (const t of stepEnds) {
    while (k < burned.length && arrivalS[burned[k]] <= t) { const i = burned[k++]; byDistrict[region.districts.values[i]] += region.population.values[i]; }
    let people = 0;
    districtIds.forEach((id, d) => { if (!((evacuatedFrom.get(id) ?? Infinity) <= t)) people += byDistrict[d]; });
    peopleInBurnedCells.push(Math.round(people));
    burnedAreaM2.push(k * g.cellsize_m * g.cellsize_m);
  }
  return { arrivalS, output, ignitions, peopleInBurnedCells, burnedAreaM2, perimeters: perimetersByStep(arrivalS, burned, g, stepEnds) };
}

/** Cells burned by `cut` keep the first run's values; the rest take the second's. */
export function mergeAt(first: SpreadOutput, second: SpreadOutput, cut: number): SpreadOutput {
  const keep = (a: Grid, b: Grid): Grid => ({ ...b, values: b.values.map((v, i) => (first.arrival.values[i] <= cut ? a.values[i] : v)) });
  // Both runs' warnings: the first's (before the break) were dropped with its summary.
  const warnings = [...new Set([...first.summary.warnings, ...second.summary.warnings])];
  return { ...second, summary: { ...second.summary, warnings }, arrival: keep(first.arrival, second.arrival), ros: keep(first.ros, second.ros), intensity: keep(first.intensity, second.intensity) };
}

/** The front at each step, traced on the burned area's bounding box (plus a margin) only. */
function perimetersByStep(arrivalS: Float64Array, burned: number[], g: RegionData['manifest']['grid'], stepEnds: number[]): number[][][][] {
  if (burned.length === 0) return stepEnds.map(() => []);
  let r0 = Infinity; let r1 = -1; let c0 = Infinity; let c1 = -1;
  for (const i of burned) {
    const r = Math.floor(i / g.ncols); const c = i % g.ncols;
    r0 = Math.min(r0, r); r1 = Math.max(r1, r); c0 = Math.min(c0, c); c1 = Math.max(c1, c);
  }
  r0 = Math.max(0, r0 - 2); c0 = Math.max(0, c0 - 2); r1 = Math.min(g.nrows - 1, r1 + 2); c1 = Math.min(g.ncols - 1, c1 + 2);
  const ncols = c1 - c0 + 1; const nrows = r1 - r0 + 1;
  const crop = new Float64Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) crop.set(arrivalS.subarray((r0 + r) * g.ncols + c0, (r0 + r) * g.ncols + c1 + 1), r * ncols);
  const geometry = { ncols, nrows, cellsize: g.cellsize_m, xllcorner: g.xllcorner + c0 * g.cellsize_m, yllcorner: g.yllcorner + (g.nrows - 1 - r1) * g.cellsize_m };
  return stepEnds.map((t) => perimeterLines(crop, geometry, t));
}

/** The earliest time the fire comes within `radiusM` of a point. */
function approachTime(arrivalS: Float64Array, grid: Grid, x: number, y: number, radiusM: number): number {
  const centre = cellAt(grid, x, y);
  if (!centre) return Infinity;
  const reach = Math.ceil(radiusM / grid.cellsize);
  let earliest = Infinity;
  for (let dr = -reach; dr <= reach; dr++) {
    const r = centre.row + dr;
    if (r < 0 || r >= grid.nrows) continue;
    for (let dc = -reach; dc <= reach; dc++) {
      const c = centre.col + dc;
      if (c < 0 || c >= grid.ncols || (dr * dr + dc * dc) * grid.cellsize * grid.cellsize > radiusM * radiusM) continue;
      const t = arrivalS[r * grid.ncols + c];
      if (t < earliest) earliest = t;
    }
  }
  return earliest;
}

/** Forest-fire warnings per district: the nearest approach of the fire to any of its monitored points. */
export function fireWarnings(fire: FireRun, region: RegionData, grid: StepGrid): IssuedWarning[] {
  const byDistrict = new Map<string, Int8Array>();
  for (const item of region.items) {
    const times = ([4, 3, 2] as const).map((level) => [level, approachTime(fire.arrivalS, region.dem, item.x_m, item.y_m, WARNING_DISTANCES_M[level])] as const);
    if (times.every(([, t]) => t === Infinity)) continue;
    const levels = byDistrict.get(item.area) ?? new Int8Array(grid.steps);
    for (let j = 0; j < grid.steps; j++) {
      const t = (j + 1) * grid.stepS;
      for (const [level, at] of times) if (t >= at && levels[j] < level) levels[j] = level;
    }
    byDistrict.set(item.area, levels);
  }
  return [...byDistrict].flatMap(([district, levels]) => levelsToWarnings(levels, grid, 'forest-fire', district,
    (j, level) => `fire within ${WARNING_DISTANCES_M[level as 2 | 3 | 4]} m of a monitored point in ${district}; ${(fire.burnedAreaM2[j] / 1e6).toFixed(2)} km² burned`));
}
