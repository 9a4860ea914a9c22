// The flood-routing inputs, declared once: validation, CLI docs and the web form read these.
import type { CommandContract, DeclaredParam, OutputSpec, ParamSpec } from '../params.ts';

/**
 * The largest discharge any input may carry: ten times the largest flood ever gauged (the Amazon,
 * ~3.7e5 m³/s) and about the Missoula megaflood. Finite but absurd values (1e308) would overflow
 * the balance sums to Infinity and end in NumericalError instead of an input error.
 */
export const MAX_DISCHARGE_M3_PER_S = 1e7;

export const routeCaseParams = {
  // A routing step under a second, or a reach or channel narrower than a centimetre, is a typo, and
  // denormal values (5e-324) passed '> 0' and ended in non-finite outflows (NumericalError, exit 1).
  dt_s: { kind: 'number', unit: 's', min: 1, max: 31 * 86400, description: 'Routing time step', label: { en: 'Routing time step', zh: '演算时间步长' } },
  steps: {
    kind: 'number', unit: '1', min: 1, max: 1e6, integer: true, optional: true,
    description: 'Number of steps after t = 0 (default: longest inflow series − 1)', label: { en: 'Steps', zh: '演算步数' },
  },
} satisfies ParamSpec;

export const muskingumReachParams = {
  K_s: {
    kind: 'number', unit: 's', min: 0, exclusiveMin: true, max: 365 * 86400,
    description: 'Storage constant K: the travel time of the flood wave through the reach', label: { en: 'Storage constant K', zh: '马斯京根蓄量常数 K' },
  },
  X: {
    kind: 'number', unit: '1', min: 0, max: 0.5,
    description: 'Weighting factor X: 0 = linear reservoir, 0.5 = pure translation', label: { en: 'Weighting factor X', zh: '马斯京根流量比重因子 X' },
  },
  initial_outflow_m3_per_s: {
    kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, optional: true,
    description: 'Outflow at t = 0 (default: steady state, equal to the inflow at t = 0)', label: { en: 'Initial outflow', zh: '初始出流量' },
  },
} satisfies ParamSpec;

/** Muskingum–Cunge and kinematic-wave reaches: hydraulic geometry instead of K and X. */
export const channelReachParams = {
  length_m: { kind: 'number', unit: 'm', min: 1, max: 1e6, description: 'Reach length along the channel', label: { en: 'Reach length', zh: '河段长度' } },
  // 1e-6 is 1 mm per km, flatter than any river's bed (the lower Amazon falls ~2e-5); at 1e-91 the
  // Manning depth overflows and the balance breaks (NumericalError) instead of an input error.
  slope: { kind: 'number', unit: 'm/m', min: 1e-6, max: 0.5, description: 'Bed slope S0 (drop per unit length)', label: { en: 'Bed slope', zh: '河床比降' } },
  manning_n: { kind: 'number', unit: 's/m^(1/3)', min: 0.005, max: 0.5, description: "Manning's roughness n", label: { en: "Manning's n", zh: '曼宁糙率' } },
  initial_outflow_m3_per_s: muskingumReachParams.initial_outflow_m3_per_s,
  reference_discharge_m3_per_s: {
    kind: 'number', unit: 'm³/s', min: 0, exclusiveMin: true, max: MAX_DISCHARGE_M3_PER_S, optional: true,
    description: 'Muskingum–Cunge: evaluate C and D once at this discharge (constant parameters) instead of at every step; diffusive-wave: the discharge c and D are taken at (default: midway between the lowest and highest flow the reach can see)', label: { en: 'Reference discharge', zh: '参考流量' },
  },
} satisfies ParamSpec;

export const SECTION_SHAPES = ['rectangular', 'trapezoid'] as const;

/** The narrowest channel width (and, per metre of depth, the gentlest bank) a section may have. */
export const MIN_CHANNEL_WIDTH_M = 0.01;
export const MIN_SIDE_SLOPE_H_PER_V = 0.01;

export const rectangularSectionParams = {
  width_m: { kind: 'number', unit: 'm', min: MIN_CHANNEL_WIDTH_M, max: 1e5, description: 'Channel width', label: { en: 'Channel width', zh: '河宽' } },
} satisfies ParamSpec;

