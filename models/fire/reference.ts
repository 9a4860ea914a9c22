// The plain-TS twins of the fire kernels, for tests and benchmarks (production runs the wasm):
// Rothermel surface fire (assembly/fire/rothermel.ts) and minimum-travel-time spread
// (assembly/fire/spread.ts).
export * from './reference-behavior.ts';
export * from './reference-spread.ts';
export type { PackedSpread, SpreadRun } from './packed.ts';
