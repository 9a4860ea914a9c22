// Memory layout shared by the flood kernels (assembly/flood/muskingum.ts, network.ts,
// xinanjiang.ts), their host (models/flood/) and, checked by test/engine/layout.test.ts, the C
// yardsticks (benchmarks/flood/*.c). Plain number literals so that both asc (which infers i32)
// and tsc accept the file: change a slot here and every side follows.

// routeMixedNetwork: the method of each segment, i32[segments].
export const METHOD_LINEAR = 0;
export const METHOD_MCT = 1;
export const METHOD_KINEMATIC = 2;
export const METHOD_DIFFUSIVE = 3;

// One segment's params and state, f64 each. The kernel walks both with one record size, so the
// two strides must stay equal (the layout test checks it).
export const PARAMS_PER_SEGMENT = 8;
export const STATE_PER_SEGMENT = 8;

// Param slots of a linear segment.
export const P_C0 = 0;
export const P_C1 = 1;
export const P_C2 = 2;
export const P_K = 3;
export const P_X = 4;
// Param slots of a channel segment (MCT, kinematic).
export const P_DX = 0;
export const P_SLOPE = 1;
export const P_WIDTH = 2;
export const P_SIDE = 3;
export const P_PERIMETER = 4;
export const P_RESISTANCE = 5;
export const P_REFERENCE = 6; // 0 = variable parameters
// Param slots of a diffusive segment (P_DX is the cell Δx).
export const P_CELERITY = 1;
export const P_DIFFUSIVITY = 2;
export const P_AREA_OFFSET = 3; // A_ref − Q_ref/c
export const P_CELLS = 4;
export const P_SUBSTEPS = 5;
export const P_NODES = 6; // first node in `nodes`

// State slots.
export const S_INFLOW = 0;
export const S_OUTFLOW = 1;
export const S_COURANT = 2;
export const S_REYNOLDS = 3;
export const S_DEPTH = 4;
export const S_PEAK = 5;
export const S_PENDING = 6;
export const S_DEPTH_DISCHARGE = 7; // the reference discharge S_DEPTH was solved for
export const S_LAG = 2; // diffusive: outflow volume of its sub-steps minus the network's trapezoid

// routeMuskingumNetwork: C0, C1, C2 of each reach, interleaved, f64 each.
export const COEFFICIENTS_PER_REACH = 3;

// routeMuskingumNetwork's totals, f64[SUMMARY_LENGTH].
export const SUMMARY_OUTLET_VOLUME = 0; // m³ leaving the network through outlets (trapezoid rule)
export const SUMMARY_MIN_OUTFLOW = 1; // smallest outflow of any reach at any step
export const SUMMARY_NEGATIVE_COUNT = 2; // reach-steps with outflow < 0
export const SUMMARY_NONFINITE_COUNT = 3; // reach-steps with NaN or infinite outflow
export const SUMMARY_LENGTH = 4;

// routeMixedNetwork's totals, f64[MIXED_SUMMARY_LENGTH].
export const MIXED_OUTLET_VOLUME = 0;
export const MIXED_MIN_OUTFLOW = 1;
export const MIXED_NEGATIVE_COUNT = 2;
export const MIXED_NONFINITE_COUNT = 3;
export const MIXED_INITIAL_STORAGE = 4;
export const MIXED_FINAL_STORAGE = 5;
export const MIXED_DEPTH_FAILURES = 6;
export const MIXED_SUMMARY_LENGTH = 8;

// runXinanjiang: f64 per basin (params, state) and per basin-step (outputs).
export const XINANJIANG_PARAMS = 16;
export const XINANJIANG_STATE = 8;
export const XINANJIANG_OUTPUTS = 5;

// The routing kernels' arguments, one f64 slot each, written by the host (models/flood/kernel.ts)
// and read once on entry: counts and wasm pointers are whole numbers, exact in an f64. Replaces
// 20–23 positional arguments whose order each side kept by hand. Slots up to ARG_SUMMARY serve both
// kernels; the next seven routeMuskingumNetwork only, the last four routeMixedNetwork only.
export const ARG_REACHES = 0; // reaches (routeMuskingumNetwork) or segments (routeMixedNetwork)
export const ARG_STEPS = 1;
export const ARG_DT = 2; // (s)
export const ARG_DOWNSTREAM = 3; // i32[reaches], −1 = outlet
export const ARG_BOUNDARY_COUNT = 4;
export const ARG_BOUNDARY_REACH = 5; // i32[boundaryCount]
export const ARG_BOUNDARY = 6; // f64[boundaryCount·(steps + 1)]
export const ARG_LATERAL_COUNT = 7;
export const ARG_LATERAL_REACH = 8; // i32[lateralCount]
export const ARG_LATERAL = 9; // f64[lateralCount·(steps + 1)]
export const ARG_INITIAL_OUTFLOW = 10; // f64[reaches]
export const ARG_RECORD_COUNT = 11;
export const ARG_RECORD_REACH = 12; // i32[recordCount]
export const ARG_RECORDED = 13; // (out) f64[(steps + 1)·recordCount]
export const ARG_PEAK_STEP = 14; // (out) i32[reaches]
export const ARG_SUMMARY = 15; // (out) f64[SUMMARY_LENGTH or MIXED_SUMMARY_LENGTH]
export const ARG_COEFFICIENTS = 16; // f64[3·reaches]: C0, C1, C2
export const ARG_INFLOW = 17; // (out) f64[reaches]
export const ARG_OUTFLOW = 18; // (out) f64[reaches]
export const ARG_PENDING = 19; // scratch: (reaches + 1) rows of the tile's inflows
export const ARG_TILE_STEPS = 20; // steps per pass
export const ARG_RECORD_SLOT = 21; // scratch i32[reaches]
export const ARG_PEAK = 22; // (out) f64[reaches]
export const ARG_METHOD = 23; // i32[segments], METHOD_*
export const ARG_PARAMS = 24; // f64[segments·PARAMS_PER_SEGMENT]
export const ARG_STATE = 25; // (out) f64[segments·STATE_PER_SEGMENT]
export const ARG_NODES = 26; // diffusive segments' node storage
export const ARG_LENGTH = 27;
