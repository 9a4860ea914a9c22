// Forecast scores of a simulated hydrograph against observations: Nash–Sutcliffe efficiency,
// Kling–Gupta efficiency (Gupta et al. 2009; Kling et al. 2012), peak and peak-time errors, and the
// qualified-forecast rules of GB/T 22482-2008 (SL 250-2000).
import type { Problem } from '../errors.ts';

export interface ForecastScores {
  nse: number;
  kge_2009: number;
  kge_2012: number;
  /** Pearson correlation, variability ratio σs/σo, bias ratio μs/μo, CV ratio (KGE's parts). */
  r: number; alpha: number; beta: number; gamma: number;
  peak_observed_m3_per_s: number;
  peak_simulated_m3_per_s: number;
  peak_error_m3_per_s: number;
  peak_error_relative: number;
  peak_time_error_s: number;
  volume_error_relative: number;
  runoff_depth_error_mm?: number;
  gb_t_22482: {
    /** The deterministic coefficient DC is the NSE; grade A ≥ 0.90, B ≥ 0.70, C ≥ 0.50 (else none). */
    dc_grade: 'A' | 'B' | 'C' | null;
    peak_allowed_m3_per_s: number;
    peak_qualified: boolean;
    peak_time_allowed_s: number;
    peak_time_qualified: boolean;
    runoff_depth_allowed_mm?: number;
    runoff_depth_qualified?: boolean;
    qualified: boolean;
  };
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

function argMax(a: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[k]) k = i;
  return k;
}

export function nse(sim: ArrayLike<number>, obs: ArrayLike<number>): number {
  const mo = mean(obs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < obs.length; i++) {
    num += (sim[i] - obs[i]) ** 2;
    den += (obs[i] - mo) ** 2;
  }
  return 1 - num / den;
}

export function kgeParts(sim: ArrayLike<number>, obs: ArrayLike<number>) {
  const ms = mean(sim);
  const mo = mean(obs);
  let sso = 0; let sss = 0; let soo = 0;
  for (let i = 0; i < obs.length; i++) {
    sso += (sim[i] - ms) * (obs[i] - mo);
    sss += (sim[i] - ms) ** 2;
    soo += (obs[i] - mo) ** 2;
  }
  const r = sso / Math.sqrt(sss * soo);
  const alpha = Math.sqrt(sss / soo);
  const beta = ms / mo;
  const gamma = alpha / beta; // (σs/μs)/(σo/μo)
  return {
    r, alpha, beta, gamma,
    kge2009: 1 - Math.sqrt((r - 1) ** 2 + (alpha - 1) ** 2 + (beta - 1) ** 2),
    kge2012: 1 - Math.sqrt((r - 1) ** 2 + (gamma - 1) ** 2 + (beta - 1) ** 2),
  };
}

/**
 * Scores for one series, t = 0..n at dt_s, the forecast issued at t = 0. GB/T 22482 rules as
 * cases.json states them: peak within 20 % of the observed peak; peak time within 30 % of the lead
 * time to the observed peak but never less than max(3 h, one step); runoff depth (basins, given the
 * area) within 20 % of the observed depth, clamped to [3, 20] mm.
 */
export function forecastScores(sim: ArrayLike<number>, obs: ArrayLike<number>, dtSeconds: number, areaKm2?: number): ForecastScores {
  const k = kgeParts(sim, obs);
  const po = argMax(obs);
  const ps = argMax(sim);
  const peakObserved = obs[po];
  const peakSimulated = sim[ps];
  let volumeSim = 0;
  let volumeObs = 0;
  for (let i = 1; i < obs.length; i++) {
    volumeSim += 0.5 * (sim[i - 1] + sim[i]) * dtSeconds;
    volumeObs += 0.5 * (obs[i - 1] + obs[i]) * dtSeconds;
  }
  const peakAllowed = 0.2 * peakObserved;
  const peakTimeAllowed = Math.max(0.3 * po * dtSeconds, 3 * 3600, dtSeconds);
  const peakQualified = Math.abs(peakSimulated - peakObserved) <= peakAllowed;
  const peakTimeQualified = Math.abs(ps - po) * dtSeconds <= peakTimeAllowed;
  const value = nse(sim, obs);
  const scores: ForecastScores = {
    nse: value, kge_2009: k.kge2009, kge_2012: k.kge2012, r: k.r, alpha: k.alpha, beta: k.beta, gamma: k.gamma,
    peak_observed_m3_per_s: peakObserved,
    peak_simulated_m3_per_s: peakSimulated,
    peak_error_m3_per_s: peakSimulated - peakObserved,
    peak_error_relative: (peakSimulated - peakObserved) / peakObserved,
    peak_time_error_s: (ps - po) * dtSeconds,
    volume_error_relative: (volumeSim - volumeObs) / volumeObs,
    gb_t_22482: {
      dc_grade: value >= 0.9 ? 'A' : value >= 0.7 ? 'B' : value >= 0.5 ? 'C' : null,
      peak_allowed_m3_per_s: peakAllowed, peak_qualified: peakQualified,
      peak_time_allowed_s: peakTimeAllowed, peak_time_qualified: peakTimeQualified,
      qualified: peakQualified && peakTimeQualified,
    },
  };
  if (areaKm2 !== undefined) {
    const depthObs = volumeObs / (areaKm2 * 1000);
    const depthSim = volumeSim / (areaKm2 * 1000);
    const allowed = Math.min(20, Math.max(3, 0.2 * depthObs));
    scores.runoff_depth_error_mm = depthSim - depthObs;
    scores.gb_t_22482.runoff_depth_allowed_mm = allowed;
    scores.gb_t_22482.runoff_depth_qualified = Math.abs(depthSim - depthObs) <= allowed;
    scores.gb_t_22482.qualified = scores.gb_t_22482.qualified && scores.gb_t_22482.runoff_depth_qualified;
  }
  return scores;
}

/** Observations to score against: one per step from t = 0, and not constant (NSE needs a variance). */
export function checkObserved(values: Float64Array, path: string, steps: number, problems: Problem[]): void {
  if (values.length !== steps + 1) {
    problems.push({ path, message: `does not match the ${steps} steps`, value: values, expected: `${steps + 1} values, one per step from t = 0` });
  } else if (values.every((v) => v === values[0])) {
    problems.push({ path, message: 'is constant', value: values[0], expected: 'an observed hydrograph that varies (NSE and KGE need its variance)' });
  }
}

