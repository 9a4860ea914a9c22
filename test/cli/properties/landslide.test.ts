// Property tests of `sandtable landslide fs`, cells form and grid form with --out (issue 15): see suite.ts.
import fc from 'fast-check';
import { landslideCellsArb, landslideGridArb, type Json } from './arbitraries.ts';
import { corrupt, corruptionArb, geoTiff, placementArb } from './tiff.ts';
import { commandProperties } from './suite.ts';

commandProperties({
  command: 'landslide fs',
  valid: landslideCellsArb.map((json) => ({ json })),
  argv: (file) => ['landslide', 'fs', file],
  runs: { valid: 40, mutated: 120, subprocess: 3 },
  timeoutMs: 10_000,
});

/** The grid case with its soil-depth grid as a GeoTIFF, placed and perhaps corrupted. */
const tiffCases = fc.tuple(landslideGridArb, placementArb, corruptionArb).map(([{ json, grids }, placement, corruption]) => {
  const soil = grids['soil.asc'].split('\n');
  const ncols = Number(soil[0].split(/\s+/)[1]);
  const nrows = Number(soil[1].split(/\s+/)[1]);
  const values = soil.slice(6).join(' ').trim().split(/\s+/).map(Number);
  const c = structuredClone(json) as { grid: Record<string, unknown> };
  c.grid.soil_depth_m = 'soil.tif';
  const { 'soil.asc': _, ...rest } = grids;
  // South-up files (a positive y step) are mirrored into north-up rows (models/grid/geotiff.ts).
  const northUp = placement === 'tiepoint' || placement === 'transform-north-up' || placement === 'south-up';
  return {
    json: c as unknown as Json, grids: rest, binary: { 'soil.tif': corrupt(geoTiff(ncols, nrows, values, 10, placement), corruption) },
    valid: northUp && corruption.op === 'none',
    // Rotated or sheared, or cut short, or claiming a billion columns: refused, naming the file.
    expect: !northUp && corruption.op === 'none' ? { invalidAt: 'soil.tif' }
      : corruption.op === 'huge-width' || corruption.op === 'huge-height' || corruption.op === 'strip-offset-past-end' || (corruption.op === 'truncate' && corruption.fraction < 0.5) ? { invalidAt: 'soil.tif' } : undefined,
  };
});

commandProperties({
  command: 'landslide fs --out',
  extra: [{ name: 'GeoTIFF grids: north-up and south-up ones read, rotated/sheared and corrupt ones refused naming the file', cases: tiffCases, runs: 25, timeoutMs: 4000 }],
  valid: landslideGridArb.map(({ json, grids }) => ({ json, grids })),
  argv: (file, dirs) => ['landslide', 'fs', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['fs_min_t3600.asc', 'manifest.json'],
  runs: { valid: 30, mutated: 120, subprocess: 3, outFolders: 20 },
  timeoutMs: 10_000,
});
