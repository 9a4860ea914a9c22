// What a scenario run derives from the models' results, beside the orchestration in ./run.ts: the
// risk list's items and the readings the couplings feed them, the rivers' gauges, rule and inject
// warnings, and evacuation orders.
import type { RouteOutput } from '../flood/route.ts';
import { flowsAtStepEnds, gaugeSites, nearestRiverReach, normalDepthM, GEOMETRY, type FloodSetup } from './flood-coupling.ts';
import { trailingSum, type StepGrid } from './forcing.ts';
import type { RainField } from './rain-field.ts';
import { actionAreas } from './actions.ts';
import type { CategoryTable } from '../risklist/category-table.ts';
import type { ItemValues } from '../risklist/parse.ts';
import type { Inject } from './injects.ts';
import { categoryTableOf, coupledFactors, fedFactorsOf, pondDepthsM, pondFor, POND_FACTOR_IDS, RIVER_FACTOR_IDS, type Reading } from './readings.ts';
import type { RegionData, RegionItem } from './region.ts';
import type { Scenario } from './schema.ts';
import { floodLevels, geohazardLevels, levelsToWarnings, rainstormLevels, type IssuedWarning } from './warning-rules.ts';
import type { Gauge } from './run.ts';
import { perRegion } from './region-memo.ts';

/** An item of the grade case: its category's coupled factors and hazards, from the table in use. */
export function gradeItem(item: RegionItem, grid: StepGrid, table?: CategoryTable): ItemValues {
  const category = table?.categories.get(item.category) ?? categoryTableOf({}).categories.get(item.category);
  const fed = fedFactorsOf(category);
  // Rain over 24 h and the factor of safety are reported hourly.
  const feedInterval = fed.includes('rain_24h_mm') || fed.includes('fs_min') ? 3600 : grid.stepS;
  return {
    id: item.id, category: item.category, area: item.area,
    ...(category ? { hazards: category.hazards } : {}),
    ...(item.lec ? { lec: item.lec } : {}), ...(item.matrix ? { matrix: item.matrix } : {}),
    factors: coupledFactors(category, fed, feedInterval),
  };
}

export function coupledReadings(
  scenario: Scenario, region: RegionData, grid: StepGrid, rain: RainField, rivers: Rivers | undefined, fsBySlope: Map<string, { tS: number[]; fs: number[] }>, injects: readonly Inject[], due: Map<string, number | undefined>,
): Reading[] {
  const readings: Reading[] = [];
  const table = categoryTableOf(region);
  const stepS = grid.stepS;
  for (const item of region.items) {
    const itemRain = rain.atItem.get(item.id)!;
    const fed = fedFactorsOf(table.categories.get(item.category));
    const pond = fed.find((f) => POND_FACTOR_IDS.includes(f));
    const river = fed.find((f) => RIVER_FACTOR_IDS.includes(f));
    if (pond) {
      const depths = pondDepthsM(itemRain, pondFor(item, scenario.seed, fed), grid);
      for (let j = 0; j < depths.length; j++) readings.push({ t_s: (j + 1) * stepS, item: item.id, factor: pond, value: round(depths[j] * 100, 1) });
    } else if (river && rivers?.reachOfItem.has(item.id)) {
      const { route, setup } = rivers;
      const reach = rivers.reachOfItem.get(item.id)!;
      const h = setup.hydraulics.get(reach)!;
      const bankfullDepth = normalDepthM(h, h.bankfullM3PerS, setup.manningN);
      const flows = flowsAtStepEnds(route, reach);
      for (let j = 0; j < flows.length; j++) {
        const depth = normalDepthM(h, flows[j], setup.manningN);
        const value = river === 'stage_above_warning_m' ? depth - bankfullDepth : bankfullDepth + GEOMETRY.deckAboveBankfullM - depth;
        readings.push({ t_s: (j + 1) * stepS, item: item.id, factor: river, value: round(value, 2) });
      }
    } else if (fed.includes('rain_24h_mm') || fed.includes('fs_min')) {
      const perHour = Math.round(3600 / grid.stepS);
      const rain24 = trailingSum(itemRain, Math.round(86400 / grid.stepS));
      const fs = fsBySlope.get(item.id);
      for (let j = perHour - 1; j < grid.steps; j += perHour) {
        const t = (j + 1) * stepS;
        readings.push({ t_s: t, item: item.id, factor: 'rain_24h_mm', value: round(rain24[j], 1) });
        const k = fs ? fs.tS.indexOf(t) : -1;
        if (fs && k >= 0 && Number.isFinite(fs.fs[k])) readings.push({ t_s: t, item: item.id, factor: 'fs_min', value: round(fs.fs[k], 3) });
      }
    }
  }
  // A reading an inject reports (a police or patrol observation) stands beside the model's.
  for (const inject of injects) {
    const t = due.get(inject.id);
    const action = inject.action;
    if (action?.type === 'sensor-reading' && t !== undefined && action.item && action.factor && typeof action.value === 'number') {
      readings.push({ t_s: t, item: action.item, factor: action.factor, value: action.value });
    }
  }
  return readings.sort(byTimeItemFactor);
}

