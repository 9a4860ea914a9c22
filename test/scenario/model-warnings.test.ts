// A model's warnings reach the user of a coupled run: the run's result (`modelWarnings`), the
// summary (`model_warnings`) and the CLI's stderr (`warning: <model>: <where>: <what>`). The case
// is the one that went unseen: a one-cell, 12 % headwater reach (kept with
// `streams.min_headwater_cells: 0`, test/region/gully.ts) is stable only for steps of about 11 s,
// so a 3600 s coupling step needs more than the router's 100 sub-steps and the reach stays
// unstable (C − D > 1) at the capped 36 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { NumericalError } from '../../models/errors.ts';
import { routeCaseFromValues, type RouteReachValues } from '../../models/flood/route-typed.ts';
import { checkBasinBalance, type BasinOutput } from '../../models/flood/runoff.ts';
import type { SpreadOutput } from '../../models/fire/spread-case.ts';
import { mergeAt } from '../../models/scenario/fire-coupling.ts';
import { fireWarningsOf, floodWarnings, warningLine, type ModelWarning } from '../../models/scenario/model-warnings.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { CLI } from '../cli-harness.ts';
import { WKT_4545 } from '../region/fixture.ts';
import { gullyAsc, gullyValley, stubThresholdKm2 } from '../region/gully.ts';

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let dir: string;
/** The one-cell reach's id in the built region. */
let stubId: string;
/** The storm starter for the region, at a coupling step of `stepS`. */
const stormFile = (stepS: number) => join(dir, `storm-${stepS}.json`);

beforeAll(async () => {
  await loadKernels();
  const dem = gullyValley();
  dir = mkdtempSync(join(tmpdir(), 'sandtable-model-warnings-'));
  writeFileSync(join(dir, 'gully.asc'), gullyAsc(dem));
  writeFileSync(join(dir, 'gully.prj'), WKT_4545);
  writeFileSync(join(dir, 'case.json'), JSON.stringify({
    schema: 'sandtable.region-case/1', name: 'Gully', dem: 'gully.asc', streams: { threshold_km2: stubThresholdKm2(dem), min_headwater_cells: 0 },
  }));
  const built = cli(['region', 'build', join(dir, 'case.json'), '--out', join(dir, 'region')]);
  if (built.code !== 0) throw new Error(built.stderr);
  const made = cli(['region', 'scenario', join(dir, 'region'), '--template', 'storm', '--out', join(dir, 'storm.json')]);
  if (made.code !== 0) throw new Error(made.stderr);
  const storm = JSON.parse(readFileSync(join(dir, 'storm.json'), 'utf8'));
  for (const stepS of [900, 3600, 5400]) writeFileSync(stormFile(stepS), JSON.stringify({ ...storm, step_s: stepS }));
  const reaches = JSON.parse(readFileSync(join(dir, 'region', 'region.json'), 'utf8')).reaches as { id: string; length_m: number }[];
  stubId = reaches.find((r) => r.length_m === 30)!.id;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const capped = (): ModelWarning[] => [
  {
    model: 'flood', where: 'network', what: 'no sub-step of dt_s down to 1/100 meets every reach\'s conditions; routing with 100 sub-steps of 36 s (inflows interpolated linearly; outflows are reported at dt_s)',
    severity: 'warning', code: 'flood.substeps_capped', params: { max: 100, substeps: 100, sub_dt_s: 36 },
  },
  {
    model: 'flood', where: `reach ${stubId}`, what: expect.stringMatching(/^C − D > 1 at its highest flow even unsplit: stable only for steps ≤ 11\.\d+ s, routed with 36 s \(100 sub-steps, the cap\), so its outflow may oscillate; /),
    severity: 'warning', code: 'flood.reach_unstable_capped', params: { stable_s: expect.closeTo(11.3, 0), sub_dt_s: 36, substeps: 100 },
  },
];

describe('the capped, still unstable routing of a coupled run is reported', () => {
  it('through the engine API: runScenario\'s modelWarnings name the network and the one-cell reach', async () => {
    const scenario = parseScenario(JSON.parse(readFileSync(stormFile(3600), 'utf8')));
    const run = await runScenario(createNodeEngine(), scenario, await loadRegion(dir, scenario.region));
    expect(run.modelWarnings.slice(0, 2)).toEqual(capped());
    // Only the stub is unstable: every other reach has its own line or none, never the capped one.
    expect(run.modelWarnings.filter((w) => w.what.startsWith('C − D > 1'))).toHaveLength(1);
    // The capped step no longer claims every reach keeps C − D ≤ 1.
    expect(run.modelWarnings.some((w) => w.what.includes('C − D ≤ 1 in every Muskingum–Cunge reach'))).toBe(false);
  }, 60_000);

  it('through `sandtable run`: exit 0, one stderr line per warning, and the same list in the summary', () => {
    const r = cli(['run', stormFile(3600), '--out', join(dir, 'out-3600')]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.model_warnings.slice(0, 2)).toEqual(capped());
    // Warnings as `warning: …`, information as `note: …`, in the run's order.
    expect(r.stderr.trimEnd().split('\n')).toEqual(summary.model_warnings.map((w: ModelWarning) => `${w.severity === 'info' ? 'note' : 'warning'}: ${w.model}: ${w.where}: ${w.what}`));
    expect(summary.model_warnings.every((w: ModelWarning) => w.code !== 'other')).toBe(true);
    expect(r.stderr.split('\n')[1]).toMatch(new RegExp(`^warning: flood: reach ${stubId}: C − D > 1 `));
    // summary.json carries them too; the hashed result files do not.
    const out = join(dir, 'out-3600');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).model_warnings).toEqual(summary.model_warnings);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.file_sha256)).not.toContain('summary.json');
  }, 60_000);

  it('at a 900 s step the router needs 80 sub-steps, under the cap: nothing is capped or unstable', () => {
    const r = cli(['run', stormFile(900)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('no sub-step');
    expect(r.stderr).not.toContain('C − D > 1');
    // Sub-steps that meet every reach's bound are information, not a warning.
    expect(r.stderr).toContain('note: flood: network: the network was routed in 80 sub-steps of 11.25 s');
    expect(r.stderr).not.toContain('warning: flood: network: the network was routed');
  }, 60_000);
});

