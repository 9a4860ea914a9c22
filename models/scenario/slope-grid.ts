// Rain → slope stability over the whole region, not only at the monitored slopes: the `landslide
// fs` grid form on a coarsened terrain (blocks of 5 × 5 cells, 100 m for the demo region), steep
// blocks only (mean slope ≥ 15°: gentler ground does not fail as shallow landslides), soil drawn
// per block from the same table as the monitored slopes, and each block's own rain per hour.
// Gives the map and `run --out` where and when FS falls below 1.
import type { Engine } from '../engine.ts';
import type { Grid } from '../grid/ascii.ts';
import type { GridOutput } from '../landslide/grid.ts';
import { gridCaseFromArrays, type GridArrays } from '../landslide/grid-typed.ts';
import { fillSeededRandom } from '../random.ts';
import type { StepGrid } from './forcing.ts';
import { rainAtCells, type RainField } from './rain-field.ts';
import type { RegionData } from './region.ts';
import { perRegion } from './region-memo.ts';
import { MAX_MODEL_SLOPE_DEG, soilFromDraws, UNIFORM_SOIL, type BasalBoundary } from './slope-coupling.ts';

export const SLOPE_GRID_BLOCK = 5;
export const SLOPE_GRID_MIN_SLOPE_DEG = 15;

export interface SlopeGridRun {
  /** Lowest FS of each block over the run (NaN: not steep, never evaluated). */
  fsMin: Grid;
  /** When FS first fell below 1, s (NaN: never). */
  firstBelow1S: Grid;
  /** Blocks with FS < 1 at each hour's end. */
  cellsBelow1: number[];
  cells: number;
  /** What the grid run could not honour exactly: the model's own warnings and blocks run at 60°. */
  warnings: string[];
}

/** The steep blocks of a region's coarse grid: the same for every run on that terrain. */
interface SlopeBlocks {
  cols: number;
  rows: number;
  /** Mean slope of each steep block (capped at 60°, 2 decimals), NaN elsewhere. */
  slope: Float64Array;
  /** The steep blocks, row-major (the order their soil is drawn in), and each one's centre cell. */
  steep: Int32Array;
  centre: Int32Array;
  /** How many steep blocks are steeper on average than the model takes (run at its ceiling). */
  clamped: number;
}

function findSlopeBlocks(region: RegionData, slopeDeg: Float64Array): SlopeBlocks {
  const { ncols, nrows } = region.manifest.grid;
  const B = SLOPE_GRID_BLOCK;
  const cols = Math.floor(ncols / B); const rows = Math.floor(nrows / B);
  const slope = new Float64Array(cols * rows).fill(NaN);
  const steep: number[] = []; const centre: number[] = [];
  let clamped = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let dr = 0; dr < B; dr++) for (let dc = 0; dc < B; dc++) sum += slopeDeg[(r * B + dr) * ncols + c * B + dc];
      const mean = sum / (B * B);
      if (!(mean >= SLOPE_GRID_MIN_SLOPE_DEG)) continue;
      const k = r * cols + c;
      if (mean > MAX_MODEL_SLOPE_DEG) clamped++;
      slope[k] = Number(Math.min(MAX_MODEL_SLOPE_DEG, mean).toFixed(2));
      steep.push(k);
      centre.push((r * B + (B >> 1)) * ncols + c * B + (B >> 1));
    }
  }
  return { cols, rows, slope, steep: Int32Array.from(steep), centre: Int32Array.from(centre), clamped };
}

/**
 * Each hour's rain (mm) of `depths` (mm per step) into `hourly[h][k]`. A leaf over typed arrays,
 * called once per steep block: its optimised code stays valid from one run to the next.
 */
function addHourlyRain(depths: Float64Array, stepsPerHour: number, hourly: Float64Array[], k: number): void {
  for (let h = 0; h < hourly.length; h++) {
    let mm = 0;
    for (let j = h * stepsPerHour; j < (h + 1) * stepsPerHour; j++) mm += depths[j];
    hourly[h][k] = mm;
  }
}

const SOIL_DRAWS = 5;

/** Each steep block's soil from its five draws, into one array per soil field (a leaf over typed arrays). */
function drawBlockSoil(slope: Float64Array, steep: Int32Array, draws: Float64Array, depth: Float64Array, waterTable: Float64Array, cohesion: Float64Array, friction: Float64Array, ks: Float64Array): void {
  for (let s = 0; s < steep.length; s++) {
    const k = steep[s];
    const o = s * SOIL_DRAWS;
    const soil = soilFromDraws(slope[k], draws[o], draws[o + 1], draws[o + 2], draws[o + 3], draws[o + 4]);
    depth[k] = soil.soil_depth_m; waterTable[k] = soil.water_table_depth_m; cohesion[k] = soil.cohesion_pa;
    friction[k] = soil.friction_deg; ks[k] = soil.ks_m_per_s;
  }
}

/** Where the hourly rain grids go: `hours` grids of `cells` blocks, zero outside the steep blocks. */
type HourlyGrids = (hours: number, cells: number, steep: Int32Array) => Float64Array[];

const freshHourlyGrids: HourlyGrids = (hours, cells) => Array.from({ length: hours }, () => new Float64Array(cells));

/**
 * One set of hourly rain grids for every run of this thread: they live only until
 * gridCaseFromArrays has packed them, synchronously, so no two runs can hold them at once. Each
 * run rewrites every steep block, so only another region's set of steep blocks needs a clean set.
 */
