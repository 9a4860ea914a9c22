// Transcendental functions for the host. JavaScript's Math.exp, Math.sin, … differ in the last bits
// between V8 versions (Node and the browser disagree), so results computed on the host use these:
// AssemblyScript's own libm (a musl port) compiled into this module, the same bits everywhere.
export function mathExp(x: f64): f64 { return Math.exp(x); }
export function mathLog(x: f64): f64 { return Math.log(x); }
export function mathLog10(x: f64): f64 { return Math.log10(x); }
export function mathPow(x: f64, y: f64): f64 { return Math.pow(x, y); }
export function mathSin(x: f64): f64 { return Math.sin(x); }
export function mathCos(x: f64): f64 { return Math.cos(x); }
export function mathTan(x: f64): f64 { return Math.tan(x); }
export function mathAsin(x: f64): f64 { return Math.asin(x); }
export function mathAtan(x: f64): f64 { return Math.atan(x); }
export function mathAtan2(y: f64, x: f64): f64 { return Math.atan2(y, x); }
export function mathSinh(x: f64): f64 { return Math.sinh(x); }
export function mathCosh(x: f64): f64 { return Math.cosh(x); }
export function mathAtanh(x: f64): f64 { return Math.atanh(x); }
