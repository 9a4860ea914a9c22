// Landslide infiltration + FS: wasm kernel vs plain-TS reference vs native C, in cells/s, for the
// issue's workload: 72 hourly rain periods, 10 depths, FS at every hour (72 output times), infinite
// depth, with the per-lag precomputation. A second row times the direct (per-period) evaluation on
// a few cells, to show what the lag precomputation buys; a third runs the grid form on N engine
// workers (worker_threads) to show the multi-worker path and its scaling: wall and CPU time, speed-up
// and efficiency over one worker, and each worker count's start-up (thread, engine, wasm compile)
// and first run apart from the timed runs (`--grid-cells N`, default 200 000 cells).
import { performance as nodePerformance } from 'node:perf_hooks';
import { spawnEngineWorker } from '../../models/engine-node.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { BASAL_INFINITE, CELL_STRIDE, packCells, runReference, type CellProperties, type RunResult, type RunSetup } from '../../models/landslide/reference.ts';
import { prepareLandslideRun } from '../../models/landslide/kernel.ts';
import { seededRandom } from '../../models/random.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { runGridOnWorkers } from '../../models/landslide/parallel.ts';
import { benchRow, buildNative, measureNative, median, nativeChecksum, timeRuns, type Benchmark, type BenchResult } from '../harness.ts';

const HOURS = 72;
const DEPTHS = 10;
const DEFAULT_SIZES = [2_000, 20_000];
const DIRECT_CELLS = 100;

export function benchmarkCells(count: number, seed = 2026): Float64Array {
  const r = seededRandom(seed);
  const cells: CellProperties[] = Array.from({ length: count }, () => {
    const soil = 1 + 3 * r();
    return {
      slope_deg: 20 + 25 * r(), soil_depth_m: soil, water_table_depth_m: soil * (0.5 + 0.5 * r()),
      cohesion_pa: 2000 + 6000 * r(), friction_deg: 28 + 10 * r(), unit_weight_soil_n_per_m3: 18000 + 3000 * r(),
      ks_m_per_s: 10 ** (-6.5 + 2 * r()), diffusivity_m2_per_s: 10 ** (-5.5 + 2 * r()), background_infiltration_m_per_s: 1e-9,
    };
  });
  return packCells(cells, 9810);
}

/** A 72-hour storm: a dry start, a long moderate spell and a burst, in m/s. */
export function benchmarkStorm(): Float64Array {
  return Float64Array.from({ length: HOURS }, (_, h) => (h < 6 ? 0 : h < 48 ? 4 + 3 * Math.sin(h / 5) : h < 60 ? 25 : 2) / 3.6e6);
}

export function benchmarkSetup(lagged: boolean): RunSetup {
  const times = Float64Array.from({ length: HOURS }, (_, j) => (j + 1) * 3600);
  return {
    basal: BASAL_INFINITE,
    boundaries: Float64Array.from({ length: HOURS + 1 }, (_, n) => n * 3600),
    intensity: benchmarkStorm(), times,
    depths: Float64Array.from({ length: DEPTHS }, (_, k) => (k + 1) / DEPTHS), depthsAreFractions: true, profiles: false,
    lagged: lagged ? { period: 3600, timeSteps: Int32Array.from(times, (t) => t / 3600) } : undefined,
  };
}

/** Σ fs_min + Σ z_at_fs_min + Σ first failure time: the native yardstick sums the same way. */
export function checksum(runs: RunResult[]): number {
  let sum = 0;
  for (const run of runs) for (let i = 0; i < run.fsMin.length; i++) sum += run.fsMin[i] + run.zAtFsMin[i];
  for (const run of runs) for (const t of run.firstFailure) if (t === t) sum += t;
  return sum;
}

export function runBytes(cells: Float64Array, setup: RunSetup): Buffer {
  const count = cells.length / CELL_STRIDE;
  const header = Int32Array.of(count, setup.intensity.length, setup.times.length, setup.depths.length);
  return Buffer.concat([
    Buffer.from(header.buffer), Buffer.from(Float64Array.of(setup.lagged!.period).buffer),
    Buffer.from(cells.buffer, cells.byteOffset, cells.byteLength), Buffer.from(setup.intensity.buffer),
    Buffer.from(setup.depths.buffer), Buffer.from(setup.lagged!.timeSteps.buffer),
  ]);
}

const BLOCK = 4096;

/** Default cells of the grid-form rows: enough that one run (seconds) dwarfs a worker's start-up. */
export const DEFAULT_GRID_CELLS = 200_000;

