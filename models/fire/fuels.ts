// The standard fuel models: Anderson (1982) 13 and Scott & Burgan (2005) 40, plus the
// non-burnable codes, in the English units they were published in (the table kept as
// test/reference/fire/fuel_models.csv; test/fire checks the two agree). Conversion to SI
// happens once, in toSiFuel(); the kernel reads only SI.
//
// FM7's live woody SAV is 1500 /ft as in behave and BehavePlus (Albini's 1976 table has 1550):
// we follow behave so BehavePlus users get the numbers they know.

/** A fuel model as published: depth ft, moisture of extinction fraction, heat Btu/lb, loads lb/ft², SAV 1/ft. */
export interface FuelModelEnglish {
  number: number;
  code: string;
  name: string;
  depth_ft: number;
  mx_dead: number;
  heat_dead_btu_lb: number;
  heat_live_btu_lb: number;
  load_1h_lb_ft2: number;
  load_10h_lb_ft2: number;
  load_100h_lb_ft2: number;
  load_herb_lb_ft2: number;
  load_woody_lb_ft2: number;
  sav_1h_ft: number;
  sav_herb_ft: number;
  sav_woody_ft: number;
  dynamic: boolean;
}

type Row = [number, string, string, number, number, number, number, number, number, number, number, number, number, number, number, boolean];

