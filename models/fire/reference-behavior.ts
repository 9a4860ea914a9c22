// Plain-TS twin of assembly/fire/rothermel.ts: the same algorithm in the same operation order, so
// the two agree to the last bits the two Math libraries allow (tested to 1e-13 relative). See
// the kernel for the why of each step; this file exists to test it (tests and benchmarks only).

import {
  BED_BETA_REL, BED_IR, BED_R0, BED_SIGMA, BED_SLOPE_K, BED_STRIDE, BED_TAU, BED_WIND_B, BED_WIND_K, CASE_STRIDE, CASE_TAN_SLOPE,
  CASE_WIND, CASE_WIND_TO_UPSLOPE, FUEL_STRIDE, MOISTURE_STRIDE, OUT_STRIDE, WIND_STRIDE,
} from '../../assembly/fire/layout.ts';

// The kernel's layout, re-exported for the tests and benchmarks that pack records for this twin.
export { BED_STRIDE, CASE_STRIDE, FUEL_STRIDE, MOISTURE_STRIDE, OUT_STRIDE };


const M_PER_FT = 0.3048;
const KG_PER_LB = 0.45359237;
const KJ_PER_BTU = 1.05505585262;
const LB_FT2_PER_KG_M2 = (M_PER_FT * M_PER_FT) / KG_PER_LB;
const BTU_LB_PER_KJ_KG = KG_PER_LB / KJ_PER_BTU;
const FT_MIN_PER_M_S = 60.0 / M_PER_FT;
const M_S_PER_FT_MIN = M_PER_FT / 60.0;
const KW_M2_PER_BTU_FT2_MIN = KJ_PER_BTU / (M_PER_FT * M_PER_FT) / 60.0;
const KJ_M2_PER_BTU_FT2 = KJ_PER_BTU / (M_PER_FT * M_PER_FT);
const KW_M_PER_BTU_FT_S = KJ_PER_BTU / M_PER_FT;
const DEG_PER_RAD = 180.0 / Math.PI;

const SAV_10H = 109.0;
const SAV_100H = 30.0;
const PARTICLE_DENSITY = 32.0;
const TOTAL_SILICA = 0.0555;
const EFFECTIVE_SILICA = 0.01;

const P = 6;
const LOAD = 0;
const SAV = 1;
const MOIST = 2;
const AREA = 3;
const FRACTION = 4;
const SORTED = 5;
const scratch = new Float64Array(6 * P);

function sget(field: number, i: number): number {
  return scratch[field * P + i];
}
function sset(field: number, i: number, v: number): void {
  scratch[field * P + i] = v;
}

function sizeBin(sav: number): number {
  if (sav >= 1200.0) return 0;
  if (sav >= 192.0) return 1;
  if (sav >= 96.0) return 2;
  if (sav >= 48.0) return 3;
  if (sav >= 16.0) return 4;
  return -1;
}

function weightLifeState(first: number, count: number, hasFuel: boolean): number {
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
    if (b === 0) bin0 += f; else if (b === 1) bin1 += f; else if (b === 2) bin2 += f;
    else if (b === 3) bin3 += f; else if (b === 4) bin4 += f;
  }
  for (let i = first; i < first + count; i++) {
    const b = sizeBin(sget(SAV, i));
    sset(SORTED, i, b === 0 ? bin0 : b === 1 ? bin1 : b === 2 ? bin2 : b === 3 ? bin3 : b === 4 ? bin4 : 0.0);
  }
  return total;
}

function moistureDamping(moisture: number, extinction: number, previousRatio: number): number {
  const ratio = extinction > 0.0 ? moisture / extinction : previousRatio;
  if (moisture >= extinction || ratio > 1.0) return 0.0;
  return 1.0 - 2.59 * ratio + 5.11 * ratio * ratio - 3.52 * ratio * ratio * ratio;
}

function mineralDamping(silica: number): number {
  const d = Math.pow(silica, 0.19);
  if (d < 1.0e-6) return 0.0;
  const eta = 0.174 / d;
  return eta > 1.0 ? 1.0 : eta;
}

