// Risk-list grading: wasm kernel vs plain-TS reference vs native C, on a city-sized list.
//   readings:       1 M items (one `above` factor each), 10 readings per item (10⁷ at the
//                   default size), 1000 readings per instant: the storm-time stream.
//   hold-expiries:  1 M items raised to red, then left alone: 3 M hold expiries (red → orange
//                   → yellow → blue) with no reading in between; the cost per item of
//                   evaluating hold expiries is 1 / that rate.
import { WasmGrading } from '../../models/risklist/kernel.ts';
import { packItems } from '../../models/risklist/list.ts';
import { ChangeLog, emptyBatch, readingsBatch, type GradingState, type InputBatch, type PackedList } from '../../models/risklist/packed.ts';
import { ReferenceGrading } from '../../models/risklist/reference.ts';
import { syntheticList, syntheticReadings } from '../../models/risklist/synthetic.ts';
import { Arena, type Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { benchRow, buildNative, measureNative, median, nativeChecksum, type Benchmark, type BenchResult } from '../harness.ts';

const DEFAULT_SIZES = [1_000_000];
const READINGS_PER_ITEM = 10;
const PER_INSTANT = 1000;
/** 1000 readings every 0.3 s: a million sensors each reporting every 300 s. */
const INSTANT_STEP_S = 0.3;

/** The same sum, in the same order, as the native program prints. */
function checksum(log: ChangeLog, levels: Int32Array): number {
  let sum = 0;
  for (let k = 0; k < log.length; k++) {
    sum += log.t[k] + log.item[k] * 3 + log.from[k] * 11 + log.to[k] * 7 + log.rule[k] * 13 + log.cause[k];
  }
  for (let i = 0; i < levels.length; i++) sum += levels[i] * (i % 97);
  return sum;
}

function listToBytes(list: PackedList, readings: InputBatch, until: number): Uint8Array {
  const header = Int32Array.of(list.items, list.factors, list.holdSeconds.length / 4, list.queues.length, readings.readingTime.length);
  const parts: ArrayBufferView[] = [
    header, list.factorStart, list.base, list.holdProfile, list.holdQueue, list.factorItem, list.onDelayQueue,
    Int32Array.from(list.queues, (q) => q.kind), Int32Array.from(list.queues, (q) => q.capacity), readings.readingFactor,
    list.holdSeconds, list.thresholds, list.deadband, list.onDelay, list.staleAfter, list.direction,
    readings.readingTime, readings.readingValue, Float64Array.of(until),
  ];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at); at += p.byteLength; }
  return bytes;
}

interface Scenario {
  list: PackedList;
  /** Applied before the clock starts (not timed); the native program does it with its split time. */
  setup?: { batch: InputBatch; until: number };
  batch: InputBatch;
  until: number;
  work: number;
}

/** Median seconds over `runs` fresh states (after a warm-up run), timing only the graded advance. */
function timeBackend(runs: number, s: Scenario, make: () => { state: GradingState; run: (log: ChangeLog) => void; done: () => void }) {
  const times: number[] = [];
  let sum = 0;
  let changes = 0;
  // Warm up for at least 3 runs and 0.3 s: V8 starts wasm in its baseline compiler and tiers hot
  // functions up in the background, which one short run at a small size does not trigger.
  let warmUps = 0;
  let warmSeconds = 0;
  while (times.length < runs) {
    const { state, run, done } = make();
    if (s.setup) state.advance(s.setup.batch, s.setup.until, new ChangeLog());
    // Sized from the previous run, as the native program keeps its log's capacity between runs.
    const log = new ChangeLog();
    log.reserve(changes);
    const start = performance.now();
    run(log);
    const seconds = (performance.now() - start) / 1000;
    if (warmUps < 3 || warmSeconds < 0.3) { warmUps++; warmSeconds += seconds; } else times.push(seconds);
    sum = checksum(log, state.levels());
    changes = log.length;
    done();
  }
  return { seconds: median(times), checksum: sum, changes };
}

