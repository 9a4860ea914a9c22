import type { Engine } from '../../models/engine.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';

export async function risklistGrade({ positional }: ParsedArgs, engine: Engine): Promise<void> {
  const file = await readCase(positional[0]);
  printJson(await engine.risklistGrade(file.value));
}

export const RUNNERS = {
  'risklist grade': risklistGrade,
  // Loaded when used: the service's database and MQTT clients need not slow every other command's start.
  'risklist serve': async (args: ParsedArgs) => (await import('./risklist-serve.ts')).risklistServe(args),
};
