// Every command of the CLI with its options, declared once: parseArgs accepts exactly these
// options (bin/cli.ts parses before a command runs), and both `sandtable --help` and
// `sandtable <command> --help` print them, with the case fields and outputs from the model's spec.
// test/cli/help.test.ts checks that what a command accepts and what its help lists are one set.
import { behaviorContract, spreadContract } from '../models/fire/spec.ts';
import { routeContract, runoffContract } from '../models/flood/spec.ts';
import { fsContract } from '../models/landslide/spec.ts';
import { describeRange, type CommandContract } from '../models/params.ts';
import { gradeContract } from '../models/risklist/spec.ts';
import { serveContract } from '../models/risklist/serve/spec.ts';
import { scenarioContract } from '../models/scenario/schema.ts';

export interface OptionDecl {
  name: string;
  /** Placeholder of the option's value (`--out DIR`); absent for a flag. */
  value?: string;
  description: string;
}

export interface CommandDecl {
  words: string[];
  /** The positional argument, as shown in the usage line. */
  argument?: string;
  summary: string;
  options: readonly OptionDecl[];
  contract?: CommandContract;
}

const out: OptionDecl = { name: 'out', value: 'DIR', description: 'write the output files to DIR: new, empty, or an earlier output of the same command (its manifest.json says so)' };
const force: OptionDecl = { name: 'force', description: 'with --out: write into any other folder as well (inputs are still never overwritten)' };
const fullPrecision: OptionDecl = { name: 'full-precision', description: 'print (and write) every digit instead of the rounded contract output' };

export const COMMAND_TABLE: readonly CommandDecl[] = [
  { words: ['flood', 'route'], argument: '<case.json>', summary: 'route hydrographs through a river network', options: [fullPrecision], contract: routeContract },
  { words: ['flood', 'runoff'], argument: '<case.json>', summary: 'Xinanjiang and SCS-CN rainfall–runoff', options: [fullPrecision], contract: runoffContract },
  {
    words: ['landslide', 'fs'], argument: '<case.json>', summary: 'transient infiltration and factor of safety', contract: fsContract,
    options: [out, force, fullPrecision, { name: 'workers', value: 'N', description: 'grid form: split the rows over N engine workers (1–256, default 1)' }],
  },
  { words: ['fire', 'behavior'], argument: '<case.json>', summary: 'Rothermel surface fire behaviour at a point', options: [], contract: behaviorContract },
  { words: ['fire', 'spread'], argument: '<case.json>', summary: 'fire arrival time across a landscape', options: [out, force], contract: spreadContract },
  { words: ['risklist', 'grade'], argument: '<case.json>', summary: 'dynamic up/down grading of risk-list items', options: [], contract: gradeContract },
  { words: ['risklist', 'serve'], argument: '<serve.json>', summary: 'the live risk list: readings over HTTP and MQTT, graded as they arrive', options: [], contract: serveContract },
  {
    words: ['run'], argument: '<scenario.json>', summary: 'a whole coupled scenario, headless', contract: scenarioContract,
    options: [out, force, { name: 'seed', value: 'N', description: 'seed of every random choice, instead of the file\'s (0–4294967295)' }],
  },
  {
    words: ['bench'], summary: 'kernel benchmarks: wasm vs plain TS vs native C',
    options: [
      { name: 'model', value: 'M', description: 'only the benchmarks of this model' },
      { name: 'kernel', value: 'K', description: 'only this kernel' },
      { name: 'json', description: 'print { machine, results } as JSON instead of a table' },
      { name: 'sizes', value: 'A,B', description: 'problem sizes to time (comma-separated)' },
      { name: 'size', value: 'N', description: 'one problem size (same as --sizes N)' },
      { name: 'runs', value: 'N', description: 'timed runs per size; the median is reported (default 5)' },
      { name: 'grid-cells', value: 'N', description: 'cells of the grid benchmarks' },
    ],
  },
];

export function commandName(c: CommandDecl): string {
  return c.words.join(' ');
}

/** `flood route <case.json> [--full-precision]`: derived from the declaration, never written out. */
export function usageOf(c: CommandDecl): string {
  const options = c.options.map((o) => `[--${o.name}${o.value ? ` ${o.value}` : ''}]`);
  return [...c.words, ...(c.argument ? [c.argument] : []), ...options].join(' ');
}

function table(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => (k < r.length - 1 ? r[k].length : 0))));
  return rows.map((r) => indent + r.map((cell, k) => (k < r.length - 1 ? cell.padEnd(widths[k]) : cell)).join('  '));
}

/** `sandtable <command> --help`: usage, every option, and the case fields and outputs of the spec. */
export function commandHelp(c: CommandDecl): string {
  const lines = [`Usage: sandtable ${usageOf(c)}`, `  ${c.summary}`];
  if (c.options.length) {
    lines.push('', 'Options:', ...table(c.options.map((o) => [`--${o.name}${o.value ? ` ${o.value}` : ''}`, o.description]), '  '));
  }
  if (c.contract) {
    lines.push('', 'Fields (unit and range from the model\'s spec; formats in shared/design/CONTRACT.md):');
    // One table over all groups, so the columns line up through the whole help.
    const rows = c.contract.inputs.flatMap((group) => Object.entries(group.params).map(([name, p]) => [
      name,
      describeRange(p).replace(/^an? /, '') + (p.default !== undefined ? `, default ${p.default}` : p.optional ? ', optional' : ''),
      `${p.label.en} (${p.label.zh})`,
    ]));
    const formatted = table(rows, '    ');
    let k = 0;
    for (const group of c.contract.inputs) {
      const n = Object.keys(group.params).length;
      lines.push(`  ${group.at}`, ...formatted.slice(k, k + n));
      k += n;
    }
    const outputs = Object.entries(c.contract.outputs);
    if (outputs.length) {
      lines.push('', 'Output:');
      lines.push(...table(outputs.map(([name, f]) => [name, f.unit, `${f.label.en} (${f.label.zh}): ${f.description}`]), '  '));
    }
  }
  return lines.join('\n');
}