const ROWS: Row[] = [
  [1, "FM1", "Short grass", 1.0, 0.12, 8000, 8000, 0.034, 0, 0, 0, 0, 3500, 1500, 1500, false],
  [2, "FM2", "Timber grass and understory", 1.0, 0.15, 8000, 8000, 0.092, 0.046, 0.023, 0.023, 0, 3000, 1500, 1500, false],
  [3, "FM3", "Tall grass", 2.5, 0.25, 8000, 8000, 0.138, 0, 0, 0, 0, 1500, 1500, 1500, false],
  [4, "FM4", "Chaparral", 6.0, 0.2, 8000, 8000, 0.230, 0.184, 0.092, 0, 0.230, 2000, 1500, 1500, false],
  [5, "FM5", "Brush", 2.0, 0.20, 8000, 8000, 0.046, 0.023, 0, 0, 0.092, 2000, 1500, 1500, false],
  [6, "FM6", "Dormant brush, hardwood slash", 2.5, 0.25, 8000, 8000, 0.069, 0.115, 0.092, 0, 0, 1750, 1500, 1500, false],
  [7, "FM7", "Southern rough", 2.5, 0.40, 8000, 8000, 0.052, 0.086, 0.069, 0, 0.017, 1750, 1500, 1500, false],
  [8, "FM8", "Short needle litter", 0.2, 0.3, 8000, 8000, 0.069, 0.046, 0.115, 0, 0, 2000, 1500, 1500, false],
  [9, "FM9", "Long needle or hardwood litter", 0.2, 0.25, 8000, 8000, 0.134, 0.019, 0.007, 0, 0, 2500, 1500, 1500, false],
  [10, "FM10", "Timber litter & understory", 1.0, 0.25, 8000, 8000, 0.138, 0.092, 0.230, 0, 0.092, 2000, 1500, 1500, false],
  [11, "FM11", "Light logging slash", 1.0, 0.15, 8000, 8000, 0.069, 0.207, 0.253, 0, 0, 1500, 1500, 1500, false],
  [12, "FM12", "Medium logging slash", 2.3, 0.20, 8000, 8000, 0.184, 0.644, 0.759, 0, 0, 1500, 1500, 1500, false],
  [13, "FM13", "Heavy logging slash", 3.0, 0.25, 8000, 8000, 0.322, 1.058, 1.288, 0, 0, 1500, 1500, 1500, false],
  [101, "GR1", "Short, sparse, dry climate grass", 0.4, 0.15, 8000, 8000, 0.004591, 0.000000, 0.000000, 0.013774, 0.000000, 2200, 2000, 1500, true],
  [102, "GR2", "Low load, dry climate grass", 1.0, 0.15, 8000, 8000, 0.004591, 0.000000, 0.000000, 0.045914, 0.000000, 2000, 1800, 1500, true],
  [103, "GR3", "Low load, very coarse, humid climate grass", 2.0, 0.30, 8000, 8000, 0.004591, 0.018365, 0.000000, 0.068871, 0.000000, 1500, 1300, 1500, true],
  [104, "GR4", "Moderate load, dry climate grass", 2.0, 0.15, 8000, 8000, 0.011478, 0.000000, 0.000000, 0.087236, 0.000000, 2000, 1800, 1500, true],
  [105, "GR5", "Low load, humid climate grass", 1.5, 0.40, 8000, 8000, 0.018365, 0.000000, 0.000000, 0.114784, 0.000000, 1800, 1600, 1500, true],
  [106, "GR6", "Moderate load, humid climate grass", 1.5, 0.40, 9000, 9000, 0.004591, 0.000000, 0.000000, 0.156107, 0.000000, 2200, 2000, 1500, true],
  [107, "GR7", "High load, dry climate grass", 3.0, 0.15, 8000, 8000, 0.045914, 0.000000, 0.000000, 0.247934, 0.000000, 2000, 1800, 1500, true],
  [108, "GR8", "High load, very coarse, humid climate grass", 4.0, 0.30, 8000, 8000, 0.022957, 0.045914, 0.000000, 0.335170, 0.000000, 1500, 1300, 1500, true],
  [109, "GR9", "Very high load, humid climate grass", 5.0, 0.40, 8000, 8000, 0.045914, 0.045914, 0.000000, 0.413223, 0.000000, 1800, 1600, 1500, true],
  [121, "GS1", "Low load, dry climate grass-shrub", 0.9, 0.15, 8000, 8000, 0.009183, 0.000000, 0.000000, 0.022957, 0.029844, 2000, 1800, 1800, true],
  [122, "GS2", "Moderate load, dry climate grass-shrub", 1.5, 0.15, 8000, 8000, 0.022957, 0.022957, 0.000000, 0.027548, 0.045914, 2000, 1800, 1800, true],
  [123, "GS3", "Moderate load, humid climate grass-shrub", 1.8, 0.40, 8000, 8000, 0.013774, 0.011478, 0.000000, 0.066575, 0.057392, 1800, 1600, 1600, true],
  [124, "GS4", "High load, humid climate grass-shrub", 2.1, 0.40, 8000, 8000, 0.087236, 0.013774, 0.004591, 0.156107, 0.325987, 1800, 1600, 1600, true],
  [141, "SH1", "Low load, dry climate shrub", 1.0, 0.15, 8000, 8000, 0.011478, 0.011478, 0.000000, 0.006887, 0.059688, 2000, 1800, 1600, true],
  [142, "SH2", "Moderate load, dry climate shrub", 1.0, 0.15, 8000, 8000, 0.061983, 0.110193, 0.034435, 0.000000, 0.176768, 2000, 1800, 1600, false],
  [143, "SH3", "Moderate load, humid climate shrub", 2.4, 0.40, 8000, 8000, 0.020661, 0.137741, 0.000000, 0.000000, 0.284665, 1600, 1800, 1400, false],
  [144, "SH4", "Low load, humid climate timber-shrub", 3.0, 0.30, 8000, 8000, 0.039027, 0.052801, 0.009183, 0.000000, 0.117080, 2000, 1800, 1600, false],
  [145, "SH5", "High load, dry climate shrub", 6.0, 0.15, 8000, 8000, 0.165289, 0.096419, 0.000000, 0.000000, 0.133150, 750, 1800, 1600, false],
  [146, "SH6", "Low load, humid climate shrub", 2.0, 0.30, 8000, 8000, 0.133150, 0.066575, 0.000000, 0.000000, 0.064279, 750, 1800, 1600, false],
  [147, "SH7", "Very high load, dry climate shrub", 6.0, 0.15, 8000, 8000, 0.160698, 0.243343, 0.101010, 0.000000, 0.156107, 750, 1800, 1600, false],
  [148, "SH8", "High load, humid climate shrub", 3.0, 0.40, 8000, 8000, 0.094123, 0.156107, 0.039027, 0.000000, 0.199725, 750, 1800, 1600, false],
  [149, "SH9", "Very high load, humid climate shrub", 4.4, 0.40, 8000, 8000, 0.206612, 0.112489, 0.000000, 0.071166, 0.321396, 750, 1800, 1500, true],
  [161, "TU1", "Light load, dry climate timber-grass-shrub", 0.6, 0.20, 8000, 8000, 0.009183, 0.041322, 0.068871, 0.009183, 0.041322, 2000, 1800, 1600, true],
  [162, "TU2", "Moderate load, humid climate timber-shrub", 1.0, 0.30, 8000, 8000, 0.043618, 0.082645, 0.057392, 0.000000, 0.009183, 2000, 1800, 1600, false],
  [163, "TU3", "Moderate load, humid climate timber-grass-shrub", 1.3, 0.30, 8000, 8000, 0.050505, 0.006887, 0.011478, 0.029844, 0.050505, 1800, 1600, 1400, true],
  [164, "TU4", "Dwarf conifer understory", 0.5, 0.12, 8000, 8000, 0.206612, 0.000000, 0.000000, 0.000000, 0.091827, 2300, 1800, 2000, false],
  [165, "TU5", "Very high load, dry climate timber-shrub", 1.0, 0.25, 8000, 8000, 0.183655, 0.183655, 0.137741, 0.000000, 0.137741, 1500, 1800, 750, false],
  [181, "TL1", "Low load, compact conifer litter", 0.2, 0.30, 8000, 8000, 0.045914, 0.101010, 0.165289, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [182, "TL2", "Low load broadleaf litter", 0.2, 0.25, 8000, 8000, 0.064279, 0.105601, 0.101010, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [183, "TL3", "Moderate load conifer litter", 0.3, 0.20, 8000, 8000, 0.022957, 0.101010, 0.128558, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [184, "TL4", "Small downed logs", 0.4, 0.25, 8000, 8000, 0.022957, 0.068871, 0.192837, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [185, "TL5", "High load conifer litter", 0.6, 0.25, 8000, 8000, 0.052801, 0.114784, 0.202020, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [186, "TL6", "High load broadleaf litter", 0.3, 0.25, 8000, 8000, 0.110193, 0.055096, 0.055096, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [187, "TL7", "Large downed logs", 0.4, 0.25, 8000, 8000, 0.013774, 0.064279, 0.371901, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [188, "TL8", "Long-needle litter", 0.3, 0.35, 8000, 8000, 0.266299, 0.064279, 0.050505, 0.000000, 0.000000, 1800, 1800, 1600, false],
  [189, "TL9", "Very high load broadleaf litter", 0.6, 0.35, 8000, 8000, 0.305326, 0.151515, 0.190542, 0.000000, 0.000000, 1800, 1800, 1600, false],
  [201, "SB1", "Low load activity fuel", 1.0, 0.25, 8000, 8000, 0.068871, 0.137741, 0.505051, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [202, "SB2", "Moderate load activity or low load blowdown", 1.0, 0.25, 8000, 8000, 0.206612, 0.195133, 0.183655, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [203, "SB3", "High load activity fuel or moderate load blowdown", 1.2, 0.25, 8000, 8000, 0.252525, 0.126263, 0.137741, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [204, "SB4", "High load blowdown", 2.7, 0.25, 8000, 8000, 0.241047, 0.160698, 0.241047, 0.000000, 0.000000, 2000, 1800, 1600, false],
  [91, "NB1", "Urban/developed", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false],
  [92, "NB2", "Snow/ice", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false],
  [93, "NB3", "Agricultural", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false],
  [98, "NB8", "Open water", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false],
  [99, "NB9", "Bare ground", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false],
];

const LB_FT2_PER_T_AC = 2000 / 43560;

/**
 * Scott & Burgan (2005) publish loads in t/ac to 0.01; the shared table carries them in lb/ft² to
 * 6 decimals, which loses up to 1e-5 relative. SH2's live fuel sits near extinction, so that alone
 * moves its intensity by 1.5e-4: we restore the published t/ac values, as behave stores them.
 */
function scottBurganLoad(number: number, lbPerFt2: number): number {
  if (number < 101) return lbPerFt2;
  return (Math.round((lbPerFt2 / LB_FT2_PER_T_AC) * 100) / 100) * LB_FT2_PER_T_AC;
}

export const STANDARD_FUEL_MODELS: readonly FuelModelEnglish[] = ROWS.map((r) => ({
  number: r[0], code: r[1], name: r[2], depth_ft: r[3], mx_dead: r[4],
  heat_dead_btu_lb: r[5], heat_live_btu_lb: r[6],
  load_1h_lb_ft2: scottBurganLoad(r[0], r[7]), load_10h_lb_ft2: scottBurganLoad(r[0], r[8]),
  load_100h_lb_ft2: scottBurganLoad(r[0], r[9]), load_herb_lb_ft2: scottBurganLoad(r[0], r[10]),
  load_woody_lb_ft2: scottBurganLoad(r[0], r[11]),
  sav_1h_ft: r[12], sav_herb_ft: r[13], sav_woody_ft: r[14], dynamic: r[15],
}));

// Exact definitions (NIST SP 811): international foot, avoirdupois pound, International Table Btu.
export const M_PER_FT = 0.3048;
export const KG_PER_LB = 0.45359237;
export const KJ_PER_BTU = 1.05505585262;
export const M_PER_S_PER_MI_PER_H = 0.44704;

/** Field order of one fuel record in the kernel's table (all SI). */
export const FUEL_FIELDS = [
  'depth_m', 'mx_dead', 'heat_dead_kj_per_kg', 'heat_live_kj_per_kg',
  'load_1h_kg_per_m2', 'load_10h_kg_per_m2', 'load_100h_kg_per_m2', 'load_herb_kg_per_m2', 'load_woody_kg_per_m2',
  'sav_1h_per_m', 'sav_herb_per_m', 'sav_woody_per_m', 'dynamic',
] as const;
export const FUEL_STRIDE = FUEL_FIELDS.length;

export type FuelModelSi = Record<(typeof FUEL_FIELDS)[number], number>;

const KG_PER_M2_PER_LB_PER_FT2 = KG_PER_LB / (M_PER_FT * M_PER_FT);
const KJ_PER_KG_PER_BTU_PER_LB = KJ_PER_BTU / KG_PER_LB;

export function toSiFuel(f: FuelModelEnglish): FuelModelSi {
  return {
    depth_m: f.depth_ft * M_PER_FT,
    mx_dead: f.mx_dead,
    heat_dead_kj_per_kg: f.heat_dead_btu_lb * KJ_PER_KG_PER_BTU_PER_LB,
    heat_live_kj_per_kg: f.heat_live_btu_lb * KJ_PER_KG_PER_BTU_PER_LB,
    load_1h_kg_per_m2: f.load_1h_lb_ft2 * KG_PER_M2_PER_LB_PER_FT2,
    load_10h_kg_per_m2: f.load_10h_lb_ft2 * KG_PER_M2_PER_LB_PER_FT2,
    load_100h_kg_per_m2: f.load_100h_lb_ft2 * KG_PER_M2_PER_LB_PER_FT2,
    load_herb_kg_per_m2: f.load_herb_lb_ft2 * KG_PER_M2_PER_LB_PER_FT2,
    load_woody_kg_per_m2: f.load_woody_lb_ft2 * KG_PER_M2_PER_LB_PER_FT2,
    sav_1h_per_m: f.sav_1h_ft / M_PER_FT,
    sav_herb_per_m: f.sav_herb_ft / M_PER_FT,
    sav_woody_per_m: f.sav_woody_ft / M_PER_FT,
    dynamic: f.dynamic ? 1 : 0,
  };
}

/** Packs fuel models into the kernel's flat table, one FUEL_STRIDE record each. */
export function packFuelTable(models: readonly FuelModelSi[]): Float64Array {
  const table = new Float64Array(models.length * FUEL_STRIDE);
  models.forEach((m, k) => FUEL_FIELDS.forEach((field, j) => { table[k * FUEL_STRIDE + j] = m[field]; }));
  return table;
}

const BY_CODE = new Map(STANDARD_FUEL_MODELS.map((f) => [f.code.toUpperCase(), f]));
const BY_NUMBER = new Map(STANDARD_FUEL_MODELS.map((f) => [f.number, f]));

/** A standard model by code ("GR2", case-insensitive) or number (102, or "102"). */
export function findStandardFuel(key: unknown): FuelModelEnglish | undefined {
  if (typeof key === 'number') return BY_NUMBER.get(key);
  if (typeof key !== 'string') return undefined;
  const trimmed = key.trim();
  if (/^\d+$/.test(trimmed)) return BY_NUMBER.get(Number(trimmed));
  return BY_CODE.get(trimmed.toUpperCase());
}
