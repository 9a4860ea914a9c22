// `sandtable landslide fs <case.json> --members N [--seed S] [--tile R[xC]] …`: P(FS < 1) per cell of
// a grid-form case from an ensemble of its soil inputs (models/ensemble/fs-grid-*.ts), one job per
// tile × all members, on a local pool (--workers K), queue workers (--queue URL --results DIR) or
// one pod per tile (--index I --results DIR, then --from-results DIR --out OUT). The products are
// the same bytes whatever the tiling and wherever the tiles ran.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { InputError } from '../../models/errors.ts';
import { prepareProbabilityRun, readProbabilityResults, rerunFolder, runProbabilityLocal, withoutEnsemble, writeProbabilityTile } from '../../models/ensemble/fs-grid-run.ts';
import { badMembersOf, membersCsv, runProbabilityTile, stitchProbabilityTiles, type ProbabilityProducts } from '../../models/ensemble/fs-grid-prob.ts';
import { ensembleWarningLines } from '../../models/ensemble/member-warnings.ts';
import { indexOf } from '../../models/ensemble/results-dir.ts';
import { MAX_MEMBERS } from '../../models/ensemble/spec.ts';
import { wholeCaseError } from '../../models/ensemble/tile-run.ts';
import { parseTileOption, type TileSize } from '../../models/ensemble/tiles.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import { gridFilesOf } from '../../models/landslide/grid.ts';
import { isRecord } from '../../models/params.ts';
import { ENGINE_VERSION } from '../../models/version.ts';
import type { ParsedArgs } from '../args.ts';
import { crsManifest, prjFiles } from '../grid-prj.ts';
import { printJson, readCase, readCaseGrids } from '../io.ts';
import { outDirOf } from '../out-dir.ts';
import { integerOption, parseQueueUrl } from './ensemble.ts';
import { outputCrs, parseWorkers } from './landslide.ts';
import { checkExecutionOptions } from './landslide-tiles.ts';
import { withoutCredentials } from '../../models/redact.ts';

