import type { Engine } from '../../models/engine.ts';
import { parseArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';

export async function risklistGrade(argv: string[], engine: Engine): Promise<void> {
  const { positional } = parseArgs(argv, [], []);
  const file = await readCase(positional[0]);
  printJson(await engine.risklistGrade(file.value));
}
