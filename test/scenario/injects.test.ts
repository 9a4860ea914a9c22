import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseCsv } from '../../models/scenario/csv.ts';
import { injectStatesAt, injectsFromCsv, injectsToCsv, parseInjects, scheduledTimes } from '../../models/scenario/injects.ts';

const msel = [
  { id: 'I1', sequence: 1, trigger: { type: 'time', t_s: 3600 }, title: 'Rainstorm orange signal', kind: 'information', from: 'Met bureau', to: 'Duty officer', description: 'Orange rainstorm warning, 50 mm in 3 h, "heavy" showers' },
  { id: 'I2', sequence: 2, trigger: { type: 'after', inject: 'I1', delay_s: 1800 }, title: 'Rain 1.5× over Yuzhong', kind: 'model-change', action: { type: 'rain', factor: 1.5, area: 'yuzhong', duration_s: 10800 }, objective: 'O1' },
  { id: 'I3', sequence: 3, trigger: { type: 'condition', condition: 'gauge R001 above 5000 m3/s' }, title: 'Underpass flooded', kind: 'decision-request', expected_action: 'Close the underpass,\nredirect traffic' },
  { id: 'I4', sequence: 4, trigger: { type: 'after', inject: 'I3', delay_s: 600 }, title: 'Follow-up', kind: 'information' },
  { id: 'I5', sequence: 5, trigger: { type: 'manual' }, title: 'Ignition on the ridge', kind: 'model-change', action: { type: 'ignition', x_m: 650000, y_m: 3270000 }, state: 'on-hold' },
];

function problemsOf(run: () => unknown): string[] {
  try { run(); } catch (error) { if (error instanceof InputError) return error.problems.map(formatProblem); throw error; }
  throw new Error('expected an InputError');
}

