import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyWhatIf, compareSummaries, describeChange } from '../../models/scenario/whatif.ts';
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
});
