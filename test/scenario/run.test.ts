// The coupled chain on the shipped 24-hour storm: deterministic, monotone in the rain, conditions
// fired by the models, and physically bounded.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { formatProblem, InputError } from '../../models/errors.ts';
import { flowsAtStepEnds } from '../../models/scenario/flood-coupling.ts';
import { resultsHash, runOutputs } from '../../models/scenario/outputs.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { gaugeFor, runScenario, type ScenarioRun } from '../../models/scenario/run.ts';
import { parseScenario, type Scenario } from '../../models/scenario/schema.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const raw = JSON.parse(readFileSync(join(SCENARIO_DIR, 'storm-peak-24h.json'), 'utf8'));
const engine = createNodeEngine();
let region: RegionData;
let scenario: Scenario;
let base: ScenarioRun;

function maxLevels(run: ScenarioRun): Map<string, number> {
  const reached = new Map(Object.entries(run.risk.final));
  for (const c of run.risk.changes) reached.set(c.item, Math.max(reached.get(c.item) ?? 0, c.to));
  return reached;
}

beforeAll(async () => {
  region = await loadRegion(SCENARIO_DIR, 'region/region.json');
  scenario = parseScenario(raw);
  base = await runScenario(engine, scenario, region);
}, 120_000);

describe('coupled scenario run (storm-peak-24h)', () => {
  it('is deterministic: the same scenario and seed give byte-identical results; another seed does not', async () => {
    const again = await runScenario(engine, scenario, region);
    const hash = await resultsHash(runOutputs(base, scenario, region));
    expect(await resultsHash(runOutputs(again, scenario, region))).toBe(hash);
    const reseeded = await runScenario(engine, parseScenario({ ...raw, seed: 7 }), region);
    expect(await resultsHash(runOutputs(reseeded, scenario, region))).not.toBe(hash);
  });

  it('more rain → higher peaks, lower factors of safety, and no item ever lower on the risk list', async () => {
    const wetter = structuredClone(raw);
    wetter.forcing.rain.mm_per_h = raw.forcing.rain.mm_per_h.map((r: number) => r * 1.5);
    const run = await runScenario(engine, parseScenario(wetter), region);
    const outlet = (r: ScenarioRun) => r.gauges.find((g) => g.id === 'G-outlet')!.peakM3PerS;
    expect(outlet(run)).toBeGreaterThan(outlet(base));
    for (const [id, series] of base.fsBySlope) {
      expect(Math.min(...run.fsBySlope.get(id)!.fs)).toBeLessThanOrEqual(Math.min(...series.fs) + 1e-12);
    }
    const before = maxLevels(base);
    const after = maxLevels(run);
    const lower = [...before].filter(([id, level]) => (after.get(id) ?? 1) < level);
    expect(lower).toEqual([]);
    const higher = [...before].filter(([id, level]) => (after.get(id) ?? 1) > level);
    expect(higher.length).toBeGreaterThan(0);
    // Inundation (HAND): no cell is shallower under more rain, and more land goes under.
    const [dry, wet] = [base.inundation!.maxDepthM, run.inundation!.maxDepthM];
    let shallower = 0;
    for (let i = 0; i < dry.length; i++) if (wet[i] < dry[i]) shallower++;
    expect(shallower).toBe(0);
    expect(run.inundation!.floodedAreaKm2).toBeGreaterThan(base.inundation!.floodedAreaKm2);
    expect(run.inundation!.people).toBeGreaterThanOrEqual(base.inundation!.people);
    // Slope grid: no block is safer under more rain.
    const [fsBase, fsWet] = [base.slopeGrid!.fsMin.values, run.slopeGrid!.fsMin.values];
    let safer = 0;
    for (let i = 0; i < fsBase.length; i++) if (fsWet[i] > fsBase[i] + 1e-12) safer++;
    expect(safer).toBe(0);
    expect(Math.max(...run.slopeGrid!.cellsBelow1)).toBeGreaterThan(Math.max(...base.slopeGrid!.cellsBelow1));
  }, 60_000);

  it('fires a condition inject at the first step the modelled flow passes it, and chains after it', () => {
    const flows = flowsAtStepEnds(base.route!, 'R001');
    const first = flows.findIndex((q) => q > 30000);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(base.delivered.find((d) => d.id === 'I4')?.t_s).toBe((first + 1) * scenario.stepS);
    const i3 = base.delivered.find((d) => d.id === 'I3')!.t_s;
    expect(base.delivered.find((d) => d.id === 'I5')?.t_s).toBe(i3 + 3600);
    expect(base.delivered.some((d) => d.id === 'I7')).toBe(false); // on hold: the trainer decides
  });

  it('keeps the rivers physical: the outlet carries at least what enters, mass balance closes', () => {
    const entering = scenario.riverInflows.reduce((sum, r) => sum + Math.max(...r.series.values), 0);
    const outlet = base.gauges.find((g) => g.id === 'G-outlet')!;
    expect(outlet.peakM3PerS).toBeGreaterThan(Math.max(...scenario.riverInflows.map((r) => Math.max(...r.series.values))));
    // Local runoff cannot exceed the whole region's area under the heaviest hour of rain.
    const regionKm2 = (region.manifest.grid.ncols * region.manifest.grid.nrows * region.manifest.grid.cellsize_m ** 2) / 1e6;
    const heaviest = Math.max(...raw.forcing.rain.mm_per_h) * 1.5 * 1.2; // injects and district factors at most
    expect(outlet.peakM3PerS).toBeLessThan(entering + (heaviest / 1000 / 3600) * regionKm2 * 1e6);
    expect(Math.abs(base.route!.mass_balance.relative_error)).toBeLessThan(1e-9);
    expect(base.fire).toBeUndefined(); // the storm runs no fire model
  });

  it('feeds every waterlogging point a depth and every slope its FS, and warns by rule', () => {
    const fed = new Set(base.readings.map((r) => `${r.item}/${r.factor}`));
    for (const item of region.items) {
      if (item.category === 'waterlogging') expect(fed.has(`${item.id}/depth_cm`)).toBe(true);
      if (item.category === 'slope') expect(fed.has(`${item.id}/fs_min`)).toBe(true);
    }
    expect(base.warnings.some((w) => w.hazard === 'rainstorm' && w.level === 4)).toBe(true);
    expect(base.warnings.some((w) => w.hazard === 'flood')).toBe(true);
  });

  it('warns a riverside reach by the first gauge downstream on its own river, never by another branch', () => {
    const reaches = new Map(region.manifest.reaches.map((r) => [r.id, r]));
    const downstreamChain = (id: string) => {
      const chain: string[] = [];
      for (let at: string | null = id; at; at = reaches.get(at)!.downstream) chain.push(at);
      return chain;
    };
    const byGauge = new Map<string, number>();
    for (const reach of reaches.keys()) {
      const gauge = gaugeFor(region, base.gauges, reach);
      const chain = downstreamChain(reach);
      if (!gauge) { expect(base.gauges.filter((g) => chain.includes(g.reach))).toEqual([]); continue; }
      // On the reach's way to the outlet, with no other gauge between them.
      expect(chain).toContain(gauge.reach);
      expect(base.gauges.filter((g) => chain.slice(0, chain.indexOf(gauge.reach)).includes(g.reach))).toEqual([]);
      byGauge.set(gauge.id, (byGauge.get(gauge.id) ?? 0) + 1);
    }
    // Each entering river's gauge warns its own river's reaches; the outlet gauge only what is below them.
    expect([...byGauge.keys()].sort()).toEqual(base.gauges.map((g) => g.id).sort());
    for (const gauge of base.gauges) expect(gaugeFor(region, base.gauges, gauge.reach)).toBe(gauge);
    // Every flood warning names the gauge that warns its districts.
    for (const w of base.warnings.filter((x) => x.hazard === 'flood')) expect(base.gauges.some((g) => w.id.endsWith(g.id))).toBe(true);
  });
});

