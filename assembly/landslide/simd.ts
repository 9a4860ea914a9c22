// Iverson's R for two depths at once, one per f64x2 lane. Every lane runs exactly the scalar
// operations of special.ts / iverson.ts (IEEE add, mul, div, sqrt and floor are exact per lane), so
// a pair gives the scalar results bit for bit. Pairs whose lanes fall in different branches of
// Cody's erfc, or near exp's underflow, are left to the scalar code (`unitResponsePair` reports
// that by returning false).
import { INV_SQRT_PI } from './special';

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/** Above this η, exp(−η²) needs the scalar code's two-step scaling; let the scalar code do it. */
const SIMD_ETA_LIMIT: f64 = 26.0;
const SMALL: i32 = 0;
const MIDDLE: i32 = 1;
const LARGE: i32 = 2;

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

@inline function expMinusSquarePair(y: v128): v128 {
  const ysq = f64x2.div(f64x2.floor(f64x2.mul(y, f64x2.splat(16.0))), f64x2.splat(16.0));
  const del = f64x2.mul(f64x2.sub(y, ysq), f64x2.add(y, ysq));
  return f64x2.mul(expPair(f64x2.neg(f64x2.mul(ysq, ysq))), expPair(f64x2.neg(del)));
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

@inline function region(eta: f64): i32 {
  return eta <= 0.46875 ? SMALL : eta <= 4.0 ? MIDDLE : LARGE;
}

/**
 * Infinite-depth unit responses z·R(t*) at depths z0 and z1 for one lag (lag > 0), stored as two
 * f64 at `into`: true, or false (nothing stored) when the lanes need different code paths.
 */
export function unitResponsePair(z0: f64, z1: f64, lag: f64, fourD1: f64, into: usize): bool {
  const z = f64x2(z0, z1);
  const tStar = f64x2.div(f64x2.splat(fourD1 * lag), f64x2.mul(z, z));
  const s = f64x2.sqrt(tStar);
  const eta = f64x2.div(f64x2.splat(1.0), s);
  const eta0 = f64x2.extract_lane(eta, 0);
  const eta1 = f64x2.extract_lane(eta, 1);
  if (!(f64x2.extract_lane(tStar, 0) > 0.0 && f64x2.extract_lane(tStar, 1) > 0.0)) return false;
  if (!(eta0 < SIMD_ETA_LIMIT && eta1 < SIMD_ETA_LIMIT)) return false;
  const which = region(eta0);
  if (which != region(eta1)) return false;
  let gaussian: v128;
  let erfc: v128;
  if (which == SMALL) {
    gaussian = expPair(f64x2.neg(f64x2.mul(eta, eta)));
    erfc = f64x2.sub(f64x2.splat(1.0), erfSmallPair(eta));
  } else {
    gaussian = expMinusSquarePair(eta);
    erfc = f64x2.mul(gaussian, which == MIDDLE ? middleRationalPair(eta) : largeRationalPair(eta));
  }
  const r = f64x2.sub(f64x2.mul(f64x2.mul(s, f64x2.splat(INV_SQRT_PI)), gaussian), erfc);
  v128.store(into, f64x2.mul(z, r));
  return true;
}
