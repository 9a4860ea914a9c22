// The one wasm module: every model's kernels, plus raw memory for the host.
export { alloc, free } from "./memory";
export { routeMuskingumNetwork } from "./flood/muskingum";
