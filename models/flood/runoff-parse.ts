// `flood runoff` and a route case's `basins`: the case's sub-basins read and checked, every
// problem by JSON path.
import { childPath, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumberArray, checkNumberValues, checkParams, isRecord } from '../params.ts';
import type { ForecastScores } from './scores.ts';
import { basinParams, depthPerStep, linearReservoirRoutingParams, scsParams, xinanjiangInitialParams, xinanjiangParams } from './spec.ts';
import type { XinanjiangParameters, XinanjiangState } from './xinanjiang.ts';

export type SurfaceRouting = { kind: 'linear-reservoir'; cs: number; lag: number } | { kind: 'unit-hydrograph'; ordinates: Float64Array };

export interface BasinInput {
  id: string;
  path: string;
  areaKm2: number;
  reach?: string;
  rain: Float64Array;
  evaporation?: Float64Array;
  xinanjiang?: { params: XinanjiangParameters; initial: XinanjiangState; interflow0: number; groundwater0: number };
  scs?: { cn: number; lambda: number; baseflow: number };
  surface: SurfaceRouting;
  observed?: Float64Array;
}

export interface BasinOutput {
  model: 'xinanjiang' | 'scs-cn';
  rain_mm: number[];
  evaporation_mm: number[];
  runoff_mm: number[];
  surface_mm: number[];
  interflow_mm: number[];
  groundwater_mm: number[];
  discharge_m3_per_s: number[];
  surface_m3_per_s: number[];
  interflow_m3_per_s: number[];
  groundwater_m3_per_s: number[];
  peak_m3_per_s: number;
  peak_time_s: number;
  water_balance_mm: { rain: number; evaporation: number; runoff: number; storage_change: number; residual: number };
  scores?: ForecastScores;
}

export interface RunoffOutput { dt_s: number; basins: Record<string, BasinOutput>; warnings: string[] }

const BASIN_KEYS = ['id', 'name', 'area_km2', 'reach', 'rain_mm', 'evaporation_mm', 'xinanjiang', 'scs', 'initial', 'surface_routing', 'observed_m3_per_s'];

function parseSurfaceRouting(value: unknown, path: string, problems: Problem[]): SurfaceRouting {
  if (value === undefined) return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "method": "linear-reservoir", "CS", "lag_steps" } or { "method": "unit-hydrograph", "ordinates": [...] }' });
    return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
  }
  if (value.method === 'linear-reservoir') {
    checkKnownKeys(value, ['method', ...Object.keys(linearReservoirRoutingParams)], path, problems);
    return linearReservoirOf(value as unknown as LinearReservoirValues, path, problems);
  }
  if (value.method === 'unit-hydrograph') {
    checkKnownKeys(value, ['method', 'ordinates'], path, problems);
    const ordinates = checkNumberArray(value.ordinates, childPath(path, 'ordinates'), problems, { kind: 'number', unit: '1', min: 0, max: 1, description: 'Unit-hydrograph ordinate' });
    if (ordinates) {
      const sum = ordinates.reduce((a, v) => a + v, 0);
      if (ordinates.length === 0 || Math.abs(sum - 1) > 1e-6) {
        problems.push({ path: childPath(path, 'ordinates'), message: 'must sum to 1', value: Number(sum.toPrecision(8)), expected: 'fractions of the runoff leaving at each step, summing to 1' });
      }
      return { kind: 'unit-hydrograph', ordinates: ordinates.map((v) => v / (sum || 1)) };
    }
    return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
  }
  problems.push({ path: childPath(path, 'method'), message: 'is not a surface routing method', value: value.method, expected: 'one of linear-reservoir, unit-hydrograph' });
  return { kind: 'unit-hydrograph', ordinates: Float64Array.of(1) };
}

function linearReservoirOf(value: LinearReservoirValues, path: string, problems: Problem[]): SurfaceRouting {
  const p = checkParams(linearReservoirRoutingParams, { ...value }, path, problems);
  return { kind: 'linear-reservoir', cs: p.CS ?? 0, lag: p.lag_steps ?? 0 };
}

function checkBasinId(id: unknown, path: string, ids: Set<string>, problems: Problem[]): void {
  if (typeof id !== 'string' || id.length === 0 || ids.has(id)) {
    problems.push({ path: childPath(path, 'id'), message: ids.has(id as string) ? 'repeats another basin id' : 'must be a non-empty string', value: id, expected: 'a unique basin id' });
  } else {
    ids.add(id);
  }
}

export type XinanjiangParamValues = { [K in keyof typeof xinanjiangParams]: number };

