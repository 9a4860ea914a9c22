import { BENCH_MODELS, BENCHMARKS } from '../../benchmarks/index.ts';
import { describeMachine, formatRate, type BenchResult } from '../../benchmarks/harness.ts';
import { InputError } from '../../models/errors.ts';
import type { ParsedArgs } from '../args.ts';
import { printJson } from '../io.ts';

function positiveInteger(value: string | true | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw InputError.single(`--${option}`, 'must be a positive integer', value, 'an integer ≥ 1');
  return n;
}

export async function bench({ positional, options }: ParsedArgs): Promise<void> {
  if (positional.length > 0) throw InputError.single(positional[0], 'is not an argument of bench', positional[0], '--model M, --json, --runs N, --size N or --sizes A,B,…, --grid-cells N');
  const model = options.get('model');
  if (model !== undefined && !BENCH_MODELS.includes(model as string)) {
    throw InputError.single('--model', 'names no benchmarked model', model, `one of ${BENCH_MODELS.join(', ')}`);
  }
  const kernel = options.get('kernel');
  const chosen = BENCHMARKS.filter((b) => (model === undefined || b.model === model) && (kernel === undefined || b.kernel === kernel));
  if (chosen.length === 0) {
    throw InputError.single('--kernel', 'names no benchmarked kernel of this model', kernel, `one of ${BENCHMARKS.filter((b) => model === undefined || b.model === model).map((b) => b.kernel).join(', ')}`);
  }
  const runs = positiveInteger(options.get('runs'), 'runs', 5);
  const sizesOption = options.get('sizes') ?? options.get('size');
  const sizes = sizesOption === undefined ? undefined
    : String(sizesOption).split(',').map((s) => positiveInteger(s, options.has('sizes') ? 'sizes' : 'size', 1));
  const gridCellsOption = options.get('grid-cells');
  const gridCells = gridCellsOption === undefined ? undefined : positiveInteger(gridCellsOption, 'grid-cells', 1);
  const log = (line: string) => process.stderr.write(line + '\n');

  const results: BenchResult[] = [];
  for (const b of chosen) {
    results.push(...await b.run({ runs, sizes, gridCells, log }));
  }
  const machine = describeMachine();
  if (options.get('json')) {
    printJson({ machine, results });
    return;
  }
  process.stdout.write(`${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.gcc ?? 'no gcc'}\n`);
  process.stdout.write('model      kernel        size                          unit          wasm/s      ts/s        native/s    native÷wasm  agree\n');
  for (const r of results) {
    process.stdout.write(`${r.model.padEnd(10)} ${r.kernel.padEnd(13)} ${r.size_label.padEnd(29)} ${r.unit.padEnd(13)} ${formatRate(r.wasm_per_s).padEnd(11)} ${formatRate(r.ts_per_s).padEnd(11)} ${formatRate(r.native_per_s).padEnd(11)} ${r.wasm_to_native === null ? 'n/a' : r.wasm_to_native.toFixed(2).padEnd(11)}  ${r.results_agree}\n`);
    if (r.native_note) process.stdout.write(`  native: ${r.native_note}\n`);
  }
}
