// The plain-TS twins of the flood kernels, for tests and benchmarks (production runs the wasm):
// linear Muskingum on a network (assembly/flood/muskingum.ts) and mixed-method routing
// (assembly/flood/network.ts). Xinanjiang's twin is ./runoff.ts, which route cases' basins also run.
export * from './reference-muskingum.ts';
export * from './reference-network.ts';
export * from './packed.ts';
export { METHOD_DIFFUSIVE, METHOD_KINEMATIC, METHOD_LINEAR, METHOD_MCT, PARAMS_PER_SEGMENT, STATE_PER_SEGMENT } from '../../assembly/flood/layout.ts';
