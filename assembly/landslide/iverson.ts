// Over ~400 lines on purpose: the two evaluation orders (direct, lagged) must add the same terms in
// the same order to agree bit for bit, so they sit side by side; special functions are in
// ./special.ts and the SIMD response tables in ./simd.ts.
//
// Transient infiltration (Iverson 2000) and the infinite-slope factor of safety, as USGS TRIGRS 2.1
// computes them (Baum, Savage & Godt 2008), per cell and depth:
//
//   ψ(Z,t) = β(Z − d) + Σ_n rik_n [F(Z, t − t_n) − F(Z, t − t_{n+1})],  F(Z, τ ≤ 0) = 0
//   β = cos²δ − I_ZLT/Ks,  rik_n = min(I_n/Ks, 1),  ψ ≤ βZ (the β line)
//   infinite depth: F = Z·R(t*), R(t*) = √(t*/π)·exp(−1/t*) − erfc(1/√t*), t* = 4D₀τ/(cos²δ·Z²)
//   finite depth (impermeable base at L): while D₁τ/L² < 0.2 (D₁ = D₀/cos²δ) the method of images,
//     F = w Σ_m [ierfc((2(m−1)L + Z)/w) + ierfc((2mL − Z)/w)], w = √(4D₁τ), summed until a term no
//     longer changes the sum; from 0.2 on the Fourier series of the same slab problem,
//     F = D₁τ/L + x²/2L − L/6 − (2L/π²) Σₙ (−1)ⁿ/n² exp(−n²π²D₁τ/L²) cos(nπx/L), x = L − Z,
//     which needs a handful of terms where the image series would need dozens.
//   FS = tanφ/tanδ + (c − max(ψ,0)·γw·tanφ)/(γs·Z·sinδ·cosδ), capped at 10.
//
// The sum over periods is a superposition of one linear response, so a storm split into shorter
// periods of the same intensity gives the same ψ (TRIGRS 2.1's finite-depth code adds its late-time
// term once per finished period and does not; this kernel has no such term).
//
// Two evaluation orders with identical results: `landslideDirect` evaluates F for every period
// and output time (periods of any length); `landslideLagged`, for periods of one length Δ and output
// times on multiples of Δ, evaluates F once per lag kΔ and convolves. Both add the same terms in
// the same order, so they agree bit for bit.
//
// Memory (host-allocated; the pointers and counts come in one argument block, ARG_* in layout.ts):
//   cells      f64[cellCount·CELL_STRIDE]  per-cell coefficients (CELL_* below), NaN = NODATA
//   boundaries f64[periodCount+1]          period start times t_n (s), boundaries[0] = 0
//   intensity  f64[periodCount]            rain I_n (m/s), the same for every cell (intensityStride 0),
//              or f64[cellCount·periodCount] one series per cell (intensityStride = periodCount)
//   times      f64[timeCount]              output times (s), increasing
//   depths     f64[depthCount]             depths Z (m), or fractions of L when depthsAreFractions
//   fsMin, zAtFsMin f64[cellCount·timeCount]             (out) NaN where NODATA
//   pressureHead, fsAtDepth f64[cellCount·timeCount·depthCount] (out; pointer 0 = not wanted)
//   firstFailure f64[cellCount]            (out) first output time with FS < 1, NaN if none
//   rik        f64[periodCount]            scratch
//   lagResponse f64[2·(maxLag+1)]          scratch (lagged only): two depths' responses per lag
//   summary    f64[SUMMARY_LENGTH]         (out)
import { f64At, i32Arg, pointerArg, setF64 } from "../memory";
import {
  ARG_BASAL, ARG_BOUNDARIES, ARG_CELL_COUNT, ARG_CELLS, ARG_DEPTH_COUNT, ARG_DEPTHS, ARG_DEPTHS_ARE_FRACTIONS, ARG_FIRST_FAILURE, ARG_FS_AT_DEPTH,
  ARG_FS_MIN, ARG_INTENSITY, ARG_INTENSITY_STRIDE, ARG_LAG_RESPONSE, ARG_PERIOD, ARG_PERIOD_COUNT, ARG_PRESSURE_HEAD, ARG_RIK, ARG_SUMMARY,
  ARG_TIME_COUNT, ARG_TIME_STEPS, ARG_TIMES, ARG_Z_AT_FS_MIN,
} from "./layout";
import { BASAL_INFINITE, CELL_BETA, CELL_COHESION, CELL_FOUR_D1, CELL_FRICTION_RATIO, CELL_KS, CELL_SOIL_DEPTH, CELL_STRIDE, CELL_WATER_FRICTION, CELL_WATER_TABLE, CELL_WEIGHT_SHEAR, SUMMARY_LENGTH, SUMMARY_MAX_IMAGE_TERMS, SUMMARY_NODATA_CELLS, SUMMARY_NONFINITE_COUNT } from "./layout";
import { cosPi, erfcGivenGaussian, expD, expMinusSquare, ierfcD, INV_SQRT_PI } from './special';
import { largeEtaResponses, middleEtaResponses, MIDDLE_ETA_MAX, prepareGaussianTable, SIMD_ETA_LIMIT, SMALL_ETA_MAX, smallEtaResponses } from './simd';

