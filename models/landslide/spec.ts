// The landslide inputs, declared once: validation, CLI docs and the web form read these.
import type { NumberParam, ParamSpec } from '../params.ts';

/**
 * The gentlest slope with an infinite-slope factor of safety: 1e-6° is a 1.7 mm drop over 100 km.
 * Below it sin δ and tan δ underflow (5e-324° gives exactly 0), and FS = 0/0 at the water table.
 * Grid cells below it are flat (NODATA, counted in the warnings); a single cell below it is refused.
 */
export const FLAT_SLOPE_DEG = 1e-6;

/** One cell (or one zone of a grid): the soil column and its hydraulic properties. */
export const cellParams = {
  slope_deg: {
    kind: 'number', unit: '°', min: FLAT_SLOPE_DEG, max: 90, exclusiveMax: true,
    description: 'Slope angle δ of the ground surface (the infinite slope)',
  },
  soil_depth_m: {
    kind: 'number', unit: 'm', min: 0, max: 1000, exclusiveMin: true,
    description: 'Vertical depth to the base of the soil (the impermeable base in finite-depth runs)',
  },
  water_table_depth_m: {
    kind: 'number', unit: 'm', min: 0, max: 1000,
    description: 'Vertical depth d of the initial water table; at most the soil depth',
  },
  cohesion_pa: { kind: 'number', unit: 'Pa', min: 0, max: 1e7, description: 'Effective cohesion c′' },
  friction_deg: {
    kind: 'number', unit: '°', min: 0, max: 90, exclusiveMin: true, exclusiveMax: true,
    description: 'Effective angle of internal friction φ′',
  },
  unit_weight_soil_n_per_m3: {
    kind: 'number', unit: 'N/m³', min: 1000, max: 50000, description: 'Unit weight of the soil γs',
  },
  ks_m_per_s: {
    kind: 'number', unit: 'm/s', min: 0, max: 1, exclusiveMin: true, description: 'Saturated hydraulic conductivity Ks',
  },
  diffusivity_m2_per_s: {
    kind: 'number', unit: 'm²/s', min: 0, max: 10, exclusiveMin: true, description: 'Saturated hydraulic diffusivity D₀',
  },
  background_infiltration_m_per_s: {
    kind: 'number', unit: 'm/s', min: 0, max: 1, default: 0,
    description: 'Steady background infiltration I_ZLT that set the initial water table (β = cos²δ − I_ZLT/Ks)',
  },
} satisfies ParamSpec;

export type CellParamName = keyof typeof cellParams;
export const CELL_PARAM_NAMES = Object.keys(cellParams) as CellParamName[];

export const caseParams = {
  unit_weight_water_n_per_m3: {
    kind: 'number', unit: 'N/m³', min: 9000, max: 11000, default: 9810, description: 'Unit weight of water γw',
  },
} satisfies ParamSpec;

export const rainParams = {
  period_s: { kind: 'number', unit: 's', min: 0, max: 366 * 86400, exclusiveMin: true, description: 'Length of each rain period' },
} satisfies ParamSpec;

export const rainRateMetresPerSecond: NumberParam = { kind: 'number', unit: 'm/s', min: 0, max: 0.01, description: 'Rain intensity' };
export const rainRateMillimetresPerHour: NumberParam = { kind: 'number', unit: 'mm/h', min: 0, max: 36000, description: 'Rain intensity' };
export const outputTime: NumberParam = { kind: 'number', unit: 's', min: 0, max: 10 * 366 * 86400, description: 'Output time after the rain starts' };
export const depth: NumberParam = { kind: 'number', unit: 'm', min: 0, max: 1000, exclusiveMin: true, description: 'Vertical depth below the surface' };

export const BASAL_BOUNDARIES = ['infinite', 'finite'] as const;
export const DEFAULT_DEPTH_COUNT = 20;
/** More output numbers than this per run is a mistake, not a request (a single-cell case prints them all). */
export const MAX_PROFILE_VALUES = 5_000_000;
