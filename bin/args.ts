// A small argument reader: positional words plus `--flag` and `--option value`.
import { InputError } from '../models/errors.ts';

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: string[], valued: readonly string[], flags: readonly string[]): ParsedArgs {
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
      const known = [...valued, ...flags].map((o) => `--${o}`).join(', ') || 'no options';
      throw InputError.single(`--${name}`, 'is not an option of this command', undefined, known);
    }
  }
  return { positional, options };
}
