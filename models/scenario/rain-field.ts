// Rain over the region in the three forms a scenario may give it, resolved to what the couplings
// need: depth per step (mm) over each district (warnings, exposure), over each reach's sub-basin
// (runoff) and at each risk-list item (ponding, slope forcing).
//
// - areal: one series for the whole region, scaled per district (the city's areal rain forecast);
// - basins: one series per sub-basin, as a hydrological forecast system hands them over;
// - grids: one grid per period (radar or NWP rain, mm/h), on any raster that covers the region;
//   each region cell takes the rain of the grid cell its centre falls in.
// Rain injects scale the rain of their districts; a sub-basin follows the district it mostly lies in.
import { InputError, type Problem } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';
import { districtRainMm, injectFactor, type RainInjectEffect, type StepGrid } from './forcing.ts';
import type { RegionData } from './region.ts';
import { scenarioRainRate, type Scenario } from './schema.ts';
import { perRegion } from './region-memo.ts';

export interface RainField {
  byDistrict: Map<string, Float64Array>;
  /** By reach id: the rain on that reach's own sub-basin. */
  byBasin: Map<string, Float64Array>;
  /** By risk-list item id: the rain where the item stands. */
  atItem: Map<string, Float64Array>;
  /** The rain on region cell i (row-major); cells that share a rain share the array. */
  atCell(i: number): Float64Array;
}

/**
 * The rain series at each of `cells`. `atCell` is a method of one of three classes below, not a
 * closure made at every run: V8 drops optimised code that called a closure once the closure dies,
 * so this loop and its callers (rainMap, the slope grid) were compiled again at every ensemble member.
 */
export function rainAtCells(rain: RainField, cells: Int32Array): Float64Array[] {
  const out: Float64Array[] = [];
  for (let s = 0; s < cells.length; s++) out.push(rain.atCell(cells[s]));
  return out;
}

/** The district each reach's sub-basin mostly lies in. */
export function basinMajorityDistricts(region: RegionData): Map<string, string> {
  return perRegion(region, 'basinMajorityDistricts', () => majorityDistricts(region));
}

function majorityDistricts(region: RegionData): Map<string, string> {
  const tallies = basinDistrictCells(region);
  const out = new Map<string, string>();
  for (const reach of region.manifest.reaches) {
    const tally = tallies[reach.index];
    const best = tally ? tally.indexOf(Math.max(...tally)) : 0;
    out.set(reach.id, region.manifest.districts[best].id);
  }
  return out;
}

/** Cells of each (sub-basin, district) pair: tallies[basin][district]. */
function basinDistrictCells(region: RegionData): Float64Array[] {
  return perRegion(region, 'basinDistrictCells', () => tallyBasinDistrictCells(region));
}

function tallyBasinDistrictCells(region: RegionData): Float64Array[] {
  const districtCount = region.manifest.districts.length;
  const tallies = region.manifest.reaches.map(() => new Float64Array(districtCount));
  const { basins, districts } = region;
  for (let i = 0; i < basins.values.length; i++) {
    const basin = basins.values[i];
    if (basin >= 0) tallies[basin][districts.values[i]]++;
  }
  return tallies;
}

/** mm per step from a rate series per period, for an area in `district`. */
function depthsFromRates(ratesMmPerH: (period: number) => number, periodS: number, periods: number, grid: StepGrid, effects: readonly RainInjectEffect[], district: string, scale: number): Float64Array {
  const depth = new Float64Array(grid.steps);
  for (let j = 0; j < grid.steps; j++) {
    const start = j * grid.stepS;
    const period = Math.min(periods - 1, Math.floor(start / periodS));
    depth[j] = (ratesMmPerH(period) * injectFactor(effects, district, start, scale) * grid.stepS) / 3600;
  }
  return depth;
}

function cellOf(region: RegionData, x: number, y: number): number {
  const { ncols, nrows, xllcorner, yllcorner, cellsize_m: size } = region.manifest.grid;
  const col = Math.min(ncols - 1, Math.max(0, Math.floor((x - xllcorner) / size)));
  const row = Math.min(nrows - 1, Math.max(0, nrows - 1 - Math.floor((y - yllcorner) / size)));
  return row * ncols + col;
}

