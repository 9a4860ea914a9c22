// Everything in a scenario is checked at the boundary and named by its path in the scenario file:
// the models block against its declaration, inject conditions against their grammar and the
// region, district factors, start times, files the scenario names, and `run --seed`.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { formatProblem, InputError } from '../../models/errors.ts';
import { conditionParts } from '../../models/scenario/injects.ts';
import { MODEL_SETTINGS } from '../../models/scenario/model-settings.ts';
import { checkScenarioReferences } from '../../models/scenario/references.ts';
import { checkRegionItems, type RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { cliWorkspace } from '../cli-harness.ts';

const DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const peak = JSON.parse(readFileSync(join(DIR, 'storm-peak-24h.json'), 'utf8'));
type Raw = typeof peak;

function variant(change: (s: Raw) => void): Raw {
  const s = structuredClone(peak);
  change(s);
  return s;
}

function problemsOf(input: unknown): string[] {
  try { parseScenario(input); } catch (error) { if (error instanceof InputError) return error.problems.map(formatProblem); throw error; }
  throw new Error('expected an InputError');
}

const condition = (text: string) => ({ id: 'C1', title: 'Watch', trigger: { type: 'condition', condition: text } });

describe('the models block', () => {
  it('fills every declared default and reads the shipped settings typed', () => {
    const parsed = parseScenario(variant((s) => { delete s.models; }));
    expect(parsed.models).toEqual({
      flood: { enabled: true, routing: 'muskingum-cunge', runoff: 'xinanjiang', manning_n: 0.035 },
      landslide: { enabled: true, targets: 'slope-items', basal_boundary: 'finite' },
      fire: { enabled: true, spread: 'ellipse-minimum-travel-time' },
      risklist: { items: undefined, categories: 'region' },
    });
    expect(parseScenario(peak).models.risklist.items).toBe('region/risk-items.json');
    expect(parseScenario(peak).models.fire.enabled).toBe(false);
  });

  it('takes its ranges and choices from the models\' own specs', () => {
    expect(MODEL_SETTINGS.flood.routing.choices).toEqual(['muskingum-cunge', 'kinematic-wave', 'diffusive-wave']);
    expect([MODEL_SETTINGS.flood.manning_n.min, MODEL_SETTINGS.flood.manning_n.max]).toEqual([0.005, 0.5]);
    expect(MODEL_SETTINGS.landslide.basal_boundary.choices).toEqual(['infinite', 'finite']);
  });

  it('accepts every valid setting, and comment keys starting with _', () => {
    for (const routing of MODEL_SETTINGS.flood.routing.choices) {
      expect(parseScenario(variant((s) => { s.models.flood.routing = routing; })).models.flood.routing).toBe(routing);
    }
    const s = parseScenario(variant((v) => {
      v.models._about = 'settings per model';
      v.models.flood._note = 'rougher channels';
      v.models.flood.manning_n = 0.5;
      v.models.landslide.basal_boundary = 'infinite';
      v.models.risklist.items = '/data/region/items.json';
      v.forcing.rain.district_factors._note = 'radar-based';
      v.injects[1].action._note = 'from the Met Bureau';
      v.observations = { _about: 'synthetic', 'G-main': { _source: 'gauge log', series: [[0, 1], [3600, 2], [7200, 3]] } };
    }));
    expect(s.observations.map((o) => o.gauge)).toEqual(['G-main']);
    expect(s.models.flood.manning_n).toBe(0.5);
    expect(s.models.landslide.basal_boundary).toBe('infinite');
    expect(s.models.risklist.items).toBe('/data/region/items.json');
  });

  it('names each wrong value by its path in the scenario, with what is known', () => {
    const bad = variant((s) => {
      s.models.flood = { runoff: 'magic', manning_n: 'rough', enabled: 'no', routing: 'muskingum', maning_n: 0.05 };
      s.models.landslide.basal_boundary = 'bedrock';
      s.models.fire.spread = 'huygens';
      s.models.risklist = { items: 42, categories: 'mine', enabled: false };
      s.models.volcano = {};
    });
    expect(problemsOf(bad)).toEqual([
      'error: $.models.volcano: unknown field (expected one of flood, landslide, fire, risklist)',
      'error: $.models.flood.maning_n: unknown field (expected one of enabled, routing, runoff, manning_n)',
      'error: $.models.flood.enabled: must be true or false (got "no", expected true or false)',
      'error: $.models.flood.routing: is not a known value (got "muskingum", expected one of muskingum-cunge, kinematic-wave, diffusive-wave)',
      'error: $.models.flood.runoff: is not a known value (got "magic", expected one of xinanjiang)',
      'error: $.models.flood.manning_n: must be a number (got "rough", expected a number in [0.005, 0.5] s/m^(1/3))',
      'error: $.models.landslide.basal_boundary: is not a known value (got "bedrock", expected one of infinite, finite)',
      'error: $.models.fire.spread: is not a known value (got "huygens", expected one of ellipse-minimum-travel-time)',
      'error: $.models.risklist.enabled: unknown field (expected one of items, categories)',
      'error: $.models.risklist.items: must name a file (got 42, expected a file path (relative to the scenario\'s folder, or absolute) matching \\.json$)',
      'error: $.models.risklist.categories: is not a known value (got "mine", expected one of region, default, or a file path (relative to the scenario\'s folder, or absolute) matching \\.json$)',
    ]);
    expect(problemsOf(variant((s) => { s.models.flood.manning_n = 5; }))).toEqual([
      'error: $.models.flood.manning_n: out of range (got 5, expected a number in [0.005, 0.5] s/m^(1/3))',
    ]);
    expect(problemsOf(variant((s) => { s.models.landslide = []; }))).toEqual([
      'error: $.models.landslide: must be an object (got an array of 0, expected the model\'s settings: enabled, targets, basal_boundary)',
    ]);
  });
});

describe('inject conditions', () => {
  it('parses `gauge <id> above <flow> m3/s` into its gauge and flow', () => {
    const s = parseScenario(variant((v) => { v.injects.push(condition('Gauge G-main ABOVE 1250.5 m³/s')); }));
    const trigger = s.injects.at(-1)!.trigger;
    expect(trigger).toEqual({ type: 'condition', condition: 'Gauge G-main ABOVE 1250.5 m³/s' });
    expect(conditionParts((trigger as { condition: string }).condition)).toEqual({ gauge: 'G-main', aboveM3PerS: 1250.5 });
  });

  it('parsed injects written back into the scenario (as the drill app does after an edit) read the same', () => {
    for (const name of ['storm-72h.json', 'fire-summer.json']) {
      const raw = JSON.parse(readFileSync(join(DIR, name), 'utf8'));
      const parsed = parseScenario(raw);
      expect(parseScenario({ ...raw, injects: parsed.injects }).injects).toEqual(parsed.injects);
    }
  });

  it('refuses a condition it cannot read, or a threshold that is not a number', () => {
    const k = peak.injects.length;
    const bad = variant((s) => {
      s.injects.push(condition('gauge G-main above banana m3/s'), { ...condition('gauge G-main above banana'), id: 'C2' },
        { ...condition('gauge R001 above 1.2.3 m3/s'), id: 'C3' }, { ...condition('when it rains'), id: 'C4' }, { ...condition(''), id: 'C5' });
    });
    expect(problemsOf(bad)).toEqual([
      `error: $.injects[${k}].trigger.condition: must be a number (got "banana", expected a number in [0, 1000000] m³/s)`,
      `error: $.injects[${k + 1}].trigger.condition: is not a condition the engine reads (got "gauge G-main above banana", expected gauge <reach or gauge id> above <flow> m3/s, e.g. "gauge R001 above 5000 m3/s")`,
      `error: $.injects[${k + 2}].trigger.condition: must be a number (got "1.2.3", expected a number in [0, 1000000] m³/s)`,
      `error: $.injects[${k + 3}].trigger.condition: is not a condition the engine reads (got "when it rains", expected gauge <reach or gauge id> above <flow> m3/s, e.g. "gauge R001 above 5000 m3/s")`,
      `error: $.injects[${k + 4}].trigger.condition: must state the condition (got "", expected gauge <reach or gauge id> above <flow> m3/s, e.g. "gauge R001 above 5000 m3/s")`,
    ]);
  });
});

describe('misspelt fields elsewhere in the scenario', () => {
  it('inject and trigger fields, river inflow fields, title_zh', () => {
    const bad = variant((s) => {
      s.injects[0].stat = 'on-hold';
      s.injects[3].trigger.delay = 600;
      s.forcing.river_inflows[0].district_factors = { yuzhong: 2 };
      s.forcing.rain.river = 'main';
      s.title_zh = 7;
    });
    expect(problemsOf(bad)).toEqual([
      'error: $.title_zh: must be a string (got 7, expected text)',
      'error: $.forcing.rain.river: unknown field (expected one of period_s, mm_per_h, district_factors)',
      'error: $.forcing.river_inflows[0].district_factors: unknown field (expected one of period_s, m3_per_s, river)',
      'error: $.injects[0].stat: unknown field (expected one of id, sequence, trigger, title, description, from, to, kind, expected_action, objective, state, action, title_zh, description_zh, from_zh, to_zh, expected_action_zh, objective_zh)',
      'error: $.injects[3].trigger.delay: unknown field (expected one of type, inject, delay_s)',
    ]);
  });
});

describe('start_time', () => {
  it('must be a real calendar time: Date.parse would roll these over', () => {
    for (const t of ['2026-02-30T02:00:00+08:00', '2026-07-14T24:00:00+08:00', '2026-04-31T20:00:00+08:00', '2025-02-29T00:00:00Z', '2026-07-14T20:00:00+15:00']) {
      expect(problemsOf(variant((s) => { s.start_time = t; }))).toEqual([
        `error: $.start_time: is not a date and time of the calendar (got "${t}", expected a day that exists in its month, hours 00–23, minutes and seconds 00–59, an offset up to ±14:59)`,
      ]);
    }
    for (const t of ['2028-02-29T23:59:59-05:30', '2026-12-31T00:00Z', '2026-07-14T20:00:00.250+14:00']) {
      expect(parseScenario(variant((s) => { s.start_time = t; })).startTime).toBe(t);
    }
  });
});

describe('names checked against the region before any model runs', () => {
  const engine = createNodeEngine();
  let region: RegionData;
  beforeAll(async () => {
    await engine.ready();
    region = await loadRegion(DIR, 'region/region.json');
  }, 60_000);

  const referenceProblems = (change: (s: Raw) => void) => checkScenarioReferences(parseScenario(variant(change)), region).map(formatProblem);

  it('the shipped scenarios name only what the region has', () => {
    for (const name of ['storm-72h.json', 'storm-peak-24h.json', 'storm-radar-24h.json', 'fire-summer.json']) {
      expect(checkScenarioReferences(parseScenario(JSON.parse(readFileSync(join(DIR, name), 'utf8'))), region)).toEqual([]);
    }
  });

  it('district factors, inflow rivers, condition gauges and observed gauges', () => {
    const k = peak.injects.length;
    expect(referenceProblems((s) => {
      s.forcing.rain.district_factors = { yuzhong: 1.2, atlantis: 2 };
      s.forcing.river_inflows[1].river = 'amazon';
      s.injects.push(condition('gauge G-nowhere above 100 m3/s'), { ...condition('gauge G-main above 100 m3/s'), id: 'C2' }, { ...condition('gauge R001 above 100 m3/s'), id: 'C3' });
      s.observations = { 'G-atlantis': { series: [[0, 1], [3600, 2], [7200, 3]] } };
    })).toEqual([
      'error: $.forcing.rain.district_factors.atlantis: names no district of the region (got "atlantis", expected one of yuzhong, jiangbei, nanan, shapingba, jiulongpo, dadukou, yubei, banan, beibei)',
      'error: $.forcing.river_inflows[1].river: names no river entering the region (got "amazon", expected one of main, tributary)',
      `error: $.injects[${k}].trigger.condition: names no gauge or reach of the region (G-nowhere) (got "gauge G-nowhere above 100 m3/s", expected a gauge (G-main, G-tributary, G-outlet) or a reach id of region.json (R087, R097, R024, R047, R083, … (100 in all)))`,
      'error: $.observations["G-atlantis"]: names no gauge of the region (got "G-atlantis", expected one of G-main, G-tributary, G-outlet)',
    ]);
  });

  it('a condition on a river flow needs the flood model', () => {
    expect(referenceProblems((s) => { s.models.flood.enabled = false; s.observations = { 'G-main': { series: [[0, 1], [3600, 2], [7200, 3]] } }; })).toEqual([
      'error: $.injects[2].trigger.condition: watches a river flow, but the flood model is off (got "gauge R001 above 30000 m3/s", expected models.flood.enabled true, or another trigger)',
      'error: $.observations["G-main"]: observes a gauge, but the flood model is off (got "G-main", expected models.flood.enabled true, or no observations)',
    ]);
  });

  it('runScenario refuses them before running a model', async () => {
    const scenario = parseScenario(variant((s) => { s.forcing.rain.district_factors = { atlantis: 2 }; }));
    const problems = await runScenario(engine, scenario, region).then(() => [], (e: InputError) => e.problems.map(formatProblem));
    expect(problems).toEqual(['error: $.forcing.rain.district_factors.atlantis: names no district of the region (got "atlantis", expected one of yuzhong, jiangbei, nanan, shapingba, jiulongpo, dadukou, yubei, banan, beibei)']);
  });

  it('a case the couplings build and a model still refuses is named at the scenario\'s field, once', async () => {
    // 300 mm/h over a one-day step is 7200 mm per step: the runoff model takes at most 1000.
    const scenario = parseScenario(variant((s) => {
      s.step_s = 86400; s.duration_s = 86400; s.injects = [];
      s.forcing.rain = { period_s: 3600, mm_per_h: new Array(24).fill(300) };
    }));
    const problems = await runScenario(engine, scenario, region).then(() => [], (e: InputError) => e.problems.map(formatProblem));
    expect(problems).toEqual(['error: $.forcing.rain: gives more rain in one coupling step (step_s, with district and inject factors) than the runoff model takes (got 7200, expected a number in [0, 1000] mm)']);
  }, 60_000);

  it('an item the risk list refuses is named in the items file, at its own index', async () => {
    const scenario = parseScenario(variant((s) => {
      s.duration_s = 3 * 3600; s.injects = [];
      s.models.flood.enabled = false; s.models.landslide.enabled = false;
    }));
    const k = region.items.findIndex((i) => i.lec);
    const items = region.items.map((item, j) => (j === k ? { ...item, lec: { ...item.lec!, L: -3 } } : item));
    const problems = await runScenario(engine, scenario, { ...region, items }).then(() => [], (e: InputError) => e.problems.map((p) => p.path));
    expect(problems).toEqual([`region/risk-items.json $.items[${k}].lec.L`]);
  }, 60_000);

  it('a condition naming a gauge by id fires on that gauge\'s reach', async () => {
    const scenario = parseScenario(variant((s) => {
      s.duration_s = 6 * 3600;
      s.models.landslide.enabled = false;
      s.injects = [condition('gauge G-outlet above 1 m3/s')];
    }));
    const run = await runScenario(engine, scenario, region);
    expect(run.delivered).toEqual([{ id: 'C1', t_s: scenario.stepS }]);
  }, 60_000);

  it('an items file the couplings cannot place is named by file and path', () => {
    const items = structuredClone(region.items) as unknown as Record<string, unknown>[];
    items[1] = { ...items[1], area: 'atlantis', x_m: 1e9 };
    items[2] = { ...items[2], id: items[0].id };
    const problems = (() => { try { checkRegionItems({ items }, 'my-items.json', region.manifest); } catch (e) { return (e as InputError).problems.map(formatProblem); } return []; })();
    expect(problems).toEqual([
      'error: my-items.json $.items[1].area: names no district of the region (got "atlantis", expected one of yuzhong, jiangbei, nanan, shapingba, jiulongpo, dadukou, yubei, banan, beibei)',
      'error: my-items.json $.items[1].x_m: is outside the region (got 1000000000, expected an easting in [640000, 660480) m)',
      `error: my-items.json $.items[2].id: repeats an earlier item's id (got "${items[0].id}", expected a unique id)`,
    ]);
    expect(checkRegionItems({ items: region.items }, 'x.json', region.manifest)).toBe(region.items);
  });

  it('reads the region and the items from absolute paths too', async () => {
    const absolute = await loadRegion('/nowhere', join(DIR, 'region/region.json'), join(DIR, 'region/risk-items.json'));
    expect(absolute.manifest).toEqual(region.manifest);
    expect(absolute.items).toEqual(region.items);
  }, 60_000);
});

describe('sandtable run: files the scenario names, and --seed', () => {
  const { sandtable, caseFile, dir } = cliWorkspace('scenario-validation');

  it('a missing risklist.items, observation file or region: exit 2 naming the JSON path and the file', () => {
    const missingItems = sandtable(['run', caseFile('items.json', variant((s) => { s.region = join(DIR, 'region/region.json'); s.models.risklist.items = 'region/nope.json'; }))]);
    expect([missingItems.code, missingItems.stderr.trim()]).toEqual([2, 'error: $.models.risklist.items: names a file that does not exist (got "region/nope.json", expected a risk-items JSON file ({ "items": [...] }) of the region)']);
    const missingObservations = sandtable(['run', caseFile('obs.json', variant((s) => {
      s.region = join(DIR, 'region/region.json');
      s.models.risklist.items = join(DIR, 'region/risk-items.json');
      s.observations = { 'G-main': { file: 'nope.csv' } };
    }))]);
    expect([missingObservations.code, missingObservations.stderr.trim()]).toEqual([2, 'error: $.observations["G-main"].file: names a file that does not exist (got "nope.csv", expected a CSV file of observations, relative to the scenario\'s folder or absolute)']);
    const missingRegion = sandtable(['run', caseFile('region.json', variant((s) => { s.region = '/nowhere/region.json'; }))]);
    expect(missingRegion.code).toBe(2);
    expect(missingRegion.stderr).toMatch(/^error: \$\.region: names a region file that does not exist \(got "\/nowhere\/region\.json"/);
  });

  it('--seed must be written as a decimal integer in range', () => {
    const scenario = join(DIR, 'storm-peak-24h.json');
    for (const seed of [['--seed='], ['--seed', '1.5'], ['--seed', '-1'], ['--seed', '0x10'], ['--seed', '1e3'], ['--seed', '4294967296'], ['--seed', ' 7']]) {
      const r = sandtable(['run', scenario, ...seed]);
      const shown = seed.length === 1 ? '' : seed[1];
      expect([seed, r.code, r.stderr.trim()]).toEqual([seed, 2, `error: --seed: must be an integer in the seed range (got ${JSON.stringify(shown)}, expected a decimal integer in [0, 4294967295])`]);
    }
  });

  it('runs with an absolute region path, results as with the relative one', () => {
    const short = (region: string, items: string) => variant((s) => { s.duration_s = 6 * 3600; s.injects = []; s.region = region; s.models.risklist.items = items; });
    const absolute = sandtable(['run', caseFile('absolute.json', short(join(DIR, 'region/region.json'), join(DIR, 'region/risk-items.json')))]);
    // Nothing but the models' own warnings (`warning: <model>: …`, models/scenario/model-warnings.ts).
    expect(absolute.stderr.split('\n').filter((l) => l !== '' && !/^(warning|note): /.test(l))).toEqual([]);
    expect(absolute.code).toBe(0);
    const relativeRegion = relative(dir, join(DIR, 'region'));
    const relativeRun = sandtable(['run', caseFile('relative.json', short(join(relativeRegion, 'region.json'), join(relativeRegion, 'risk-items.json')))]);
    expect(relativeRun.code).toBe(0);
    expect(JSON.parse(absolute.stdout).results_sha256).toBe(JSON.parse(relativeRun.stdout).results_sha256);
  }, 120_000);
});
