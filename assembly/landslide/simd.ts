// Iverson's R for two lags of one depth at once, one per f64x2 lane. Every lane runs exactly the
// scalar operations of special.ts / iverson.ts (IEEE add, mul, div, sqrt and floor are exact per
// lane), so a pair gives the scalar results bit for bit. η = 1/√t* falls as the lag grows, so the
// lags of one depth split into runs that all take one branch of Cody's erfc: each run is a
// branch-free loop here, and only the earliest lags (η ≥ 26, where exp(−η²) would need the scalar
// code's subnormal scaling) are left to the scalar code.
//
// Every constant is read from wasm memory with v128.load64_splat (one instruction) rather than
// written as f64x2.splat(c): V8 does not hoist constants out of loops and rematerialises each
// v128 constant in every iteration with three or four instructions (movq r, imm64; vmovq;
// vpunpcklqdq), which doubled the instructions of these loops against gcc's memory operands.
import { expD, INV_SQRT_PI } from './special';

/** From this η on, exp(−η²) needs the scalar code's two-step scaling; the scalar code does it. */
export const SIMD_ETA_LIMIT: f64 = 26.0;
/** Cody's interval bounds: erfc(η) = 1 − erf(η) up to the first, a rational in η to the second. */
export const SMALL_ETA_MAX: f64 = 0.46875;
export const MIDDLE_ETA_MAX: f64 = 4.0;

// 1.5·2^52 + 1023: adding it to an integer-valued k (|k| < 2^51) is exact and leaves k + 1023 in
// the low bits, so shifting those bits left by 52 gives 2^k without a float-to-int conversion
// (V8 wraps i32x4.trunc_sat_f64x2_s_zero in a NaN-clearing sequence of five instructions).
const EXPONENT_MAGIC: f64 = 6755399441056767.0;
// 1.5·2^52: k + this holds k in its low 32 bits (for 0 ≤ k < 2^31).
const INTEGER_MAGIC: f64 = 6755399441055744.0;

const EXP_CONSTANTS = memory.data<f64>([
  1.44269504088896338700e+00, 0.5, 6.93147180369123816490e-01, 1.90821492927058770002e-10, // 1/ln2, ½, ln2 hi, lo
  4.13813679705723846039e-08, -1.65339022054652515390e-06, 6.61375632143793436117e-05, // fdlibm P5 … P3
  -2.77777777770155933842e-03, 1.66666666666666019037e-01, 2.0, 1.0, EXPONENT_MAGIC, // P2, P1, 2, 1
  16.0, 0.0625, INTEGER_MAGIC, INV_SQRT_PI,
]);
const INV_LN2_AT: i32 = 0;
const HALF_AT: i32 = 1;
const LN2_HI_AT: i32 = 2;
const LN2_LO_AT: i32 = 3;
const EXP_P5_AT: i32 = 4; // then P4, P3, P2, P1
const TWO_AT: i32 = 9;
const ONE_AT: i32 = 10;
const EXPONENT_MAGIC_AT: i32 = 11;
const SIXTEEN_AT: i32 = 12;
const SIXTEENTH_AT: i32 = 13;
const INTEGER_MAGIC_AT: i32 = 14;
const INV_SQRT_PI_AT: i32 = 15;

// Cody's coefficients, in the order the Horner steps use them: the numerator's leading one, then
// numerator and denominator coefficient pairs, then the two constant terms.
const ERF_SMALL = memory.data<f64>([
  1.85777706184603153e-1,
  3.16112374387056560e00, 2.36012909523441209e01,
  1.13864154151050156e02, 2.44024637934444173e02,
  3.77485237685302021e02, 1.28261652607737228e03,
  3.20937758913846947e03, 2.84423683343917062e03,
]);
const ERFC_MIDDLE = memory.data<f64>([
  2.15311535474403846e-8,
  5.64188496988670089e-1, 1.57449261107098347e01,
  8.88314979438837594e00, 1.17693950891312499e02,
  6.61191906371416295e01, 5.37181101862009858e02,
  2.98635138197400131e02, 1.62138957456669019e03,
  8.81952221241769090e02, 3.29079923573345963e03,
  1.71204761263407058e03, 4.36261909014324716e03,
  2.05107837782607147e03, 3.43936767414372164e03,
  1.23033935479799725e03, 1.23033935480374942e03,
]);
const ERFC_LARGE = memory.data<f64>([
  1.63153871373020978e-2,
  3.05326634961232344e-1, 2.56852019228982242e00,
  3.60344899949804439e-1, 1.87295284992346047e00,
  1.25781726111229246e-1, 5.27905102951428412e-1,
  1.60837851487422766e-2, 6.05183413124413191e-2,
  6.58749161529837803e-4, 2.33520497626869185e-3,
]);