/** fuels[fuelAt..] (SI record) + moistures[moistAt..] (fractions) → beds[bedAt..]. */
export function prepareBed(fuels: Float64Array, fuelAt: number, moistures: Float64Array, moistAt: number, beds: Float64Array, bedAt: number): void {
  const depth = fuels[fuelAt] / M_PER_FT;
  const mxDead = fuels[fuelAt + 1];
  const heatDead = fuels[fuelAt + 2] * BTU_LB_PER_KJ_KG;
  const heatLive = fuels[fuelAt + 3] * BTU_LB_PER_KJ_KG;
  const herbLoad = fuels[fuelAt + 7] * LB_FT2_PER_KG_M2;
  const woodyLoad = fuels[fuelAt + 8] * LB_FT2_PER_KG_M2;
  const savHerb = fuels[fuelAt + 10] * M_PER_FT;
  const dynamic = fuels[fuelAt + 12] !== 0.0;
  const m1 = moistures[moistAt];
  const mHerb = moistures[moistAt + 3];

  sset(LOAD, 0, fuels[fuelAt + 4] * LB_FT2_PER_KG_M2);
  sset(LOAD, 1, fuels[fuelAt + 5] * LB_FT2_PER_KG_M2);
  sset(LOAD, 2, fuels[fuelAt + 6] * LB_FT2_PER_KG_M2);
  sset(LOAD, 3, 0.0);
  sset(LOAD, 4, herbLoad);
  sset(LOAD, 5, woodyLoad);
  sset(SAV, 0, fuels[fuelAt + 9] * M_PER_FT);
  sset(SAV, 1, SAV_10H);
  sset(SAV, 2, SAV_100H);
  sset(SAV, 3, savHerb);
  sset(SAV, 4, savHerb);
  sset(SAV, 5, fuels[fuelAt + 11] * M_PER_FT);
  sset(MOIST, 0, m1);
  sset(MOIST, 1, moistures[moistAt + 1]);
  sset(MOIST, 2, moistures[moistAt + 2]);
  sset(MOIST, 3, m1);
  sset(MOIST, 4, mHerb);
  sset(MOIST, 5, moistures[moistAt + 4]);

  let hasDead = sget(LOAD, 0) !== 0.0 || sget(LOAD, 1) !== 0.0 || sget(LOAD, 2) !== 0.0;
  const hasLive = herbLoad !== 0.0 || woodyLoad !== 0.0;

  if (dynamic) {
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
    for (let k = 0; k < BED_STRIDE; k++) beds[bedAt + k] = 0.0;
    return;
  }
  const fDead = areaDead / (areaDead + areaLive);
  const fLive = 1.0 - fDead;

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
  beds[bedAt + BED_R0] = r0;
  beds[bedAt + BED_IR] = reaction;
  beds[bedAt + BED_TAU] = 384.0 / sigma;
  beds[bedAt + BED_WIND_B] = windB;
  beds[bedAt + BED_WIND_K] = windC * Math.pow(relativePacking, -windE);
  beds[bedAt + BED_SLOPE_K] = 5.275 * Math.pow(packing, -0.3);
  beds[bedAt + BED_SIGMA] = sigma;
  beds[bedAt + BED_BETA_REL] = relativePacking;
}

/** Anderson (1983): the argument is effective midflame wind in MI/H (feeding m/s or km/h is the classic bug). */
export function lengthToWidth(windMiPerH: number): number {
  if (!(windMiPerH > 1.0e-7)) return 1.0;
  const lw = 0.936 * Math.exp(0.1147 * windMiPerH) + 0.461 * Math.exp(-0.0692 * windMiPerH) - 0.397;
  return lw > 8.0 ? 8.0 : lw;
}

export function behaviourAt(
  beds: Float64Array, bedAt: number, windMPerS: number, windToUpslopeRad: number, tanSlope: number,
  windLimit: boolean, out: Float64Array, outAt: number,
): void {
  const r0 = beds[bedAt + BED_R0];
  const reaction = beds[bedAt + BED_IR];
  const tau = beds[bedAt + BED_TAU];
  const windB = beds[bedAt + BED_WIND_B];
  const windK = beds[bedAt + BED_WIND_K];
  const wind = windMPerS * FT_MIN_PER_M_S;
  const phiW = wind < 1.0e-7 ? 0.0 : Math.pow(wind, windB) * windK;
  const phiS = beds[bedAt + BED_SLOPE_K] * (tanSlope * tanSlope);

  const slopeRate = r0 * phiS;
  const windRate = r0 * phiW;
  const x = slopeRate + windRate * Math.cos(windToUpslopeRad);
  const y = windRate * Math.sin(windToUpslopeRad);
  let head = r0 + Math.sqrt(x * x + y * y);
  let azimuth = Math.atan2(y, x) * DEG_PER_RAD;
  if (azimuth < -1.0e-20) azimuth += 360.0;
  if (Math.abs(azimuth) < 0.5) azimuth = 0.0;

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

  out[outAt] = head * M_S_PER_FT_MIN;
  out[outAt + 1] = backing * M_S_PER_FT_MIN;
  out[outAt + 2] = flanking * M_S_PER_FT_MIN;
  out[outAt + 3] = intensity * KW_M_PER_BTU_FT_S;
  out[outAt + 4] = flame * M_PER_FT;
  out[outAt + 5] = lw;
  out[outAt + 6] = azimuth;
  out[outAt + 7] = reaction * KW_M2_PER_BTU_FT2_MIN;
  out[outAt + 8] = reaction * tau * KJ_M2_PER_BTU_FT2;
  out[outAt + 9] = tau * 60.0;
  out[outAt + 10] = effectiveWind / FT_MIN_PER_M_S;
  out[outAt + 11] = ecc;
}

const bedScratch = new Float64Array(BED_STRIDE);

export function fireBehaviorReference(
  n: number, fuels: Float64Array, fuelIndex: Int32Array, cases: Float64Array, windLimit: boolean, out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const c = i * CASE_STRIDE;
    prepareBed(fuels, fuelIndex[i] * FUEL_STRIDE, cases, c, bedScratch, 0);
    behaviourAt(bedScratch, 0, cases[c + CASE_WIND], cases[c + CASE_WIND_TO_UPSLOPE], cases[c + CASE_TAN_SLOPE], windLimit, out, i * OUT_STRIDE);
  }
}

export function fireBedsReference(n: number, fuels: Float64Array, fuelIndex: Int32Array, moistures: Float64Array, beds: Float64Array): void {
  for (let i = 0; i < n; i++) prepareBed(fuels, fuelIndex[i] * FUEL_STRIDE, moistures, i * MOISTURE_STRIDE, beds, i * BED_STRIDE);
}

export function fireBehaviorFromBedsReference(
  n: number, beds: Float64Array, bedIndex: Int32Array, winds: Float64Array, windLimit: boolean, out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    behaviourAt(beds, bedIndex[i] * BED_STRIDE, winds[i * WIND_STRIDE], winds[i * WIND_STRIDE + 1], winds[i * WIND_STRIDE + 2], windLimit, out, i * OUT_STRIDE);
  }
}
