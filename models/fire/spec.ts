// The wildfire inputs and outputs, declared once: validation, CLI help, docs and the web form read these.
import type { CommandContract, DeclaredParam, OutputSpec, ParamSpec } from '../params.ts';

/**
 * The strongest wind any input may carry, at 10 m or at midflame: 60 m/s is a super typhoon
 * (超强台风, ≥ 51 m/s) at 10 m. Midflame wind is 10-m wind times an adjustment factor ≤ 1, so one
 * ceiling on the whole path (scenario forcing, what-if factor, fire case, kernel) means a wind the
 * scenario accepts is never refused by the fire model it feeds.
 */
export const MAX_WIND_M_PER_S = 60;

/** Projected coordinates: any real CRS spans less than ±4·10⁷ m; beyond ±10⁸ m is a unit mistake. */
export const MAX_COORDINATE_M = 1e8;

export const moistureParams = {
  d1h: { kind: 'number', unit: '%', min: 1, max: 100, description: '1-h dead fuel moisture', label: { en: '1-h dead fuel moisture', zh: '1小时时滞死可燃物含水率' } },
  d10h: { kind: 'number', unit: '%', min: 1, max: 100, description: '10-h dead fuel moisture', label: { en: '10-h dead fuel moisture', zh: '10小时时滞死可燃物含水率' } },
  d100h: { kind: 'number', unit: '%', min: 1, max: 100, description: '100-h dead fuel moisture', label: { en: '100-h dead fuel moisture', zh: '100小时时滞死可燃物含水率' } },
  live_herb: {
    kind: 'number', unit: '%', min: 0, max: 500,
    description: 'Live herbaceous moisture (dynamic models: < 30 % fully cured, > 120 % fully green)',
    label: { en: 'Live herbaceous moisture', zh: '活草本可燃物含水率' },
  },
  live_woody: { kind: 'number', unit: '%', min: 0, max: 500, description: 'Live woody moisture', label: { en: 'Live woody moisture', zh: '活木本可燃物含水率' } },
} satisfies ParamSpec;

export const midflameWind: DeclaredParam = {
  kind: 'number', unit: 'm/s', min: 0, max: MAX_WIND_M_PER_S, description: 'Midflame wind speed',
  label: { en: 'Midflame wind speed', zh: '中焰风速' },
};
export const windFrom: DeclaredParam = {
  kind: 'number', unit: '°', min: 0, max: 360, description: 'Where the wind blows from, clockwise from north',
  label: { en: 'Wind from', zh: '风向（来向）' },
};

export const behaviorCaseParams = {
  midflame_wind_m_per_s: midflameWind,
  wind_from_deg: { ...windFrom, default: 0 },
  slope_percent: { kind: 'number', unit: '%', min: 0, max: 400, default: 0, description: 'Slope steepness (rise/run × 100)', label: { en: 'Slope', zh: '坡度（百分比）' } },
  aspect_deg: { kind: 'number', unit: '°', min: 0, max: 360, default: 0, description: 'Direction the slope faces (downslope), clockwise from north', label: { en: 'Aspect', zh: '坡向' } },
} satisfies ParamSpec;

const load = (en: string, zh: string): DeclaredParam => ({ kind: 'number', unit: 'lb/ft²', min: 0, max: 10, default: 0, description: en, label: { en, zh } });
const sav = (en: string, zh: string, extra: Partial<DeclaredParam> = {}): DeclaredParam => ({ kind: 'number', unit: '1/ft', min: 16, max: 10000, description: en, label: { en, zh }, ...extra });
const heat = (en: string, zh: string): DeclaredParam => ({ kind: 'number', unit: 'Btu/lb', min: 1000, max: 20000, default: 8000, description: en, label: { en, zh } });

