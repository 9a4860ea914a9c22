// Muskingum–Cunge–Todini routing with channel geometry (the mixed kernel): wasm vs plain TS vs
// native C, in reach-steps/s, one segment per reach.
import { prepareMixedRun } from '../../models/flood/kernel.ts';
import { routeMixedReference, STATE_PER_SEGMENT, type MixedRun } from '../../models/flood/reference.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { benchRow, buildNative, measureNative, nativeChecksum, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';
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
    const nativeBuild = buildNative(new URL('./network.c', import.meta.url), 'flood-network');
    const results: BenchResult[] = [];
    for (const reaches of sizes) {
      const net = syntheticChannelNetwork(reaches, STEPS);
      const work = reaches * STEPS;
      log(`flood/muskingum-cunge: ${reaches} reaches × ${STEPS} steps`);
      const wasm = kernels.withArena((arena) => timeRuns(runs, prepareMixedRun(kernels, arena, net)));
      // The plain-TS reference is slow at a million reaches: one timed run after the warm-up.
      const ts = timeRuns(1, () => routeMixedReference(net));
      const native = measureNative(nativeBuild, mixedNetworkToBytes(net), (input) => [input, String(runs)]);
      const wasmSum = checksum(wasm.result);
      const nativeSum = nativeChecksum(native);
      const agree = wasmSum === checksum(ts.result) && (nativeSum === null || nativeSum === wasmSum)
        && wasm.result.negativeCount === 0 && wasm.result.depthFailures === 0;
      results.push(benchRow({
        model: 'flood', kernel: 'muskingum-cunge', size: reaches, sizeLabel: `${reaches} reaches × ${STEPS} steps (MCT, Manning geometry)`, unit: 'reach-steps', work,
        wasmSeconds: wasm.seconds, tsSeconds: ts.seconds, native, runs, agree, checksum: wasmSum,
      }));
    }
    return results;
  },
};
