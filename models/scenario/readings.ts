// Virtual sensors: what each risk-list item's factors would read under the modelled storm. Each
// coupling reports once per coupling step, so a coupled factor goes stale only after two steps.
import { DEFAULT_CATEGORY_TABLE, type CategoryDefinition, type CategoryTable, type FactorDefinition } from '../risklist/category-table.ts';
import { SeededRandom } from '../random.ts';
import type { StepGrid } from './forcing.ts';
import type { RegionItem } from './region.ts';

export interface Reading { t_s: number; item: string; factor: string; value: number }

/**
 * Factors a coupling can feed, by id: whichever category declares one is fed it (a city's own
 * category as much as a shipped one). Ponding at a low point gives depth_cm and entrance_depth_cm,
 * the rivers stage_above_warning_m and water_level_below_deck_m, the rain rain_24h_mm; fs_min
 * comes from the slope coupling, which computes it for the `slope` category's items.
 */
export const COUPLED_FACTOR_IDS: readonly string[] = ['depth_cm', 'entrance_depth_cm', 'rain_24h_mm', 'stage_above_warning_m', 'water_level_below_deck_m'];
export const RIVER_FACTOR_IDS: readonly string[] = ['stage_above_warning_m', 'water_level_below_deck_m'];
export const POND_FACTOR_IDS: readonly string[] = ['depth_cm', 'entrance_depth_cm'];

/** The factors the couplings feed an item of this category, in the category's order (fs_min last). */
export function fedFactorsOf(category: CategoryDefinition | undefined): string[] {
  if (!category) return [];
  const fed = category.factors.map((f) => f.id).filter((id) => COUPLED_FACTOR_IDS.includes(id));
  return category.id === 'slope' ? [...fed, 'fs_min'] : fed;
}

/** The table a region's run grades with: the one loaded with it, else the engine's default. */
export function categoryTableOf(region: { categories?: CategoryTable }): CategoryTable {
  return region.categories ?? DEFAULT_CATEGORY_TABLE;
}

/**
 * The factor the slope coupling adds: the modelled minimum factor of safety. Yellow below 1.2,
 * orange below 1.1, red below 1.0 (failure predicted) — this project's bands, matching the
 * geohazard warning rule.
 */
export const FS_FACTOR: FactorDefinition = {
  id: 'fs_min', unit: '1', direction: 'below', thresholds: { 2: 1.2, 3: 1.1, 4: 1.0 }, deadband: 0.02, on_delay_s: 0,
};

/** The factor definitions of the grade case: the category's, for the factors a coupling feeds. */
export function coupledFactors(category: CategoryDefinition | undefined, fed: readonly string[], feedIntervalS: number) {
  const defined = [...(category?.factors ?? []), FS_FACTOR];
  return fed.map((id) => {
    const f = defined.find((d) => d.id === id);
    if (!f) throw new Error(`coupling feeds ${category?.id}.${id}, which its category table does not define`);
    const interval = Math.max(f.interval_s ?? 300, feedIntervalS);
    return { id: f.id, direction: f.direction, thresholds: f.thresholds, deadband: f.deadband ?? 0, on_delay_s: f.on_delay_s ?? 0, stale_after_s: 2 * interval };
  });
}

/**
 * Ponding at a low point (underpass, tunnel, basement entrance): its catchment drains at the
 * design capacity; rain above that fills the dip, and it empties at the capacity once rain eases.
 * Depth is the stored volume over the ponding area, capped where water spills onward.
 */
export interface Pond { catchmentM2: number; capacityMmPerH: number; pondAreaM2: number; maxDepthM: number }

export function pondDepthsM(rainMmPerStep: Float64Array, pond: Pond, grid: StepGrid): Float64Array {
  const depth = new Float64Array(rainMmPerStep.length);
  const capacityMm = (pond.capacityMmPerH * grid.stepS) / 3600;
  let volume = 0;
  for (let j = 0; j < depth.length; j++) {
    volume = Math.max(0, volume + ((rainMmPerStep[j] - capacityMm) / 1000) * pond.catchmentM2);
    volume = Math.min(volume, pond.maxDepthM * pond.pondAreaM2);
    depth[j] = volume / pond.pondAreaM2;
  }
  return depth;
}

/** Low points differ: their catchments and drains are drawn per item from the scenario seed. */
export function pondFor(item: RegionItem, seed: number, fed: readonly string[] = []): Pond {
  let hash = seed >>> 0;
  for (const ch of item.id) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  const random = new SeededRandom(hash);
  // Urban drains in the reference city are designed for 3–5-year storms: ≈ 35–50 mm/h.
  const byCategory: Record<string, Pond> = {
    waterlogging: { catchmentM2: 10000 + 30000 * random.next(), capacityMmPerH: 35 + 15 * random.next(), pondAreaM2: 1500 + 2000 * random.next(), maxDepthM: 1.5 },
    tunnel: { catchmentM2: 5000 + 10000 * random.next(), capacityMmPerH: 40 + 10 * random.next(), pondAreaM2: 2000 + 1000 * random.next(), maxDepthM: 1.0 },
    'underground-space': { catchmentM2: 2000 + 6000 * random.next(), capacityMmPerH: 40 + 10 * random.next(), pondAreaM2: 800 + 800 * random.next(), maxDepthM: 0.6 },
  };
  // A city's own category pools like the shipped one its factor says it is.
  return byCategory[item.category] ?? byCategory[fed.includes('entrance_depth_cm') ? 'underground-space' : 'waterlogging'];
}
