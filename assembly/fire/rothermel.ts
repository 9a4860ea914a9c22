// Rothermel (1972) surface fire spread with Albini (1976) changes, as firelab/behave (BehavePlus 7)
// computes it. Inputs and outputs are SI. Rothermel's correlations are dimensional fits in ft, lb,
// Btu and minutes, so each record is converted to those units on entry and every result back to
// SI on exit: no fitted constant is rewritten, which is what keeps us on behave's numbers.
//
// Two stages, because the spread kernel calls the second millions of times per fuel bed:
//   prepareBed: fuel model + moisture → a BED_STRIDE record (no-wind no-slope rate, reaction
//               intensity, residence time, wind and slope coefficients);
//   behaviourAt: bed + wind + slope → head/backing/flanking rates, ellipse, intensity.
// Scratch lives in static memory: nothing is allocated per evaluation.
import { f64At, setF64 } from "../memory";
import { BED_BETA_REL, BED_IR, BED_R0, BED_SIGMA, BED_SLOPE_K, BED_STRIDE, BED_TAU, BED_WIND_B, BED_WIND_K, CASE_STRIDE, CASE_TAN_SLOPE, CASE_WIND, CASE_WIND_TO_UPSLOPE, FUEL_STRIDE, MOISTURE_STRIDE, OUT_STRIDE, WIND_STRIDE } from "./layout";

// --- unit conversions (exact definitions) ----------------------------------------------------
const M_PER_FT: f64 = 0.3048;
const KG_PER_LB: f64 = 0.45359237;
const KJ_PER_BTU: f64 = 1.05505585262;
const LB_FT2_PER_KG_M2: f64 = (M_PER_FT * M_PER_FT) / KG_PER_LB;
const BTU_LB_PER_KJ_KG: f64 = KG_PER_LB / KJ_PER_BTU;
const FT_MIN_PER_M_S: f64 = 60.0 / M_PER_FT;
const M_S_PER_FT_MIN: f64 = M_PER_FT / 60.0;
const KW_M2_PER_BTU_FT2_MIN: f64 = KJ_PER_BTU / (M_PER_FT * M_PER_FT) / 60.0;
const KJ_M2_PER_BTU_FT2: f64 = KJ_PER_BTU / (M_PER_FT * M_PER_FT);
const KW_M_PER_BTU_FT_S: f64 = KJ_PER_BTU / M_PER_FT;
const DEG_PER_RAD: f64 = 180.0 / Math.PI;

// Albini (1976) constants, as behave.
const SAV_10H: f64 = 109.0;
const SAV_100H: f64 = 30.0;
const PARTICLE_DENSITY: f64 = 32.0;
const TOTAL_SILICA: f64 = 0.0555;
const EFFECTIVE_SILICA: f64 = 0.01;

// Particles: 0..3 dead (1 h, 10 h, 100 h, cured herb), 4..5 live (herb, woody).
const P: i32 = 6;
const scratch = memory.data(8 * 6 * 8);
const LOAD: i32 = 0;
const SAV: i32 = 1;
const MOIST: i32 = 2;
const AREA: i32 = 3;
const FRACTION: i32 = 4;
const SORTED: i32 = 5;

@inline function sget(field: i32, i: i32): f64 {
  return f64At(scratch, field * P + i);
}
@inline function sset(field: i32, i: i32, v: f64): void {
  setF64(scratch, field * P + i, v);
}

/** Albini's size-class bin of a SAV (1/ft): fractions are pooled within a bin. */
@inline function sizeBin(sav: f64): i32 {
  if (sav >= 1200.0) return 0;
  if (sav >= 192.0) return 1;
  if (sav >= 96.0) return 2;
  if (sav >= 48.0) return 3;
  if (sav >= 16.0) return 4;
  return -1;
}

