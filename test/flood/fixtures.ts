import { readReference } from '../reference.ts';

export interface MuskingumCase {
  id: string; source: string; K_s: number; X: number; dt_s: number; initial_outflow: number;
  inflow: number[]; expected_outflow?: number[]; expected_outflow_rounded?: number[]; tolerance_abs: number;
}

export interface FloodReference {
  muskingum: MuskingumCase[];
  runoff: RunoffReference;
  metrics: MetricsCase[];
  cascade: { id: string; segments: number; coefficients: { on_new_inflow: number; on_old_inflow: number; on_old_outflow: number }; inflow: number[]; expected_outlet: number[]; tolerance_abs: number }[];
}

export interface RunoffReference {
  scs_cn: { CN: number; P_in?: number; expected_Q_in?: number; P_mm?: number; expected_Q_mm?: number }[];
  xinanjiang_runoff_generation: { source: string; cases: { W0: number; PE: number; expected_R: number }[]; tolerance_abs: number };
}

export interface MetricsCase { source: string; obs: number[]; sim: number[]; NSE: number; KGE_2009: number; KGE_2012: number }

export const floodReference = readReference<FloodReference>('flood/cases.json');

export function singleReachCase(c: MuskingumCase) {
  return {
    dt_s: c.dt_s,
    reaches: [{ id: 'R', downstream: null, method: 'muskingum', K_s: c.K_s, X: c.X, initial_outflow_m3_per_s: c.initial_outflow }],
    inflows: [{ reach: 'R', m3_per_s: c.inflow }],
  };
}
