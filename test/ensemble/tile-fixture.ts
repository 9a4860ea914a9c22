// A small landslide grid case for the tile tests: a DEM (slope is a neighbourhood quantity, so
// tile edges would show if slope were taken per tile), zones, soil depth with NODATA holes and a
// flat patch, rain as one grid per period, warning levels and pressure heads: every output grid
// and summary field the grid form has.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';

export const NROWS = 13;
export const NCOLS = 17;

const grid = (f: (r: number, c: number) => number): Grid => ({
  ncols: NCOLS, nrows: NROWS, xllcorner: 500000, yllcorner: 3300000, cellsize: 10, nodata: -9999,
  values: Float64Array.from({ length: NROWS * NCOLS }, (_, i) => f(Math.floor(i / NCOLS), i % NCOLS)),
});

const HYETOGRAPH = [10, 25, 40, 20, 5, 0];

export function tileFixtureGrids(): Record<string, Grid> {
  return {
    // A valley side steepening to the east, with a flat terrace (rows 0–2, cols 0–3) and ripples.
    'dem.asc': grid((r, c) => (r <= 2 && c <= 3 ? 100 : 100 + 0.3 * c * c + 3 * Math.sin(r * 0.9) + 2 * Math.cos(c * 1.3 + r))),
    'soil.asc': grid((r, c) => ((r * 7 + c * 3) % 11 === 0 ? NaN : 1.5 + ((r + 2 * c) % 5) * 0.4)),
    'zones.asc': grid((r, c) => ((r + c) % 3 === 0 ? 2 : 1)),
    ...Object.fromEntries(HYETOGRAPH.map((mm, n) => [`rain${n}.asc`, grid((r, c) => mm * (0.6 + 0.05 * ((r + c + n) % 9)))])),
  };
}

export const tileFixtureCase = {
  grid: {
    elevation_m: 'dem.asc', soil_depth_m: 'soil.asc', water_table_depth_m: 1.5, zones: 'zones.asc',
    zone_table: [
      { zone: 1, cohesion_pa: 2500, friction_deg: 31, unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5 },
      { zone: 2, cohesion_pa: 800, friction_deg: 27, unit_weight_soil_n_per_m3: 19000, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-4, background_infiltration_m_per_s: 1e-8 },
    ],
  },
  rain: { period_s: 3600, grids_mm_per_h: HYETOGRAPH.map((_, n) => `rain${n}.asc`) },
  output_times_s: [7200, 21600],
  depths_m: [0.5, 1, 1.5, 2, 2.5, 3, 3.5],
  warning: { thresholds: ['caine_1980'] },
  output: { pressure_head_depths_m: [1] },
};

/** Writes the case and its grids into `dir`; returns the case's path. */
export function writeTileFixture(dir: string): string {
  for (const [name, g] of Object.entries(tileFixtureGrids())) writeFileSync(join(dir, name), formatAsciiGrid(g));
  writeFileSync(join(dir, 'case.json'), JSON.stringify(tileFixtureCase, null, 2));
  return join(dir, 'case.json');
}
