// A small argument reader: positional words plus `--flag` and `--option value`, accepting exactly
// the options a command declares in bin/commands-table.ts (which its --help prints).
import { InputError } from '../models/errors.ts';
import type { OptionDecl } from './commands-table.ts';

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: string[], declared: readonly OptionDecl[]): ParsedArgs {
  const valued = declared.filter((o) => o.value !== undefined).map((o) => o.name);
  const flags = declared.filter((o) => o.value === undefined).map((o) => o.name);
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2);
    if (flags.includes(name)) {
      options.set(name, true);
    } else if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw InputError.single(`--${name}`, 'needs a value', undefined, `--${name} <value>`);
      options.set(name, value);
    } else {
      const known = declared.map((o) => `--${o.name}`).join(', ') || 'no options';
      throw InputError.single(`--${name}`, 'is not an option of this command', undefined, known);
    }
  }
  return { positional, options };
}
