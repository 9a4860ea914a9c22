// Deterministic transcendental math for the host side of the engine. V8's Math.exp, Math.sin, …
// are not bit-identical across versions (Node 20 and Chromium disagree in the last bits), which
// would make the same scenario give different results in Node and in the browser. These call the
// libm compiled into the kernel module instead; sqrt, hypot and arithmetic are exact everywhere.
//
// The kernels install it when they load (models/wasm.ts); before that every call throws, so a
// result never silently falls back to the platform's Math.

export interface MathExports {
  mathExp(x: number): number; mathLog(x: number): number; mathLog10(x: number): number; mathPow(x: number, y: number): number;
  mathSin(x: number): number; mathCos(x: number): number; mathTan(x: number): number; mathAsin(x: number): number;
  mathAtan(x: number): number; mathAtan2(y: number, x: number): number;
  mathSinh(x: number): number; mathCosh(x: number): number; mathAtanh(x: number): number;
}

let impl: MathExports | undefined;

export function installDeterministicMath(exports: MathExports): void {
  impl = exports;
}

function use(): MathExports {
  if (!impl) throw new Error('deterministic math is not installed: load the kernels first (models/wasm.ts)');
  return impl;
}

export const dmath = {
  exp: (x: number) => use().mathExp(x),
  log: (x: number) => use().mathLog(x),
  log10: (x: number) => use().mathLog10(x),
  pow: (x: number, y: number) => use().mathPow(x, y),
  sin: (x: number) => use().mathSin(x),
  cos: (x: number) => use().mathCos(x),
  tan: (x: number) => use().mathTan(x),
  asin: (x: number) => use().mathAsin(x),
  atan: (x: number) => use().mathAtan(x),
  atan2: (y: number, x: number) => use().mathAtan2(y, x),
  sinh: (x: number) => use().mathSinh(x),
  cosh: (x: number) => use().mathCosh(x),
  atanh: (x: number) => use().mathAtanh(x),
};