@inline function splatAt(table: usize, slot: i32): v128 {
  return v128.load64_splat(table + (<usize>slot << 3));
}

@inline function constant(slot: i32): v128 {
  return splatAt(EXP_CONSTANTS, slot);
}

// exp(−(k/16)²) for k = floor(16η), η < 26: the first factor of Cody's exp(−η²) = exp(−ysq²)·
// exp(−(η−ysq)(η+ysq)) takes only these 416 values, so it is looked up instead of evaluated. Each
// entry is the scalar expD of the same argument (ysq = k/16 exactly), hence the same bits.
const GAUSSIAN_STEPS: i32 = 416;
const gaussianTable = memory.data(8 * 416);
let gaussianTableReady: bool = false;

export function prepareGaussianTable(): void {
  if (gaussianTableReady) return;
  for (let k = 0; k < GAUSSIAN_STEPS; k++) {
    const ysq = <f64>k / 16.0;
    store<f64>(gaussianTable + (<usize>k << 3), expD(-ysq * ysq));
  }
  gaussianTableReady = true;
}

/** (acc + table[slot])·x, one Horner step with the coefficient from `table`. */
@inline function poly(acc: v128, table: usize, slot: i32, x: v128): v128 {
  return f64x2.mul(f64x2.add(acc, splatAt(table, slot)), x);
}

/** exp(x) per lane for x in [−708, 0] (no overflow, no subnormal scaling). */
@inline function expPair(x: v128): v128 {
  const k = f64x2.floor(f64x2.add(f64x2.mul(x, constant(INV_LN2_AT)), constant(HALF_AT)));
  const hi = f64x2.sub(x, f64x2.mul(k, constant(LN2_HI_AT)));
  const lo = f64x2.mul(k, constant(LN2_LO_AT));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let t = f64x2.mul(rr, constant(EXP_P5_AT));
  t = f64x2.mul(rr, f64x2.add(constant(EXP_P5_AT + 1), t));
  t = f64x2.mul(rr, f64x2.add(constant(EXP_P5_AT + 2), t));
  t = f64x2.mul(rr, f64x2.add(constant(EXP_P5_AT + 3), t));
  t = f64x2.mul(rr, f64x2.add(constant(EXP_P5_AT + 4), t));
  const c = f64x2.sub(r, t);
  const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(constant(TWO_AT), c));
  const y = f64x2.sub(constant(ONE_AT), f64x2.sub(f64x2.sub(lo, rc), hi));
  const bits = i64x2.shl(f64x2.add(k, constant(EXPONENT_MAGIC_AT)), 52);
  return f64x2.mul(y, bits);
}

/** exp(−y²) per lane for 0 ≤ y < 26, Cody's split with the first factor from the table. */
@inline function expMinusSquarePair(y: v128): v128 {
  const steps = f64x2.floor(f64x2.mul(y, constant(SIXTEEN_AT)));
  const ysq = f64x2.mul(steps, constant(SIXTEENTH_AT)); // = steps/16 exactly
  const del = f64x2.mul(f64x2.sub(y, ysq), f64x2.add(y, ysq));
  const index = f64x2.add(steps, constant(INTEGER_MAGIC_AT)); // steps in lanes 0 and 2 as i32
  let first = v128.load64_zero(gaussianTable + (<usize>i32x4.extract_lane(index, 0) << 3));
  first = v128.load64_lane(gaussianTable + (<usize>i32x4.extract_lane(index, 2) << 3), first, 1);
  return f64x2.mul(first, expPair(f64x2.neg(del)));
}

