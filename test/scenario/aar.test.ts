// The after-action record: export, re-import, replay to the identical run (DRILLS.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { formatProblem, InputError } from '../../models/errors.ts';
import { buildAar, checkDecisionAction, decisionDeliveries, decisionInjects, decisionState, parseAar } from '../../models/scenario/aar.ts';
import { resultsHash, runOutputs } from '../../models/scenario/outputs.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { whatIfRecord } from '../../models/scenario/whatif.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const raw = JSON.parse(readFileSync(`${SCENARIO_DIR}storm-peak-24h.json`, 'utf8'));
// A manual model change the trainer can deliver at any time: rain doubles over Yuzhong for 3 h.
raw.injects.push({ id: 'X1', sequence: 9, trigger: { type: 'manual' }, kind: 'model-change', title: 'Trainer: cloudburst over Yuzhong', state: 'on-hold', objective: 'O2 waterlogging response', action: { type: 'rain', factor: 2, areas: ['yuzhong'], duration_s: 10800 } });
const engine = createNodeEngine();
let region: RegionData;

beforeAll(async () => { region = await loadRegion(SCENARIO_DIR, 'region/region.json'); }, 60_000);

describe('after-action record', () => {
  it('records deliveries, decisions with their model state, and ratings; replaying it reproduces the run exactly', async () => {
    const scenario = parseScenario(raw);
    const manual = new Map([['X1', 3 * 3600]]);
    const run = await runScenario(engine, scenario, region, { delivered: manual });
    const plain = await runScenario(engine, scenario, region);
    const hash = await resultsHash(runOutputs(run, scenario, region));
    expect(await resultsHash(runOutputs(plain, scenario, region))).not.toBe(hash); // the inject changed the run
    const itemIds = region.items.map((i) => i.id);
    const decisions = [{ id: 'D1', t_s: 5 * 3600, role: 'Flood-control HQ', text: 'Close underpasses in Yuzhong', state: decisionState(run, itemIds, 5 * 3600) }];
    const record = buildAar({
      scenarioJson: raw, scenario, run, resultsSha256: hash, manualDeliveries: manual, cancellations: new Map(),
      decisions, ratings: new Map([['O2 waterlogging response', { rating: 'S', notes: 'Two underpasses closed late' }]]), exported: '2026-07-16T12:00:00Z',
    });
    expect(record.injects_delivered.find((d) => d.id === 'X1')).toMatchObject({ t_s: 10800, manual: true });
    expect(record.objectives.find((o) => o.id === 'O2 waterlogging response')).toEqual({ id: 'O2 waterlogging response', rating: 'S', notes: 'Two underpasses closed late' });
    const counts = decisions[0].state.items_by_level;
    expect(counts[1] + counts[2] + counts[3] + counts[4]).toBe(227);

    // The run's own model warnings (the storm's routing: sub-steps as information, outflow below zero), warnings first.
    expect(record.model_warnings!.map((w) => w.code)).toContain('flood.negative_outflow');
    expect(record.model_warnings!.at(-1)).toMatchObject({ severity: 'info', code: 'flood.substeps' });
    expect(new Set(record.model_warnings!.map((w) => w.what))).toEqual(new Set(run.modelWarnings.map((w) => w.what)));

    // Through JSON text, as a file would go.
    const reloaded = parseAar(JSON.parse(JSON.stringify(record)));
    const replay = await runScenario(engine, reloaded.scenario, region, { delivered: reloaded.manualDeliveries });
    expect(await resultsHash(runOutputs(replay, reloaded.scenario, region))).toBe(record.results_sha256);

    // DRILLS.md's key outcomes: slopes failed, people in affected cells (the storm floods, nothing burns).
    const o = record.outcomes;
    expect(o.slope_blocks_failed).toBe(run.slopeGrid!.fsMin.values.filter((fs) => fs < 1).length);
    expect(o.flooded_area_km2).toBeCloseTo(run.inundation!.floodedAreaKm2, 3);
    expect(o.people_in_flooded_cells).toBe(Math.round(run.inundation!.people));
    expect(o.people_in_flooded_cells).toBeGreaterThan(0);
    expect(o.burned_area_km2).toBeUndefined();
    expect(o.people_under_red_warning_peak).toBe(Math.round(Math.max(...run.peopleByWarningLevel[4])));
  }, 90_000);

  it('refuses a record it cannot replay, naming the field', () => {
    const problems = (value: unknown) => {
      try { parseAar(value); } catch (e) { return (e as InputError).problems.map(formatProblem); }
      return [];
    };
    expect(problems({ schema: 'other' })).toEqual(['error: $.schema: is not an after-action record this engine reads (got "other", expected "sandtable.aar/1")']);
    // A bad embedded scenario is reported at its own paths, under $.scenario.
    expect(problems({ schema: 'sandtable.aar/1', scenario: { ...raw, exercise: 'yes' }, injects_delivered: [], results_sha256: 'x' })).toEqual([
      'error: $.scenario.exercise: must be true or false (got "yes", expected true for a drill (marks every output EXERCISE))',
    ]);
    // A delivery of an inject the scenario does not have cannot be replayed.
    expect(problems({ schema: 'sandtable.aar/1', scenario: raw, injects_delivered: [{ id: 'NOPE', t_s: 1, manual: true }], results_sha256: 'x' })).toEqual([
      'error: $.injects_delivered[0].id: names no inject of the scenario (got "NOPE", expected an inject id)',
    ]);
    // What comes back into the drill besides (cancellations, ratings, the run's left-out count) is
    // refused where it stands, never as a crash further on ("record.objectives.map is not a function").
    const base = { schema: 'sandtable.aar/1', scenario: raw, injects_delivered: [], results_sha256: 'x' };
    expect(problems({ ...base, objectives: 'P', injects_cancelled: { I1: 3600 } })).toEqual([
      'error: $.injects_cancelled: must be an array (got an object, expected the injects cancelled)',
      'error: $.objectives: must be an array (got "P", expected the objectives with their ratings)',
    ]);
    expect(problems({ ...base, injects_cancelled: [{ id: 'I1' }], objectives: [{ id: 'O1', rating: 'A', notes: '' }, { id: 'O2', rating: null }, 7],
      outcomes: { curves_omitted: { reason: 'curve-count', curves: 0 } } })).toEqual([
      'error: $.injects_cancelled[0].t_s: must be the time it was cancelled (got nothing, expected seconds since the start)',
      'error: $.objectives[0].rating: is not a rating (got "A", expected one of P, S, M, U, or null when not rated)',
      'error: $.objectives[1].notes: must be a text (got nothing, expected the notes, "" for none)',
      'error: $.objectives[2]: is not an objective (got 7, expected { "id", "rating", "notes" })',
      'error: $.outcomes.curves_omitted.curves: must count the curves left out (got 0, expected a whole number ≥ 1)',
    ]);
    const decision = { id: 'D1', t_s: 60, role: 'Mayor', text: 'Open the shelters' };
    expect(problems({ ...base, decisions: [{ ...decision, state: { items_by_level: { 4: 2 }, active_warnings: 1, gauges_m3_per_s: {} } }] })).toEqual([
      'error: $.decisions[0].state: is not the model state a decision was taken in (got an object, expected { "items_by_level": { "1"…"4": count }, "active_warnings": count, "gauges_m3_per_s": { gauge: flow } })',
    ]);
    expect(problems({ ...base, decisions: [{ ...decision, state: { items_by_level: { 1: 5, 2: 0, 3: 1, 4: 2 }, active_warnings: 1, gauges_m3_per_s: { 'G-main': 812.4 } } }] })).toEqual([]);
    const read = parseAar({ ...base, injects_cancelled: [{ id: 'I1', t_s: 3600 }], objectives: [{ id: 'O1', rating: 'S', notes: 'late' }, { id: 'O2', rating: null, notes: '' }] });
    expect([...read.cancelled]).toEqual([['I1', 3600]]);
    expect([...read.ratings]).toEqual([['O1', { id: 'O1', rating: 'S', notes: 'late' }], ['O2', { id: 'O2', rating: null, notes: '' }]]);
  });
});