/** `--members`/`--seed`, or a case file with an ensemble block, make `landslide fs` the probability form. */
export function wantsProbability(options: Map<string, string | true>, caseArgument: string | undefined): boolean {
  if (options.has('members') || options.has('seed') || options.has('exclude-members')) return true;
  if (!caseArgument || caseArgument === '-') return false;
  try {
    const value = JSON.parse(readFileSync(caseArgument, 'utf8'));
    return isRecord(value) && isRecord(value.grid) && value.ensemble !== undefined;
  } catch {
    return false; // the ordinary path names the unreadable or broken file
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `--exclude-members 2,4`: the members a tile's rerun leaves out, sorted, each a member of the run. */
export function parseExcludeMembers(text: string | true | undefined, members: number): number[] {
  const form = typeof text === 'string' && /^\d{1,9}(,\d{1,9})*$/.test(text);
  if (!form) throw InputError.single('--exclude-members', 'must be member indices separated by commas', text === true ? undefined : text, 'e.g. 2,4: the bad members --from-results names');
  const list = [...new Set(text.split(',').map(Number))].sort((a, b) => a - b);
  const outside = list.find((m) => m >= members);
  if (outside !== undefined) throw InputError.single('--exclude-members', `names member ${outside}, not a member of this run`, text, `indices in [0, ${members - 1}]: the run has ${members} members`);
  return list;
}

/** A word of a shell command, quoted only when it must be. */
const shellWord = (word: string) => (/^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** One shell line that reruns `tiles` without `union` into `results`, as --from-results asks for them. */
export function rerunCommandLine(casePath: string, size: TileSize, spec: { members: number; seed: number }, results: string, tiles: readonly number[], union: readonly number[]): string {
  const words = ['sandtable', 'landslide', 'fs', casePath, '--tile', `${size.rows}x${size.cols}`, '--members', String(spec.members), '--seed', String(spec.seed), '--exclude-members', union.join(','), '--results', results];
  const contiguous = tiles.length > 3 && tiles.at(-1)! - tiles[0] === tiles.length - 1;
  return `for I in ${contiguous ? `$(seq ${tiles[0]} ${tiles.at(-1)})` : tiles.join(' ')}; do ${words.map(shellWord).join(' ')} --index "$I"; done`;
}

export async function landslideProbability({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  checkExecutionOptions(options);
  const size = options.has('tile') ? parseTileOption(options.get('tile')) : 'whole';
  if (size === 'whole' && ['queue', 'results', 'from-results', 'index'].some((o) => options.has(o))) {
    throw InputError.single(`--${['queue', 'results', 'from-results', 'index'].find((o) => options.has(o))}`, 'needs --tile', undefined, '--tile R or RxC: the tile size in cells, the same for every part of one run');
  }
  if (options.has('queue') && !options.has('results')) {
    throw InputError.single('--queue', 'needs --results with --members', undefined, '--results DIR: a folder every queue worker and this coordinator share, for the tiles\' probability grids (they stay out of Redis)');
  }
  const workers = parseWorkers(options.get('workers'));
  const members = integerOption(options, 'members', 1, MAX_MEMBERS);
  const seed = integerOption(options, 'seed', 0, 2 ** 32 - 1);
  integerOption(options, 'index', 0, 999_999_999);
  if (options.has('exclude-members') && !(options.has('results') && !options.has('queue'))) {
    throw InputError.single('--exclude-members', 'goes only with --index I --results DIR', undefined, 'a rerun of one tile without the members --from-results names (the local and queue runs rerun tiles themselves)');
  }
  const queue = options.has('queue') ? parseQueueUrl(options.get('queue')) : undefined;
  if (queue) await (await import('../../models/ensemble/queue.ts')).requireReachable(queue);
  const indexed = options.has('results') && !queue;
  const out = indexed ? undefined : await outDirOf('landslide fs', options);
  const file = await readCase(positional[0]);
  if (file.name === '<stdin>' && (queue || options.has('results') || options.has('from-results'))) {
    throw InputError.single('<case.json>', 'must be a file with --queue, --results or --from-results', '-', 'a case file path that every worker can read');
  }
  if (!isRecord(file.value) || !isRecord(file.value.grid)) {
    throw InputError.single('$.grid', 'is required for --members', undefined, 'the grid form of the case (cell parameters as grid files): probabilities are per cell of a grid');
  }
  const casePath = resolve(file.name);
  const named = gridFilesOf(withoutEnsemble(file.value));
  const { grids, inputs } = await readCaseGrids(file, named);
  await engine.ready(); // a DEM's slope is taken here, whole, by the terrain kernel
  // Before the members run, so a .prj the outputs cannot carry is refused at once.
  const { prj, notes } = await outputCrs(out, engine, named, grids, file.baseDir);
  const overrides = { ...(members !== undefined ? { members } : {}), ...(seed !== undefined ? { seed } : {}) };
  const run = prepareProbabilityRun(file.text, casePath, file.value, grids, size, overrides);
  const { runId, prepared, spec } = run;
  const count = prepared.tiles.length;

  if (indexed) {
    const index = indexOf(options, count, 'tile');
    const exclude = options.has('exclude-members') ? parseExcludeMembers(options.get('exclude-members'), spec.members) : [];
    const tile = await runProbabilityTile(engine, prepared, index, spec, exclude).catch((e) => (e instanceof InputError ? wholeCaseError(engine, run.input, grids, e) : Promise.reject(e)));
    const results = String(options.get('results'));
    const ref = await writeProbabilityTile(exclude.length ? rerunFolder(results, exclude) : results, runId, tile);
    const { row0, row1, col0, col1 } = prepared.tiles[index];
    printJson({
      run_id: runId, tile: index, tiles: count, members: spec.members, ...(exclude.length ? { excluded_members: exclude } : {}),
      rows: [row0, row1], cols: [col0, col1], result: ref.path, result_sha256: ref.sha256,
    });
    return;
  }
  const started = performance.now();
  let products: ProbabilityProducts;
  let cleanUp: (() => Promise<void>) | undefined;
  let release: (() => Promise<void>) | undefined;
  if (options.has('from-results')) {
    const dir = String(options.get('from-results'));
    products = stitchProbabilityTiles(prepared, await readProbabilityResults(dir, runId, count, (rerun, union) => rerunCommandLine(casePath, size as TileSize, spec, resolve(dir), rerun, union)));
  } else if (queue) {
    const shared = resolve(String(options.get('results')));
    const { runProbabilityOnQueue } = await import('../../models/ensemble/fs-grid-queue.ts');
    ({ products, cleanUp, release } = await runProbabilityOnQueue(queue, { runId, casePath, tile: size, results: shared, probability: { members: spec.members, seed: spec.seed } }, prepared, spec,
      // The whole deterministic case first (its error names rows of the files); else the tile's own problems, as the local pool reports them.
      (index, problem, problems) => wholeCaseError(engine, run.input, grids, problems ? new InputError(problems) : new Error(`tile ${index}: ${problem}`))));
  } else {
    products = stitchProbabilityTiles(prepared, await runProbabilityLocal(run, workers));
  }
  // A coordinator that fails to write the products stops its beat (its jobs stay for a restart), as a killed one would.
  try {
    const wallS = (performance.now() - started) / 1000;
    const ascii = Object.fromEntries(Object.entries(products.grids).map(([name, g]) => [name, formatAsciiGrid(g)]));
    const texts = { ...ascii, ...prjFiles(Object.keys(ascii), prj) };
    texts['members.csv'] = membersCsv(products);
    const badMembers = badMembersOf(products);
    const hashes = Object.fromEntries(Object.keys(texts).sort().map((n) => [n, sha256(texts[n])]));
    const { ncols, nrows } = prepared.reference;
    const tiling = size === 'whole' ? undefined : { size: `${size.rows}x${size.cols}`, count };
    const execution = options.has('from-results') ? { results: String(options.get('from-results')) }
      : queue ? { queue: withoutCredentials(queue), results: String(options.get('results')) } : { workers: Math.min(workers, count) };
    await out!.commit(texts, {
      engine_version: ENGINE_VERSION, case_file: file.name, created: new Date().toISOString(),
      ensemble: { run_id: runId, members: spec.members, good_members: spec.members - badMembers.length, seed: spec.seed, perturbations: spec.perturbations, execution, ...(tiling ? { tiles: tiling } : {}) },
      bad_members: badMembers,
      // The grids' CRS, from the case's grids' .prj or GeoTIFF GeoKeys (a .prj written beside each output grid).
      ...crsManifest(prj),
      products_sha256: hashes,
      // As `sandtable ensemble` records them (outside the products' hashes: diagnostics, not results).
      model_warnings: products.modelWarnings.warnings, model_warnings_left_out: products.modelWarnings.left_out,
    }, [...inputs, ...(prj?.inputs ?? [])]);
    // Only now may a restarted coordinator no longer need the queue's finished jobs.
    await cleanUp?.();
    // After the products are safely written, as `ensemble` does: on exit 2 stderr holds only errors.
    for (const line of ensembleWarningLines(products.modelWarnings, spec.members)) process.stderr.write(`${line}\n`);
    for (const note of notes) process.stderr.write(`note: ${note}\n`);
    const cells = ncols * nrows;
    let anyFailure = 0;
    for (const v of products.grids['p_fs_below_1.asc'].values) if (v > 0) anyFailure++;
    printJson({
      grid: { ncols, nrows, cells, nodata_cells: products.nodataCells }, members: spec.members, good_members: spec.members - badMembers.length, bad_members: badMembers.map((b) => b.index), seed: spec.seed, output_times_s: products.times,
      cells_p_fs_below_1_above_0: anyFailure, files: Object.keys(texts).sort(), ...(tiling ? { tiles: tiling } : {}),
      wall_s: Number(wallS.toFixed(3)), cell_members_per_s: Math.round(((cells - products.nodataCells) * (spec.members - badMembers.length)) / Math.max(wallS, 1e-9)),
    });
  } finally {
    await release?.();
  }
}
