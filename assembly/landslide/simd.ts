// Iverson's R for two lags of one depth at once, one per f64x2 lane. Every lane runs exactly the
// scalar operations of special.ts / iverson.ts (IEEE add, mul, div, sqrt and floor are exact per
// lane), so a pair gives the scalar results bit for bit. η = 1/√t* falls as the lag grows, so the
// lags of one depth split into runs that all take one branch of Cody's erfc: each run is a
// branch-free loop here, and only the earliest lags (η ≥ 26, where exp(−η²) would need the scalar
// code's subnormal scaling) are left to the scalar code.
import { expD, INV_SQRT_PI } from './special';

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/** From this η on, exp(−η²) needs the scalar code's two-step scaling; the scalar code does it. */
export const SIMD_ETA_LIMIT: f64 = 26.0;
/** Cody's interval bounds: erfc(η) = 1 − erf(η) up to the first, a rational in η to the second. */
export const SMALL_ETA_MAX: f64 = 0.46875;
export const MIDDLE_ETA_MAX: f64 = 4.0;

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

@inline function poly(acc: v128, c: f64, x: v128): v128 {
  return f64x2.mul(f64x2.add(acc, f64x2.splat(c)), x);
}

/** exp(x) per lane for x in [−708, 0] (no overflow, no subnormal scaling). */
@inline function expPair(x: v128): v128 {
  const k = f64x2.floor(f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), f64x2.splat(0.5)));
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let t = f64x2.mul(rr, f64x2.splat(4.13813679705723846039e-08));
  t = f64x2.mul(rr, f64x2.add(f64x2.splat(-1.65339022054652515390e-06), t));
  t = f64x2.mul(rr, f64x2.add(f64x2.splat(6.61375632143793436117e-05), t));
  t = f64x2.mul(rr, f64x2.add(f64x2.splat(-2.77777777770155933842e-03), t));
  t = f64x2.mul(rr, f64x2.add(f64x2.splat(1.66666666666666019037e-01), t));
  const c = f64x2.sub(r, t);
  const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, rc), hi));
  const bits = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k)), i64x2.splat(1023)), 52);
  return f64x2.mul(y, bits);
}

/** exp(−y²) per lane for 0 ≤ y < 26, Cody's split with the first factor from the table. */
@inline function expMinusSquarePair(y: v128): v128 {
  const steps = f64x2.floor(f64x2.mul(y, f64x2.splat(16.0)));
  const ysq = f64x2.mul(steps, f64x2.splat(0.0625)); // = steps/16 exactly
  const del = f64x2.mul(f64x2.sub(y, ysq), f64x2.add(y, ysq));
  const index = i32x4.trunc_sat_f64x2_s_zero(steps);
  let first = v128.load64_zero(gaussianTable + (<usize>i32x4.extract_lane(index, 0) << 3));
  first = v128.load64_lane(gaussianTable + (<usize>i32x4.extract_lane(index, 1) << 3), first, 1);
  return f64x2.mul(first, expPair(f64x2.neg(del)));
}

@inline function erfSmallPair(x: v128): v128 {
  const ysq = f64x2.mul(x, x);
  let num = f64x2.mul(f64x2.splat(1.85777706184603153e-1), ysq);
  let den = ysq;
  num = poly(num, 3.16112374387056560e00, ysq);
  den = poly(den, 2.36012909523441209e01, ysq);
  num = poly(num, 1.13864154151050156e02, ysq);
  den = poly(den, 2.44024637934444173e02, ysq);
  num = poly(num, 3.77485237685302021e02, ysq);
  den = poly(den, 1.28261652607737228e03, ysq);
  return f64x2.div(f64x2.mul(x, f64x2.add(num, f64x2.splat(3.20937758913846947e03))), f64x2.add(den, f64x2.splat(2.84423683343917062e03)));
}

@inline function middleRationalPair(y: v128): v128 {
  let num = f64x2.mul(f64x2.splat(2.15311535474403846e-8), y);
  let den = y;
  num = poly(num, 5.64188496988670089e-1, y);
  den = poly(den, 1.57449261107098347e01, y);
  num = poly(num, 8.88314979438837594e00, y);
  den = poly(den, 1.17693950891312499e02, y);
  num = poly(num, 6.61191906371416295e01, y);
  den = poly(den, 5.37181101862009858e02, y);
  num = poly(num, 2.98635138197400131e02, y);
  den = poly(den, 1.62138957456669019e03, y);
  num = poly(num, 8.81952221241769090e02, y);
  den = poly(den, 3.29079923573345963e03, y);
  num = poly(num, 1.71204761263407058e03, y);
  den = poly(den, 4.36261909014324716e03, y);
  num = poly(num, 2.05107837782607147e03, y);
  den = poly(den, 3.43936767414372164e03, y);
  return f64x2.div(f64x2.add(num, f64x2.splat(1.23033935479799725e03)), f64x2.add(den, f64x2.splat(1.23033935480374942e03)));
}

