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
import { landslideFs } from './commands/landslide.ts';
import { fireBehavior, fireSpread } from './commands/fire.ts';

interface Command {
  words: string[];
  usage: string;
  summary: string;
  run?: (argv: string[], engine: Engine) => Promise<void>;
  /** Which issue brings a command that is not implemented yet. */
  comingWith?: string;
}

const COMMANDS: Command[] = [
  { words: ['flood', 'route'], usage: 'flood route <case.json> [--full-precision]', summary: 'route hydrographs through a river network', run: floodRoute },
  { words: ['flood', 'runoff'], usage: 'flood runoff <case.json> [--full-precision]', summary: 'Xinanjiang and SCS-CN rainfall–runoff', run: floodRunoff },
  { words: ['landslide', 'fs'], usage: 'landslide fs <case.json> [--out DIR [--force]] [--full-precision] [--workers N]', summary: 'transient infiltration and factor of safety', run: landslideFs },
  { words: ['fire', 'behavior'], usage: 'fire behavior <case.json>', summary: 'Rothermel surface fire behaviour at a point', run: fireBehavior },
  { words: ['fire', 'spread'], usage: 'fire spread <case.json> [--out DIR [--force]]', summary: 'fire arrival time across a landscape', run: fireSpread },
  { words: ['risklist', 'grade'], usage: 'risklist grade <case.json>', summary: 'dynamic up/down grading of risk-list items', run: risklistGrade },
  { words: ['run'], usage: 'run <scenario.json> [--out DIR [--force]] [--seed N]', summary: 'a whole coupled scenario, headless', run },
  { words: ['bench'], usage: 'bench [--model M] [--kernel K] [--json] [--sizes A,B] [--runs N] [--grid-cells N]', summary: 'kernel benchmarks: wasm vs plain TS vs native C', run: (argv) => bench(argv) },
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  const lines = COMMANDS.map((c) => `  sandtable ${c.usage.padEnd(width)}  ${c.summary}${c.run ? '' : ` (not implemented yet: comes with ${c.comingWith})`}`);
  return [
    `sandtable ${ENGINE_VERSION}: hazard simulation (flood, landslide, wildfire, risk list) in WebAssembly`,
    '',
    'Usage:',
    ...lines,
    '',
    'A case is a JSON file path, or - for stdin. Output is JSON on stdout; progress goes to stderr.',
    '--out DIR must be new, empty, or an earlier output of the same command (its manifest.json says so);',
    '--force writes into any other folder. Results appear all at once; inputs are never overwritten.',
    'Exit codes: 0 success, 2 invalid input (one "error: <path>: ..." line per problem), 1 internal failure.',
    'Formats: see shared/design/CONTRACT.md and README.md.',
  ].join('\n');
}

function findCommand(argv: string[]): Command | undefined {
  return COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
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
  if (!command.run) {
    process.stderr.write(`sandtable ${command.words.join(' ')}: not implemented yet in ${ENGINE_VERSION} (comes with ${command.comingWith})\n`);
    return 1;
  }
  const rest = argv.slice(command.words.length);
  if (rest.includes('--help')) {
    process.stdout.write(`Usage: sandtable ${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  try {
    await command.run(rest, createNodeEngine());
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