export const trapezoidSectionParams = {
  bottom_width_m: { kind: 'number', unit: 'm', min: 0, max: 1e5, description: 'Bottom width (0 = triangular)', label: { en: 'Bottom width', zh: '河底宽度' } },
  side_slope_h_per_v: { kind: 'number', unit: 'm/m', min: 0, max: 100, description: 'Bank slope, horizontal per unit vertical', label: { en: 'Side slope', zh: '边坡系数' } },
} satisfies ParamSpec;

export const discharge: DeclaredParam = {
  kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, description: 'Discharge', label: { en: 'Discharge', zh: '流量' },
};

/** Every routing method a reach may name; the scenario offers a subset (models/scenario/model-settings.ts). */
export const ROUTING_METHODS = ['muskingum', 'muskingum-cunge', 'kinematic-wave', 'diffusive-wave'] as const;
export type RouteMethod = (typeof ROUTING_METHODS)[number];
/** All declared methods are implemented; kept as its own name so a declared-but-unbuilt method can be listed again. */
export const IMPLEMENTED_METHODS: readonly string[] = ROUTING_METHODS;

// ── Rainfall–runoff (`flood runoff`, and `basins` in a route case) ──

export const runoffCaseParams = {
  dt_s: { kind: 'number', unit: 's', min: 60, max: 86400, description: 'Time step of the rain and evaporation series', label: { en: 'Time step', zh: '计算时段长' } },
} satisfies ParamSpec;

export const basinParams = {
  area_km2: { kind: 'number', unit: 'km²', min: 0, exclusiveMin: true, max: 1e6, description: 'Sub-basin area', label: { en: 'Sub-basin area', zh: '子流域面积' } },
} satisfies ParamSpec;

/** Xinanjiang (Zhao 1992). KI, KG, CI, CG are daily values, as published; converted to dt_s. */
export const xinanjiangParams = {
  K: { kind: 'number', unit: '1', min: 0, exclusiveMin: true, max: 2, description: 'Ratio of potential evapotranspiration to the given evaporation', label: { en: 'Evapotranspiration ratio K', zh: '蒸散发折算系数 K' } },
  B: { kind: 'number', unit: '1', min: 0, max: 3, description: 'Exponent of the tension-water capacity curve', label: { en: 'Tension-water curve exponent B', zh: '张力水蓄水容量曲线指数 B' } },
  IM: { kind: 'number', unit: '1', min: 0, max: 1, exclusiveMax: true, description: 'Impervious fraction of the basin', label: { en: 'Impervious fraction IM', zh: '不透水面积比例 IM' } },
  UM_mm: { kind: 'number', unit: 'mm', min: 0, max: 500, description: 'Upper-layer tension-water capacity', label: { en: 'Upper-layer capacity UM', zh: '上层张力水容量 UM' } },
  LM_mm: { kind: 'number', unit: 'mm', min: 0, max: 1000, description: 'Lower-layer tension-water capacity', label: { en: 'Lower-layer capacity LM', zh: '下层张力水容量 LM' } },
  DM_mm: { kind: 'number', unit: 'mm', min: 0, max: 1000, description: 'Deep-layer tension-water capacity', label: { en: 'Deep-layer capacity DM', zh: '深层张力水容量 DM' } },
  C: { kind: 'number', unit: '1', min: 0, max: 1, description: 'Deep-layer evapotranspiration coefficient', label: { en: 'Deep evapotranspiration coefficient C', zh: '深层蒸散发折算系数 C' } },
  SM_mm: { kind: 'number', unit: 'mm', min: 0, exclusiveMin: true, max: 500, description: 'Areal mean free-water capacity', label: { en: 'Free-water capacity SM', zh: '表层自由水蓄水容量 SM' } },
  EX: { kind: 'number', unit: '1', min: 0, max: 5, description: 'Exponent of the free-water capacity curve', label: { en: 'Free-water curve exponent EX', zh: '自由水蓄水容量曲线指数 EX' } },
  KI: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily outflow coefficient of free water to interflow', label: { en: 'Interflow outflow coefficient KI', zh: '壤中流出流系数 KI' } },
  KG: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily outflow coefficient of free water to groundwater', label: { en: 'Groundwater outflow coefficient KG', zh: '地下水出流系数 KG' } },
  CI: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily recession constant of interflow storage', label: { en: 'Interflow recession CI', zh: '壤中流消退系数 CI' } },
  CG: { kind: 'number', unit: '1/day', min: 0, max: 1, exclusiveMax: true, description: 'Daily recession constant of groundwater storage', label: { en: 'Groundwater recession CG', zh: '地下水消退系数 CG' } },
} satisfies ParamSpec;