export function rainField(scenario: Scenario, region: RegionData, grid: StepGrid, effects: readonly RainInjectEffect[], rainGrids?: readonly Grid[]): RainField {
  const rain = scenario.rain;
  const districtIds = region.manifest.districts.map((d) => d.id);
  const basinDistrict = basinMajorityDistricts(region);
  if (rain.series) {
    const byDistrict = districtRainMm(rain.series, rain.districtFactors, grid, districtIds, effects);
    const byBasin = new Map<string, Float64Array>();
    for (const r of region.manifest.reaches) byBasin.set(r.id, byDistrict.get(basinDistrict.get(r.id)!)!);
    const atItem = new Map<string, Float64Array>();
    for (const item of region.items) atItem.set(item.id, byDistrict.get(item.area)!);
    const ofDistrict: Float64Array[] = [];
    for (const id of districtIds) ofDistrict.push(byDistrict.get(id)!);
    return new ArealRain(byDistrict, byBasin, atItem, ofDistrict, region.districts.values);
  }
  if (rain.basins) return basinRain(rain.basins, region, grid, effects, basinDistrict);
  if (!rainGrids) throw InputError.single('$.forcing.rain.grids', 'were not loaded with the scenario', rain.grids?.files, 'the rain grid files, read beside the scenario');
  return gridRain(rain.grids!.periodS, rain.grids!.factor, rainGrids, checkRainGrids(rainGrids, rain.grids!.files, region), region, grid, effects, basinDistrict);
}

function basinRain(basins: NonNullable<Scenario['rain']['basins']>, region: RegionData, grid: StepGrid, effects: readonly RainInjectEffect[], basinDistrict: Map<string, string>): RainField {
  const problems: Problem[] = [];
  const known = new Set(region.manifest.reaches.map((r) => r.id));
  for (const id of Object.keys(basins.byBasin)) {
    if (!known.has(id)) problems.push({ path: `$.forcing.rain.basins.${id}`, message: 'is not a sub-basin of the region', value: id, expected: 'a reach id of region.json (each reach has one sub-basin)' });
  }
  const missing = region.manifest.reaches.filter((r) => r.local_area_km2 > 0 && !basins.byBasin[r.id]).map((r) => r.id);
  if (missing.length) {
    problems.push({ path: '$.forcing.rain.basins', message: `has no series for ${missing.length} sub-basin(s)`, value: missing.slice(0, 8).join(', ') + (missing.length > 8 ? ', …' : ''), expected: 'a series for every sub-basin with area' });
  }
  if (problems.length) throw new InputError(problems);
  const periods = (id: string) => basins.byBasin[id]?.length ?? 0;
  const byBasin = new Map<string, Float64Array>();
  for (const reach of region.manifest.reaches) {
    const series = basins.byBasin[reach.id];
    byBasin.set(reach.id, series
      ? depthsFromRates((p) => series[p], basins.periodS, periods(reach.id), grid, effects, basinDistrict.get(reach.id)!, 1)
      : new Float64Array(grid.steps));
  }
  // A district's rain is the area-weighted rain of the sub-basins it overlaps, with its own injects.
  const tallies = basinDistrictCells(region);
  const byDistrict = new Map<string, Float64Array>();
  region.manifest.districts.forEach((district, d) => {
    let cells = 0;
    const weighted = (period: number) => {
      let sum = 0;
      region.manifest.reaches.forEach((reach) => {
        const series = basins.byBasin[reach.id];
        if (series) sum += tallies[reach.index][d] * series[Math.min(series.length - 1, period)];
      });
      return sum;
    };
    region.manifest.reaches.forEach((reach) => { if (basins.byBasin[reach.id]) cells += tallies[reach.index][d]; });
    const longest = Math.max(...Object.values(basins.byBasin).map((s) => s.length));
    byDistrict.set(district.id, depthsFromRates((p) => (cells > 0 ? weighted(p) / cells : 0), basins.periodS, longest, grid, effects, district.id, 1));
  });
  const atItem = new Map<string, Float64Array>();
  for (const item of region.items) {
    const series = item.basin ? basins.byBasin[item.basin] : undefined;
    atItem.set(item.id, series ? depthsFromRates((p) => series[p], basins.periodS, series.length, grid, effects, item.area, 1) : byDistrict.get(item.area)!);
  }
  return new BasinRain(byDistrict, byBasin, atItem, basins.byBasin, region);
}

