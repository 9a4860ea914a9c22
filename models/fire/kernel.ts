// Packs fire cases into wasm memory, runs assembly/fire/*.ts, copies results out.
import type { Arena, Kernels } from '../wasm.ts';
import type { PackedBehavior } from './behavior.ts';
import { BED_STRIDE, OUT_STRIDE } from './rothermel.ts';

/** assembly/fire as the host sees it: every argument a number or a pointer. */
export interface FireKernels {
  fireBehavior(n: number, fuels: number, fuelIndex: number, cases: number, windLimit: number, out: number): void;
  fireBeds(n: number, fuels: number, fuelIndex: number, moistures: number, beds: number): void;
  fireBehaviorFromBeds(n: number, beds: number, bedIndex: number, winds: number, windLimit: number, out: number): void;
}

export function prepareBehaviorRun(kernels: Kernels, arena: Arena, packed: PackedBehavior): () => Float64Array {
  const fuels = arena.copyIn('f64', packed.fuels);
  const fuelIndex = arena.copyIn('i32', packed.fuelIndex);
  const cases = arena.copyIn('f64', packed.cases);
  const out = arena.allocate('f64', packed.n * OUT_STRIDE);
  return () => {
    kernels.exportsAs<FireKernels>().fireBehavior(packed.n, fuels.ptr, fuelIndex.ptr, cases.ptr, packed.windLimit ? 1 : 0, out.ptr);
    return arena.copyOut(out);
  };
}

export function fireBehaviorWasm(kernels: Kernels, packed: PackedBehavior): Float64Array {
  return kernels.withArena((arena) => prepareBehaviorRun(kernels, arena, packed)());
}

export interface BedTable { fuels: Float64Array; fuelIndex: Int32Array; moistures: Float64Array }
export interface BedEvaluations { bedIndex: Int32Array; winds: Float64Array; windLimit: boolean }

/** The table-driven path: beds once per (fuel, moisture), then every wind/slope evaluation. */
export function prepareBedRun(kernels: Kernels, arena: Arena, table: BedTable, evals: BedEvaluations): () => Float64Array {
  const k = kernels.exportsAs<FireKernels>();
  const nBeds = table.fuelIndex.length;
  const n = evals.bedIndex.length;
  const fuels = arena.copyIn('f64', table.fuels);
  const fuelIndex = arena.copyIn('i32', table.fuelIndex);
  const moistures = arena.copyIn('f64', table.moistures);
  const beds = arena.allocate('f64', nBeds * BED_STRIDE);
  const bedIndex = arena.copyIn('i32', evals.bedIndex);
  const winds = arena.copyIn('f64', evals.winds);
  const out = arena.allocate('f64', n * OUT_STRIDE);
  return () => {
    k.fireBeds(nBeds, fuels.ptr, fuelIndex.ptr, moistures.ptr, beds.ptr);
    k.fireBehaviorFromBeds(n, beds.ptr, bedIndex.ptr, winds.ptr, evals.windLimit ? 1 : 0, out.ptr);
    return arena.copyOut(out);
  };
}
