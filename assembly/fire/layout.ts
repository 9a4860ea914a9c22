// Memory layout shared by the fire kernels (assembly/fire/rothermel.ts, spread.ts), their host
// (models/fire/) and, checked by test/engine/layout.test.ts, the C yardsticks
// (benchmarks/fire/*.c). Plain number literals so that both asc (which infers i32) and tsc
// accept the file: change a slot here and every side follows.

// Record lengths, f64 each.
export const FUEL_STRIDE = 13; // a fuel model, in models/fire/fuels.ts FUEL_FIELDS order
export const BED_STRIDE = 8; // a prepared fuel bed (the BED_* slots)
export const MOISTURE_STRIDE = 5; // 1 h, 10 h, 100 h, live herb, live woody
export const CASE_STRIDE = 9; // fireBehavior: MOISTURE_STRIDE moistures, then the CASE_* slots
export const WIND_STRIDE = 3; // fireBehaviorFromBeds: wind m/s, wind-to-upslope rad, tan slope
export const OUT_STRIDE = 12; // results, in models/fire/rothermel.ts OUTPUT_FIELDS order

// Bed slots (English units: Rothermel's fits are dimensional).
export const BED_R0 = 0; // no-wind no-slope rate, ft/min
export const BED_IR = 1; // reaction intensity, Btu/ft²/min
export const BED_TAU = 2; // residence time, min
export const BED_WIND_B = 3;
export const BED_WIND_K = 4; // C · β_rel^-E
export const BED_SLOPE_K = 5; // 5.275 · β^-0.3
export const BED_SIGMA = 6; // characteristic SAV, 1/ft
export const BED_BETA_REL = 7;

// Case slots after the moistures.
export const CASE_WIND = 5; // midflame wind, m/s
export const CASE_WIND_TO_UPSLOPE = 6; // rad, clockwise from upslope
export const CASE_TAN_SLOPE = 7;

// fireSpread's totals, f64[SUMMARY_LENGTH].
export const SUMMARY_POPPED = 0;
export const SUMMARY_LAST_TIME = 1;
export const SUMMARY_NON_FINITE = 2;
export const SUMMARY_LENGTH = 3;

// fireSpread's arguments, one f64 slot each, written by the host (models/fire/kernel.ts) and read
// once on entry: counts, flags and wasm pointers are whole numbers, exact in an f64. Replaces 45
// positional arguments whose order each side kept by hand; what each region holds is documented
// at fireSpread in assembly/fire/spread.ts.
export const ARG_NROWS = 0;
export const ARG_NCOLS = 1;
export const ARG_BED_INDEX = 2;
export const ARG_N_BEDS = 3;
export const ARG_BEDS = 4;
export const ARG_SLOPE_X = 5;
export const ARG_SLOPE_Y = 6;
export const ARG_BED_PHI_W = 7;
export const ARG_N_WIND = 8;
export const ARG_WIND_T = 9;
export const ARG_WIND_SPEED = 10; // f64[nWind]: midflame wind (m/s), the scenario's 10 m wind × the adjustment factor
export const ARG_WIND_X = 11;
export const ARG_WIND_Y = 12;
export const ARG_WIND_LIMIT = 13;
export const ARG_N_STENCIL = 14;
export const ARG_STENCIL_DR = 15;
export const ARG_STENCIL_DC = 16;
export const ARG_STENCIL_DIST = 17;
export const ARG_STENCIL_UX = 18;
export const ARG_STENCIL_UY = 19;
export const ARG_CROSS_START = 20;
export const ARG_CROSS_DR = 21;
export const ARG_CROSS_DC = 22;
export const ARG_REACH = 23;
export const ARG_STRIP_SHIFT = 24;
export const ARG_STRIP_JUMP = 25;
export const ARG_N_IGNITION = 26;
export const ARG_IGNITION_CELL = 27;
export const ARG_IGNITION_T = 28;
export const ARG_DURATION = 29;
export const ARG_RECORDS = 30;
export const ARG_BOUNDS = 31;
export const ARG_HEAP_CELL = 32;
export const ARG_HEAP_KEY = 33;
export const ARG_HEAP_SLOT = 34;
export const ARG_SUMMARY = 35;
export const ARG_ARRIVAL_OUT = 36;
export const ARG_HEAD_OUT = 37;
export const ARG_OPEN_BITS = 38;
export const ARG_BLOCKED_BITS = 39;
export const ARG_BIT_STRIDE = 40;
export const ARG_WINDOW_DIRS = 41;
export const ARG_ROW_MASKS = 42;
export const ARG_PENDING = 43;
export const ARG_STEP_OFFSETS = 44;
export const ARG_LENGTH = 45;
