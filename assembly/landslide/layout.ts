// Memory layout shared by the landslide kernel (assembly/landslide/iverson.ts), its host
// (models/landslide/) and, checked by test/engine/layout.test.ts, the C yardstick
// (benchmarks/landslide/iverson.c). Plain number literals so that both asc (which infers i32)
// and tsc accept the file: change a slot here and every side follows.

// One cell's kernel coefficients, CELL_STRIDE f64 per cell.
export const CELL_SOIL_DEPTH = 0; // L (m)
export const CELL_WATER_TABLE = 1; // d (m)
export const CELL_BETA = 2; // cos²δ − I_ZLT/Ks
export const CELL_FOUR_D1 = 3; // 4·D₀/cos²δ (m²/s)
export const CELL_KS = 4; // (m/s)
export const CELL_FRICTION_RATIO = 5; // tanφ/tanδ
export const CELL_COHESION = 6; // c (Pa)
export const CELL_WATER_FRICTION = 7; // γw·tanφ (N/m³)
export const CELL_WEIGHT_SHEAR = 8; // γs·sinδ·cosδ (N/m³)
export const CELL_STRIDE = 9;

// The run's totals, f64[SUMMARY_LENGTH].
export const SUMMARY_NONFINITE_COUNT = 0; // cell-depth-times whose ψ or FS came out NaN/∞
export const SUMMARY_NODATA_CELLS = 1;
export const SUMMARY_MAX_IMAGE_TERMS = 2; // most series terms (image or Fourier) one finite-depth F needed
export const SUMMARY_LENGTH = 3;

// The `basal` argument.
export const BASAL_INFINITE = 0;
export const BASAL_FINITE = 1;
