// Fire spread: wasm kernel vs plain-TS twin vs native C on growing landscapes burned whole with
// hourly wind, in cells/s (cells burned per second of run time).
import { prepareSpreadRun } from '../../models/fire/kernel.ts';
import { fireSpreadReference, type SpreadRun } from '../../models/fire/reference.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { benchRow, buildNative, measureNative, nativeChecksum, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';
import { landscapeToBytes, syntheticLandscape } from './landscape.ts';

const DEFAULT_SIZES = [512, 1024, 2048, 4096];
/** Above this many cells the TS twin is timed once, without a warm-up: it is the slow yardstick. */
const TS_SINGLE_RUN_CELLS = 1024 * 1024;
/** wasm/TS/native checksums are sums of millions of arrival times; libm pow/exp may differ in the last bit. */
const CHECKSUM_TOLERANCE = 1e-9;

function checksum(run: SpreadRun): number {
  let sum = 0;
  for (let i = 0; i < run.arrival.length; i++) if (Number.isFinite(run.arrival[i])) sum += run.arrival[i];
  return sum;
}

const close = (a: number, b: number) => Math.abs(a - b) <= CHECKSUM_TOLERANCE * Math.abs(b);

export const spreadBenchmark: Benchmark = {
  model: 'fire',
  kernel: 'spread',
  async run({ runs, sizes = DEFAULT_SIZES, log }) {
    const kernels = await loadKernels();
    const nativeBuild = buildNative(new URL('./spread.c', import.meta.url), 'fire-spread');
    const results: BenchResult[] = [];
    for (const n of sizes) {
      const landscape = syntheticLandscape(kernels, n);
      const cells = n * n;
      log(`fire/spread: ${n} × ${n}, ${landscape.stencil.n}-direction stencil, ${landscape.windT.length} hourly winds`);
      const wasm = kernels.withArena((arena) => timeRuns(runs, prepareSpreadRun(kernels, arena, landscape)));
      const burned = wasm.result.popped;
      if (burned !== cells) log(`  note: ${burned} of ${cells} cells burned`);
      let ts: { seconds: number; result: SpreadRun };
      if (cells > TS_SINGLE_RUN_CELLS) {
        const start = performance.now();
        const result = fireSpreadReference(landscape);
        ts = { seconds: (performance.now() - start) / 1000, result };
      } else {
        ts = timeRuns(Math.max(1, Math.ceil(runs / 2)), () => fireSpreadReference(landscape));
      }
      log(`  wasm ${wasm.seconds.toFixed(2)} s, TS ${ts.seconds.toFixed(2)} s`);

      const native = measureNative(nativeBuild, landscapeToBytes(landscape), (input) => [input, String(runs)]);
      if ('seconds' in native) log(`  native ${native.seconds.toFixed(2)} s`);
      const wasmSum = checksum(wasm.result);
      const nativeSum = nativeChecksum(native);
      const agree = close(checksum(ts.result), wasmSum) && (nativeSum === null || close(nativeSum, wasmSum));
      results.push(benchRow({
        model: 'fire', kernel: 'spread', size: cells, sizeLabel: `${n} × ${n} cells, whole grid burned`, unit: 'cells', work: burned,
        wasmSeconds: wasm.seconds, tsSeconds: ts.seconds, native, runs, agree, checksum: wasmSum,
      }));
    }
    return results;
  },
};