/** Areal rain: a cell takes its district's. */
class ArealRain implements RainField {
  constructor(
    readonly byDistrict: Map<string, Float64Array>, readonly byBasin: Map<string, Float64Array>, readonly atItem: Map<string, Float64Array>,
    private readonly ofDistrict: readonly Float64Array[], private readonly districtOfCell: ArrayLike<number>,
  ) {}

  atCell(i: number): Float64Array { return this.ofDistrict[this.districtOfCell[i]]; }
}

/** Rain per sub-basin: a cell takes its sub-basin's, or its district's outside every sub-basin with a series. */
class BasinRain implements RainField {
  constructor(
    readonly byDistrict: Map<string, Float64Array>, readonly byBasin: Map<string, Float64Array>, readonly atItem: Map<string, Float64Array>,
    private readonly given: Readonly<Record<string, ArrayLike<number>>>, private readonly region: RegionData,
  ) {}

  atCell(i: number): Float64Array {
    const { region } = this;
    const basin = region.basins.values[i];
    return basin >= 0 && this.given[region.manifest.reaches[basin].id] ? this.byBasin.get(region.manifest.reaches[basin].id)! : this.byDistrict.get(region.manifest.districts[region.districts.values[i]].id)!;
  }
}

/**
 * Rain grids must cover the region, share one geometry, and hold a rate (schema.ts's scenarioRainRate) wherever the
 * region needs one. Returns, for each region cell, the index of the rain cell its centre falls in.
 */
export function checkRainGrids(grids: readonly Grid[], files: readonly string[], region: RegionData): Int32Array {
  const problems: Problem[] = [];
  const { ncols, nrows, xllcorner, yllcorner, cellsize_m: size } = region.manifest.grid;
  const first = grids[0];
  const xMax = xllcorner + ncols * size; const yMax = yllcorner + nrows * size;
  const covers = (g: Grid) => g.xllcorner <= xllcorner + 1e-6 && g.yllcorner <= yllcorner + 1e-6 && g.xllcorner + g.ncols * g.cellsize >= xMax - 1e-6 && g.yllcorner + g.nrows * g.cellsize >= yMax - 1e-6;
  grids.forEach((g, k) => {
    const path = `$.forcing.rain.grids[${k}]`;
    if (k > 0 && (g.ncols !== first.ncols || g.nrows !== first.nrows || g.cellsize !== first.cellsize || g.xllcorner !== first.xllcorner || g.yllcorner !== first.yllcorner)) {
      problems.push({ path, message: `${files[k]} has a different grid from ${files[0]}`, value: `${g.ncols} × ${g.nrows} cells of ${g.cellsize} m at (${g.xllcorner}, ${g.yllcorner})`, expected: `${first.ncols} × ${first.nrows} cells of ${first.cellsize} m at (${first.xllcorner}, ${first.yllcorner}), as every rain grid` });
    } else if (!covers(g)) {
      problems.push({ path, message: `${files[k]} does not cover the region`, value: `x ${g.xllcorner}…${g.xllcorner + g.ncols * g.cellsize}, y ${g.yllcorner}…${g.yllcorner + g.nrows * g.cellsize}`, expected: `a grid covering x ${xllcorner}…${xMax}, y ${yllcorner}…${yMax} (region.json)` });
    }
  });
  if (problems.length) throw new InputError(problems);
  const rainCellOf = new Int32Array(ncols * nrows);
  const used = new Uint8Array(first.ncols * first.nrows);
  for (let r = 0; r < nrows; r++) {
    const y = yllcorner + (nrows - r - 0.5) * size;
    const rainRow = first.nrows - 1 - Math.floor((y - first.yllcorner) / first.cellsize);
    for (let c = 0; c < ncols; c++) {
      const x = xllcorner + (c + 0.5) * size;
      const cell = rainRow * first.ncols + Math.floor((x - first.xllcorner) / first.cellsize);
      rainCellOf[r * ncols + c] = cell;
      used[cell] = 1;
    }
  }
  grids.forEach((g, k) => {
    for (let cell = 0; cell < used.length && problems.length < 20; cell++) {
      const v = g.values[cell];
      if (!used[cell] || (v >= scenarioRainRate.min && v <= scenarioRainRate.max)) continue;
      problems.push({
        path: `$.forcing.rain.grids[${k}]`, message: `${files[k]} row ${Math.floor(cell / g.ncols) + 1}, column ${(cell % g.ncols) + 1} ${Number.isNaN(v) ? 'is NODATA inside the region' : 'is not a rain rate'}`,
        value: Number.isNaN(v) ? 'NODATA' : v, expected: `a rain rate of ${scenarioRainRate.min}–${scenarioRainRate.max} mm/h over the whole region`,
      });
    }
  });
  if (problems.length) throw new InputError(problems);
  return rainCellOf;
}

