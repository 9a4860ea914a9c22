// `sandtable run <scenario.json> [--out DIR] [--seed N]`: a whole coupled scenario, headless.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { InputError } from '../../models/errors.ts';
import { parseJson } from '../../models/json.ts';
import { fileHashes, resultsHash, runOutputs, runSummary } from '../../models/scenario/outputs.ts';
import { loadRainGrids, loadRegion } from '../../models/scenario/region-node.ts';
import { REGION_GRIDS, REGION_ITEMS_FILE } from '../../models/scenario/region.ts';
import { loadObservations, scoreGauges } from '../../models/scenario/observations.ts';
import { runScenario, type ScenarioRun } from '../../models/scenario/run.ts';
import { parseScenario, type Scenario } from '../../models/scenario/schema.ts';
import { parseArgs } from '../args.ts';
import { printJson } from '../io.ts';
import { outDirOf } from '../out-dir.ts';

export async function run(argv: string[], engine: Engine): Promise<void> {
  const { positional, options } = parseArgs(argv, ['out', 'seed'], ['force']);
  const out = await outDirOf('run', options);
  const file = positional[0];
  if (!file) throw InputError.single('<scenario.json>', 'is missing', undefined, 'a scenario file');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw InputError.single(file, 'no such file', undefined, 'a readable scenario file');
  }
  const raw = parseJson(text, file) as Record<string, unknown>;
  if (options.has('seed')) {
    const seed = Number(options.get('seed'));
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw InputError.single('--seed', 'must be an integer', options.get('seed'), 'an integer in [0, 4294967295]');
    raw.seed = seed;
  }
  const scenario = parseScenario(raw);
  const started = performance.now();
  const log = (line: string) => { if (process.stderr.isTTY || process.env.SANDTABLE_PROGRESS) process.stderr.write(`\r\x1b[K${line}`); };
  log(`loading region ${scenario.region}`);
  const scenarioDir = dirname(resolve(file));
  const region = await loadRegion(scenarioDir, scenario.region);
  const rainGrids = await loadRainGrids(scenarioDir, scenario);
  const inputs = [file, ...regionFiles(scenarioDir, scenario.region), ...(scenario.rain.grids?.files ?? []).map((f) => resolve(scenarioDir, f))];
  const result = await runScenario(engine, scenario, region, { rainGrids, onProgress: (stage) => log(`running ${scenario.id}: ${stage}`) });
  const files = runOutputs(result, scenario, region);
  const hash = await resultsHash(files);
  const summary = { ...runSummary(result, scenario, hash), ...(await observationScores(scenario, result, scenarioDir, inputs)) };
  const wallMs = Math.round(performance.now() - started);
  if (process.stderr.isTTY || process.env.SANDTABLE_PROGRESS) process.stderr.write(`\r\x1b[K${scenario.id}: done in ${(wallMs / 1000).toFixed(1)} s\n`);
  if (out) {
    const manifest = {
      scenario: scenario.id, scenario_file: file, scenario_sha256: createHash('sha256').update(text).digest('hex'),
      seed: scenario.seed, engine_version: result.engineVersion, exercise: scenario.exercise,
      created: new Date().toISOString(), wall_ms: wallMs, timings_ms: summary.timings_ms, results_sha256: hash,
      files: [], // every file written besides the manifest, filled in by OutDir.commit
      file_sha256: await fileHashes(files),
    };
    await out.commit({ ...files, 'summary.json': JSON.stringify(summary, null, 1) + '\n' }, manifest, inputs);
  }
  printJson({ ...summary, wall_ms: wallMs, ...(out ? { out: out.shown } : {}) });
}

/** The files a region manifest brings with it (models/scenario/region-node.ts reads these). */
function regionFiles(scenarioDir: string, manifestPath: string): string[] {
  const manifest = resolve(scenarioDir, manifestPath);
  return [manifest, ...[...Object.values(REGION_GRIDS), REGION_ITEMS_FILE].map((f) => join(dirname(manifest), f))];
}

/** The forecast's scores at each observed gauge (NSE, KGE, peak and peak-time errors, GB/T 22482). */
async function observationScores(scenario: Scenario, run: ScenarioRun, scenarioDir: string, inputs: string[]) {
  if (!scenario.observations.length) return {};
  const series = await loadObservations(scenario.observations, scenario, (name) => {
    inputs.push(join(scenarioDir, name));
    return readFile(join(scenarioDir, name), 'utf8');
  });
  const scores = scoreGauges(series, (id) => {
    const gauge = run.gauges.find((g) => g.id === id);
    return gauge && run.route?.reaches[gauge.reach].outflow_m3_per_s;
  }, run.grid.stepS, run.gauges.map((g) => g.id));
  return { observations: scores.map(({ gauge, source, scores: s }) => ({ gauge, source, ...s })) };
}