// Module-level, not closures made at each call: V8 compiled such closures again at every ensemble member.
/** Hourly values held over each hour's steps (the last one after the series ends). */
function heldEachHour(hourly: readonly number[], steps: number, perHour: number): Float64Array {
  const out = new Float64Array(steps);
  for (let j = 0; j < steps; j++) out[j] = hourly[Math.min(hourly.length - 1, Math.floor(j / perHour))];
  return out;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));
const byTimeThenId = (a: IssuedWarning, b: IssuedWarning) => a.t_s - b.t_s || a.id.localeCompare(b.id);
const byTimeItemFactor = (a: Reading, b: Reading) => a.t_s - b.t_s || a.item.localeCompare(b.item) || a.factor.localeCompare(b.factor);

/** The flood's results the readings and warnings share: gauges, and the river reach beside each dike or bridge. */
export interface Rivers { route: RouteOutput; setup: FloodSetup; gauges: Gauge[]; reachOfItem: Map<string, string> }

export function riversOf(region: RegionData, route: RouteOutput, setup: FloodSetup): Rivers {
  const reachOfItem = new Map<string, string>();
  const table = categoryTableOf(region);
  for (const item of region.items) {
    if (fedFactorsOf(table.categories.get(item.category)).some((f) => RIVER_FACTOR_IDS.includes(f))) reachOfItem.set(item.id, nearestRiverReach(region, setup.hydraulics, item.x_m, item.y_m));
  }
  return { route, setup, gauges: gaugesOf(region, route, setup), reachOfItem };
}

export function ruleWarnings(region: RegionData, grid: StepGrid, rain: RainField, rivers: Rivers | undefined, fsBySlope: Map<string, { tS: number[]; fs: number[] }>): IssuedWarning[] {
  const warnings: IssuedWarning[] = [];
  for (const [district, depths] of rain.byDistrict) {
    const { levels, sums } = rainstormLevels(depths, grid);
    warnings.push(...levelsToWarnings(levels, grid, 'rainstorm', district,
      (j) => `rain ${sums.h3[j].toFixed(0)} mm in 3 h, ${sums.h6[j].toFixed(0)} mm in 6 h, ${sums.h12[j].toFixed(0)} mm in 12 h`));
  }
  // River flood: each district with riverside items is warned by its forecast point.
  const gauges = rivers?.gauges ?? [];
  const districtsOnRiver = new Map<string, Set<string>>();
  for (const item of region.items) {
    const reach = rivers?.reachOfItem.get(item.id);
    if (!rivers || reach === undefined) continue;
    const gauge = gaugeFor(region, gauges, reach);
    if (!gauge) continue;
    if (!districtsOnRiver.has(gauge.id)) districtsOnRiver.set(gauge.id, new Set());
    districtsOnRiver.get(gauge.id)!.add(item.area);
  }
  for (const gauge of gauges) {
    const flows = flowsAtStepEnds(rivers!.route, gauge.reach);
    const levels = floodLevels(flows, gauge.bankfullM3PerS, grid);
    for (const district of districtsOnRiver.get(gauge.id) ?? []) {
      warnings.push(...levelsToWarnings(levels, grid, 'flood', district,
        (j) => `${gauge.river} at ${gauge.reach}: ${flows[j].toFixed(0)} m³/s against a warning flow of ${gauge.bankfullM3PerS.toFixed(0)} m³/s`).map((w) => ({ ...w, id: `${w.id}-${gauge.id}` })));
    }
  }
  // Geohazard: per district, from its slopes' hourly FS (held constant within each hour).
  const perHour = Math.round(3600 / grid.stepS);
  const byDistrict = new Map<string, Float64Array[]>();
  for (const item of region.items) {
    const fs = fsBySlope.get(item.id);
    if (item.category !== 'slope' || !fs) continue;
    const perStep = heldEachHour(fs.fs, grid.steps, perHour);
    byDistrict.set(item.area, [...(byDistrict.get(item.area) ?? []), perStep]);
  }
  for (const [district, series] of byDistrict) {
    warnings.push(...levelsToWarnings(geohazardLevels(series, grid), grid, 'geohazard', district,
      (j) => `${series.filter((fs) => fs[j] < 1).length} of ${series.length} monitored slopes below FS 1, ${series.filter((fs) => fs[j] < 1.1).length} below 1.1`));
  }
  return warnings.sort(byTimeThenId);
}

