// The landslide reference cases (test/reference/landslide/cases.json) and small builders.
import { BASAL_INFINITE, packCells, type CellProperties, type RunSetup } from '../../models/landslide/reference.ts';
import { readReference } from '../reference.ts';

export interface HandCase {
  slope_deg: number; friction_deg: number; cohesion_pa: number; gamma_s: number; Z_m: number; psi_m: number; FS: number;
}
export interface ProfileCase {
  source: string; slope_deg: number; cohesion_pa: number; friction_deg: number; gamma_s: number;
  diffusivity_m2_per_s: number; ks_m_per_s: number; background_infiltration_m_per_s?: number;
  rain_m_per_s: number; rain_duration_s?: number; water_table_depth_m: number; soil_depth_m: number;
  expected: { t_s: number; Z_m: number; psi_m: number; FS: number }[];
  tolerance_rel: number;
}
export interface LandslideReference {
  fs_hand: HandCase[];
  R_table: [number, number][];
  minor_creek: ProfileCase;
  flume: ProfileCase;
  thresholds: {
    caine_check: [number, number][];
    effective_rainfall: { series_today_first_mm: number[]; 'K_0.8': number; 'K_0.84': number; 'K_0.9': number };
    jma_soil_water_index: { params: Record<string, number>; SWI: Record<string, number> };
  };
}

export const landslideReference = readReference<LandslideReference>('landslide/cases.json');

/** cases.json states γw = 9800 N/m³ for its cases. */
export const REFERENCE_GAMMA_W = 9800;

export function profileCell(p: ProfileCase): CellProperties {
  return {
    slope_deg: p.slope_deg, soil_depth_m: p.soil_depth_m, water_table_depth_m: p.water_table_depth_m,
    cohesion_pa: p.cohesion_pa, friction_deg: p.friction_deg, unit_weight_soil_n_per_m3: p.gamma_s,
    ks_m_per_s: p.ks_m_per_s, diffusivity_m2_per_s: p.diffusivity_m2_per_s,
    background_infiltration_m_per_s: p.background_infiltration_m_per_s ?? 0,
  };
}

/** A run with explicit depths, periods given as [duration_s, m_per_s] pairs. */
export function setupOf(periods: [number, number][], times: number[], depths: number[], basal = BASAL_INFINITE): RunSetup {
  const boundaries = new Float64Array(periods.length + 1);
  periods.forEach(([duration], n) => { boundaries[n + 1] = boundaries[n] + duration; });
  return {
    basal, boundaries, intensity: Float64Array.from(periods.map(([, i]) => i)),
    times: Float64Array.from(times), depths: Float64Array.from(depths), depthsAreFractions: false, profiles: true,
  };
}

export function packed(cells: CellProperties[], gammaW = REFERENCE_GAMMA_W): Float64Array {
  return packCells(cells, gammaW);
}