/** A custom fuel model, in the columns and English units of the published tables (fuel_models.csv). */
export const customFuelParams = {
  number: { kind: 'number', unit: '1', min: 1, max: 1e6, integer: true, optional: true, description: 'Fuel model number (for fuel grids)', label: { en: 'Fuel model number', zh: '可燃物模型编号' } },
  depth_ft: { kind: 'number', unit: 'ft', min: 0, exclusiveMin: true, max: 100, description: 'Fuel bed depth', label: { en: 'Fuel bed depth', zh: '可燃物床层厚度' } },
  mx_dead: { kind: 'number', unit: '1', min: 0, exclusiveMin: true, max: 1, description: 'Dead moisture of extinction (fraction)', label: { en: 'Dead moisture of extinction', zh: '死可燃物熄灭含水率' } },
  heat_dead_btu_lb: heat('Dead heat content', '死可燃物热值'),
  heat_live_btu_lb: heat('Live heat content', '活可燃物热值'),
  load_1h_lb_ft2: load('1-h dead load', '1小时时滞死可燃物载量'),
  load_10h_lb_ft2: load('10-h dead load', '10小时时滞死可燃物载量'),
  load_100h_lb_ft2: load('100-h dead load', '100小时时滞死可燃物载量'),
  load_herb_lb_ft2: load('Live herbaceous load', '活草本可燃物载量'),
  load_woody_lb_ft2: load('Live woody load', '活木本可燃物载量'),
  sav_1h_ft: sav('1-h surface-area-to-volume ratio', '1小时时滞死可燃物表面积体积比'),
  sav_herb_ft: sav('Herbaceous SAV', '活草本可燃物表面积体积比', { default: 1500 }),
  sav_woody_ft: sav('Woody SAV', '活木本可燃物表面积体积比', { default: 1500 }),
} satisfies ParamSpec;

export const windLimitDescription = 'Apply Rothermel’s wind limit (0.9 × reaction intensity); off by default, as in behave since 2025 (Andrews, Cruz & Rothermel 2013)';

export const coordinate: DeclaredParam = {
  kind: 'number', unit: 'm', min: -MAX_COORDINATE_M, max: MAX_COORDINATE_M, description: 'Coordinate',
  label: { en: 'Coordinate', zh: '坐标' },
};

export const spreadGridParams = {
  ncols: { kind: 'number', unit: '1', min: 1, max: 16384, integer: true, description: 'Columns', label: { en: 'Columns', zh: '列数' } },
  nrows: { kind: 'number', unit: '1', min: 1, max: 16384, integer: true, description: 'Rows', label: { en: 'Rows', zh: '行数' } },
  cellsize_m: { kind: 'number', unit: 'm', min: 0, exclusiveMin: true, max: 10000, description: 'Cell size', label: { en: 'Cell size', zh: '网格边长' } },
  xllcorner: { ...coordinate, default: 0, description: 'Western edge', label: { en: 'Western edge', zh: '西边界坐标' } },
  yllcorner: { ...coordinate, default: 0, description: 'Southern edge', label: { en: 'Southern edge', zh: '南边界坐标' } },
} satisfies ParamSpec;

export const spreadCaseParams = {
  duration_s: { kind: 'number', unit: 's', min: 0, exclusiveMin: true, max: 30 * 86400, description: 'Simulated time after t = 0', label: { en: 'Duration', zh: '模拟时长' } },
} satisfies ParamSpec;

export const slopeDeg: DeclaredParam = { kind: 'number', unit: '°', min: 0, max: 89, description: 'Slope', label: { en: 'Slope', zh: '坡度' } };
export const aspectDeg: DeclaredParam = { kind: 'number', unit: '°', min: 0, max: 360, description: 'Aspect (downslope direction), clockwise from north', label: { en: 'Aspect', zh: '坡向' } };
export const elevationM: DeclaredParam = { kind: 'number', unit: 'm', min: -500, max: 9000, description: 'Elevation', label: { en: 'Elevation', zh: '高程' } };
export const timeS: DeclaredParam = { kind: 'number', unit: 's', min: 0, max: 30 * 86400, description: 'Time', label: { en: 'Time', zh: '时间' } };

