// The after-action record of DRILLS.md: the scenario (whole, so it replays without the file), seed,
// engine version, the injects as delivered, every decision with the model state it was taken in,
// every risk-list change and warning, key outcomes, and a P/S/M/U rating per objective. Replaying
// the record reruns the scenario with the same deliveries: the results hash must come out the same.
import { childPath, InputError, type Problem } from '../errors.ts';
import { isRecord } from '../params.ts';
import { decisionHistoryChecker, isDecisionShape } from './decision-history.ts';
import { parseInjects, type Inject, type InjectAction } from './injects.ts';
import type { GaugeScore } from './observations.ts';
import type { ScenarioRun } from './run.ts';
import type { FireRun } from './fire-coupling.ts';
import type { Inundation } from './inundation.ts';
import { parseWhatIfRecords, type WhatIfRecord } from './whatif.ts';
import type { ModelWarning } from './model-warnings.ts';
import { parseRecordedWarnings, recordedWarnings } from './model-warnings-record.ts';
import { parseCurvesOmitted, parseRunCurves, type CurvesOmitted, type RunCurves } from './whatif-curves.ts';
import { isoAt, parseScenario, type Scenario } from './schema.ts';
import { activeWarnings, levelsAt } from './timeline.ts';

export const AAR_SCHEMA = 'sandtable.aar/1';
export const RATINGS = ['P', 'S', 'M', 'U'] as const;

export interface Decision {
  id: string;
  t_s: number;
  role: string;
  text: string;
  /** The model state the decision was taken in. */
  state?: DecisionState;
  /** What the decision does to the engine (issue or lift a warning, release, fire break, evacuation). */
  action?: InjectAction;
  /**
   * Taken back (or replaced by a correction): it stays in the record, but no longer acts. `t_s` is
   * the exercise time, `at` the wall-clock time, `by` the role that withdrew it.
   */
  withdrawn?: { t_s: number; at: string; by: string; replaced_by?: string };
  /** The decision this one corrects (withdrawn, replaced by this one, which keeps its time). */
  corrects?: string;
}

/** A decision that still counts: not withdrawn. */
export const standing = (decision: { withdrawn?: unknown }) => decision.withdrawn === undefined;

/** The id of the inject through which a decision acts on the engine. */
export const decisionInjectId = (decision: Pick<Decision, 'id'>) => `DEC-${decision.id}`;

/**
 * Decisions that act, as injects the engine runs like any model change: each delivered by hand at
 * the decision's time, from the role that took it. They stay out of the MSEL (the trainer's script).
 */
export function decisionInjects(decisions: readonly Decision[]): Inject[] {
  return decisions.filter((d) => d.action && standing(d)).map((d, k) => ({
    id: decisionInjectId(d), sequence: 1000 + k, trigger: { type: 'manual' }, title: d.text, description: `Decision ${d.id} by ${d.role}`,
    from: d.role, to: 'Engine', kind: 'model-change', expected_action: '', objective: '', state: 'on-hold', action: d.action,
  }));
}

/** When each acting decision's inject is delivered: at the decision's time. */
export function decisionDeliveries(decisions: readonly Decision[]): [string, number][] {
  return decisions.filter((d) => d.action && standing(d)).map((d) => [decisionInjectId(d), d.t_s]);
}

/** Checks a decision's action as the MSEL checks an inject's, so a bad one is refused before it runs. */
export function checkDecisionAction(action: unknown, path: string, durationS: number): InjectAction {
  try {
    return parseInjects([{ id: 'decision', title: 'decision', kind: 'model-change', trigger: { type: 'manual' }, action }], path, durationS)[0].action!;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.problems.map((p) => ({ ...p, path: p.path.replace(`${path}[0].action`, path) })));
  }
}

export interface DecisionState {
  items_by_level: Record<string, number>;
  active_warnings: number;
  gauges_m3_per_s: Record<string, number>;
}

const numbersBy = (v: unknown) => isRecord(v) && Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n));

function isDecisionState(v: unknown): v is DecisionState {
  return isRecord(v) && numbersBy(v.items_by_level) && [1, 2, 3, 4].every((l) => typeof (v.items_by_level as Record<string, unknown>)[l] === 'number')
    && typeof v.active_warnings === 'number' && Number.isFinite(v.active_warnings) && numbersBy(v.gauges_m3_per_s);
}

