// A what-if's curves in the after-action record (models/scenario/whatif-curves.ts): built bounded
// from the two runs, checked field by field by JSON path when a record or a saved session is read,
// and within one budget over all the record's what-ifs (models/limits.ts).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { MAX_RECORD_CURVE_VALUES, MAX_WHATIF_CURVE_POINTS, MAX_WHATIF_CURVES } from '../../models/limits.ts';
import { curveValues, parseCurvesOmitted, parseRunCurves, runCurves, whatIfCurves } from '../../models/scenario/whatif-curves.ts';
import { changeOf, parseWhatIfRecords, whatIfRecord } from '../../models/scenario/whatif.ts';

const rows = [{ key: 'G-main peak', metric: 'gauge_peak' as const, gauge: 'G-main', base: 3, variant: 4.5, unit: 'm³/s' }];
const record = (curves: unknown) => ({ ...whatIfRecord(900, { rainFactor: 1.5 }, rows, 'a'.repeat(64)), curves });
const messages = (value: unknown, durationS = 3600) => {
  const { problems } = parseWhatIfRecords(value, '$.whatifs', durationS);
  return problems.length ? new InputError(problems).message.split('\n') : [];
};

describe('a what-if\'s curves', () => {
  it('pair the curves both runs have, rounded to four significant digits, the base\'s order', () => {
    const base = [{ id: 'burned-area', unit: 'km²' as const, values: [0, 0.123456, 1.0004] }, { id: 'G-main', unit: 'm³/s' as const, values: new Float64Array([10, 31124.27, 20]) }, { id: 'G-gone', unit: 'm³/s' as const, values: [1, 2, 3] }];
    const variant = [{ id: 'G-main', unit: 'm³/s' as const, values: [11, 31207.61, 21] }, { id: 'burned-area', unit: 'km²' as const, values: [0, 0.2, 2.5] }];
    expect(whatIfCurves(900, base, variant)).toEqual({ curves: { step_s: 900, series: [
      { id: 'burned-area', unit: 'km²', base: [0, 0.1235, 1], variant: [0, 0.2, 2.5] },
      { id: 'G-main', unit: 'm³/s', base: [10, 31120, 20], variant: [11, 31210, 21] },
    ] } });
    expect(whatIfCurves(900, base.slice(2), variant)).toEqual({});
  });

  it('sample a long run every k-th step so no curve passes the bound, and say the step', () => {
    // 96 hours at 5 minutes: 1153 points → every 4th step (20 minutes), 289 points.
    const long = Array.from({ length: 1153 }, (_, j) => j);
    const curves = whatIfCurves(300, [{ id: 'G', unit: 'm³/s', values: long }], [{ id: 'G', unit: 'm³/s', values: long.map((v) => 2 * v) }]).curves!;
    expect(curves.step_s).toBe(1200);
    expect(curves.series[0].base).toHaveLength(289);
    expect(curves.series[0].base.length).toBeLessThanOrEqual(MAX_WHATIF_CURVE_POINTS);
    expect(curves.series[0].variant.slice(0, 3)).toEqual([0, 8, 16]);
    expect(curves.series[0].base.at(-1)).toBe(1152);
    const many = Array.from({ length: 40 }, (_, k) => ({ id: `G${k}`, unit: 'm³/s' as const, values: [1, 2] }));
    const bounded = whatIfCurves(900, many, many);
    expect(bounded.curves!.series).toHaveLength(MAX_WHATIF_CURVES);
    expect(bounded.omitted).toEqual({ reason: 'curve-count', curves: many.length - MAX_WHATIF_CURVES });
  });

  it('come back from a record as they were written; the change they stand for is the one run', () => {
    const curves = { step_s: 900, series: [{ id: 'G-main', unit: 'm³/s', base: [1, 2, 3], variant: [1, 2.5, 4] }] };
    expect(parseWhatIfRecords([record(curves)], '$.whatifs', 3600).records).toEqual([record(curves)]);
    expect(changeOf(record(curves).settings, [[0, 0], [1, 1]])).toEqual({ rainFactor: 1.5 });
    expect(changeOf({ wind_factor: 2, fire_break: true }, [[0, 0], [1, 1]])).toEqual({ windFactor: 2, fireBreak: [[0, 0], [1, 1]] });
  });

  it('are refused field by field, each by its JSON path', () => {
    expect(messages([record({ step_s: 0, series: [], extra: 1 })])).toEqual([
      'error: $.whatifs[0].curves.extra: unknown field (expected one of step_s, series)',
      'error: $.whatifs[0].curves.step_s: is not a time step of the scenario (got 0, expected seconds in (0, 3600])',
      'error: $.whatifs[0].curves.series: must be a list of curves (got "0 curves", expected 1 to 16 curves { "id", "unit", "base", "variant" })',
    ]);
    expect(messages([record({ step_s: 900, series: [
      { id: 'G', unit: 'cfs', base: [1, 2], variant: [1, 'x'] },
      { id: 'G', unit: 'm³/s', base: [1, 2, 3, 4, 5, 6], variant: [1, 2, 3, 4, 5, 6] },
      { id: 'H', unit: 'km²', base: [1, 2], variant: [1, 2, 3] },
      7,
    ] })])).toEqual([
      'error: $.whatifs[0].curves.series[0].unit: is not a curve\'s unit (got "cfs", expected one of m³/s, km²)',
      'error: $.whatifs[0].curves.series[0].variant[1]: must be a number (got "x", expected a finite number)',
      'error: $.whatifs[0].curves.series[1].id: names a curve twice (got "G", expected each curve once)',
      // 6 values a quarter-hour apart span 75 minutes: longer than the hour the scenario lasts.
      'error: $.whatifs[0].curves.series[1].base: must be the curve\'s values over the scenario (got "6 values", expected 2 to 300 values, step_s apart, within 3600 s)',
      'error: $.whatifs[0].curves.series[1].variant: must be the curve\'s values over the scenario (got "6 values", expected 2 to 300 values, step_s apart, within 3600 s)',
      'error: $.whatifs[0].curves.series[2].variant: must have as many values as the base (got "3 values", expected 2 values)',
      'error: $.whatifs[0].curves.series[3]: is not a curve (got 7, expected { "id", "unit", "base", "variant" })',
    ]);
  });

  it('share one budget over all the record\'s what-ifs: the what-if that passes it is refused by its path', () => {
    const full = { step_s: 1, series: Array.from({ length: MAX_WHATIF_CURVES }, (_, k) => ({ id: `G${k}`, unit: 'm³/s', base: Array(300).fill(1), variant: Array(300).fill(2) })) };
    const perWhatIf = curveValues([{ curves: full as never }]);
    expect(perWhatIf).toBe(9600);
    const fits = Math.floor(MAX_RECORD_CURVE_VALUES / perWhatIf);
    const list = Array.from({ length: fits + 1 }, () => record(full));
    expect(messages(list.slice(0, fits))).toEqual([]);
    expect(messages(list)).toEqual([`error: $.whatifs[${fits}].curves: goes past the curve budget of the record (got "${(fits + 1) * perWhatIf} numbers", expected at most ${MAX_RECORD_CURVE_VALUES} over all what-ifs)`]);
  });
});

