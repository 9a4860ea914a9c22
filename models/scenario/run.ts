// A whole scenario, headless: rain → runoff → rivers → stage at riverside points; rain → ponding at
// low points; rain → slope stability at geohazard points; all of it → readings and official
// warnings → the risk list. Same scenario and seed, same result, in Node and in the browser.
import type { Engine } from '../engine.ts';
import type { RouteOutput } from '../flood/route.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { ENGINE_VERSION } from '../version.ts';
import { buildFloodCase, flowsAtStepEnds, gaugeSites, nearestRiverReach, normalDepthM, GEOMETRY, type FloodSetup } from './flood-coupling.ts';
import { rainEffects, stepGrid, trailingSum, type StepGrid } from './forcing.ts';
import { rainField, type RainField } from './rain-field.ts';
import { rainMap, type RainMap } from './rain-map.ts';
import { floodInundation, peakExcessStageM, type Inundation } from './inundation.ts';
import { runSlopeGrid, type SlopeGridRun } from './slope-grid.ts';
import type { Grid } from '../grid/ascii.ts';
import { InputError } from '../errors.ts';
import { actionAreas, checkActionReferences, FED_FACTORS } from './actions.ts';
import { checkScenarioReferences } from './references.ts';
import { conditionParts, placedActions, scheduledTimes, type Inject } from './injects.ts';
import { coupledFactors, pondDepthsM, pondFor, type Reading } from './readings.ts';
import type { RegionData, RegionItem } from './region.ts';
import type { Scenario } from './schema.ts';
import { fireWarnings, runFire, type FireRun } from './fire-coupling.ts';
import { buildSlopeCases, fsSeries } from './slope-coupling.ts';
import { totalByDistrict, peopleByWarningLevel } from './timeline.ts';
import { floodLevels, geohazardLevels, levelsToWarnings, rainstormLevels, type IssuedWarning } from './warning-rules.ts';

export interface Gauge { id: string; river: string; reach: string; bankfullM3PerS: number; peakM3PerS: number; peakTimeS: number }

export interface RiskChange { t_s: number; item: string; from: number; to: number; reason: Record<string, unknown> }

export interface ScenarioRun {
  scenarioId: string;
  seed: number;
  engineVersion: string;
  grid: StepGrid;
  timingsMs: Record<string, number>;
  rainMmByDistrict: Map<string, Float64Array>;
  /** The rain hour by hour on coarse blocks, for the map's rain layer. */
  rainMap: RainMap;
  /** The rivers, when the scenario runs the flood model. */
  route?: RouteOutput;
  gauges: Gauge[];
  /** Deepest flood water over the land, where the rivers rose above bankfull (flood model only). */
  inundation?: Inundation;
  /** Warning (bankfull) flow of every reach, m³/s: what the map colours rivers against. */
  warningFlowByReach: Record<string, number>;
  fsBySlope: Map<string, { tS: number[]; fs: number[] }>;
  /** Factor of safety over the whole region's steep ground (landslide model). */
  slopeGrid?: SlopeGridRun;
  /** The fire, when an ignition was delivered and the fire model runs. */
  fire?: FireRun;
  readings: Reading[];
  warnings: IssuedWarning[];
  /** Residents under each warning level (0 = none) at every step end. */
  peopleByWarningLevel: Record<0 | 1 | 2 | 3 | 4, Float64Array>;
  /** Buildings under each warning level at every step end. */
  buildingsByWarningLevel: Record<0 | 1 | 2 | 3 | 4, Float64Array>;
  /** Residents of each district (from the population grid). */
  residentsByDistrict: Record<string, number>;
  delivered: { id: string; t_s: number }[];
  risk: { changes: RiskChange[]; final: Record<string, number>; stale: unknown[] };
}