export interface AfterActionRecord {
  schema: typeof AAR_SCHEMA;
  exported: string;
  scenario: unknown;
  scenario_id: string;
  seed: number;
  engine_version: string;
  results_sha256: string;
  injects_delivered: { id: string; t_s: number; time: string; title: string; manual: boolean }[];
  injects_cancelled: { id: string; t_s: number }[];
  decisions: Decision[];
  risk_changes: ScenarioRun['risk']['changes'];
  warnings: { id: string; t_s: number; lift_s?: number; level: number; hazard: string; areas: string[]; reason: string }[];
  outcomes: {
    gauges: { id: string; river: string; peak_m3_per_s: number; peak_time: string }[];
    slopes_below_fs_1: number;
    items_reaching_red: number;
    /** Steep-ground blocks whose FS fell below 1 at some hour (landslide grid). */
    slope_blocks_failed?: number;
    /** Land under more than 0.3 m of flood water at the worst, and who lives and stands there. */
    flooded_area_km2?: number;
    people_in_flooded_cells?: number;
    buildings_in_flooded_cells?: number;
    burned_area_km2?: number;
    people_in_burned_cells?: number;
    /** Most residents under a red warning at any step. */
    people_under_red_warning_peak: number;
    /** The forecast against each observed gauge: where the observations came from and the scores. */
    observed?: { gauge: string; source: string; nse: number; kge_2012: number; peak_error_relative: number; peak_time_error_s: number }[];
    /** The run's hydrographs (and burned area), bounded as a what-if's curves, for the report's charts. */
    curves?: RunCurves;
    /** The run's curves past the record's bound (a gauge each past the first 16): counted, so the report says so. */
    curves_omitted?: CurvesOmitted;
  };
  region?: { name: string; name_zh: string };
  objectives: { id: string; rating: (typeof RATINGS)[number] | null; notes: string }[];
  /** What-ifs the trainer ran during the session, with their settings and headline results (none: absent). */
  whatifs?: WhatIfRecord[];
  /** The recorded run's model warnings (each what-if keeps its own); absent in older records and when it had none. */
  model_warnings?: ModelWarning[];
  model_warnings_left_out?: number;
}

/** The model state at t, recorded with a decision. */
export function decisionState(run: Pick<ScenarioRun, 'risk' | 'grid' | 'warnings' | 'gauges' | 'route'>, itemIds: readonly string[], tS: number): DecisionState {
  const levels = levelsAt(run, tS, itemIds);
  const counts: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const l of levels.values()) counts[l]++;
  const step = Math.min(run.grid.steps, Math.floor(tS / run.grid.stepS));
  return {
    items_by_level: counts,
    active_warnings: activeWarnings(run.warnings, tS).length,
    gauges_m3_per_s: Object.fromEntries(run.gauges.map((g) => [g.id, Number(run.route!.reaches[g.reach].outflow_m3_per_s[step].toFixed(1))])),
  };
}

export function objectivesOf(scenario: Scenario): string[] {
  return [...new Set(scenario.injects.map((i) => i.objective).filter((o) => o))].sort();
}

export interface AarInput {
  scenarioJson: unknown;
  scenario: Scenario;
  run: Pick<ScenarioRun, 'risk' | 'grid' | 'warnings' | 'gauges' | 'seed' | 'engineVersion' | 'delivered' | 'fsBySlope' | 'slopeGrid' | 'peopleByWarningLevel'> & {
    // The page holds the fire's and the flood's totals, not their grids: the record needs no more.
    fire?: Pick<FireRun, 'burnedAreaM2' | 'peopleInBurnedCells'>;
    inundation?: Omit<Inundation, 'maxDepthM'>;
    modelWarnings?: readonly ModelWarning[];
  };
  resultsSha256: string;
  manualDeliveries: ReadonlyMap<string, number>;
  cancellations: ReadonlyMap<string, number>;
  decisions: readonly Decision[];
  ratings: ReadonlyMap<string, { rating: (typeof RATINGS)[number] | null; notes: string }>;
  exported: string;
  whatIfs?: readonly WhatIfRecord[];
  /** The forecast's scores against the scenario's gauge observations (its own files on any region). */
  observed?: readonly GaugeScore[];
  /** The region the drill ran on, by its names (a built region's; the shipped one carries none). */
  region?: { name: string; name_zh: string };
  /** The run's curves as the record keeps them, and those it leaves out (models/scenario/whatif-curves.ts runCurves). */
  curves?: RunCurves;
  curvesOmitted?: CurvesOmitted;
}

