// Nothing the trainer made vanishes silently. The run's own curves past the record's 16 are
// counted in the record (outcomes.curves_omitted) and named in the record tab and the printed
// report, which read the same facts (web/aar-facts.ts). The what-if chart the saved session keeps
// is bounded by the numbers it holds (the bytes each save rewrites, models/limits.ts), not by a
// count of curves: a region of 40 gauges keeps its chart; one past the bound keeps its results
// and a count, and says why its curve does not come back.
import { describe, expect, it } from 'vitest';
import { MAX_KEPT_CHART_VALUES } from '../../models/limits.ts';
import type { AfterActionRecord } from '../../models/scenario/aar.ts';
import { whatIfRecord } from '../../models/scenario/whatif.ts';
import { aarFacts } from '../../web/aar-facts.ts';
import { aarReportHtml } from '../../web/aar-report.ts';
import { readSession, SCHEMA } from '../../web/session-store.ts';
import { chartSeries, isKeptChart, runRecordCurves } from '../../web/whatif-chart.ts';
import { chartNotKeptText } from '../../web/whatif-text.ts';

type Run = Parameters<typeof chartSeries>[0];
/** A run as far as its curves go: `gauges` hydrographs of `points` steps of 15 minutes. */
const run = (gauges: number, points = 289) => ({
  grid: { stepS: 900 },
  gauges: Array.from({ length: gauges }, (_, k) => ({ id: `G${k}`, reach: k })),
  route: { reaches: Array.from({ length: gauges }, (_, k) => ({ outflow_m3_per_s: Float64Array.from({ length: points }, (_, j) => (k + 1) * j) })) },
}) as unknown as Run;

describe('the what-if chart the saved session keeps', () => {
  it('is bounded by its numbers: 40 gauges of a 72-hour storm are kept; past 160,000 numbers, the count of what is left out', () => {
    // 40 × 289 = 11,560 numbers (≈ 105 kB): the old bound of 32 curves refused it.
    const many = chartSeries(run(40));
    expect(many.series!.map((c) => c.values.length)).toEqual(new Array(40).fill(289));
    expect(many.series_left_out).toBeUndefined();
    // 40 gauges of 4,001 steps (41.7 days at 15 minutes): 160,040 numbers.
    expect(40 * 4001).toBeGreaterThan(MAX_KEPT_CHART_VALUES);
    expect(chartSeries(run(40, 4001))).toEqual({ series_left_out: { curves: 40, values: 160_040 } });
    expect(chartSeries(run(40, 4000)).series).toHaveLength(40);
  });

  it('is checked on restore in either form, and a left-out chart returns with its what-if', () => {
    const head = { base_results_sha256: 'e'.repeat(64), index: 0 };
    expect(isKeptChart({ ...head, series: chartSeries(run(40)).series })).toBe(true);
    expect(isKeptChart({ ...head, series_left_out: { curves: 40, values: 160_040 } })).toBe(true);
    // Never both, never neither, never a count that would have fitted, never more numbers than the bound.
    expect(isKeptChart({ ...head, series: [], series_left_out: { curves: 40, values: 160_040 } })).toBe(false);
    expect(isKeptChart(head)).toBe(false);
    expect(isKeptChart({ ...head, series_left_out: { curves: 3, values: 867 } })).toBe(false);
    expect(isKeptChart({ ...head, series: [{ id: 'G', values: new Array(MAX_KEPT_CHART_VALUES + 1).fill(0) }] })).toBe(false);
    const whatifs = [whatIfRecord(600, { rainFactor: 1.5 }, [{ key: 'items reaching red', metric: 'items_red', base: 3, variant: 5, unit: '' }], 'a'.repeat(64))];
    const stored = { schema: SCHEMA, saved: 'x', scenarioJson: {}, injects: [], delivered: [], cancelled: [], decisions: [], ratings: [], clockS: 0, whatifs,
      whatif_chart: { ...head, series_left_out: { curves: 40, values: 160_040 } } };
    expect(readSession(stored)).toEqual({ session: stored, dropped: [] });
  });

  it('past its bound, says so in the trainer\'s language: before a reload what will not return, after it what did not', () => {
    const left = { curves: 40, values: 160_040 };
    expect(chartNotKeptText(left, false, 'en')).toBe('This comparison\'s curves are too large for the saved session (40 curves, 160,040 numbers; it keeps at most 160,000): after a reload its results return, its what-if curve only once it is run again.');
    expect(chartNotKeptText(left, false, 'zh-CN')).toBe('此对比的曲线过大，无法保存在本机会话中（40 条曲线，160,040 个数值；最多保存 160,000 个）：重新载入后结果仍在，假设曲线需重新运行后才显示。');
    expect(chartNotKeptText(left, true, 'en')).toBe('The what-if curve is not shown: it was too large for the saved session (40 curves, 160,040 numbers; at most 160,000 kept). The results above are complete; run the what-if again, or show it on the map, to see its curve.');
    expect(chartNotKeptText(left, true, 'zh-CN')).toBe('假设曲线未显示：其数据过大，未保存在本机会话中（40 条曲线，160,040 个数值；最多保存 160,000 个）。上列结果完整；重新运行此假设或在地图上显示即可查看曲线。');
  });
});

