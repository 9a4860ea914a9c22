// `sandtable ensemble <scenario.json> [--members N] [--seed S] [--workers K] [--queue URL] --out DIR`
// (CONTRACT.md): the scenario's ensemble block on a local worker pool or on BullMQ queue workers,
// reduced to probability products that are the same bytes whichever way the members ran.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { InputError } from '../../models/errors.ts';
import { memberContext, runMember, type MemberContext, type MemberResult } from '../../models/ensemble/member.ts';
import { ensembleOf, sharedInputsOf } from '../../models/ensemble/member-run.ts';
import { CpuLaps, cpuPartsReport, cpuPartsWanted } from '../../models/ensemble/cpu-parts.ts';
import { indexOf, readIndexedResults, writeIndexedResult } from '../../models/ensemble/results-dir.ts';
import { defaultWorkers, runLocalPool, type PoolCpu } from '../../models/ensemble/pool.ts';
import { ensembleProducts } from '../../models/ensemble/products.ts';
import { layoutOf } from '../../models/ensemble/reduce.ts';
import { MAX_MEMBERS } from '../../models/ensemble/spec.ts';
import { MAX_GRACE_S, queueGraceS, setQueueGrace } from '../../models/ensemble/queue-runs.ts';
import { ensembleWarnings, ensembleWarningLines } from '../../models/ensemble/member-warnings.ts';
import { ENGINE_VERSION } from '../../models/version.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';
import { outDirOf } from '../out-dir.ts';
import { withoutCredentials } from '../../models/redact.ts';

/** A plain decimal integer in [min, max], or an input error naming the option. */
export function integerOption(options: Map<string, string | true>, name: string, min: number, max: number): number | undefined {
  if (!options.has(name)) return undefined;
  const value = options.get(name);
  const text = typeof value === 'string' ? value : '';
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw InputError.single(`--${name}`, 'must be a whole number in range', value === true ? undefined : value, `a decimal integer in [${min}, ${max}]`);
  return n;
}

/** `redis://host:port/db` (or rediss://), checked before anything is queued. */
export function parseQueueUrl(value: string | true | undefined): string {
  const text = typeof value === 'string' ? value : '';
  let url: URL | undefined;
  try { url = new URL(text); } catch { url = undefined; }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname || !/^\/?\d*$/.test(url.pathname)) {
    throw InputError.single('--queue', 'is not a Redis URL', value === true ? undefined : value, 'redis://host:port/db, e.g. redis://127.0.0.1:6379/0');
  }
  return text;
}

/**
 * `--queue-grace S` (with --queue): how long the queue keeps this run's jobs after its coordinator
 * stops beating, before workers drop them and anyone on the queue removes them. The environment's
 * SANDTABLE_QUEUE_GRACE_S is checked here too, so a bad one is refused before any work.
 */
export function applyQueueGrace(options: Map<string, string | true>): void {
  if (options.has('queue-grace') && !options.has('queue')) throw InputError.single('--queue-grace', 'needs --queue', undefined, '--queue URL: the grace is how long that queue keeps a run whose coordinator stopped');
  setQueueGrace(integerOption(options, 'queue-grace', 1, MAX_GRACE_S));
  if (options.has('queue')) queueGraceS();
}

/** The run's id: the same scenario, seed and members always make the same queue jobs (idempotent restarts). */
export function runIdOf(scenarioSha256: string, seed: number, members: number): string {
  return createHash('sha256').update(`${ENGINE_VERSION}\0${scenarioSha256}\0${seed}\0${members}`).digest('hex').slice(0, 16);
}

