import { readReference } from '../reference.ts';

export interface MuskingumCase {
  id: string; source: string; K_s: number; X: number; dt_s: number; initial_outflow: number;
  inflow: number[]; expected_outflow?: number[]; expected_outflow_rounded?: number[]; tolerance_abs: number;
}

export interface FloodReference {
  muskingum: MuskingumCase[];
  cascade: { id: string; segments: number; coefficients: { on_new_inflow: number; on_old_inflow: number; on_old_outflow: number }; inflow: number[]; expected_outlet: number[]; tolerance_abs: number }[];
}

export const floodReference = readReference<FloodReference>('flood/cases.json');

export function singleReachCase(c: MuskingumCase) {
  return {
    dt_s: c.dt_s,
    reaches: [{ id: 'R', downstream: null, method: 'muskingum', K_s: c.K_s, X: c.X, initial_outflow_m3_per_s: c.initial_outflow }],
    inflows: [{ reach: 'R', m3_per_s: c.inflow }],
  };
}
