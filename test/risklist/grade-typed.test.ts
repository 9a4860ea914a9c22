// A `risklist grade` case built from a coupling's values (models/risklist/grade-typed.ts) is the
// same case as the file form given the same values as JSON: same packed list and batch, same
// output, and the same problems by the same paths — so the scenario's risk list lost its JSON
// round trip without changing a byte. The levels expected below are worked by hand from
// CONTRACT.md's rules (LEC D = L·E·C bands, matrix = likelihood × severity bands, sensor thresholds).
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { InputError, type Problem } from '../../models/errors.ts';
import { parseGradeCase, type GradeCase } from '../../models/risklist/grade.ts';
import { gradeCaseFromValues, type GradeCaseValues } from '../../models/risklist/grade-typed.ts';
import type { FactorValues, ItemValues } from '../../models/risklist/parse.ts';
import { createModelMemo, memoizeModels } from '../../models/scenario/memo.ts';

const engine = createNodeEngine();

// A coupled factor as models/scenario/readings.ts coupledFactors writes it (its category's thresholds).
const depth = (over: Partial<FactorValues> = {}): FactorValues => ({
  id: 'depth_cm', direction: 'above', thresholds: { 2: 15, 3: 27, 4: 50 }, deadband: 2, on_delay_s: 0, stale_after_s: 1800, ...over,
});
const freeboard = (over: Partial<FactorValues> = {}): FactorValues => ({
  id: 'water_level_below_deck_m', direction: 'below', thresholds: { 2: 2, 3: 1, 4: 0.3 }, deadband: 0.05, on_delay_s: 0, stale_after_s: 7200, ...over,
});

function items(): ItemValues[] {
  return [
    // Given out of id order: the packed list sorts them, and $.items[k] stays the input's k.
    { id: 'UP-07', category: 'underpass', area: 'north', hazards: ['rainstorm', 'flood'], factors: [depth()] },
    // LEC D = 3·6·7 = 126: level 2 (70 < D ≤ 160).
    { id: 'BR-02', category: 'bridge', area: 'south', hazards: ['flood'], lec: { L: 3, E: 6, C: 7 }, factors: [freeboard()] },
    // Matrix 4 × 4 = 16: level 3.
    { id: 'SC-01', category: 'school', area: 'north', hazards: ['rainstorm'], matrix: { likelihood: 4, severity: 4 }, factors: [] },
  ];
}

function values(over: Partial<GradeCaseValues> = {}): GradeCaseValues {
  return {
    untilS: 7200,
    items: items(),
    // Not in time order (the coupling sorts them, a file need not), one after until_s (dropped), depths such as 0.1/3.
    readings: [
      { t_s: 900, item: 'UP-07', factor: 'depth_cm', value: 12.4 },
      { t_s: 1800, item: 'UP-07', factor: 'depth_cm', value: 31.2 },
      { t_s: 1800, item: 'BR-02', factor: 'water_level_below_deck_m', value: 1.85 },
      { t_s: 1500, item: 'UP-07', factor: 'depth_cm', value: 0.1 / 3 },
      { t_s: 2700, item: 'UP-07', factor: 'depth_cm', value: 55 },
      { t_s: 9000, item: 'UP-07', factor: 'depth_cm', value: 99 },
    ],
    warnings: [
      { id: 'RS-north-3', t_s: 600, lift_s: 5400, level: 3, hazard: 'rainstorm', areas: ['north'] },
      { id: 'FL-south-4', t_s: 3600, level: 4, hazard: 'flood', areas: ['south'] },
    ],
    ...over,
  };
}

/** The same values in the file form (what models/scenario/run.ts used to hand the engine). */
const fileForm = (v: GradeCaseValues) => JSON.parse(JSON.stringify({ until_s: v.untilS, items: v.items, readings: v.readings, warnings: v.warnings }));