const scratch: { grids: Float64Array[]; steep?: Int32Array } = { grids: [] };
const reusedHourlyGrids: HourlyGrids = (hours, cells, steep) => {
  if (scratch.grids.length > 0 && scratch.grids[0].length !== cells) scratch.grids = [];
  if (scratch.steep !== steep) for (const g of scratch.grids) g.fill(0);
  scratch.steep = steep;
  while (scratch.grids.length < hours) scratch.grids.push(new Float64Array(cells));
  return scratch.grids.length === hours ? scratch.grids : scratch.grids.slice(0, hours);
};

/** The grid case's values, per block, as the typed builder (models/landslide/grid-typed.ts) takes them. */
export function slopeGridCase(region: RegionData, slopeDeg: Float64Array, rain: RainField, grid: StepGrid, seed: number, basalBoundary: BasalBoundary = 'finite', hourlyGrids: HourlyGrids = freshHourlyGrids) {
  const { nrows, xllcorner, yllcorner, cellsize_m: size } = region.manifest.grid;
  const B = SLOPE_GRID_BLOCK;
  const { cols, rows, slope, steep, centre, clamped } = perRegion(slopeDeg, 'slopeBlocks', () => findSlopeBlocks(region, slopeDeg));
  // The coarse grid keeps the region's north-west corner; the last partial blocks are dropped.
  const geometry = { ncols: cols, nrows: rows, xllcorner, yllcorner: yllcorner + (nrows - rows * B) * size, cellsize: size * B, nodata: -9999 };
  const blank = () => new Float64Array(cols * rows).fill(NaN);
  const soil = { soil_depth_m: blank(), water_table_depth_m: blank(), cohesion_pa: blank(), friction_deg: blank(), ks_m_per_s: blank() };
  const stepsPerHour = 3600 / grid.stepS;
  const hours = Math.floor(grid.steps / stepsPerHour);
  const rainGrids = hourlyGrids(hours, cols * rows, steep);
  // Five draws per steep block in block order: the stream slopeSoil would take from seededRandom.
  const draws = new Float64Array(steep.length * SOIL_DRAWS);
  fillSeededRandom(seed + 0x5107e, draws);
  drawBlockSoil(slope, steep, draws, soil.soil_depth_m, soil.water_table_depth_m, soil.cohesion_pa, soil.friction_deg, soil.ks_m_per_s);
  const depths = rainAtCells(rain, centre);
  for (let s = 0; s < steep.length; s++) addHourlyRain(depths[s], stepsPerHour, rainGrids, steep[s]);
  const inputs: GridArrays = {
    geometry,
    cells: {
      // A copy: the blocks' slopes are shared by every run on the region. The soil fields no draw
      // changes are constants, no longer read per run off a soil drawn from a stand-in closure.
      slope_deg: slope.slice(), soil_depth_m: soil.soil_depth_m, water_table_depth_m: soil.water_table_depth_m,
      cohesion_pa: soil.cohesion_pa, friction_deg: soil.friction_deg, ks_m_per_s: soil.ks_m_per_s,
      unit_weight_soil_n_per_m3: UNIFORM_SOIL.unit_weight_soil_n_per_m3, diffusivity_m2_per_s: UNIFORM_SOIL.diffusivity_m2_per_s,
      background_infiltration_m_per_s: UNIFORM_SOIL.background_infiltration_m_per_s,
    },
    rain: { periodS: 3600, mmPerHour: rainGrids },
    outputTimesS: Array.from({ length: hours }, (_, h) => (h + 1) * 3600),
    basalBoundary,
    // The run keeps each block's lowest FS and first failure, not a grid per hour.
    summaryOnly: true,
  };
  return { inputs, geometry, clamped };
}

/**
 * The packed rain (24 MB for a 72-hour run on the demo region), lent to one run at a time: unlike
 * the hourly grids it lives until the engine has run the case, across an await, so a run that
 * starts meanwhile finds none to borrow and packs into a new array.
 */
let spareIntensity: Float64Array | undefined;

export async function runSlopeGrid(
  engine: Engine, region: RegionData, slopeDeg: Float64Array, rain: RainField, grid: StepGrid, seed: number, basalBoundary: BasalBoundary = 'finite',
): Promise<SlopeGridRun | undefined> {
  // Hourly rain needs whole hours of steps.
  if (3600 % grid.stepS !== 0 || grid.steps * grid.stepS < 3600) return undefined;
  const { inputs, geometry, clamped } = slopeGridCase(region, slopeDeg, rain, grid, seed, basalBoundary, reusedHourlyGrids);
  const lent = spareIntensity;
  spareIntensity = undefined;
  const gridCase = gridCaseFromArrays({ ...inputs, intensityInto: lent });
  let output: GridOutput;
  try {
    output = await engine.landslideGridCase(gridCase);
  } finally {
    // The engine has run the case (or cloned it to its worker) and keeps none of it.
    spareIntensity = gridCase.setup.intensity;
  }
  const fsMin = output.lowestFs!.values;
  const cellsBelow1: number[] = [];
  for (const time of output.times) cellsBelow1.push(time.cells_fs_below_1);
  return {
    // Every key spelt out (no spread): one object shape at every run.
    fsMin: { ncols: geometry.ncols, nrows: geometry.nrows, xllcorner: geometry.xllcorner, yllcorner: geometry.yllcorner, cellsize: geometry.cellsize, nodata: geometry.nodata, values: fsMin },
    firstBelow1S: output.grids['first_fs_below_1_t_s.asc'],
    cellsBelow1,
    cells: output.grid.cells - output.grid.nodata_cells,
    warnings: [
      ...output.warnings,
      ...(clamped ? [`${clamped} blocks steeper than ${MAX_MODEL_SLOPE_DEG}° on average were run at ${MAX_MODEL_SLOPE_DEG}°, the steepest the model takes`] : []),
    ],
  };
}
