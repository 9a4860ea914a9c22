// The tiled landslide benchmarks' case (tiles.ts, tiles-coordinator.ts): a whole-city-sized grid
// of side² cells — a slope grid and a soil-depth grid, 12 hours of rain, FS at 6 h and 12 h on 5
// depths — and the same case with an ensemble block for the probability part.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';

/** Writes case.json (and case-ensemble.json with `members`) and its grids into `dir`; returns case.json's path. */
export function writeTileBenchCase(dir: string, side: number, members = 20): string {
  const grid = (f: (r: number, c: number) => number): Grid => ({
    ncols: side, nrows: side, xllcorner: 500000, yllcorner: 3300000, cellsize: 5, nodata: -9999,
    values: Float64Array.from({ length: side * side }, (_, i) => f(Math.floor(i / side), i % side)),
  });
  // Hillsides from 5° to 45°, a river corridor of NODATA, soils 1–3 m: a city's mix of cells.
  writeFileSync(join(dir, 'slope.asc'), formatAsciiGrid(grid((r, c) => (Math.abs(c - side / 2) < side / 40 ? NaN : 5 + 40 * Math.abs(Math.sin(r * 0.013) * Math.cos(c * 0.011)))), 6));
  writeFileSync(join(dir, 'soil.asc'), formatAsciiGrid(grid((r, c) => 1 + 2 * Math.abs(Math.sin((r + c) * 0.007))), 4));
  const input = {
    grid: { slope_deg: 'slope.asc', soil_depth_m: 'soil.asc', water_table_depth_m: 1, cohesion_pa: 3000, friction_deg: 31, unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5, background_infiltration_m_per_s: 1e-8 },
    rain: { period_s: 3600, mm_per_h: [5, 10, 20, 35, 50, 40, 25, 15, 10, 5, 2, 0] },
    output_times_s: [21600, 43200],
    depths_m: [0.5, 1, 1.5, 2, 3],
  };
  const ensemble = {
    members, seed: 1,
    perturbations: {
      cohesion_pa: { distribution: 'uniform', min: 1000, max: 6000 },
      friction_deg: { distribution: 'triangular', min: 27, mode: 31, max: 35 },
      rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.25 },
    },
  };
  writeFileSync(join(dir, 'case-ensemble.json'), JSON.stringify({ ...input, ensemble }));
  writeFileSync(join(dir, 'case.json'), JSON.stringify(input));
  return join(dir, 'case.json');
}
