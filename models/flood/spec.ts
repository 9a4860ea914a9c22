// The flood-routing inputs, declared once: validation, CLI docs and the web form read these.
import type { ParamSpec } from '../params.ts';

/**
 * The largest discharge any input may carry: ten times the largest flood ever gauged (the Amazon,
 * ~3.7e5 m³/s) and about the Missoula megaflood. Finite but absurd values (1e308) would overflow
 * the balance sums to Infinity and end in NumericalError instead of an input error.
 */
export const MAX_DISCHARGE_M3_PER_S = 1e7;

export const routeCaseParams = {
  // A routing step under a second, or a reach or channel narrower than a centimetre, is a typo, and
  // denormal values (5e-324) passed '> 0' and ended in non-finite outflows (NumericalError, exit 1).
  dt_s: { kind: 'number', unit: 's', min: 1, max: 31 * 86400, description: 'Routing time step' },
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
    kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, optional: true,
    description: 'Outflow at t = 0 (default: steady state, equal to the inflow at t = 0)',
  },
} satisfies ParamSpec;

/** Muskingum–Cunge and kinematic-wave reaches: hydraulic geometry instead of K and X. */
export const channelReachParams = {
  length_m: { kind: 'number', unit: 'm', min: 1, max: 1e6, description: 'Reach length along the channel' },
  // 1e-6 is 1 mm per km, flatter than any river's bed (the lower Amazon falls ~2e-5); at 1e-91 the
  // Manning depth overflows and the balance breaks (NumericalError) instead of an input error.
  slope: { kind: 'number', unit: 'm/m', min: 1e-6, max: 0.5, description: 'Bed slope S0 (drop per unit length)' },
  manning_n: { kind: 'number', unit: 's/m^(1/3)', min: 0.005, max: 0.5, description: "Manning's roughness n" },
  initial_outflow_m3_per_s: muskingumReachParams.initial_outflow_m3_per_s,
  reference_discharge_m3_per_s: {
    kind: 'number', unit: 'm³/s', min: 0, exclusiveMin: true, max: MAX_DISCHARGE_M3_PER_S, optional: true,
    description: 'Muskingum–Cunge: evaluate C and D once at this discharge (constant parameters) instead of at every step; diffusive-wave: the discharge c and D are taken at (default: midway between the lowest and highest flow the reach can see)',
  },
} satisfies ParamSpec;

export const SECTION_SHAPES = ['rectangular', 'trapezoid'] as const;

/** The narrowest channel width (and, per metre of depth, the gentlest bank) a section may have. */
export const MIN_CHANNEL_WIDTH_M = 0.01;
export const MIN_SIDE_SLOPE_H_PER_V = 0.01;

export const rectangularSectionParams = {
  width_m: { kind: 'number', unit: 'm', min: MIN_CHANNEL_WIDTH_M, max: 1e5, description: 'Channel width' },
} satisfies ParamSpec;

export const trapezoidSectionParams = {
  bottom_width_m: { kind: 'number', unit: 'm', min: 0, max: 1e5, description: 'Bottom width (0 = triangular)' },
  side_slope_h_per_v: { kind: 'number', unit: 'm/m', min: 0, max: 100, description: 'Bank slope, horizontal per unit vertical' },
} satisfies ParamSpec;

export const discharge = {
  kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, description: 'Discharge',
} as const;

export const ROUTING_METHODS = ['muskingum', 'muskingum-cunge', 'kinematic-wave', 'diffusive-wave'] as const;
export const IMPLEMENTED_METHODS: readonly string[] = ['muskingum', 'muskingum-cunge', 'kinematic-wave', 'diffusive-wave'];

// ── Rainfall–runoff (`flood runoff`, and `basins` in a route case) ──

export const runoffCaseParams = {
  dt_s: { kind: 'number', unit: 's', min: 60, max: 86400, description: 'Time step of the rain and evaporation series' },
} satisfies ParamSpec;