/** Surface-area fractions within particles [first, first+count), and the size-sorted weights. */
function weightLifeState(first: i32, count: i32, hasFuel: bool): f64 {
  let total = 0.0;
  for (let i = first; i < first + count; i++) {
    const area = hasFuel ? sget(LOAD, i) * sget(SAV, i) / PARTICLE_DENSITY : 0.0;
    sset(AREA, i, area);
    total += area;
  }
  for (let i = first; i < first + count; i++) {
    sset(FRACTION, i, total > 1.0e-7 ? sget(AREA, i) / total : 0.0);
  }
  let bin0 = 0.0, bin1 = 0.0, bin2 = 0.0, bin3 = 0.0, bin4 = 0.0;
  for (let i = first; i < first + count; i++) {
    const b = sizeBin(sget(SAV, i));
    const f = sget(FRACTION, i);
    if (b == 0) bin0 += f; else if (b == 1) bin1 += f; else if (b == 2) bin2 += f;
    else if (b == 3) bin3 += f; else if (b == 4) bin4 += f;
  }
  for (let i = first; i < first + count; i++) {
    const b = sizeBin(sget(SAV, i));
    sset(SORTED, i, b == 0 ? bin0 : b == 1 ? bin1 : b == 2 ? bin2 : b == 3 ? bin3 : b == 4 ? bin4 : 0.0);
  }
  return total;
}

@inline function moistureDamping(moisture: f64, extinction: f64, previousRatio: f64): f64 {
  // behave keeps the previous life state's ratio when extinction is 0 (no fuel): same here.
  const ratio = extinction > 0.0 ? moisture / extinction : previousRatio;
  if (moisture >= extinction || ratio > 1.0) return 0.0;
  return 1.0 - 2.59 * ratio + 5.11 * ratio * ratio - 3.52 * ratio * ratio * ratio;
}

@inline function mineralDamping(silica: f64): f64 {
  const d = Math.pow(silica, 0.19);
  if (d < 1.0e-6) return 0.0;
  const eta = 0.174 / d;
  return eta > 1.0 ? 1.0 : eta;
}