export const FS_CAP: f64 = 10.0;
const MAX_IMAGE_TERMS: i32 = 100000;

/** R(t*) of Iverson (2000), 0 for t* ≤ 0. */
/** Beyond this 1/√t*, exp(−1/t*) and erfc(1/√t*) are both exactly 0 in doubles. */
const R_ZERO_BEYOND: f64 = 27.5;

/** R(t*) of Iverson (2000), 0 for t* ≤ 0; exp(−1/t*) computed once for both terms. */
export function iversonR(tStar: f64): f64 {
  if (!(tStar > 0.0)) return 0.0;
  const s = Math.sqrt(tStar);
  const eta = 1.0 / s;
  if (eta >= R_ZERO_BEYOND) return 0.0;
  // Below Cody's first break erfc needs no exp, and η² ≤ 0.22 loses nothing in one plain exp.
  const gaussian = eta <= 0.46875 ? expD(-(eta * eta)) : expMinusSquare(eta);
  return s * INV_SQRT_PI * gaussian - erfcGivenGaussian(eta, gaussian);
}

let imageTermsUsed: i32 = 0;

const FOURIER_FROM_TAU: f64 = 0.2;
const PI_SQUARED: f64 = 9.86960440108935799230e+00;
const TWO_OVER_PI_SQUARED: f64 = 2.02642367284675542887e-01;
const NEGLIGIBLE_DECAY: f64 = 1e-17;

/** Finite depth, method of images: fast while the wetting front has not felt the base much. */
function imageSeriesResponse(z: f64, lag: f64, fourD1: f64, soilDepth: f64): f64 {
  const w = Math.sqrt(fourD1 * lag);
  let sum: f64 = 0.0;
  let m: i32 = 1;
  for (; m <= MAX_IMAGE_TERMS; m++) {
    const term = ierfcD((2.0 * <f64>(m - 1) * soilDepth + z) / w) + ierfcD((2.0 * <f64>m * soilDepth - z) / w);
    const before = sum;
    sum += term;
    if (sum == before) break;
  }
  if (m > imageTermsUsed) imageTermsUsed = m;
  return w * sum;
}

/** Finite depth, Fourier series (Carslaw & Jaeger's slab, flux on top, insulated base), x = L − Z. */
function fourierResponse(z: f64, lag: f64, fourD1: f64, soilDepth: f64): f64 {
  const d1t = 0.25 * (fourD1 * lag);
  const tau = d1t / (soilDepth * soilDepth);
  const x = soilDepth - z;
  const c1 = cosPi(x / soilDepth);
  let previous: f64 = 1.0;
  let current = c1;
  let series: f64 = 0.0;
  let n: i32 = 1;
  for (; n <= MAX_IMAGE_TERMS; n++) {
    if (n > 1) {
      const next = 2.0 * c1 * current - previous;
      previous = current;
      current = next;
    }
    const nn = <f64>(n * n);
    const decay = expD(-nn * PI_SQUARED * tau);
    const term = decay * current / nn;
    series += (n & 1) == 1 ? -term : term;
    if (decay < NEGLIGIBLE_DECAY) break;
  }
  if (n > imageTermsUsed) imageTermsUsed = n;
  return d1t / soilDepth + x * x / (2.0 * soilDepth) - soilDepth / 6.0 - soilDepth * TWO_OVER_PI_SQUARED * series;
}

/** Response of ψ at depth z to a unit (rik = 1) infiltration that began `lag` seconds ago. */
export function unitResponse(z: f64, lag: f64, fourD1: f64, soilDepth: f64, basal: i32): f64 {
  if (!(lag > 0.0)) return 0.0;
  if (basal == BASAL_INFINITE) return z * iversonR(fourD1 * lag / (z * z));
  if (0.25 * (fourD1 * lag) / (soilDepth * soilDepth) >= FOURIER_FROM_TAU) return fourierResponse(z, lag, fourD1, soilDepth);
  return imageSeriesResponse(z, lag, fourD1, soilDepth);
}

/** Infinite-slope factor of safety at depth z for pressure head psi; suction does not count. */
@inline export function factorOfSafety(cell: usize, z: f64, psi: f64): f64 {
  const wet = psi > 0.0 ? psi : 0.0;
  const fs = f64At(cell, CELL_FRICTION_RATIO)
    + (f64At(cell, CELL_COHESION) - wet * f64At(cell, CELL_WATER_FRICTION)) / (f64At(cell, CELL_WEIGHT_SHEAR) * z);
  return fs > FS_CAP ? FS_CAP : fs;
}

