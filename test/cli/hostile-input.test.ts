// Hostile files through the CLI (issue 15): sizes past the memory budget, deep JSON, a byte order
// mark, rotated GeoTIFFs, grids with no data. Each ends in exit 2 with one line naming the file
// (or accepted, for the BOM), never exit 1 or a stack trace.
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES } from '../../models/limits.ts';
import { cliWorkspace } from '../cli-harness.ts';
import { floodReference, singleReachCase } from '../flood/fixtures.ts';
import { SAMPLE_ROWS, tiffOf, transform } from '../grid/tiff-fixtures.ts';

const { sandtable, caseFile, dir } = cliWorkspace('hostile');
const chow = singleReachCase(floodReference.muskingum[0]);

/** A landslide grid case over slope.asc / soil.asc in `dir`, with the slope grid given. */
function landslideCase(name: string, slopeFile: string, slope: string | ArrayBuffer): string {
  const header = 'ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 10\nNODATA_value -9999\n';
  writeFileSync(join(dir, slopeFile), typeof slope === 'string' ? slope : Buffer.from(slope));
  writeFileSync(join(dir, 'soil.asc'), `${header}2.5 3 2.5\n2.2 2.5 4\n`);
  return caseFile(name, {
    grid: {
      slope_deg: slopeFile, soil_depth_m: 'soil.asc', water_table_depth_m: 2, cohesion_pa: 3000, friction_deg: 32,
      unit_weight_soil_n_per_m3: 19500, ks_m_per_s: 5e-6, diffusivity_m2_per_s: 5e-5,
    },
    rain: { period_s: 3600, mm_per_h: [10, 20] },
    output_times_s: [3600, 7200],
  });
}
const SLOPE = 'ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 10\nNODATA_value -9999\n30 35 -9999\n40 45 25\n';

function expectExit2(r: { code: number | null; stdout: string; stderr: string }, line: string): void {
  expect(r.stderr).toBe(line + '\n');
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
}

