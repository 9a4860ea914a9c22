// The landslide inputs and outputs, declared once: validation, CLI help, docs and the web form read these.
import type { CommandContract, DeclaredParam, OutputSpec, ParamSpec } from '../params.ts';

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
    description: 'Slope angle δ of the ground surface (the infinite slope)', label: { en: 'Slope angle', zh: '坡度' },
  },
  soil_depth_m: {
    kind: 'number', unit: 'm', min: 0, max: 1000, exclusiveMin: true,
    description: 'Vertical depth to the base of the soil (the impermeable base in finite-depth runs)', label: { en: 'Soil depth', zh: '土层厚度' },
  },
  water_table_depth_m: {
    kind: 'number', unit: 'm', min: 0, max: 1000,
    description: 'Vertical depth d of the initial water table; at most the soil depth', label: { en: 'Initial water-table depth', zh: '初始地下水位埋深' },
  },
  cohesion_pa: { kind: 'number', unit: 'Pa', min: 0, max: 1e7, description: 'Effective cohesion c′', label: { en: 'Effective cohesion', zh: '有效黏聚力' } },
  friction_deg: {
    kind: 'number', unit: '°', min: 0, max: 90, exclusiveMin: true, exclusiveMax: true,
    description: 'Effective angle of internal friction φ′', label: { en: 'Effective friction angle', zh: '有效内摩擦角' },
  },
  unit_weight_soil_n_per_m3: {
    kind: 'number', unit: 'N/m³', min: 1000, max: 50000, description: 'Unit weight of the soil γs', label: { en: 'Soil unit weight', zh: '土体重度' },
  },
  ks_m_per_s: {
    kind: 'number', unit: 'm/s', min: 0, max: 1, exclusiveMin: true, description: 'Saturated hydraulic conductivity Ks', label: { en: 'Saturated hydraulic conductivity', zh: '饱和渗透系数' },
  },
  diffusivity_m2_per_s: {
    kind: 'number', unit: 'm²/s', min: 0, max: 10, exclusiveMin: true, description: 'Saturated hydraulic diffusivity D₀', label: { en: 'Saturated hydraulic diffusivity', zh: '饱和水力扩散系数' },
  },
  background_infiltration_m_per_s: {
    kind: 'number', unit: 'm/s', min: 0, max: 1, default: 0,
    description: 'Steady background infiltration I_ZLT that set the initial water table (β = cos²δ − I_ZLT/Ks)', label: { en: 'Background infiltration rate', zh: '背景稳定入渗率' },
  },
} satisfies ParamSpec;

export type CellParamName = keyof typeof cellParams;
export const CELL_PARAM_NAMES = Object.keys(cellParams) as CellParamName[];

export const caseParams = {
  unit_weight_water_n_per_m3: {
    kind: 'number', unit: 'N/m³', min: 9000, max: 11000, default: 9810, description: 'Unit weight of water γw', label: { en: 'Unit weight of water', zh: '水的重度' },
  },
} satisfies ParamSpec;

export const rainParams = {
  period_s: { kind: 'number', unit: 's', min: 0, max: 366 * 86400, exclusiveMin: true, description: 'Length of each rain period', label: { en: 'Rain period', zh: '降雨时段长' } },
} satisfies ParamSpec;

export const rainRateMetresPerSecond: DeclaredParam = { kind: 'number', unit: 'm/s', min: 0, max: 0.01, description: 'Rain intensity', label: { en: 'Rain intensity', zh: '降雨强度' } };
export const rainRateMillimetresPerHour: DeclaredParam = { kind: 'number', unit: 'mm/h', min: 0, max: 36000, description: 'Rain intensity', label: { en: 'Rain intensity', zh: '降雨强度' } };
export const outputTime: DeclaredParam = { kind: 'number', unit: 's', min: 0, max: 10 * 366 * 86400, description: 'Output time after the rain starts', label: { en: 'Output time', zh: '输出时刻' } };
export const depth: DeclaredParam = { kind: 'number', unit: 'm', min: 0, max: 1000, exclusiveMin: true, description: 'Vertical depth below the surface', label: { en: 'Depth', zh: '计算深度' } };

export const BASAL_BOUNDARIES = ['infinite', 'finite'] as const;
export const DEFAULT_DEPTH_COUNT = 20;
/** More output numbers than this per run is a mistake, not a request (a single-cell case prints them all). */
export const MAX_PROFILE_VALUES = 5_000_000;

const out = (unit: string, description: string, en: string, zh: string) => ({ unit, description, label: { en, zh } });

/**
 * `landslide fs` prints these per cell and output time (`cells[].times[]`, depths under
 * `depths[]`); the grid form writes the grids named below to --out DIR (TIME is the output time).
 */
export const fsOutputs = {
  id: out('text', 'The cell\'s id, as given', 'Cell id', '计算单元编号'),
  first_fs_below_1_t_s: out('s', 'First output time the cell falls below FS = 1 (null if never)', 'Time of failure', '失稳时刻'),
  t_s: out('s', 'Output time after the rain starts', 'Output time', '输出时刻'),
  fs_min: out('1', 'Lowest factor of safety over the depths', 'Minimum factor of safety', '最小安全系数'),
  z_at_fs_min_m: out('m', 'Depth of the lowest factor of safety', 'Depth of minimum factor of safety', '最小安全系数所在深度'),
  z_m: out('m', 'Depth below the surface', 'Depth', '计算深度'),
  pressure_head_m: out('m', 'Pressure head ψ at the depth', 'Pressure head', '压力水头'),
  fs: out('1', 'Infinite-slope factor of safety at the depth', 'Factor of safety', '安全系数'),
  rain_ratio: out('1', 'Rain intensity over Ks at the cell (grid form)', 'Rain-to-conductivity ratio', '雨强与渗透系数之比'),
  'fs_min_TIME.asc': out('1', 'Minimum factor of safety of every cell', 'Minimum factor of safety', '最小安全系数'),
  'z_at_fs_min_m_TIME.asc': out('m', 'Depth of the minimum factor of safety', 'Depth of minimum factor of safety', '最小安全系数所在深度'),
  'first_fs_below_1_t_s.asc': out('s', 'First output time the cell falls below FS = 1 (NODATA if never)', 'Time of failure', '失稳时刻'),
  warnings: out('text', 'What the run could not honour exactly', 'Warnings', '警告'),
} satisfies OutputSpec;

export const fsContract: CommandContract = {
  inputs: [
    { at: '$.cells[] (or grid files and $.zones[])', params: cellParams },
    { at: '$', params: { ...caseParams, output_times_s: outputTime, depths_m: depth } },
    { at: '$.rain', params: { ...rainParams, m_per_s: rainRateMetresPerSecond, mm_per_h: rainRateMillimetresPerHour } },
  ],
  outputs: fsOutputs,
};