/** Fuel record (SI) + moisture fractions → bed record. A fuel without load gives an all-zero bed. */
export function prepareBed(fuel: usize, moisture: usize, bed: usize): void {
  const depth = load<f64>(fuel) / M_PER_FT;
  const mxDead = load<f64>(fuel, 8);
  const heatDead = load<f64>(fuel, 16) * BTU_LB_PER_KJ_KG;
  const heatLive = load<f64>(fuel, 24) * BTU_LB_PER_KJ_KG;
  const herbLoad = load<f64>(fuel, 56) * LB_FT2_PER_KG_M2;
  const woodyLoad = load<f64>(fuel, 64) * LB_FT2_PER_KG_M2;
  const savHerb = load<f64>(fuel, 80) * M_PER_FT;
  const dynamic = load<f64>(fuel, 96) != 0.0;
  const m1 = load<f64>(moisture);
  const mHerb = load<f64>(moisture, 24);

  sset(LOAD, 0, load<f64>(fuel, 32) * LB_FT2_PER_KG_M2);
  sset(LOAD, 1, load<f64>(fuel, 40) * LB_FT2_PER_KG_M2);
  sset(LOAD, 2, load<f64>(fuel, 48) * LB_FT2_PER_KG_M2);
  sset(LOAD, 3, 0.0);
  sset(LOAD, 4, herbLoad);
  sset(LOAD, 5, woodyLoad);
  sset(SAV, 0, load<f64>(fuel, 72) * M_PER_FT);
  sset(SAV, 1, SAV_10H);
  sset(SAV, 2, SAV_100H);
  sset(SAV, 3, savHerb);
  sset(SAV, 4, savHerb);
  sset(SAV, 5, load<f64>(fuel, 88) * M_PER_FT);
  sset(MOIST, 0, m1);
  sset(MOIST, 1, load<f64>(moisture, 8));
  sset(MOIST, 2, load<f64>(moisture, 16));
  sset(MOIST, 3, m1);
  sset(MOIST, 4, mHerb);
  sset(MOIST, 5, load<f64>(moisture, 32));

  // Which life states carry fuel is decided before curing moves herb load (as behave).
  let hasDead = sget(LOAD, 0) != 0.0 || sget(LOAD, 1) != 0.0 || sget(LOAD, 2) != 0.0;
  const hasLive = herbLoad != 0.0 || woodyLoad != 0.0;

  if (dynamic) {
    // Scott & Burgan (2005) curing: the cured part of the herb load becomes dead, keeps herb SAV.
    if (mHerb < 0.30) {
      sset(LOAD, 3, herbLoad);
      sset(LOAD, 4, 0.0);
    } else if (mHerb <= 1.20) {
      const cured = herbLoad * (1.333 - 1.11 * mHerb);
      sset(LOAD, 3, cured);
      sset(LOAD, 4, herbLoad - cured);
    }
    // Herb load that curing made dead is dead fuel: a model with no dead load of its own would
    // otherwise weigh it at zero area (all of it below 30 %, where live area is zero too: 0/0
    // and a non-finite rate; most of it just above 30 %, silently). Behave counts size classes
    // before the transfer and shares the flaw; Scott & Burgan (2005, RMRS-GTR-153, dynamic fuel
    // models) define curing as moving load into a dead herbaceous class, which counting it does.
    // Every standard model carries 1-h load, so standard results are unchanged.
    if (sget(LOAD, 3) > 0.0) hasDead = true;
  }

  const areaDead = weightLifeState(0, 4, hasDead);
  const areaLive = weightLifeState(4, 2, hasLive);
  const totalLoad = sget(LOAD, 0) + sget(LOAD, 1) + sget(LOAD, 2) + sget(LOAD, 3) + sget(LOAD, 4) + sget(LOAD, 5);
  if (!(totalLoad > 0.0) || !(depth > 0.0)) {
    for (let k = 0; k < BED_STRIDE; k++) store<f64>(bed + ((k as usize) << 3), 0.0);
    return;
  }
  const fDead = areaDead / (areaDead + areaLive);
  const fLive = 1.0 - fDead;

  // Live moisture of extinction, Albini (1976) p. 89.
  let mxLive = 0.0;
  if (hasLive) {
    let fineDead = 0.0;
    let fineDeadWater = 0.0;
    for (let i = 0; i < 4; i++) {
      const w = sget(LOAD, i) * Math.exp(-138.0 / sget(SAV, i));
      fineDead += w;
      fineDeadWater += w * sget(MOIST, i);
    }
    const fineDeadMoisture = fineDead > 1.0e-7 ? fineDeadWater / fineDead : 0.0;
    let fineLive = 0.0;
    for (let i = 4; i < 6; i++) fineLive += sget(LOAD, i) * Math.exp(-500.0 / sget(SAV, i));
    const ratio = fineLive > 1.0e-7 ? fineDead / fineLive : 0.0;
    mxLive = 2.9 * ratio * (1.0 - fineDeadMoisture / mxDead) - 0.226;
    if (mxLive < mxDead) mxLive = mxDead;
  }

  // Weighted particle properties by life state.
  let heatD = 0.0, silicaD = 0.0, moistD = 0.0, savD = 0.0, loadD = 0.0;
  for (let i = 0; i < 4; i++) {
    const f = sget(FRACTION, i);
    heatD += f * heatDead;
    silicaD += f * EFFECTIVE_SILICA;
    moistD += f * sget(MOIST, i);
    savD += f * sget(SAV, i);
    loadD += sget(SORTED, i) * (sget(LOAD, i) * (1.0 - TOTAL_SILICA));
  }
  let heatL = 0.0, silicaL = 0.0, moistL = 0.0, savL = 0.0, loadL = 0.0;
  for (let i = 4; i < 6; i++) {
    const f = sget(FRACTION, i);
    heatL += f * heatLive;
    silicaL += f * EFFECTIVE_SILICA;
    moistL += f * sget(MOIST, i);
    savL += f * sget(SAV, i);
    loadL += sget(SORTED, i) * (sget(LOAD, i) * (1.0 - TOTAL_SILICA));
  }
  const sigma = fDead * savD + fLive * savL;
  const bulkDensity = totalLoad / depth;
  let packing = 0.0;
  for (let i = 0; i < P; i++) packing += sget(LOAD, i) / (depth * PARTICLE_DENSITY);
  const relativePacking = packing / (3.348 / Math.pow(sigma, 0.8189));

  let heatSink = 0.0;
  for (let i = 0; i < P; i++) {
    const lifeFraction = i < 4 ? fDead : fLive;
    heatSink += lifeFraction * sget(FRACTION, i) * (250.0 + 1116.0 * sget(MOIST, i)) * Math.exp(-138.0 / sget(SAV, i));
  }
  heatSink *= bulkDensity;
  const propagatingFlux = Math.exp((0.792 + 0.681 * Math.sqrt(sigma)) * (packing + 0.1)) / (192.0 + 0.2595 * sigma);

  const aa = 133.0 / Math.pow(sigma, 0.7913);
  const sigma15 = Math.pow(sigma, 1.5);
  const gammaMax = sigma15 / (495.0 + 0.0594 * sigma15);
  const gamma = gammaMax * Math.pow(relativePacking, aa) * Math.exp(aa * (1.0 - relativePacking));
  const etaMDead = moistureDamping(moistD, mxDead, 0.0);
  const etaMLive = moistureDamping(moistL, mxLive, mxDead > 0.0 ? moistD / mxDead : 0.0);
  const reaction = gamma * (loadD * heatD * etaMDead * mineralDamping(silicaD)
    + loadL * heatL * etaMLive * mineralDamping(silicaL));
  const r0 = heatSink < 1.0e-7 ? 0.0 : reaction * propagatingFlux / heatSink;

  const windC = 7.47 * Math.exp(-0.133 * Math.pow(sigma, 0.55));
  const windB = 0.02526 * Math.pow(sigma, 0.54);
  const windE = 0.715 * Math.exp(-0.000359 * sigma);
  store<f64>(bed, r0, BED_R0 << 3);
  store<f64>(bed, reaction, BED_IR << 3);
  store<f64>(bed, 384.0 / sigma, BED_TAU << 3);
  store<f64>(bed, windB, BED_WIND_B << 3);
  store<f64>(bed, windC * Math.pow(relativePacking, -windE), BED_WIND_K << 3);
  store<f64>(bed, 5.275 * Math.pow(packing, -0.3), BED_SLOPE_K << 3);
  store<f64>(bed, sigma, BED_SIGMA << 3);
  store<f64>(bed, relativePacking, BED_BETA_REL << 3);
}

