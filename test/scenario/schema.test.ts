import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { isoAt, parseScenario } from '../../models/scenario/schema.ts';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../scenarios/mountain-city/${name}`, import.meta.url), 'utf8'));
const storm = read('storm-72h.json');

function problemsOf(input: unknown): string[] {
  try { parseScenario(input); } catch (error) { if (error instanceof InputError) return error.problems.map(formatProblem); throw error; }
  throw new Error('expected an InputError');
}

describe('scenario files', () => {
  it('the shipped storm and fire scenarios are valid', () => {
    const s = parseScenario(storm);
    expect(s.durationS).toBe(72 * 3600);
    expect(s.rain.series!.values).toHaveLength(72);
    expect(s.riverInflows.map((r) => r.river)).toEqual(['main', 'tributary']);
    expect(s.injects).toHaveLength(7);
    expect(s.exercise).toBe(true);
    const fire = parseScenario(read('fire-summer.json'));
    expect(fire.fuelMoisturePercent.d1h).toBe(4);
    expect(fire.wind.map((w) => w.fromDeg)).toEqual([300, 270, 235]);
    const radar = parseScenario(read('storm-radar-24h.json'));
    expect(radar.rain.series).toBeUndefined();
    expect(radar.rain.grids!.files).toHaveLength(24);
  });

  it('turns scenario seconds into times in the scenario\'s own offset', () => {
    const s = parseScenario(storm);
    expect(isoAt(s, 0)).toBe('2026-07-14T20:00:00+08:00');
    expect(isoAt(s, 41 * 3600)).toBe('2026-07-16T13:00:00+08:00');
  });

  it('names each problem by JSON path', () => {
    const bad = structuredClone(storm);
    bad.start_time = '2026-07-14 20:00';
    bad.step_s = 7000;
    bad.forcing.rain.mm_per_h = bad.forcing.rain.mm_per_h.slice(0, 48);
    bad.forcing.wind[1].t_s = 0;
    bad.models.volcano = {};
    bad.injects[2].action.type = 'meteor';
    expect(problemsOf(bad)).toEqual([
      'error: $.start_time: is not an ISO 8601 time with a UTC offset (got "2026-07-14 20:00", expected e.g. "2026-07-14T20:00:00+08:00")',
      'error: $.step_s: does not divide the duration (got 7000, expected a divisor of duration_s = 259200)',
      'error: $.forcing.rain.mm_per_h: covers 172800 s of a 259200 s scenario (got an array of 48, expected at least 72 values of 3600 s)',
      'error: $.forcing.wind[1].t_s: is not after the previous entry (got 0, expected a time > 0 s)',
      'error: $.models.volcano: unknown field (expected one of flood, landslide, fire, risklist)',
      'error: $.injects[2].action.type: is not a model change the engine knows (got "meteor", expected one of rain, ignition, dam-release, barrier, sensor-reading, warning-issue, warning-lift, evacuation)',
    ]);
  });

  it('refuses an unknown schema version outright', () => {
    expect(problemsOf({ ...storm, schema: 'sandtable.scenario/9' })).toEqual([
      'error: $.schema: is not a scenario schema this engine reads (got "sandtable.scenario/9", expected "sandtable.scenario/1")',
    ]);
  });

  it('fuel moisture out of range and a missing wind series', () => {
    const bad = structuredClone(storm);
    bad.forcing.fuel_moisture_percent.d1h = 0;
    delete bad.forcing.wind;
    expect(problemsOf(bad)).toEqual([
      'error: $.forcing.wind: must be a non-empty array (got nothing, expected [{ "t_s": 0, "speed_10m_m_per_s": …, "from_deg": … }, …])',
      'error: $.forcing.fuel_moisture_percent.d1h: out of range (got 0, expected a number in [1, 100] %)',
    ]);
  });
});
