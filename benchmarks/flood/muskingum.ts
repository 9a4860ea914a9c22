// Muskingum network routing: wasm kernel vs plain-TS reference vs native C, in reach-steps/s.
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareNetworkRun } from '../../models/flood/kernel.ts';
import { routeNetworkReference, type NetworkRun } from '../../models/flood/muskingum.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { buildNative, runNative, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';
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
    const native = buildNative(new URL('./muskingum.c', import.meta.url), 'flood-muskingum');
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

      let nativePerSecond: number | null = null;
      let nativeNote: string | undefined;
      let nativeChecksum: number | null = null;
      if ('binary' in native) {
        const dir = mkdtempSync(join(tmpdir(), 'sandtable-bench-'));
        try {
          const input = join(dir, 'network.bin');
          writeFileSync(input, networkToBytes(net));
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
      const agree = wasmSum === checksum(ts.result) && (nativeChecksum === null || nativeChecksum === wasmSum);
      results.push({
        model: 'flood', kernel: 'muskingum', size: reaches,
        size_label: `${reaches} reaches × ${STEPS} steps`, unit: 'reach-steps',
        wasm_per_s: work / wasm.seconds, ts_per_s: work / ts.seconds, native_per_s: nativePerSecond,
        ...(nativeNote ? { native_note: nativeNote } : {}),
        wasm_to_native: nativePerSecond === null ? null : nativePerSecond / (work / wasm.seconds),
        runs, results_agree: agree,
      });
    }
    return results;
  },
};
