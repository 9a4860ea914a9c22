// Flame length from fireline intensity (Byram 1959) in SI: L = 0.0775 · I^0.46, L in m, I in kW/m.
// The kernel uses the same relation in behave's English units (0.45 · I^0.46, ft and Btu/ft/s).
// The app shows it per cell in the fire details box; computed here with the module's libm so the
// number is the same in Node and every browser (README, "Deterministic across Node and the browser").
import { dmath } from '../dmath.ts';

export function byramFlameLengthM(intensityKwPerM: number): number {
  return intensityKwPerM > 0 ? 0.0775 * dmath.pow(intensityKwPerM, 0.46) : 0;
}

/** Flame length of every cell (0 where the fire did not burn), for the app's fire layer. */
export function flameLengthsM(intensityKwPerM: ArrayLike<number>): Float32Array {
  const out = new Float32Array(intensityKwPerM.length);
  for (let i = 0; i < out.length; i++) {
    const intensity = intensityKwPerM[i];
    out[i] = Number.isFinite(intensity) ? byramFlameLengthM(intensity) : 0;
  }
  return out;
}
