import type { Engine } from '../../models/engine.ts';
import { roundRouteOutput } from '../../models/flood/route.ts';
import { roundRunoffOutput } from '../../models/flood/runoff.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';

export async function floodRoute({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  const file = await readCase(positional[0]);
  const output = await engine.floodRoute(file.value);
  printJson(options.has('full-precision') ? output : roundRouteOutput(output));
}

export async function floodRunoff({ positional, options }: ParsedArgs, engine: Engine): Promise<void> {
  const file = await readCase(positional[0]);
  const output = await engine.floodRunoff(file.value);
  printJson(options.has('full-precision') ? output : roundRunoffOutput(output));
}

export const RUNNERS = { 'flood route': floodRoute, 'flood runoff': floodRunoff };
