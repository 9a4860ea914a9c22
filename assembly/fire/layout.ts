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
