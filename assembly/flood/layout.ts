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
