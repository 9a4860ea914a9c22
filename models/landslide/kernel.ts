// Packs cells and a run into wasm memory, calls assembly/landslide/iverson.ts once, copies results out.
import type { Arena, Kernels } from '../wasm.ts';
import type { RunResult, RunSetup } from './packed.ts';
import {
  ARG_BASAL, ARG_BOUNDARIES, ARG_CELL_COUNT, ARG_CELLS, ARG_DEPTH_COUNT, ARG_DEPTHS, ARG_DEPTHS_ARE_FRACTIONS, ARG_FIRST_FAILURE, ARG_FS_AT_DEPTH,
  ARG_FS_MIN, ARG_INTENSITY, ARG_INTENSITY_STRIDE, ARG_LAG_RESPONSE, ARG_LENGTH, ARG_PERIOD, ARG_PERIOD_COUNT, ARG_PRESSURE_HEAD, ARG_RIK,
  ARG_SUMMARY, ARG_TIME_COUNT, ARG_TIME_STEPS, ARG_TIMES, ARG_Z_AT_FS_MIN,
} from '../../assembly/landslide/layout.ts';
import { CELL_STRIDE, SUMMARY_LENGTH, SUMMARY_MAX_IMAGE_TERMS, SUMMARY_NODATA_CELLS, SUMMARY_NONFINITE_COUNT } from '../../assembly/landslide/layout.ts';

/** assembly/landslide/iverson.ts as the host sees it: every argument a number or a pointer. */
export interface LandslideKernels {
  /** `args`: f64[ARG_LENGTH], the ARG_* slots of assembly/landslide/layout.ts. */
  landslideDirect(args: number): void;
  landslideLagged(args: number): void;
  erfcD(x: number): number;
  expD(x: number): number;
  iversonR(tStar: number): number;
  unitResponse(z: number, lag: number, fourD1: number, soilDepth: number, basal: number): number;
}

/**
 * Copies the run setup into `arena` once and returns a function that evaluates a block of cells
 * (at most `maxCells`) and copies the results out (or, with `copyOut` false, returns views of wasm
 * memory the next block overwrites); grids and the benchmark call it per block.
 */
export function prepareLandslideRun(
  kernels: Kernels, arena: Arena, setup: RunSetup, maxCells: number, copyOut = true,
): (cells: Float64Array, cellRain?: Float64Array) => RunResult {
  const k = kernels.exportsAs<LandslideKernels>();
  const T = setup.times.length;
  const K = setup.depths.length;
  const P = setup.boundaries.length - 1;
  const rainStride = setup.rainPerCell ? P : 0;
  const cellsRegion = arena.allocate('f64', maxCells * CELL_STRIDE);
  const boundaries = arena.copyIn('f64', setup.boundaries);
  const intensity = setup.rainPerCell ? arena.allocate('f64', maxCells * P) : arena.copyIn('f64', setup.intensity);
  const times = arena.copyIn('f64', setup.times);
  const timeSteps = arena.copyIn('i32', setup.lagged?.timeSteps ?? new Int32Array(0));
  const depths = arena.copyIn('f64', setup.depths);
  const fsMin = arena.allocate('f64', maxCells * T);
  const zAtFsMin = arena.allocate('f64', maxCells * T);
  const pressureHead = setup.profiles ? arena.allocate('f64', maxCells * T * K) : undefined;
  const fsAtDepth = setup.profiles ? arena.allocate('f64', maxCells * T * K) : undefined;
  const firstFailure = arena.allocate('f64', maxCells);
  const rik = arena.allocate('f64', P);
  const maxLag = setup.lagged && T > 0 ? setup.lagged.timeSteps[T - 1] : 0;
  const lagResponse = arena.allocate('f64', 2 * (maxLag + 1));
  const summary = arena.allocate('f64', SUMMARY_LENGTH);
  const args = arena.allocate('f64', ARG_LENGTH);
  const a = arena.view(args);
  a[ARG_CELLS] = cellsRegion.ptr;
  a[ARG_BASAL] = setup.basal;
  a[ARG_PERIOD_COUNT] = P;
  a[ARG_BOUNDARIES] = boundaries.ptr;
  a[ARG_PERIOD] = setup.lagged?.period ?? 0;
  a[ARG_INTENSITY] = intensity.ptr;
  a[ARG_INTENSITY_STRIDE] = rainStride;
  a[ARG_TIME_COUNT] = T;
  a[ARG_TIMES] = times.ptr;
  a[ARG_TIME_STEPS] = timeSteps.ptr;
  a[ARG_DEPTH_COUNT] = K;
  a[ARG_DEPTHS] = depths.ptr;
  a[ARG_DEPTHS_ARE_FRACTIONS] = setup.depthsAreFractions ? 1 : 0;
  a[ARG_FS_MIN] = fsMin.ptr;
  a[ARG_Z_AT_FS_MIN] = zAtFsMin.ptr;
  a[ARG_PRESSURE_HEAD] = pressureHead?.ptr ?? 0;
  a[ARG_FS_AT_DEPTH] = fsAtDepth?.ptr ?? 0;
  a[ARG_FIRST_FAILURE] = firstFailure.ptr;
  a[ARG_RIK] = rik.ptr;
  a[ARG_LAG_RESPONSE] = lagResponse.ptr;
  a[ARG_SUMMARY] = summary.ptr;

  return (cells, cellRain) => {
    const count = cells.length / CELL_STRIDE;
    if (count > maxCells) throw new Error(`block of ${count} cells exceeds the prepared ${maxCells}`);
    arena.view(cellsRegion).set(cells);
    if (setup.rainPerCell) {
      if (!cellRain || cellRain.length !== count * P) throw new Error('per-cell rain must come with every block');
      arena.view(intensity).set(cellRain);
    }
    arena.view(args)[ARG_CELL_COUNT] = count;
    if (setup.lagged) k.landslideLagged(args.ptr);
    else k.landslideDirect(args.ptr);
    const totals = arena.view(summary);
    // Without copyOut the result views wasm memory: valid only until the next block runs.
    const slice = (r: { ptr: number; length: number; kind: 'f64' }, n: number) =>
      (copyOut ? arena.view(r).slice(0, n) : arena.view(r).subarray(0, n));
    return {
      fsMin: slice(fsMin, count * T),
      zAtFsMin: slice(zAtFsMin, count * T),
      pressureHead: pressureHead ? slice(pressureHead, count * T * K) : undefined,
      fsAtDepth: fsAtDepth ? slice(fsAtDepth, count * T * K) : undefined,
      firstFailure: slice(firstFailure, count),
      nonFiniteCount: totals[SUMMARY_NONFINITE_COUNT],
      noDataCells: totals[SUMMARY_NODATA_CELLS],
      maxImageTerms: totals[SUMMARY_MAX_IMAGE_TERMS],
    };
  };
}

export function runLandslideWasm(kernels: Kernels, cells: Float64Array, setup: RunSetup): RunResult {
  const count = cells.length / CELL_STRIDE;
  return kernels.withArena((arena) => prepareLandslideRun(kernels, arena, setup, Math.max(1, count))(cells, setup.rainPerCell ? setup.intensity : undefined));
}