function isNoData(cell: usize): bool {
  let sum: f64 = 0.0;
  for (let k = 0; k < CELL_STRIDE; k++) sum += f64At(cell, k);
  return sum != sum;
}

function fillRik(cell: usize, periodCount: i32, intensity: usize, rik: usize): void {
  const ks = f64At(cell, CELL_KS);
  for (let n = 0; n < periodCount; n++) {
    const r = f64At(intensity, n) / ks;
    setF64(rik, n, r > 1.0 ? 1.0 : r);
  }
}

@inline function depthOf(depths: usize, k: i32, fractions: i32, soilDepth: f64): f64 {
  const given = f64At(depths, k);
  return fractions != 0 ? given * soilDepth : given;
}

class Outputs {
  constructor(
    public timeCount: i32, public depthCount: i32,
    public fsMin: usize, public zAtFsMin: usize,
    public pressureHead: usize, public fsAtDepth: usize, public firstFailure: usize,
  ) {}
}

function markNoData(c: i32, out: Outputs): void {
  for (let j = 0; j < out.timeCount; j++) {
    const at = c * out.timeCount + j;
    setF64(out.fsMin, at, NaN);
    setF64(out.zAtFsMin, at, NaN);
    for (let k = 0; k < out.depthCount; k++) {
      if (out.pressureHead != 0) setF64(out.pressureHead, at * out.depthCount + k, NaN);
      if (out.fsAtDepth != 0) setF64(out.fsAtDepth, at * out.depthCount + k, NaN);
    }
  }
  setF64(out.firstFailure, c, NaN);
}

function resetCell(c: i32, out: Outputs): void {
  for (let j = 0; j < out.timeCount; j++) {
    setF64(out.fsMin, c * out.timeCount + j, Infinity);
    setF64(out.zAtFsMin, c * out.timeCount + j, NaN);
  }
}

/** Caps ψ at the β line, records it and its FS; returns 1 if either is not finite. */
@inline function record(
  c: i32, j: i32, k: i32, cell: usize, z: f64, psiRaw: f64, out: Outputs,
): i32 {
  const cap = f64At(cell, CELL_BETA) * z;
  const psi = psiRaw > cap ? cap : psiRaw;
  const fs = factorOfSafety(cell, z, psi);
  const at = c * out.timeCount + j;
  if (out.pressureHead != 0) setF64(out.pressureHead, at * out.depthCount + k, psi);
  if (out.fsAtDepth != 0) setF64(out.fsAtDepth, at * out.depthCount + k, fs);
  if (fs < f64At(out.fsMin, at)) {
    setF64(out.fsMin, at, fs);
    setF64(out.zAtFsMin, at, z);
  }
  return isFinite(fs) && isFinite(psi) ? 0 : 1;
}

/** Depths below the soil base have no meaning for this cell: NaN, and left out of the minimum. */
function recordBelowBase(c: i32, j: i32, k: i32, out: Outputs): void {
  const at = (c * out.timeCount + j) * out.depthCount + k;
  if (out.pressureHead != 0) setF64(out.pressureHead, at, NaN);
  if (out.fsAtDepth != 0) setF64(out.fsAtDepth, at, NaN);
}

/** Records the two depths of one SIMD pair (only the first when both lanes hold the same depth). */
@inline function recordPair(
  c: i32, j: i32, k: i32, k1: i32, cell: usize, z0: f64, z1: f64, soilDepth: f64, psi: v128, out: Outputs,
): i32 {
  let bad: i32 = 0;
  if (z0 > soilDepth) recordBelowBase(c, j, k, out);
  else bad += record(c, j, k, cell, z0, f64x2.extract_lane(psi, 0), out);
  if (k1 == k) return bad;
  if (z1 > soilDepth) recordBelowBase(c, j, k1, out);
  else bad += record(c, j, k1, cell, z1, f64x2.extract_lane(psi, 1), out);
  return bad;
}

/**
 * recordPair when both lanes are distinct depths inside the soil and no profiles are wanted: the ψ
 * cap and FS of both depths in one pair (pmin/pmax pick exactly what record's comparisons pick,
 * NaN included), then the running minimum, lane 0 before lane 1 as recordPair does. Returns how
 * many of the two have a ψ or FS that is not finite (x − x ≠ 0).
 */
@inline function recordPairInSoil(
  minAt: usize, zAt: usize, z0: f64, z1: f64, psiRaw: v128,
  cap: v128, weightShearZ: v128, frictionRatio: v128, cohesion: v128, waterFriction: v128,
): i32 {
  const psi = f64x2.pmin(psiRaw, cap);
  const wet = f64x2.pmax(f64x2.splat(0.0), psi);
  const strength = f64x2.div(f64x2.sub(cohesion, f64x2.mul(wet, waterFriction)), weightShearZ);
  const fs = f64x2.pmin(f64x2.add(frictionRatio, strength), f64x2.splat(FS_CAP));
  const fs0 = f64x2.extract_lane(fs, 0);
  const fs1 = f64x2.extract_lane(fs, 1);
  let least = load<f64>(minAt);
  if (fs0 < least) {
    least = fs0;
    store<f64>(minAt, fs0);
    store<f64>(zAt, z0);
  }
  if (fs1 < least) {
    store<f64>(minAt, fs1);
    store<f64>(zAt, z1);
  }
  const zero = f64x2.splat(0.0);
  const finite = v128.and(f64x2.eq(f64x2.sub(fs, fs), zero), f64x2.eq(f64x2.sub(psi, psi), zero));
  return 2 - popcnt<i32>(i64x2.bitmask(finite));
}

