// Every command of the CLI with its options, declared once: parseArgs accepts exactly these
// options (bin/cli.ts parses before a command runs), and both `sandtable --help` and
// `sandtable <command> --help` print them, with the case fields and outputs from the model's spec.
// test/cli/help.test.ts checks that what a command accepts and what its help lists are one set.
// The models' commands come from their entries in models/registry.ts.
import { SHARED_OPTIONS, type OptionDecl } from '../models/contract.ts';
import { ensembleContract } from '../models/ensemble/spec.ts';
import { describeRange, type CommandContract } from '../models/params.ts';
import { MODELS } from '../models/registry.ts';
import { scenarioContract } from '../models/scenario/schema.ts';

export type { OptionDecl };

export interface CommandDecl {
  words: string[];
  /** The positional argument, as shown in the usage line. */
  argument?: string;
  summary: string;
  options: readonly OptionDecl[];
  contract?: CommandContract;
  /** The registry model whose command it is: its runner is bin/commands/<model>.ts's `RUNNERS`. */
  model?: string;
}

const { out, force } = SHARED_OPTIONS;

/** Indexed runs for a Kubernetes Indexed Job: one member or tile per pod, then one reduce (models/ensemble/results-dir.ts). */
const INDEXED_OPTIONS: readonly OptionDecl[] = [
  { name: 'index', value: 'I', description: 'with --results: run only index I (default: $JOB_COMPLETION_INDEX, which a Kubernetes Indexed Job sets)' },
  { name: 'results', value: 'DIR', description: 'write index I\'s result to the shared folder DIR (no --out): one pod of an Indexed Job' },
  { name: 'from-results', value: 'DIR', description: 'run nothing: reduce the results the --index runs wrote to DIR into --out, the same bytes as a local run' },
];

/** How long a queue keeps a run whose coordinator stopped (models/ensemble/queue-runs.ts). */
const QUEUE_GRACE: OptionDecl = { name: 'queue-grace', value: 'S', description: 'with --queue: seconds the queue keeps this run\'s jobs after its coordinator stops (killed, never restarted); then workers drop them and the next worker or coordinator removes them (1–31536000, default: $SANDTABLE_QUEUE_GRACE_S, else 86400)' };

/** Options the ensemble's scale-out adds to a model's own command. */
const ADDED_OPTIONS: Record<string, readonly OptionDecl[]> = {
  'landslide fs': [
    { name: 'tile', value: 'R[xC]', description: 'grid form: run in tiles of R × C cells (R × R with one number), stitched into the undivided run\'s grids; on --workers, --queue or --index' },
    { name: 'queue', value: 'URL', description: 'with --tile: run the tiles on queue workers at redis://host:port/db (`sandtable worker --queue URL`); with --results DIR the tiles\' grids go through that shared folder, not Redis' },
    QUEUE_GRACE,
    ...INDEXED_OPTIONS,
    { name: 'members', value: 'N', description: 'grid form: P(FS < 1) per cell from N members drawing the case\'s "ensemble" perturbations (none: N copies of the case), instead of the block\'s (1–100000)' },
    { name: 'seed', value: 'S', description: 'with --members: seed of the members\' draws, instead of the block\'s (0–4294967295)' },
    { name: 'exclude-members', value: 'LIST', description: 'with --members --index I --results DIR: rerun tile I leaving out members LIST (e.g. 2,4), the bad members --from-results names; the rerun goes to a folder of DIR that --from-results reads' },
  ],
};

export const COMMAND_TABLE: readonly CommandDecl[] = [
  ...MODELS.flatMap((m) => m.commands.map((c) => ({ ...c, words: [...c.words], options: [...c.options, ...(ADDED_OPTIONS[c.words.join(' ')] ?? [])], model: m.name }))),
  {
    words: ['run'], argument: '<scenario.json>', summary: 'a whole coupled scenario, headless', contract: scenarioContract,
    options: [out, force, { name: 'seed', value: 'N', description: 'seed of every random choice, instead of the file\'s (0–4294967295)' }],
  },
  {
    words: ['ensemble'], argument: '<scenario.json>', summary: 'many members of a scenario, reduced to probabilities (local pool or queue)', contract: ensembleContract,
    options: [
      { name: 'members', value: 'N', description: 'members to run, instead of the block\'s; with no ensemble block, runs the default perturbations (1–100000)' },
      { name: 'seed', value: 'S', description: 'seed of the members\' draws, instead of the block\'s (0–4294967295)' },
      { name: 'workers', value: 'K', description: 'local worker threads (1–256, default: the machine\'s cores)' },
      { name: 'queue', value: 'URL', description: 'run members on BullMQ queue workers at redis://host:port/db instead (start them with `sandtable worker --queue URL`)' },
      QUEUE_GRACE,
      ...INDEXED_OPTIONS,
      { ...out, description: 'required: the folder that receives members.csv, the products and manifest.json (new, empty, or an earlier ensemble output)' },
      force,
    ],
  },
  {
    words: ['worker'], summary: 'run ensemble members (and landslide grid tiles) from a BullMQ queue until stopped',
    options: [
      { name: 'queue', value: 'URL', description: 'the queue\'s Redis, redis://host:port/db (required)' },
      { name: 'idle-exit', value: 'S', description: 'exit (code 0) after S seconds with no member to run: for batch jobs such as a Kubernetes Job (default: run until stopped)' },
      { name: 'list-runs', description: 'run nothing: print the queue\'s runs as JSON (state running, silent or orphaned, coordinator, last beat, grace, jobs)' },
      { name: 'remove-run', value: 'ID', description: 'run nothing: remove run ID\'s jobs and results from the queue (refused while its coordinator is running)' },
    ],
  },
  {
    words: ['region', 'build'], argument: '<region-case.json>', summary: 'build a region (region.json + grids) from a city\'s own DEM, districts, items and rasters',
    options: [{ ...out, description: 'write the region to DIR: new, empty, or an earlier region build (its manifest.json says so)' }, force],
  },
  {
    words: ['region', 'scenario'], argument: '<DIR>', summary: 'write a starter scenario for a built region',
    options: [
      { name: 'template', value: 'storm|fire', description: 'storm: a 24 h design storm over the districts; fire: an ignition on the most flammable ridge' },
      { name: 'out', value: 'FILE', description: 'the scenario file to write (never one of the region\'s files)' },
      { name: 'force', description: 'replace FILE if it exists' },
    ],
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
