// Importing an after-action record checks its decisions' withdrawals and corrections as a history
// the drill could have written (models/scenario/decision-history.ts; the record format is
// DRILLS.md's "every decision", the writer web/decisions.ts): any history the drill writes reads
// back and exports again to the same bytes, and a broken link is refused by its JSON path.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { buildAar, decisionDeliveries, parseAar, type AarInput, type Decision } from '../../models/scenario/aar.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { enterDecision, withdrawDecision, type EntryContext } from '../../web/decisions.ts';

const raw = JSON.parse(readFileSync('scenarios/mountain-city/storm-peak-24h.json', 'utf8'));
const scenario = parseScenario(raw);
const DURATION = scenario.durationS;
const region = {
  manifest: JSON.parse(readFileSync('scenarios/mountain-city/region/region.json', 'utf8')),
  items: JSON.parse(readFileSync('scenarios/mountain-city/region/risk-items.json', 'utf8')).items,
};
const districts: string[] = region.manifest.districts.map((d: { id: string }) => d.id);

/** What buildAar needs of a run, and no more: the decisions are what is under test. */
const run = (decisions: readonly Decision[]) => ({
  risk: { changes: [], final: {}, stale: [] }, grid: { steps: 96, stepS: 900 }, warnings: [], gauges: [], seed: 7, engineVersion: 'test',
  delivered: decisionDeliveries(decisions).map(([id, t_s]) => ({ id, t_s })), fsBySlope: new Map(), peopleByWarningLevel: { 0: [], 1: [], 2: [], 3: [], 4: [0] },
}) as unknown as AarInput['run'];

/** The record's JSON as the export button writes it. */
function exported(decisions: readonly Decision[], rest: Partial<AarInput> = {}): string {
  return JSON.stringify(buildAar({
    scenarioJson: raw, scenario, run: run(decisions), resultsSha256: 'a'.repeat(64), manualDeliveries: new Map(), cancellations: new Map(),
    decisions, ratings: new Map(), exported: '2026-12-05T21:00:00.000Z', ...rest,
  }), null, 1);
}

/** Exported, imported and exported again, as the drill does it (web/aar-desk.ts). */
function roundTrip(text: string): string {
  const read = parseAar(JSON.parse(text));
  return exported(read.record.decisions, { manualDeliveries: read.manualDeliveries, cancellations: read.cancelled, ratings: read.ratings, whatIfs: read.whatIfs });
}

const problems = (decisions: unknown[]) => {
  try { parseAar({ schema: 'sandtable.aar/1', scenario: raw, injects_delivered: [], results_sha256: 'x', decisions }); } catch (e) {
    if (e instanceof InputError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
};

// What a trainer does to the log: log a decision (some act: an evacuation), correct one, withdraw one.
const when = fc.integer({ min: 0, max: DURATION });
const role = fc.oneof(fc.constantFrom('Trainer', 'Mayor', '防汛指挥部', ''), fc.string({ maxLength: 12 }));
const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const area = fc.option(fc.constantFrom(...districts), { nil: undefined });
const wallClock = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const op = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('enter' as const), nowS: when, role, text, area, at: wallClock }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('correct' as const), target: fc.nat(), nowS: when, role, text, area, at: wallClock }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('withdraw' as const), target: fc.nat(), nowS: when, role, at: wallClock }), weight: 1 },
);

type Op = { kind: 'enter' | 'correct' | 'withdraw'; nowS: number; role: string; at: string; text?: string; area?: string; target?: number };