export async function ensemble({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  // The main thread's CPU so far is the CLI's start (Node, the TypeScript loader, the modules).
  const laps = cpuPartsWanted() ? new CpuLaps(0) : undefined;
  laps?.lap('cli_start');
  const indexed = options.has('results');
  const modes = ['queue', 'results', 'from-results'].filter((o) => options.has(o));
  if (modes.length > 1) throw InputError.single(`--${modes[1]}`, `cannot go with --${modes[0]}`, undefined, 'one of --queue URL, --index I --results DIR, --from-results DIR');
  if (options.has('index') && !indexed) throw InputError.single('--index', 'needs --results', undefined, '--results DIR: the shared folder the member\'s result is written to');
  if (indexed && options.has('out')) throw InputError.single('--out', 'cannot go with --results', undefined, 'an --index run writes its member to --results DIR; --from-results DIR --out OUT writes the products');
  if (!options.has('out') && !indexed) throw InputError.single('--out', 'is required', undefined, '--out DIR: the folder that receives members.csv and the products');
  const out = indexed ? undefined : (await outDirOf('ensemble', options))!;
  if (positional[0] === undefined) throw InputError.single('<scenario.json>', 'is missing', undefined, 'a scenario file, or - for stdin');
  const members = integerOption(options, 'members', 1, MAX_MEMBERS);
  const seed = integerOption(options, 'seed', 0, 2 ** 32 - 1);
  const workers = integerOption(options, 'workers', 1, 256) ?? defaultWorkers();
  // The index's form is checked before the region loads; its range once the member count is known.
  integerOption(options, 'index', 0, MAX_MEMBERS - 1);
  const queue = options.has('queue') ? parseQueueUrl(options.get('queue')) : undefined;
  applyQueueGrace(options);
  // Unreachable queues fail before minutes of region loading.
  const queueModule = queue ? await import('../../models/ensemble/queue.ts') : undefined;
  if (queue) await queueModule!.requireReachable(queue);
  const { value, text, name: file, baseDir } = await readCase(positional[0]);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw InputError.single('$', 'must be an object', value, 'a scenario (sandtable.scenario/1)');
  const raw = value as Record<string, unknown>;
  const started = performance.now();
  const overrides = { ...(members !== undefined ? { members } : {}), ...(seed !== undefined ? { seed } : {}) };
  laps?.lap('options_and_read');
  // The scenario and its block are checked first (milliseconds); then the local pool's threads
  // start (Node, the code, the kernels) while this thread loads the region, which they then share.
  const early = ensembleOf(raw, overrides);
  const local = !indexed && !queue && !options.has('from-results');
  const indices = Array.from({ length: early.spec.members }, (_, i) => i);
  const progress = (done: number) => { if (process.stderr.isTTY || process.env.SANDTABLE_PROGRESS) process.stderr.write(`\r\x1b[Kensemble ${early.base.id}: ${done}/${early.spec.members} members`); };
  let done = 0;
  // On the queue the products are laid out when the first member comes back: the jobs are out by
  // then, and the queue's workers are busy with the rest.
  let layAfterFirst: (() => void) | undefined;
  const onResult = () => { progress(++done); layAfterFirst?.(); layAfterFirst = undefined; };
  const poolCpu: PoolCpu | undefined = laps ? { starts: [], members: [] } : undefined;
  // The coordinator checks the whole ensemble (scenario, block, region, files) before any member runs.
  const loading = memberContext(engine, raw, baseDir, overrides);
  const pool = local ? runLocalPool({ raw, scenarioDir: resolve(baseDir), options: overrides, indices, workers, onResult, cpu: poolCpu, shared: loading.then(sharedInputsOf) }) : undefined;
  pool?.catch(() => undefined);
  let ctx: MemberContext;
  try {
    ctx = await loading;
  } catch (error) {
    await pool?.catch(() => undefined);
    throw error;
  }
  laps?.lap('context');
  const { spec } = ctx;
  const scenarioSha256 = createHash('sha256').update(text).digest('hex');
  const runId = runIdOf(scenarioSha256, spec.seed, spec.members);
  if (indexed) {
    // One pod of an Indexed Job: one member, its result keyed by index in the shared folder.
    const index = indexOf(options, spec.members, 'member');
    const result = await runMember(ctx, index);
    const written = await writeIndexedResult(String(options.get('results')), 'member', runId, index, result);
    printJson({ run_id: runId, member: index, members: spec.members, ...(result.problem ? { problem: result.problem } : {}), result_sha256: result.hash, result: written });
    return;
  }
  // The products' layout depends on the scenario and region alone: it is laid out while the
  // members run rather than after the last one (on the queue, once the first member is back).
  let layout = local ? layoutOf(ctx.base, ctx.region) : undefined;
  laps?.lap('layout_while_members_run');
  if (queue) {
    layAfterFirst = () => {
      laps?.lap('members_wait');
      layout = layoutOf(ctx.base, ctx.region);
      laps?.lap('layout_while_members_run');
    };
  }
  let results: MemberResult[];
  if (options.has('from-results')) {
    results = await readIndexedResults<MemberResult>(String(options.get('from-results')), 'member', runId, spec.members);
  } else if (queue) {
    results = await queueModule!.runOnQueue({ url: queue, runId, raw, scenarioDir: resolve(baseDir), options: overrides, indices, onResult });
  } else {
    results = await pool!;
  }
  laps?.lap('members_wait');
  if (process.stderr.isTTY || process.env.SANDTABLE_PROGRESS) process.stderr.write('\n');
  layout ??= layoutOf(ctx.base, ctx.region);
  laps?.lap('layout');
  const { files: products, productSha256, productsSha256 } = await ensembleProducts(layout, results);
  laps?.lap('reduce_and_hash');
  const bad = results.filter((r) => r.problem !== undefined).sort((a, b) => a.index - b.index).map((r) => ({ index: r.index, inputs: r.inputs, problem: r.problem }));
  const modelWarnings = ensembleWarnings(results);
  const wallMs = Math.round(performance.now() - started);
  const manifest = {
    scenario: ctx.base.id, scenario_file: file, scenario_sha256: scenarioSha256, engine_version: ENGINE_VERSION,
    seed: spec.seed, members: spec.members, good_members: spec.members - bad.length, bad_members: bad,
    perturbations: { ...spec.quantities, ...(spec.soilRedraw ? { soil: { redraw: true } } : {}), ...(spec.ignitions ? { ignitions: spec.ignitions } : {}) },
    perturbations_from: spec.fromBlock ? 'scenario ensemble block' : 'defaults (models/ensemble/spec.ts DEFAULT_PERTURBATIONS)',
    execution: options.has('from-results') ? { results: String(options.get('from-results')), run_id: runId }
      : queue ? { queue: withoutCredentials(queue), run_id: runId } : { workers: Math.min(workers, spec.members) },
    created: new Date().toISOString(), wall_ms: wallMs,
    products_sha256: productsSha256,
    model_warnings: modelWarnings.warnings, model_warnings_left_out: modelWarnings.left_out,
    files: [], // filled in by OutDir.commit
    product_sha256: productSha256,
  };
  await out!.commit(products, manifest, [file]);
  if (laps) {
    laps.lap('write');
    process.stderr.write(`cpu-parts ${JSON.stringify(cpuPartsReport(laps.parts, (performance.now() - started) / 1000, poolCpu))}\n`);
  }
  // After the products are safely written, as `run` does: on exit 2 stderr holds only errors.
  for (const line of ensembleWarningLines(modelWarnings, spec.members)) process.stderr.write(`${line}\n`);
  printJson({
    scenario: ctx.base.id, seed: spec.seed, members: spec.members, good_members: manifest.good_members, bad_members: bad.map((b) => b.index),
    products_sha256: productsSha256, wall_ms: wallMs, members_per_s: Number((spec.members / (wallMs / 1000)).toFixed(3)), out: out!.shown,
  });
}