describe('what-ifs in an imported record', () => {
  // Two what-ifs as whatIfRecord writes them: a storm's (a gauge row, the flood rows) and a fire's (a fire break).
  const rows = [
    { key: 'G-outlet peak', metric: 'gauge_peak' as const, gauge: 'G-outlet', base: 4120.5, variant: 5301.2, unit: 'm³/s' },
    { key: 'flooded area', metric: 'flooded_area' as const, base: 0.02, variant: 0.03, unit: 'km²' },
    { key: 'people in flooded cells', metric: 'people_flooded' as const, base: 30, variant: 60, unit: '' },
    { key: 'burned area', metric: 'burned_area' as const, base: null, variant: 1.25, unit: 'km²' },
  ];
  const kept = [
    whatIfRecord(12 * 3600, { rainFactor: 1.5 }, rows.slice(0, 3), 'a'.repeat(64)),
    whatIfRecord(3600, { windShiftDeg: -45, windFactor: 2, fireBreak: [[0, 0], [10, 10]] }, rows.slice(3), 'b'.repeat(64)),
  ];
  const record = (whatifs: unknown) => ({ schema: 'sandtable.aar/1', scenario: raw, injects_delivered: [], results_sha256: 'x', whatifs });
  const problems = (whatifs: unknown) => {
    try { parseAar(record(whatifs)); } catch (e) { return (e as InputError).problems.map(formatProblem); }
    return [];
  };

  it('come back as they were written, through JSON text; a record without any gives none', () => {
    expect(parseAar(JSON.parse(JSON.stringify(record(kept)))).whatIfs).toEqual(kept);
    expect(parseAar(record(undefined)).whatIfs).toEqual([]);
  });

  it('every field is checked and refused by its JSON path', () => {
    const [storm, fire] = kept;
    expect(problems({})).toEqual(['error: $.whatifs: must be an array (got an object, expected the what-ifs run, at most 500)']);
    expect(problems([storm, 'x'])).toEqual(['error: $.whatifs[1]: is not a what-if (got "x", expected { "t_s", "settings", "described", "results_sha256", "outcomes" })']);
    expect(problems([{ ...storm, t_s: 86401, described: 7, results_sha256: 'ABC', note: 1 }])).toEqual([
      'error: $.whatifs[0].note: unknown field (expected one of t_s, settings, described, results_sha256, outcomes, gauge_rows_left_out, curves, curves_omitted, model_warnings, model_warnings_left_out)',
      'error: $.whatifs[0].t_s: is not a time in the scenario (got 86401, expected seconds in [0, 86400])',
      'error: $.whatifs[0].described: must be a short text (got 7, expected the settings in words, at most 200 characters)',
      'error: $.whatifs[0].results_sha256: is not a results hash (got "ABC", expected 64 lowercase hexadecimal digits (SHA-256))',
    ]);
    expect(problems([{ ...fire, settings: { rain_factor: 9, wind_shift_deg: '15', fire_break: 'yes', snow: 1 } }])).toEqual([
      'error: $.whatifs[0].settings.snow: unknown field (expected one of rain_factor, wind_shift_deg, wind_factor, fire_break)',
      'error: $.whatifs[0].settings.rain_factor: is not a setting the what-if offers (got 9, expected a number in [0.5, 2.5])',
      'error: $.whatifs[0].settings.wind_shift_deg: is not a setting the what-if offers (got "15", expected a number in [-90, 90])',
      'error: $.whatifs[0].settings.fire_break: must be true when a fire break was cut (got "yes", expected true, or no field)',
    ]);
    expect(problems([{ ...storm, settings: null, outcomes: {} }])).toEqual([
      'error: $.whatifs[0].settings: must be an object (got null, expected { "rain_factor", "wind_shift_deg", "wind_factor", "fire_break" }, the levers moved)',
      'error: $.whatifs[0].outcomes: must be a list of outcome rows (got an object, expected at most 64 rows { "key", "metric", "base", "variant", "unit" }, 56 of them gauges\' peaks)',
    ]);
    expect(problems([{ ...storm, outcomes: [
      { ...rows[0], gauge: undefined },
      { ...rows[1], metric: 'rain_total', base: '0.02' },
      { ...rows[2], unit: 'km²', gauge: 'G-main', variant: Infinity },
      { ...rows[1], key: '' },
      0,
    ] }])).toEqual([
      'error: $.whatifs[0].outcomes[0].gauge: must name the gauge (got nothing, expected the gauge\'s id)',
      'error: $.whatifs[0].outcomes[1].metric: is not a compared outcome (got "rain_total", expected one of gauge_peak, flooded_area, people_flooded, slopes_fs_below_1, items_red, warnings_issued, people_red_peak, burned_area, people_burned)',
      'error: $.whatifs[0].outcomes[1].base: must be a number or null (got "0.02", expected the outcome, or null where that run has none)',
      'error: $.whatifs[0].outcomes[2].unit: is not the unit of its metric (got "km²", expected "" for people_flooded)',
      'error: $.whatifs[0].outcomes[2].gauge: belongs only to a gauge\'s peak (got "G-main", expected no gauge)',
      'error: $.whatifs[0].outcomes[2].variant: must be a number or null (got Infinity, expected the outcome, or null where that run has none)',
      'error: $.whatifs[0].outcomes[3].key: must be a short text (got "", expected the row\'s English name, at most 200 characters)',
      'error: $.whatifs[0].outcomes[4]: is not an outcome row (got 0, expected { "key", "metric", "base", "variant", "unit" })',
    ]);
    expect(problems(Array(501).fill(storm))).toEqual(['error: $.whatifs: must be an array (got "501 what-ifs", expected the what-ifs run, at most 500)'.replace('must be an array', 'has too many what-ifs')]);
  });
});