/** The parameters' ranges, then what they must satisfy together. */
function checkXinanjiangParams(x: Record<string, unknown>, xpath: string, problems: Problem[]): XinanjiangParamValues {
  const p = checkParams(xinanjiangParams, x, xpath, problems);
  if (p.KI !== undefined && p.KG !== undefined && !(p.KI + p.KG < 1)) {
    problems.push({ path: childPath(xpath, 'KG'), message: `makes KI + KG = ${Number((p.KI + p.KG).toPrecision(6))} ≥ 1`, value: p.KG, expected: `KG < 1 − KI = ${Number((1 - p.KI).toPrecision(6))} (free water cannot drain more than it holds in a day)` });
  }
  if (p.UM_mm !== undefined && p.LM_mm !== undefined && p.DM_mm !== undefined && p.UM_mm + p.LM_mm + p.DM_mm <= 0) {
    problems.push({ path: xpath, message: 'has no tension-water capacity', value: 0, expected: 'UM_mm + LM_mm + DM_mm > 0' });
  }
  return p;
}

/**
 * The initial state against the layers' capacities (60 % full where not given) and SM; built only
 * when the basin had no problem since `before`, as the capacities are then known.
 */
function xinanjiangOf(p: XinanjiangParamValues, initialRecord: Record<string, unknown>, ipath: string, problems: Problem[], before: number): BasinInput['xinanjiang'] {
  const init = checkParams(xinanjiangInitialParams, initialRecord, ipath, problems);
  const layer = (given: number | undefined, capacity: number, name: string) => {
    if (given !== undefined && given > capacity) {
      problems.push({ path: childPath(ipath, name), message: 'exceeds the layer capacity', value: given, expected: `at most ${capacity} mm` });
    }
    return given ?? 0.6 * capacity;
  };
  if (problems.length !== before) return undefined;
  if (init.S_mm > p.SM_mm) problems.push({ path: childPath(ipath, 'S_mm'), message: 'exceeds SM_mm', value: init.S_mm, expected: `at most ${p.SM_mm} mm` });
  return {
    params: { K: p.K, B: p.B, IM: p.IM, UM: p.UM_mm, LM: p.LM_mm, DM: p.DM_mm, C: p.C, SM: p.SM_mm, EX: p.EX, KI: p.KI, KG: p.KG, CI: p.CI, CG: p.CG },
    initial: { WU: layer(init.WU_mm, p.UM_mm, 'WU_mm'), WL: layer(init.WL_mm, p.LM_mm, 'WL_mm'), WD: layer(init.WD_mm, p.DM_mm, 'WD_mm'), S: init.S_mm, FR: init.FR },
    interflow0: init.interflow_m3_per_s, groundwater0: init.groundwater_m3_per_s,
  };
}

function checkEvaporationLength(evaporation: Float64Array | undefined, rain: Float64Array | undefined, path: string, problems: Problem[]): void {
  if (evaporation && rain && evaporation.length !== rain.length) {
    problems.push({ path, message: 'differs in length from rain_mm', value: evaporation, expected: `${rain.length} values, one per step` });
  }
}

