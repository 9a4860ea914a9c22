// Virtual sensors: what each risk-list item's factors would read under the modelled storm. Each
// coupling reports once per coupling step, so a coupled factor goes stale only after two steps.
import categoriesFile from '../risklist/categories.json' with { type: 'json' };
import { seededRandom } from '../random.ts';
import type { StepGrid } from './forcing.ts';
import type { RegionItem } from './region.ts';

export interface Reading { t_s: number; item: string; factor: string; value: number }

interface FactorDefinition {
  id: string; unit?: string; direction: 'above' | 'below'; thresholds: Record<string, number>;
  deadband?: number; on_delay_s?: number; interval_s?: number;
}

const CATEGORY_FACTORS = new Map<string, FactorDefinition[]>(
  (categoriesFile as { categories: { id: string; factors: FactorDefinition[] }[] }).categories.map((c) => [c.id, c.factors]),
);

/**
 * The factor the slope coupling adds: the modelled minimum factor of safety. Yellow below 1.2,
 * orange below 1.1, red below 1.0 (failure predicted) — this project's bands, matching the
 * geohazard warning rule.
 */
export const FS_FACTOR: FactorDefinition = {
  id: 'fs_min', unit: '1', direction: 'below', thresholds: { 2: 1.2, 3: 1.1, 4: 1.0 }, deadband: 0.02, on_delay_s: 0,
};

/** The factor definitions of the grade case: the category's, for the factors a coupling feeds. */
export function coupledFactors(category: string, fed: readonly string[], feedIntervalS: number) {
  const defined = [...(CATEGORY_FACTORS.get(category) ?? []), FS_FACTOR];
  return fed.map((id) => {
    const f = defined.find((d) => d.id === id);
    if (!f) throw new Error(`coupling feeds ${category}.${id}, which categories.json does not define`);
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
export function pondFor(item: RegionItem, seed: number): Pond {
  let hash = seed >>> 0;
  for (const ch of item.id) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  const random = seededRandom(hash);
  // Urban drains in the reference city are designed for 3–5-year storms: ≈ 35–50 mm/h.
  const byCategory: Record<string, Pond> = {
    waterlogging: { catchmentM2: 10000 + 30000 * random(), capacityMmPerH: 35 + 15 * random(), pondAreaM2: 1500 + 2000 * random(), maxDepthM: 1.5 },
    tunnel: { catchmentM2: 5000 + 10000 * random(), capacityMmPerH: 40 + 10 * random(), pondAreaM2: 2000 + 1000 * random(), maxDepthM: 1.0 },
    'underground-space': { catchmentM2: 2000 + 6000 * random(), capacityMmPerH: 40 + 10 * random(), pondAreaM2: 800 + 800 * random(), maxDepthM: 0.6 },
  };
  return byCategory[item.category];
}
