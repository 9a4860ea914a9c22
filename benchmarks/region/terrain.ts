// The region builder's terrain passes: wasm kernels (models/region/terrain.ts, copies in and out
// included, as the builder calls them) vs the plain-TS twin (models/region/reference.ts) vs native C
// (terrain.c, the same algorithms), per pass and all five together, in cells/s on synthetic DEMs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Grid } from '../../models/grid/ascii.ts';
import * as reference from '../../models/region/reference.ts';
import * as wasm from '../../models/region/terrain.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { benchRow, buildNative, median, type Benchmark, type BenchResult, type NativeMeasurement } from '../harness.ts';
import { demToBytes, syntheticDem } from './dem.ts';

const DEFAULT_SIZES = [1024, 2048, 4096];
const EPSILON = 1e-4;
/** Stream cells for HAND: 1 km² at 30 m cells. */
const STREAM_CELLS = 1112;
/** Above this many cells each side is timed at most twice (plus warm-up): a 4096² TS fill takes tens of seconds. */
const FEW_RUNS_CELLS = 2048 * 2048;
/** Slopes go through atan/atan2: C's libm and the kernel's may differ in a last bit. */
const SLOPE_TOLERANCE = 1e-12;

const PASSES = ['fill', 'd8', 'accumulation', 'hand', 'slope'] as const;
type Pass = (typeof PASSES)[number];

function finiteSum(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) sum += values[i];
  return sum;
}

/** One implementation's passes, each a thunk on the previous passes' results, and its checksum. */
function passes(impl: typeof wasm | typeof reference, dem: Grid) {
  const { ncols, nrows } = dem;
  const filled = impl.fillDepressions(dem, EPSILON);
  const direction = impl.flowDirections(filled, ncols, nrows);
  const accumulation = impl.flowAccumulation(direction, ncols);
  const isStream = Uint8Array.from(accumulation, (a) => (a >= STREAM_CELLS ? 1 : 0));
  const run: Record<Pass, () => number> = {
    fill: () => finiteSum(impl.fillDepressions(dem, EPSILON)),
    d8: () => impl.flowDirections(filled, ncols, nrows).reduce((s, d) => s + d + 1, 0),
    accumulation: () => finiteSum(impl.flowAccumulation(direction, ncols)),
    hand: () => finiteSum(impl.heightAboveDrainage(filled, direction, ncols, isStream)),
    slope: () => { const s = impl.slopeAspect(dem); return finiteSum(s.slopeDeg) + finiteSum(s.aspectDeg); },
  };
  return run;
}

interface Timed { seconds: number; cpuSeconds: number; result: number }

/**
 * Median wall and CPU seconds of `runs` calls after `warmUps` untimed ones. CPU time is reported
 * beside wall time because this machine's two cores are shared: wall time shows the load too.
 */
function timeRuns(runs: number, warmUps: number, fn: () => number): Timed {
  let result = 0;
  for (let i = 0; i < warmUps; i++) result = fn();
  const wall: number[] = []; const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now(); const cpuStart = process.cpuUsage();
    result = fn();
    const used = process.cpuUsage(cpuStart);
    wall.push((performance.now() - start) / 1000); cpu.push((used.user + used.system) / 1e6);
  }
  return { seconds: median(wall), cpuSeconds: median(cpu), result };
}

function runNativePass(binary: string, input: string, runs: number, pass: Pass): NativeMeasurement & { cpuSeconds?: number } {
  const parsed = JSON.parse(execFileSync(binary, [input, String(runs), pass], { encoding: 'utf8' })) as { seconds: number[]; cpu_seconds: number[]; checksum: number };
  return { seconds: median(parsed.seconds), cpuSeconds: median(parsed.cpu_seconds), checksum: parsed.checksum };
}