function finishCell(c: i32, times: usize, out: Outputs): void {
  let first: f64 = NaN;
  for (let j = 0; j < out.timeCount; j++) {
    const at = c * out.timeCount + j;
    const fs = f64At(out.fsMin, at);
    if (fs == Infinity) setF64(out.fsMin, at, NaN); // no depth inside the soil
    else if (fs < 1.0 && first != first) first = f64At(times, j);
  }
  setF64(out.firstFailure, c, first);
}

function directPressureHead(
  cell: usize, z: f64, t: f64, periodCount: i32, boundaries: usize, rik: usize, basal: i32,
): f64 {
  const soilDepth = f64At(cell, CELL_SOIL_DEPTH);
  const fourD1 = f64At(cell, CELL_FOUR_D1);
  let psi = f64At(cell, CELL_BETA) * (z - f64At(cell, CELL_WATER_TABLE));
  for (let n = 0; n < periodCount; n++) {
    const start = f64At(boundaries, n);
    if (!(t > start)) break;
    const r = f64At(rik, n);
    if (r == 0.0) continue;
    const response = unitResponse(z, t - start, fourD1, soilDepth, basal)
      - unitResponse(z, t - f64At(boundaries, n + 1), fourD1, soilDepth, basal);
    psi += r * response;
  }
  return psi;
}

export function landslideDirect(args: usize): void {
  const cellCount = i32Arg(args, ARG_CELL_COUNT);
  const cells = pointerArg(args, ARG_CELLS);
  const basal = i32Arg(args, ARG_BASAL);
  const periodCount = i32Arg(args, ARG_PERIOD_COUNT);
  const boundaries = pointerArg(args, ARG_BOUNDARIES);
  const intensity = pointerArg(args, ARG_INTENSITY);
  const intensityStride = i32Arg(args, ARG_INTENSITY_STRIDE);
  const timeCount = i32Arg(args, ARG_TIME_COUNT);
  const times = pointerArg(args, ARG_TIMES);
  const depthCount = i32Arg(args, ARG_DEPTH_COUNT);
  const depths = pointerArg(args, ARG_DEPTHS);
  const depthsAreFractions = i32Arg(args, ARG_DEPTHS_ARE_FRACTIONS);
  const fsMin = pointerArg(args, ARG_FS_MIN);
  const zAtFsMin = pointerArg(args, ARG_Z_AT_FS_MIN);
  const pressureHead = pointerArg(args, ARG_PRESSURE_HEAD);
  const fsAtDepth = pointerArg(args, ARG_FS_AT_DEPTH);
  const firstFailure = pointerArg(args, ARG_FIRST_FAILURE);
  const rik = pointerArg(args, ARG_RIK);
  const summary = pointerArg(args, ARG_SUMMARY);
  const out = new Outputs(timeCount, depthCount, fsMin, zAtFsMin, pressureHead, fsAtDepth, firstFailure);
  let nonFinite: i32 = 0;
  let noData: i32 = 0;
  imageTermsUsed = 0;
  for (let c = 0; c < cellCount; c++) {
    const cell = cells + (<usize>(c * CELL_STRIDE) << 3);
    if (isNoData(cell)) { markNoData(c, out); noData++; continue; }
    fillRik(cell, periodCount, intensity + (<usize>(c * intensityStride) << 3), rik);
    resetCell(c, out);
    const soilDepth = f64At(cell, CELL_SOIL_DEPTH);
    for (let k = 0; k < depthCount; k++) {
      const z = depthOf(depths, k, depthsAreFractions, soilDepth);
      for (let j = 0; j < timeCount; j++) {
        if (z > soilDepth) { recordBelowBase(c, j, k, out); continue; }
        const psi = directPressureHead(cell, z, f64At(times, j), periodCount, boundaries, rik, basal);
        nonFinite += record(c, j, k, cell, z, psi, out);
      }
    }
    finishCell(c, times, out);
  }
  setF64(summary, SUMMARY_NONFINITE_COUNT, <f64>nonFinite);
  setF64(summary, SUMMARY_NODATA_CELLS, <f64>noData);
  setF64(summary, SUMMARY_MAX_IMAGE_TERMS, <f64>imageTermsUsed);
}

/** η = 1/√t* at lag `lag` (in periods) and depth z, as iversonR computes it. */
@inline function etaAt(lag: i32, period: f64, fourD1: f64, z: f64): f64 {
  return 1.0 / Math.sqrt(fourD1 * (<f64>lag * period) / (z * z));
}

