// A synthetic DEM for the terrain benchmarks: a valley tilted to the south-east with five octaves of
// value noise on top, so it has ridges, many closed pits and flats of rounded heights, as SRTM does.
// The same n always gives the same bytes (integer hashing, no Math.random).
import type { Grid } from '../../models/grid/ascii.ts';

export const CELLSIZE_M = 30;

function lattice(seed: number, x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263 + seed * 2246822519) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function valueNoise(seed: number, x: number, y: number): number {
  const x0 = Math.floor(x); const y0 = Math.floor(y);
  const fx = x - x0; const fy = y - y0;
  const sx = fx * fx * (3 - 2 * fx); const sy = fy * fy * (3 - 2 * fy);
  const a = lattice(seed, x0, y0); const b = lattice(seed, x0 + 1, y0);
  const c = lattice(seed, x0, y0 + 1); const d = lattice(seed, x0 + 1, y0 + 1);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

export function syntheticDem(n: number): Grid {
  const values = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const u = c / n; const v = r / n;
      let z = 600 - 250 * u - 300 * v + 400 * Math.abs(u - v);
      let amplitude = 180; let frequency = 6;
      for (let octave = 0; octave < 5; octave++) {
        z += amplitude * valueNoise(octave, u * frequency, v * frequency);
        amplitude *= 0.5; frequency *= 2.1;
      }
      // Heights to the decimetre, as DEMs are stored: flats appear where the noise is gentle.
      values[r * n + c] = Math.round(z * 10) / 10;
    }
  }
  return { ncols: n, nrows: n, xllcorner: 0, yllcorner: 0, cellsize: CELLSIZE_M, nodata: -9999, values };
}

/** The native yardstick's input: int32 nrows, ncols; f64 cellsize, ε, stream threshold (cells); f64 DEM. */
export function demToBytes(dem: Grid, epsilon: number, streamCells: number): Uint8Array {
  const head = new Int32Array([dem.nrows, dem.ncols]);
  const params = new Float64Array([dem.cellsize, epsilon, streamCells]);
  const bytes = new Uint8Array(8 + 24 + dem.values.byteLength);
  bytes.set(new Uint8Array(head.buffer), 0);
  bytes.set(new Uint8Array(params.buffer), 8);
  bytes.set(new Uint8Array(dem.values.buffer, dem.values.byteOffset, dem.values.byteLength), 32);
  return bytes;
}
