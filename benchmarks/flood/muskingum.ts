// Muskingum network routing: wasm kernel vs plain-TS reference vs native C, in reach-steps/s.
import { prepareNetworkRun } from '../../models/flood/kernel.ts';
import { routeNetworkReference, tileStepsFor, type NetworkRun } from '../../models/flood/reference.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { benchRow, buildNative, measureNative, nativeChecksum, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';
import { networkToBytes, syntheticNetwork } from './network.ts';

const STEPS = 240;
const DEFAULT_SIZES = [1_000_000];

function checksum(run: NetworkRun): number {
  let sum = run.outletVolume;
  for (let i = 0; i < run.outflow.length; i++) sum += run.outflow[i] + run.peak[i];
  return sum;
}

export const muskingumBenchmark: Benchmark = {
  model: 'flood',
  kernel: 'muskingum',
  async run({ runs, sizes = DEFAULT_SIZES, log }) {
    const kernels = await loadKernels();
    const nativeBuild = buildNative(new URL('./muskingum.c', import.meta.url), 'flood-muskingum');
    const results: BenchResult[] = [];
    for (const reaches of sizes) {
      const net = syntheticNetwork(reaches, STEPS);
      const work = reaches * STEPS;
      log(`flood/muskingum: ${reaches} reaches × ${STEPS} steps`);

      const wasm = kernels.withArena((arena) => {
        const route = prepareNetworkRun(kernels, arena, net);
        return timeRuns(runs, route);
      });
      const ts = timeRuns(Math.max(1, Math.ceil(runs / 2)), () => routeNetworkReference(net));

      const tile = tileStepsFor(reaches, STEPS);
      const native = measureNative(nativeBuild, networkToBytes(net), (input) => [input, String(runs), String(tile)]);
      const wasmSum = checksum(wasm.result);
      const nativeSum = nativeChecksum(native);
      const agree = wasmSum === checksum(ts.result) && (nativeSum === null || nativeSum === wasmSum);
      results.push(benchRow({
        model: 'flood', kernel: 'muskingum', size: reaches, sizeLabel: `${reaches} reaches × ${STEPS} steps`, unit: 'reach-steps', work,
        wasmSeconds: wasm.seconds, tsSeconds: ts.seconds, native, runs, agree, checksum: wasmSum,
      }));
    }
    return results;
  },
};