/** `fire behavior`: one object (or an array of them) per case, and the same keys out. */
export const behaviorOutputs = {
  fuel_model: { unit: 'text', description: 'The fuel model the case named', label: { en: 'Fuel model', zh: '可燃物模型' } },
  ros_head_m_per_min: { unit: 'm/min', description: 'Rate of spread of the head', label: { en: 'Head rate of spread', zh: '火头蔓延速率' } },
  ros_backing_m_per_min: { unit: 'm/min', description: 'Rate of spread of the back', label: { en: 'Backing rate of spread', zh: '火尾蔓延速率' } },
  ros_flanking_m_per_min: { unit: 'm/min', description: 'Rate of spread of the flanks', label: { en: 'Flanking rate of spread', zh: '火翼蔓延速率' } },
  fireline_intensity_kw_per_m: { unit: 'kW/m', description: 'Byram fireline intensity at the head', label: { en: 'Fireline intensity', zh: '火线强度' } },
  flame_length_m: { unit: 'm', description: 'Flame length at the head (Byram)', label: { en: 'Flame length', zh: '火焰长度' } },
  length_to_width: { unit: '1', description: 'Length-to-width ratio of the fire ellipse', label: { en: 'Length-to-width ratio', zh: '火场长宽比' } },
  direction_of_max_spread_deg: { unit: '°', description: 'Direction the head spreads towards, clockwise from north', label: { en: 'Direction of maximum spread', zh: '最大蔓延方向' } },
  reaction_intensity_kw_per_m2: { unit: 'kW/m²', description: 'Reaction intensity', label: { en: 'Reaction intensity', zh: '反应强度' } },
  heat_per_area_kj_per_m2: { unit: 'kJ/m²', description: 'Heat released per unit area', label: { en: 'Heat per unit area', zh: '单位面积释放热量' } },
  // Extensions beyond the contract (BehavePlus reports them too).
  heading_from_upslope_deg: { unit: '°', description: 'Direction of maximum spread, clockwise from upslope', label: { en: 'Heading from upslope', zh: '相对上坡方向的蔓延方向' } },
  effective_wind_m_per_s: { unit: 'm/s', description: 'Wind speed equivalent to wind and slope together', label: { en: 'Effective wind speed', zh: '有效风速' } },
  eccentricity: { unit: '1', description: 'Eccentricity of the fire ellipse', label: { en: 'Eccentricity', zh: '火场椭圆偏心率' } },
  residence_time_s: { unit: 's', description: 'Flame residence time (Anderson 1969)', label: { en: 'Residence time', zh: '火焰驻留时间' } },
} satisfies OutputSpec;

/** `fire spread`: the printed summary and the files written to --out DIR. */
export const spreadOutputs = {
  burned_area_m2: { unit: 'm²', description: 'Burned area at each output time ({ t_s, area_m2 })', label: { en: 'Burned area', zh: '过火面积' } },
  cells_burned: { unit: 'cells', description: 'Cells reached by the fire within the duration', label: { en: 'Cells burned', zh: '过火网格数' } },
  warnings: { unit: 'text', description: 'What the run could not honour exactly', label: { en: 'Warnings', zh: '警告' } },
  'arrival_time_s.asc': { unit: 's', description: 'Fire arrival time (NODATA where unburned)', label: { en: 'Arrival time', zh: '火到达时间' } },
  'ros_m_per_min.asc': { unit: 'm/min', description: 'Rate of spread in each cell', label: { en: 'Rate of spread', zh: '蔓延速率' } },
  'fireline_intensity_kw_per_m.asc': { unit: 'kW/m', description: 'Fireline intensity in each cell', label: { en: 'Fireline intensity', zh: '火线强度' } },
  'perimeters.geojson': { unit: 'm', description: 'Fire perimeters at the output times', label: { en: 'Fire perimeters', zh: '火场边界' } },
} satisfies OutputSpec;

export const behaviorContract: CommandContract = {
  inputs: [
    { at: '$.moisture_percent', params: moistureParams },
    { at: '$', params: behaviorCaseParams },
    { at: '$.fuel_model (custom)', params: customFuelParams },
  ],
  outputs: behaviorOutputs,
};

export const spreadContract: CommandContract = {
  inputs: [
    { at: '$.grid', params: spreadGridParams },
    { at: '$ (terrain: numbers or grid files)', params: { ...spreadCaseParams, slope_deg: slopeDeg, aspect_deg: aspectDeg, elevation_m: elevationM } },
    { at: '$.moisture_percent', params: moistureParams },
    { at: '$.wind', params: { midflame_m_per_s: midflameWind, from_deg: windFrom, t_s: timeS } },
    {
      at: '$.ignitions[]',
      params: {
        x_m: { ...coordinate, description: 'Easting of the ignition', label: { en: 'Ignition easting', zh: '起火点横坐标' } },
        y_m: { ...coordinate, description: 'Northing of the ignition', label: { en: 'Ignition northing', zh: '起火点纵坐标' } },
        t_s: { ...timeS, description: 'Ignition time', label: { en: 'Ignition time', zh: '起火时刻' } },
      },
    },
  ],
  outputs: spreadOutputs,
};
