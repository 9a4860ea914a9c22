import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Engine } from '../../models/engine.ts';
import { spreadGridFiles } from '../../models/fire/spread-case.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { readGridFile, writeGridFile } from '../../models/grid/node.ts';
import { parseArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';

export async function fireBehavior(argv: string[], engine: Engine): Promise<void> {
  const { positional } = parseArgs(argv, [], []);
  const file = await readCase(positional[0]);
  printJson(await engine.fireBehavior(file.value));
}

export async function fireSpread(argv: string[], engine: Engine): Promise<void> {
  const { positional, options } = parseArgs(argv, ['out'], []);
  const file = await readCase(positional[0]);
  const grids: Record<string, Grid> = {};
  for (const { name, path } of spreadGridFiles(file.value)) grids[name] = await readGridFile(name, file.baseDir, path);
  const result = await engine.fireSpread(file.value, grids);
  const dir = resolve(typeof options.get('out') === 'string' ? (options.get('out') as string) : '.');
  await mkdir(dir, { recursive: true });
  await writeGridFile(dir, 'arrival_time_s.asc', result.arrival, 8);
  await writeGridFile(dir, 'ros_m_per_min.asc', result.ros, 6);
  await writeGridFile(dir, 'fireline_intensity_kw_per_m.asc', result.intensity, 6);
  await writeFile(join(dir, 'perimeters.geojson'), JSON.stringify(result.perimeters) + '\n');
  process.stderr.write(`fire spread: ${result.summary.cells_burned} cells burned; wrote 4 files to ${dir}\n`);
  printJson(result.summary);
}