describe('other warnings of a coupled run', () => {
  it('a step that does not divide the hour leaves no slope grid, and says so at $.step_s', async () => {
    const scenario = parseScenario(JSON.parse(readFileSync(stormFile(5400), 'utf8')));
    const run = await runScenario(createNodeEngine(), scenario, await loadRegion(dir, scenario.region));
    expect(run.slopeGrid).toBeUndefined();
    expect(run.modelWarnings.filter((w) => w.model === 'landslide')).toEqual([{
      model: 'landslide', where: '$.step_s',
      what: 'the slope grid runs on hourly rain, so it needs a step_s that divides 3600 s and a run of an hour or more (got 5400 s over 86400 s): this run has no slope grid, only the monitored slopes',
      severity: 'warning', code: 'landslide.no_slope_grid', params: { step_s: 5400, duration_s: 86400 },
    }]);
  }, 60_000);
  it('a fire split by a break keeps the warnings of the run before the break', () => {
    const grid = (v: number) => ({ ncols: 1, nrows: 1, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values: Float64Array.of(v) });
    const part = (arrival: number, warnings: string[]) => ({
      summary: { burned_area_m2: [], cells_burned: 1, warnings, stencil_directions: 80 },
      arrival: grid(arrival), ros: grid(1), intensity: grid(1), perimeters: { type: 'FeatureCollection', features: [] },
    }) as SpreadOutput;
    const merged = mergeAt(part(100, ['3 cells of NODATA fuel do not burn']), part(50, ['3 cells of NODATA fuel do not burn', '$.wind.series[0] starts at t_s 60: its wind also blows before then']), 200);
    expect(merged.summary.warnings).toEqual(['3 cells of NODATA fuel do not burn', '$.wind.series[0] starts at t_s 60: its wind also blows before then']);
    expect(mergeAt(part(100, ['fuel models GR1 do not spread at this moisture (at or above extinction)']), part(50, []), 200).summary.warnings).toEqual(['fuel models GR1 do not spread at this moisture (at or above extinction)']);
  });
});

