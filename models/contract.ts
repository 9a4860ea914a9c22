// The one shape every model has, whatever its physics: a declared spec (inputs and outputs, in
// models/<model>/spec.ts), and for each way to run it a contract `parse → run → format`:
//   parse(json, context) → Case      validation at the boundary (InputError with JSON paths)
//   run(kernels, Case)   → Result    the wasm kernels, nothing else
//   format(Case, Result) → Output    the contract JSON of CONTRACT.md
// models/registry.ts lists the models; the engine, the CLI, the help, the benchmarks' checks and
// the docs iterate it, so a new model is its own folders plus one registry line (README).
import type { Grid } from './grid/ascii.ts';
import type { CommandContract, Label } from './params.ts';
import type { Kernels } from './wasm.ts';

/** What a case may need beyond its JSON: the kernels (deterministic math, bed tables) and the grid files it names, by name. */
export interface ParseContext {
  kernels: Kernels;
  grids: Record<string, Grid>;
}

export interface ModelContract<Case = unknown, Result = unknown, Output = unknown> {
  /** The engine's name for it (`Engine.runCase(name, …)`), e.g. `floodRoute`. */
  name: string;
  parse(input: unknown, context: ParseContext): Case;
  run(kernels: Kernels, c: Case): Result;
  format(c: Case, result: Result): Output;
  /**
   * The case is read before the kernels are awaited (nothing in it needs their math), so bad
   * input is reported even by a host whose wasm cannot load.
   */
  parsesWithoutKernels?: boolean;
}

/** A CLI option of a model command, declared as data (bin/commands-table.ts turns it into help and parsing). */
export interface OptionDecl {
  name: string;
  /** Placeholder of the option's value (`--out DIR`); absent for a flag. */
  value?: string;
  description: string;
}

/** The options several commands share, by name. */
export const SHARED_OPTIONS = {
  out: { name: 'out', value: 'DIR', description: 'write the output files to DIR: new, empty, or an earlier output of the same command (its manifest.json says so)' },
  force: { name: 'force', description: 'with --out: write into any other folder as well (inputs are still never overwritten)' },
  fullPrecision: { name: 'full-precision', description: 'print (and write) every digit instead of the rounded contract output' },
} as const satisfies Record<string, OptionDecl>;

/** A command of `sandtable` that runs a model: what help, usage and option parsing derive from. */
export interface ModelCommand {
  words: readonly string[];
  argument: string;
  summary: string;
  options: readonly OptionDecl[];
  /** The spec of its case fields and outputs (models/<model>/spec.ts). */
  contract: CommandContract;
}

export interface ModelEntry {
  /** The folder name under assembly/, models/, benchmarks/, test/ and of bin/commands/<name>.ts. */
  name: string;
  label: Label;
  /** Its commands; their runners are bin/commands/<name>.ts's `RUNNERS`, keyed by the command's words. */
  commands: readonly ModelCommand[];
  contracts: readonly ModelContract<any, any, any>[];
  /** Its kernels' exports in assembly/index.ts (test/engine/registry.test.ts checks they exist). */
  kernels: readonly string[];
  /** Its benchmarks in benchmarks/index.ts, by the name `sandtable bench --model <name> --kernel K` selects. */
  benchmarks: readonly string[];
}

/** Type help for a contract: infers Case, Result and Output from the three functions. */
export function defineContract<Case, Result, Output>(c: ModelContract<Case, Result, Output>): ModelContract<Case, Result, Output> {
  return c;
}
