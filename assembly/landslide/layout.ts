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

// The run's arguments, one f64 slot each, written by the host (models/landslide/kernel.ts) and
// read once by landslideDirect/landslideLagged: counts, flags and wasm pointers are whole numbers,
// exact in an f64. Replaces 19–21 positional arguments whose order each side kept by hand.
// ARG_BOUNDARIES is read by landslideDirect only; ARG_PERIOD, ARG_TIME_STEPS and ARG_LAG_RESPONSE
// by landslideLagged only.
export const ARG_CELL_COUNT = 0;
export const ARG_CELLS = 1; // f64[cellCount·CELL_STRIDE]
export const ARG_BASAL = 2; // BASAL_INFINITE or BASAL_FINITE
export const ARG_PERIOD_COUNT = 3;
export const ARG_BOUNDARIES = 4; // f64[periodCount + 1] (s)
export const ARG_PERIOD = 5; // one period's length (s)
export const ARG_INTENSITY = 6; // f64[periodCount], or per cell with ARG_INTENSITY_STRIDE (m/s)
export const ARG_INTENSITY_STRIDE = 7; // 0 = one series for every cell
export const ARG_TIME_COUNT = 8;
export const ARG_TIMES = 9; // f64[timeCount] (s)
export const ARG_TIME_STEPS = 10; // i32[timeCount]: times in periods
export const ARG_DEPTH_COUNT = 11;
export const ARG_DEPTHS = 12; // f64[depthCount]
export const ARG_DEPTHS_ARE_FRACTIONS = 13; // 1 = depths are fractions of the soil depth
export const ARG_FS_MIN = 14;
export const ARG_Z_AT_FS_MIN = 15;
export const ARG_PRESSURE_HEAD = 16; // 0 = not wanted
export const ARG_FS_AT_DEPTH = 17; // 0 = not wanted
export const ARG_FIRST_FAILURE = 18;
export const ARG_RIK = 19; // scratch f64[periodCount]
export const ARG_LAG_RESPONSE = 20; // scratch f64[2·(maxLag + 1)]
export const ARG_SUMMARY = 21; // f64[SUMMARY_LENGTH]
export const ARG_LENGTH = 22;
