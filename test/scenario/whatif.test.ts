import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../models/grid/ascii.ts';
import { floodInundation } from '../../models/scenario/inundation.ts';
import { runSummary } from '../../models/scenario/outputs.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import type { ScenarioRun } from '../../models/scenario/run.ts';
import { applyWhatIf, compareSummaries, describeChange, effectiveChange, whatIfLevers, whatIfRecord } from '../../models/scenario/whatif.ts';
import { parseScenario } from '../../models/scenario/schema.ts';

const dir = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const storm = JSON.parse(readFileSync(`${dir}storm-peak-24h.json`, 'utf8'));
const fire = JSON.parse(readFileSync(`${dir}fire-summer.json`, 'utf8'));

describe('what-if variants', () => {
  it('scales the rain, leaves the original untouched, and stays a valid scenario', () => {
    const original = JSON.stringify(storm);
    const variant = applyWhatIf(storm, { rainFactor: 1.5 });
    expect(JSON.stringify(storm)).toBe(original);
    const rain = (variant.forcing as { rain: { mm_per_h: number[] } }).rain.mm_per_h;
    rain.forEach((r, k) => expect(r).toBeCloseTo(storm.forcing.rain.mm_per_h[k] * 1.5, 12));
    expect(parseScenario(variant).id).toBe('mountain-city-storm-peak-24h-whatif');
  });

  it('scales gridded rain by one factor and sub-basin rain series by series', () => {
    const radar = JSON.parse(readFileSync(`${dir}storm-radar-24h.json`, 'utf8'));
    const twice = applyWhatIf(applyWhatIf(radar, { rainFactor: 1.5 }), { rainFactor: 2 });
    expect(parseScenario(twice).rain.grids!.factor).toBe(3);
    expect(parseScenario(twice).rain.grids!.files).toEqual(radar.forcing.rain.grids);
    const basins = { ...storm, forcing: { ...storm.forcing, rain: { period_s: 3600, basins: { R001: [1, 2], R002: [4, 0] } } } };
    expect((applyWhatIf(basins, { rainFactor: 1.5 }).forcing as { rain: { basins: unknown } }).rain.basins).toEqual({ R001: [1.5, 3], R002: [6, 0] });
  });

  it('turns and strengthens the wind, wrapping the direction into [0, 360)', () => {
    const variant = applyWhatIf(fire, { windShiftDeg: 90, windFactor: 1.2 });
    const wind = parseScenario(variant).wind;
    expect(wind.map((w) => w.fromDeg)).toEqual([30, 0, 325]);
    wind.forEach((w, k) => expect(w.speed10mMPerS).toBeCloseTo(fire.forcing.wind[k].speed_10m_m_per_s * 1.2, 12));
  });

  it('cuts a fire break at t = 0 as a delivered barrier inject', () => {
    const line: [number, number][] = [[646400, 3271500], [647400, 3278500]];
    const parsed = parseScenario(applyWhatIf(fire, { fireBreak: line }));
    const cut = parsed.injects.find((i) => i.id === 'WHATIF-BREAK')!;
    expect(cut.trigger).toEqual({ type: 'time', t_s: 0 });
    expect(cut.action).toEqual({ type: 'barrier', polyline_m: line });
    expect(describeChange({ rainFactor: 1.5, fireBreak: line })).toBe('rain ×1.5, fire break');
  });

  it('compares outcomes row by row', () => {
    const summary = (peak: number, red: number) => ({
      gauges: [{ id: 'G-outlet', peak_m3_per_s: peak }], slopes: { fs_below_1: 1 }, risk_list: { reached_by_level: { 4: red } },
      warnings: { issued: 3 }, people_under_warning_peak: { 4: 100 },
    }) as unknown as Parameters<typeof compareSummaries>[0];
    const rows = compareSummaries(summary(1000, 5), summary(1500, 9));
    expect(rows[0]).toEqual({ key: 'G-outlet peak', metric: 'gauge_peak', gauge: 'G-outlet', base: 1000, variant: 1500, unit: 'm³/s' });
    expect(rows.find((r) => r.key === 'items reaching red')).toMatchObject({ metric: 'items_red', base: 5, variant: 9 });
  });

  it('compares flooded area and people in flooded cells from the runs, as counted by hand on a 2 × 2 block', () => {
    // Four land cells of 100 m × 100 m (0.01 km² each), heights above the stream 0.2, 0.5, 0.8 and
    // 2.0 m, 10, 20, 30 and 40 residents. Base: the reach stands 1.0 m over bankfull → depths 0.8,
    // 0.5, 0.2, 0 → two cells at ≥ 0.3 m: 0.02 km², 10 + 20 = 30 people. Variant: 2.0 m → depths
    // 1.8, 1.5, 1.2, 0 → three cells: 0.03 km², 60 people.
    const grid = (values: number[]): Grid => ({ ncols: 2, nrows: 2, xllcorner: 0, yllcorner: 0, cellsize: 100, nodata: -9999, values: Float64Array.from(values) });
    const region = {
      manifest: { grid: { ncols: 2, nrows: 2, xllcorner: 0, yllcorner: 0, cellsize_m: 100 }, landcover_codes: { river: 1, reservoir: 2 } },
      basins: grid([0, 0, 0, 0]), hand: grid([0.2, 0.5, 0.8, 2.0]), landcover: grid([3, 3, 3, 3]),
      population: grid([10, 20, 30, 40]), buildings: grid([1, 1, 1, 1]),
    } as unknown as RegionData;
    const summaryOf = (excessM: number) => {
      const inundation = floodInundation(region, Float64Array.from([excessM]));
      const run = {
        seed: 1, engineVersion: 'test', gauges: [], risk: { final: {}, changes: [] }, fsBySlope: new Map(), warnings: [], delivered: [], timingsMs: {},
        peopleByWarningLevel: { 1: [0], 2: [0], 3: [0], 4: [0] }, buildingsByWarningLevel: { 1: [0], 2: [0], 3: [0], 4: [0] }, inundation,
      } as unknown as ScenarioRun;
      return runSummary(run, parseScenario(storm), 'sha');
    };
    const rows = compareSummaries(summaryOf(1.0), summaryOf(2.0));
    expect(rows.find((r) => r.metric === 'flooded_area')).toEqual({ key: 'flooded area', metric: 'flooded_area', base: 0.02, variant: 0.03, unit: 'km²' });
    expect(rows.find((r) => r.metric === 'people_flooded')).toEqual({ key: 'people in flooded cells', metric: 'people_flooded', base: 30, variant: 60, unit: '' });
  });

  it('offers only the levers that act on the scenario: rain for a storm, wind and a break where it burns', () => {
    expect(whatIfLevers(parseScenario(storm), false)).toEqual(['rain_factor']);
    // The fire day has no rain at all: scaling it would change nothing.
    expect(whatIfLevers(parseScenario(fire), true)).toEqual(['wind_shift_deg', 'wind_factor', 'fire_break']);
    expect(effectiveChange({ rainFactor: 1.5, windShiftDeg: 30, windFactor: 1.2 }, ['rain_factor'])).toEqual({ rainFactor: 1.5 });
    // Levers left where they were are no settings of the what-if.
    const line: [number, number][] = [[0, 0], [1, 1]];
    expect(effectiveChange({ rainFactor: 1, windShiftDeg: 0, windFactor: 1, fireBreak: line }, whatIfLevers(parseScenario(fire), true))).toEqual({ fireBreak: line });
  });

  it('keeps a what-if for the record with its settings and headline results', () => {
    const rows = [{ key: 'flooded area', metric: 'flooded_area' as const, base: 0.02, variant: 0.03, unit: 'km²' }];
    expect(whatIfRecord(3600, { windShiftDeg: 30, fireBreak: [[0, 0], [1, 1]] }, rows, 'abc')).toEqual({
      t_s: 3600, settings: { wind_shift_deg: 30, fire_break: true }, described: 'wind +30°, fire break', results_sha256: 'abc',
      outcomes: [{ key: 'flooded area', metric: 'flooded_area', base: 0.02, variant: 0.03, unit: 'km²' }],
    });
  });
});
