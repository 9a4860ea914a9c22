// Issue 17 item 4: what is entered during an exercise is checked against the region at once, with
// the engine's messages, and a withdrawn decision stops acting but stays in the record.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { decisionDeliveries, decisionInjects, parseAar, type Decision } from '../../models/scenario/aar.ts';
import { checkCsvReferences, checkDecisionReferences, checkInjectReferences } from '../../models/scenario/entry-check.ts';
import { parseInjects } from '../../models/scenario/injects.ts';

const region = {
  manifest: JSON.parse(readFileSync('scenarios/mountain-city/region/region.json', 'utf8')),
  items: JSON.parse(readFileSync('scenarios/mountain-city/region/risk-items.json', 'utf8')).items,
};
const districts = region.manifest.districts.map((d: { id: string }) => d.id).join(', ');

function problemsOf(run: () => void): string[] {
  try { run(); } catch (error) { if (error instanceof InputError) return error.message.split('\n'); throw error; }
  return [];
}

const msel = parseInjects([
  { id: 'I1', title: 'Warn', kind: 'model-change', trigger: { type: 'time', t_s: 60 }, action: { type: 'warning-issue', id: 'W1', areas: ['yuzhong'] } },
  { id: 'I2', title: 'Typo', kind: 'model-change', trigger: { type: 'time', t_s: 60 }, action: { type: 'evacuation', areas: ['beibie'] } },
], '$.injects', 3600);

describe('entry-time checks against the region', () => {
  it('a decision to evacuate district "nowhere" is refused with the CLI\'s message, naming the decision', () => {
    const decisions: Decision[] = [{ id: 'D1', t_s: 0, role: 'Mayor', text: 'evacuate', action: { type: 'evacuation', areas: ['nowhere'] } }];
    expect(problemsOf(() => checkDecisionReferences(msel, decisions, 'D1', region))).toEqual([
      `error: decision D1.action.areas[0]: names no district of the region (got "nowhere", expected one of ${districts})`,
    ]);
    // The MSEL's own typo (I2) is not the decision's problem.
    decisions[0].action = { type: 'evacuation', areas: ['yuzhong'] };
    expect(problemsOf(() => checkDecisionReferences(msel, decisions, 'D1', region))).toEqual([]);
  });

  it('a decision may lift a warning the MSEL or a standing decision issued, not one a withdrawn decision did', () => {
    const decisions: Decision[] = [
      { id: 'D1', t_s: 0, role: 'Duty', text: 'issue', action: { type: 'warning-issue', id: 'W-D1', areas: ['yuzhong'] } },
      { id: 'D2', t_s: 0, role: 'Duty', text: 'lift W1', action: { type: 'warning-lift', id: 'W1' } },
      { id: 'D3', t_s: 0, role: 'Duty', text: 'lift W-D1', action: { type: 'warning-lift', id: 'W-D1' } },
    ];
    expect(problemsOf(() => checkDecisionReferences(msel, decisions, 'D2', region))).toEqual([]);
    expect(problemsOf(() => checkDecisionReferences(msel, decisions, 'D3', region))).toEqual([]);
    decisions[0].withdrawn = { t_s: 10, at: '2026-01-01T00:00:00Z', by: 'Duty' };
    expect(problemsOf(() => checkDecisionReferences(msel, decisions, 'D3', region))[0]).toMatch(/^error: decision D3\.action\.id: names no warning an inject or decision issues \(got "W-D1"/);
  });

  it('an MSEL inject is checked by its $.injects path, and only that inject', () => {
    expect(problemsOf(() => checkInjectReferences(msel, [], 1, region))).toEqual([
      `error: $.injects[1].action.areas[0]: names no district of the region (got "beibie", expected one of ${districts})`,
    ]);
    expect(problemsOf(() => checkInjectReferences(msel, [], 0, region))).toEqual([]);
  });

  it('an imported CSV is checked by file and line', () => {
    const csv = '\ufeffid,trigger,time_s,title,kind,action\r\nI1,time,60,"Warn,\r\nlong",model-change,\r\nI2,time,60,Typo,model-change,"{""type"":""evacuation"",""areas"":[""beibie""]}"\r\n';
    expect(problemsOf(() => checkCsvReferences(msel, [], csv, 'msel.csv', region))).toEqual([
      `error: msel.csv:4 (action.areas[0]): names no district of the region (got "beibie", expected one of ${districts})`,
    ]);
  });
});

describe('withdrawn decisions', () => {
  const decisions: Decision[] = [
    { id: 'D1', t_s: 600, role: 'Mayor', text: 'evacuate Yuzhong', action: { type: 'evacuation', areas: ['yuzhong'] }, withdrawn: { t_s: 1200, at: '2026-07-14T00:20:00Z', by: 'Trainer', replaced_by: 'D2' } },
    { id: 'D2', t_s: 600, role: 'Mayor', text: 'evacuate Jiangbei', action: { type: 'evacuation', areas: ['jiangbei'] }, corrects: 'D1' },
  ];

  it('no longer act on the engine', () => {
    expect(decisionInjects(decisions).map((i) => i.id)).toEqual(['DEC-D2']);
    expect(decisionDeliveries(decisions)).toEqual([['DEC-D2', 600]]);
  });

  it('stay in a record that reads back; a malformed withdrawal is named', () => {
    const scenario = JSON.parse(readFileSync('scenarios/mountain-city/storm-peak-24h.json', 'utf8'));
    const record = { schema: 'sandtable.aar/1', scenario, injects_delivered: [], results_sha256: 'x', decisions };
    expect(parseAar(record).record.decisions[0].withdrawn!.by).toBe('Trainer');
    expect(problemsOf(() => parseAar({ ...record, decisions: [{ ...decisions[0], withdrawn: 'yes' }] }))).toEqual([
      'error: $.decisions[0].withdrawn: is not a withdrawal (got "yes", expected { "t_s", "at", "by" }, and "replaced_by" when a correction replaced it)',
    ]);
  });
});