@inline function etaBelow(eta: f64, limit: f64, inclusive: bool): bool {
  return inclusive ? eta <= limit : eta < limit;
}

/**
 * The first lag in from … maxLag+1 whose η is below `limit` (≤ it when `inclusive`). η falls as
 * the lag grows (every step of etaAt rounds monotonically), so a guess from η² = z²/(4D₁·lag·Δ)
 * is stepped to the exact boundary; NaN η (no diffusion) never counts as below.
 */
function firstLagBelow(limit: f64, inclusive: bool, from: i32, maxLag: i32, period: f64, fourD1: f64, z: f64): i32 {
  let guess = Math.ceil(z * z / (fourD1 * period * limit * limit));
  if (!(guess >= <f64>from)) guess = <f64>from;
  if (guess > <f64>(maxLag + 1)) guess = <f64>(maxLag + 1);
  let lag = <i32>guess;
  while (lag > from && etaBelow(etaAt(lag - 1, period, fourD1, z), limit, inclusive)) lag--;
  while (lag <= maxLag && !etaBelow(etaAt(lag, period, fourD1, z), limit, inclusive)) lag++;
  return lag;
}

/**
 * Infinite-depth unit responses at depth z for lags 1 … maxLag into one lane (`into` + lag·16):
 * the lags of each of Cody's intervals as one SIMD run, the few with η ≥ 26 scalar.
 */
function infiniteResponses(into: usize, maxLag: i32, period: f64, fourD1: f64, z: f64): void {
  const simdFrom = firstLagBelow(SIMD_ETA_LIMIT, false, 1, maxLag, period, fourD1, z);
  const middleFrom = firstLagBelow(MIDDLE_ETA_MAX, true, simdFrom, maxLag, period, fourD1, z);
  const smallFrom = firstLagBelow(SMALL_ETA_MAX, true, middleFrom, maxLag, period, fourD1, z);
  for (let lag = 1; lag < simdFrom; lag++) {
    store<f64>(into + (<usize>lag << 4), unitResponse(z, <f64>lag * period, fourD1, 0.0, BASAL_INFINITE));
  }
  largeEtaResponses(into, simdFrom, middleFrom, period, fourD1, z);
  middleEtaResponses(into, middleFrom, smallFrom, period, fourD1, z);
  smallEtaResponses(into, smallFrom, maxLag + 1, period, fourD1, z);
}

/** Output steps j … j+7 are s0 … s0+7. */
@inline function consecutiveSteps(timeSteps: usize, j: i32, s0: i32): bool {
  const at = timeSteps + (<usize>j << 2);
  return load<i32>(at, 4) == s0 + 1 && load<i32>(at, 8) == s0 + 2 && load<i32>(at, 12) == s0 + 3
    && load<i32>(at, 16) == s0 + 4 && load<i32>(at, 20) == s0 + 5 && load<i32>(at, 24) == s0 + 6
    && load<i32>(at, 28) == s0 + 7;
}

/** p + r·lagResponse[lag] for both depths of the pair. */
@inline function addTerm(p: v128, rv: v128, lagResponse: usize, lag: i32): v128 {
  return f64x2.add(p, f64x2.mul(rv, v128.load(lagResponse + (<usize>lag << 4))));
}

/** Adds the periods from..min(step, periodCount)−1 to the pair of sums p, in period order. */
@inline function convolveTail(p: v128, step: i32, from: i32, periodCount: i32, rik: usize, lagResponse: usize): v128 {
  const to = step < periodCount ? step : periodCount;
  for (let n = from; n < to; n++) {
    const r = f64At(rik, n);
    if (r == 0.0) continue;
    p = f64x2.add(p, f64x2.mul(f64x2.splat(r), v128.load(lagResponse + (<usize>(step - n) << 4))));
  }
  return p;
}

/**
 * Periods of one length `period` (boundaries n·period) and output times `timeSteps[j]·period`:
 * F is evaluated once per lag, lagResponse[k] = F(kΔ) − F((k−1)Δ), then convolved with rik.
 */