/** The history the drill's own functions write for these steps (a step the drill refuses is left out, as on screen). */
function history(ops: readonly Op[]): Decision[] {
  let list: Decision[] = [];
  for (const o of ops) {
    const ctx: EntryContext = { nowS: o.nowS, durationS: DURATION, injects: scenario.injects, region, at: o.at };
    const target = o.target !== undefined && list.length ? list[o.target % list.length].id : undefined;
    const action = o.area ? { type: 'evacuation', areas: [o.area] } : undefined;
    try {
      if (o.kind === 'enter') list = enterDecision(list, { role: o.role, text: o.text!, ...(action ? { action } : {}) }, ctx);
      else if (o.kind === 'correct' && target) list = enterDecision(list, { role: o.role, text: o.text!, ...(action ? { action } : {}), corrects: target }, ctx);
      else if (o.kind === 'withdraw' && target) list = withdrawDecision(list, target, o.role, ctx);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  }
  return list;
}

describe('a record\'s decision history', () => {
  it('any history the drill writes reads back, and exports again to the same bytes', () => {
    const seen = { corrections: 0, chained: 0, byHand: 0, acting: 0 };
    fc.assert(fc.property(fc.array(op, { maxLength: 16, size: 'max' }), (ops) => {
      const decisions = history(ops);
      seen.corrections += decisions.filter((d) => d.corrects).length;
      seen.chained += decisions.filter((d) => d.corrects && d.withdrawn?.replaced_by).length;
      seen.byHand += decisions.filter((d) => d.withdrawn && !d.withdrawn.replaced_by).length;
      seen.acting += decisions.filter((d) => d.action).length;
      const text = exported(decisions);
      expect(problems(JSON.parse(text).decisions)).toEqual([]);
      expect(roundTrip(text)).toBe(text);
    }), { numRuns: 120, seed: 2026 });
    // The histories tried hold corrections, corrections corrected again, withdrawals by hand and
    // decisions that act, not only plain entries.
    expect(seen.corrections).toBeGreaterThan(100);
    expect(seen.chained).toBeGreaterThan(30);
    expect(seen.byHand).toBeGreaterThan(30);
    expect(seen.acting).toBeGreaterThan(100);
  });

  it('any one link broken in such a history is refused at a path inside the decisions', () => {
    const corruptions: ((d: Record<string, any>[], k: number) => void)[] = [
      (d, k) => { d[k].withdrawn = { ...d[k].withdrawn, t_s: DURATION + 1 }; },
      (d, k) => { d[k].t_s = DURATION + 1; },
      (d, k) => { d[k].withdrawn = { ...d[k].withdrawn, at: 'yesterday' }; },
      (d, k) => { d[k].withdrawn = { ...d[k].withdrawn, by: null }; },
      (d, k) => { d[k].withdrawn = { ...d[k].withdrawn, reason: 'typo' }; },
      (d, k) => { d[k].withdrawn = { ...d[k].withdrawn, replaced_by: d[k].id }; },
      (d, k) => { d[k].corrects = d[k].id; },
      (d, k) => { d[k].corrects = 'D999'; },
      (d, k) => { d.push({ ...d[k] }); },
      (d, k) => { d.push({ id: `D${d.length + 1}`, t_s: d[k].t_s, role: 'Trainer', text: 'again', corrects: d[k].id }); },
    ];
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 10 }), fc.nat(), fc.nat(corruptions.length - 1), (ops, pick, c) => {
      const decisions = JSON.parse(JSON.stringify(history(ops))) as Record<string, any>[];
      fc.pre(decisions.length > 0);
      corruptions[c](decisions, pick % decisions.length);
      const found = problems(decisions);
      expect(found.length).toBeGreaterThan(0);
      for (const p of found) expect(p).toMatch(/^error: \$\.decisions\[\d+\]\./);
    }), { numRuns: 150, seed: 2027 });
  });

  // D1 corrected by D2 (which keeps D1's time), D3 withdrawn by hand: what the drill writes.
  const valid = (): Record<string, any>[] => [
    { id: 'D1', t_s: 600, role: 'Mayor', text: 'evacuate Yuzhong', withdrawn: { t_s: 900, at: '2026-12-05T20:15:00.000Z', by: 'Mayor', replaced_by: 'D2' } },
    { id: 'D2', t_s: 600, role: 'Mayor', text: 'evacuate Jiangbei', corrects: 'D1' },
    { id: 'D3', t_s: 1200, role: 'Trainer', text: 'open shelters', withdrawn: { t_s: 1500, at: '2026-12-05T20:20:00+08:00', by: 'Trainer' } },
  ];
  const broken = (change: (d: Record<string, any>[]) => void) => { const d = valid(); change(d); return problems(d); };

  it('a withdrawal of the wrong form is refused field by field', () => {
    expect(problems(valid())).toEqual([]);
    expect(broken((d) => { d[2].withdrawn = { t_s: '1500', at: '2026-02-30T10:00:00Z', by: 3, when: 1 }; })).toEqual([
      'error: $.decisions[2].withdrawn.when: unknown field (expected one of t_s, at, by, replaced_by)',
      'error: $.decisions[2].withdrawn.t_s: is not a time in the scenario (got "1500", expected seconds in [0, 86400], the exercise time it was withdrawn)',
      'error: $.decisions[2].withdrawn.at: is not the wall-clock time it was withdrawn (got "2026-02-30T10:00:00Z", expected an ISO 8601 time with a UTC offset, e.g. "2026-07-14T12:00:00.000Z")',
      'error: $.decisions[2].withdrawn.by: must name the role that withdrew it (got 3, expected a role, e.g. "Trainer")',
    ]);
    expect(broken((d) => { d[2].withdrawn.t_s = -60; delete d[2].withdrawn.at; })).toEqual([
      'error: $.decisions[2].withdrawn.t_s: is not a time in the scenario (got -60, expected seconds in [0, 86400], the exercise time it was withdrawn)',
      'error: $.decisions[2].withdrawn.at: is not the wall-clock time it was withdrawn (got nothing, expected an ISO 8601 time with a UTC offset, e.g. "2026-07-14T12:00:00.000Z")',
    ]);
    expect(broken((d) => { d[2].withdrawn = [1500]; })).toEqual([
      'error: $.decisions[2].withdrawn: is not a withdrawal (got an array of 1, expected { "t_s", "at", "by" }, and "replaced_by" when a correction replaced it)',
    ]);
  });

  it('a correction that names nothing, itself or a later decision is refused, and so is a withdrawal naming one', () => {
    const expectedOf = (id: string) => `expected the id of an earlier decision withdrawn with "replaced_by": "${id}"`;
    expect(broken((d) => { d[1].corrects = 'D9'; })).toEqual([
      'error: $.decisions[0].withdrawn.replaced_by: names a decision that does not correct it (got "D2", expected the id of a later decision with "corrects": "D1", or no field when withdrawn by hand)',
      `error: $.decisions[1].corrects: names no decision of the record (got "D9", ${expectedOf('D2')})`,
    ]);
    expect(broken((d) => { d[1].corrects = 7; })[1]).toBe(`error: $.decisions[1].corrects: must name the decision it corrects (got 7, ${expectedOf('D2')}, or no field)`);
    // Itself, or a later one: a correction follows what it corrects, so no chain of them loops.
    expect(broken((d) => { d[1].corrects = 'D2'; })[1]).toBe(`error: $.decisions[1].corrects: names a decision not listed before it (got "D2", ${expectedOf('D2')})`);
    expect(broken((d) => { d[0].corrects = 'D2'; d[0].withdrawn.replaced_by = 'D2'; })).toEqual([
      `error: $.decisions[0].corrects: names a decision not listed before it (got "D2", ${expectedOf('D1')})`,
    ]);
    // A cycle: D1 and D2 each replaced by the other.
    expect(broken((d) => { d[1].withdrawn = { t_s: 950, at: '2026-12-05T20:16:00Z', by: 'Mayor', replaced_by: 'D1' }; d[0].corrects = 'D2'; })).toEqual([
      `error: $.decisions[0].corrects: names a decision not listed before it (got "D2", ${expectedOf('D1')})`,
      'error: $.decisions[1].withdrawn.replaced_by: names a decision not listed after it (got "D1", expected the id of a later decision with "corrects": "D2", or no field when withdrawn by hand)',
    ]);
    expect(broken((d) => { d[0].withdrawn.replaced_by = 'D7'; delete d[1].corrects; })).toEqual([
      'error: $.decisions[0].withdrawn.replaced_by: names no decision of the record (got "D7", expected the id of a later decision with "corrects": "D1", or no field when withdrawn by hand)',
    ]);
  });

  it('a decision corrected twice, corrected after its withdrawal, or not withdrawn by its correction is refused', () => {
    // Withdrawn twice: D4 corrects D1, which D2 already replaced.
    expect(broken((d) => { d.push({ id: 'D4', t_s: 600, role: 'Mayor', text: 'evacuate Nanan', corrects: 'D1' }); })).toEqual([
      'error: $.decisions[3].corrects: names a decision another one replaced (got "D1", expected the id of an earlier decision withdrawn with "replaced_by": "D4")',
    ]);
    // D4 corrects D3, withdrawn by hand before: the drill refuses that correction.
    expect(broken((d) => { d.push({ id: 'D4', t_s: 1200, role: 'Trainer', text: 'open two shelters', corrects: 'D3' }); })).toEqual([
      'error: $.decisions[3].corrects: names a decision withdrawn by hand, not replaced (got "D3", expected the id of an earlier decision withdrawn with "replaced_by": "D4")',
    ]);
    expect(broken((d) => { delete d[0].withdrawn; })).toEqual([
      'error: $.decisions[1].corrects: names a decision that was not withdrawn (got "D1", expected the id of an earlier decision withdrawn with "replaced_by": "D2")',
    ]);
    // The correction stands in the corrected decision's place, at its time.
    expect(broken((d) => { d[1].t_s = 660; })).toEqual([
      'error: $.decisions[1].t_s: is not the time of the decision it corrects (got 660, expected 600, the time of D1 (a correction keeps it))',
    ]);
    // A decision's own time is in the scenario: its action is delivered to the replay at that time.
    expect(broken((d) => { d[2].t_s = 86_401; })).toEqual([
      'error: $.decisions[2].t_s: is not a time in the scenario (got 86401, expected seconds in [0, 86400], the exercise time it was taken)',
    ]);
    expect(broken((d) => { d[2].t_s = -60; })).toEqual([
      'error: $.decisions[2].t_s: is not a time in the scenario (got -60, expected seconds in [0, 86400], the exercise time it was taken)',
    ]);
    // Two decisions of one id: which one a link names cannot be known.
    expect(broken((d) => { d.push({ ...d[2], withdrawn: undefined }); })).toEqual([
      'error: $.decisions[3].id: is the id of an earlier decision (got "D3", expected an id no other decision has)',
    ]);
  });
});