describe('scenario input errors', () => {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-scenario-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a scenario naming a missing region file fails at $.region', async () => {
    const problem = await loadRegion(SCENARIO_DIR, 'nowhere/region.json').catch((e: InputError) => formatProblem(e.problems[0]));
    expect(problem).toMatch(/^error: \$\.region: names a region file that does not exist \(got "nowhere\/region\.json"/);
  });

  it('a region grid of the wrong size is named', async () => {
    const copy = join(work, 'region');
    cpSync(join(SCENARIO_DIR, 'region'), copy, { recursive: true });
    writeFileSync(join(copy, 'fuel.asc'), 'ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 20\n1 2\n');
    const problem = await loadRegion(work, 'region/region.json').catch((e: InputError) => formatProblem(e.problems[0]));
    expect(problem).toBe('error: region/fuel.asc: has a different size from the region (got "2 × 1", expected 1024 × 1024 cells as region.json says)');
  });

  it('a model change naming what the region lacks is refused by path before any model runs', async () => {
    const injects = [
      { id: 'R', title: 'r', trigger: { type: 'time', t_s: 3600 }, kind: 'model-change', action: { type: 'rain', factor: 2, areas: ['yuzhong', 'atlantis'] } },
      { id: 'I', title: 'i', trigger: { type: 'manual' }, kind: 'model-change', action: { type: 'ignition', x_m: 0, y_m: 0 } },
      { id: 'S', title: 's', trigger: { type: 'manual' }, kind: 'model-change', action: { type: 'sensor-reading', item: 'WL-001', factor: 'rain_24h_mm', value: 3 } },
      { id: 'D', title: 'd', trigger: { type: 'manual' }, kind: 'model-change', action: { type: 'dam-release', reservoir: 'hoover', m3_per_s: 10 } },
      { id: 'W', title: 'w', trigger: { type: 'manual' }, kind: 'model-change', action: { type: 'warning-issue', level: 3, area: 'all' } },
      { id: 'L', title: 'l', trigger: { type: 'manual' }, kind: 'model-change', action: { type: 'warning-lift', id: 'W-NONE' } },
      { id: 'L2', title: 'l2', trigger: { type: 'manual' }, kind: 'model-change', action: { type: 'warning-lift', id: 'W' } },
    ];
    const problems = await runScenario(engine, parseScenario({ ...raw, injects }), region).then(() => [], (e: InputError) => e.problems.map(formatProblem));
    expect(problems).toEqual([
      expect.stringMatching(/^error: \$\.injects\[0\]\.action\.areas\[1\]: names no district of the region \(got "atlantis", expected one of .*yuzhong/),
      'error: $.injects[1].action.x_m: ignites outside the region (got 0, expected an easting in [640000, 660480) m)',
      'error: $.injects[1].action.y_m: ignites outside the region (got 0, expected a northing in [3262000, 3282480) m)',
      'error: $.injects[2].action.factor: is not a sensor factor of WL-001 (waterlogging) (got "rain_24h_mm", expected one of depth_cm)',
      'error: $.injects[3].action.reservoir: names no reservoir of the region (got "hoover", expected clear-creek-dam)',
      'error: $.injects[5].action.id: names no warning an inject or decision issues (got "W-NONE", expected one of W)',
    ]);
  });

  it('sandtable run: exit 2 with JSON paths for a bad scenario, exit 0 and every output for a good one', () => {
    const cli = fileURLToPath(new URL('../../bin/sandtable.js', import.meta.url));
    // Validation fails before the region is read, so the bad scenario can live anywhere.
    const bad = join(work, 'bad-scenario.json');
    writeFileSync(bad, JSON.stringify({ ...raw, duration_s: -5, injects: [] }));
    const r = spawnSync(process.execPath, [cli, 'run', bad], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: $.duration_s: out of range (got -5, expected a number in (0, 2678400] s)\n');
    const out = join(work, 'out');
    const ok = spawnSync(process.execPath, [cli, 'run', join(SCENARIO_DIR, 'storm-peak-24h.json'), '--out', out], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const summary = JSON.parse(ok.stdout);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ scenario: 'mountain-city-storm-peak-24h', seed: 20260714, engine_version: '0.1.0', results_sha256: summary.results_sha256 });
    expect(manifest.scenario_sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const f of ['flows.csv', 'rain.csv', 'readings.csv', 'risk-log.json', 'warnings.json', 'warnings.geojson', 'items.geojson', 'slopes-fs.csv', 'gauges.csv']) {
      expect(manifest.files).toContain(f);
    }
    const capFile = manifest.files.find((f: string) => f.startsWith('cap/') && f.endsWith('.alert.xml'));
    const cap = readFileSync(join(out, capFile), 'utf8');
    expect(cap).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    expect(cap).toContain('<status>Exercise</status>');
    expect(cap).toMatch(/<polygon>(-?\d+\.\d+,-?\d+\.\d+ ){3,}-?\d+\.\d+,-?\d+\.\d+<\/polygon>/);
  }, 60_000);
});
