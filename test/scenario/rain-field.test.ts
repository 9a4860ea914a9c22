// Rain in its three scenario forms (areal series, a series per sub-basin, grids per period): each
// form's district, sub-basin and item rain checked against independent sums over the region's
// cells; the forms agree where they describe the same rain; bad grids are named by JSON path.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { cellAt, formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { stepGrid } from '../../models/scenario/forcing.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { rainField } from '../../models/scenario/rain-field.ts';
import { rainMap } from '../../models/scenario/rain-map.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { cliWorkspace } from '../cli-harness.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const peak = JSON.parse(readFileSync(join(SCENARIO_DIR, 'storm-peak-24h.json'), 'utf8'));
const AREAL: number[] = peak.forcing.rain.mm_per_h;
let region: RegionData;

beforeAll(async () => { region = await loadRegion(SCENARIO_DIR, 'region/region.json'); }, 60_000);

const withRain = (rain: unknown) => parseScenario({ ...peak, forcing: { ...peak.forcing, rain } });
const gridFiles = AREAL.map((_, h) => `rain-${h}.asc`);

/** A 1-km rain grid over the region (22 × 22 cells) with `rate(col, row)` mm/h. */
function rainGrid(rate: (col: number, row: number) => number, overrides: Partial<Grid> = {}): Grid {
  const size = 22;
  const values = new Float64Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) values[r * size + c] = rate(c, r);
  return { ncols: size, nrows: size, xllcorner: region.manifest.grid.xllcorner, yllcorner: region.manifest.grid.yllcorner, cellsize: 1000, nodata: -9999, values, ...overrides };
}

function problems(work: () => unknown): string[] {
  try { work(); } catch (error) { if (error instanceof InputError) return error.problems.map(formatProblem); throw error; }
  throw new Error('expected an InputError');
}