export const basinParams = {
  area_km2: { kind: 'number', unit: 'km²', min: 0, exclusiveMin: true, max: 1e6, description: 'Sub-basin area' },
} satisfies ParamSpec;

/** Xinanjiang (Zhao 1992). KI, KG, CI, CG are daily values, as published; converted to dt_s. */
export const xinanjiangParams = {
  K: { kind: 'number', unit: '1', min: 0, exclusiveMin: true, max: 2, description: 'Ratio of potential evapotranspiration to the given evaporation' },
  B: { kind: 'number', unit: '1', min: 0, max: 3, description: 'Exponent of the tension-water capacity curve' },
  IM: { kind: 'number', unit: '1', min: 0, max: 1, exclusiveMax: true, description: 'Impervious fraction of the basin' },
  UM_mm: { kind: 'number', unit: 'mm', min: 0, max: 500, description: 'Upper-layer tension-water capacity' },
  LM_mm: { kind: 'number', unit: 'mm', min: 0, max: 1000, description: 'Lower-layer tension-water capacity' },
  DM_mm: { kind: 'number', unit: 'mm', min: 0, max: 1000, description: 'Deep-layer tension-water capacity' },
  C: { kind: 'number', unit: '1', min: 0, max: 1, description: 'Deep-layer evapotranspiration coefficient' },
  SM_mm: { kind: 'number', unit: 'mm', min: 0, exclusiveMin: true, max: 500, description: 'Areal mean free-water capacity' },
  EX: { kind: 'number', unit: '1', min: 0, max: 5, description: 'Exponent of the free-water capacity curve' },
  KI: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily outflow coefficient of free water to interflow' },
  KG: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily outflow coefficient of free water to groundwater' },
  CI: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily recession constant of interflow storage' },
  CG: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily recession constant of groundwater storage' },
} satisfies ParamSpec;

export const xinanjiangInitialParams = {
  WU_mm: { kind: 'number', unit: 'mm', min: 0, optional: true, description: 'Upper-layer tension water at t = 0 (default 60 % of UM_mm)' },
  WL_mm: { kind: 'number', unit: 'mm', min: 0, optional: true, description: 'Lower-layer tension water at t = 0 (default 60 % of LM_mm)' },
  WD_mm: { kind: 'number', unit: 'mm', min: 0, optional: true, description: 'Deep-layer tension water at t = 0 (default 60 % of DM_mm)' },
  S_mm: { kind: 'number', unit: 'mm', min: 0, default: 0, description: 'Free water on the runoff-producing area at t = 0' },
  FR: { kind: 'number', unit: '1', min: 0, max: 1, default: 0, description: 'Runoff-producing area fraction at t = 0' },
  interflow_m3_per_s: { kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, default: 0, description: 'Interflow at the outlet at t = 0' },
  groundwater_m3_per_s: { kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, default: 0, description: 'Groundwater flow at the outlet at t = 0' },
} satisfies ParamSpec;

export const scsParams = {
  CN: { kind: 'number', unit: '1', min: 1, max: 100, description: 'SCS curve number' },
  initial_abstraction_ratio: { kind: 'number', unit: '1', min: 0, max: 1, default: 0.2, description: 'Ia / S (0.2 in TR-55)' },
  baseflow_m3_per_s: { kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, default: 0, description: 'Constant baseflow added at the outlet' },
} satisfies ParamSpec;

export const linearReservoirRoutingParams = {
  CS: { kind: 'number', unit: '1', min: 0, max: 1, exclusiveMax: true, description: 'Recession constant of the surface-runoff reservoir, per step' },
  lag_steps: { kind: 'number', unit: 'steps', min: 0, max: 1000, integer: true, default: 0, description: 'Lag L before surface runoff enters the reservoir' },
} satisfies ParamSpec;

export const depthPerStep = { kind: 'number', unit: 'mm', min: 0, max: 1000, description: 'Depth per step' } as const;
