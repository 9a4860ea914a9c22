// Bad risk-list input: each problem one `error: <path>: …` line with the value and what was expected.
import { describe, expect, it } from 'vitest';
import { parseGradeCase } from '../../models/risklist/grade.ts';
import { depthItem, problemsOf, readings } from './helpers.ts';

const good = () => ({
  until_s: 1000,
  items: [depthItem('UP-01'), { id: 'ST-02', category: 'septic-tank', lec: { L: 3, E: 6, C: 7 }, factors: [] }],
  readings: readings('UP-01', 'depth_cm', [[100, 15], [200, 5]]),
});

describe('risklist grade input errors', () => {
  it('a reading naming an unknown item or an unknown factor', () => {
    const c = good();
    c.readings.push({ t_s: 300, item: 'UP-99', factor: 'depth_cm', value: 1 }, { t_s: 400, item: 'UP-01', factor: 'depth_mm', value: 1 });
    expect(problemsOf(c)).toEqual([
      'error: $.readings[2].item: names no item (got "UP-99", expected the id of an item in $.items)',
      'error: $.readings[3].factor: names no factor of item UP-01 (got "depth_mm", expected one of depth_cm)',
    ]);
  });

  it('"_note" keys are comments in level-keyed objects too (thresholds, hold_s), as everywhere', () => {
    const c = good();
    c.items[0] = depthItem('UP-01', { thresholds: { 2: 10, 3: 20, 4: 30, _note: 'from the 2023 survey' } });
    expect(() => parseGradeCase({ ...c, hold_s: { 4: 3600, _why: 'district rule' } })).not.toThrow();
    c.items[0] = depthItem('UP-01', { thresholds: { _note: 'none yet' } });
    expect(problemsOf(c)).toEqual([
      'error: $.items[0].factors[0].thresholds: must give at least one threshold by level (got an object, expected { "2": yellow, "3": orange, "4": red })',
    ]);
  });

  it('thresholds in the wrong order for their direction', () => {
    const c = good();
    c.items[0] = depthItem('UP-01', { thresholds: { 2: 10, 3: 30, 4: 20 } });
    c.items.push({ id: 'UT-1', factors: [{ id: 'o2', direction: 'below', thresholds: { 2: 18, 3: 19.5 } }] } as never);
    expect(problemsOf(c)).toEqual([
      'error: $.items[0].factors[0].thresholds["4"]: is out of order for direction above (got 20, expected more than 30, the threshold of level 3)',
      'error: $.items[2].factors[0].thresholds["3"]: is out of order for direction below (got 19.5, expected less than 18, the threshold of level 2)',
    ]);
  });

  it('levels outside 1–4 wherever a level is given', () => {
    const c = {
      ...good(),
      items: [depthItem('UP-01', { thresholds: { 2: 10, 5: 40 } }), { id: 'B', base_level: 0, factors: [] }],
      warnings: [{ id: 'W', t_s: 1, level: 5, hazard: 'rainstorm', area: 'x' }],
      events: [{ t_s: 1, item: 'B', kind: 'accident', level: 7 }],
      pins: [{ t_s: 1, item: 'B', level: 0 }],
      hold_s: { 5: 100 },
    };
    expect(problemsOf(c)).toEqual([
      'error: $.hold_s["5"]: unknown field (expected one of 2, 3, 4)',
      'error: $.items[0].factors[0].thresholds["5"]: is not a level (got "5", expected a level 1, 2, 3 or 4)',
      'error: $.items[1].base_level: out of range (got 0, expected an integer in [1, 4])',
    ]);
    const later = { ...c, items: [depthItem('UP-01'), { id: 'B', factors: [] }], hold_s: undefined };
    expect(problemsOf(later)).toEqual([
      'error: $.warnings[0].level: out of range (got 5, expected an integer in [1, 4])',
      'error: $.events[0].level: out of range (got 7, expected an integer in [1, 4])',
      'error: $.pins[0].level: out of range (got 0, expected an integer in [1, 4])',
    ]);
  });

  it('readings out of time order are taken in time order, not refused (a file exported per sensor)', () => {
    const c = good();
    c.readings.push({ t_s: 150, item: 'UP-01', factor: 'depth_cm', value: 1 });
    expect(Array.from(parseGradeCase(c).batch.readingTime)).toEqual([100, 150, 200]);
  });

  it('LEC values off the table, a matrix out of range, duplicate ids, missing until_s', () => {
    const c = {
      items: [
        { id: 'A', lec: { L: 4, E: 6, C: 7 }, factors: [] },
        { id: 'A', factors: [] },
        { id: 'M', matrix: { likelihood: 6, severity: 1 }, factors: [] },
      ],
    };
    expect(problemsOf(c)).toEqual([
      'error: $.until_s: is required (got nothing, expected a number in [0, 1000000000000] s)',
      'error: $.items[0].lec.L: is not a tabulated LEC value (got 4, expected one of 10, 6, 3, 1, 0.5, 0.2, 0.1)',
      'error: $.items[1].id: repeats the id of $.items[0] (got "A", expected a unique item id)',
      'error: $.items[2].matrix.likelihood: out of range (got 6, expected an integer in [1, 5])',
    ]);
  });

  it('a misspelt field is flagged instead of falling back to a default', () => {
    const c = good();
    c.items[0] = depthItem('UP-01', { on_delay: 60 });
    expect(problemsOf(c)).toEqual([
      'error: $.items[0].factors[0].on_delay: unknown field (expected one of id, direction, thresholds, unit, name, source, deadband, on_delay_s, stale_after_s, interval_s)',
    ]);
  });

  it('a long list of bad readings is summarised after 20 lines', () => {
    const c = good();
    for (let k = 0; k < 30; k++) c.readings.push({ t_s: 300 + k, item: 'nope', factor: 'x', value: 0 });
    const problems = problemsOf(c);
    expect(problems).toHaveLength(21);
    expect(problems[20]).toBe('error: $.readings: has 10 more problems not listed');
  });
});