@inline function erfSmallPair(x: v128): v128 {
  const ysq = f64x2.mul(x, x);
  let num = f64x2.mul(splatAt(ERF_SMALL, 0), ysq);
  let den = ysq;
  num = poly(num, ERF_SMALL, 1, ysq);
  den = poly(den, ERF_SMALL, 2, ysq);
  num = poly(num, ERF_SMALL, 3, ysq);
  den = poly(den, ERF_SMALL, 4, ysq);
  num = poly(num, ERF_SMALL, 5, ysq);
  den = poly(den, ERF_SMALL, 6, ysq);
  return f64x2.div(f64x2.mul(x, f64x2.add(num, splatAt(ERF_SMALL, 7))), f64x2.add(den, splatAt(ERF_SMALL, 8)));
}

@inline function middleRationalPair(y: v128): v128 {
  let num = f64x2.mul(splatAt(ERFC_MIDDLE, 0), y);
  let den = y;
  num = poly(num, ERFC_MIDDLE, 1, y);
  den = poly(den, ERFC_MIDDLE, 2, y);
  num = poly(num, ERFC_MIDDLE, 3, y);
  den = poly(den, ERFC_MIDDLE, 4, y);
  num = poly(num, ERFC_MIDDLE, 5, y);
  den = poly(den, ERFC_MIDDLE, 6, y);
  num = poly(num, ERFC_MIDDLE, 7, y);
  den = poly(den, ERFC_MIDDLE, 8, y);
  num = poly(num, ERFC_MIDDLE, 9, y);
  den = poly(den, ERFC_MIDDLE, 10, y);
  num = poly(num, ERFC_MIDDLE, 11, y);
  den = poly(den, ERFC_MIDDLE, 12, y);
  num = poly(num, ERFC_MIDDLE, 13, y);
  den = poly(den, ERFC_MIDDLE, 14, y);
  return f64x2.div(f64x2.add(num, splatAt(ERFC_MIDDLE, 15)), f64x2.add(den, splatAt(ERFC_MIDDLE, 16)));
}

@inline function largeRationalPair(y: v128): v128 {
  const ysq = f64x2.div(constant(ONE_AT), f64x2.mul(y, y));
  let num = f64x2.mul(splatAt(ERFC_LARGE, 0), ysq);
  let den = ysq;
  num = poly(num, ERFC_LARGE, 1, ysq);
  den = poly(den, ERFC_LARGE, 2, ysq);
  num = poly(num, ERFC_LARGE, 3, ysq);
  den = poly(den, ERFC_LARGE, 4, ysq);
  num = poly(num, ERFC_LARGE, 5, ysq);
  den = poly(den, ERFC_LARGE, 6, ysq);
  num = poly(num, ERFC_LARGE, 7, ysq);
  den = poly(den, ERFC_LARGE, 8, ysq);
  const tail = f64x2.div(f64x2.mul(ysq, f64x2.add(num, splatAt(ERFC_LARGE, 9))), f64x2.add(den, splatAt(ERFC_LARGE, 10)));
  return f64x2.div(f64x2.sub(constant(INV_SQRT_PI_AT), tail), y);
}

/** √t* for the lags in `lags` (per lane as the scalar code computes t* = 4D₁·(lag·Δ)/z²). */
@inline function sqrtTStar(lags: v128, period: v128, fourD1: v128, zz: v128): v128 {
  return f64x2.sqrt(f64x2.div(f64x2.mul(fourD1, f64x2.mul(lags, period)), zz));
}

/** Stores lane 0 at lag `lag` and lane 1 at lag + 1 if that is still below `to`. */
@inline function storeLags(into: usize, lag: i32, to: i32, value: v128): void {
  const at = into + (<usize>lag << 4);
  v128.store64_lane(at, value, 0);
  if (lag + 1 < to) v128.store64_lane(at, value, 1, 16);
}

/** z·R(t*) = z·(√t*·exp(−η²)/√π − erfc(η)) from its parts, per lane in the scalar order. */
@inline function response(z: v128, s: v128, gaussian: v128, erfc: v128): v128 {
  return f64x2.mul(z, f64x2.sub(f64x2.mul(f64x2.mul(s, constant(INV_SQRT_PI_AT)), gaussian), erfc));
}

