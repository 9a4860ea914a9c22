// Fire spread: wasm kernel vs plain-TS twin vs native C on growing landscapes burned whole with
// hourly wind, in cells/s (cells burned per second of run time).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareSpreadRun } from '../../models/fire/kernel.ts';
import { fireSpreadReference, type SpreadRun } from '../../models/fire/spread.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { buildNative, runNative, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';
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
    const native = buildNative(new URL('./spread.c', import.meta.url), 'fire-spread');
    const results: BenchResult[] = [];
    for (const n of sizes) {
      const landscape = syntheticLandscape(n);
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

      let nativePerSecond: number | null = null;
      let nativeNote: string | undefined;
      let nativeChecksum: number | null = null;
      if ('binary' in native) {
        const dir = mkdtempSync(join(tmpdir(), 'sandtable-fire-'));
        try {
          const input = join(dir, 'landscape.bin');
          writeFileSync(input, landscapeToBytes(landscape));
          const measured = runNative(native.binary, [input, String(runs)]);
          nativePerSecond = burned / measured.seconds;
          nativeChecksum = measured.checksum;
          log(`  native ${measured.seconds.toFixed(2)} s`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else {
        nativeNote = native.error;
      }
      const wasmSum = checksum(wasm.result);
      const agree = close(checksum(ts.result), wasmSum) && (nativeChecksum === null || close(nativeChecksum, wasmSum));
      const wasmPerSecond = burned / wasm.seconds;
      results.push({
        model: 'fire', kernel: 'spread', size: cells,
        size_label: `${n} × ${n} cells, whole grid burned`, unit: 'cells',
        wasm_per_s: wasmPerSecond, ts_per_s: burned / ts.seconds, native_per_s: nativePerSecond,
        ...(nativeNote ? { native_note: nativeNote } : {}),
        wasm_to_native: nativePerSecond === null ? null : nativePerSecond / wasmPerSecond,
        runs, results_agree: agree,
      });
    }
    return results;
  },
};