describe('resource limits: exit 2 naming the file and the limit', () => {
  it('the landslide grid form runs on the sample grids (the baseline the cases below break)', () => {
    const r = sandtable(['landslide', 'fs', landslideCase('ok.json', 'slope.asc', SLOPE)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('an ESRI header with ncols 1000000000', () => {
    const r = sandtable(['landslide', 'fs', landslideCase('wide.json', 'wide.asc', SLOPE.replace('ncols 3', 'ncols 1000000000'))]);
    expectExit2(r, 'error: wide.asc:1:7: has more cells than this engine can hold (got "1000000000 × 2 = 2000000000 cells", expected at most 32000000 cells (the memory budget of the wasm32 kernels))');
  });

  it('a fire spread $.grid past the budget, also once padded to the kernel\'s 16-column strips', () => {
    const fire = (grid: object) => ({
      grid: { cellsize_m: 10, ...grid }, fuel_model: 'GR2', slope_deg: 0, aspect_deg: 0,
      moisture_percent: { d1h: 3, d10h: 3, d100h: 3, live_herb: 30, live_woody: 60 },
      wind: { midflame_m_per_s: 1.6, from_deg: 270 }, ignitions: [{ x_m: 5, y_m: 5, t_s: 0 }], duration_s: 60,
    });
    expectExit2(sandtable(['fire', 'spread', caseFile('fire-big.json', fire({ ncols: 16384, nrows: 16384 })), '--out', join(dir, 'fire-big')]),
      'error: $.grid: has more cells than this engine can hold (got "16384 × 16384 = 268435456 cells", expected at most 32000000 cells (the memory budget of the wasm32 kernels))');
    expectExit2(sandtable(['fire', 'spread', caseFile('fire-pad.json', fire({ ncols: 1953, nrows: 16384 })), '--out', join(dir, 'fire-pad')]),
      'error: $.grid: has more cells than this engine can hold (got "1953 × 16384 cells, 32243712 in kernel strips", expected at most 32000000 cells (the memory budget of the wasm32 kernels))');
  });

  it('a JSON nest 10^5 deep', () => {
    const path = caseFile('deep.json', `{"reaches": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expectExit2(sandtable(['flood', 'route', path]), `error: ${path}:1:268: nesting deeper than 256 levels (expected at most 256 nested arrays and objects)`);
    expectExit2(sandtable(['flood', 'route', '-'], '['.repeat(100_000)), 'error: <stdin>:1:257: nesting deeper than 256 levels (expected at most 256 nested arrays and objects)');
  });

  it('a case file past the 500 MiB text budget is refused by its size, unread', () => {
    const path = caseFile('huge.json', '');
    truncateSync(path, MAX_TEXT_BYTES + 1); // sparse: no disk space used
    expectExit2(sandtable(['flood', 'route', path]), `error: ${path}: is too large for a JSON case (got "${MAX_TEXT_BYTES + 1} bytes", expected at most 500 MiB)`);
  });
});

describe('a UTF-8 byte order mark (Windows editors write one) is skipped', () => {
  it('in a case file and on stdin', () => {
    const plain = sandtable(['flood', 'route', caseFile('plain.json', chow)]);
    expect(plain.code).toBe(0);
    const bom = sandtable(['flood', 'route', caseFile('bom.json', '\uFEFF' + JSON.stringify(chow))]);
    expect(bom.stderr).toBe('');
    expect(bom.stdout).toBe(plain.stdout);
    expect(sandtable(['flood', 'route', '-'], '\uFEFF' + JSON.stringify(chow)).stdout).toBe(plain.stdout);
  });
});

describe('grids read wrong or refused', () => {
  it('a GeoTIFF rotated 30° (transform only, as GDAL writes it) is refused, not read as north-up', () => {
    const c = 10 * Math.cos(Math.PI / 6);
    const rotated = tiffOf([[30, 35, 20], [40, 45, 25]], { ModelTransformation: transform(c, 5, 100, 5, -c, 220) });
    expectExit2(sandtable(['landslide', 'fs', landslideCase('rot.json', 'rotated.tif', rotated)]),
      'error: rotated.tif: is rotated or sheared (got "x per row 5, y per column 5", expected a north-up raster (both 0))');
    const northUp = tiffOf([[30, 35, 20], [40, 45, 25]], { ModelTransformation: transform(10, 0, 100, 0, -10, 220) });
    const r = sandtable(['landslide', 'fs', landslideCase('north.json', 'north.tif', northUp)]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).grid).toMatchObject({ ncols: 3, nrows: 2, nodata_cells: 0 });
  });

  it('xllcenter 1e999 and a truncated TIFF name the file and what is wrong', () => {
    expectExit2(sandtable(['landslide', 'fs', landslideCase('inf.json', 'inf.asc', SLOPE.replace('xllcorner 100', 'xllcenter 1e999'))]),
      'error: inf.asc:3:11: bad xllcenter (got Infinity, expected a finite number)');
    const tiff = tiffOf(SAMPLE_ROWS, { ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 100, 220, 0] });
    const cut = tiff.slice(0, tiff.byteLength - 8);
    expectExit2(sandtable(['landslide', 'fs', landslideCase('cut.json', 'cut.tif', cut)]),
      `error: cut.tif: is truncated: block 0 ends past the end of the file (got "bytes ${cut.byteLength - 16}–${cut.byteLength + 8}", expected within the file's ${cut.byteLength} bytes)`);
  });

  it('an all-NODATA input grid has no data cells: landslide fs grid form and fire spread elevation_m', () => {
    const empty = SLOPE.replace('30 35 -9999\n40 45 25', '-9999 -9999 -9999\n-9999 -9999 -9999');
    expectExit2(sandtable(['landslide', 'fs', landslideCase('empty.json', 'empty.asc', empty)]),
      'error: empty.asc: has no data cells (got "6 cells, all NODATA", expected at least one cell with a value)');
    const fire = caseFile('fire-empty.json', {
      grid: { ncols: 3, nrows: 2, cellsize_m: 10, xllcorner: 100, yllcorner: 200 }, fuel_model: 'GR2', elevation_m: 'empty.asc',
      moisture_percent: { d1h: 3, d10h: 3, d100h: 3, live_herb: 30, live_woody: 60 },
      wind: { midflame_m_per_s: 1.6, from_deg: 270 }, ignitions: [{ x_m: 105, y_m: 205, t_s: 0 }], duration_s: 60,
    });
    expectExit2(sandtable(['fire', 'spread', fire, '--out', join(dir, 'fire-empty')]),
      'error: empty.asc: has no data cells (got "6 cells, all NODATA", expected at least one cell with a value)');
  });
});