export function landslideLagged(args: usize): void {
  const cellCount = i32Arg(args, ARG_CELL_COUNT);
  const cells = pointerArg(args, ARG_CELLS);
  const basal = i32Arg(args, ARG_BASAL);
  const periodCount = i32Arg(args, ARG_PERIOD_COUNT);
  const period = f64At(args, ARG_PERIOD);
  const intensity = pointerArg(args, ARG_INTENSITY);
  const intensityStride = i32Arg(args, ARG_INTENSITY_STRIDE);
  const timeCount = i32Arg(args, ARG_TIME_COUNT);
  const times = pointerArg(args, ARG_TIMES);
  const timeSteps = pointerArg(args, ARG_TIME_STEPS);
  const depthCount = i32Arg(args, ARG_DEPTH_COUNT);
  const depths = pointerArg(args, ARG_DEPTHS);
  const depthsAreFractions = i32Arg(args, ARG_DEPTHS_ARE_FRACTIONS);
  const fsMin = pointerArg(args, ARG_FS_MIN);
  const zAtFsMin = pointerArg(args, ARG_Z_AT_FS_MIN);
  const pressureHead = pointerArg(args, ARG_PRESSURE_HEAD);
  const fsAtDepth = pointerArg(args, ARG_FS_AT_DEPTH);
  const firstFailure = pointerArg(args, ARG_FIRST_FAILURE);
  const rik = pointerArg(args, ARG_RIK);
  const lagResponse = pointerArg(args, ARG_LAG_RESPONSE);
  const summary = pointerArg(args, ARG_SUMMARY);
  const out = new Outputs(timeCount, depthCount, fsMin, zAtFsMin, pressureHead, fsAtDepth, firstFailure);
  let nonFinite: i32 = 0;
  let noData: i32 = 0;
  imageTermsUsed = 0;
  prepareGaussianTable();
  const maxLag = timeCount > 0 ? load<i32>(timeSteps + (<usize>(timeCount - 1) << 2)) : 0;
  for (let c = 0; c < cellCount; c++) {
    const cell = cells + (<usize>(c * CELL_STRIDE) << 3);
    if (isNoData(cell)) { markNoData(c, out); noData++; continue; }
    fillRik(cell, periodCount, intensity + (<usize>(c * intensityStride) << 3), rik);
    resetCell(c, out);
    const soilDepth = f64At(cell, CELL_SOIL_DEPTH);
    const fourD1 = f64At(cell, CELL_FOUR_D1);
    const beta = f64At(cell, CELL_BETA);
    const waterTable = f64At(cell, CELL_WATER_TABLE);
    // Two depths at a time, one per SIMD lane in the convolution: each lane adds the same terms in
    // the same order as the scalar sum would, so the result is the scalar (and TS reference)
    // result bit for bit.
    for (let k = 0; k < depthCount; k += 2) {
      const k1 = k + 1 < depthCount ? k + 1 : k;
      const z0 = depthOf(depths, k, depthsAreFractions, soilDepth);
      const z1 = depthOf(depths, k1, depthsAreFractions, soilDepth);
      // F at every lag first (two depths per SIMD pair), then the differences F(kΔ) − F((k−1)Δ)
      // in place.
      if (basal == BASAL_INFINITE) {
        infiniteResponses(lagResponse, maxLag, period, fourD1, z0);
        if (k1 != k) infiniteResponses(lagResponse + 8, maxLag, period, fourD1, z1);
        else for (let lag = 1; lag <= maxLag; lag++) store<f64>(lagResponse + (<usize>lag << 4), load<f64>(lagResponse + (<usize>lag << 4)), 8);
      } else {
        for (let lag = 1; lag <= maxLag; lag++) {
          const lagTime = <f64>lag * period;
          const at = lagResponse + (<usize>lag << 4);
          const response0 = unitResponse(z0, lagTime, fourD1, soilDepth, basal);
          store<f64>(at, response0);
          store<f64>(at, k1 == k ? response0 : unitResponse(z1, lagTime, fourD1, soilDepth, basal), 8);
        }
      }
      for (let lag = maxLag; lag >= 2; lag--) {
        const at = lagResponse + (<usize>lag << 4);
        v128.store(at, f64x2.sub(v128.load(at), v128.load(at - 16)));
      }
      const base = f64x2(beta * (z0 - waterTable), beta * (z1 - waterTable));
      // What FS needs per depth pair, for recordPairInSoil.
      const inSoil = k1 != k && z0 <= soilDepth && z1 <= soilDepth && pressureHead == 0 && fsAtDepth == 0;
      const zPair = f64x2(z0, z1);
      const cap = f64x2.mul(f64x2.splat(beta), zPair);
      const weightShearZ = f64x2.mul(f64x2.splat(f64At(cell, CELL_WEIGHT_SHEAR)), zPair);
      const frictionRatio = f64x2.splat(f64At(cell, CELL_FRICTION_RATIO));
      const cohesion = f64x2.splat(f64At(cell, CELL_COHESION));
      const waterFriction = f64x2.splat(f64At(cell, CELL_WATER_FRICTION));
      // Eight consecutive output steps at once (hourly output on hourly rain): eight independent
      // sums in flight, and one pointer walking the lag responses with the eight loads at fixed
      // offsets from it. Each sum still adds its terms in period order (so still bit-identical).
      let j = 0;
      for (; j + 8 <= timeCount; j += 8) {
        const s0 = load<i32>(timeSteps + (<usize>j << 2));
        if (!consecutiveSteps(timeSteps, j, s0)) break;
        const a0 = s0 < periodCount ? s0 : periodCount;
        let p0 = base;
        let p1 = base;
        let p2 = base;
        let p3 = base;
        let p4 = base;
        let p5 = base;
        let p6 = base;
        let p7 = base;
        let q = lagResponse + (<usize>s0 << 4);
        for (let n = 0; n < a0; n++) {
          // r ≠ 0 tested on its bits (sign shifted out: ±0 only give 0, NaN does not, as r != 0.0)
          // and r splatted by a load: no zero register held through the loop against the eight
          // sums, and one comparison fewer than a float test's unordered check.
          const rAt = rik + (<usize>n << 3);
          if ((load<i64>(rAt) << 1) != 0) {
            const rv = v128.load64_splat(rAt);
            p0 = f64x2.add(p0, f64x2.mul(rv, v128.load(q, 0)));
            p1 = f64x2.add(p1, f64x2.mul(rv, v128.load(q, 16)));
            p2 = f64x2.add(p2, f64x2.mul(rv, v128.load(q, 32)));
            p3 = f64x2.add(p3, f64x2.mul(rv, v128.load(q, 48)));
            p4 = f64x2.add(p4, f64x2.mul(rv, v128.load(q, 64)));
            p5 = f64x2.add(p5, f64x2.mul(rv, v128.load(q, 80)));
            p6 = f64x2.add(p6, f64x2.mul(rv, v128.load(q, 96)));
            p7 = f64x2.add(p7, f64x2.mul(rv, v128.load(q, 112)));
          }
          q -= 16;
        }
        if (s0 + 7 <= periodCount) {
          // Output steps inside the storm: sum g still needs periods s0 … s0+g−1, period s0+i
          // reaching sums i+1 … 7 through lags 1 … 7−i. One rain value per period, in period order
          // per sum, and loads at fixed offsets (convolveTail's loop per sum cost twice the
          // instructions).
          let r = f64At(rik, s0);
          if (r != 0.0) {
            const rv = f64x2.splat(r);
            p1 = addTerm(p1, rv, lagResponse, 1); p2 = addTerm(p2, rv, lagResponse, 2); p3 = addTerm(p3, rv, lagResponse, 3);
            p4 = addTerm(p4, rv, lagResponse, 4); p5 = addTerm(p5, rv, lagResponse, 5); p6 = addTerm(p6, rv, lagResponse, 6);
            p7 = addTerm(p7, rv, lagResponse, 7);
          }
          r = f64At(rik, s0 + 1);
          if (r != 0.0) {
            const rv = f64x2.splat(r);
            p2 = addTerm(p2, rv, lagResponse, 1); p3 = addTerm(p3, rv, lagResponse, 2); p4 = addTerm(p4, rv, lagResponse, 3);
            p5 = addTerm(p5, rv, lagResponse, 4); p6 = addTerm(p6, rv, lagResponse, 5); p7 = addTerm(p7, rv, lagResponse, 6);
          }
          r = f64At(rik, s0 + 2);
          if (r != 0.0) {
            const rv = f64x2.splat(r);
            p3 = addTerm(p3, rv, lagResponse, 1); p4 = addTerm(p4, rv, lagResponse, 2); p5 = addTerm(p5, rv, lagResponse, 3);
            p6 = addTerm(p6, rv, lagResponse, 4); p7 = addTerm(p7, rv, lagResponse, 5);
          }
          r = f64At(rik, s0 + 3);
          if (r != 0.0) {
            const rv = f64x2.splat(r);
            p4 = addTerm(p4, rv, lagResponse, 1); p5 = addTerm(p5, rv, lagResponse, 2); p6 = addTerm(p6, rv, lagResponse, 3);
            p7 = addTerm(p7, rv, lagResponse, 4);
          }
          r = f64At(rik, s0 + 4);
          if (r != 0.0) {
            const rv = f64x2.splat(r);
            p5 = addTerm(p5, rv, lagResponse, 1); p6 = addTerm(p6, rv, lagResponse, 2); p7 = addTerm(p7, rv, lagResponse, 3);
          }
          r = f64At(rik, s0 + 5);
          if (r != 0.0) {
            const rv = f64x2.splat(r);
            p6 = addTerm(p6, rv, lagResponse, 1); p7 = addTerm(p7, rv, lagResponse, 2);
          }
          r = f64At(rik, s0 + 6);
          if (r != 0.0) p7 = addTerm(p7, f64x2.splat(r), lagResponse, 1);
        } else if (a0 < periodCount) {
          // The storm ends inside these eight steps: each later sum adds its own few periods.
          p1 = convolveTail(p1, s0 + 1, a0, periodCount, rik, lagResponse);
          p2 = convolveTail(p2, s0 + 2, a0, periodCount, rik, lagResponse);
          p3 = convolveTail(p3, s0 + 3, a0, periodCount, rik, lagResponse);
          p4 = convolveTail(p4, s0 + 4, a0, periodCount, rik, lagResponse);
          p5 = convolveTail(p5, s0 + 5, a0, periodCount, rik, lagResponse);
          p6 = convolveTail(p6, s0 + 6, a0, periodCount, rik, lagResponse);
          p7 = convolveTail(p7, s0 + 7, a0, periodCount, rik, lagResponse);
        }
        if (inSoil) {
          const minAt = fsMin + (<usize>(c * timeCount + j) << 3);
          const zAt = zAtFsMin + (<usize>(c * timeCount + j) << 3);
          nonFinite += recordPairInSoil(minAt, zAt, z0, z1, p0, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 8, zAt + 8, z0, z1, p1, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 16, zAt + 16, z0, z1, p2, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 24, zAt + 24, z0, z1, p3, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 32, zAt + 32, z0, z1, p4, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 40, zAt + 40, z0, z1, p5, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 48, zAt + 48, z0, z1, p6, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          nonFinite += recordPairInSoil(minAt + 56, zAt + 56, z0, z1, p7, cap, weightShearZ, frictionRatio, cohesion, waterFriction);
          continue;
        }
        nonFinite += recordPair(c, j, k, k1, cell, z0, z1, soilDepth, p0, out);
        nonFinite += recordPair(c, j + 1, k, k1, cell, z0, z1, soilDepth, p1, out);
        nonFinite += recordPair(c, j + 2, k, k1, cell, z0, z1, soilDepth, p2, out);
        nonFinite += recordPair(c, j + 3, k, k1, cell, z0, z1, soilDepth, p3, out);
        nonFinite += recordPair(c, j + 4, k, k1, cell, z0, z1, soilDepth, p4, out);
        nonFinite += recordPair(c, j + 5, k, k1, cell, z0, z1, soilDepth, p5, out);
        nonFinite += recordPair(c, j + 6, k, k1, cell, z0, z1, soilDepth, p6, out);
        nonFinite += recordPair(c, j + 7, k, k1, cell, z0, z1, soilDepth, p7, out);
      }
      // Any other output times, four at a time.
      for (; j + 4 <= timeCount; j += 4) {
        const s0 = load<i32>(timeSteps + (<usize>j << 2));
        const s1 = load<i32>(timeSteps + (<usize>(j + 1) << 2));
        const s2 = load<i32>(timeSteps + (<usize>(j + 2) << 2));
        const s3 = load<i32>(timeSteps + (<usize>(j + 3) << 2));
        const a0 = s0 < periodCount ? s0 : periodCount;
        const a1 = s1 < periodCount ? s1 : periodCount;
        const a2 = s2 < periodCount ? s2 : periodCount;
        const a3 = s3 < periodCount ? s3 : periodCount;
        let p0 = base;
        let p1 = base;
        let p2 = base;
        let p3 = base;
        for (let n = 0; n < a0; n++) {
          const r = f64At(rik, n);
          if (r == 0.0) continue;
          const rv = f64x2.splat(r);
          p0 = f64x2.add(p0, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s0 - n) << 4))));
          p1 = f64x2.add(p1, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s1 - n) << 4))));
          p2 = f64x2.add(p2, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s2 - n) << 4))));
          p3 = f64x2.add(p3, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s3 - n) << 4))));
        }
        for (let n = a0; n < a3; n++) {
          const r = f64At(rik, n);
          if (r == 0.0) continue;
          const rv = f64x2.splat(r);
          if (n < a1) p1 = f64x2.add(p1, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s1 - n) << 4))));
          if (n < a2) p2 = f64x2.add(p2, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s2 - n) << 4))));
          p3 = f64x2.add(p3, f64x2.mul(rv, v128.load(lagResponse + (<usize>(s3 - n) << 4))));
        }
        nonFinite += recordPair(c, j, k, k1, cell, z0, z1, soilDepth, p0, out);
        nonFinite += recordPair(c, j + 1, k, k1, cell, z0, z1, soilDepth, p1, out);
        nonFinite += recordPair(c, j + 2, k, k1, cell, z0, z1, soilDepth, p2, out);
        nonFinite += recordPair(c, j + 3, k, k1, cell, z0, z1, soilDepth, p3, out);
      }
      for (; j < timeCount; j++) {
        const step = load<i32>(timeSteps + (<usize>j << 2));
        const active = step < periodCount ? step : periodCount;
        let psi = base;
        for (let n = 0; n < active; n++) {
          const r = f64At(rik, n);
          if (r == 0.0) continue;
          psi = f64x2.add(psi, f64x2.mul(f64x2.splat(r), v128.load(lagResponse + (<usize>(step - n) << 4))));
        }
        nonFinite += recordPair(c, j, k, k1, cell, z0, z1, soilDepth, psi, out);
      }
    }
    finishCell(c, times, out);
  }
  setF64(summary, SUMMARY_NONFINITE_COUNT, <f64>nonFinite);
  setF64(summary, SUMMARY_NODATA_CELLS, <f64>noData);
  setF64(summary, SUMMARY_MAX_IMAGE_TERMS, <f64>imageTermsUsed);
}