export function injectWarnings(injects: readonly Inject[], due: Map<string, number | undefined>, districtIds: string[]): IssuedWarning[] {
  const issued: IssuedWarning[] = [];
  for (const inject of injects) {
    const t = due.get(inject.id);
    const action = inject.action;
    if (t === undefined || !action) continue;
    if (action.type === 'warning-issue') {
      const named = actionAreas(action);
      const areas = named === 'all' ? districtIds : [...named];
      issued.push({ id: action.id ?? inject.id, t_s: t, level: action.level ?? 2, hazard: action.hazard ?? 'rainstorm', areas, reason: inject.title, source: 'inject' });
    }
  }
  for (const inject of injects) {
    const t = due.get(inject.id);
    const action = inject.action;
    if (t !== undefined && action?.type === 'warning-lift') {
      const target = issued.find((w) => w.id === action.id);
      if (target && target.t_s < t) target.lift_s = t;
    }
  }
  return issued;
}

/**
 * The forecast point that warns a riverside reach: the first gauge met going downstream from it,
 * on its own river. The flood that reaches the reach passes that gauge; a gauge on another
 * branch, however close, does not see it. A reach with no gauge downstream (a second outlet) is
 * warned by none.
 */
export function gaugeFor(region: RegionData, gauges: readonly Gauge[], reach: string): Gauge | undefined {
  // Region-derived, and loops rather than callbacks: this runs at every ensemble member.
  const downstreamOf = perRegion(region, 'downstreamOf', () => new Map(region.manifest.reaches.map((r) => [r.id, r.downstream])));
  const gaugeAt = new Map<string, Gauge>();
  for (const g of gauges) gaugeAt.set(g.reach, g);
  for (let id: string | null | undefined = reach, hops = 0; id && hops <= downstreamOf.size; id = downstreamOf.get(id), hops++) {
    const gauge = gaugeAt.get(id);
    if (gauge) return gauge;
  }
  return undefined;
}

/** Districts under an evacuation order, by id → the earliest order's time. */
export function evacuations(injects: readonly Inject[], due: Map<string, number | undefined>, districtIds: string[]): Map<string, number> {
  const from = new Map<string, number>();
  for (const inject of injects) {
    const t = due.get(inject.id);
    const action = inject.action;
    if (t === undefined || action?.type !== 'evacuation') continue;
    const named = actionAreas(action);
    const areas = named === 'all' ? districtIds : named;
    for (const area of areas) from.set(area, Math.min(from.get(area) ?? Infinity, t));
  }
  return from;
}

/** The gauges (gaugeSites) with this run's peaks. */
export function gaugesOf(region: RegionData, route: RouteOutput, setup: FloodSetup): Gauge[] {
  return gaugeSites(region, setup.hydraulics).flatMap(({ id, river, reach }) => {
    const out = route.reaches[reach];
    return out ? [{ id, river, reach, bankfullM3PerS: setup.hydraulics.get(reach)!.bankfullM3PerS, peakM3PerS: out.peak_m3_per_s, peakTimeS: out.peak_time_s }] : [];
  });
}
