// A landslide cell as the kernel reads it: the user's SI properties packed into the coefficients of
// assembly/landslide/layout.ts (CELL_*), and the setup and result of one run. Host code: the plain-TS
// twin of the kernel (./reference.ts) runs on the same records.
import { dmath } from '../dmath.ts';
import { CELL_BETA, CELL_COHESION, CELL_FOUR_D1, CELL_FRICTION_RATIO, CELL_KS, CELL_SOIL_DEPTH, CELL_STRIDE, CELL_WATER_FRICTION, CELL_WATER_TABLE, CELL_WEIGHT_SHEAR } from '../../assembly/landslide/layout.ts';

/** One cell in SI units (angles in degrees, as the user gives them). */
export interface CellProperties {
  slope_deg: number;
  soil_depth_m: number;
  water_table_depth_m: number;
  cohesion_pa: number;
  friction_deg: number;
  unit_weight_soil_n_per_m3: number;
  ks_m_per_s: number;
  diffusivity_m2_per_s: number;
  background_infiltration_m_per_s: number;
}

const RAD = Math.PI / 180;

/** Writes one cell's kernel coefficients at `offset`; any NaN input makes the cell NODATA. */
export function packCell(cell: CellProperties, unitWeightWater: number, into: Float64Array, offset: number): void {
  const delta = cell.slope_deg * RAD;
  const phi = cell.friction_deg * RAD;
  // Host-side trig from the kernels: V8's Math.cos differs between Node and the browser.
  const cosDelta = dmath.cos(delta);
  const sinDelta = dmath.sin(delta);
  const cos2 = cosDelta * cosDelta;
  const tanPhi = dmath.tan(phi);
  into[offset + CELL_SOIL_DEPTH] = cell.soil_depth_m;
  into[offset + CELL_WATER_TABLE] = cell.water_table_depth_m;
  into[offset + CELL_BETA] = cos2 - cell.background_infiltration_m_per_s / cell.ks_m_per_s;
  into[offset + CELL_FOUR_D1] = 4 * cell.diffusivity_m2_per_s / cos2;
  into[offset + CELL_KS] = cell.ks_m_per_s;
  into[offset + CELL_FRICTION_RATIO] = tanPhi / dmath.tan(delta);
  into[offset + CELL_COHESION] = cell.cohesion_pa;
  into[offset + CELL_WATER_FRICTION] = unitWeightWater * tanPhi;
  into[offset + CELL_WEIGHT_SHEAR] = cell.unit_weight_soil_n_per_m3 * sinDelta * cosDelta;
}

export function packCells(cells: CellProperties[], unitWeightWater: number): Float64Array {
  const packed = new Float64Array(cells.length * CELL_STRIDE);
  cells.forEach((cell, c) => packCell(cell, unitWeightWater, packed, c * CELL_STRIDE));
  return packed;
}

/** Everything a run needs besides the cells. */
export interface RunSetup {
  basal: number;
  /** Period start times t_0 = 0 … t_P (the end of the last period), s. */
  boundaries: Float64Array;
  /** Rain per period, m/s: one series for all cells, or (rainPerCell) cell after cell. */
  intensity: Float64Array;
  rainPerCell?: boolean;
  times: Float64Array;
  depths: Float64Array;
  depthsAreFractions: boolean;
  /** Also return ψ and FS at every depth (single cells, pressure-head grids). */
  profiles: boolean;
  /** Uniform periods and output times on multiples of them: evaluate per lag and convolve. */
  lagged?: { period: number; timeSteps: Int32Array };
}

export interface RunResult {
  fsMin: Float64Array;
  zAtFsMin: Float64Array;
  pressureHead?: Float64Array;
  fsAtDepth?: Float64Array;
  firstFailure: Float64Array;
  nonFiniteCount: number;
  noDataCells: number;
  maxImageTerms: number;
}