/** Anderson (1983) length-to-width from effective midflame wind in MI/H, capped at 8 (behave). */
@inline export function lengthToWidth(windMiPerH: f64): f64 {
  if (!(windMiPerH > 1.0e-7)) return 1.0;
  const lw = 0.936 * Math.exp(0.1147 * windMiPerH) + 0.461 * Math.exp(-0.0692 * windMiPerH) - 0.397;
  return lw > 8.0 ? 8.0 : lw;
}

let sinOut: f64 = 0.0;
let cosOut: f64 = 0.0;

/**
 * sin and cos of one angle with one argument reduction (musl's sincos, as the C yardstick gets from
 * gcc): the same reduction and kernels as NativeMath.sin/cos, so bit-identical to calling both.
 * AssemblyScript's sincos takes |x| ≥ 2^1017 for Inf/NaN (an f32 constant), so huge angles go the
 * separate way.
 */
@inline function sinCos(x: f64): void {
  if (Math.abs(x) < 1.0e300) {
    NativeMath.sincos(x);
    sinOut = NativeMath.sincos_sin;
    cosOut = NativeMath.sincos_cos;
  } else {
    sinOut = Math.sin(x);
    cosOut = Math.cos(x);
  }
}

/**
 * Bed + midflame wind (m/s, blowing toward `windToUpslopeRad` clockwise from upslope) + slope
 * (rise/run) → OUT_STRIDE results at `out` (SI; see models/fire/rothermel.ts OUTPUT_FIELDS).
 */
