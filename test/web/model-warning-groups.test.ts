// Model warnings of one code at many places read as one line (web/model-warning-groups.ts): the
// shipped storm opened on "23 model warnings", 20 of them the same "outflow may dip" at 20 reaches.
// The notice, the record tab and the printed report group alike; no warning is lost or counted twice.
import { describe, expect, it } from 'vitest';
import { modelWarning } from '../../models/scenario/model-warnings.ts';
import { recordedWarnings } from '../../models/scenario/model-warnings-record.ts';
import type { AfterActionRecord } from '../../models/scenario/aar.ts';
import { whatIfRecord } from '../../models/scenario/whatif.ts';
import { modelWarningRows, modelWarningRuns } from '../../web/aar-model-warnings.ts';
import { groupText, groupWarnings, groupWhereText } from '../../web/model-warning-groups.ts';

// The lines `sandtable run scenarios/mountain-city/storm-peak-24h.json` prints (stderr, this engine).
const dip = (reach: string, n: number) => modelWarning('flood', `reach ${reach}`, `split into ${n} sub-reaches, as many as stability allows (C − D ≤ 1 at its highest flow); C + D < 1 at its lowest flow, so the outflow may dip there`);
const DIPS = [dip('R089', 36), dip('R057', 31), dip('R059', 9)];
const BELOW_ZERO = modelWarning('flood', 'network', 'outflow fell below zero at 1122 reach-steps (minimum -4.17149 m³/s): see the coefficient warnings');
const MORE = modelWarning('flood', 'network', '… and 11 more reach warnings like these');
const SUBSTEPS = modelWarning('flood', 'network', 'the network was routed in 35 sub-steps of 25.7143 s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s');

describe('grouping a run\'s model warnings', () => {
  it('gathers one code at many reaches into one line, run-wide lines first and "… and N more" last', () => {
    const groups = groupWarnings([DIPS[0], MORE, DIPS[1], BELOW_ZERO, DIPS[2]]);
    expect(groups.map((g) => g.warnings.length)).toEqual([1, 3, 1]);
    expect(groups.map((g) => g.code)).toEqual(['flood.negative_outflow', 'flood.channel_low_flow_dip', 'flood.more_reach_lines']);
    expect(groups[1].warnings).toEqual(DIPS);
    expect(groupWhereText(groups[1], 'en')).toBe('3 reaches');
    expect(groupWhereText(groups[1], 'zh-CN')).toBe('3 个河段');
    // The reaches' numbers differ (36, 31, 9 sub-reaches): the line says what they share.
    expect(groupText(groups[1], 'en')).toBe('split into as many sub-reaches as stability allows (C − D ≤ 1 at the highest flow); C + D < 1 at the lowest flow, so the outflow may dip there');
    expect(groupText(groups[1], 'zh-CN')).toBe('已拆为稳定条件（最大流量下 C − D ≤ 1）允许的最多子河段；最小流量下 C + D < 1，低流量时出流可能出现不真实的下降');
    expect(groupWhereText(groups[0], 'en')).toBe('network');
  });

  it('keeps apart a warning and a note, lines without a code, and names a mixed group\'s places plainly', () => {
    const info = { ...DIPS[0], severity: 'info' as const };
    expect(groupWarnings([DIPS[0], info]).map((g) => g.warnings.length)).toEqual([1, 1]);
    const uncoded = [{ model: 'fire' as const, where: 'reach A', what: 'x' }, { model: 'fire' as const, where: 'reach B', what: 'x' }];
    expect(groupWarnings(uncoded)).toHaveLength(2);
    const mixed = groupWarnings([DIPS[0], { ...DIPS[1], where: 'floodplain' }]);
    expect(groupWhereText(mixed[0], 'en')).toBe('2 places');
    // A code without a summary, its numbers differing: the first line's own, its place named.
    const a = modelWarning('fire', 'region fuel grid', '12 cells of NODATA fuel do not burn');
    const b = { ...modelWarning('fire', 'region fuel grid', '3 cells of NODATA fuel do not burn'), where: 'fire' };
    expect(groupText(groupWarnings([a, b])[0], 'en')).toBe('12 cells of NODATA fuel do not burn (region fuel grid; the others\' numbers in the list)');
    expect(groupText(groupWarnings([a, b])[0], 'zh-CN')).toBe('12 个可燃物为 NODATA 的网格不燃烧（区域可燃物网格；其余各处的数值见列表）');
  });

  it('the record tab and the report list each run\'s lines grouped, every place kept', () => {
    const record = {
      ...recordedWarnings([SUBSTEPS, ...DIPS, BELOW_ZERO]),
      whatifs: [whatIfRecord(7200, { rainFactor: 2 }, [], 'a'.repeat(64), undefined, undefined, [DIPS[0], DIPS[1]])],
    } as unknown as AfterActionRecord;
    const runs = modelWarningRuns(record, 'en', (tS) => `T+${tS / 3600}h`);
    expect(runs.map((r) => r.lines.map((l) => [l.kind, l.where]))).toEqual([
      [['warning', 'network'], ['warning', '3 reaches'], ['note', 'network']],
      [['warning', '2 reaches']],
    ]);
    expect(runs[0].lines[1].places).toEqual([
      { where: 'reach R089', text: DIPS[0].what }, { where: 'reach R057', text: DIPS[1].what }, { where: 'reach R059', text: DIPS[2].what },
    ]);
    expect(modelWarningRows(runs)[1]).toEqual(['base run', 'warning', 'flood', '3 reaches: reach R089, reach R057, reach R059', runs[0].lines[1].text]);
  });
});
