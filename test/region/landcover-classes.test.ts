// Land cover other than ESA WorldCover: the CORINE presets and a city's own code → land cover table
// written in the case, each checked by JSON path and applied by the builder.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { LANDCOVER, LANDCOVER_PRESETS } from '../../models/region/builder/landcover.ts';
import { runCli } from '../cli-harness.ts';
import { CELL, N, writeFixture, XLL, YLL, type Fixture } from './fixture.ts';

const made: Fixture[] = [];
afterAll(() => { for (const f of made) rmSync(f.dir, { recursive: true, force: true }); });

/** A land-cover grid on the DEM's own grid: `west` in columns 0–31, `east` in 32–63. */
const lcGrid = (west: number, east: number) => [`ncols ${N}`, `nrows ${N}`, `xllcorner ${XLL}`, `yllcorner ${YLL}`, `cellsize ${CELL}`, 'NODATA_value -9999',
  ...Array.from({ length: N }, () => Array.from({ length: N }, (_, c) => (c < 32 ? west : east)).join(' ')), ''].join('\n');

async function build(classes: unknown, west: number, east: number) {
  const fixture = writeFixture({ landcover: { file: 'lc.asc', classes } });
  made.push(fixture);
  writeFileSync(join(fixture.dir, 'lc.asc'), lcGrid(west, east));
  const { files, report } = await buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
  const cells = (name: string) => files[name].split('\n').slice(6, 6 + N).map((l) => l.trim().split(/\s+/).map(Number));
  return { landcover: cells('landcover.asc'), fuel: cells('fuel.asc'), report };
}

const problemsOf = (promise: Promise<unknown>) => promise.then(() => [], (e) => {
  if (!(e instanceof InputError)) throw e;
  return e.problems.map(formatProblem);
});

describe('land-cover class tables', () => {
  it('the CORINE preset carries the 44 level-3 classes of the EEA nomenclature, and corine-raster the same by value 1–44', () => {
    // Kosztra et al. 2019, "Updated CLC illustrated nomenclature guidelines" (EEA), Annex 1.
    const clc = [111, 112, 121, 122, 123, 124, 131, 132, 133, 141, 142, 211, 212, 213, 221, 222, 223, 231, 241, 242, 243, 244,
      311, 312, 313, 321, 322, 323, 324, 331, 332, 333, 334, 335, 411, 412, 421, 422, 423, 511, 512, 521, 522, 523];
    expect(LANDCOVER_PRESETS.corine.map((r) => r.code)).toEqual(clc);
    expect(LANDCOVER_PRESETS['corine-raster'].map((r) => r.code)).toEqual(clc.map((_, k) => k + 1));
    expect(LANDCOVER_PRESETS['corine-raster'].map((r) => r.landcover)).toEqual(LANDCOVER_PRESETS.corine.map((r) => r.landcover));
  });

  it('"classes": "corine": 312 coniferous forest west, 512 water bodies east', async () => {
    const { landcover, fuel, report } = await build('corine', 312, 512);
    expect([landcover[5][3], fuel[5][3]]).toEqual([LANDCOVER.forest, 165]);
    expect([landcover[5][60], fuel[5][60]]).toEqual([LANDCOVER.reservoir, 98]);
    expect(report.warnings.filter((w: string) => w.startsWith('land-cover class'))).toEqual([]);
  });

  it('"classes": "corine-raster": the EEA raster\'s 24 (312) and 41 (512) map the same', async () => {
    const { landcover, fuel } = await build('corine-raster', 24, 41);
    expect([landcover[5][3], fuel[5][3], landcover[5][60], fuel[5][60]]).toEqual([LANDCOVER.forest, 165, LANDCOVER.reservoir, 98]);
  });

  it('a table in the case: code → land cover, fuel given or the land cover\'s usual one; unmapped codes warned', async () => {
    const { landcover, fuel } = await build([{ code: 7, landcover: 'farmland' }, { code: 9, landcover: 'forest', fuel: 145 }], 7, 9);
    expect([landcover[5][3], fuel[5][3]]).toEqual([LANDCOVER.farmland, 93]);
    expect([landcover[5][60], fuel[5][60]]).toEqual([LANDCOVER.forest, 145]);
    const other = await build([{ code: 7, landcover: 'urban' }], 7, 3);
    expect(other.report.warnings).toContain(`land-cover class 3 (${N * 32} cells) of lc.asc has no mapping: taken as grass/shrub`);
  });

  it('a bad table is refused row by row at its JSON path', async () => {
    const problems = await problemsOf(build([
      { code: 10, landcover: 'forest' }, { code: 10.5, landcover: 'forest' }, { code: 10, landcover: 'urban' },
      { code: 11, landcover: 'wetland' }, { code: 12, landcover: 'bare', fuel: 0 }, { code: 13, landcover: 'bare', colour: 'red' }, 'x',
    ], 10, 10));
    expect(problems).toEqual([
      'error: $.landcover.classes[1].code: is not a class number (got 10.5, expected an integer, as the land-cover raster stores it)',
      'error: $.landcover.classes[2].code: repeats the code of $.landcover.classes[0] (got 10, expected each code once)',
      'error: $.landcover.classes[3].landcover: is not a land cover of the region (got "wetland", expected river, reservoir, urban, farmland, grassShrub, forest, bare)',
      'error: $.landcover.classes[4].fuel: is not a fuel model number (got 0, expected a standard fuel model number (1–13, 91–204))',
      'error: $.landcover.classes[5].colour: unknown field (got "red", expected code, landcover, fuel)',
      'error: $.landcover.classes[6]: must be an object (got "x", expected { "code": 111, "landcover": "urban", "fuel": 91 })',
    ]);
    expect(await problemsOf(build([], 10, 10))).toEqual(['error: $.landcover.classes: is an empty class table (got 0, expected at least one { "code", "landcover" } row)']);
  });

  it('an unknown preset name lists the presets; the CLI prints it and exits 2', async () => {
    const fixture = writeFixture({ landcover: { file: 'lc.asc', classes: 'corine-2018' } });
    made.push(fixture);
    writeFileSync(join(fixture.dir, 'lc.asc'), lcGrid(10, 10));
    const result = await runCli(['region', 'build', fixture.caseFile, '--out', join(fixture.dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('error: $.landcover.classes: is not a class table (got "corine-2018", expected "esa-worldcover", "corine", "corine-raster", a table [{ "code", "landcover", "fuel" }] or a mapping CSV (class,landcover,fuel))');
  });
});
