// Kept for importers of the old path: the terrain passes now live in models/region/terrain.ts
// (wasm kernels, same names and signatures); their plain-TS twin is models/region/reference.ts.
export * from '../region/terrain.ts';