/** A record of a 19-gauge run on a named region, scored against one observed gauge. */
function record(): AfterActionRecord {
  const { curves, omitted } = runRecordCurves(run(19));
  return {
    schema: 'sandtable.aar/1', exported: '2026-12-05T12:00:00Z', scenario: {}, scenario_id: 's', seed: 1, engine_version: 'e', results_sha256: 'h',
    injects_delivered: [], injects_cancelled: [], decisions: [], risk_changes: [], warnings: [], objectives: [],
    outcomes: {
      gauges: Array.from({ length: 19 }, (_, k) => ({ id: `G${k}`, river: 'r', peak_m3_per_s: 288 * (k + 1), peak_time: 't' })), slopes_below_fs_1: 0, items_reaching_red: 0, people_under_red_warning_peak: 0,
      observed: [{ gauge: 'G0', source: 'g0.csv', nse: 0.8123, kge_2012: 0.7, peak_error_relative: -0.052, peak_time_error_s: 5400 }],
      curves, curves_omitted: omitted,
    },
    region: { name: 'Lishui', name_zh: '丽水' },
  } as AfterActionRecord;
}

describe('the run\'s own curves past the record\'s 16', () => {
  it('are counted in the record, and the record tab and the printed report tell the same facts', () => {
    const r = record();
    expect(r.outcomes.curves!.series.map((c) => c.id)).toEqual(Array.from({ length: 16 }, (_, k) => `G${k}`));
    expect(r.outcomes.curves_omitted).toEqual({ reason: 'curve-count', curves: 3 });
    for (const lang of ['en', 'zh-CN'] as const) {
      const context = { lang, timeAt: (t: number) => `T+${t / 3600}h` };
      const facts = aarFacts(r, context);
      expect(facts.region).toBe(lang === 'en' ? 'Region: Lishui' : '区域：丽水');
      expect(facts.observed!.rows).toEqual([['G0', 'g0.csv', '0.81', '0.70', lang === 'en' ? '-5.2%' : '-5.2%', '1.5 h']]);
      expect(facts.leftOut).toEqual([{ text: lang === 'en'
        ? 'Only the first 16 of the run\'s curves are recorded (at most 16): 3 more gauges\' hydrographs are left out; their peaks are in the table above.'
        : '仅记录本次运行的前 16 条曲线（最多 16 条）：另有 3 个水文站的流量过程线未保存；其洪峰见上表。' }]);
      const html = aarReportHtml(r, { ...context, title: 'Storm', injects: [] });
      const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      expect([...html.matchAll(/<p class="curves-omitted run-curves-omitted">([^<]*)<\/p>/g)].map((m) => m[1])).toEqual([escaped(facts.leftOut[0].text)]);
      expect(html).toContain(`<div class="charts run-charts">${facts.runCharts}</div>`);
      expect(facts.runCharts.match(/<svg class="curve-chart"/g)).toHaveLength(16);
      expect(html).toContain(`${escaped(facts.region!)}<br>`);
      expect(html).toContain(`<tr>${facts.observed!.rows[0].map((x) => `<td>${escaped(x)}</td>`).join('')}</tr>`);
    }
  });
});