@inline function largeRationalPair(y: v128): v128 {
  const ysq = f64x2.div(f64x2.splat(1.0), f64x2.mul(y, y));
  let num = f64x2.mul(f64x2.splat(1.63153871373020978e-2), ysq);
  let den = ysq;
  num = poly(num, 3.05326634961232344e-1, ysq);
  den = poly(den, 2.56852019228982242e00, ysq);
  num = poly(num, 3.60344899949804439e-1, ysq);
  den = poly(den, 1.87295284992346047e00, ysq);
  num = poly(num, 1.25781726111229246e-1, ysq);
  den = poly(den, 5.27905102951428412e-1, ysq);
  num = poly(num, 1.60837851487422766e-2, ysq);
  den = poly(den, 6.05183413124413191e-2, ysq);
  const tail = f64x2.div(f64x2.mul(ysq, f64x2.add(num, f64x2.splat(6.58749161529837803e-4))), f64x2.add(den, f64x2.splat(2.33520497626869185e-3)));
  return f64x2.div(f64x2.sub(f64x2.splat(INV_SQRT_PI), tail), y);
}

/** t*, √t* and η = 1/√t* for lags `lag` and `second` (per lane as the scalar code computes them). */
@inline function lagPair(lag: i32, second: i32, period: f64, fourD1: v128, zz: v128): v128 {
  const lagTime = f64x2.mul(f64x2.replace_lane(f64x2.splat(<f64>lag), 1, <f64>second), f64x2.splat(period));
  return f64x2.div(f64x2.mul(fourD1, lagTime), zz);
}

/** Stores lane 0 at lag `lag` and lane 1 at lag `second` (if another lag). */
@inline function storeLags(into: usize, lag: i32, second: i32, value: v128): void {
  v128.store64_lane(into + (<usize>lag << 4), value, 0);
  if (second != lag) v128.store64_lane(into + (<usize>second << 4), value, 1);
}

/** z·R(t*) = z·(√t*·exp(−η²)/√π − erfc(η)) from its parts, per lane in the scalar order. */
@inline function response(z: v128, s: v128, gaussian: v128, erfc: v128): v128 {
  return f64x2.mul(z, f64x2.sub(f64x2.mul(f64x2.mul(s, f64x2.splat(INV_SQRT_PI)), gaussian), erfc));
}

/**
 * Infinite-depth unit responses z·R(t*) at depth z for lags from … to−1, all with η ≤ 0.46875,
 * stored at into + lag·16 (the caller's lane of its depth pair).
 */
export function smallEtaResponses(into: usize, from: i32, to: i32, period: f64, fourD1: f64, z: f64): void {
  const zv = f64x2.splat(z);
  const zz = f64x2.splat(z * z);
  const d = f64x2.splat(fourD1);
  for (let lag = from; lag < to; lag += 2) {
    const second = lag + 1 < to ? lag + 1 : lag;
    const s = f64x2.sqrt(lagPair(lag, second, period, d, zz));
    const eta = f64x2.div(f64x2.splat(1.0), s);
    const gaussian = expPair(f64x2.neg(f64x2.mul(eta, eta)));
    const erfc = f64x2.sub(f64x2.splat(1.0), erfSmallPair(eta));
    storeLags(into, lag, second, response(zv, s, gaussian, erfc));
  }
}

/** As smallEtaResponses, for lags with 0.46875 < η ≤ 4. */
export function middleEtaResponses(into: usize, from: i32, to: i32, period: f64, fourD1: f64, z: f64): void {
  const zv = f64x2.splat(z);
  const zz = f64x2.splat(z * z);
  const d = f64x2.splat(fourD1);
  for (let lag = from; lag < to; lag += 2) {
    const second = lag + 1 < to ? lag + 1 : lag;
    const s = f64x2.sqrt(lagPair(lag, second, period, d, zz));
    const eta = f64x2.div(f64x2.splat(1.0), s);
    const gaussian = expMinusSquarePair(eta);
    storeLags(into, lag, second, response(zv, s, gaussian, f64x2.mul(gaussian, middleRationalPair(eta))));
  }
}

/** As smallEtaResponses, for lags with 4 < η < 26. */
export function largeEtaResponses(into: usize, from: i32, to: i32, period: f64, fourD1: f64, z: f64): void {
  const zv = f64x2.splat(z);
  const zz = f64x2.splat(z * z);
  const d = f64x2.splat(fourD1);
  for (let lag = from; lag < to; lag += 2) {
    const second = lag + 1 < to ? lag + 1 : lag;
    const s = f64x2.sqrt(lagPair(lag, second, period, d, zz));
    const eta = f64x2.div(f64x2.splat(1.0), s);
    const gaussian = expMinusSquarePair(eta);
    storeLags(into, lag, second, response(zv, s, gaussian, f64x2.mul(gaussian, largeRationalPair(eta))));
  }
}
