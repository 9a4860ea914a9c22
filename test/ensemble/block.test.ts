// The ensemble block is validated by JSON path like every scenario field, and a member's draws
// depend on (seed, member, field) only. Exceedance frequencies of the drawn inputs match their
// distributions within sampling error (the closed forms are the normal CDF, Abramowitz & Stegun 26.2.17).
import { describe, expect, it } from 'vitest';
import { parseEnsembleBlock } from '../../models/ensemble/block.ts';
import { cumulativeDensity, drawMember, uniformAt } from '../../models/ensemble/draw.ts';
import { DEFAULT_PERTURBATIONS } from '../../models/ensemble/spec.ts';
import { InputError } from '../../models/errors.ts';
import type { ParsedArgs } from '../../bin/args.ts';
import { ensemble } from '../../bin/commands/ensemble.ts';
import { worker } from '../../bin/commands/worker.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { cliWorkspace } from '../cli-harness.ts';
import storm from './fixtures/storm-6h.json' with { type: 'json' };

function problemsOf(block: unknown): string[] {
  try {
    parseEnsembleBlock(block, 1);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const engine = createNodeEngine();

describe('the ensemble block', () => {
  it('refuses bad blocks by JSON path', () => {
    expect(problemsOf({ members: 0 })).toEqual(['$.ensemble.members: out of range']);
    expect(problemsOf({ members: 2.5 })).toEqual(['$.ensemble.members: out of range']);
    expect(problemsOf({ members: 3, seed: -1 })).toEqual(['$.ensemble.seed: out of range']);
    expect(problemsOf({ members: 3, perturbations: { rain_scale: { distribution: 'normal', mean: 1, sd_deg: 1 } } }))
      .toEqual(['$.ensemble.perturbations.rain_scale.distribution: is not a distribution this input takes']);
    expect(problemsOf({ perturbations: { rain_scale: { distribution: 'lognormal', median: 11, sigma_log: 0.2 } } }))
      .toEqual(['$.ensemble.perturbations.rain_scale.median: out of range']);
    expect(problemsOf({ perturbations: { rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 4 } } }))
      .toEqual(['$.ensemble.perturbations.rain_scale.sigma_log: out of range']);
    expect(problemsOf({ perturbations: { wind_speed_scale: { distribution: 'uniform', min: 2, max: 1 } } }))
      .toEqual(['$.ensemble.perturbations.wind_speed_scale.max: is below min']);
    expect(problemsOf({ perturbations: { rain_scale: { distribution: 'uniform', min: 0.5, max: 1.5, mode: 1 } } }))
      .toEqual(['$.ensemble.perturbations.rain_scale.mode: unknown field']);
    expect(problemsOf({ perturbations: { snow_scale: {} } })).toEqual(['$.ensemble.perturbations.snow_scale: unknown field']);
    expect(problemsOf({ perturbations: { ignitions: { points: [{ x_m: 1 }] } } })).toEqual(['$.ensemble.perturbations.ignitions.points[0].y_m: is required']);
    expect(problemsOf({ perturbations: { soil: { redraw: 'yes' } } })).toEqual(['$.ensemble.perturbations.soil.redraw: must be true or false']);
    expect(problemsOf('many')).toEqual(['$.ensemble: must be an object']);
  });

  it('takes --members and --seed over the block, and defaults with no block', () => {
    expect(parseEnsembleBlock({ members: 5, seed: 9 }, 1, { members: 7 })).toMatchObject({ members: 7, seed: 9, fromBlock: true });
    expect(parseEnsembleBlock(undefined, 42, { members: 3 })).toMatchObject({ members: 3, seed: 42, quantities: DEFAULT_PERTURBATIONS, soilRedraw: true, fromBlock: false });
    expect(() => parseEnsembleBlock(undefined, 1)).toThrow('$.ensemble: is missing and no --members was given');
  });

  it('exits 2 naming the path from the CLI, before any member runs', async () => {
    const { sandtable, caseFile, dir } = cliWorkspace('ensemble-block');
    const file = caseFile('bad.json', { ...storm, region: `${process.cwd()}/scenarios/mountain-city/region/region.json`, models: { ...storm.models, risklist: { ...storm.models.risklist, items: `${process.cwd()}/scenarios/mountain-city/region/risk-items.json` } }, ensemble: { members: 3, perturbations: { rain_scale: { distribution: 'lognormal', median: 1, sigma_log: -1 } } } });
    const r = sandtable(['ensemble', file, '--out', `${dir}/out`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: $.ensemble.perturbations.rain_scale.sigma_log: out of range (got -1, expected a number in [0, 3])\n');
    // `run` ignores the block but refuses a broken one the same way.
    const run = sandtable(['run', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(r.stderr);
    // The option checks in process (each refused before any file or region is read; a spawned
    // CLI above already shows an input error exits 2 with its one line).
    const refused = (command: (args: ParsedArgs) => Promise<void>, args: string[], message: string) => {
      const options = new Map<string, string>();
      for (let k = 0; k < args.length; k += 2) options.set(args[k].slice(2), args[k + 1]);
      return expect(command({ positional: command === inProcessWorker ? [] : [file], options })).rejects.toThrow(message);
    };
    const inProcessEnsemble = (args: ParsedArgs) => ensemble(args, engine);
    const inProcessWorker = (args: ParsedArgs) => worker(args);
    await refused(inProcessEnsemble, [], 'error: --out: is required (got nothing, expected --out DIR');
    // Port 1 refuses connections: the queue is named before anything is loaded or queued.
    const unreachable = '--queue: cannot be reached (ECONNREFUSED) (got "redis://127.0.0.1:1/0", expected a running Redis server at that address)';
    await refused(inProcessEnsemble, ['--queue', 'redis://127.0.0.1:1/0', '--out', `${dir}/q`], unreachable);
    await refused(inProcessWorker, ['--queue', 'redis://127.0.0.1:1/0'], unreachable);
    await refused(inProcessWorker, ['--queue', 'http://127.0.0.1:6379'], '--queue: is not a Redis URL');
    // The indexed form (one member per pod, then a reduce) takes its options in working pairs only.
    await refused(inProcessEnsemble, ['--index', '1', '--out', `${dir}/i`], '--index: needs --results');
    await refused(inProcessEnsemble, ['--index', '1', '--results', `${dir}/r`, '--out', `${dir}/i`], '--out: cannot go with --results');
    await refused(inProcessEnsemble, ['--queue', 'redis://127.0.0.1:1/0', '--from-results', `${dir}/r`, '--out', `${dir}/i`], '--from-results: cannot go with --queue');
  });
});

describe('member draws', () => {
  const spec = parseEnsembleBlock({ members: 10_000, seed: 7, perturbations: {
    rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.3 },
    wind_direction_shift_deg: { distribution: 'normal', mean: 0, sd_deg: 20 },
    river_inflow_scale: { distribution: 'uniform', min: 0.9, max: 1.1 },
    soil: { redraw: true },
  } }, 1);

  it('depend on (seed, member, field) only: the same whatever else was drawn, in any order', () => {
    const alone = drawMember(storm, spec, 4321).inputs;
    const afterOthers = [9, 3, 4321, 0].map((i) => drawMember(storm, spec, i))[2].inputs;
    expect(afterOthers).toEqual(alone);
    expect(drawMember(storm, { ...spec, seed: 8 }, 4321).inputs.rain_scale).not.toBe(alone.rain_scale);
    // Dropping a perturbation moves no other field's draw.
    expect(drawMember(storm, { ...spec, quantities: { rain_scale: spec.quantities.rain_scale } }, 4321).inputs.rain_scale).toBe(alone.rain_scale);
    expect(uniformAt(7, 4321, 'rain_scale', 0)).toBeGreaterThan(0);
  });

  it('apply the drawn values to the scenario variant, leaving the original alone', () => {
    const { scenario, inputs } = drawMember(storm, spec, 12);
    const rain = (scenario.forcing as typeof storm.forcing).rain.mm_per_h;
    rain.forEach((v, k) => expect(v).toBe(storm.forcing.rain.mm_per_h[k] * inputs.rain_scale));
    expect((scenario.forcing as typeof storm.forcing).river_inflows[1].m3_per_s[0]).toBe(storm.forcing.river_inflows[1].m3_per_s[0] * inputs['river_inflow_scale[1]']);
    expect(scenario.seed).toBe(inputs.soil_seed);
    expect(scenario.ensemble).toBeUndefined();
    expect(storm.ensemble).toBeDefined();
  });

  it('exceed thresholds as often as their distributions say (10 000 members, within 4 standard errors)', () => {
    const n = 10_000;
    const draws = Array.from({ length: n }, (_, i) => drawMember(storm, spec, i).inputs);
    const check = (observed: number, p: number) => expect(Math.abs(observed / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    // Lognormal(median 1, σ 0.3): P(X > 1.5) = 1 − Φ(ln 1.5 / 0.3) = 1 − Φ(1.35155) = 0.08826.
    check(draws.filter((d) => d.rain_scale > 1.5).length, 0.08826);
    // Normal(0, 20°): P(X > 20°) = 1 − Φ(1) = 0.158655.
    check(draws.filter((d) => d.wind_direction_shift_deg > 20).length, 0.158655);
    // Uniform(0.9, 1.1): P(X > 1.05) = 0.25.
    check(draws.filter((d) => d['river_inflow_scale[0]'] > 1.05).length, 0.25);
    // And the two rivers' errors are drawn independently: P(both > 1.05) = 1/16.
    check(draws.filter((d) => d['river_inflow_scale[0]'] > 1.05 && d['river_inflow_scale[1]'] > 1.05).length, 0.0625);
  });
});

describe('ignition draws', () => {
  const fire = {
    ...storm, injects: [{ id: 'F1', sequence: 1, trigger: { type: 'time', t_s: 1800 }, kind: 'model-change', title: 'Ignition', action: { type: 'ignition', x_m: 1, y_m: 2 } }],
  };

  it('place each ignition inject at a point of the list, its time kept', () => {
    const spec = parseEnsembleBlock({ members: 100, seed: 5, perturbations: { ignitions: { points: [{ x_m: 10, y_m: 20 }, { x_m: 30, y_m: 40 }] } } }, 1);
    const places = Array.from({ length: 200 }, (_, i) => drawMember(fire, spec, i));
    const first = places.filter((d) => d.inputs['ignition[0].x_m'] === 10).length;
    expect(first).toBeGreaterThan(100 - 4 * Math.sqrt(50));
    expect(first).toBeLessThan(100 + 4 * Math.sqrt(50));
    const action = (places[0].scenario.injects as typeof fire.injects)[0].action;
    expect([action.x_m, action.y_m]).toEqual([places[0].inputs['ignition[0].x_m'], places[0].inputs['ignition[0].y_m']]);
    expect((places[0].scenario.injects as typeof fire.injects)[0].trigger).toEqual({ type: 'time', t_s: 1800 });
  });

  it('draw cells in proportion to an ignition-density grid, at their centres', () => {
    // 2 × 2 cells of 10 m: densities 0, 1, 3, NODATA → P = 0, 1/4, 3/4, 0.
    const grid = { ncols: 2, nrows: 2, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values: Float64Array.from([0, 1, 3, NaN]) };
    const density = { grid, cumulative: cumulativeDensity(grid) };
    const spec = parseEnsembleBlock({ members: 4000, seed: 5, perturbations: { ignitions: { density_grid: 'd.asc' } } }, 1);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const d = drawMember(fire, spec, i, density).inputs;
      const key = `${d['ignition[0].x_m']},${d['ignition[0].y_m']}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['15,15', '5,5']); // row 0 is north: cell 1 is (15, 15), cell 2 is (5, 5)
    expect(Math.abs(counts.get('5,5')! / 4000 - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / 4000));
  });
});
