// Plain-TS twin of assembly/landslide/iverson.ts (same algorithm, same operation order: it agrees
// with wasm bit for bit). Tests and benchmarks only: production packs cells with ./packed.ts and runs
// the kernel (./kernel.ts).
import { cosPi, erfcGivenGaussian, expD, expMinusSquare, ierfcD, INV_SQRT_PI } from './reference-special.ts';
import type { RunResult, RunSetup } from './packed.ts';

import { BASAL_INFINITE, CELL_BETA, CELL_COHESION, CELL_FOUR_D1, CELL_FRICTION_RATIO, CELL_KS, CELL_SOIL_DEPTH, CELL_STRIDE, CELL_WATER_FRICTION, CELL_WATER_TABLE, CELL_WEIGHT_SHEAR } from '../../assembly/landslide/layout.ts';

// What tests and benchmarks build their cases from, beside the twin.
export { BASAL_FINITE, BASAL_INFINITE, CELL_STRIDE } from '../../assembly/landslide/layout.ts';
export { packCell, packCells, type CellProperties, type RunResult, type RunSetup } from './packed.ts';
export * from './reference-special.ts';

export const FS_CAP = 10;
const MAX_IMAGE_TERMS = 100000;

/** Beyond this 1/√t*, exp(−1/t*) and erfc(1/√t*) are both exactly 0 in doubles. */
const R_ZERO_BEYOND = 27.5;

export function iversonR(tStar: number): number {
  if (!(tStar > 0)) return 0;
  const s = Math.sqrt(tStar);
  const eta = 1.0 / s;
  if (eta >= R_ZERO_BEYOND) return 0;
  const gaussian = eta <= 0.46875 ? expD(-(eta * eta)) : expMinusSquare(eta);
  return s * INV_SQRT_PI * gaussian - erfcGivenGaussian(eta, gaussian);
}

let imageTermsUsed = 0;

/** From this D₁t/L² on, the Fourier series (≤ ~5 terms) replaces the image series (≤ ~4 terms below). */
export const FOURIER_FROM_TAU = 0.2;
const PI_SQUARED = 9.86960440108935799230e+00;
const TWO_OVER_PI_SQUARED = 2.02642367284675542887e-01;
/** A Fourier term's decay factor below this moves F by less than 1e-17 of the slab's L. */
const NEGLIGIBLE_DECAY = 1e-17;

/** Finite depth, method of images: fast while the wetting front has not felt the base much. */
export function imageSeriesResponse(z: number, lag: number, fourD1: number, soilDepth: number): number {
  const w = Math.sqrt(fourD1 * lag);
  let sum = 0;
  let m = 1;
  for (; m <= MAX_IMAGE_TERMS; m++) {
    const term = ierfcD((2.0 * (m - 1) * soilDepth + z) / w) + ierfcD((2.0 * m * soilDepth - z) / w);
    const before = sum;
    sum += term;
    if (sum === before) break;
  }
  if (m > imageTermsUsed) imageTermsUsed = m;
  return w * sum;
}

/**
 * Finite depth, Fourier series (Carslaw & Jaeger's slab with a flux on top and an insulated base):
 * F = D₁t/L + x²/2L − L/6 − (2L/π²) Σₙ (−1)ⁿ/n² · exp(−n²π²D₁t/L²) · cos(nπx/L), x = L − Z.
 */
export function fourierResponse(z: number, lag: number, fourD1: number, soilDepth: number): number {
  const d1t = 0.25 * (fourD1 * lag);
  const tau = d1t / (soilDepth * soilDepth);
  const x = soilDepth - z;
  const c1 = cosPi(x / soilDepth);
  let previous = 1.0;
  let current = c1;
  let series = 0;
  let n = 1;
  for (; n <= MAX_IMAGE_TERMS; n++) {
    if (n > 1) {
      const next = 2.0 * c1 * current - previous;
      previous = current;
      current = next;
    }
    const decay = expD(-(n * n) * PI_SQUARED * tau);
    const term = decay * current / (n * n);
    series += n % 2 === 1 ? -term : term;
    if (decay < NEGLIGIBLE_DECAY) break;
  }
  if (n > imageTermsUsed) imageTermsUsed = n;
  return d1t / soilDepth + x * x / (2.0 * soilDepth) - soilDepth / 6.0 - soilDepth * TWO_OVER_PI_SQUARED * series;
}

export function unitResponse(z: number, lag: number, fourD1: number, soilDepth: number, basal: number): number {
  if (!(lag > 0)) return 0;
  if (basal === BASAL_INFINITE) return z * iversonR(fourD1 * lag / (z * z));
  if (0.25 * (fourD1 * lag) / (soilDepth * soilDepth) >= FOURIER_FROM_TAU) return fourierResponse(z, lag, fourD1, soilDepth);
  return imageSeriesResponse(z, lag, fourD1, soilDepth);
}

export function factorOfSafety(cells: Float64Array, at: number, z: number, psi: number): number {
  const wet = psi > 0 ? psi : 0;
  const fs = cells[at + CELL_FRICTION_RATIO]
    + (cells[at + CELL_COHESION] - wet * cells[at + CELL_WATER_FRICTION]) / (cells[at + CELL_WEIGHT_SHEAR] * z);
  return fs > FS_CAP ? FS_CAP : fs;
}

