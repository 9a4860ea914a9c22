// Each run's model warnings in the after-action record: the base run's and each what-if's own, bounded
// (information dropped first), read back field by field, and listed run by run in the report.
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError, type Problem } from '../../models/errors.ts';
import { MAX_RECORD_RUN_WARNINGS } from '../../models/limits.ts';
import type { AfterActionRecord } from '../../models/scenario/aar.ts';
import { modelWarning } from '../../models/scenario/model-warnings.ts';
import { parseRecordedWarnings, recordedWarnings } from '../../models/scenario/model-warnings-record.ts';
import { parseWhatIfRecords, whatIfRecord } from '../../models/scenario/whatif.ts';
import { modelWarningRows, modelWarningRuns } from '../../web/aar-model-warnings.ts';

const SUBSTEPS = modelWarning('flood', 'network', 'the network was routed in 35 sub-steps of 25.7143 s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s');
const CAPPED = modelWarning('flood', 'network', 'no sub-step of dt_s down to 1/100 meets every reach\'s conditions; routing with 100 sub-steps of 36 s (inflows interpolated linearly; outflows are reported at dt_s)');
const BELOW_ZERO = modelWarning('flood', 'network', 'outflow fell below zero at 263 reach-steps (minimum -1.5 m³/s): see the coefficient warnings');
const dip = (k: number) => modelWarning('flood', `reach R${k}`, `split into ${k + 2} sub-reaches, as many as stability allows (C − D ≤ 1 at its highest flow); C + D < 1 at its lowest flow, so the outflow may dip there`);
const HASH = 'a'.repeat(64);

describe('a run\'s warnings in the record', () => {
  it('keeps warnings before information and at most the bound, counting the rest', () => {
    expect(recordedWarnings([])).toEqual({});
    expect(recordedWarnings([SUBSTEPS, BELOW_ZERO]).model_warnings).toEqual([BELOW_ZERO, SUBSTEPS]);
    const many = [SUBSTEPS, ...Array.from({ length: MAX_RECORD_RUN_WARNINGS + 4 }, (_, k) => dip(k))];
    const kept = recordedWarnings(many);
    expect(kept.model_warnings).toHaveLength(MAX_RECORD_RUN_WARNINGS);
    expect(kept.model_warnings!.some((w) => w.severity === 'info')).toBe(false);
    expect(kept.model_warnings_left_out).toBe(5);
  });

  it('a what-if keeps its own variant\'s warnings, and they come back from a record', () => {
    const record = whatIfRecord(3600, { rainFactor: 1.5 }, [], HASH, undefined, undefined, [SUBSTEPS, CAPPED]);
    expect(record.model_warnings).toEqual([CAPPED, SUBSTEPS]);
    const back = parseWhatIfRecords(JSON.parse(JSON.stringify([record])), '$.whatifs', 86400);
    expect(back.problems).toEqual([]);
    expect(back.records[0].model_warnings).toEqual([CAPPED, SUBSTEPS]);
    // Older records without them still read.
    const { model_warnings: _, ...older } = record;
    expect(parseWhatIfRecords([older], '$.whatifs', 86400).records[0].model_warnings).toBeUndefined();
  });

  it('refuses a hand-edited line, naming the field', () => {
    const problems: Problem[] = [];
    parseRecordedWarnings({
      model_warnings: [{ ...CAPPED, severity: 'fatal' }, { ...CAPPED, params: { n: Infinity } }, { ...CAPPED, extra: 1 }, { ...CAPPED, model: 'tsunami' }],
      model_warnings_left_out: -2,
    }, '$.whatifs[0]', problems);
    expect(problems.map((p) => formatProblem(p).split(' (')[0])).toEqual([
      'error: $.whatifs[0].model_warnings[0].severity: is not a severity',
      'error: $.whatifs[0].model_warnings[1].params.n: must be a number or a text',
      'error: $.whatifs[0].model_warnings[2].extra: unknown field',
      'error: $.whatifs[0].model_warnings[3].model: is not a model',
      'error: $.whatifs[0].model_warnings_left_out: is not a count',
    ]);
    const tooMany: Problem[] = [];
    parseRecordedWarnings({ model_warnings: Array.from({ length: MAX_RECORD_RUN_WARNINGS + 1 }, () => CAPPED) }, '$', tooMany);
    expect(tooMany.map(formatProblem)).toEqual([`error: $.model_warnings: has too many lines (got ${MAX_RECORD_RUN_WARNINGS + 1}, expected a run's model warnings, at most ${MAX_RECORD_RUN_WARNINGS} lines)`]);
    expect(new InputError(tooMany).problems).toHaveLength(1);
  });
});

describe('the report lists each run\'s own warnings', () => {
  it('the base run\'s, then each what-if\'s, in the report\'s language', () => {
    const record = {
      ...recordedWarnings([SUBSTEPS, BELOW_ZERO]),
      whatifs: [whatIfRecord(7200, { rainFactor: 2 }, [], HASH, undefined, undefined, [CAPPED]), whatIfRecord(9000, { rainFactor: 0.5 }, [], HASH)],
    } as unknown as AfterActionRecord;
    const at = (tS: number) => `T+${tS / 3600}h`;
    expect(modelWarningRows(modelWarningRuns(record, 'zh-CN', at))).toEqual([
      ['基准推演', '警告', '洪水演算', '河网', '出流在 263 个河段·时步降至零以下（最小 -1.5 m³/s）：见各河段的系数警告'],
      ['基准推演', '说明', '洪水演算', '河网', expect.stringMatching(/^河网按 35 个子时段/)],
      [expect.stringMatching(/^假设推演 T\+2h（.+）$/), '警告', '洪水演算', '河网', expect.stringMatching(/^将 dt_s 细分至 1\/100 仍无法满足所有河段的条件/)],
    ]);
    expect(modelWarningRows(modelWarningRuns(record, 'en', at))[2]).toEqual([expect.stringMatching(/^what-if at T\+2h \(.+\)$/), 'warning', 'flood', 'network', CAPPED.what]);
    expect(modelWarningRuns({ whatifs: [] } as unknown as AfterActionRecord, 'en', at)).toEqual([]);
  });
});