interface ScalingRow {
  workers: number;
  cells_per_s: number;
  agrees: boolean;
  details: Record<string, number>;
}

async function gridScaling(log: (line: string) => void, cells: number, workerCounts: number[], runs: number): Promise<ScalingRow[]> {
  // One grid of cells split into row bands, one band per worker (models/landslide/parallel.ts, the
  // path of `landslide fs --workers N`), every worker running the engine's grid form.
  const ncols = 100;
  const nrows = Math.ceil(cells / ncols);
  const count = ncols * nrows;
  const r = seededRandom(5);
  const values = (f: () => number) => Float64Array.from({ length: count }, f);
  const slope = values(() => 20 + 25 * r());
  const soil = values(() => 1 + 3 * r());
  const storm = Array.from(benchmarkStorm(), (v) => v * 3.6e6);
  const input = {
    grid: { slope_deg: 'slope.asc', soil_depth_m: 'soil.asc', water_table_depth_m: 1, cohesion_pa: 4000, friction_deg: 32,
      unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 2e-6, diffusivity_m2_per_s: 2e-5 },
    rain: { period_s: 3600, mm_per_h: storm },
    output_times_s: Array.from({ length: HOURS }, (_, j) => (j + 1) * 3600),
    // The kernel rows' 10 depths (the grid form's default is 20 to the soil base: twice the work).
    depths_m: Array.from({ length: DEPTHS }, (_, k) => (k + 1) / DEPTHS),
  };
  const rows: ScalingRow[] = [];
  let reference: Float64Array | undefined;
  let oneWorkerSeconds: number | undefined;
  const last = `fs_min_t${HOURS * 3600}.asc`;
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  for (const n of workerCounts) {
    // Start-up apart from the runs: spawning the threads, loading the engine in each (module
    // loader, wasm compile) until every engine answers.
    const spawnAt = performance.now();
    const spawnCpu = process.cpuUsage();
    const workers = Array.from({ length: n }, () => spawnEngineWorker());
    await Promise.all(workers.map((w) => w.engine.ready()));
    const startMs = performance.now() - spawnAt;
    const startCpuMs = cpuSeconds(spawnCpu) * 1000;
    const full = (v: Float64Array): Grid => ({ ncols, nrows, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values: v });
    const once = () => runGridOnWorkers(workers.map((w) => w.engine), input, { 'slope.asc': full(slope), 'soil.asc': full(soil) });
    // The first run also pays for the workers' first calls (JIT of the parse and stitch code).
    const firstAt = performance.now();
    const joined = (await once()).grids[last].values;
    const firstSeconds = (performance.now() - firstAt) / 1000;
    reference ??= joined;
    const agrees = joined.length === reference.length && joined.every((v, i) => Object.is(v, reference![i]));
    const times: number[] = [];
    const cpu: number[] = [];
    const mainBusy: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      const elu0 = nodePerformance.eventLoopUtilization();
      await once();
      mainBusy.push(nodePerformance.eventLoopUtilization(elu0).active);
      cpu.push(cpuSeconds(cpu0));
      times.push((performance.now() - start) / 1000);
    }
    await Promise.all(workers.map((w) => w.terminate()));
    const wall = median(times);
    oneWorkerSeconds ??= n === 1 ? wall : undefined;
    const speedup = oneWorkerSeconds === undefined ? NaN : oneWorkerSeconds / wall;
    const details: Record<string, number> = {
      start_ms: startMs, start_cpu_ms: startCpuMs, first_run_s: firstSeconds,
      wall_s: wall, cpu_s: median(cpu), cpu_us_per_cell: (median(cpu) / count) * 1e6, main_thread_busy_ms: median(mainBusy),
      speedup, efficiency: speedup / n,
    };
    rows.push({ workers: n, cells_per_s: count / wall, agrees, details });
    // CPU time of all threads per cell: what the split costs, whatever else the machine is running.
    log(`landslide/grid: ${n} worker(s), ${count} cells: start-up ${startMs.toFixed(0)} ms (${startCpuMs.toFixed(0)} ms CPU), `
      + `first run ${firstSeconds.toFixed(2)} s, then ${wall.toFixed(2)} s wall, ${median(cpu).toFixed(2)} s CPU `
      + `(${details.cpu_us_per_cell.toFixed(1)} µs/cell), main thread busy ${details.main_thread_busy_ms.toFixed(0)} ms: `
      + `${(count / wall).toExponential(3)} cells/s, speed-up ${speedup.toFixed(2)} (efficiency ${details.efficiency.toFixed(2)})`);
  }
  return rows;
}

