// `sandtable landslide fs <case.json> [--out DIR] [--full-precision] [--workers N]` (CONTRACT.md):
// single cells, or the grid form (parameters as grid files) whose output grids are written to
// --out DIR, optionally split into row bands over N engine workers (worker_threads).
import type { Engine } from '../../models/engine.ts';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { ENGINE_VERSION } from '../../models/version.ts';
import { roundFsOutput } from '../../models/landslide/fs.ts';
import { gridFilesOf, isGridCase, type GridOutput } from '../../models/landslide/grid.ts';
import { runGridOnWorkers } from '../../models/landslide/parallel.ts';
import { spawnEngineWorker } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase, readCaseGrids } from '../io.ts';
import { outDirOf, type OutContent, type OutDir } from '../out-dir.ts';
import { casePrj, crsManifest, prjFiles, type CaseCrs } from '../grid-prj.ts';
import { landslideTiled, TILED_OPTIONS } from './landslide-tiles.ts';
import { applyQueueGrace } from './ensemble.ts';
import { landslideProbability, wantsProbability } from './landslide-prob.ts';

/** Significant figures written to output grids (FS and heads to ~1e-6 relative). */
const GRID_DIGITS = 7;

export function parseWorkers(value: string | true | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw InputError.single('--workers', 'must be a whole number of workers', value, 'an integer in [1, 256]');
  return n;
}

export async function landslideFs(args: ParsedArgs, engine: Engine): Promise<void> {
  const { positional, options } = args;
  applyQueueGrace(options);
  if (wantsProbability(options, positional[0])) return landslideProbability(args, engine);
  if (TILED_OPTIONS.some((o) => options.has(o))) return landslideTiled(args, engine);
  const workers = parseWorkers(options.get('workers'));
  const out = await outDirOf('landslide fs', options);
  const file = await readCase(positional[0]);
  if (!isGridCase(file.value)) {
    const output = await engine.landslideFs(file.value);
    printJson(options.has('full-precision') ? output : roundFsOutput(output));
    return;
  }
  const { grids, inputs } = await readCaseGrids(file, gridFilesOf(file.value));
  const crs = await outputCrs(out, engine, gridFilesOf(file.value), grids, file.baseDir);
  let output;
  if (workers > 1) {
    // No whole-grid parse here: the bands are checked on the workers, and any input error reruns
    // the whole case on one of them so it names rows of the files (models/landslide/parallel.ts).
    const pool = Array.from({ length: workers }, () => spawnEngineWorker());
    try {
      // A DEM's slope is taken on this thread by the terrain kernel, loaded while the pool starts.
      await engine.ready();
      output = await runGridOnWorkers(pool.map((w) => w.engine), file.value, grids);
    } finally {
      await Promise.all(pool.map((w) => w.terminate()));
    }
  } else {
    output = await engine.landslideGrid(file.value, grids);
  }
  await writeGridOutput(output, options, out, file.name, inputs, { crs });
}

/**
 * With --out, the CRS the case's grids say, for a .prj beside each output grid: read before the run,
 * so grids that disagree are refused at once. The kernels are loaded only if two grids' CRSs differ
 * in text (comparing them projects a point with their deterministic math): otherwise a run on a
 * worker pool need not wait for the main thread's.
 */
export async function outputCrs(out: OutDir | undefined, engine: Engine, named: readonly { fileName: string }[], grids: Record<string, Grid>, baseDir: string): Promise<CaseCrs> {
  if (!out) return { notes: [] };
  return casePrj(named, grids, baseDir, () => engine.ready());
}

/** The grid form's output files (with --out) and its summary on stdout: one code for the tiled and untiled runs. */
/** The output grids' digits: GRID_DIGITS, or all of them with --full-precision. */
export const gridDigits = (options: Map<string, string | true>) => (options.has('full-precision') ? undefined : GRID_DIGITS);

/**
 * `extra.files`: the grids' files already formatted (queue tiles formatted by their workers), in place
 * of `output.grids`; `extra.crs`: the case's CRS (outputCrs), a .prj beside each grid and its notes.
 */
export async function writeGridOutput(output: GridOutput, options: Map<string, string | true>, out: OutDir | undefined, caseName: string, inputs: string[], extra: { manifest?: Record<string, unknown>; summary?: Record<string, unknown>; files?: Record<string, () => Uint8Array>; crs?: CaseCrs } = {}): Promise<void> {
  const written: string[] = [];
  if (out) {
    const digits = gridDigits(options);
    const grids: Record<string, OutContent> = extra.files ?? Object.fromEntries(Object.entries(output.grids).map(([name, grid]) => [name, () => formatAsciiGrid(grid, digits)]));
    const prj = extra.crs?.prj;
    const files = { ...grids, ...prjFiles(Object.keys(grids), prj) };
    await out.commit(files, { engine_version: ENGINE_VERSION, case_file: caseName, created: new Date().toISOString(), ...extra.manifest, ...crsManifest(prj) }, [...inputs, ...(prj?.inputs ?? [])]);
    written.push(...Object.keys(files));
  } else {
    output.warnings.push('no --out DIR given: the output grids were computed but not written');
  }
  const r6 = (x: number | null | undefined) => (x === null || x === undefined || options.has('full-precision') ? x : Math.round(x * 1e6) / 1e6);
  const times = output.times.map((t) => ({ ...t, fs_min: r6(t.fs_min), ...(t.rain_ratio !== undefined ? { rain_ratio: r6(t.rain_ratio) } : {}) }));
  printJson({ grid: output.grid, times, files: written, warnings: output.warnings, ...extra.summary });
  for (const note of extra.crs?.notes ?? []) process.stderr.write(`note: ${note}\n`);
}

export const RUNNERS = { 'landslide fs': landslideFs };