describe('rain forms', () => {
  it('uniform grids and uniform sub-basin series give exactly the areal rain', () => {
    const areal = withRain({ period_s: 3600, mm_per_h: AREAL });
    const grid = stepGrid(areal);
    const reference = rainField(areal, region, grid, []);
    const grids = AREAL.map((rate) => rainGrid(() => rate));
    const gridded = rainField(withRain({ period_s: 3600, grids: gridFiles }), region, grid, [], grids);
    const basins = Object.fromEntries(region.manifest.reaches.map((r) => [r.id, AREAL]));
    const perBasin = rainField(withRain({ period_s: 3600, basins }), region, grid, []);
    for (const field of [gridded, perBasin]) {
      for (const [district, depths] of reference.byDistrict) expect(Array.from(field.byDistrict.get(district)!)).toEqual(Array.from(depths));
      for (const [reach, depths] of reference.byBasin) expect(Array.from(field.byBasin.get(reach)!)).toEqual(Array.from(depths));
      for (const [item, depths] of reference.atItem) expect(Array.from(field.atItem.get(item)!)).toEqual(Array.from(depths));
    }
    // The areal series' depth per 15-min step is a quarter of the hour's rate.
    expect(reference.byDistrict.get('yuzhong')![44]).toBeCloseTo(AREAL[11] / 4, 12);
  });

  it('grids: each district and sub-basin gets the mean over its cells, each item its own cell, and no rain is lost', () => {
    // Rate varies with column and row so every district and basin sees a different mean.
    const rate = (c: number, r: number) => 2 * c + 0.5 * r + 1;
    const grids = AREAL.map(() => rainGrid(rate));
    const scenario = withRain({ period_s: 3600, grids: gridFiles });
    const field = rainField(scenario, region, stepGrid(scenario), [], grids);
    const { ncols, nrows, xllcorner, yllcorner, cellsize_m: size } = region.manifest.grid;
    const sum = new Map<string, number>(); const count = new Map<string, number>();
    let regionTotal = 0;
    for (let r = 0; r < nrows; r++) {
      for (let c = 0; c < ncols; c++) {
        const x = xllcorner + (c + 0.5) * size; const y = yllcorner + (nrows - r - 0.5) * size;
        const at = cellAt(grids[0], x, y)!;
        const value = rate(at.col, at.row);
        const district = region.manifest.districts[region.districts.values[r * ncols + c]].id;
        sum.set(district, (sum.get(district) ?? 0) + value);
        count.set(district, (count.get(district) ?? 0) + 1);
        regionTotal += value;
      }
    }
    let fromDistricts = 0;
    for (const [district, depths] of field.byDistrict) {
      expect(depths[0] * 4).toBeCloseTo(sum.get(district)! / count.get(district)!, 9); // mm per 15 min → mm/h
      fromDistricts += depths[0] * 4 * count.get(district)!;
    }
    expect(fromDistricts / regionTotal).toBeCloseTo(1, 12);
    for (const item of region.items.slice(0, 40)) {
      const at = cellAt(grids[0], item.x_m, item.y_m)!;
      expect(field.atItem.get(item.id)![10] * 4).toBeCloseTo(rate(at.col, at.row), 12);
    }
    // Districts differ: the west–east gradient shows in the means.
    const means = [...field.byDistrict.values()].map((d) => d[0]);
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(1);
    // The map's rain layer shows, per 8-cell block, the radar rate at the block's centre cell.
    const map = rainMap(field, region, stepGrid(scenario), 8);
    expect(map.periods).toBe(AREAL.length);
    for (const [row, col] of [[0, 0], [37, 91], [127, 127]]) {
      const r = row * 8 + 4; const c = col * 8 + 4;
      const at = cellAt(grids[0], xllcorner + (c + 0.5) * size, yllcorner + (nrows - r - 0.5) * size)!;
      expect(map.mmPerH[5 * map.ncols * map.nrows + row * map.ncols + col]).toBeCloseTo(rate(at.col, at.row), 4);
    }
  });

  it('sub-basin series: a district gets the area-weighted rain of the sub-basins it overlaps', () => {
    const basins = Object.fromEntries(region.manifest.reaches.map((r) => [r.id, AREAL.map(() => r.index % 7)]));
    const scenario = withRain({ period_s: 3600, basins });
    const field = rainField(scenario, region, stepGrid(scenario), []);
    const weighted = new Map<number, [number, number]>();
    region.basins.values.forEach((b, i) => {
      if (!(b >= 0)) return; // outside every sub-basin (NODATA)
      const d = region.districts.values[i];
      const [s, n] = weighted.get(d) ?? [0, 0];
      weighted.set(d, [s + (b % 7), n + 1]);
    });
    region.manifest.districts.forEach((district, d) => {
      const [s, n] = weighted.get(d)!;
      expect(field.byDistrict.get(district.id)![5] * 4).toBeCloseTo(s / n, 9);
    });
    for (const reach of region.manifest.reaches) expect(field.byBasin.get(reach.id)![0] * 4).toBe(reach.index % 7);
  });

  it('a rain inject scales gridded rain in its districts only', () => {
    const grids = AREAL.map(() => rainGrid(() => 10));
    const scenario = withRain({ period_s: 3600, grids: gridFiles });
    const field = rainField(scenario, region, stepGrid(scenario), [{ fromS: 3600, toS: 7200, factor: 2, areas: ['yuzhong'] }], grids);
    expect(Array.from(field.byDistrict.get('yuzhong')!.slice(3, 9))).toEqual([2.5, 5, 5, 5, 5, 2.5]);
    expect(Array.from(field.byDistrict.get('beibei')!.slice(3, 9))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
  });
});

describe('rain input errors', () => {
  it('names a rain grid that does not cover the region, one of another size, NODATA and bad rates', () => {
    const scenario = withRain({ period_s: 3600, grids: gridFiles });
    const grid = stepGrid(scenario);
    const good = () => rainGrid(() => 5);
    const shifted = AREAL.map((_, h) => (h === 1 ? rainGrid(() => 5, { xllcorner: region.manifest.grid.xllcorner + 5000 }) : good()));
    expect(problems(() => rainField(scenario, region, grid, [], shifted))).toEqual([
      'error: $.forcing.rain.grids[1]: rain-1.asc has a different grid from rain-0.asc (got "22 × 22 cells of 1000 m at (645000, 3262000)", expected 22 × 22 cells of 1000 m at (640000, 3262000), as every rain grid)',
    ]);
    const small = AREAL.map(() => rainGrid(() => 5, { ncols: 10, values: new Float64Array(220).fill(5) }));
    expect(problems(() => rainField(scenario, region, grid, [], small))[0]).toBe(
      'error: $.forcing.rain.grids[0]: rain-0.asc does not cover the region (got "x 640000…650000, y 3262000…3284000", expected a grid covering x 640000…660480, y 3262000…3282480 (region.json))');
    const holes = AREAL.map((_, h) => rainGrid((c, r) => (h === 2 && c === 3 && r === 4 ? NaN : h === 5 && c === 0 && r === 21 ? -1 : 5)));
    expect(problems(() => rainField(scenario, region, grid, [], holes))).toEqual([
      'error: $.forcing.rain.grids[2]: rain-2.asc row 5, column 4 is NODATA inside the region (got "NODATA", expected a rain rate of 0–300 mm/h over the whole region)',
      'error: $.forcing.rain.grids[5]: rain-5.asc row 22, column 1 is not a rain rate (got -1, expected a rain rate of 0–300 mm/h over the whole region)',
    ]);
  });

  it('names the rain form, short grid lists and unknown or missing sub-basins', () => {
    expect(problems(() => withRain({ period_s: 3600, mm_per_h: AREAL, grids: gridFiles }))[0]).toMatch(
      /^error: \$\.forcing\.rain: gives rain in 2 forms \(mm_per_h, grids\) \(got .*, expected exactly one of "mm_per_h" \(areal series\), "basins" \(a series per sub-basin\) or "grids" \(a grid file per period\)\)$/);
    expect(problems(() => withRain({ period_s: 3600, grids: gridFiles.slice(0, 20) }))).toEqual([
      'error: $.forcing.rain.grids: covers 72000 s of a 86400 s scenario (got 20, expected at least 24 grids of 3600 s)',
    ]);
    expect(problems(() => withRain({ period_s: 3600, grids: ['a.asc', 'b.png'] }))[0]).toMatch(/^error: \$\.forcing\.rain\.grids\[1\]: must name grid files \(got "b\.png"/);
    const basins = Object.fromEntries(region.manifest.reaches.slice(1).map((r) => [r.id, AREAL]));
    const scenario = withRain({ period_s: 3600, basins: { ...basins, R999: AREAL } });
    const found = problems(() => rainField(scenario, region, stepGrid(scenario), []));
    expect(found[0]).toBe('error: $.forcing.rain.basins.R999: is not a sub-basin of the region (got "R999", expected a reach id of region.json (each reach has one sub-basin))');
    expect(found[1]).toMatch(/^error: \$\.forcing\.rain\.basins: has no series for 1 sub-basin\(s\) \(got "R\d+", expected a series for every sub-basin with area\)$/);
  });
});

describe('sandtable run with rain grids', () => {
  const { dir, sandtable } = cliWorkspace('rain-grids');
  it('runs the shipped radar storm, and names a missing grid file by JSON path', () => {
    const ok = sandtable(['run', join(SCENARIO_DIR, 'storm-radar-24h.json')]);
    // Nothing but the models' own warnings (`warning: <model>: …`, models/scenario/model-warnings.ts).
    expect(ok.stderr.split('\n').filter((l) => l !== '' && !/^(warning|note): /.test(l))).toEqual([]);
    expect(ok.code).toBe(0);
    const summary = JSON.parse(ok.stdout);
    // The convective cell crosses the centre: Yuzhong gets far more than the northern suburbs.
    expect(summary.scenario).toBe('mountain-city-storm-radar-24h');
    const radar = JSON.parse(readFileSync(join(SCENARIO_DIR, 'storm-radar-24h.json'), 'utf8'));
    radar.region = relative(dir, join(SCENARIO_DIR, 'region/region.json'));
    // Every file the scenario names resolves against its own folder (absolute ones as they are).
    radar.models.risklist.items = join(SCENARIO_DIR, 'region/risk-items.json');
    radar.forcing.rain.grids = radar.forcing.rain.grids.map((f: string, k: number) => (k === 3 ? 'missing.asc' : join(SCENARIO_DIR, f)));
    const file = join(dir, 'radar.json');
    writeFileSync(file, JSON.stringify(radar));
    const bad = sandtable(['run', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('error: $.forcing.rain.grids[3]: names a file that does not exist (got "missing.asc", expected a readable grid file)');
    writeFileSync(join(dir, 'small.asc'), formatAsciiGrid({ ncols: 2, nrows: 2, xllcorner: 0, yllcorner: 0, cellsize: 1000, nodata: -9999, values: new Float64Array(4) }));
    radar.forcing.rain.grids[3] = 'small.asc';
    writeFileSync(file, JSON.stringify(radar));
    const wrong = sandtable(['run', file]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('error: $.forcing.rain.grids[3]: small.asc has a different grid from');
  });
});
