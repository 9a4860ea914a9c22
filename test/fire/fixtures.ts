// The fire reference data from test/reference/fire, typed.
import { readFileSync } from 'node:fs';
import { readReference, referencePath } from '../reference.ts';

export interface FireCases {
  behave_unit_tests: { cases: { name: string; ros_ch_per_h?: number; flame_length_ft?: number; fireline_intensity_btu_ft_s?: number; length_to_width?: number; head_to_back?: number }[]; tolerance_rel: number };
  behaveplus6: {
    inputs: { moisture_percent: Record<string, number>; midflame_wind_ft_per_min: number; wind_from_deg: number; slope_percent: number; aspect_deg: number };
    expected: Record<string, { ros_head_ft_per_min: number; fireline_intensity_btu_ft_s: number; flame_length_ft: number; heading_from_upslope_deg: number; reaction_intensity_btu_ft2_min: number }>;
  };
  length_to_width_table: { midflame_mi_per_h: number[]; length_to_width: number[]; eccentricity: number[] };
  shape_verification: {
    inputs: { fuel_model: string; moisture_percent: Record<string, number> };
    behave: { midflame_mi_per_h: number; ros_head_ft_per_min: number; length_to_width: number; backing_ft_per_min: number; flanking_ft_per_min: number };
  };
}

export const fireCases = readReference<FireCases>('fire/cases.json');

export function readFireCsv(name: string): Record<string, string>[] {
  const lines = readFileSync(referencePath(`fire/${name}`), 'utf8').trim().split(/\r?\n/);
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { out.push(cur); cur = ''; }
      else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

// Exact definitions, as models/fire/fuels.ts.
export const FT = 0.3048;
export const MPH = 0.44704;
export const CH_PER_H = 20.1168 / 60; // m/min
export const KW_M_PER_BTU_FT_S = 1.05505585262 / FT;
export const KW_M2_PER_BTU_FT2_MIN = 1.05505585262 / (FT * FT) / 60;
export const KJ_M2_PER_BTU_FT2 = 1.05505585262 / (FT * FT);
