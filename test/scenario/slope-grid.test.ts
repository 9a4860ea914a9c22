// The region-wide slope grid: each steep block is the same `landslide fs` problem the cells form
// solves (checked block by block), gentle ground is never evaluated, and the summaries agree
// with the grids they summarise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { slopeAspect } from '../../models/grid/terrain.ts';
import { stepGrid } from '../../models/scenario/forcing.ts';
import { rainField } from '../../models/scenario/rain-field.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { runSlopeGrid, slopeGridCase, SLOPE_GRID_MIN_SLOPE_DEG, type SlopeGridRun } from '../../models/scenario/slope-grid.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const engine = createNodeEngine();
const scenario = parseScenario(JSON.parse(readFileSync(join(SCENARIO_DIR, 'storm-peak-24h.json'), 'utf8')));
let region: RegionData;
let slopeDeg: Float64Array;
let run: SlopeGridRun;
let built: ReturnType<typeof slopeGridCase>;

beforeAll(async () => {
  await engine.ready();
  region = await loadRegion(SCENARIO_DIR, 'region/region.json');
  slopeDeg = slopeAspect(region.dem).slopeDeg;
  const grid = stepGrid(scenario);
  const rain = rainField(scenario, region, grid, []);
  built = slopeGridCase(region, slopeDeg, rain, grid, scenario.seed);
  run = (await runSlopeGrid(engine, region, slopeDeg, rain, grid, scenario.seed))!;
}, 120_000);

describe('slope stability over the region (grid form on 100 m blocks)', () => {
  it('evaluates steep blocks only, and some fail in the peak-day storm while most hold', () => {
    const slope = built.inputs.cells.slope_deg as Float64Array;
    let steep = 0;
    for (let i = 0; i < slope.length; i++) {
      if (Number.isNaN(slope[i])) expect(Number.isNaN(run.fsMin.values[i])).toBe(true);
      else { steep++; expect(slope[i]).toBeGreaterThanOrEqual(SLOPE_GRID_MIN_SLOPE_DEG); expect(run.fsMin.values[i]).toBeGreaterThan(0); }
    }
    expect(run.cells).toBe(steep);
    const peak = Math.max(...run.cellsBelow1);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(steep / 2);
  });

  it('a block fails exactly when its first-failure time is set, and the hourly counts match the grids', () => {
    const first = run.firstBelow1S.values;
    for (let i = 0; i < first.length; i++) expect(Number.isNaN(first[i])).toBe(!(run.fsMin.values[i] < 1));
    // FS at the finite-depth base only recovers slowly: the count at hour h is those failed by then and not recovered.
    const failedBy = (t: number) => Array.from(first).filter((f) => f <= t).length;
    expect(run.cellsBelow1[0]).toBe(failedBy(3600));
    expect(Math.max(...run.cellsBelow1)).toBeLessThanOrEqual(failedBy(86400));
  });

  it('each block equals the cells form with the same soil and rain (wasm grid vs cells path)', async () => {
    const slope = built.inputs.cells.slope_deg as Float64Array;
    const picks = [...slope.keys()].filter((i) => !Number.isNaN(slope[i])).filter((_, k) => k % 997 === 0).slice(0, 6);
    for (const i of picks) {
      const cell = Object.fromEntries(Object.entries(built.inputs.cells).map(([key, value]) => [key, typeof value === 'number' ? value : value[i]]));
      const out = await engine.landslideFs({
        cells: [cell],
        rain: { period_s: 3600, mm_per_h: built.inputs.rain.mmPerHour.map((hour) => hour[i]) },
        output_times_s: built.inputs.outputTimesS, basal_boundary: 'finite',
      });
      const fsMin = Math.min(...out.cells[0].times.map((t) => t.fs_min ?? Infinity));
      expect(run.fsMin.values[i]).toBeCloseTo(fsMin, 9);
    }
  });
});