const problemsOf = (f: () => unknown): Problem[] => {
  try { f(); } catch (e) { if (e instanceof InputError) return e.problems; throw e; }
  throw new Error('no error');
};
const sameProblems = (v: GradeCaseValues) => {
  const typed = problemsOf(() => gradeCaseFromValues(v));
  expect(typed).toEqual(problemsOf(() => parseGradeCase(fileForm(v))));
  return typed;
};
const bytes = (c: GradeCase) => [...Object.values(c.defs.list), ...Object.values(c.batch)]
  .map((a) => (ArrayBuffer.isView(a) ? Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex') : JSON.stringify(a)));

describe('risk-list grade case from values', () => {
  it('packs, batches and grades the same as the file form', async () => {
    const v = values();
    const typed = gradeCaseFromValues(v);
    const fromFile = parseGradeCase(fileForm(v));
    expect(typed).toEqual(fromFile);
    expect(bytes(typed)).toEqual(bytes(fromFile));
    // Five readings up to until_s, sorted by time; the sixth (t 9000 s) is beyond it.
    expect(Array.from(typed.batch.readingTime)).toEqual([900, 1500, 1800, 1800, 2700]);
    const output = await engine.risklistGradeCase(typed);
    expect(JSON.stringify(output)).toBe(JSON.stringify(await engine.risklistGrade(fileForm(v))));
    // Base levels from the LEC and the matrix; the underpass red at 55 cm, the bridge red under the flood warning.
    expect(output.final).toEqual({ 'BR-02': 4, 'SC-01': 3, 'UP-07': 4 });
    expect(output.changes.map((c) => [c.t_s, c.item, c.to, c.reason.rule])).toContainEqual([2700, 'UP-07', 4, 'sensor']);
    expect(output.changes.map((c) => [c.t_s, c.item, c.to, c.reason.rule])).toContainEqual([3600, 'BR-02', 4, 'warning']);
  });

  it('keeps the file form’s checks and paths for an item: id, lec, matrix, one way only, holds', () => {
    const withItem = (k: number, over: Partial<ItemValues>) => {
      const list = items();
      list[k] = { ...list[k], ...over };
      return values({ items: list });
    };
    expect(sameProblems(withItem(1, { lec: { L: 4, E: 6, C: 7 } }))[0]).toMatchObject({ path: '$.items[1].lec.L', message: 'is not a tabulated LEC value', value: 4 });
    // The lec and matrix come from the user's items file: their keys stay checked.
    expect(sameProblems(withItem(1, { lec: { L: 3, E: 6, C: 7, D: 126 } as ItemValues['lec'] }))[0]).toMatchObject({ path: '$.items[1].lec.D' });
    expect(sameProblems(withItem(2, { matrix: { likelihood: 6, severity: 1 } }))[0]).toMatchObject({ path: '$.items[2].matrix.likelihood', message: 'out of range' });
    expect(sameProblems(withItem(2, { lec: { L: 3, E: 6, C: 7 } }))[0]).toMatchObject({ path: '$.items[2].matrix', message: 'conflicts with lec' });
    expect(sameProblems(withItem(2, { id: 'UP-07' }))[0]).toMatchObject({ path: '$.items[2].id', message: 'repeats the id of $.items[0]' });
    expect(sameProblems(withItem(0, { hold_s: { 4: -1 } }))[0]).toMatchObject({ path: '$.items[0].hold_s["4"]', message: 'out of range' });
  });

  it('keeps the file form’s checks and paths for a factor: thresholds, their order, direction, ranges, ids', () => {
    const withFactors = (factors: FactorValues[]) => values({ items: [{ ...items()[0], factors }, ...items().slice(1)] });
    expect(sameProblems(withFactors([depth({ thresholds: { 2: 15, 3: 12 } })]))[0])
      .toMatchObject({ path: '$.items[0].factors[0].thresholds["3"]', message: 'is out of order for direction above' });
    expect(sameProblems(withFactors([depth({ thresholds: { 5: 15 } })]))[0]).toMatchObject({ path: '$.items[0].factors[0].thresholds["5"]', message: 'is not a level' });
    expect(sameProblems(withFactors([depth({ direction: 'up' as 'above' })]))[0]).toMatchObject({ path: '$.items[0].factors[0].direction', message: 'is not a direction' });
    expect(sameProblems(withFactors([depth({ deadband: -1 })]))[0]).toMatchObject({ path: '$.items[0].factors[0].deadband', message: 'out of range' });
    expect(sameProblems(withFactors([depth(), depth()]))[0]).toMatchObject({ path: '$.items[0].factors[1].id', message: 'repeats a factor id of this item' });
  });

  it('keeps the file form’s checks and paths for readings and warnings, and until_s', () => {
    const reading = { t_s: 900, item: 'UP-07', factor: 'depth_cm', value: 1 };
    expect(sameProblems(values({ readings: [reading, { ...reading, item: 'XX-01' }] }))[0]).toMatchObject({ path: '$.readings[1].item', message: 'names no item' });
    expect(sameProblems(values({ readings: [{ ...reading, factor: 'rain_24h_mm' }] }))[0])
      .toMatchObject({ path: '$.readings[0].factor', message: 'names no factor of item UP-07', expected: 'one of depth_cm' });
    expect(sameProblems(values({ readings: [{ ...reading, value: 2e12 }] }))[0]).toMatchObject({ path: '$.readings[0].value', message: 'out of range' });
    // More than 20 problems in one list: the rest summarised in one line, as for a file.
    const many = sameProblems(values({ readings: Array.from({ length: 25 }, () => ({ ...reading, item: 'XX-01' })) }));
    expect(many.at(-1)).toMatchObject({ path: '$.readings', message: 'has 5 more problems not listed' });
    const warning = values().warnings[0];
    expect(sameProblems(values({ warnings: [{ ...warning, lift_s: 300 }] }))[0]).toMatchObject({ path: '$.warnings[0].lift_s', message: 'is not after t_s' });
    expect(sameProblems(values({ warnings: [warning, warning] }))[0]).toMatchObject({ path: '$.warnings[1].id', message: 'repeats a warning id' });
    expect(sameProblems(values({ warnings: [{ ...warning, level: 5 }] }))[0]).toMatchObject({ path: '$.warnings[0].level', message: 'out of range' });
    expect(sameProblems(values({ untilS: -1 }))[0]).toMatchObject({ path: '$.until_s', message: 'out of range' });
  });

  it('is memoised on the packed case: the same values built again are a hit, another reading a miss', async () => {
    const memo = createModelMemo();
    const memoised = memoizeModels(engine, memo);
    const first = await memoised.risklistGradeCase(gradeCaseFromValues(values()));
    const again = await memoised.risklistGradeCase(gradeCaseFromValues(values()));
    const readings = values().readings.map((r) => (r.t_s === 2700 ? { ...r, value: 40 } : r));
    const lower = await memoised.risklistGradeCase(gradeCaseFromValues(values({ readings })));
    expect([memo.hits, memo.misses]).toEqual([1, 2]);
    expect(again).toBe(first);
    expect(lower.final['UP-07']).toBe(3);
    expect(JSON.stringify(lower)).toBe(JSON.stringify(await engine.risklistGrade(fileForm(values({ readings })))));
  });
});
