// The ensemble products beside the probabilities, read back and prepared for the tab: reaches'
// P(flow > warning flow) and their ranking, exposure rows, members.csv (quoted problems, bad rows,
// sorting), and the flame-length and first-failure classes the map colours by.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { exposureRows, membersTable, openMoreProducts, reachProbabilities } from '../../models/ensemble/open-more-products.ts';
import { csvField } from '../../models/scenario/csv.ts';
import { classRgba, exposureShown, failureClass, FLAME_CLASSES, flameClass, rankReaches, reachSeries, sortMembers } from '../../web/ensemble-more.ts';

const reachCsv = 't_s,time,R2_p,R1_p,R3_p\n0,2026-07-16T04:00:00+08:00,0,0,0\n900,x,0.25,0.5,0\n1800,x,0.75,0.5,0\n';
const problem = '$.forcing.fuel_moisture_percent.live_woody: out of range; <img src=x onerror=alert(1)>, "quoted"';
const membersCsv = [
  'member,rain_scale,soil_seed,people_flooded,items_red,status,problem,result_sha256',
  '0,1.05,482710488,11751,160,ok,,aa',
  `1,0.9,720393965,,,bad,${csvField(problem)},bb`,
  '2,0.98,1491848273,10343,87,ok,,cc',
].join('\n') + '\n';
const exposureCsv = 'metric,members,q05,q50,q95\nitems_red,2,87,87,160\npeople_flooded,2,10343,10343,11751\npeople_level_4_peak,2,725237,1165944,1202134\n';

describe('reading the products beside the probabilities', () => {
  it('reads P(flow > warning flow) per reach and ranks reaches by peak, ties by the time over warning, then the earlier peak', () => {
    const reachP = reachProbabilities(reachCsv);
    expect(reachP.tS).toEqual([0, 900, 1800]);
    expect(reachP.reaches.map((r) => r.id)).toEqual(['R2', 'R1', 'R3']);
    expect(rankReaches(reachP)).toEqual([{ id: 'R2', peak: 0.75, peakAtS: 1800, meanP: 1 / 3 }, { id: 'R1', peak: 0.5, peakAtS: 900, meanP: 1 / 3 }]);
    // Equal peaks: the reach over warning longer first, then the earlier.
    const tied = reachProbabilities('t_s,time,A_p,B_p,C_p\n0,x,0,0,1\n900,x,1,1,1\n1800,x,1,0,1\n');
    expect(rankReaches(tied).map((r) => r.id)).toEqual(['C', 'A', 'B']);
    expect(reachSeries(reachP, 'R1')).toEqual({ id: 'R1', hours: [0, 0.25, 0.5], p: [0, 0.5, 0.5] });
    expect(() => reachProbabilities(reachCsv.replace('0.75', '1.5'))).toThrow(InputError);
    try { reachProbabilities(reachCsv.replace('0.75', '1.5')); } catch (e) {
      expect((e as InputError).problems[0]).toMatchObject({ path: 'flood/p_flow_over_warning.csv:4:3', expected: 'a probability in [0, 1]' });
    }
  });

  it('splits members.csv into drawn inputs and headlines, keeps a quoted problem with commas whole, flags bad members', () => {
    const table = membersTable(membersCsv, exposureRows(exposureCsv).map((r) => r.metric));
    expect(table.inputs).toEqual(['rain_scale', 'soil_seed']);
    expect(table.headlines).toEqual(['people_flooded', 'items_red']);
    expect(table.rows[1]).toEqual({ member: 1, cells: { rain_scale: '0.9', soil_seed: '720393965', people_flooded: '', items_red: '' }, bad: true, problem, hash: 'bb' });
    expect(() => membersTable(membersCsv.replace(',bad,', ',maybe,'), [])).toThrow(/not a member status/);
  });

  it('sorts members by any column, numbers as numbers, blanks last either way', () => {
    const { rows } = membersTable(membersCsv, ['people_flooded', 'items_red']);
    expect(sortMembers(rows, { column: 'items_red', descending: false }).map((r) => r.member)).toEqual([2, 0, 1]);
    expect(sortMembers(rows, { column: 'items_red', descending: true }).map((r) => r.member)).toEqual([0, 2, 1]);
    expect(sortMembers(rows, { column: 'rain_scale', descending: false }).map((r) => r.member)).toEqual([1, 2, 0]);
    expect(sortMembers(rows, { column: 'status', descending: false }).map((r) => r.member)).toEqual([1, 0, 2]);
  });

  it('shows people under each warning level, flooded and burned first, and leaves other headlines out', () => {
    expect(exposureShown(exposureRows(exposureCsv)).map((r) => r.metric)).toEqual(['people_level_4_peak', 'people_flooded']);
    expect(exposureRows(exposureCsv)[2]).toEqual({ metric: 'people_level_4_peak', members: 2, q05: 725237, q50: 1165944, q95: 1202134 });
  });

  it('opens only the products a folder has', () => {
    const more = openMoreProducts({ 'exposure_quantiles.csv': exposureCsv, 'members.csv': membersCsv });
    expect([more.reachP, more.flame, more.firstFailure]).toEqual([undefined, undefined, undefined]);
    expect(more.memberRows?.headlines).toEqual(['people_flooded', 'items_red']);
  });
});

describe('classes the map colours by', () => {
  it('puts flame lengths in Andrews & Rothermel\'s (1982) classes: 1.2 / 2.4 / 3.4 m (4 / 8 / 11 ft)', () => {
    expect([0, 1.199, 1.2, 2.399, 2.4, 3.399, 3.4, 12, NaN].map(flameClass)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, -1]);
    expect(FLAME_CLASSES.map((c) => c.from)).toEqual([0, 1.2, 2.4, 3.4]);
  });

  it('puts first-failure times in hours: ≤ 1, (1, 3], (3, 6], (6, 12], (12, 24], > 24; never (NaN) clear', () => {
    expect([0, 3600, 3601, 10800, 21600, 43200, 86400, 86401, NaN].map(failureClass)).toEqual([0, 0, 1, 1, 2, 3, 4, 5, -1]);
    const rgba = classRgba({ values: Float64Array.of(3600, NaN) }, failureClass, [{ from: 0, rgb: [1, 2, 3], key: '' }]);
    expect(Array.from(rgba)).toEqual([1, 2, 3, 210, 0, 0, 0, 0]);
  });
});