export function parseBasins(value: unknown, path: string, problems: Problem[], requireReach: boolean): BasinInput[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ path, message: 'must be a non-empty array', value, expected: 'an array of sub-basins' });
    return [];
  }
  const ids = new Set<string>();
  const out: BasinInput[] = [];
  value.forEach((basin, i) => {
    const bpath = childPath(path, i);
    if (!isRecord(basin)) {
      problems.push({ path: bpath, message: 'must be an object', value: basin, expected: 'a sub-basin { "id", "area_km2", "rain_mm", "xinanjiang" | "scs" }' });
      return;
    }
    const before = problems.length;
    checkKnownKeys(basin, BASIN_KEYS, bpath, problems);
    checkBasinId(basin.id, bpath, ids, problems);
    if (requireReach && typeof basin.reach !== 'string') {
      problems.push({ path: childPath(bpath, 'reach'), message: 'is required in a route case', value: basin.reach, expected: 'the id of the reach the basin drains to' });
    }
    const { area_km2: areaKm2 } = checkParams(basinParams, basin, bpath, problems);
    const rain = checkNumberArray(basin.rain_mm, childPath(bpath, 'rain_mm'), problems, depthPerStep);
    if (rain && rain.length === 0) problems.push({ path: childPath(bpath, 'rain_mm'), message: 'is empty', value: basin.rain_mm, expected: 'one rain depth per step' });
    const surface = parseSurfaceRouting(basin.surface_routing, childPath(bpath, 'surface_routing'), problems);
    const hasXaj = basin.xinanjiang !== undefined;
    const hasScs = basin.scs !== undefined;
    if (hasXaj === hasScs) {
      problems.push({ path: bpath, message: hasXaj ? 'names two runoff models' : 'names no runoff model', value: undefined, expected: 'exactly one of "xinanjiang" or "scs"' });
    }
    const result: BasinInput = { id: basin.id as string, path: bpath, areaKm2, reach: basin.reach as string | undefined, rain: rain ?? new Float64Array(0), surface };
    if (basin.observed_m3_per_s !== undefined) {
      result.observed = checkNumberArray(basin.observed_m3_per_s, childPath(bpath, 'observed_m3_per_s'), problems, { kind: 'number', unit: 'm³/s', min: 0, description: 'Observed discharge' });
    }
    if (hasXaj) {
      const xpath = childPath(bpath, 'xinanjiang');
      const x = requireRecordInto(basin.xinanjiang, xpath, problems);
      if (x) {
        checkKnownKeys(x, Object.keys(xinanjiangParams), xpath, problems);
        const p = checkXinanjiangParams(x, xpath, problems);
        const ipath = childPath(bpath, 'initial');
        const initialRecord = basin.initial === undefined ? {} : requireRecordInto(basin.initial, ipath, problems) ?? {};
        checkKnownKeys(initialRecord, Object.keys(xinanjiangInitialParams), ipath, problems);
        const xinanjiang = xinanjiangOf(p, initialRecord, ipath, problems, before);
        if (xinanjiang) result.xinanjiang = xinanjiang;
      }
      const evaporation = checkNumberArray(basin.evaporation_mm, childPath(bpath, 'evaporation_mm'), problems, depthPerStep);
      checkEvaporationLength(evaporation, rain, childPath(bpath, 'evaporation_mm'), problems);
      result.evaporation = evaporation;
    } else if (hasScs) {
      const spath = childPath(bpath, 'scs');
      const x = requireRecordInto(basin.scs, spath, problems);
      if (x) {
        checkKnownKeys(x, Object.keys(scsParams), spath, problems);
        const p = checkParams(scsParams, x, spath, problems);
        result.scs = { cn: p.CN, lambda: p.initial_abstraction_ratio, baseflow: p.baseflow_m3_per_s };
      }
      if (basin.initial !== undefined) problems.push({ path: childPath(bpath, 'initial'), message: 'applies to xinanjiang only', value: basin.initial, expected: 'no initial state for an SCS basin' });
    }
    out.push(result);
  });
  return out;
}

function requireRecordInto(value: unknown, path: string, problems: Problem[]): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  problems.push({ path, message: 'must be an object', value, expected: 'an object of parameters' });
  return undefined;
}

export interface LinearReservoirValues { method: 'linear-reservoir'; CS: number; lag_steps?: number }

/** A route case's Xinanjiang sub-basin as values, keyed as in the case file (e.g. from a coupling). */
export interface XinanjiangBasinValues {
  id: string;
  reach: string;
  area_km2: number;
  rain_mm: Float64Array;
  evaporation_mm: Float64Array;
  xinanjiang: XinanjiangParamValues;
  initial?: Partial<{ [K in keyof typeof xinanjiangInitialParams]: number }>;
  surface_routing: LinearReservoirValues;
}

/**
 * One sub-basin as parseBasins reads the same values from a case file: the same checks in the same
 * order, by the same paths. `ids` holds the ids of the basins before it.
 */
export function xinanjiangBasinOf(basin: XinanjiangBasinValues, path: string, ids: Set<string>, problems: Problem[]): BasinInput {
  const before = problems.length;
  checkBasinId(basin.id, path, ids, problems);
  const { area_km2: areaKm2 } = checkParams(basinParams, { ...basin }, path, problems);
  const rain = checkNumberValues(basin.rain_mm, childPath(path, 'rain_mm'), problems, depthPerStep);
  if (rain && rain.length === 0) problems.push({ path: childPath(path, 'rain_mm'), message: 'is empty', value: [], expected: 'one rain depth per step' });
  const surface = linearReservoirOf(basin.surface_routing, childPath(path, 'surface_routing'), problems);
  const result: BasinInput = { id: basin.id, path, areaKm2, reach: basin.reach, rain: rain ?? new Float64Array(0), surface };
  const p = checkXinanjiangParams({ ...basin.xinanjiang }, childPath(path, 'xinanjiang'), problems);
  const xinanjiang = xinanjiangOf(p, { ...basin.initial }, childPath(path, 'initial'), problems, before);
  if (xinanjiang) result.xinanjiang = xinanjiang;
  const evaporation = checkNumberValues(basin.evaporation_mm, childPath(path, 'evaporation_mm'), problems, depthPerStep);
  checkEvaporationLength(evaporation, rain, childPath(path, 'evaporation_mm'), problems);
  result.evaporation = evaporation;
  return result;
}
