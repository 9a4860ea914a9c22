// Packs cells and a run into wasm memory, calls assembly/landslide/iverson.ts once, copies results out.
import type { Arena, Kernels } from '../wasm.ts';
import type { RunResult, RunSetup } from './packed.ts';
import { CELL_STRIDE, SUMMARY_LENGTH, SUMMARY_MAX_IMAGE_TERMS, SUMMARY_NODATA_CELLS, SUMMARY_NONFINITE_COUNT } from '../../assembly/landslide/layout.ts';

/** assembly/landslide/iverson.ts as the host sees it: every argument a number or a pointer. */
export interface LandslideKernels {
  landslideDirect(
    cellCount: number, cells: number, basal: number,
    periodCount: number, boundaries: number, intensity: number, intensityStride: number,
    timeCount: number, times: number,
    depthCount: number, depths: number, depthsAreFractions: number,
    fsMin: number, zAtFsMin: number, pressureHead: number, fsAtDepth: number, firstFailure: number,
    rik: number, summary: number,
  ): void;
  landslideLagged(
    cellCount: number, cells: number, basal: number,
    periodCount: number, period: number, intensity: number, intensityStride: number,
    timeCount: number, times: number, timeSteps: number,
    depthCount: number, depths: number, depthsAreFractions: number,
    fsMin: number, zAtFsMin: number, pressureHead: number, fsAtDepth: number, firstFailure: number,
    rik: number, lagResponse: number, summary: number,
  ): void;
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

  return (cells, cellRain) => {
    const count = cells.length / CELL_STRIDE;
    if (count > maxCells) throw new Error(`block of ${count} cells exceeds the prepared ${maxCells}`);
    arena.view(cellsRegion).set(cells);
    if (setup.rainPerCell) {
      if (!cellRain || cellRain.length !== count * P) throw new Error('per-cell rain must come with every block');
      arena.view(intensity).set(cellRain);
    }
    const common = [setup.depthsAreFractions ? 1 : 0,
      fsMin.ptr, zAtFsMin.ptr, pressureHead?.ptr ?? 0, fsAtDepth?.ptr ?? 0, firstFailure.ptr, rik.ptr] as const;
    if (setup.lagged) {
      k.landslideLagged(count, cellsRegion.ptr, setup.basal, P, setup.lagged.period, intensity.ptr, rainStride,
        T, times.ptr, timeSteps.ptr, K, depths.ptr, ...common, lagResponse.ptr, summary.ptr);
    } else {
      k.landslideDirect(count, cellsRegion.ptr, setup.basal, P, boundaries.ptr, intensity.ptr, rainStride,
        T, times.ptr, K, depths.ptr, ...common, summary.ptr);
    }
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
