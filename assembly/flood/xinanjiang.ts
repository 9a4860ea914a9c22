// Xinanjiang runoff generation and source separation (Zhao Renjun 1992) for many sub-basins at
// once: the kernel of models/flood/runoff.ts `xinanjiangStep` (same operations, same order; pow
// comes from AssemblyScript's libm and V8's, so the two agree to ~1e-12 relative, not bit for bit).
//
// Memory (regions allocated by the host):
//   params  f64[16·basins]  K, B, IM, UM, LM, DM, C, SM, EX, KI, KG (per step, already converted)
//   state   f64[8·basins]   WU, WL, WD, S, FR (in: at t = 0; out: at the end)
//   rain, evaporation f64[steps·basins], time-major, mm per step
//   out     f64[5·steps·basins], time-major: evaporation, runoff R, surface, interflow, groundwater (mm)
import { f64At, setF64 } from "../memory";
import { XINANJIANG_OUTPUTS, XINANJIANG_PARAMS, XINANJIANG_STATE } from "./layout";


@inline function min(a: f64, b: f64): f64 {
  return a < b ? a : b;
}

@inline function max(a: f64, b: f64): f64 {
  return a > b ? a : b;
}

/** Runoff from the tension-water capacity curve (see models/flood/runoff.ts tensionWaterRunoff). */
export function tensionWaterRunoff(pe: f64, w0: f64, wm: f64, b: f64): f64 {
  if (!(pe > 0)) return 0;
  if (wm <= 0) return pe;
  const wmm = wm * (1 + b);
  const deficit = max(0, 1 - w0 / wm);
  const a = wmm * (1 - Math.pow(deficit, 1 / (1 + b)));
  if (pe + a >= wmm) return pe - (wm - w0);
  return pe - (wm - w0) + wm * Math.pow(1 - (pe + a) / wmm, 1 + b);
}

function step(p: usize, s: usize, rain: f64, panEvaporation: f64, out: usize): void {
  const K = f64At(p, 0); const B = f64At(p, 1); const IM = f64At(p, 2); const UM = f64At(p, 3); const LM = f64At(p, 4);
  const DM = f64At(p, 5); const C = f64At(p, 6); const SM = f64At(p, 7); const EX = f64At(p, 8); const KI = f64At(p, 9); const KG = f64At(p, 10);
  let WU = f64At(s, 0); let WL = f64At(s, 1); let WD = f64At(s, 2); let S = f64At(s, 3); let FR = f64At(s, 4);
  const ep = K * panEvaporation;
  let eu: f64;
  let el: f64 = 0;
  let ed: f64 = 0;
  if (WU + rain >= ep) {
    eu = ep;
  } else {
    eu = WU + rain;
    const rest = ep - eu;
    if (WL >= C * LM) {
      el = min(WL, LM > 0 ? rest * WL / LM : 0);
    } else if (WL >= C * rest) {
      el = C * rest;
    } else {
      el = WL;
      ed = min(WD, C * rest - el);
    }
  }
  const e = eu + el + ed;
  const pe = rain - e;
  const wm = UM + LM + DM;
  const w0 = WU + WL + WD;
  let runoff: f64 = 0;
  if (pe > 0) {
    runoff = min(pe, max(0, tensionWaterRunoff(pe, w0, wm, B)));
    let gain = pe - runoff;
    const toUpper = min(gain, UM - WU);
    WU += toUpper; gain -= toUpper;
    const toLower = min(gain, LM - WL);
    WL += toLower; gain -= toLower;
    WD += gain;
  } else {
    WU = WU + rain - eu;
    WL -= el;
    WD -= ed;
  }
  let rs: f64 = 0;
  if (runoff > 0) {
    const fr = runoff / pe;
    let storage = FR * S / fr;
    if (storage > SM) { rs += (storage - SM) * fr; storage = SM; }
    const smm = SM * (1 + EX);
    const au = smm * (1 - Math.pow(max(0, 1 - storage / SM), 1 / (1 + EX)));
    let surface = pe + au < smm
      ? fr * (pe + storage - SM + SM * Math.pow(1 - (pe + au) / smm, 1 + EX))
      : fr * (pe + storage - SM);
    surface = min(runoff, max(0, surface));
    rs += surface;
    storage += (runoff - surface) / fr;
    if (storage > SM) { rs += (storage - SM) * fr; storage = SM; }
    S = storage;
    FR = fr;
  }
  const ri = KI * S * FR;
  const rg = KG * S * FR;
  S -= (KI + KG) * S;
  const pervious = 1 - IM;
  const impervious = max(0, rain - ep);
  const eImpervious = rain - impervious;
  setF64(out, 0, pervious * e + IM * eImpervious);
  setF64(out, 1, pervious * runoff + IM * impervious);
  setF64(out, 2, pervious * rs + IM * impervious);
  setF64(out, 3, pervious * ri);
  setF64(out, 4, pervious * rg);
  setF64(s, 0, WU); setF64(s, 1, WL); setF64(s, 2, WD); setF64(s, 3, S); setF64(s, 4, FR);
}

export function runXinanjiang(basins: i32, steps: i32, params: usize, state: usize, rain: usize, evaporation: usize, out: usize): void {
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < basins; b++) {
      const k = t * basins + b;
      step(
        params + (<usize>(b * XINANJIANG_PARAMS) << 3), state + (<usize>(b * XINANJIANG_STATE) << 3),
        f64At(rain, k), f64At(evaporation, k), out + (<usize>(k * XINANJIANG_OUTPUTS) << 3),
      );
    }
  }
}