export function behaviourAt(bed: usize, windMPerS: f64, windToUpslopeRad: f64, tanSlope: f64, windLimit: bool, out: usize): void {
  const r0 = load<f64>(bed, BED_R0 << 3);
  const reaction = load<f64>(bed, BED_IR << 3);
  const tau = load<f64>(bed, BED_TAU << 3);
  const windB = load<f64>(bed, BED_WIND_B << 3);
  const windK = load<f64>(bed, BED_WIND_K << 3);
  const wind = windMPerS * FT_MIN_PER_M_S;
  const phiW = wind < 1.0e-7 ? 0.0 : Math.pow(wind, windB) * windK;
  const phiS = load<f64>(bed, BED_SLOPE_K << 3) * (tanSlope * tanSlope);

  // Vector sum of the wind and slope rates (Rothermel 1983 / BehavePlus).
  const slopeRate = r0 * phiS;
  const windRate = r0 * phiW;
  sinCos(windToUpslopeRad);
  const x = slopeRate + windRate * cosOut;
  const y = windRate * sinOut;
  let head = r0 + Math.sqrt(x * x + y * y);
  let azimuth = Math.atan2(y, x) * DEG_PER_RAD;
  if (azimuth < -1.0e-20) azimuth += 360.0;
  if (Math.abs(azimuth) < 0.5) azimuth = 0.0; // BehavePlus snaps near-upslope headings

  let effectiveWind = 0.0;
  if (r0 > 0.0) {
    const phiE = head / r0 - 1.0;
    effectiveWind = phiE > 0.0 ? Math.pow(phiE / windK, 1.0 / windB) : 0.0;
    const limit = 0.9 * reaction;
    if (windLimit && effectiveWind > limit) {
      effectiveWind = limit;
      head = r0 * (1.0 + windK * Math.pow(limit, windB));
    }
  }
  const lw = lengthToWidth(effectiveWind / 88.0);
  const lw2m1 = lw * lw - 1.0;
  const ecc = lw2m1 > 0.0 ? Math.sqrt(lw2m1) / lw : 0.0;
  const backing = head * (1.0 - ecc) / (1.0 + ecc);
  const flanking = (head + backing) / (2.0 * lw);
  const intensity = head * reaction * (tau / 60.0);
  const flame = intensity < 1.0e-7 ? 0.0 : 0.45 * Math.pow(intensity, 0.46);

  store<f64>(out, head * M_S_PER_FT_MIN, 0);
  store<f64>(out, backing * M_S_PER_FT_MIN, 8);
  store<f64>(out, flanking * M_S_PER_FT_MIN, 16);
  store<f64>(out, intensity * KW_M_PER_BTU_FT_S, 24);
  store<f64>(out, flame * M_PER_FT, 32);
  store<f64>(out, lw, 40);
  store<f64>(out, azimuth, 48);
  store<f64>(out, reaction * KW_M2_PER_BTU_FT2_MIN, 56);
  store<f64>(out, reaction * tau * KJ_M2_PER_BTU_FT2, 64);
  store<f64>(out, tau * 60.0, 72);
  store<f64>(out, effectiveWind / FT_MIN_PER_M_S, 80);
  store<f64>(out, ecc, 88);
}

const bedScratch = memory.data(8 * 8);

/**
 * `n` cases: fuelIndex[i] picks a record of `fuels`; cases[i] = CASE_STRIDE f64: moisture
 * fractions (1 h, 10 h, 100 h, herb, woody), midflame wind m/s, wind-to-upslope rad, tan slope,
 * unused. Results: OUT_STRIDE f64 per case.
 */
export function fireBehavior(n: i32, fuels: usize, fuelIndex: usize, cases: usize, windLimit: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const c = cases + ((<usize>(i * CASE_STRIDE)) << 3);
    const fuel = fuels + ((<usize>(load<i32>(fuelIndex + ((<usize>i) << 2)) * FUEL_STRIDE)) << 3);
    prepareBed(fuel, c, bedScratch);
    behaviourAt(bedScratch, load<f64>(c, CASE_WIND << 3), load<f64>(c, CASE_WIND_TO_UPSLOPE << 3), load<f64>(c, CASE_TAN_SLOPE << 3), windLimit != 0,
      out + ((<usize>(i * OUT_STRIDE)) << 3));
  }
}

/** The table-driven form: beds prepared once per (fuel, moisture), then any number of winds/slopes. */
export function fireBeds(n: i32, fuels: usize, fuelIndex: usize, moistures: usize, beds: usize): void {
  for (let i = 0; i < n; i++) {
    const fuel = fuels + ((<usize>(load<i32>(fuelIndex + ((<usize>i) << 2)) * FUEL_STRIDE)) << 3);
    prepareBed(fuel, moistures + ((<usize>(i * MOISTURE_STRIDE)) << 3), beds + ((<usize>(i * BED_STRIDE)) << 3));
  }
}

/** `n` evaluations: bedIndex[i] picks a bed; winds[i] = (wind m/s, wind-to-upslope rad, tan slope). */
export function fireBehaviorFromBeds(n: i32, beds: usize, bedIndex: usize, winds: usize, windLimit: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const w = winds + ((<usize>(i * WIND_STRIDE)) << 3);
    const bed = beds + ((<usize>(load<i32>(bedIndex + ((<usize>i) << 2)) * BED_STRIDE)) << 3);
    behaviourAt(bed, load<f64>(w), load<f64>(w, 8), load<f64>(w, 16), windLimit != 0, out + ((<usize>(i * OUT_STRIDE)) << 3));
  }
}
