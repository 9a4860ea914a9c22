// `sandtable landslide fs <case.json> [--out DIR] [--full-precision]` (CONTRACT.md).
import type { Engine } from '../../models/engine.ts';
import { roundFsOutput } from '../../models/landslide/fs.ts';
import { parseArgs } from '../args.ts';
import { printJson, readCase } from '../io.ts';

export async function landslideFs(argv: string[], engine: Engine): Promise<void> {
  const { positional, options } = parseArgs(argv, ['out'], ['full-precision']);
  const file = await readCase(positional[0]);
  const output = await engine.landslideFs(file.value);
  printJson(options.has('full-precision') ? output : roundFsOutput(output));
}