function isNoData(cells: Float64Array, at: number): boolean {
  let sum = 0;
  for (let k = 0; k < CELL_STRIDE; k++) sum += cells[at + k];
  return sum !== sum;
}

export function runReference(cells: Float64Array, setup: RunSetup): RunResult {
  const cellCount = cells.length / CELL_STRIDE;
  const T = setup.times.length;
  const K = setup.depths.length;
  const P = setup.boundaries.length - 1;
  const rainStride = setup.rainPerCell ? P : 0;
  const fsMin = new Float64Array(cellCount * T);
  const zAtFsMin = new Float64Array(cellCount * T);
  const pressureHead = setup.profiles ? new Float64Array(cellCount * T * K) : undefined;
  const fsAtDepth = setup.profiles ? new Float64Array(cellCount * T * K) : undefined;
  const firstFailure = new Float64Array(cellCount);
  const rik = new Float64Array(P);
  const maxLag = setup.lagged && T > 0 ? setup.lagged.timeSteps[T - 1] : 0;
  const lagResponse = new Float64Array(maxLag + 1);
  let nonFiniteCount = 0;
  let noDataCells = 0;
  imageTermsUsed = 0;

  const record = (c: number, j: number, k: number, at: number, z: number, psiRaw: number): void => {
    const cap = cells[at + CELL_BETA] * z;
    const psi = psiRaw > cap ? cap : psiRaw;
    const fs = factorOfSafety(cells, at, z, psi);
    const o = c * T + j;
    if (pressureHead) pressureHead[o * K + k] = psi;
    if (fsAtDepth) fsAtDepth[o * K + k] = fs;
    if (fs < fsMin[o]) { fsMin[o] = fs; zAtFsMin[o] = z; }
    if (!(Number.isFinite(fs) && Number.isFinite(psi))) nonFiniteCount++;
  };
  const belowBase = (c: number, j: number, k: number): void => {
    if (pressureHead) pressureHead[(c * T + j) * K + k] = NaN;
    if (fsAtDepth) fsAtDepth[(c * T + j) * K + k] = NaN;
  };

  for (let c = 0; c < cellCount; c++) {
    const at = c * CELL_STRIDE;
    if (isNoData(cells, at)) {
      fsMin.fill(NaN, c * T, (c + 1) * T);
      zAtFsMin.fill(NaN, c * T, (c + 1) * T);
      pressureHead?.fill(NaN, c * T * K, (c + 1) * T * K);
      fsAtDepth?.fill(NaN, c * T * K, (c + 1) * T * K);
      firstFailure[c] = NaN;
      noDataCells++;
      continue;
    }
    const ks = cells[at + CELL_KS];
    for (let n = 0; n < P; n++) {
      const r = setup.intensity[c * rainStride + n] / ks;
      rik[n] = r > 1.0 ? 1.0 : r;
    }
    fsMin.fill(Infinity, c * T, (c + 1) * T);
    zAtFsMin.fill(NaN, c * T, (c + 1) * T);
    const soilDepth = cells[at + CELL_SOIL_DEPTH];
    const fourD1 = cells[at + CELL_FOUR_D1];
    const beta = cells[at + CELL_BETA];
    const waterTable = cells[at + CELL_WATER_TABLE];
    for (let k = 0; k < K; k++) {
      const z = setup.depthsAreFractions ? setup.depths[k] * soilDepth : setup.depths[k];
      if (z > soilDepth) {
        for (let j = 0; j < T; j++) belowBase(c, j, k);
        continue;
      }
      if (setup.lagged) {
        const { period, timeSteps } = setup.lagged;
        let previous = 0;
        for (let lag = 1; lag <= maxLag; lag++) {
          const response = unitResponse(z, lag * period, fourD1, soilDepth, setup.basal);
          lagResponse[lag] = response - previous;
          previous = response;
        }
        const base = beta * (z - waterTable);
        for (let j = 0; j < T; j++) {
          const step = timeSteps[j];
          const active = step < P ? step : P;
          let psi = base;
          for (let n = 0; n < active; n++) {
            const r = rik[n];
            if (r === 0) continue;
            psi += r * lagResponse[step - n];
          }
          record(c, j, k, at, z, psi);
        }
      } else {
        for (let j = 0; j < T; j++) {
          const t = setup.times[j];
          let psi = beta * (z - waterTable);
          for (let n = 0; n < P; n++) {
            const start = setup.boundaries[n];
            if (!(t > start)) break;
            const r = rik[n];
            if (r === 0) continue;
            const response = unitResponse(z, t - start, fourD1, soilDepth, setup.basal)
              - unitResponse(z, t - setup.boundaries[n + 1], fourD1, soilDepth, setup.basal);
            psi += r * response;
          }
          record(c, j, k, at, z, psi);
        }
      }
    }
    let first = NaN;
    for (let j = 0; j < T; j++) {
      const o = c * T + j;
      if (fsMin[o] === Infinity) fsMin[o] = NaN;
      else if (fsMin[o] < 1 && first !== first) first = setup.times[j];
    }
    firstFailure[c] = first;
  }
  return { fsMin, zAtFsMin, pressureHead, fsAtDepth, firstFailure, nonFiniteCount, noDataCells, maxImageTerms: imageTermsUsed };
}