describe('the run\'s own curves in the record (outcomes.curves)', () => {
  it('are bounded and sampled as a what-if\'s, and checked by the same checker with one value per point', () => {
    const long = Array.from({ length: 1153 }, (_, j) => j * 1.00001);
    const { curves: kept, omitted } = runCurves(300, [{ id: 'G', unit: 'm³/s', values: long }, { id: 'burned-area', unit: 'km²', values: [0, 1] }]);
    const curves = kept!;
    expect(omitted).toBeUndefined();
    expect(curves.step_s).toBe(1200);
    // One time axis: a curve shorter than the run's is left out, never sampled to a stub.
    expect(curves.series.map((c) => [c.id, c.values.length])).toEqual([['G', 289]]);
    const problems: Parameters<typeof parseRunCurves>[3] = [];
    expect(parseRunCurves({ step_s: 900, series: [{ id: 'G', unit: 'm³/s', values: [1, 2, 3] }] }, '$.outcomes.curves', 3600, problems)).toEqual({ step_s: 900, series: [{ id: 'G', unit: 'm³/s', values: [1, 2, 3] }] });
    parseRunCurves({ step_s: 900, series: [{ id: 'G', unit: 'm³/s', values: [1, null], base: [1, 2] }] }, '$.outcomes.curves', 3600, problems);
    expect(new InputError(problems).message.split('\n')).toEqual([
      'error: $.outcomes.curves.series[0].base: unknown field (expected one of id, unit, values)',
      'error: $.outcomes.curves.series[0].values[1]: must be a number (got null, expected a finite number)',
    ]);
  });

  it('past the first 16 gauges, the rest are counted (never cut silently), and the count is checked by its JSON path', () => {
    const gauges = Array.from({ length: 19 }, (_, k) => ({ id: `G${k}`, unit: 'm³/s' as const, values: [0, k, 2 * k] }));
    const { curves, omitted } = runCurves(900, gauges);
    expect(curves!.series.map((c) => c.id)).toEqual(gauges.slice(0, MAX_WHATIF_CURVES).map((g) => g.id));
    expect(omitted).toEqual({ reason: 'curve-count', curves: 3 });
    expect(runCurves(900, gauges.slice(0, MAX_WHATIF_CURVES)).omitted).toBeUndefined();
    // One per gauge, with no bound on a region's gauges: any whole count ≥ 1.
    const problems: Parameters<typeof parseRunCurves>[3] = [];
    expect(parseCurvesOmitted({ reason: 'curve-count', curves: 300 }, '$.outcomes.curves_omitted', problems)).toEqual({ reason: 'curve-count', curves: 300 });
    parseCurvesOmitted({ reason: 'curve-count', curves: 2.5 }, '$.outcomes.curves_omitted', problems);
    expect(new InputError(problems).message).toBe('error: $.outcomes.curves_omitted.curves: must count the curves left out (got 2.5, expected a whole number ≥ 1)');
  });
});
