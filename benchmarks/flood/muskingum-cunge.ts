// Muskingum–Cunge–Todini routing with channel geometry (the mixed kernel): wasm vs plain TS vs
// native C, in reach-steps/s, one segment per reach.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMixedRun } from '../../models/flood/kernel.ts';
import { routeMixedReference, STATE_PER_SEGMENT, type MixedRun } from '../../models/flood/network.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { buildNative, runNative, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';
import { mixedNetworkToBytes, syntheticChannelNetwork } from './network.ts';

const STEPS = 240;
const DEFAULT_SIZES = [1_000_000];

function checksum(run: MixedRun): number {
  let sum = run.outletVolume;
  const n = run.peakStep.length;
  for (let i = 0; i < n; i++) sum += run.state[i * STATE_PER_SEGMENT + 1] + run.state[i * STATE_PER_SEGMENT + 5];
  return sum;
}

export const muskingumCungeBenchmark: Benchmark = {
  model: 'flood',
  kernel: 'muskingum-cunge',
  async run({ runs, sizes = DEFAULT_SIZES, log }) {
    const kernels = await loadKernels();
    const native = buildNative(new URL('./network.c', import.meta.url), 'flood-network');
    const results: BenchResult[] = [];
    for (const reaches of sizes) {
      const net = syntheticChannelNetwork(reaches, STEPS);
      const work = reaches * STEPS;
      log(`flood/muskingum-cunge: ${reaches} reaches × ${STEPS} steps`);
      const wasm = kernels.withArena((arena) => timeRuns(runs, prepareMixedRun(kernels, arena, net)));
      // The plain-TS reference is slow at a million reaches: one timed run after the warm-up.
      const ts = timeRuns(1, () => routeMixedReference(net));
      let nativePerSecond: number | null = null;
      let nativeNote: string | undefined;
      let nativeChecksum: number | null = null;
      if ('binary' in native) {
        const dir = mkdtempSync(join(tmpdir(), 'sandtable-bench-'));
        try {
          const input = join(dir, 'network.bin');
          writeFileSync(input, mixedNetworkToBytes(net));
          const measured = runNative(native.binary, [input, String(runs)]);
          nativePerSecond = work / measured.seconds;
          nativeChecksum = measured.checksum;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else {
        nativeNote = native.error;
      }
      const wasmSum = checksum(wasm.result);
      const agree = wasmSum === checksum(ts.result) && (nativeChecksum === null || nativeChecksum === wasmSum)
        && wasm.result.negativeCount === 0 && wasm.result.depthFailures === 0;
      results.push({
        model: 'flood', kernel: 'muskingum-cunge', size: reaches,
        size_label: `${reaches} reaches × ${STEPS} steps (MCT, Manning geometry)`, unit: 'reach-steps',
        wasm_per_s: work / wasm.seconds, ts_per_s: work / ts.seconds, native_per_s: nativePerSecond,
        ...(nativeNote ? { native_note: nativeNote } : {}),
        wasm_to_native: nativePerSecond === null ? null : nativePerSecond / (work / wasm.seconds),
        runs, results_agree: agree,
      });
    }
    return results;
  },
};
