// The pure parts of issue 17 items 4, 6 and 8: decisions entered, corrected and withdrawn; the
// MSEL merge of an import; the saved session's schema; and whether the clock may run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { parseInjects } from '../../models/scenario/injects.ts';
import { enterDecision, withdrawDecision, type EntryContext } from '../../web/decisions.ts';
import { mergeMsel, reportText } from '../../web/msel-merge.ts';
import { clockHold, runState } from '../../web/run-state.ts';
import { isSession, readSession, SCHEMA } from '../../web/session-store.ts';

const region = {
  manifest: JSON.parse(readFileSync('scenarios/mountain-city/region/region.json', 'utf8')),
  items: JSON.parse(readFileSync('scenarios/mountain-city/region/risk-items.json', 'utf8')).items,
};
const msel = parseInjects([
  { id: 'I1', title: 'One', kind: 'information', trigger: { type: 'time', t_s: 60 } },
  { id: 'I2', title: 'Two', kind: 'information', trigger: { type: 'time', t_s: 120 } },
  { id: 'I3', title: 'Three', kind: 'information', trigger: { type: 'manual' } },
], '$.injects', 3600);
const ctx: EntryContext = { nowS: 600, durationS: 3600, injects: msel, region, at: '2026-07-14T12:00:00Z' };
const message = (run: () => unknown) => { try { run(); } catch (e) { if (e instanceof InputError) return e.message; throw e; } return ''; };

