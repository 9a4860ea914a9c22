// `sandtable landslide fs <case.json> --tile R[xC] …`: the grid form cut into tiles (models/ensemble/tiles.ts)
// that run on a local pool (--workers K), on queue workers (--queue URL), or one per pod of a
// Kubernetes Indexed Job (--index I --results DIR, then --from-results DIR --out OUT). However they
// ran, the stitched output grids and summary are the undivided run's, byte for byte.
import { resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { InputError } from '../../models/errors.ts';
import { indexOf, readIndexedResults, writeIndexedResult } from '../../models/ensemble/results-dir.ts';
import { runTile, runTilesLocal, wholeCaseError } from '../../models/ensemble/tile-run.ts';
import { parseTileOption, prepareTiledCase, stitchTiles, tiledRunId, type EncodedTile } from '../../models/ensemble/tiles.ts';
import { gridFilesOf, type GridOutput } from '../../models/landslide/grid.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase, readCaseGrids } from '../io.ts';
import { outDirOf } from '../out-dir.ts';
import { integerOption, parseQueueUrl } from './ensemble.ts';
import { CpuLaps, cpuPartsWanted, processCpuS } from '../../models/ensemble/cpu-parts.ts';
import { gridDigits, outputCrs, parseWorkers, writeGridOutput } from './landslide.ts';
import { withoutCredentials } from '../../models/redact.ts';

/** Options that make `landslide fs` the tiled form. */
export const TILED_OPTIONS = ['tile', 'queue', 'index', 'results', 'from-results'];

/**
 * One of: a local pool; --queue URL (with --results DIR, the workers' shared folder for the tiles'
 * grids, so they stay out of Redis); --index I --results DIR; --from-results DIR.
 */
export function checkExecutionOptions(options: Map<string, string | true>): void {
  const modes = ['queue', 'from-results', ...(options.has('queue') ? [] : ['results'])].filter((o) => options.has(o));
  if (modes.length > 1) throw InputError.single(`--${modes[1]}`, `cannot go with --${modes[0]}`, undefined, 'one of --queue URL [--results DIR], --index I --results DIR, --from-results DIR');
  if (options.has('index') && (!options.has('results') || options.has('queue'))) throw InputError.single('--index', options.has('queue') ? 'cannot go with --queue' : 'needs --results', undefined, '--index I --results DIR: one tile, written to the shared folder DIR');
  if (options.has('results') && !options.has('queue') && options.has('out')) throw InputError.single('--out', 'cannot go with --results', undefined, 'an --index run writes its tile to --results DIR; --from-results DIR --out OUT writes the grids');
}

export async function landslideTiled({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  if (!options.has('tile')) {
    const given = TILED_OPTIONS.find((o) => options.has(o));
    throw InputError.single(`--${given}`, 'needs --tile', undefined, '--tile R or RxC: the tile size in cells, the same for every part of one tiled run');
  }
  const size = parseTileOption(options.get('tile'));
  checkExecutionOptions(options);
  const workers = parseWorkers(options.get('workers'));
  // The index's form is checked before the grids are read; its range once the tile count is known.
  integerOption(options, 'index', 0, 999_999_999);
  const queue = options.has('queue') ? parseQueueUrl(options.get('queue')) : undefined;
  const queueModule = queue ? await import('../../models/ensemble/tile-queue.ts') : undefined;
  if (queue) await (await import('../../models/ensemble/queue.ts')).requireReachable(queue);
  const indexed = options.has('results') && !options.has('queue');
  const out = indexed ? undefined : await outDirOf('landslide fs', options);
  // SANDTABLE_CPU_PARTS=1: the coordinator's CPU by part on stderr (benchmarks/ensemble/tiles-coordinator.ts).
  const cpu = cpuPartsWanted() ? { laps: new CpuLaps(), process0: processCpuS() } : undefined;
  const file = await readCase(positional[0]);
  if (file.name === '<stdin>' && ['queue', 'results', 'from-results'].some((o) => options.has(o))) throw InputError.single('<case.json>', 'must be a file with --queue, --results or --from-results', '-', 'a case file path that every worker can read');
  const casePath = resolve(file.name);
  const named = gridFilesOf(file.value);
  const { grids, inputs } = await readCaseGrids(file, named);
  // Slope from a DEM is computed here, whole, by the wasm terrain kernel: it must be loaded first
  // (reading small grids can beat the kernels' start-up, and then the slope found none).
  await engine.ready();
  const crs = await outputCrs(out, engine, named, grids, file.baseDir);
  const prepared = prepareTiledCase(file.value, grids, size);
  const count = prepared.tiles.length;
  const runId = tiledRunId(file.text, casePath, size);
  const whole = { input: file.value, grids };
  cpu?.laps.lap('read_prepare');

  if (indexed) {
    const index = indexOf(options, count, 'tile');
    const tile = await runTile(engine, prepared, index).catch((e) => (e instanceof InputError ? wholeCaseError(engine, whole.input, whole.grids, e) : Promise.reject(e)));
    const written = await writeIndexedResult(String(options.get('results')), 'tile', runId, index, tile);
    const { row0, row1, col0, col1 } = prepared.tiles[index];
    printJson({ run_id: runId, tile: index, tiles: count, rows: [row0, row1], cols: [col0, col1], result: written });
    return;
  }
  let output: GridOutput;
  let formatted: Record<string, () => Uint8Array> | undefined;
  if (options.has('from-results')) {
    output = stitchTiles(prepared, await readIndexedResults<EncodedTile>(String(options.get('from-results')), 'tile', runId, count));
  } else if (queue) {
    const shared = options.has('results') ? resolve(String(options.get('results'))) : undefined;
    if (!shared) await queueModule!.checkInlineTiles(engine, prepared, (e) => wholeCaseError(engine, whole.input, whole.grids, e));
    // With a shared folder the workers format their tiles' grids: the coordinator only joins rows (tile-text.ts).
    const ascii = shared && out ? { ascii: gridDigits(options) === undefined ? {} : { digits: gridDigits(options) } } : {};
    const ran = await queueModule!.runTilesOnQueueRead(queue, { runId, casePath, tile: size, ...(shared ? { results: shared } : {}), ...ascii }, prepared);
    if ('refused' in ran) return wholeCaseError(engine, whole.input, whole.grids, new Error(`tile ${ran.refused.index}: ${ran.refused.problem}`));
    output = ran.output;
    formatted = ran.files;
  } else {
    output = stitchTiles(prepared, await runTilesLocal(prepared, whole, workers));
  }
  cpu?.laps.lap('run_stitch');
  const execution = options.has('from-results') ? { results: String(options.get('from-results')) } : queue ? { queue: withoutCredentials(queue), ...(options.has('results') ? { results: String(options.get('results')) } : {}) } : { workers };
  await writeGridOutput(output, options, out, file.name, inputs, {
    manifest: { tiles: { run_id: runId, size: `${size.rows}x${size.cols}`, count, execution } },
    summary: { tiles: { size: `${size.rows}x${size.cols}`, count } },
    ...(formatted ? { files: formatted } : {}),
    crs,
  });
  if (cpu) {
    cpu.laps.lap('write_output');
    process.stderr.write(`cpu-parts ${JSON.stringify({ coordinator: { main_s: cpu.laps.parts, process_s: processCpuS() - cpu.process0 } })}\n`);
  }
}