describe('MSEL injects (DRILLS.md)', () => {
  it('resolves due times through after-chains; condition and manual wait until they fire', () => {
    const injects = parseInjects(msel, '$.injects', 259200);
    const times = scheduledTimes(injects);
    expect(Object.fromEntries(times)).toEqual({ I1: 3600, I2: 5400, I3: undefined, I4: undefined, I5: undefined });
    expect(scheduledTimes(injects, '$.injects', new Map([['I3', 20000]])).get('I4')).toBe(20600);
    expect(injects[4].state).toBe('on-hold');
    expect(injects[0].state).toBe('scheduled');
  });

  it('names every problem by path: unknown reference, loop, bad time, missing action, unknown action', () => {
    expect(problemsOf(() => parseInjects([{ ...msel[1], trigger: { type: 'after', inject: 'I9' } }], '$.injects', 100))).toEqual([
      'error: $.injects[0].trigger.inject: names no inject (got "I9", expected the id of another inject)',
    ]);
    const loop = [{ id: 'A', title: 'a', trigger: { type: 'after', inject: 'B' } }, { id: 'B', title: 'b', trigger: { type: 'after', inject: 'A' } }];
    expect(problemsOf(() => parseInjects(loop, '$.injects', 100))[0]).toMatch(/^error: \$\.injects\[\d\]\.trigger: forms a loop of after-triggers/);
    expect(problemsOf(() => parseInjects([{ ...msel[0], trigger: { type: 'time', t_s: 999 } }], '$.injects', 100))).toEqual([
      'error: $.injects[0].trigger.t_s: is outside the scenario (got 999, expected a time in [0, 100] s)',
    ]);
    expect(problemsOf(() => parseInjects([{ id: 'X', title: 'x', trigger: { type: 'manual' }, kind: 'model-change' }], '$.injects', 100))[0])
      .toMatch(/^error: \$\.injects\[0\]\.action: is required for a model-change inject/);
    expect(problemsOf(() => parseInjects([{ id: 'X', title: 'x', trigger: { type: 'manual' }, action: { type: 'earthquake' } }], '$.injects', 100))[0])
      .toMatch(/^error: \$\.injects\[0\]\.action\.type: is not a model change the engine knows \(got "earthquake"/);
  });

  it('an "_note" key in a model change is a comment, as in every other object (before: "is not a field")', () => {
    const action = { type: 'sensor-reading', item: 'WL-001', factor: 'depth_cm', value: 35, _note: 'gauge re-zeroed' };
    const [inject] = parseInjects([{ id: 'X', title: 'x', trigger: { type: 'manual' }, kind: 'model-change', action }], '$.injects', 100);
    expect(inject.id).toBe('X');
  });

  it('checks each model change\'s fields by path: kind, range, required, unknown, areas beside area', () => {
    const at = (action: Record<string, unknown>) => problemsOf(() => parseInjects([{ id: 'X', title: 'x', trigger: { type: 'manual' }, kind: 'model-change', action }], '$.injects', 100));
    expect(at({ type: 'rain', factor: 'abc', areas: ['yuzhong'], duration_s: -5 })).toEqual([
      'error: $.injects[0].action.factor: must be a number (got "abc", expected a number in [0, 10])',
      'error: $.injects[0].action.duration_s: out of range (got -5, expected a number > 0 s)',
    ]);
    expect(at({ type: 'rain', factor: 2, areas: [], area: 'all' })).toEqual([
      'error: $.injects[0].action.areas: must be a non-empty list of district ids (got an array of 0, expected the districts it applies to)',
      'error: $.injects[0].action.area: cannot stand beside areas (got "all", expected either areas or area)',
    ]);
    expect(at({ type: 'sensor-reading', item: 'WL-001', value: 35, units: 'cm' })).toEqual([
      'error: $.injects[0].action.units: is not a field of a sensor-reading action (got "cm", expected one of item, factor, value)',
      'error: $.injects[0].action.factor: is required (got nothing, expected the item\'s factor the reading is for)',
    ]);
    expect(at({ type: 'warning-issue', level: 5, hazard: 'tsunami' })).toEqual([
      'error: $.injects[0].action.hazard: is not a known value (got "tsunami", expected one of rainstorm, flood, geohazard, forest-fire)',
      'error: $.injects[0].action.level: out of range (got 5, expected an integer in [1, 4])',
    ]);
    expect(at({ type: 'barrier', polyline_m: [[1, 2], [3]] })).toEqual([
      'error: $.injects[0].action.polyline_m[1]: must be a point [x_m, y_m] (got an array of 1, expected two finite numbers, m)',
    ]);
    // Every action the shipped MSEL fixture takes is well formed.
    expect(parseInjects(msel, '$.injects', 259200).filter((i) => i.action)).toHaveLength(2);
  });

  it('round-trips through CSV, with commas, quotes and line breaks inside fields', () => {
    const injects = parseInjects(msel, '$.injects', 259200);
    const csv = injectsToCsv(injects);
    expect(csv.split('\r\n')[0]).toBe('\ufeffid,sequence,trigger,time_s,after_inject,delay_s,condition,title,description,from,to,kind,expected_action,objective,state,action,title_zh,description_zh,from_zh,to_zh,expected_action_zh,objective_zh');
    expect(injectsFromCsv(csv, 'msel.csv', 259200)).toEqual(injects);
  });

  it('locates CSV problems by file and line', () => {
    const csv = 'id,trigger,time_s,title,kind,action\nI1,time,60,Start,information,\nI2,time,99999,"Late,\nvery late",information,\nI3,manual,,Bad,model-change,{oops}\n';
    expect(problemsOf(() => injectsFromCsv(csv, 'msel.csv', 3600))).toEqual([
      'error: msel.csv:5: action is not JSON (got "{oops}", expected a JSON object such as {"type":"rain","factor":1.5})',
    ]);
    const late = csv.replace('{oops}', '"{""type"":""rain"",""factor"":2}"');
    expect(problemsOf(() => injectsFromCsv(late, 'msel.csv', 3600))).toEqual([
      'error: msel.csv:3 (trigger.t_s): is outside the scenario (got 99999, expected a time in [0, 3600] s)',
    ]);
    expect(problemsOf(() => injectsFromCsv('name,when\n', 'm.csv', 10))[0]).toBe('error: m.csv:1: lacks the columns id, trigger, title (got "name,when", expected a header with id,sequence,trigger,time_s,after_inject,delay_s,condition,title,description,from,to,kind,expected_action,objective,state,action,title_zh,description_zh,from_zh,to_zh,expected_action_zh,objective_zh)');
  });

  it('CSV parser: quoted fields, doubled quotes, CRLF, BOM, empty fields', () => {
    expect(parseCsv('\ufeffa,"b,1","say ""hi""",\r\n"multi\nline",x,,z\r\n')).toEqual([
      { line: 1, fields: ['a', 'b,1', 'say "hi"', ''] },
      { line: 2, fields: ['multi\nline', 'x', '', 'z'] },
    ]);
  });
});

describe('inject states over a run', () => {
  const injects = parseInjects(msel, '$.injects', 259200);
  const statesAt = (t: number, actions?: Parameters<typeof injectStatesAt>[2]) =>
    Object.fromEntries(injectStatesAt(injects, t, actions).map((i) => [i.id, i.state]));

  it('delivers on time, waits for triggers, and reverts when the clock is sought back', () => {
    expect(statesAt(0)).toEqual({ I1: 'scheduled', I2: 'scheduled', I3: 'scheduled', I4: 'scheduled', I5: 'on-hold' });
    expect(statesAt(3600)).toMatchObject({ I1: 'delivered', I2: 'scheduled' });
    expect(statesAt(5400)).toMatchObject({ I1: 'delivered', I2: 'delivered', I3: 'scheduled' });
    expect(statesAt(100)).toMatchObject({ I1: 'scheduled', I2: 'scheduled' });
  });

  it('a trainer fires a condition or releases a held inject; after-chains follow; cancellations count from their time', () => {
    const actions = { delivered: new Map([['I3', 20000], ['I5', 30000]]), cancelled: new Map([['I2', 4000]]) };
    expect(statesAt(19999, actions)).toMatchObject({ I2: 'cancelled', I3: 'scheduled', I4: 'scheduled', I5: 'on-hold' });
    expect(statesAt(20600, actions)).toMatchObject({ I3: 'delivered', I4: 'delivered', I5: 'on-hold' });
    expect(statesAt(30000, actions)).toMatchObject({ I5: 'delivered' });
    expect(statesAt(3999, actions)).toMatchObject({ I2: 'scheduled' });
  });
});