// The loops below walk two lags per pair as a vector of lag numbers (whole numbers, so adding 2 is
// exact). On an odd run the last pair's second lane is lag `to`, whose η is still inside the
// interval's table range; it is computed and not stored.

/**
 * Infinite-depth unit responses z·R(t*) at depth z for lags from … to−1, all with η ≤ 0.46875,
 * stored at into + lag·16 (the caller's lane of its depth pair).
 */
export function smallEtaResponses(into: usize, from: i32, to: i32, period: f64, fourD1: f64, z: f64): void {
  const zv = f64x2.splat(z);
  const zz = f64x2.splat(z * z);
  const d = f64x2.splat(fourD1);
  const p = f64x2.splat(period);
  let lags = f64x2(<f64>from, <f64>(from + 1));
  let s = sqrtTStar(lags, p, d, zz);
  let eta = f64x2.div(constant(ONE_AT), s);
  for (let lag = from; lag < to; lag += 2) {
    // The next pair's √t* and η (a division, a root and a division in a row) start before this
    // pair's exp and rational, so the out-of-order core overlaps them.
    lags = f64x2.add(lags, constant(TWO_AT));
    const sNext = sqrtTStar(lags, p, d, zz);
    const etaNext = f64x2.div(constant(ONE_AT), sNext);
    const gaussian = expPair(f64x2.neg(f64x2.mul(eta, eta)));
    const erfc = f64x2.sub(constant(ONE_AT), erfSmallPair(eta));
    storeLags(into, lag, to, response(zv, s, gaussian, erfc));
    s = sNext;
    eta = etaNext;
  }
}

/** As smallEtaResponses, for lags with 0.46875 < η ≤ 4. */
export function middleEtaResponses(into: usize, from: i32, to: i32, period: f64, fourD1: f64, z: f64): void {
  const zv = f64x2.splat(z);
  const zz = f64x2.splat(z * z);
  const d = f64x2.splat(fourD1);
  const p = f64x2.splat(period);
  let lags = f64x2(<f64>from, <f64>(from + 1));
  let s = sqrtTStar(lags, p, d, zz);
  let eta = f64x2.div(constant(ONE_AT), s);
  for (let lag = from; lag < to; lag += 2) {
    // The next pair's √t* and η (a division, a root and a division in a row) start before this
    // pair's exp and rational, so the out-of-order core overlaps them.
    lags = f64x2.add(lags, constant(TWO_AT));
    const sNext = sqrtTStar(lags, p, d, zz);
    const etaNext = f64x2.div(constant(ONE_AT), sNext);
    const gaussian = expMinusSquarePair(eta);
    storeLags(into, lag, to, response(zv, s, gaussian, f64x2.mul(gaussian, middleRationalPair(eta))));
    s = sNext;
    eta = etaNext;
  }
}

/** As smallEtaResponses, for lags with 4 < η < 26. */
export function largeEtaResponses(into: usize, from: i32, to: i32, period: f64, fourD1: f64, z: f64): void {
  const zv = f64x2.splat(z);
  const zz = f64x2.splat(z * z);
  const d = f64x2.splat(fourD1);
  const p = f64x2.splat(period);
  let lags = f64x2(<f64>from, <f64>(from + 1));
  let s = sqrtTStar(lags, p, d, zz);
  let eta = f64x2.div(constant(ONE_AT), s);
  for (let lag = from; lag < to; lag += 2) {
    // The next pair's √t* and η (a division, a root and a division in a row) start before this
    // pair's exp and rational, so the out-of-order core overlaps them.
    lags = f64x2.add(lags, constant(TWO_AT));
    const sNext = sqrtTStar(lags, p, d, zz);
    const etaNext = f64x2.div(constant(ONE_AT), sNext);
    const gaussian = expMinusSquarePair(eta);
    storeLags(into, lag, to, response(zv, s, gaussian, f64x2.mul(gaussian, largeRationalPair(eta))));
    s = sNext;
    eta = etaNext;
  }
}