export const terrainBenchmark: Benchmark = {
  model: 'region',
  kernel: 'terrain',
  async run({ runs, sizes = DEFAULT_SIZES, log }) {
    await loadKernels();
    const nativeBuild = buildNative(new URL('./terrain.c', import.meta.url), 'region-terrain');
    const results: BenchResult[] = [];
    for (const n of sizes) {
      const cells = n * n;
      const dem = syntheticDem(n);
      const timedRuns = cells > FEW_RUNS_CELLS ? Math.min(runs, 2) : runs;
      const stats = wasm.fillDepressionsWithStats(dem, EPSILON).stats;
      log(`region/terrain: ${n} × ${n} synthetic DEM, ${stats.cellsFilled} cells filled (max ${stats.maxFillDepthM.toFixed(1)} m), ${stats.flatCells} flat or pit cells`);
      const wasmPasses = passes(wasm, dem);
      const tsPasses = passes(reference, dem);
      const dir = mkdtempSync(join(tmpdir(), 'sandtable-bench-'));
      const input = join(dir, 'dem.bin');
      writeFileSync(input, demToBytes(dem, EPSILON, STREAM_CELLS));
      const totals = { wasm: 0, ts: 0, native: 0 as number | null };
      const cpuTotals = { wasm: 0, ts: 0, native: 0 as number | null };
      let allAgree = true;
      try {
        for (const pass of PASSES) {
          const w = timeRuns(timedRuns, 1, wasmPasses[pass]);
          const t = cells > FEW_RUNS_CELLS ? timeRuns(1, 0, tsPasses[pass]) : timeRuns(Math.max(1, Math.ceil(timedRuns / 2)), 1, tsPasses[pass]);
          const native = 'binary' in nativeBuild ? runNativePass(nativeBuild.binary, input, timedRuns, pass) : { note: nativeBuild.error };
          const tolerance = pass === 'slope' ? SLOPE_TOLERANCE * Math.abs(w.result) : 0;
          const agree = Math.abs(t.result - w.result) <= tolerance && (!('checksum' in native) || Math.abs(native.checksum - w.result) <= tolerance);
          allAgree &&= agree;
          const nativeCpu = 'cpuSeconds' in native ? native.cpuSeconds ?? null : null;
          totals.wasm += w.seconds; totals.ts += t.seconds;
          totals.native = 'seconds' in native && totals.native !== null ? totals.native + native.seconds : null;
          cpuTotals.wasm += w.cpuSeconds; cpuTotals.ts += t.cpuSeconds;
          cpuTotals.native = nativeCpu !== null && cpuTotals.native !== null ? cpuTotals.native + nativeCpu : null;
          const nativeText = 'seconds' in native ? `${native.seconds.toFixed(3)} s (CPU ${nativeCpu?.toFixed(3)} s)` : native.note;
          log(`  ${pass.padEnd(12)} wasm ${w.seconds.toFixed(3)} s (CPU ${w.cpuSeconds.toFixed(3)} s), TS ${t.seconds.toFixed(3)} s (CPU ${t.cpuSeconds.toFixed(3)} s), native ${nativeText}${agree ? '' : ' (checksums differ)'}`);
          results.push({
            ...benchRow({
              model: 'region', kernel: pass, size: cells, sizeLabel: `${n} × ${n} DEM, ${pass}`, unit: 'cells', work: cells,
              wasmSeconds: w.seconds, tsSeconds: t.seconds, native, runs: timedRuns, agree,
            }),
            details: { wasm_cpu_s: w.cpuSeconds, ts_cpu_s: t.cpuSeconds, ...(nativeCpu === null ? {} : { native_cpu_s: nativeCpu }) },
          });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      log(`  all passes   wasm ${totals.wasm.toFixed(2)} s (CPU ${cpuTotals.wasm.toFixed(2)} s), TS ${totals.ts.toFixed(2)} s (CPU ${cpuTotals.ts.toFixed(2)} s), native ${totals.native === null ? 'n/a' : `${totals.native.toFixed(2)} s (CPU ${cpuTotals.native?.toFixed(2)} s)`}`);
      results.push({
        ...benchRow({
          model: 'region', kernel: 'all passes', size: cells, sizeLabel: `${n} × ${n} DEM, five passes`, unit: 'cells', work: cells,
          wasmSeconds: totals.wasm, tsSeconds: totals.ts,
          native: totals.native === null ? { note: 'no native yardstick' } : { seconds: totals.native, checksum: 0 }, runs: timedRuns, agree: allAgree,
        }),
        details: { wasm_cpu_s: cpuTotals.wasm, ts_cpu_s: cpuTotals.ts, ...(cpuTotals.native === null ? {} : { native_cpu_s: cpuTotals.native }) },
      });
    }
    return results;
  },
};