export interface RunOptions {
  /** Manual or held injects the trainer delivered, by id → scenario time. */
  delivered?: ReadonlyMap<string, number>;
  onProgress?: (stage: string) => void;
  /** The scenario's rain grids (`forcing.rain.grids`), read by the caller beside the scenario. */
  rainGrids?: readonly Grid[];
}

const FLOOD_ACTIONS: readonly string[] = ['rain', 'dam-release'];

/** When each condition trigger fires on this run's flows (the first step end above the value). */
function conditionTimes(injects: readonly Inject[], route: RouteOutput | undefined, setup: FloodSetup | undefined, region: RegionData, grid: StepGrid): Map<string, number> {
  const fired = new Map<string, number>();
  if (!route || !setup) return fired;
  // A condition names a reach, or a gauge by its id (checked against the region before the run).
  const gaugeReach = new Map(gaugeSites(region, setup.hydraulics).map((g) => [g.id, g.reach]));
  for (const inject of injects) {
    if (inject.trigger.type !== 'condition') continue;
    const { gauge, aboveM3PerS: above } = conditionParts(inject.trigger.condition);
    const j = flowsAtStepEnds(route, gaugeReach.get(gauge) ?? gauge).findIndex((q) => q > above);
    if (j >= 0) fired.set(inject.id, (j + 1) * grid.stepS);
  }
  return fired;
}

/**
 * The injects that can still go out: not cancelled, nor following (`after`) one that was — "1 h
 * after I3" never comes when I3 never went out. (Dropping only the cancelled one left its
 * followers pointing at nothing, and the run failed with a TypeError.)
 */
function withoutCancelled(all: readonly Inject[]): Inject[] {
  let kept = all.filter((i) => i.state !== 'cancelled');
  for (;;) {
    const ids = new Set(kept.map((i) => i.id));
    const next = kept.filter((i) => i.trigger.type !== 'after' || ids.has(i.trigger.inject));
    if (next.length === kept.length) return kept;
    kept = next;
  }
}

/** Fields of the models' cases that the scenario's own fields fill, by the case's path. */
const CASE_PATHS: Record<string, { path: string; message: string }> = {
  'flood $.basins[…].rain_mm[…]': { path: '$.forcing.rain', message: 'gives more rain in one coupling step (step_s, with district and inject factors) than the runoff model takes' },
  'fire $.duration_s': { path: '$.duration_s', message: 'is longer than the fire model runs' },
  'fire $.output_times_s[…]': { path: '$.duration_s', message: 'is longer than the fire model runs' },
};

/**
 * Times a model's stage. The couplings build the model's case from the scenario and the region;
 * the scenario's settings are validated up front with the model's own ranges, so a case the model
 * still refuses is named at the scenario's model block (with the case's own path inside the
 * message), never by a path of a file the user did not write. Repeats (one per reach) fold into one.
 */
function timed<T>(timings: Record<string, number>, stage: 'flood' | 'landslide' | 'fire' | 'risklist', work: () => Promise<T>, itemsFile?: string): Promise<T> {
  const start = performance.now();
  return work().catch((error: unknown) => {
    if (!(error instanceof InputError)) throw error;
    const seen = new Set<string>();
    throw new InputError(error.problems.flatMap((p) => {
      // The grade case lists the region's items in the items file's order: same index, same fields.
      if (itemsFile !== undefined && p.path.startsWith('$.items[')) return [{ ...p, path: `${itemsFile} ${p.path}` }];
      const internal = p.path.replace(/\[\d+\]/g, '[…]');
      const known = CASE_PATHS[`${stage} ${internal}`];
      const message = known ? known.message : `builds a ${stage} case the model refuses (${internal}: ${p.message})`;
      if (seen.has(message)) return [];
      seen.add(message);
      return [{ ...p, path: known ? known.path : `$.models.${stage}`, message }];
    }));
  }).finally(() => { timings[stage] = (timings[stage] ?? 0) + performance.now() - start; });
}