export const landslideBenchmark: Benchmark = {
  model: 'landslide',
  kernel: 'iverson',
  async run({ runs, sizes = DEFAULT_SIZES, gridCells = DEFAULT_GRID_CELLS, log }) {
    const kernels = await loadKernels();
    const nativeBuild = buildNative(new URL('./iverson.c', import.meta.url), 'landslide-iverson');
    const results: BenchResult[] = [];
    const setup = benchmarkSetup(true);
    const label = `cells × ${HOURS} h periods × ${DEPTHS} depths, FS hourly`;
    for (const count of sizes) {
      const cells = benchmarkCells(count);
      log(`landslide/iverson: ${count} ${label}`);
      const wasm = kernels.withArena((arena) => {
        const block = Math.min(BLOCK, count);
        const copied = prepareLandslideRun(kernels, arena, setup, block);
        // Timed on views of wasm memory, as the C yardstick leaves its results where it wrote them
        // (copying 144 values per cell out would be the host's work, not the kernel's).
        const inPlace = prepareLandslideRun(kernels, arena, setup, block, false);
        const blocks = (run: typeof copied) => {
          const out: RunResult[] = [];
          for (let s = 0; s < count; s += BLOCK) out.push(run(cells.subarray(s * CELL_STRIDE, Math.min(count, s + BLOCK) * CELL_STRIDE)));
          return out;
        };
        const result = blocks(copied);
        return { seconds: timeRuns(runs, () => blocks(inPlace)).seconds, result };
      });
      const ts = timeRuns(Math.max(1, Math.ceil(runs / 2)), () => [runReference(cells, setup)]);
      const native = measureNative(nativeBuild, runBytes(cells, setup), (input) => [input, String(runs)]);
      const wasmSum = checksum(wasm.result);
      const nativeSum = nativeChecksum(native);
      results.push(benchRow({
        model: 'landslide', kernel: 'iverson', size: count, sizeLabel: `${count} ${label}`, unit: 'cells', work: count,
        wasmSeconds: wasm.seconds, tsSeconds: ts.seconds, native, runs, checksum: wasmSum,
        agree: wasmSum === checksum(ts.result) && (nativeSum === null || nativeSum === wasmSum),
      }));
    }

    // The same workload evaluated period by period (as TRIGRS does), on a few cells.
    const directSetup = benchmarkSetup(false);
    const few = benchmarkCells(DIRECT_CELLS);
    log(`landslide/iverson-direct: ${DIRECT_CELLS} ${label}`);
    const direct = kernels.withArena((arena) => {
      const run = prepareLandslideRun(kernels, arena, directSetup, DIRECT_CELLS);
      return timeRuns(Math.max(1, Math.ceil(runs / 2)), () => [run(few)]);
    });
    const directTs = timeRuns(1, () => [runReference(few, directSetup)]);
    const laggedFew = runReference(few, setup);
    results.push({
      model: 'landslide', kernel: 'iverson-direct', size: DIRECT_CELLS, size_label: `${DIRECT_CELLS} ${label}, no lag precomputation`, unit: 'cells',
      wasm_per_s: DIRECT_CELLS / direct.seconds, ts_per_s: DIRECT_CELLS / directTs.seconds, native_per_s: null,
      native_note: 'the direct path has no native build: it is here to show the lag precomputation speed-up',
      wasm_to_native: null, runs, results_agree: checksum(direct.result) === checksum(directTs.result) && checksum(direct.result) === checksum([laggedFew]),
      checksum: checksum(direct.result),
    });

    const scaling = await gridScaling(log, gridCells, [1, 2], Math.max(1, Math.ceil(runs / 2)));
    for (const row of scaling) {
      const cellsRun = Math.ceil(gridCells / 100) * 100;
      results.push({
        model: 'landslide', kernel: `grid-${row.workers}-worker${row.workers > 1 ? 's' : ''}`, size: cellsRun,
        size_label: `${cellsRun} cells × ${HOURS} h × ${DEPTHS} depths on ${row.workers} engine worker(s), grid form end to end (start-up apart, in details)`, unit: 'cells',
        wasm_per_s: row.cells_per_s, ts_per_s: 0, native_per_s: null, native_note: 'multi-worker scaling row: wasm through the engine API only',
        wasm_to_native: null, runs, results_agree: row.agrees, details: row.details,
      });
    }
    return results;
  },
};