describe('where a warning is placed', () => {
  it('router lines: `reach <id>: …` by a known id (ids may hold ": "), the rest the network', () => {
    expect(floodWarnings(['reach A: B: dips', 'reach A: x', 'reach Q: y', 'basin B-1: short', 'outflow fell below zero'], new Set(['A: B', 'A']), new Set(['B-1'])).map(({ model, where, what }) => ({ model, where, what }))).toEqual([
      { model: 'flood', where: 'reach A: B', what: 'dips' },
      { model: 'flood', where: 'reach A', what: 'x' },
      { model: 'flood', where: 'network', what: 'reach Q: y' },
      { model: 'flood', where: 'basin B-1', what: 'short' },
      { model: 'flood', where: 'network', what: 'outflow fell below zero' },
    ]);
  });

  it('fire lines: the typed case\'s paths become the scenario\'s fields or the region\'s grids', () => {
    expect(fireWarningsOf([
      '$.wind.series[0] starts at t_s 60: its wind also blows before then',
      '12 cells of NODATA fuel do not burn',
      'fuel models GR1 do not spread at this moisture (at or above extinction)',
    ]).map((w) => w.where)).toEqual(['$.forcing.wind[0]', 'region fuel grid', '$.forcing.fuel_moisture_percent']);
    expect(warningLine(fireWarningsOf(['12 cells of NODATA fuel do not burn'])[0])).toBe('warning: fire: region fuel grid: 12 cells of NODATA fuel do not burn');
    expect(warningLine(fireWarningsOf(['fuel models GR1 do not spread at this moisture (at or above extinction)'])[0])).toBe('note: fire: $.forcing.fuel_moisture_percent: fuel models GR1 do not spread at this moisture (at or above extinction)');
  });
});

describe('the router on its own (`flood route`, the typed path)', () => {
  it('a capped network names each unstable reach with the step it needs', () => {
    const reaches = [
      { id: 'stub', downstream: 'main', length_m: 30, slope: 0.12 },
      { id: 'main', downstream: null, length_m: 1500, slope: 0.01 },
    ].map((r): RouteReachValues => ({ ...r, method: 'muskingum-cunge', manning_n: 0.035, section: { shape: 'trapezoid', bottom_width_m: 3, side_slope_h_per_v: 2 } }) as RouteReachValues);
    const lateral = reaches.map((r) => ({ reach: r.id, m3PerS: Float64Array.from({ length: 25 }, (_, j) => 5 * Math.max(0.05, 1 - Math.abs(j - 10) / 8)) }));
    const c = routeCaseFromValues({ dtS: 3600, steps: 24, reaches, inflows: [], lateral });
    expect(c.substeps).toBe(100);
    expect(c.warnings[0]).toBe('no sub-step of dt_s down to 1/100 meets every reach\'s conditions; routing with 100 sub-steps of 36 s (inflows interpolated linearly; outflows are reported at dt_s)');
    expect(c.warnings[1]).toMatch(/^reach stub: C − D > 1 at its highest flow even unsplit: stable only for steps ≤ [\d.]+ s, routed with 36 s/);
    expect(c.warnings.filter((w) => w.startsWith('reach main: C − D > 1'))).toEqual([]);
  });

  it('routing a case\'s basins checks their water balance as `flood runoff` does', () => {
    const broken = { water_balance_mm: { rain: 100, evaporation: 1, runoff: 50, storage_change: 40, residual: 9 } } as BasinOutput;
    expect(() => checkBasinBalance('B-1', broken)).toThrow(NumericalError);
    expect(() => checkBasinBalance('B-1', broken)).toThrow('basin B-1: water balance broken by 9 mm');
  });
});