export async function runScenario(engine: Engine, scenario: Scenario, region: RegionData, options: RunOptions = {}): Promise<ScenarioRun> {
  const progress = options.onProgress ?? (() => undefined);
  // The couplings' host-side math comes from the kernels (models/dmath.ts): load them first.
  await engine.ready();
  const referenceProblems = [...checkScenarioReferences(scenario, region), ...checkActionReferences(placedActions(scenario.injects), region)];
  if (referenceProblems.length) throw new InputError(referenceProblems);
  const timingsMs: Record<string, number> = {};
  const grid = stepGrid(scenario);
  const districtIds = region.manifest.districts.map((d) => d.id);
  const injects = withoutCancelled(scenario.injects);

  const enabled = (model: 'flood' | 'landslide' | 'fire') => scenario.models[model].enabled;
  // Injects that change the models can fire conditions that deliver more injects: iterate the
  // flood to a fixed point (each pass can only add deliveries, so it ends).
  let route: RouteOutput | undefined;
  let setup: FloodSetup | undefined;
  let due = new Map<string, number | undefined>();
  let rain!: RainField;
  for (let pass = 0; pass < 8; pass++) {
    const fired = new Map([...(options.delivered ?? []), ...conditionTimes(injects, route, setup, region, grid)]);
    const next = scheduledTimes(injects, '$.injects', fired);
    for (const inject of injects) if (inject.state === 'on-hold' && !fired.has(inject.id)) next.set(inject.id, undefined);
    // Only rain and dam releases change the flood: other new deliveries need no second pass.
    const changesFlood = injects.some((i) => FLOOD_ACTIONS.includes(i.action?.type ?? '') && next.get(i.id) !== due.get(i.id));
    const first = pass === 0;
    due = next;
    if (!first && !changesFlood) break;
    rain = rainField(scenario, region, grid, rainEffects(injects, due), options.rainGrids);
    if (!enabled('flood')) break;
    progress(`flood (pass ${pass + 1})`);
    const floodSetup = buildFloodCase(scenario, region, grid, rain.byBasin, injects, due);
    setup = floodSetup;
    route = await timed(timingsMs, 'flood', () => engine.floodRoute(floodSetup.routeCase));
  }

  const fsBySlope = new Map<string, { tS: number[]; fs: number[] }>();
  let slopeGrid: SlopeGridRun | undefined;
  if (enabled('landslide')) {
    progress('landslide');
    const { slopeDeg } = slopeAspect(region.dem);
    for (const slopeCase of buildSlopeCases(region.items, slopeDeg, region.dem, rain.atItem, grid, 3600, scenario.seed, scenario.models.landslide.basal_boundary)) {
      const output = await timed(timingsMs, 'landslide', () => engine.landslideFs(slopeCase.input));
      for (const [id, series] of fsSeries(slopeCase, output)) fsBySlope.set(id, series);
    }
    slopeGrid = await timed(timingsMs, 'landslide', () => runSlopeGrid(engine, region, slopeDeg, rain, grid, scenario.seed, scenario.models.landslide.basal_boundary));
  }

  let fire: FireRun | undefined;
  if (enabled('fire')) {
    progress('fire');
    fire = await timed(timingsMs, 'fire', () => runFire(engine, scenario, region, grid, injects, due, evacuations(injects, due, districtIds)));
  }

  progress('readings and warnings');
  const rivers = route && setup ? riversOf(region, route, setup) : undefined;
  const inundation = route && setup ? floodInundation(region, peakExcessStageM(region, route, setup)) : undefined;
  const readings = coupledReadings(scenario, region, grid, rain, rivers, fsBySlope, injects, due);
  const warnings = [
    ...ruleWarnings(region, grid, rain, rivers, fsBySlope),
    ...(fire ? fireWarnings(fire, region, grid) : []),
    ...injectWarnings(injects, due, districtIds),
  ].sort((a, b) => a.t_s - b.t_s || a.id.localeCompare(b.id));

  progress('risk list');
  const gradeCase = {
    until_s: scenario.durationS,
    items: region.items.map((item) => gradeItem(item, grid)),
    readings,
    warnings: warnings.map(({ id, t_s, lift_s, level, hazard, areas }) => ({ id, t_s, ...(lift_s !== undefined ? { lift_s } : {}), level, hazard, areas })),
  };
  const risk = await timed(timingsMs, 'risklist', () => engine.risklistGrade(gradeCase), region.itemsFile ?? 'risk-items.json') as ScenarioRun['risk'];

  const gauges = rivers?.gauges ?? [];
  const residents = totalByDistrict(region.population.values, region.districts.values, districtIds);
  const exposure = peopleByWarningLevel(warnings, residents, grid.stepS, grid.steps, evacuations(injects, due, districtIds));
  // Buildings stay where they are when people leave: they count under every warning.
  const buildings = totalByDistrict(region.buildings.values, region.districts.values, districtIds);
  const buildingExposure = peopleByWarningLevel(warnings, buildings, grid.stepS, grid.steps);
  const delivered = [...due].filter(([, t]) => t !== undefined).map(([id, t]) => ({ id, t_s: t! })).sort((a, b) => a.t_s - b.t_s || a.id.localeCompare(b.id));
  return {
    scenarioId: scenario.id, seed: scenario.seed, engineVersion: ENGINE_VERSION, grid, timingsMs,
    rainMmByDistrict: rain.byDistrict, rainMap: rainMap(rain, region, grid), route, inundation, slopeGrid, gauges, fsBySlope, fire, peopleByWarningLevel: exposure, buildingsByWarningLevel: buildingExposure,
    residentsByDistrict: Object.fromEntries(residents),
    warningFlowByReach: setup ? Object.fromEntries([...setup.hydraulics].map(([id, h]) => [id, h.bankfullM3PerS])) : {}, readings, warnings, delivered, risk,
  };
}

