// `sandtable`: the headless CLI of CONTRACT.md. JSON on stdout, logs on stderr; exit 0 on success,
// 2 on invalid input (one `error: <path>: …` line per problem), 1 on an internal failure.
import { createNodeEngine } from '../models/engine-node.ts';
import type { Engine } from '../models/engine.ts';
import { formatProblem, InputError } from '../models/errors.ts';
import { ENGINE_VERSION } from '../models/version.ts';
import { bench } from './commands/bench.ts';
import { run } from './commands/run.ts';
import { floodRoute, floodRunoff } from './commands/flood.ts';
import { risklistGrade } from './commands/risklist.ts';
import { risklistServe } from './commands/risklist-serve.ts';
import { landslideFs } from './commands/landslide.ts';
import { fireBehavior, fireSpread } from './commands/fire.ts';
import { parseArgs, type ParsedArgs } from './args.ts';
import { COMMAND_TABLE, commandHelp, commandName, usageOf, type CommandDecl } from './commands-table.ts';

/** What runs each declared command (bin/commands-table.ts holds its usage, options and help). */
export const RUNNERS: Record<string, (args: ParsedArgs, engine: Engine) => Promise<void>> = {
  'flood route': floodRoute,
  'flood runoff': floodRunoff,
  'landslide fs': landslideFs,
  'fire behavior': fireBehavior,
  'fire spread': fireSpread,
  'risklist grade': risklistGrade,
  'risklist serve': risklistServe,
  run,
  bench: (args) => bench(args),
};

function help(): string {
  const width = Math.max(...COMMAND_TABLE.map((c) => usageOf(c).length));
  const lines = COMMAND_TABLE.map((c) => `  sandtable ${usageOf(c).padEnd(width)}  ${c.summary}`);
  return [
    `sandtable ${ENGINE_VERSION}: hazard simulation (flood, landslide, wildfire, risk list) in WebAssembly`,
    '',
    'Usage:',
    ...lines,
    '',
    'A case is a JSON file path, or - for stdin. Output is JSON on stdout; progress goes to stderr.',
    '`sandtable <command> --help` lists the command\'s options, case fields (unit, range) and outputs.',
    '--out DIR must be new, empty, or an earlier output of the same command (its manifest.json says so);',
    '--force writes into any other folder. Results appear all at once; inputs are never overwritten.',
    'Exit codes: 0 success, 2 invalid input (one "error: <path>: ..." line per problem), 1 internal failure.',
    'Formats: see shared/design/CONTRACT.md and README.md.',
  ].join('\n');
}

function findCommand(argv: string[]): CommandDecl | undefined {
  return COMMAND_TABLE.find((c) => c.words.every((w, i) => argv[i] === w));
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(help() + '\n');
    return 0;
  }
  if (argv[0] === '--version') {
    process.stdout.write(ENGINE_VERSION + '\n');
    return 0;
  }
  const command = findCommand(argv);
  if (!command) {
    process.stderr.write(`error: ${argv.join(' ')}: unknown command\n\n${help()}\n`);
    return 2;
  }
  const rest = argv.slice(command.words.length);
  if (rest.includes('--help')) {
    process.stdout.write(commandHelp(command) + '\n');
    return 0;
  }
  try {
    // Options are read against the command's declaration before any work: what is accepted is
    // exactly what --help lists.
    const args = parseArgs(rest, command.options);
    await RUNNERS[commandName(command)](args, createNodeEngine());
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      for (const problem of error.problems) process.stderr.write(formatProblem(problem) + '\n');
      return 2;
    }
    const e = error as Error;
    process.stderr.write(`sandtable: internal failure: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}\n`);
    if (process.env.SANDTABLE_DEBUG) process.stderr.write(`${e?.stack}\n`);
    return 1;
  }
}
