// A whole scenario, headless: rain → runoff → rivers → stage at riverside points; rain → ponding at
// low points; rain → slope stability at geohazard points; all of it → readings and official
// warnings → the risk list. Same scenario and seed, same result, in Node and in the browser.
import type { Engine } from '../engine.ts';
import type { RouteOutput } from '../flood/route.ts';
import { slopeAspect } from '../grid/terrain.ts';
import { ENGINE_VERSION } from '../version.ts';
import { buildFloodCase, flowsAtStepEnds, gaugeSites, type FloodSetup } from './flood-coupling.ts';
import { rainEffects, stepGrid, type StepGrid } from './forcing.ts';
import { rainField, type RainField } from './rain-field.ts';
import { rainMap, type RainMap } from './rain-map.ts';
import { floodInundation, floodplainSlopeFloor, floodplainSlopeFloorLine, peakExcessStageM, type Inundation } from './inundation.ts';
import { runSlopeGrid, type SlopeGridRun } from './slope-grid.ts';
import type { Grid } from '../grid/ascii.ts';
import { InputError } from '../errors.ts';
import { checkActionReferences } from './actions.ts';
import { checkScenarioReferences } from './references.ts';
import { conditionParts, placedActions, scheduledTimes, type Inject } from './injects.ts';
import type { Reading } from './readings.ts';
import type { RegionData } from './region.ts';
import type { Scenario } from './schema.ts';
import { fireWarnings, runFire, type FireRun } from './fire-coupling.ts';
import { fsCaseFromCells } from '../landslide/fs-typed.ts';
import { routeCaseFromValues } from '../flood/route-typed.ts';
import { gradeCaseFromValues, type GradeCaseValues } from '../risklist/grade-typed.ts';
import { buildSlopeCases, fsSeries } from './slope-coupling.ts';
import { totalByDistrict, peopleByWarningLevel } from './timeline.ts';
import type { IssuedWarning } from './warning-rules.ts';
import { fireWarningsOf, floodWarnings, landslideWarningsOf, modelWarning, uniqueWarnings, type ModelWarning } from './model-warnings.ts';
import { perRegion } from './region-memo.ts';
import { coupledReadings, evacuations, gradeItem, injectWarnings, riversOf, ruleWarnings } from './run-derived.ts';

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
  /** What the models could not honour exactly (unstable routing, clamped inputs…): never part of the hashed results. */
  modelWarnings: ModelWarning[];
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
  // A typed case's builder throws while building, before any promise: taken as a rejection too.
  return new Promise<T>((resolve) => resolve(work())).catch((error: unknown) => {
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
    route = await timed(timingsMs, 'flood', () => engine.floodRouteCase(routeCaseFromValues(floodSetup.routeCase)));
  }

  const modelWarnings: ModelWarning[] = [];
  // The last pass's routing is the one the results come from; earlier passes' warnings are superseded.
  if (route && setup) {
    modelWarnings.push(...floodWarnings(route.warnings, new Set(setup.hydraulics.keys()), new Set((setup.routeCase.basins ?? []).map((b) => b.id))));
  }

  const fsBySlope = new Map<string, { tS: number[]; fs: number[] }>();
  let slopeGrid: SlopeGridRun | undefined;
  if (enabled('landslide')) {
    progress('landslide');
    const { slopeDeg } = perRegion(region.dem, 'slopeAspect', () => slopeAspect(region.dem));
    for (const slopeCase of buildSlopeCases(region.items, slopeDeg, region.dem, rain.atItem, grid, 3600, scenario.seed, scenario.models.landslide.basal_boundary)) {
      const output = await timed(timingsMs, 'landslide', () => engine.landslideFsCase(fsCaseFromCells(slopeCase.input)));
      modelWarnings.push(...landslideWarningsOf(output.warnings, 'monitored slopes'));
      for (const { item, slopeDeg } of slopeCase.clampedSlopes) {
        modelWarnings.push(modelWarning('landslide', `slope ${item}`, `ground slope ${slopeDeg.toFixed(1)}° is steeper than the model's 60°: run at 60°`));
      }
      for (const [id, series] of fsSeries(slopeCase, output)) fsBySlope.set(id, series);
    }
    slopeGrid = await timed(timingsMs, 'landslide', () => runSlopeGrid(engine, region, slopeDeg, rain, grid, scenario.seed, scenario.models.landslide.basal_boundary));
    if (slopeGrid) modelWarnings.push(...landslideWarningsOf(slopeGrid.warnings, 'slope grid'));
    else modelWarnings.push(modelWarning('landslide', '$.step_s', `the slope grid runs on hourly rain, so it needs a step_s that divides 3600 s and a run of an hour or more (got ${grid.stepS} s over ${grid.steps * grid.stepS} s): this run has no slope grid, only the monitored slopes`));
  }

  let fire: FireRun | undefined;
  if (enabled('fire')) {
    progress('fire');
    fire = await timed(timingsMs, 'fire', () => runFire(engine, scenario, region, grid, injects, due, evacuations(injects, due, districtIds)));
    if (fire) modelWarnings.push(...fireWarningsOf(fire.output.summary.warnings));
  }

  progress('readings and warnings');
  const rivers = route && setup ? riversOf(region, route, setup) : undefined;
  const inundation = route && setup ? floodInundation(region, peakExcessStageM(region, route, setup)) : undefined;
  const floored = route && setup && inundation ? floodplainSlopeFloorLine(floodplainSlopeFloor(region, route, setup, inundation.maxDepthM)) : undefined;
  if (floored) modelWarnings.push(modelWarning('flood', 'floodplain', floored));
  const readings = coupledReadings(scenario, region, grid, rain, rivers, fsBySlope, injects, due);
  const warnings = [
    ...ruleWarnings(region, grid, rain, rivers, fsBySlope),
    ...(fire ? fireWarnings(fire, region, grid) : []),
    ...injectWarnings(injects, due, districtIds),
  ].sort((a, b) => a.t_s - b.t_s || a.id.localeCompare(b.id));

  progress('risk list');
  const gradeValues: GradeCaseValues = {
    untilS: scenario.durationS,
    items: region.items.map((item) => gradeItem(item, grid, region.categories)),
    readings,
    warnings: warnings.map(({ id, t_s, lift_s, level, hazard, areas }) => ({ id, t_s, ...(lift_s !== undefined ? { lift_s } : {}), level, hazard, areas })),
  };
  const risk = await timed(timingsMs, 'risklist', () => engine.risklistGradeCase(gradeCaseFromValues(gradeValues)), region.itemsFile ?? 'risk-items.json') as ScenarioRun['risk'];

  const gauges = rivers?.gauges ?? [];
  const residents = perRegion(region, 'residentsByDistrict', () => totalByDistrict(region.population.values, region.districts.values, districtIds));
  const exposure = peopleByWarningLevel(warnings, residents, grid.stepS, grid.steps, evacuations(injects, due, districtIds));
  // Buildings stay where they are when people leave: they count under every warning.
  const buildings = perRegion(region, 'buildingsByDistrict', () => totalByDistrict(region.buildings.values, region.districts.values, districtIds));
  const buildingExposure = peopleByWarningLevel(warnings, buildings, grid.stepS, grid.steps);
  const delivered = [...due].filter(([, t]) => t !== undefined).map(([id, t]) => ({ id, t_s: t! })).sort((a, b) => a.t_s - b.t_s || a.id.localeCompare(b.id));
  // The map's rain layer (4.7 MB for 72 h on the demo region) is made when first read: an ensemble
  // member never reads it. A spread, a clone or a postMessage reads it like any other field.
  let map: RainMap | undefined;
  return {
    scenarioId: scenario.id, seed: scenario.seed, engineVersion: ENGINE_VERSION, grid, timingsMs,
    rainMmByDistrict: rain.byDistrict, get rainMap() { return (map ??= rainMap(rain, region, grid)); }, route, inundation, slopeGrid, gauges, fsBySlope, fire, peopleByWarningLevel: exposure, buildingsByWarningLevel: buildingExposure,
    residentsByDistrict: Object.fromEntries(residents),
    warningFlowByReach: setup ? Object.fromEntries([...setup.hydraulics].map(([id, h]) => [id, h.bankfullM3PerS])) : {}, readings, warnings, delivered, risk,
    modelWarnings: uniqueWarnings(modelWarnings),
  };
}


export { gaugeFor } from './run-derived.ts';