export function buildAar(input: AarInput): AfterActionRecord {
  const { scenario, run } = input;
  const titles = new Map(scenario.injects.map((i) => [i.id, i.title]));
  const reachedRed = new Set(run.risk.changes.filter((c) => c.to === 4).map((c) => c.item));
  return {
    schema: AAR_SCHEMA,
    exported: input.exported,
    scenario: input.scenarioJson,
    scenario_id: scenario.id,
    seed: run.seed,
    engine_version: run.engineVersion,
    results_sha256: input.resultsSha256,
    injects_delivered: run.delivered.map((d) => ({ ...d, time: isoAt(scenario, d.t_s), title: titles.get(d.id) ?? d.id, manual: input.manualDeliveries.has(d.id) })),
    injects_cancelled: [...input.cancellations].map(([id, t_s]) => ({ id, t_s })),
    decisions: [...input.decisions],
    risk_changes: run.risk.changes,
    warnings: run.warnings.map(({ id, t_s, lift_s, level, hazard, areas, reason }) => ({ id, t_s, ...(lift_s !== undefined ? { lift_s } : {}), level, hazard, areas, reason })),
    outcomes: {
      gauges: run.gauges.map((g) => ({ id: g.id, river: g.river, peak_m3_per_s: Number(g.peakM3PerS.toFixed(1)), peak_time: isoAt(scenario, g.peakTimeS) })),
      slopes_below_fs_1: [...run.fsBySlope.values()].filter((s) => Math.min(...s.fs) < 1).length,
      items_reaching_red: reachedRed.size,
      ...(run.slopeGrid ? { slope_blocks_failed: run.slopeGrid.fsMin.values.filter((fs) => fs < 1).length } : {}),
      ...(run.inundation ? {
        flooded_area_km2: Number(run.inundation.floodedAreaKm2.toFixed(3)),
        people_in_flooded_cells: Math.round(run.inundation.people),
        buildings_in_flooded_cells: Math.round(run.inundation.buildings),
      } : {}),
      ...(run.fire ? {
        burned_area_km2: Number(((run.fire.burnedAreaM2.at(-1) ?? 0) / 1e6).toFixed(3)),
        people_in_burned_cells: Math.round(run.fire.peopleInBurnedCells.at(-1) ?? 0),
      } : {}),
      people_under_red_warning_peak: Math.round(Math.max(0, ...run.peopleByWarningLevel[4])),
      ...(input.observed?.length ? { observed: input.observed.map(({ gauge, source, scores: s }) => ({
        gauge, source, nse: s.nse, kge_2012: s.kge_2012, peak_error_relative: s.peak_error_relative, peak_time_error_s: s.peak_time_error_s,
      })) } : {}),
      ...(input.curves ? { curves: input.curves } : {}),
      ...(input.curvesOmitted ? { curves_omitted: { ...input.curvesOmitted } } : {}),
    },
    ...(input.region ? { region: input.region } : {}),
    objectives: objectivesOf(scenario).map((id) => ({ id, rating: input.ratings.get(id)?.rating ?? null, notes: input.ratings.get(id)?.notes ?? '' })),
    ...(input.whatIfs?.length ? { whatifs: [...input.whatIfs] } : {}),
    ...recordedWarnings(run.modelWarnings),
  };
}

/**
 * Reads an exported record back: what a replay needs, and the what-ifs the drill takes back into
 * its list (rebuilt field by field), checked at the boundary.
 */
