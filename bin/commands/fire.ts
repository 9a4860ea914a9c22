import type { Engine } from '../../models/engine.ts';
import { spreadGridFiles } from '../../models/fire/spread-case.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';
import { ENGINE_VERSION } from '../../models/version.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase, readCaseGrids } from '../io.ts';
import { outDirOf } from '../out-dir.ts';

export async function fireBehavior({ positional }: ParsedArgs, engine: Engine): Promise<void> {
  const file = await readCase(positional[0]);
  printJson(await engine.fireBehavior(file.value));
}

export async function fireSpread({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  const out = await outDirOf('fire spread', options);
  const file = await readCase(positional[0]);
  const { grids, inputs } = await readCaseGrids(file, spreadGridFiles(file.value).map(({ name, path }) => ({ fileName: name, path })));
  const result = await engine.fireSpread(file.value, grids);
  if (!out) {
    // Never the current folder by default: a run without --out must not replace anyone's files.
    result.summary.warnings.push('no --out DIR given: the grids and perimeters were computed but not written');
    printJson(result.summary);
    return;
  }
  const files = {
    'arrival_time_s.asc': () => formatAsciiGrid(result.arrival, 8),
    'ros_m_per_min.asc': () => formatAsciiGrid(result.ros, 6),
    'fireline_intensity_kw_per_m.asc': () => formatAsciiGrid(result.intensity, 6),
    'perimeters.geojson': JSON.stringify(result.perimeters) + '\n',
  };
  await out.commit(files, { engine_version: ENGINE_VERSION, case_file: file.name, created: new Date().toISOString() }, inputs);
  process.stderr.write(`fire spread: ${result.summary.cells_burned} cells burned; wrote ${Object.keys(files).length} files to ${out.shown}\n`);
  printJson(result.summary);
}

export const RUNNERS = { 'fire behavior': fireBehavior, 'fire spread': fireSpread };