describe('decisions that act', () => {
  const evacuate = { id: 'D2', t_s: 7200, role: 'District commanders', text: 'Evacuate Yuzhong', action: { type: 'evacuation' as const, areas: ['yuzhong'] } };
  const decisions = [{ id: 'D1', t_s: 3600, role: 'Duty officer', text: 'Watch' }, evacuate];

  it('become manual injects delivered at their time, from the role that took them', () => {
    expect(decisionInjects(decisions)).toMatchObject([{ id: 'DEC-D2', kind: 'model-change', trigger: { type: 'manual' }, from: 'District commanders', action: evacuate.action }]);
    expect(decisionDeliveries(decisions)).toEqual([['DEC-D2', 7200]]);
  });

  it('a bad action is refused by its path', () => {
    expect(() => checkDecisionAction({ type: 'meteor' }, 'decision D3.action', 86400)).toThrow('decision D3.action.type: is not a model change the engine knows');
  });

  it('an evacuation removes the district\'s residents from the people under warning; the record replays it', async () => {
    const scenario = parseScenario(raw);
    const base = await runScenario(engine, scenario, region);
    const withInjects = parseScenario({ ...raw, injects: [...raw.injects, ...decisionInjects(decisions)] });
    const acted = await runScenario(engine, withInjects, region, { delivered: new Map(decisionDeliveries(decisions)) });
    const total = (run: typeof base, j: number) => [1, 2, 3, 4].reduce((sum, l) => sum + run.peopleByWarningLevel[l as 1][j], 0);
    const last = base.grid.steps - 1;
    expect(total(acted, last)).toBeLessThan(total(base, last));
    expect(total(acted, 0)).toBe(total(base, 0)); // before the order nothing changes
    const hash = await resultsHash(runOutputs(acted, withInjects, region));
    const record = buildAar({
      scenarioJson: raw, scenario, run: acted, resultsSha256: hash, manualDeliveries: new Map(), cancellations: new Map(),
      decisions, ratings: new Map(), exported: '2026-07-16T12:00:00Z',
    });
    expect(record.injects_delivered.some((d) => d.id === 'DEC-D2')).toBe(true);
    const parsed = parseAar(JSON.parse(JSON.stringify(record)));
    expect(parsed.record.decisions[1].action).toEqual(evacuate.action);
    const replayScenario = parseScenario({ ...(parsed.record.scenario as object), injects: [...raw.injects, ...decisionInjects(parsed.record.decisions)] });
    const replay = await runScenario(engine, replayScenario, region, { delivered: new Map([...parsed.manualDeliveries, ...decisionDeliveries(parsed.record.decisions)]) });
    expect(await resultsHash(runOutputs(replay, replayScenario, region))).toBe(hash);
    const bad = JSON.parse(JSON.stringify(record));
    bad.decisions[1].action = { type: 'evacuate' };
    expect(() => parseAar(bad)).toThrow('$.decisions[1].action.type: is not a model change the engine knows');
  });
});
