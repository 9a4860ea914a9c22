// The one wasm module: every model's kernels, plus raw memory for the host.
export { alloc, free } from "./memory";
export { mathExp, mathLog, mathLog10, mathPow, mathSin, mathCos, mathTan, mathAsin, mathAtan, mathAtan2, mathSinh, mathCosh, mathAtanh } from "./math";
export { routeMuskingumNetwork } from "./flood/muskingum";
export { routeMixedNetwork } from "./flood/network";
export { runXinanjiang } from "./flood/xinanjiang";
export { riskAdvance } from "./risklist/grade";
export { fireBehavior, fireBeds, fireBehaviorFromBeds } from "./fire/rothermel";
export { fireSpread } from "./fire/spread";
export { landslideDirect, landslideLagged, iversonR, unitResponse } from "./landslide/iverson";
export { erfcD, expD } from "./landslide/special";
export { regionFill, regionFillStats, regionFlowDirections, regionAccumulation, regionHand, regionLabelDownstream, regionSlopeAspect } from "./region/terrain";
