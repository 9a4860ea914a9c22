// Rain → slope stability at the geohazard points: each slope item becomes a `landslide fs` cell
// (slope from the DEM at its location, soil from the table below), grouped by district because a
// case carries one rain series; the case is built as values (models/landslide/fs-typed.ts). The
// factor of safety over time feeds the item as the reading `fs_min`, and the share of failing
// slopes per district drives geohazard warnings.
import { dmath } from '../dmath.ts';
import type { Grid } from '../grid/ascii.ts';
import { cellAt } from '../grid/ascii.ts';
import type { FsOutput } from '../landslide/fs.ts';
import type { FsCells } from '../landslide/fs-typed.ts';
import type { BASAL_BOUNDARIES } from '../landslide/spec.ts';
import { SeededRandom } from '../random.ts';
import type { StepGrid } from './forcing.ts';
import type { RegionItem } from './region.ts';

/**
 * Residual colluvium over sandstone and mudstone, as on the reference city's slopes. Each slope
 * draws its soil from published ranges (c' 4–14 kPa, φ' 30–36°, depth 1.8–3.4 m, Ks 2·10⁻⁶ to
 * 2·10⁻⁵ m/s) with the scenario's seed, so slopes differ as real ones do and the draw repeats.
 */
export function slopeSoil(slopeDeg: number, random: Pick<SeededRandom, 'next'>) {
  // Arguments are evaluated left to right: the draws keep their order (depth, water table, c', φ', Ks).
  return soilFromDraws(slopeDeg, random.next(), random.next(), random.next(), random.next(), random.next());
}

/** What slopeSoil gives every slope whatever its draws. */
export const UNIFORM_SOIL = { unit_weight_soil_n_per_m3: 19500, diffusivity_m2_per_s: 6e-5, background_infiltration_m_per_s: 2e-8 } as const;

/** The soil of slopeSoil from its five uniform draws in (0, 1), in draw order. */
export function soilFromDraws(slopeDeg: number, uDepth: number, uWaterTable: number, uCohesion: number, uFriction: number, uKs: number) {
  const depth = 1.8 + 1.6 * uDepth;
  return {
    soil_depth_m: Number(depth.toFixed(2)),
    water_table_depth_m: Number((depth * (0.55 + 0.35 * uWaterTable)).toFixed(2)),
    cohesion_pa: Math.round(4000 + 10000 * uCohesion + 150 * Math.max(0, slopeDeg - 25)),
    friction_deg: Number((30 + 6 * uFriction).toFixed(1)),
    unit_weight_soil_n_per_m3: UNIFORM_SOIL.unit_weight_soil_n_per_m3,
    ks_m_per_s: Number((2e-6 * dmath.pow(10, uKs)).toPrecision(3)),
    diffusivity_m2_per_s: UNIFORM_SOIL.diffusivity_m2_per_s,
    background_infiltration_m_per_s: UNIFORM_SOIL.background_infiltration_m_per_s,
  };
}

export type BasalBoundary = (typeof BASAL_BOUNDARIES)[number];

export interface SlopeCase {
  district: string;
  items: RegionItem[];
  /** The `landslide fs` cells form, as values (models/landslide/fs-typed.ts builds its case). */
  input: FsCells;
  /** Items on ground steeper than the model's 60°, run at 60° (a model warning of the run). */
  clampedSlopes: { item: string; slopeDeg: number }[];
}

/** The steepest slope the landslide model takes (models/landslide/spec.ts); steeper ground is run at it. */
export const MAX_MODEL_SLOPE_DEG = 60;

export function buildSlopeCases(items: readonly RegionItem[], slopeDeg: Float64Array, dem: Grid, rainAtItem: ReadonlyMap<string, Float64Array>, grid: StepGrid, outputEveryS: number, seed: number,
  basalBoundary: BasalBoundary = 'finite',
): SlopeCase[] {
  const random = new SeededRandom(seed);
  // One case per rain series: a district's slopes share one under areal rain; under rain grids
  // each slope may have its own.
  const byRain = new Map<Float64Array, RegionItem[]>();
  for (const item of items) {
    if (item.category !== 'slope') continue;
    const rain = rainAtItem.get(item.id)!;
    byRain.set(rain, [...(byRain.get(rain) ?? []), item]);
  }
  const outputTimes = Array.from({ length: Math.floor((grid.steps * grid.stepS) / outputEveryS) }, (_, k) => (k + 1) * outputEveryS);
  return [...byRain].map(([rainMm, group]) => {
    const clampedSlopes: SlopeCase['clampedSlopes'] = [];
    const cells = group.map((item) => {
      const cell = cellAt(dem, item.x_m, item.y_m)!;
      const terrain = slopeDeg[cell.row * dem.ncols + cell.col];
      if (terrain > MAX_MODEL_SLOPE_DEG) clampedSlopes.push({ item: item.id, slopeDeg: terrain });
      const slope = Math.min(MAX_MODEL_SLOPE_DEG, terrain);
      return { slope_deg: Number(slope.toFixed(2)), ...slopeSoil(slope, random) };
    });
    return {
      district: group[0].area, items: group, clampedSlopes,
      input: {
        cells,
        rain: { periodS: grid.stepS, mPerS: metresPerSecond(rainMm, grid.stepS) },
        outputTimesS: Float64Array.from(outputTimes),
        basalBoundary,
      },
    };
  });
}

/** Minimum factor of safety of each item at each output time. */
export function fsSeries(slopeCase: SlopeCase, output: FsOutput): Map<string, { tS: number[]; fs: number[] }> {
  const out = new Map<string, { tS: number[]; fs: number[] }>();
  for (let k = 0; k < slopeCase.items.length; k++) {
    const times = output.cells[k].times;
    const series = { tS: [] as number[], fs: [] as number[] };
    for (const t of times) { series.tS.push(t.t_s); series.fs.push(t.fs_min ?? NaN); }
    out.set(slopeCase.items[k].id, series);
  }
  return out;
}

/** mm per step → m/s. Module-level loops here and above: callbacks made per call were compiled again at every ensemble member. */
function metresPerSecond(rainMm: Float64Array, stepS: number): Float64Array {
  const out = new Float64Array(rainMm.length);
  for (let j = 0; j < rainMm.length; j++) out[j] = rainMm[j] / 1000 / stepS;
  return out;
}
