// Seeded random risk lists and input streams: for the agreement tests (as JSON cases through the
// parser) and the benchmark (packed directly, a million items without a million JSON objects).
import { seededRandom } from '../random.ts';
import { defaultHolds, type ItemDef } from './list.ts';
import { readingsBatch, type InputBatch, type PackedList } from './packed.ts';

export interface RandomCaseOptions {
  items: number;
  readings: number;
  warnings: number;
  events: number;
  pins: number;
  /** Readings fall on multiples of this, so many share an instant. */
  timeStepS: number;
  untilS: number;
}

/** A JSON case in the contract's form that exercises every rule: ties, deadbands, on-delays, staleness. */
export function randomCase(seed: number, o: RandomCaseOptions) {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const areas = ['north', 'south', 'east'];
  const categories = ['waterlogging', 'slope', 'septic-tank', 'tunnel'];
  const items = Array.from({ length: o.items }, (_, i) => {
    const factorCount = pick([0, 1, 1, 2, 3]);
    const factors = Array.from({ length: factorCount }, (_, k) => {
      const below = random() < 0.3;
      const levels = pick([[2, 3, 4], [2, 3, 4], [3, 4], [4], [2, 4]]);
      const thresholds: Record<string, number> = {};
      levels.forEach((l, j) => { thresholds[String(l)] = below ? 50 - 10 * (j + 1) : 10 * (j + 1); });
      return {
        id: `f${k}`, direction: below ? 'below' : 'above', thresholds,
        deadband: pick([0, 0, 2, 5]), on_delay_s: pick([0, 0, 30, 120]), stale_after_s: pick([200, 600, 1e6]),
      };
    });
    const item: Record<string, unknown> = { id: `I${(i * 7919) % o.items}`, category: pick(categories), area: pick(areas), factors };
    if (random() < 0.3) item.base_level = pick([1, 2, 3]);
    if (random() < 0.2) item.hold_s = { 4: pick([300, 600]), 3: pick([200, 600]), 2: pick([100, 300]) };
    return item;
  });
  const withFactors = items.filter((it) => (it.factors as unknown[]).length > 0);
  const time = () => Math.floor(random() * (o.untilS / o.timeStepS)) * o.timeStepS;
  const readingTimes = Array.from({ length: withFactors.length ? o.readings : 0 }, time).sort((a, b) => a - b);
  const readings = readingTimes.map((t_s) => {
    const item = pick(withFactors);
    const factor = pick(item.factors as { id: string; direction: string }[]);
    // Mostly quiet (below every threshold), with spikes that cross them.
    const r = random();
    const magnitude = r < 0.8 ? r * 11 : (r - 0.8) * 250;
    const value = factor.direction === 'below' ? 50 - magnitude : magnitude;
    return { t_s, item: item.id as string, factor: factor.id, value: Math.round(value * 10) / 10 };
  });
  const warnings = Array.from({ length: o.warnings }, (_, k) => {
    const t_s = time();
    const w: Record<string, unknown> = { id: `W${k}`, t_s, level: pick([1, 2, 3, 4]), hazard: pick(['rainstorm', 'geohazard', 'flood']) };
    if (random() < 0.8) w.lift_s = t_s + pick([o.timeStepS, 300, 1000]);
    const scope = random();
    if (scope < 0.4) w.area = pick(areas);
    else if (scope < 0.8) w.categories = [pick(categories)];
    else w.items = [pick(items).id];
    return w;
  });
  const events = Array.from({ length: o.events }, () => {
    const verified = random() < 0.4;
    const e: Record<string, unknown> = { t_s: time(), item: pick(items).id, kind: verified ? 'verified' : pick(['accident', 'hidden-danger']) };
    if (!verified) e.level = pick([2, 3, 4]);
    return e;
  }).sort((a, b) => (a.t_s as number) - (b.t_s as number));
  const pins = Array.from({ length: o.pins }, () => {
    const t_s = time();
    const p: Record<string, unknown> = { t_s, item: pick(items).id, level: pick([1, 2, 3, 4]) };
    if (random() < 0.7) p.expires_s = t_s + pick([o.timeStepS, 500]);
    return p;
  });
  return { until_s: o.untilS, hold_s: { 4: 900, 3: 600, 2: 300 }, items, readings, warnings, events, pins };
}

/**
 * A city-sized list for the benchmark: `items` items with one `above` factor each (thresholds
 * 10/20/30, deadband 1, stale after 600 s, on-delay 60 s on every fourth), and `readings`
 * readings, each item reporting in turn, `perInstant` readings sharing each instant.
 */
export function syntheticList(items: number): ItemDef[] {
  const out: ItemDef[] = new Array(items);
  for (let i = 0; i < items; i++) {
    out[i] = {
      id: `R${String(i).padStart(7, '0')}`,
      base: 1,
      holdS: defaultHolds(),
      factors: [{
        id: 'depth_cm', direction: 1, thresholds: [NaN, 10, 20, 30], deadband: 1,
        onDelayS: i % 4 === 0 ? 60 : 0, staleAfterS: 600,
      }],
    };
  }
  return out;
}

/** Readings sweep the list: reading k goes to factor k mod F at time ⌊k / perInstant⌋ · stepS. */
export function syntheticReadings(list: PackedList, readings: number, perInstant: number, stepS: number, seed: number): InputBatch {
  const random = seededRandom(seed);
  const factor = new Int32Array(readings);
  const time = new Float64Array(readings);
  const value = new Float64Array(readings);
  // A slowly varying level per factor: mostly low, sometimes a storm pushes it over thresholds.
  for (let k = 0; k < readings; k++) {
    factor[k] = k % list.factors;
    time[k] = Math.floor(k / perInstant) * stepS;
    const r = random();
    value[k] = r < 0.9 ? r * 9 : (r - 0.9) * 350;
  }
  return readingsBatch(factor, time, value);
}
