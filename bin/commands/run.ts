// `sandtable run <scenario.json> [--out DIR] [--seed N]`: a whole coupled scenario, headless.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { InputError } from '../../models/errors.ts';
import { fileHashes, resultsHash, runOutputs, runSummary } from '../../models/scenario/outputs.ts';
import { loadRainGrids, loadRegion } from '../../models/scenario/region-node.ts';
import { REGION_GRIDS, REGION_ITEMS_FILE, type RegionManifest } from '../../models/scenario/region.ts';
import { loadObservations, scoreGauges, type ObservedSeries } from '../../models/scenario/observations.ts';
import { runScenario, type ScenarioRun } from '../../models/scenario/run.ts';
import { warningLine } from '../../models/scenario/model-warnings.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { parseEnsembleBlock } from '../../models/ensemble/block.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';
import { outDirOf } from '../out-dir.ts';

export async function run({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  const out = await outDirOf('run', options);
  if (positional[0] === undefined) throw InputError.single('<scenario.json>', 'is missing', undefined, 'a scenario file, or - for stdin');
  // The same reader as every case: size checked before reading, a BOM skipped, nesting capped.
  const { value, text, name: file, baseDir: scenarioDir } = await readCase(positional[0]);
  const raw = value as Record<string, unknown>;
  // A seed given on the command line wins over the file's (parseScenario refuses a non-object).
  const seed = options.has('seed') ? parseSeed(options.get('seed')) : undefined;
  if (seed !== undefined && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) raw.seed = seed;
  const scenario = parseScenario(raw);
  // `run` ignores an ensemble block (`sandtable ensemble` runs it) but refuses a broken one.
  if (raw.ensemble !== undefined) parseEnsembleBlock(raw.ensemble, scenario.seed);
  const started = performance.now();
  const log = (line: string) => { if (process.stderr.isTTY || process.env.SANDTABLE_PROGRESS) process.stderr.write(`\r\x1b[K${line}`); };
  log(`loading region ${scenario.region}`);
  // Every file the scenario names is read before any model runs: a missing one is an input error
  // naming its JSON path, not a failure after minutes of work.
  const region = await loadRegion(scenarioDir, scenario.region, scenario.models.risklist.items, scenario.models.risklist.categories);
  const rainGrids = await loadRainGrids(scenarioDir, scenario);
  const observed = await loadObservations(scenario.observations, scenario, (name) => readFile(resolve(scenarioDir, name), 'utf8'));
  const inputs = [
    file, ...regionFiles(scenarioDir, scenario.region, scenario.models.risklist.items, scenario.models.risklist.categories),
    ...[...(scenario.rain.grids?.files ?? []), ...scenario.observations.flatMap((o) => (o.file ? [o.file] : []))].map((f) => resolve(scenarioDir, f)),
  ];
  const result = await runScenario(engine, scenario, region, { rainGrids, onProgress: (stage) => log(`running ${scenario.id}: ${stage}`) });
  const files = runOutputs(result, scenario, region);
  const hash = await resultsHash(files);
  const summary = { ...runSummary(result, scenario, hash), ...observationScores(observed, result) };
  const wallMs = Math.round(performance.now() - started);
  if (process.stderr.isTTY || process.env.SANDTABLE_PROGRESS) process.stderr.write(`\r\x1b[K${scenario.id}: done in ${(wallMs / 1000).toFixed(1)} s\n`);
  if (out) {
    const manifest = {
      scenario: scenario.id, scenario_file: file, scenario_sha256: createHash('sha256').update(text).digest('hex'),
      region: regionNamed(region.manifest, scenario.region),
      seed: scenario.seed, engine_version: result.engineVersion, exercise: scenario.exercise,
      created: new Date().toISOString(), wall_ms: wallMs, timings_ms: summary.timings_ms, results_sha256: hash,
      files: [], // every file written besides the manifest, filled in by OutDir.commit
      file_sha256: await fileHashes(files),
    };
    await out.commit({ ...files, 'summary.json': JSON.stringify(summary, null, 1) + '\n' }, manifest, inputs);
  }
  // After the run succeeded only: on exit 2 every stderr line stays an `error:` line.
  for (const w of result.modelWarnings) process.stderr.write(`${warningLine(w)}\n`);
  printJson({ ...summary, region: regionNamed(region.manifest, scenario.region), wall_ms: wallMs, ...(out ? { out: out.shown } : {}) });
}

/** The files a region manifest brings with it (models/scenario/region-node.ts reads these). */
function regionFiles(scenarioDir: string, manifestPath: string, itemsPath: string | undefined, categories: string): string[] {
  const manifest = resolve(scenarioDir, manifestPath);
  const items = itemsPath === undefined ? join(dirname(manifest), REGION_ITEMS_FILE) : resolve(scenarioDir, itemsPath);
  // The category table read: a file the scenario names, or the region's own beside region.json.
  const table = categories === 'region' || categories === 'default' ? join(dirname(manifest), 'risk-categories.json') : resolve(scenarioDir, categories);
  return [manifest, items, table, ...Object.values(REGION_GRIDS).map((f) => join(dirname(manifest), f))];
}

/** The forecast's scores at each observed gauge (NSE, KGE, peak and peak-time errors, GB/T 22482). */
function observationScores(observed: ObservedSeries[], run: ScenarioRun) {
  if (!observed.length) return {};
  const scores = scoreGauges(observed, (id) => {
    const gauge = run.gauges.find((g) => g.id === id);
    return gauge && run.route?.reaches[gauge.reach].outflow_m3_per_s;
  }, run.grid.stepS, run.gauges.map((g) => g.id));
  return { observations: scores.map(({ gauge, source, scores: s }) => ({ gauge, source, ...s })) };
}

/**
 * `--seed N`: a plain decimal integer in the scenario's seed range. Number() would read "" as 0,
 * "0x10" as 16 and "1e3" as 1000: a seed is written as digits or refused.
 */
function parseSeed(value: string | true | undefined): number {
  const text = typeof value === 'string' ? value : '';
  const seed = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(seed <= 2 ** 32 - 1)) throw InputError.single('--seed', 'must be an integer in the seed range', value === true ? undefined : value, 'a decimal integer in [0, 4294967295]');
  return seed;
}

/** The region a run was on, as its report names it: a built region by its names, the shipped one (nameless) by its file. */
function regionNamed(manifest: RegionManifest, file: string) {
  return { file, ...(manifest.name ? { name: manifest.name, name_zh: manifest.name_zh ?? '' } : {}), crs: manifest.crs };
}
