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

export const discharge = {
  kind: 'number', unit: 'm³/s', min: 0, description: 'Discharge',
} as const;

export const ROUTING_METHODS = ['muskingum', 'muskingum-cunge', 'kinematic-wave', 'diffusive-wave'] as const;
export const IMPLEMENTED_METHODS: readonly string[] = ['muskingum'];
