// The wildfire inputs, declared once: validation, CLI docs and the web form read these.
import type { NumberParam, ParamSpec } from '../params.ts';

export const moistureParams = {
  d1h: { kind: 'number', unit: '%', min: 1, max: 100, description: '1-h dead fuel moisture' },
  d10h: { kind: 'number', unit: '%', min: 1, max: 100, description: '10-h dead fuel moisture' },
  d100h: { kind: 'number', unit: '%', min: 1, max: 100, description: '100-h dead fuel moisture' },
  live_herb: {
    kind: 'number', unit: '%', min: 0, max: 500,
    description: 'Live herbaceous moisture (dynamic models: < 30 % fully cured, > 120 % fully green)',
  },
  live_woody: { kind: 'number', unit: '%', min: 0, max: 500, description: 'Live woody moisture' },
} satisfies ParamSpec;

export const behaviorCaseParams = {
  midflame_wind_m_per_s: { kind: 'number', unit: 'm/s', min: 0, max: 50, description: 'Midflame wind speed' },
  wind_from_deg: { kind: 'number', unit: '°', min: 0, max: 360, default: 0, description: 'Where the wind blows from, clockwise from north' },
  slope_percent: { kind: 'number', unit: '%', min: 0, max: 400, default: 0, description: 'Slope steepness (rise/run × 100)' },
  aspect_deg: { kind: 'number', unit: '°', min: 0, max: 360, default: 0, description: 'Direction the slope faces (downslope), clockwise from north' },
} satisfies ParamSpec;

/** A custom fuel model, in the columns and English units of the published tables (fuel_models.csv). */
export const customFuelParams = {
  number: { kind: 'number', unit: '1', min: 1, max: 1e6, integer: true, optional: true, description: 'Fuel model number (for fuel grids)' },
  depth_ft: { kind: 'number', unit: 'ft', min: 0, exclusiveMin: true, max: 100, description: 'Fuel bed depth' },
  mx_dead: { kind: 'number', unit: '1', min: 0, exclusiveMin: true, max: 1, description: 'Dead moisture of extinction (fraction)' },
  heat_dead_btu_lb: { kind: 'number', unit: 'Btu/lb', min: 1000, max: 20000, default: 8000, description: 'Dead heat content' },
  heat_live_btu_lb: { kind: 'number', unit: 'Btu/lb', min: 1000, max: 20000, default: 8000, description: 'Live heat content' },
  load_1h_lb_ft2: { kind: 'number', unit: 'lb/ft²', min: 0, max: 10, default: 0, description: '1-h dead load' },
  load_10h_lb_ft2: { kind: 'number', unit: 'lb/ft²', min: 0, max: 10, default: 0, description: '10-h dead load' },
  load_100h_lb_ft2: { kind: 'number', unit: 'lb/ft²', min: 0, max: 10, default: 0, description: '100-h dead load' },
  load_herb_lb_ft2: { kind: 'number', unit: 'lb/ft²', min: 0, max: 10, default: 0, description: 'Live herbaceous load' },
  load_woody_lb_ft2: { kind: 'number', unit: 'lb/ft²', min: 0, max: 10, default: 0, description: 'Live woody load' },
  sav_1h_ft: { kind: 'number', unit: '1/ft', min: 16, max: 10000, description: '1-h surface-area-to-volume ratio' },
  sav_herb_ft: { kind: 'number', unit: '1/ft', min: 16, max: 10000, default: 1500, description: 'Herbaceous SAV' },
  sav_woody_ft: { kind: 'number', unit: '1/ft', min: 16, max: 10000, default: 1500, description: 'Woody SAV' },
} satisfies ParamSpec;

export const windLimitDescription = 'Apply Rothermel’s wind limit (0.9 × reaction intensity); off by default, as in behave since 2025 (Andrews, Cruz & Rothermel 2013)';

export const spreadGridParams = {
  ncols: { kind: 'number', unit: '1', min: 1, max: 16384, integer: true, description: 'Columns' },
  nrows: { kind: 'number', unit: '1', min: 1, max: 16384, integer: true, description: 'Rows' },
  cellsize_m: { kind: 'number', unit: 'm', min: 0, exclusiveMin: true, max: 10000, description: 'Cell size' },
  xllcorner: { kind: 'number', unit: 'm', default: 0, description: 'Western edge' },
  yllcorner: { kind: 'number', unit: 'm', default: 0, description: 'Southern edge' },
} satisfies ParamSpec;

export const spreadCaseParams = {
  duration_s: { kind: 'number', unit: 's', min: 0, exclusiveMin: true, max: 30 * 86400, description: 'Simulated time after t = 0' },
} satisfies ParamSpec;

export const slopeDeg: NumberParam = { kind: 'number', unit: '°', min: 0, max: 89, description: 'Slope' };
export const aspectDeg: NumberParam = { kind: 'number', unit: '°', min: 0, max: 360, description: 'Aspect (downslope direction), clockwise from north' };
export const elevationM: NumberParam = { kind: 'number', unit: 'm', min: -500, max: 9000, description: 'Elevation' };
export const windSpeed: NumberParam = { kind: 'number', unit: 'm/s', min: 0, max: 50, description: 'Midflame wind speed' };
export const windFrom: NumberParam = { kind: 'number', unit: '°', min: 0, max: 360, description: 'Where the wind blows from, clockwise from north' };
export const timeS: NumberParam = { kind: 'number', unit: 's', min: 0, max: 30 * 86400, description: 'Time' };
export const coordinate: NumberParam = { kind: 'number', unit: 'm', description: 'Coordinate' };