function gridRain(periodS: number, factor: number, grids: readonly Grid[], rainCellOf: Int32Array, region: RegionData, grid: StepGrid, effects: readonly RainInjectEffect[], basinDistrict: Map<string, string>): RainField {
  const { districts, basins } = region;
  const districtCount = region.manifest.districts.length;
  const basinCount = region.manifest.reaches.length;
  // Mean rate of every district and sub-basin in each period: one pass over the region per grid.
  const districtMean = grids.map(() => new Float64Array(districtCount));
  const basinMean = grids.map(() => new Float64Array(basinCount));
  const districtCells = new Float64Array(districtCount);
  const basinCells = new Float64Array(basinCount);
  for (let i = 0; i < rainCellOf.length; i++) {
    districtCells[districts.values[i]]++;
    if (basins.values[i] >= 0) basinCells[basins.values[i]]++;
  }
  grids.forEach((g, p) => {
    const dSum = districtMean[p]; const bSum = basinMean[p];
    for (let i = 0; i < rainCellOf.length; i++) {
      const rate = g.values[rainCellOf[i]];
      dSum[districts.values[i]] += rate;
      const basin = basins.values[i];
      if (basin >= 0) bSum[basin] += rate;
    }
    for (let d = 0; d < districtCount; d++) dSum[d] = districtCells[d] > 0 ? dSum[d] / districtCells[d] : 0;
    for (let b = 0; b < basinCount; b++) bSum[b] = basinCells[b] > 0 ? bSum[b] / basinCells[b] : 0;
  });
  const periods = grids.length;
  const byDistrict = new Map(region.manifest.districts.map((d, k) => [d.id, depthsFromRates((p) => districtMean[p][k], periodS, periods, grid, effects, d.id, factor)]));
  const byBasin = new Map(region.manifest.reaches.map((r) => [r.id, depthsFromRates((p) => basinMean[p][r.index], periodS, periods, grid, effects, basinDistrict.get(r.id)!, factor)]));
  const field = new GridRain(byDistrict, byBasin, new Map(), { periodS, factor, grids, rainCellOf, region, grid, effects });
  const districtIndex = new Map(region.manifest.districts.map((d, k) => [d.id, k]));
  for (const item of region.items) field.atItem.set(item.id, field.rainAt(cellOf(region, item.x_m, item.y_m), districtIndex.get(item.area)!));
  return field;
}

interface GridRainInputs { periodS: number; factor: number; grids: readonly Grid[]; rainCellOf: Int32Array; region: RegionData; grid: StepGrid; effects: readonly RainInjectEffect[] }

/** Rain grids: a cell takes its rain cell's rate with its district's injects. */
class GridRain implements RainField {
  /** By rain cell × districts + district: computed once per pair. */
  private readonly pointRain = new Map<number, Float64Array>();
  constructor(
    readonly byDistrict: Map<string, Float64Array>, readonly byBasin: Map<string, Float64Array>, readonly atItem: Map<string, Float64Array>,
    private readonly inputs: GridRainInputs,
  ) {}

  atCell(i: number): Float64Array { return this.rainAt(i, this.inputs.region.districts.values[i]); }

  rainAt(cell: number, districtIndex: number): Float64Array {
    const { periodS, factor, grids, rainCellOf, region, grid, effects } = this.inputs;
    const rainCell = rainCellOf[cell];
    const key = rainCell * region.manifest.districts.length + districtIndex;
    let depths = this.pointRain.get(key);
    if (!depths) this.pointRain.set(key, (depths = depthsFromRates((p) => grids[p].values[rainCell], periodS, grids.length, grid, effects, region.manifest.districts[districtIndex].id, factor)));
    return depths;
  }
}