function gradeItem(item: RegionItem, grid: StepGrid) {
  const feedInterval = item.category === 'slope' ? 3600 : grid.stepS;
  return {
    id: item.id, category: item.category, area: item.area,
    ...(item.lec ? { lec: item.lec } : {}), ...(item.matrix ? { matrix: item.matrix } : {}),
    factors: coupledFactors(item.category, FED_FACTORS[item.category] ?? [], feedInterval),
  };
}

function coupledReadings(
  scenario: Scenario, region: RegionData, grid: StepGrid, rain: RainField, rivers: Rivers | undefined, fsBySlope: Map<string, { tS: number[]; fs: number[] }>, injects: readonly Inject[], due: Map<string, number | undefined>,
): Reading[] {
  const readings: Reading[] = [];
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  for (const item of region.items) {
    const itemRain = rain.atItem.get(item.id)!;
    const at = (j: number) => (j + 1) * grid.stepS;
    if (item.category === 'waterlogging' || item.category === 'tunnel' || item.category === 'underground-space') {
      const depths = pondDepthsM(itemRain, pondFor(item, scenario.seed), grid);
      const factor = FED_FACTORS[item.category][0];
      depths.forEach((d, j) => readings.push({ t_s: at(j), item: item.id, factor, value: round(d * 100, 1) }));
    } else if (rivers?.reachOfItem.has(item.id)) {
      const { route, setup } = rivers;
      const reach = rivers.reachOfItem.get(item.id)!;
      const h = setup.hydraulics.get(reach)!;
      const bankfullDepth = normalDepthM(h, h.bankfullM3PerS, setup.manningN);
      flowsAtStepEnds(route, reach).forEach((q, j) => {
        const depth = normalDepthM(h, q, setup.manningN);
        const value = item.category === 'river-dike' ? depth - bankfullDepth : bankfullDepth + GEOMETRY.deckAboveBankfullM - depth;
        readings.push({ t_s: at(j), item: item.id, factor: FED_FACTORS[item.category][0], value: round(value, 2) });
      });
    } else if (item.category === 'slope') {
      const perHour = Math.round(3600 / grid.stepS);
      const rain24 = trailingSum(itemRain, Math.round(86400 / grid.stepS));
      const fs = fsBySlope.get(item.id);
      for (let j = perHour - 1; j < grid.steps; j += perHour) {
        readings.push({ t_s: at(j), item: item.id, factor: 'rain_24h_mm', value: round(rain24[j], 1) });
        const k = fs ? fs.tS.indexOf(at(j)) : -1;
        if (fs && k >= 0 && Number.isFinite(fs.fs[k])) readings.push({ t_s: at(j), item: item.id, factor: 'fs_min', value: round(fs.fs[k], 3) });
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
  return readings.sort((a, b) => a.t_s - b.t_s || a.item.localeCompare(b.item) || a.factor.localeCompare(b.factor));
}

/** The flood's results the readings and warnings share: gauges, and the river reach beside each dike or bridge. */
interface Rivers { route: RouteOutput; setup: FloodSetup; gauges: Gauge[]; reachOfItem: Map<string, string> }

function riversOf(region: RegionData, route: RouteOutput, setup: FloodSetup): Rivers {
  const reachOfItem = new Map<string, string>();
  for (const item of region.items) {
    if (item.category === 'river-dike' || item.category === 'bridge') reachOfItem.set(item.id, nearestRiverReach(region, setup.hydraulics, item.x_m, item.y_m));
  }
  return { route, setup, gauges: gaugesOf(region, route, setup), reachOfItem };
}

function ruleWarnings(region: RegionData, grid: StepGrid, rain: RainField, rivers: Rivers | undefined, fsBySlope: Map<string, { tS: number[]; fs: number[] }>): IssuedWarning[] {
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
    const perStep = Float64Array.from({ length: grid.steps }, (_, j) => fs.fs[Math.min(fs.fs.length - 1, Math.floor(j / perHour))]);
    byDistrict.set(item.area, [...(byDistrict.get(item.area) ?? []), perStep]);
  }
  for (const [district, series] of byDistrict) {
    warnings.push(...levelsToWarnings(geohazardLevels(series, grid), grid, 'geohazard', district,
      (j) => `${series.filter((fs) => fs[j] < 1).length} of ${series.length} monitored slopes below FS 1, ${series.filter((fs) => fs[j] < 1.1).length} below 1.1`));
  }
  return warnings.sort((a, b) => a.t_s - b.t_s || a.id.localeCompare(b.id));
}

function injectWarnings(injects: readonly Inject[], due: Map<string, number | undefined>, districtIds: string[]): IssuedWarning[] {
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
  const downstreamOf = new Map(region.manifest.reaches.map((r) => [r.id, r.downstream]));
  const gaugeAt = new Map(gauges.map((g) => [g.reach, g]));
  for (let id: string | null | undefined = reach, hops = 0; id && hops <= downstreamOf.size; id = downstreamOf.get(id), hops++) {
    const gauge = gaugeAt.get(id);
    if (gauge) return gauge;
  }
  return undefined;
}

/** Districts under an evacuation order, by id → the earliest order's time. */
function evacuations(injects: readonly Inject[], due: Map<string, number | undefined>, districtIds: string[]): Map<string, number> {
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
function gaugesOf(region: RegionData, route: RouteOutput, setup: FloodSetup): Gauge[] {
  return gaugeSites(region, setup.hydraulics).flatMap(({ id, river, reach }) => {
    const out = route.reaches[reach];
    return out ? [{ id, river, reach, bankfullM3PerS: setup.hydraulics.get(reach)!.bankfullM3PerS, peakM3PerS: out.peak_m3_per_s, peakTimeS: out.peak_time_s }] : [];
  });
}
