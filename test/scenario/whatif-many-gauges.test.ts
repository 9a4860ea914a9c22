// A region of many gauges: what the app writes of a what-if (one peak row and one curve per gauge)
// must be what it reads back. 100 gauges once made 106 rows, past the 64 an import took, and
// 85 curves left out, past the what-if's cap of 64 on that count (the run's own was unbounded).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { MAX_WHATIF_GAUGE_ROWS, MAX_WHATIF_OTHER_ROWS, MAX_WHATIF_ROWS } from '../../models/limits.ts';
import { parseAar } from '../../models/scenario/aar.ts';
import { COMPARISON_METRICS, compareSummaries, parseWhatIfRecords, whatIfRecord, type WhatIfRecord } from '../../models/scenario/whatif.ts';
import { recordCurves, runRecordCurves } from '../../web/whatif-chart.ts';
import { whatIfResultsText } from '../../web/whatif-text.ts';

const raw = JSON.parse(readFileSync(fileURLToPath(new URL('../../scenarios/mountain-city/storm-peak-24h.json', import.meta.url)), 'utf8'));
const GAUGES = 100;
const ids = Array.from({ length: GAUGES }, (_, k) => `G${k}`);

/** A run as the app's worker returns it, reduced to what the record's curves read: 97 quarter-hours per gauge. */
const run = (scale: number) => ({
  grid: { stepS: 900 }, gauges: ids.map((id, k) => ({ id, reach: k })),
  route: { reaches: ids.map((_, k) => ({ outflow_m3_per_s: Float64Array.from({ length: 97 }, (_, j) => scale * (k + 1) * j) })) },
}) as unknown as Parameters<typeof runRecordCurves>[0];

/** A run's summary as compareSummaries reads it: a flood with one peak per gauge. */
const summary = (scale: number) => ({
  gauges: ids.map((id, k) => ({ id, peak_m3_per_s: scale * (k + 1) * 96 })),
  inundation: { flooded_area_km2: 0.5 * scale, people_in_flooded_cells: 10 * scale },
  slopes: { fs_below_1: 2 }, risk_list: { reached_by_level: { 4: 3 } }, warnings: { issued: 4 }, people_under_warning_peak: { 4: 100 },
}) as unknown as Parameters<typeof compareSummaries>[0];

function drill(): { whatifs: WhatIfRecord[]; runOmitted: unknown } {
  const base = run(1);
  const whatifs: WhatIfRecord[] = [];
  for (const factor of [1.5, 2]) {
    const { curves, omitted } = recordCurves(whatifs, base, run(factor));
    whatifs.push(whatIfRecord(3600 * whatifs.length, { rainFactor: factor }, compareSummaries(summary(1), summary(factor)), 'a'.repeat(64), curves, omitted));
  }
  return { whatifs, runOmitted: runRecordCurves(base).omitted };
}

describe('a what-if of a region with many gauges', () => {
  it('keeps the first gauges\' peaks and the other rows, and counts the gauges left out', () => {
    const [w] = drill().whatifs;
    expect(w.outcomes.filter((r) => r.metric === 'gauge_peak').map((r) => r.gauge)).toEqual(ids.slice(0, MAX_WHATIF_GAUGE_ROWS));
    expect(w.outcomes.filter((r) => r.metric !== 'gauge_peak').map((r) => r.metric)).toEqual(['flooded_area', 'people_flooded', 'slopes_fs_below_1', 'items_red', 'warnings_issued', 'people_red_peak']);
    expect(w.gauge_rows_left_out).toBe(GAUGES - MAX_WHATIF_GAUGE_ROWS);
    expect(w.curves_omitted).toEqual({ reason: 'curve-count', curves: 84 });
    expect(whatIfResultsText(w, 'en')).toMatch(/; 44 more gauges' peaks not recorded \(at most 56 gauges per what-if\)$/);
    expect(whatIfResultsText(w, 'zh-CN')).toMatch(/; 另有 44 个水文站的洪峰未记录（每个假设推演最多记录 56 个水文站）$/);
  });

  it('round-trips through the exported record and the saved session', () => {
    const { whatifs, runOmitted } = drill();
    expect(runOmitted).toEqual({ reason: 'curve-count', curves: 84 });
    const exported = JSON.parse(JSON.stringify({ schema: 'sandtable.aar/1', scenario: raw, injects_delivered: [], results_sha256: 'x', outcomes: { curves_omitted: runOmitted }, whatifs }));
    expect(parseAar(exported).whatIfs).toEqual(whatifs);
    expect(parseWhatIfRecords(JSON.parse(JSON.stringify(whatifs)), '$.whatifs', 86_400)).toEqual({ records: whatifs, problems: [], kept: [0, 1] });
  });

  it('a row bound that every metric besides a gauge\'s peak fits in', () => {
    expect(MAX_WHATIF_OTHER_ROWS).toBe(COMPARISON_METRICS.length - 1);
    expect(MAX_WHATIF_ROWS).toBe(MAX_WHATIF_GAUGE_ROWS + MAX_WHATIF_OTHER_ROWS);
  });

  it('refuses more gauges\' peaks than the record keeps, and a count that is not one, by JSON path', () => {
    const [w] = drill().whatifs;
    const extra = { ...w.outcomes[0], key: 'G-extra peak', gauge: 'G-extra' };
    const { problems } = parseWhatIfRecords([{ ...w, outcomes: [extra, ...w.outcomes], gauge_rows_left_out: 0 }], '$.whatifs', 86_400);
    expect(new InputError(problems).problems.map(formatProblem)).toEqual([
      `error: $.whatifs[0].outcomes: must be a list of outcome rows (got "63 rows, 57 gauges' peaks", expected at most ${MAX_WHATIF_ROWS} rows { "key", "metric", "base", "variant", "unit" }, ${MAX_WHATIF_GAUGE_ROWS} of them gauges' peaks)`,
      'error: $.whatifs[0].gauge_rows_left_out: must count the gauges whose peaks are left out (got 0, expected a whole number ≥ 1, or no field)',
    ]);
  });
});
