import type { Engine } from '../../models/engine.ts';
import { roundRouteOutput } from '../../models/flood/route.ts';
import { roundRunoffOutput } from '../../models/flood/runoff.ts';
import { parseArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';

export async function floodRoute(argv: string[], engine: Engine): Promise<void> {
  const { positional, options } = parseArgs(argv, [], ['full-precision']);
  const file = await readCase(positional[0]);
  const output = await engine.floodRoute(file.value);
  printJson(options.has('full-precision') ? output : roundRouteOutput(output));
}

export async function floodRunoff(argv: string[], engine: Engine): Promise<void> {
  const { positional, options } = parseArgs(argv, [], ['full-precision']);
  const file = await readCase(positional[0]);
  const output = await engine.floodRunoff(file.value);
  printJson(options.has('full-precision') ? output : roundRunoffOutput(output));
}
