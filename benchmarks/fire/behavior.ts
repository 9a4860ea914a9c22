// Point fire behaviour: wasm vs plain TS vs native C, in evaluations/s. Two forms:
//   behavior-table: fuel beds prepared once per (fuel model, moisture scenario), then each
//                   evaluation is a bed plus a wind and a slope — how spread and what-if sweeps use it;
//   behavior-full:  every evaluation prepares its bed from the fuel model and moisture first.
import { prepareBedRun, prepareBehaviorRun } from '../../models/fire/kernel.ts';
import { packFuelTable, STANDARD_FUEL_MODELS, toSiFuel } from '../../models/fire/fuels.ts';
import {
  BED_STRIDE, CASE_STRIDE, fireBedsReference, fireBehaviorFromBedsReference, fireBehaviorReference, OUT_STRIDE,
} from '../../models/fire/reference.ts';
import type { PackedBehavior } from '../../models/fire/behavior.ts';
import { seededRandom } from '../../models/random.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { benchRow, buildNative, measureNative, nativeChecksum, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';

const DEFAULT_SIZES = [2_000_000];
const MOISTURE_SCENARIOS = 16;
/** Sums of millions of outputs; the three libms may differ in the last bit of pow/exp. */
const CHECKSUM_TOLERANCE = 1e-10;

interface Workload {
  fuels: Float64Array;
  bedFuel: Int32Array;
  moistures: Float64Array;
  bedIndex: Int32Array;
  winds: Float64Array;
  full: PackedBehavior;
}

function workload(n: number): Workload {
  const random = seededRandom(2024);
  const models = STANDARD_FUEL_MODELS.filter((f) => f.depth_ft > 0);
  const fuels = packFuelTable(models.map(toSiFuel));
  const scenarios = Array.from({ length: MOISTURE_SCENARIOS }, () => [
    0.02 + 0.1 * random(), 0.03 + 0.1 * random(), 0.05 + 0.1 * random(), 0.3 + 1.2 * random(), 0.6 + 1.0 * random(),
  ]);
  const nBeds = models.length * MOISTURE_SCENARIOS;
  const bedFuel = Int32Array.from({ length: nBeds }, (_, i) => Math.floor(i / MOISTURE_SCENARIOS));
  const moistures = Float64Array.from({ length: nBeds * 5 }, (_, j) => scenarios[Math.floor(j / 5) % MOISTURE_SCENARIOS][j % 5]);
  const bedIndex = Int32Array.from({ length: n }, () => Math.floor(random() * nBeds));
  const winds = new Float64Array(n * 3);
  const cases = new Float64Array(n * CASE_STRIDE);
  for (let i = 0; i < n; i++) {
    winds[3 * i] = 8 * random();
    winds[3 * i + 1] = 2 * Math.PI * random();
    winds[3 * i + 2] = random() < 0.3 ? 0 : random();
    cases.set(moistures.subarray(bedIndex[i] * 5, bedIndex[i] * 5 + 5), i * CASE_STRIDE);
    cases.set(winds.subarray(3 * i, 3 * i + 3), i * CASE_STRIDE + 5);
  }
  const full: PackedBehavior = {
    n, fuels, fuelIndex: Int32Array.from(bedIndex, (b) => bedFuel[b]), cases, windLimit: false,
    aspectDeg: new Float64Array(n), codes: [],
  };
  return { fuels, bedFuel, moistures, bedIndex, winds, full };
}

function toBytes(w: Workload): Uint8Array {
  const parts: ArrayBufferView[] = [
    new Int32Array([w.fuels.length / 13, w.bedFuel.length, w.bedIndex.length]),
    w.fuels, w.bedFuel, w.moistures, w.bedIndex, w.winds, w.full.cases, w.full.fuelIndex,
  ];
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) { bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset); offset += p.byteLength; }
  return bytes;
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

const close = (a: number, b: number) => Math.abs(a - b) <= CHECKSUM_TOLERANCE * Math.abs(b);

export const behaviorBenchmark: Benchmark = {
  model: 'fire',
  kernel: 'behavior',
  async run({ runs, sizes = DEFAULT_SIZES, log }) {
    const kernels = await loadKernels();
    const nativeBuild = buildNative(new URL('./behavior.c', import.meta.url), 'fire-behavior');
    const results: BenchResult[] = [];
    for (const n of sizes) {
      const w = workload(n);
      const input = toBytes(w);
      for (const mode of ['table', 'full'] as const) {
        log(`fire/behavior-${mode}: ${n} evaluations over ${w.bedFuel.length / MOISTURE_SCENARIOS} fuel models × ${MOISTURE_SCENARIOS} moisture scenarios`);
        // Timed on views of wasm memory (the C yardstick does not copy its results either); the
        // checksum reads one copy taken after the runs.
        const wasm = kernels.withArena((arena) => {
          const timed = timeRuns(runs, mode === 'table'
            ? prepareBedRun(kernels, arena, { fuels: w.fuels, fuelIndex: w.bedFuel, moistures: w.moistures }, { bedIndex: w.bedIndex, winds: w.winds, windLimit: false }, false)
            : prepareBehaviorRun(kernels, arena, w.full, false));
          return { seconds: timed.seconds, result: timed.result.slice() };
        });
        const out = new Float64Array(n * OUT_STRIDE);
        const beds = new Float64Array(w.bedFuel.length * BED_STRIDE);
        const ts = timeRuns(Math.max(1, Math.ceil(runs / 2)), () => {
          if (mode === 'table') {
            fireBedsReference(w.bedFuel.length, w.fuels, w.bedFuel, w.moistures, beds);
            fireBehaviorFromBedsReference(n, beds, w.bedIndex, w.winds, false, out);
          } else {
            fireBehaviorReference(n, w.fuels, w.full.fuelIndex, w.full.cases, false, out);
          }
          return out;
        });
        const native = measureNative(nativeBuild, input, (path) => [path, String(runs), mode === 'table' ? '1' : '0']);
        const wasmSum = sum(wasm.result);
        const nativeSum = nativeChecksum(native);
        const agree = close(sum(ts.result), wasmSum) && (nativeSum === null || close(nativeSum, wasmSum));
        results.push(benchRow({
          model: 'fire', kernel: `behavior-${mode}`, size: n, sizeLabel: `${n} evaluations`, unit: 'evaluations', work: n,
          wasmSeconds: wasm.seconds, tsSeconds: ts.seconds, native, runs, agree, checksum: wasmSum,
        }));
      }
    }
    return results;
  },
};
