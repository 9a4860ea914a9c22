// Rainfall–runoff generation per step: Xinanjiang three-source (Zhao Renjun 1992) and the SCS
// curve number. The plain-TS counterpart of assembly/flood/xinanjiang.ts (agrees to 1e-12
// relative): the wasm runs `flood runoff`, this runs a route case's basins, so it is production
// code, not a test twin, and takes its transcendentals from dmath.
import { dmath } from '../dmath.ts';

export interface XinanjiangParameters {
  K: number; B: number; IM: number; UM: number; LM: number; DM: number; C: number;
  SM: number; EX: number; KI: number; KG: number; CI: number; CG: number;
}

export interface XinanjiangState { WU: number; WL: number; WD: number; S: number; FR: number }

/**
 * Runoff from the tension-water capacity curve (Zhao 1992): point capacities W' follow
 * f = 1 − (1 − W'/WMM)^B with WMM = WM(1 + B); W0 is the areal mean tension water before the
 * step, PE the net rain. Returns R (mm).
 */
export function tensionWaterRunoff(pe: number, w0: number, wm: number, b: number): number {
  if (!(pe > 0)) return 0;
  if (wm <= 0) return pe;
  const wmm = wm * (1 + b);
  const deficit = Math.max(0, 1 - w0 / wm);
  const a = wmm * (1 - dmath.pow(deficit, 1 / (1 + b)));
  if (pe + a >= wmm) return pe - (wm - w0);
  return pe - (wm - w0) + wm * dmath.pow(1 - (pe + a) / wmm, 1 + b);
}

/** Daily KI, KG, CI, CG to a step of dt_s (Zhao 1992; as in 《水文预报》): same daily total outflow. */
export function subDailyCoefficients(p: XinanjiangParameters, dtSeconds: number) {
  const perDay = 86400 / dtSeconds;
  const total = p.KI + p.KG;
  const combined = total > 0 ? 1 - dmath.pow(1 - total, 1 / perDay) : 0;
  const ki = total > 0 ? combined * (p.KI / total) : 0;
  const kg = total > 0 ? combined * (p.KG / total) : 0;
  return { KI: ki, KG: kg, CI: dmath.pow(p.CI, 1 / perDay), CG: dmath.pow(p.CG, 1 / perDay) };
}

export interface XinanjiangStep {
  evaporation: number; runoff: number; surface: number; interflow: number; groundwater: number;
}

/**
 * One step of Xinanjiang runoff generation and source separation, in mm over the basin. The
 * tension-water curve and free water live on the pervious part (1 − IM); the impervious part turns
 * its net rain straight into surface runoff. Written so the water balance closes exactly:
 * P − E − R − ΔW = 0 (W over the basin) and R − RS − RI − RG − Δ(FR·S) = 0.
 */
export function xinanjiangStep(
  p: XinanjiangParameters, k: { KI: number; KG: number }, s: XinanjiangState, rain: number, panEvaporation: number,
): XinanjiangStep {
  const ep = p.K * panEvaporation;
  // Three-layer evaporation (Zhao 1992): upper at the potential rate, then lower in proportion to
  // its storage, then deep at C·(EP − EU).
  let eu: number;
  let el = 0;
  let ed = 0;
  if (s.WU + rain >= ep) {
    eu = ep;
  } else {
    eu = s.WU + rain;
    const rest = ep - eu;
    if (s.WL >= p.C * p.LM) {
      el = Math.min(s.WL, p.LM > 0 ? rest * s.WL / p.LM : 0);
    } else if (s.WL >= p.C * rest) {
      el = p.C * rest;
    } else {
      el = s.WL;
      ed = Math.min(s.WD, p.C * rest - el);
    }
  }
  const e = eu + el + ed;
  const pe = rain - e;
  const wm = p.UM + p.LM + p.DM;
  const w0 = s.WU + s.WL + s.WD;
  let runoff = 0;
  if (pe > 0) {
    runoff = Math.min(pe, Math.max(0, tensionWaterRunoff(pe, w0, wm, p.B)));
    // What is not runoff wets the layers top down; the curve keeps W + PE − R ≤ WM.
    let gain = pe - runoff;
    const toUpper = Math.min(gain, p.UM - s.WU);
    s.WU += toUpper; gain -= toUpper;
    const toLower = Math.min(gain, p.LM - s.WL);
    s.WL += toLower; gain -= toLower;
    s.WD += gain;
  } else {
    s.WU = s.WU + rain - eu;
    s.WL -= el;
    s.WD -= ed;
  }

  // Free water on the runoff-producing area FR (Zhao 1992, SM/EX curve), pervious part.
  let rs = 0;
  if (runoff > 0) {
    const fr = runoff / pe;
    let storage = s.FR * s.S / fr; // the same water spread over the new producing area
    if (storage > p.SM) { rs += (storage - p.SM) * fr; storage = p.SM; }
    const smm = p.SM * (1 + p.EX);
    const au = smm * (1 - dmath.pow(Math.max(0, 1 - storage / p.SM), 1 / (1 + p.EX)));
    let surface = pe + au < smm
      ? fr * (pe + storage - p.SM + p.SM * dmath.pow(1 - (pe + au) / smm, 1 + p.EX))
      : fr * (pe + storage - p.SM);
    surface = Math.min(runoff, Math.max(0, surface));
    rs += surface;
    storage += (runoff - surface) / fr;
    if (storage > p.SM) { rs += (storage - p.SM) * fr; storage = p.SM; }
    s.S = storage;
    s.FR = fr;
  }
  const ri = k.KI * s.S * s.FR;
  const rg = k.KG * s.S * s.FR;
  s.S -= (k.KI + k.KG) * s.S;

  // Impervious part: net rain straight to surface runoff; evaporation only from the rain.
  const pervious = 1 - p.IM;
  const impervious = Math.max(0, rain - ep);
  const eImpervious = rain - impervious;
  return {
    evaporation: pervious * e + p.IM * eImpervious,
    runoff: pervious * runoff + p.IM * impervious,
    surface: pervious * rs + p.IM * impervious,
    interflow: pervious * ri,
    groundwater: pervious * rg,
  };
}

/** SCS curve number: cumulative direct runoff (mm) for cumulative rain P (mm), Ia = λS. */
export function scsRunoff(rainMm: number, cn: number, lambda = 0.2): number {
  const s = 25400 / cn - 254;
  const ia = lambda * s;
  return rainMm > ia ? (rainMm - ia) * (rainMm - ia) / (rainMm - ia + s) : 0;
}

