// `sandtable risklist grade` as scripts call it (CONTRACT.md): JSON on stdout, exit 2 with exact
// error lines on bad input.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../cli-harness.ts';

const { sandtable, caseFile } = cliWorkspace('risklist');



// The contract's example case, completed so every item it names exists.
const contractCase = {
  until_s: 10000,
  hold_s: { 4: 21600, 3: 7200, 2: 1800 },
  items: [
    { id: 'UP-01', category: 'waterlogging', area: 'shapingba', base_level: 1,
      factors: [{ id: 'depth_cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 }, deadband: 2, on_delay_s: 0, stale_after_s: 3600 }] },
    { id: 'ST-02', category: 'septic-tank', lec: { L: 3, E: 6, C: 7 }, factors: [] },
    { id: 'SL-03', category: 'slope', area: 'yuzhong', matrix: { likelihood: 2, severity: 2 }, factors: [] },
  ],
  readings: [{ t_s: 100, item: 'UP-01', factor: 'depth_cm', value: 15 }],
  warnings: [{ id: 'W1', t_s: 1000, lift_s: 3000, level: 3, hazard: 'geohazard', categories: ['slope'] }],
  events: [{ t_s: 6000, item: 'SL-03', kind: 'accident', level: 4 }, { t_s: 7000, item: 'SL-03', kind: 'verified' }],
  pins: [{ t_s: 9000, item: 'UP-01', level: 3, expires_s: 9500 }],
};

describe('sandtable risklist grade', () => {
  it('grades the contract example: changes by hand, final levels, the stale factor', () => {
    const r = sandtable(['risklist', 'grade', caseFile('contract.json', contractCase)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // UP-01: 15 ≥ 10 → 2 at 100; pin 3 at 9000 → 3 (expires 9500, hold 7200 not over by 10000).
    // SL-03 (matrix 2×2 = 4 → base 2): W1 orange at 1000 → 3; lifted at 3000, hold 7200 would end
    // at 10200 but the accident at 6000 → 4 first; verified at 7000, red hold 21600 not over.
    // ST-02 (LEC 3·6·7 = 126 → 3) never changes.
    expect(out.changes).toEqual([
      { t_s: 100, item: 'UP-01', from: 1, to: 2, reason: { rule: 'sensor', factor: 'depth_cm', value: 15, threshold: 10 } },
      { t_s: 1000, item: 'SL-03', from: 2, to: 3, reason: { rule: 'warning', id: 'W1', hazard: 'geohazard' } },
      { t_s: 6000, item: 'SL-03', from: 3, to: 4, reason: { rule: 'event', kind: 'accident' } },
      { t_s: 9000, item: 'UP-01', from: 2, to: 3, reason: { rule: 'pin', expires_s: 9500 } },
    ]);
    expect(out.final).toEqual({ 'SL-03': 4, 'ST-02': 3, 'UP-01': 3 });
    // depth_cm last read at 100, stale after 3600 s → stale from 3700; it also blocked UP-01's holds.
    expect(out.stale).toEqual([{ item: 'UP-01', factor: 'depth_cm', since_s: 3700 }]);
  });

  it('reads the case from stdin and ships a scenario that grades', () => {
    const r = sandtable(['risklist', 'grade', '-'], JSON.stringify(contractCase));
    expect(r.code).toBe(0);
    const shipped = sandtable(['risklist', 'grade', fileURLToPath(new URL('../../scenarios/risklist-storm-night.json', import.meta.url))]);
    expect(shipped.stderr).toBe('');
    expect(shipped.code).toBe(0);
    expect(JSON.parse(shipped.stdout).changes.length).toBeGreaterThan(5);
  });

  it('bad input: exit 2, one exact line per problem, nothing on stdout', () => {
    const bad = structuredClone(contractCase) as typeof contractCase;
    bad.readings.push({ t_s: 50, item: 'UP-01', factor: 'depth_cm', value: 1 }, { t_s: 60, item: 'NOPE', factor: 'depth_cm', value: 1 });
    bad.items[0].factors[0].thresholds = { 2: 10, 3: 20, 4: 5 };
    const r = sandtable(['risklist', 'grade', caseFile('bad.json', bad)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: $.items[0].factors[0].thresholds["4"]: is out of order for direction above (got 5, expected more than 20, the threshold of level 3)\n');
    bad.items[0].factors[0].thresholds = { 2: 10, 3: 20, 4: 30 };
    const second = sandtable(['risklist', 'grade', caseFile('bad2.json', bad)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe([
      // Readings in any order are sorted (before issue 15 the two early ones were refused).
      'error: $.readings[2].item: names no item (got "NOPE", expected the id of an item in $.items)',
      '',
    ].join('\n'));
  });
});