export const xinanjiangInitialParams = {
  WU_mm: { kind: 'number', unit: 'mm', min: 0, max: 500, optional: true, description: 'Upper-layer tension water at t = 0 (default 60 % of UM_mm)', label: { en: 'Initial upper-layer tension water WU', zh: '初始上层张力水蓄量 WU' } },
  WL_mm: { kind: 'number', unit: 'mm', min: 0, max: 1000, optional: true, description: 'Lower-layer tension water at t = 0 (default 60 % of LM_mm)', label: { en: 'Initial lower-layer tension water WL', zh: '初始下层张力水蓄量 WL' } },
  WD_mm: { kind: 'number', unit: 'mm', min: 0, max: 1000, optional: true, description: 'Deep-layer tension water at t = 0 (default 60 % of DM_mm)', label: { en: 'Initial deep-layer tension water WD', zh: '初始深层张力水蓄量 WD' } },
  S_mm: { kind: 'number', unit: 'mm', min: 0, max: 500, default: 0, description: 'Free water on the runoff-producing area at t = 0', label: { en: 'Initial free water S', zh: '初始自由水蓄量 S' } },
  FR: { kind: 'number', unit: '1', min: 0, max: 1, default: 0, description: 'Runoff-producing area fraction at t = 0', label: { en: 'Initial runoff area fraction FR', zh: '初始产流面积比例 FR' } },
  interflow_m3_per_s: { kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, default: 0, description: 'Interflow at the outlet at t = 0', label: { en: 'Initial interflow', zh: '初始壤中流流量' } },
  groundwater_m3_per_s: { kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, default: 0, description: 'Groundwater flow at the outlet at t = 0', label: { en: 'Initial groundwater flow', zh: '初始地下径流流量' } },
} satisfies ParamSpec;

export const scsParams = {
  CN: { kind: 'number', unit: '1', min: 1, max: 100, description: 'SCS curve number', label: { en: 'Curve number CN', zh: '径流曲线数 CN' } },
  initial_abstraction_ratio: { kind: 'number', unit: '1', min: 0, max: 1, default: 0.2, description: 'Ia / S (0.2 in TR-55)', label: { en: 'Initial abstraction ratio', zh: '初损率 Ia/S' } },
  baseflow_m3_per_s: { kind: 'number', unit: 'm³/s', min: 0, max: MAX_DISCHARGE_M3_PER_S, default: 0, description: 'Constant baseflow added at the outlet', label: { en: 'Baseflow', zh: '基流' } },
} satisfies ParamSpec;

export const linearReservoirRoutingParams = {
  CS: { kind: 'number', unit: '1', min: 0, max: 1, exclusiveMax: true, description: 'Recession constant of the surface-runoff reservoir, per step', label: { en: 'Surface recession CS', zh: '地面径流消退系数 CS' } },
  lag_steps: { kind: 'number', unit: 'steps', min: 0, max: 1000, integer: true, default: 0, description: 'Lag L before surface runoff enters the reservoir', label: { en: 'Lag L', zh: '滞时 L' } },
} satisfies ParamSpec;

export const depthPerStep: DeclaredParam = { kind: 'number', unit: 'mm', min: 0, max: 1000, description: 'Depth per step', label: { en: 'Depth per step', zh: '时段深度' } };

const out = (unit: string, description: string, en: string, zh: string) => ({ unit, description, label: { en, zh } });
const warningsOut = out('text', 'What the run could not honour exactly', 'Warnings', '警告');