function wasmMaker(kernels: Kernels, s: Scenario) {
  return () => {
    const arena = new Arena(kernels.exports);
    const batchArena = new Arena(kernels.exports);
    const state = new WasmGrading(kernels, arena, s.list);
    const prepared = state.prepareBatch(batchArena, s.batch);
    return { state, run: (log: ChangeLog) => prepared(s.until, log), done: () => { batchArena.release(); arena.release(); } };
  };
}

function tsMaker(s: Scenario) {
  return () => {
    const state = new ReferenceGrading(s.list);
    return { state, run: (log: ChangeLog) => state.advance(s.batch, s.until, log), done: () => undefined };
  };
}

function readingsScenario(items: number): Scenario {
  const list = packItems(syntheticList(items)).list;
  const count = items * READINGS_PER_ITEM;
  const batch = syntheticReadings(list, count, PER_INSTANT, INSTANT_STEP_S, 7);
  return { list, batch, until: batch.readingTime[count - 1], work: count };
}

function holdScenario(items: number): Scenario {
  const defs = syntheticList(items).map((item) => ({ ...item, factors: item.factors.map((f) => ({ ...f, onDelayS: 0, staleAfterS: 1e9 })) }));
  const list = packItems(defs).list;
  const factor = new Int32Array(2 * items);
  const time = new Float64Array(2 * items);
  const value = new Float64Array(2 * items);
  for (let i = 0; i < items; i++) {
    factor[i] = i; time[i] = 0; value[i] = 35; // every item to red at t = 0
    factor[items + i] = i; time[items + i] = 1; value[items + i] = 0; // and quiet from t = 1
  }
  return {
    list, setup: { batch: readingsBatch(factor, time, value), until: 1 },
    batch: emptyBatch(), until: 40000, work: 3 * items,
  };
}

async function measure(kind: 'readings' | 'hold-expiries', items: number, runs: number, kernels: Kernels, native: ReturnType<typeof buildNative>, log: (line: string) => void): Promise<BenchResult> {
  const s = kind === 'readings' ? readingsScenario(items) : holdScenario(items);
  const label = kind === 'readings' ? `${items} items × ${READINGS_PER_ITEM} readings` : `${items} items red → blue`;
  log(`risklist/${kind}: ${label}`);
  const wasm = timeBackend(runs, s, wasmMaker(kernels, s));
  const ts = timeBackend(Math.max(1, Math.ceil(runs / 2)), s, tsMaker(s));
  // The native program reads one batch: setup readings first, then it splits at setup.until.
  const all = s.setup ? s.setup.batch : s.batch;
  const measured = measureNative(native, listToBytes(s.list, all, s.until), (input) => [input, String(runs), ...(s.setup ? [String(s.setup.until)] : [])]);
  const nativeSum = nativeChecksum(measured);
  log(`  changes: ${wasm.changes}; checksums wasm ${wasm.checksum}, ts ${ts.checksum}, native ${nativeSum}`);
  return benchRow({
    model: 'risklist', kernel: kind, size: items, sizeLabel: label, unit: kind, work: s.work,
    wasmSeconds: wasm.seconds, tsSeconds: ts.seconds, native: measured, runs, checksum: wasm.checksum,
    agree: wasm.checksum === ts.checksum && wasm.changes === ts.changes && (nativeSum === null || nativeSum === wasm.checksum),
  });
}

export const risklistBenchmark: Benchmark = {
  model: 'risklist',
  kernel: 'readings',
  async run({ runs, sizes = DEFAULT_SIZES, log }) {
    const kernels = await loadKernels();
    const native = buildNative(new URL('./grade.c', import.meta.url), 'risklist-grade');
    const results: BenchResult[] = [];
    for (const items of sizes) results.push(await measure('readings', items, runs, kernels, native, log));
    for (const items of sizes) results.push(await measure('hold-expiries', items, runs, kernels, native, log));
    return results;
  },
};
