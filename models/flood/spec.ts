// The flood-routing inputs, declared once: validation, CLI docs and the web form read these.
import type { ParamSpec } from '../params.ts';

export const routeCaseParams = {
  dt_s: { kind: 'number', unit: 's', min: 0, exclusiveMin: true, max: 31 * 86400, description: 'Routing time step' },
  steps: {
    kind: 'number', unit: '1', min: 1, max: 1e6, integer: true, optional: true,
    description: 'Number of steps after t = 0 (default: longest inflow series − 1)',
  },
} satisfies ParamSpec;

export const muskingumReachParams = {
  K_s: {
    kind: 'number', unit: 's', min: 0, exclusiveMin: true, max: 365 * 86400,
    description: 'Storage constant K: the travel time of the flood wave through the reach',
  },
  X: {
    kind: 'number', unit: '1', min: 0, max: 0.5,
    description: 'Weighting factor X: 0 = linear reservoir, 0.5 = pure translation',
  },
  initial_outflow_m3_per_s: {
    kind: 'number', unit: 'm³/s', min: 0, optional: true,
    description: 'Outflow at t = 0 (default: steady state, equal to the inflow at t = 0)',
  },
} satisfies ParamSpec;

/** Muskingum–Cunge and kinematic-wave reaches: hydraulic geometry instead of K and X. */
export const channelReachParams = {
  length_m: { kind: 'number', unit: 'm', min: 0, exclusiveMin: true, max: 1e6, description: 'Reach length along the channel' },
  slope: { kind: 'number', unit: 'm/m', min: 0, exclusiveMin: true, max: 0.5, description: 'Bed slope S0 (drop per unit length)' },
  manning_n: { kind: 'number', unit: 's/m^(1/3)', min: 0.005, max: 0.5, description: "Manning's roughness n" },
  initial_outflow_m3_per_s: muskingumReachParams.initial_outflow_m3_per_s,
  reference_discharge_m3_per_s: {
    kind: 'number', unit: 'm³/s', min: 0, exclusiveMin: true, optional: true,
    description: 'Muskingum–Cunge only: evaluate C and D once at this discharge (constant parameters) instead of at every step',
  },
} satisfies ParamSpec;

export const SECTION_SHAPES = ['rectangular', 'trapezoid'] as const;

export const rectangularSectionParams = {
  width_m: { kind: 'number', unit: 'm', min: 0, exclusiveMin: true, max: 1e5, description: 'Channel width' },
} satisfies ParamSpec;

export const trapezoidSectionParams = {
  bottom_width_m: { kind: 'number', unit: 'm', min: 0, max: 1e5, description: 'Bottom width (0 = triangular)' },
  side_slope_h_per_v: { kind: 'number', unit: 'm/m', min: 0, max: 100, description: 'Bank slope, horizontal per unit vertical' },
} satisfies ParamSpec;

export const discharge = {
  kind: 'number', unit: 'm³/s', min: 0, description: 'Discharge',
} as const;

export const ROUTING_METHODS = ['muskingum', 'muskingum-cunge', 'kinematic-wave', 'diffusive-wave'] as const;
export const IMPLEMENTED_METHODS: readonly string[] = ['muskingum', 'muskingum-cunge', 'kinematic-wave'];