/** `flood route` prints these (per reach under `reaches`, the balance under `mass_balance`). */
export const routeOutputs = {
  dt_s: out('s', 'Routing time step, as given', 'Routing time step', '演算时间步长'),
  outflow_m3_per_s: out('m³/s', 'Outflow of each reach at t = 0 and after every step', 'Outflow hydrograph', '出流过程'),
  peak_m3_per_s: out('m³/s', 'Highest outflow of the reach', 'Peak discharge', '洪峰流量'),
  peak_time_s: out('s', 'Time of the peak after t = 0', 'Time of peak', '峰现时间'),
  subreaches: out('1', 'Sub-reaches (or diffusive-wave cells) the reach was split into, where it was', 'Sub-reaches', '子河段数'),
  scores: out('text', 'Forecast scores against observed_m3_per_s, where given (NSE, KGE, peak errors)', 'Scores against observations', '预报精度评定'),
  inflow_m3: out('m³', 'Water that entered the network', 'Total inflow', '入流总量'),
  outflow_m3: out('m³', 'Water that left the network', 'Total outflow', '出流总量'),
  storage_change_m3: out('m³', 'Change of water stored in the reaches', 'Storage change', '槽蓄变化量'),
  relative_error: out('1', 'Mass-balance residual over the inflow', 'Mass-balance error', '水量平衡相对误差'),
  basins: out('text', 'The sub-basins of the case, as flood runoff prints them', 'Sub-basin runoff', '子流域产流'),
  warnings: warningsOut,
} satisfies OutputSpec;

/** `flood runoff` prints these for every sub-basin under `basins`. */
export const runoffOutputs = {
  dt_s: out('s', 'Time step, as given', 'Time step', '计算时段长'),
  model: out('text', 'xinanjiang or scs-cn', 'Runoff model', '产流模型'),
  rain_mm: out('mm', 'Rain depth per step, as given', 'Rain depth', '时段雨量'),
  evaporation_mm: out('mm', 'Evaporation depth per step, as given', 'Evaporation depth', '时段蒸发量'),
  runoff_mm: out('mm', 'Runoff depth per step', 'Runoff depth', '径流深'),
  surface_mm: out('mm', 'Surface runoff depth per step', 'Surface runoff depth', '地面径流深'),
  interflow_mm: out('mm', 'Interflow depth per step (Xinanjiang)', 'Interflow depth', '壤中流径流深'),
  groundwater_mm: out('mm', 'Groundwater runoff depth per step (Xinanjiang)', 'Groundwater runoff depth', '地下径流深'),
  discharge_m3_per_s: out('m³/s', 'Discharge at the sub-basin outlet', 'Outlet discharge', '出口断面流量'),
  surface_m3_per_s: out('m³/s', 'Surface-runoff part of the discharge', 'Surface flow', '地面径流流量'),
  interflow_m3_per_s: out('m³/s', 'Interflow part of the discharge', 'Interflow', '壤中流流量'),
  groundwater_m3_per_s: out('m³/s', 'Groundwater part of the discharge', 'Groundwater flow', '地下径流流量'),
  peak_m3_per_s: routeOutputs.peak_m3_per_s,
  peak_time_s: routeOutputs.peak_time_s,
  scores: routeOutputs.scores,
  water_balance_mm: out('mm', 'Rain, evaporation, runoff, storage change and residual over the run', 'Water balance', '水量平衡'),
  warnings: warningsOut,
} satisfies OutputSpec;

export const routeContract: CommandContract = {
  inputs: [
    { at: '$', params: routeCaseParams },
    { at: '$.reaches[] (muskingum)', params: muskingumReachParams },
    { at: '$.reaches[] (muskingum-cunge, kinematic-wave, diffusive-wave)', params: channelReachParams },
    { at: '$.reaches[].section (rectangular)', params: rectangularSectionParams },
    { at: '$.reaches[].section (trapezoid)', params: trapezoidSectionParams },
    { at: '$.inflows[], $.lateral[]', params: { m3_per_s: discharge } },
  ],
  outputs: routeOutputs,
};

export const runoffContract: CommandContract = {
  inputs: [
    { at: '$', params: runoffCaseParams },
    { at: '$.basins[]', params: { ...basinParams, rain_mm: depthPerStep, evaporation_mm: depthPerStep } },
    { at: '$.basins[].xinanjiang', params: xinanjiangParams },
    { at: '$.basins[].initial', params: xinanjiangInitialParams },
    { at: '$.basins[].scs', params: scsParams },
    { at: '$.basins[].surface_routing', params: linearReservoirRoutingParams },
  ],
  outputs: runoffOutputs,
};
