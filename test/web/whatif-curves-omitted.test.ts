// Curves past the record's bounds (models/limits.ts: MAX_WHATIF_CURVES per what-if,
// MAX_RECORD_CURVE_VALUES over the record) are left out, and the record says which and why, so the
// what-if panel and the printed report tell the trainer instead of silently drawing nothing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { MAX_RECORD_CURVE_VALUES, MAX_WHATIF_CURVES } from '../../models/limits.ts';
import type { AfterActionRecord } from '../../models/scenario/aar.ts';
import { parseWhatIfRecords, whatIfRecord, type WhatIfRecord } from '../../models/scenario/whatif.ts';
import { aarReportHtml } from '../../web/aar-report.ts';
import { recordCurves } from '../../web/whatif-chart.ts';
import { curvesOmittedText } from '../../web/whatif-text.ts';

type Run = Parameters<typeof recordCurves>[1];
/** A storm's run as far as its curves go: `gauges` hydrographs of 289 quarter-hours. */
const run = (gauges: number, scale = 1) => ({
  grid: { stepS: 900 },
  gauges: Array.from({ length: gauges }, (_, k) => ({ id: `G${k}`, reach: k })),
  route: { reaches: Array.from({ length: gauges }, (_, k) => ({ outflow_m3_per_s: Float64Array.from({ length: 289 }, (_, j) => scale * (k + 1) * j) })) },
}) as unknown as Run;
const rows = [{ key: 'G0 peak', metric: 'gauge_peak' as const, gauge: 'G0', base: 288, variant: 432, unit: 'm³/s' }];
/** Earlier what-ifs holding `values` curve numbers (curveValues counts the lengths only). */
const spent = (values: number) => [{ ...whatIfRecord(900, { rainFactor: 1.2 }, rows, 'c'.repeat(64)), curves: { step_s: 900, series: [{ id: 'G0', unit: 'm³/s' as const, base: new Array(values / 2).fill(1), variant: new Array(values / 2).fill(1) }] } }];

describe('curves left out of the after-action record', () => {
  it('are all left out, counted, once the record\'s budget is spent', () => {
    // 3 gauges × 289 × 2 = 1,734 numbers: they fit beside 118,000, not beside 119,000.
    expect(recordCurves(spent(118_000), run(3), run(3, 1.5)).curves?.series).toHaveLength(3);
    expect(recordCurves(spent(118_000), run(3), run(3, 1.5)).omitted).toBeUndefined();
    expect(recordCurves(spent(119_000), run(3), run(3, 1.5))).toEqual({ omitted: { reason: 'record-budget', curves: 3 } });
  });

  it('past the first 16 curves of a what-if, the rest are counted', () => {
    const { curves, omitted } = recordCurves([], run(18), run(18, 1.5));
    expect(curves!.series.map((c) => c.id)).toEqual(Array.from({ length: MAX_WHATIF_CURVES }, (_, k) => `G${k}`));
    expect(omitted).toEqual({ reason: 'curve-count', curves: 2 });
  });

  it('are paired once and come out as before (the hashes the two-pairing code gave, commit 9f13a8b)', () => {
    const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
    expect(hash(recordCurves([], run(3), run(3, 1.5)))).toBe('9c34715c270d0bfbfdce5309eae7c069e98779d642669df0a8b61df02a6251ad');
    expect(hash(recordCurves([], run(18), run(18, 1.5)))).toBe('345ce6313768bbadef5522a67ded1b6c2ec9869b810f7ad98d387d454f176e4f');
  });

  it('come back from a record, and a wrong note is refused by its JSON path', () => {
    const record = whatIfRecord(900, { rainFactor: 1.5 }, rows, 'a'.repeat(64), undefined, { reason: 'record-budget', curves: 3 });
    expect(parseWhatIfRecords([record], '$.whatifs', 3600).records).toEqual([record]);
    const { problems } = parseWhatIfRecords([{ ...record, curves_omitted: { reason: 'too big', curves: 0, more: 1 } }], '$.whatifs', 3600);
    expect(new InputError(problems).message.split('\n')).toEqual([
      'error: $.whatifs[0].curves_omitted.more: unknown field (expected one of reason, curves)',
      'error: $.whatifs[0].curves_omitted.reason: is not a reason curves are left out (got "too big", expected one of record-budget, curve-count)',
      'error: $.whatifs[0].curves_omitted.curves: must count the curves left out (got 0, expected a whole number ≥ 1)',
    ]);
  });

  it('are named in the trainer\'s language', () => {
    expect(curvesOmittedText({ reason: 'record-budget', curves: 3 }, 'en')).toBe(`Curves not recorded: the record's curve budget (${MAX_RECORD_CURVE_VALUES.toLocaleString('en')} numbers) is used up by earlier what-ifs, so its 3 curves were left out; the results above are complete.`);
    expect(curvesOmittedText({ reason: 'record-budget', curves: 3 }, 'zh-CN')).toBe('曲线未记录：演练记录的曲线额度（120,000 个数值）已被此前的假设推演用完，本次 3 条曲线未保存；上列结果完整。');
    expect(curvesOmittedText({ reason: 'curve-count', curves: 2 }, 'en')).toBe('Only the first 16 curves recorded (at most 16 per what-if): 2 left out.');
    expect(curvesOmittedText({ reason: 'curve-count', curves: 2 }, 'zh-CN')).toBe('仅记录前 16 条曲线（每个假设推演最多 16 条）：2 条未保存。');
  });

  it('are noted in the printed report under the what-if they belong to', () => {
    const whatifs: WhatIfRecord[] = [
      whatIfRecord(3600, { rainFactor: 1.5 }, rows, 'a'.repeat(64), undefined, { reason: 'record-budget', curves: 3 }),
      whatIfRecord(7200, { rainFactor: 2 }, rows, 'b'.repeat(64)),
    ];
    const record = {
      schema: 'sandtable.aar/1', exported: '2026-07-16T12:00:00Z', scenario: {}, scenario_id: 's', seed: 1, engine_version: 'e', results_sha256: 'h',
      injects_delivered: [], injects_cancelled: [], decisions: [], risk_changes: [], warnings: [], objectives: [],
      outcomes: { gauges: [], slopes_below_fs_1: 0, items_reaching_red: 0, people_under_red_warning_peak: 0 }, whatifs,
    } as unknown as AfterActionRecord;
    for (const lang of ['en', 'zh-CN'] as const) {
      const html = aarReportHtml(record, { lang, title: 'Storm', injects: [], timeAt: (t) => `T+${t / 3600}h` });
      const notes = [...html.matchAll(/<li class="curves-omitted">([^<]*)<\/li>/g)].map((m) => m[1]);
      const settings = lang === 'en' ? 'Rain factor ×1.5' : '雨量倍数 ×1.5';
      expect(notes).toEqual([`T+1h · ${settings}${lang === 'en' ? ': ' : '：'}${curvesOmittedText(whatifs[0].curves_omitted!, lang)}`]);
    }
  });
});
