// `sandtable region build <region-case.json> --out DIR [--force]` and
// `sandtable region scenario <DIR> --template storm|fire --out scenario.json [--force]`.
import { existsSync } from 'node:fs';
import { rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { InputError } from '../../models/errors.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { summaryText } from '../../models/region/builder/build.ts';
import { fireScenario, flammableRidge, starterText, stormScenario } from '../../models/region/builder/starter.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { REGION_GRIDS, REGION_ITEMS_FILE } from '../../models/scenario/region.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { ENGINE_VERSION } from '../../models/version.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';
import { outDirOf } from '../out-dir.ts';

export async function regionBuild({ positional, options }: ParsedArgs, _engine: Engine): Promise<void> {
  const out = await outDirOf('region build', options);
  if (!out) throw InputError.single('--out', 'is required', undefined, '--out DIR: the folder the region is written to');
  const file = await readCase(positional[0]);
  // The CRS series and the terrain passes use the kernels' deterministic math (models/dmath.ts).
  await loadKernels();
  const started = performance.now();
  const { files, report, inputs } = await buildRegionFromCase(file.value, file.baseDir);
  await out.commit(files, { engine_version: ENGINE_VERSION, case_file: file.name, created: new Date().toISOString(), files: [] }, [resolve(file.name), ...inputs]);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(summaryText(report, out.shown) + `  built in ${seconds.toFixed(1)} s\n`);
  printJson({ out: out.shown, cells: report.grid.cells, reaches: report.streams.reaches, items: report.items.placed, districts: report.districts.length, warnings: report.warnings.length, wall_ms: Math.round(seconds * 1000) });
}

export async function regionScenario({ positional, options }: ParsedArgs, _engine: Engine): Promise<void> {
  const dir = positional[0];
  if (dir === undefined) throw InputError.single('<DIR>', 'is missing', undefined, 'a region folder written by `sandtable region build`');
  const template = options.get('template');
  if (template !== 'storm' && template !== 'fire') throw InputError.single('--template', template === undefined ? 'is required' : 'is not a template', template === true ? undefined : template, 'storm or fire');
  const outOption = options.get('out');
  if (typeof outOption !== 'string' || outOption === '') throw InputError.single('--out', 'is required', outOption === true ? undefined : outOption, '--out scenario.json: the scenario file to write');
  const target = resolve(outOption);
  const manifest = join(resolve(dir), 'region.json');
  if (!existsSync(manifest)) throw InputError.single('<DIR>', 'holds no region.json', dir, 'a region folder written by `sandtable region build`');
  const regionFiles = [manifest, ...Object.values(REGION_GRIDS), REGION_ITEMS_FILE].map((f) => resolve(dir, f));
  if (regionFiles.includes(target)) throw InputError.single('--out', 'would overwrite a file of the region', outOption, 'a scenario file outside the region\'s own files');
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw InputError.single('--out', 'names a folder', outOption, 'a scenario .json file');
  if (existing && !options.has('force')) throw InputError.single('--out', 'exists', outOption, 'a new file, or --force to replace it');
  await loadKernels();
  const regionPath = relative(dirname(target), manifest).split('\\').join('/') || 'region.json';
  const region = await loadRegion(dirname(target), regionPath);
  let scenario: object;
  if (template === 'storm') scenario = stormScenario(region, regionPath);
  else {
    const at = flammableRidge(region);
    if (!at) throw InputError.single('<DIR>', 'has no burnable cell for a fire', dir, 'a region whose fuel.asc holds a burnable fuel model');
    scenario = fireScenario(region, regionPath, at);
  }
  // Written beside the target and renamed: a reader never sees half a scenario.
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, starterText(scenario));
  await rename(temporary, target);
  process.stderr.write(`region scenario: ${template} starter for ${dir} written to ${outOption}\n`);
  printJson({ out: outOption, template, region: regionPath });
}
