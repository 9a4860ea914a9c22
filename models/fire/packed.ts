// What the fire kernels (assembly/fire/) and their plain-TS twins (./reference.ts) exchange with the
// host: the packed landscape of a spread run, its result, and the order of the behaviour record.
import type { Stencil } from './stencil.ts';

/** The kernel's result record, in order (SI). */
export const OUTPUT_FIELDS = [
  'ros_head_m_per_s', 'ros_backing_m_per_s', 'ros_flanking_m_per_s', 'fireline_intensity_kw_per_m',
  'flame_length_m', 'length_to_width', 'heading_from_upslope_deg', 'reaction_intensity_kw_per_m2',
  'heat_per_area_kj_per_m2', 'residence_time_s', 'effective_wind_m_per_s', 'eccentricity',
] as const;

export interface PackedSpread {
  nrows: number;
  ncols: number;
  cellsize: number;
  /** Bed of each cell, −1 where nothing burns (non-burnable fuel, NODATA, barriers). */
  bedIndex: Int32Array;
  beds: Float64Array;
  /** Slope factor φs times the unit upslope vector (east, north), per cell. */
  slopeX: Float32Array;
  slopeY: Float32Array;
  windT: Float64Array;
  /** Midflame wind of each period, m/s. */
  windMidflameMPerS: Float64Array;
  /** Unit vector the wind blows toward (east, north). */
  windX: Float64Array;
  windY: Float64Array;
  windLimit: boolean;
  stencil: Stencil;
  ignitionCell: Int32Array;
  ignitionT: Float64Array;
  duration: number;
}

export interface SpreadRun {
  arrival: Float64Array;
  /** Head rate of spread of each cell at its arrival time, m/s; 0 where not burned. */
  head: Float32Array;
  popped: number;
  lastTime: number;
  nonFinite: number;
}