export function parseAar(value: unknown): {
  record: AfterActionRecord; scenario: Scenario; manualDeliveries: Map<string, number>; whatIfs: WhatIfRecord[];
  cancelled: Map<string, number>; ratings: Map<string, { id: string; rating: (typeof RATINGS)[number] | null; notes: string }>;
} {
  if (!isRecord(value) || value.schema !== AAR_SCHEMA) {
    throw InputError.single('$.schema', 'is not an after-action record this engine reads', isRecord(value) ? value.schema : value, `"${AAR_SCHEMA}"`);
  }
  const problems: Problem[] = [];
  let scenario: Scenario | undefined;
  try {
    scenario = parseScenario(value.scenario);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems.map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.scenario') })));
  }
  // Times are checked against the scenario's length; with no scenario read, any time passes here.
  const durationS = scenario?.durationS ?? Infinity;
  const decisions = Array.isArray(value.decisions) ? value.decisions : [];
  if (value.decisions !== undefined && !Array.isArray(value.decisions)) problems.push({ path: '$.decisions', message: 'must be an array', value: value.decisions, expected: 'the decisions taken' });
  // Withdrawals and corrections are checked as a history the drill could have written.
  const checkHistory = decisionHistoryChecker(decisions, durationS);
  decisions.forEach((d, k) => {
    const path = childPath('$.decisions', k);
    if (!isDecisionShape(d)) {
      problems.push({ path, message: 'is not a decision', value: d, expected: '{ "id", "t_s", "role", "text", optional "action" }' });
      return;
    }
    checkHistory(k, path, problems);
    if (d.state !== undefined && !isDecisionState(d.state)) {
      // The printed report writes it out: a hand-edited one would print "undefined" or stop the report.
      problems.push({ path: `${path}.state`, message: 'is not the model state a decision was taken in', value: d.state, expected: '{ "items_by_level": { "1"…"4": count }, "active_warnings": count, "gauges_m3_per_s": { gauge: flow } }' });
    }
    if (d.action !== undefined && scenario) {
      try { checkDecisionAction(d.action, `${path}.action`, scenario.durationS); } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(...error.problems);
      }
    }
  });
  const acting = new Set(decisions.flatMap((d) => (isDecisionShape(d) && d.action !== undefined && standing(d) ? [decisionInjectId(d)] : [])));
  const manualDeliveries = new Map<string, number>();
  if (!Array.isArray(value.injects_delivered)) {
    problems.push({ path: '$.injects_delivered', message: 'must be an array', value: value.injects_delivered, expected: 'the injects as delivered' });
  } else value.injects_delivered.forEach((d, k) => {
    const path = childPath('$.injects_delivered', k);
    if (!isRecord(d) || typeof d.id !== 'string' || typeof d.t_s !== 'number') {
      problems.push({ path, message: 'must name an inject and its time', value: d, expected: '{ "id", "t_s", "manual" }' });
      return;
    }
    if (acting.has(d.id)) return; // delivered by its decision, which replays it
    if (scenario && !scenario.injects.some((i) => i.id === d.id)) problems.push({ path: `${path}.id`, message: 'names no inject of the scenario', value: d.id, expected: 'an inject id' });
    if (d.manual === true) manualDeliveries.set(d.id, d.t_s);
  });
  // The cancellations and the ratings come back into the drill: each checked where it stands (absent: none).
  const cancelled = new Map<string, number>();
  if (value.injects_cancelled !== undefined && !Array.isArray(value.injects_cancelled)) {
    problems.push({ path: '$.injects_cancelled', message: 'must be an array', value: value.injects_cancelled, expected: 'the injects cancelled' });
  } else (value.injects_cancelled as unknown[] | undefined)?.forEach((d, k) => {
    const path = childPath('$.injects_cancelled', k);
    if (!isRecord(d)) problems.push({ path, message: 'must name an inject and its time', value: d, expected: '{ "id", "t_s" }' });
    else if (typeof d.id !== 'string') problems.push({ path: `${path}.id`, message: 'must name an inject', value: d.id, expected: 'an inject id' });
    else if (!(typeof d.t_s === 'number' && Number.isFinite(d.t_s))) problems.push({ path: `${path}.t_s`, message: 'must be the time it was cancelled', value: d.t_s, expected: 'seconds since the start' });
    else cancelled.set(d.id, d.t_s);
  });
  const ratings = new Map<string, { id: string; rating: (typeof RATINGS)[number] | null; notes: string }>();
  if (value.objectives !== undefined && !Array.isArray(value.objectives)) {
    problems.push({ path: '$.objectives', message: 'must be an array', value: value.objectives, expected: 'the objectives with their ratings' });
  } else (value.objectives as unknown[] | undefined)?.forEach((o, k) => {
    const path = childPath('$.objectives', k);
    if (!isRecord(o) || typeof o.id !== 'string') {
      problems.push({ path, message: 'is not an objective', value: o, expected: '{ "id", "rating", "notes" }' });
      return;
    }
    const rating = o.rating === null ? null : RATINGS.find((r) => r === o.rating);
    if (rating === undefined) problems.push({ path: `${path}.rating`, message: 'is not a rating', value: o.rating, expected: `one of ${RATINGS.join(', ')}, or null when not rated` });
    if (typeof o.notes !== 'string') problems.push({ path: `${path}.notes`, message: 'must be a text', value: o.notes, expected: 'the notes, "" for none' });
    if (rating !== undefined && typeof o.notes === 'string') ratings.set(o.id, { id: o.id, rating, notes: o.notes });
  });
  if (typeof value.results_sha256 !== 'string') problems.push({ path: '$.results_sha256', message: 'is required', value: value.results_sha256, expected: 'the hash of the recorded run' });
  const whatIfs = parseWhatIfRecords(value.whatifs, '$.whatifs', durationS);
  problems.push(...whatIfs.problems);
  if (isRecord(value.outcomes) && value.outcomes.curves !== undefined) parseRunCurves(value.outcomes.curves, '$.outcomes.curves', durationS, problems);
  if (isRecord(value.outcomes) && value.outcomes.curves_omitted !== undefined) parseCurvesOmitted(value.outcomes.curves_omitted, '$.outcomes.curves_omitted', problems);
  parseRecordedWarnings(value, '$', problems);
  if (problems.length) throw new InputError(problems);
  return { record: value as unknown as AfterActionRecord, scenario: scenario!, manualDeliveries, whatIfs: whatIfs.records, cancelled, ratings };
}