describe('decisions', () => {
  it('a refused entry changes nothing; a withdrawal on which a standing decision depends is refused', () => {
    expect(message(() => enterDecision([], { role: 'Mayor', text: 'x', action: { type: 'evacuation', areas: ['nowhere'] } }, ctx)))
      .toMatch(/^error: decision D1\.action\.areas\[0\]: names no district of the region \(got "nowhere"/);
    expect(message(() => enterDecision([], { role: 'Mayor', text: 'x', action: { type: 'evacuation', areas: ['yuzhong'] } }, { ...ctx, region: undefined })))
      .toBe('error: decision D1.action: cannot be checked yet: the region is still loading (expected a moment, then the decision again)');
    let list = enterDecision([], { role: 'Duty', text: 'warn', action: { type: 'warning-issue', id: 'W-1', areas: ['yuzhong'] } }, ctx);
    list = enterDecision(list, { role: 'Duty', text: 'lift', action: { type: 'warning-lift', id: 'W-1' } }, { ...ctx, nowS: 900 });
    expect(message(() => withdrawDecision(list, 'D1', 'Trainer', ctx))).toMatch(/^error: decision D2\.action\.id: names no warning an inject or decision issues/);
    const withdrawn = withdrawDecision(list, 'D2', 'Trainer', { ...ctx, nowS: 1200 });
    expect(withdrawn[1].withdrawn).toEqual({ t_s: 1200, at: '2026-07-14T12:00:00Z', by: 'Trainer' });
    expect(withdrawDecision(withdrawn, 'D1', 'Trainer', ctx)[0].withdrawn).toBeDefined();
  });

  it('a correction keeps the corrected decision\'s time and state, withdraws it, and is checked too', () => {
    const state = { items_by_level: { 1: 1, 2: 0, 3: 0, 4: 0 }, active_warnings: 0, gauges_m3_per_s: {} };
    const list = enterDecision([], { role: 'Mayor', text: 'evacuate', action: { type: 'evacuation', areas: ['yuzhong'] } }, { ...ctx, state });
    expect(message(() => enterDecision(list, { role: 'Mayor', text: 'evacuate', action: { type: 'evacuation', areas: ['beibie'] }, corrects: 'D1' }, { ...ctx, nowS: 900 })))
      .toMatch(/^error: decision D2\.action\.areas\[0\]: names no district/);
    const corrected = enterDecision(list, { role: 'Mayor', text: 'evacuate Beibei', action: { type: 'evacuation', areas: ['beibei'] }, corrects: 'D1' }, { ...ctx, nowS: 900 });
    expect(corrected[0].withdrawn).toEqual({ t_s: 900, at: ctx.at, by: 'Mayor', replaced_by: 'D2' });
    expect(corrected[1]).toEqual({ id: 'D2', t_s: 600, role: 'Mayor', text: 'evacuate Beibei', action: { type: 'evacuation', areas: ['beibei'] }, state, corrects: 'D1' });
    expect(message(() => enterDecision(corrected, { role: 'Mayor', text: 'again', corrects: 'D1' }, ctx))).toContain('error: decision D1: cannot be corrected');
  });
});

describe('MSEL import merge', () => {
  it('keeps deliveries and cancellations of injects still there, reports added, changed and removed, and names what would be lost', () => {
    const imported = parseInjects([
      { id: 'I1', title: 'One', kind: 'information', trigger: { type: 'time', t_s: 60 } },
      { id: 'I2', title: 'Two (revised)', kind: 'information', trigger: { type: 'time', t_s: 120 } },
      { id: 'X1', title: 'New', kind: 'information', trigger: { type: 'manual' } },
    ], '$.injects', 3600);
    const merged = mergeMsel(msel, imported, new Map([['I1', 30], ['I3', 40]]), new Map([['I2', 50]]));
    expect([...merged.delivered]).toEqual([['I1', 30]]);
    expect([...merged.cancelled]).toEqual([['I2', 50]]);
    expect(merged.report).toEqual({ added: ['X1'], changed: ['I2'], removed: ['I3'], kept: 2, lost: ['I3'] });
    expect(reportText(merged.report, 'm.csv', '{file}: +{added} ~{changed} -{removed} ={kept}')).toBe('m.csv: +1 (X1) ~1 (I2) -1 (I3) =2');
  });
});

describe('the saved session', () => {
  const session = { schema: SCHEMA, saved: 'x', scenarioJson: {}, injects: [], delivered: [], cancelled: [], decisions: [], ratings: [], clockS: 0 };
  it('is read only in its own schema', () => {
    expect(SCHEMA).toBe('sandtable.session/1');
    expect(isSession(session)).toBe(true);
    expect(isSession({ ...session, schema: 'sandtable.session/0' })).toBe(false);
    expect(isSession({ ...session, decisions: undefined })).toBe(false);
    expect(isSession(undefined)).toBe(false);
  });
  const whatIf = (t_s: number, sha: string) => ({ t_s, settings: { rain_factor: 1.5 }, described: 'rain ×1.5', results_sha256: sha.repeat(64),
    outcomes: [{ key: 'items reaching red', metric: 'items_red', base: 3, variant: 5, unit: '' }] });
  it('keeps the what-ifs run; a session saved before they were kept still restores', () => {
    const whatifs = [whatIf(600, 'a')];
    expect(readSession({ ...session, whatifs })).toEqual({ session: { ...session, whatifs }, dropped: [] });
    expect(readSession(session)).toEqual({ session, dropped: [] });
  });
  it('drops each corrupt what-if by its JSON path with the after-action record\'s own messages, and keeps the rest', () => {
    const stored = {
      ...session, scenarioJson: { duration_s: 3600 }, decisions: [{ id: 'D1', t_s: 60, role: 'Mayor', text: 'kept' }],
      whatifs: [whatIf(600, 'a'), { ...whatIf(7200, 'b'), settings: { rain_factor: 40 } }, 'junk', whatIf(1200, 'c')],
      whatif_chart: { base_results_sha256: 'e'.repeat(64), index: 3, shown: 'G-main', series: [{ id: 'G-main', values: [1, 2] }] },
    };
    const read = readSession(stored)!;
    // The same checker as an imported record's (parseAar), so the same lines the CLI would print.
    expect(new InputError(read.dropped).message.split('\n')).toEqual([
      'error: $.whatifs[1].t_s: is not a time in the scenario (got 7200, expected seconds in [0, 3600])',
      'error: $.whatifs[1].settings.rain_factor: is not a setting the what-if offers (got 40, expected a number in [0.5, 2.5])',
      'error: $.whatifs[2]: is not a what-if (got "junk", expected { "t_s", "settings", "described", "results_sha256", "outcomes" })',
    ]);
    expect(read.session.whatifs).toEqual([whatIf(600, 'a'), whatIf(1200, 'c')]);
    expect(read.session.decisions).toEqual(stored.decisions);
    // The comparison on show named the fourth what-if: now the second.
    expect(read.session.whatif_chart).toEqual({ ...stored.whatif_chart, index: 1 });
    // Its what-if dropped, the comparison goes too; a malformed one goes alone.
    expect(readSession({ ...stored, whatif_chart: { ...stored.whatif_chart, index: 2 } })!.dropped.at(-1))
      .toEqual({ path: '$.whatif_chart.index', message: 'names no what-if kept', value: 2, expected: 'one of the 2 what-ifs restored' });
    const malformed = readSession({ ...stored, whatif_chart: { index: 0 } })!;
    expect(malformed.dropped.at(-1)!.path).toBe('$.whatif_chart');
    expect(malformed.session.whatif_chart).toBeUndefined();
    expect(malformed.session.whatifs).toHaveLength(2);
    // Not even an array: every what-if goes, by the same message as an import.
    expect(new InputError(readSession({ ...session, whatifs: 'none' })!.dropped).message)
      .toBe('error: $.whatifs: must be an array (got "none", expected the what-ifs run, at most 500)');
  });
});

describe('run state', () => {
  it('the clock may run only over a current run', () => {
    expect([runState(true, false, false), runState(true, true, false), runState(false, true, true), runState(false, false, true), runState(false, true, false)])
      .toEqual(['computing', 'recomputing', 'stale', 'failed', 'ready']);
    expect(['computing', 'recomputing', 'stale', 'failed', 'ready'].map((s) => clockHold(s as never)))
      .toEqual(['hold_computing', 'hold_recomputing', 'hold_stale', 'hold_failed', undefined]);
  });
});

describe('the MSEL after a cancellation', () => {
  it('an inject following a cancelled one shows cancelled and never falls due (the engine drops it too)', async () => {
    const { mselAt, selfDelivery } = await import('../../web/msel-state.ts');
    const chain = parseInjects([
      { id: 'A', title: 'A', kind: 'information', trigger: { type: 'time', t_s: 600 } },
      { id: 'B', title: 'B after A', kind: 'information', trigger: { type: 'after', inject: 'A', delay_s: 600 } },
      { id: 'C', title: 'C after B', kind: 'information', trigger: { type: 'after', inject: 'B', delay_s: 600 } },
    ], '$.injects', 3600);
    const actions = { delivered: new Map<string, number>(), cancelled: new Map([['A', 300]]) };
    expect(mselAt(chain, 2000, actions, undefined).injects.map((i) => [i.id, i.state])).toEqual([['A', 'cancelled'], ['B', 'cancelled'], ['C', 'cancelled']]);
    expect([...selfDelivery(chain, actions, undefined)]).toEqual([]);
    expect([...selfDelivery(chain, { delivered: new Map(), cancelled: new Map() }, undefined)]).toEqual([['A', 600], ['B', 1200], ['C', 1800]]);
  });
});
