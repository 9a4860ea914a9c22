import { describe, expect, it } from 'vitest';
import { activeWarnings, districtLevels, lastChanges, levelCounts, levelsAt, valueAt } from '../../models/scenario/timeline.ts';
import type { IssuedWarning } from '../../models/scenario/warning-rules.ts';

const run = {
  risk: {
    changes: [
      { t_s: 100, item: 'A', from: 1, to: 3, reason: { rule: 'sensor' } },
      { t_s: 200, item: 'B', from: 2, to: 4, reason: { rule: 'warning' } },
      { t_s: 7300, item: 'A', from: 3, to: 2, reason: { rule: 'hold' } },
    ],
    final: { A: 2, B: 4, C: 1 },
    stale: [],
  },
};
const warning = (id: string, t_s: number, lift_s: number | undefined, level: number, areas: string[]): IssuedWarning =>
  ({ id, t_s, lift_s, level, hazard: 'rainstorm', areas, reason: '', source: 'rule' });

describe('a run seen at one time', () => {
  it('levels: before the first change, at a change (inclusive), after a step down; untouched items at their final level', () => {
    expect(Object.fromEntries(levelsAt(run, 0, ['A', 'B', 'C']))).toEqual({ A: 1, B: 2, C: 1 });
    expect(Object.fromEntries(levelsAt(run, 100, ['A', 'B', 'C']))).toEqual({ A: 3, B: 2, C: 1 });
    expect(Object.fromEntries(levelsAt(run, 9999, ['A', 'B', 'C']))).toEqual({ A: 2, B: 4, C: 1 });
    expect(lastChanges(run, 250).get('A')?.reason.rule).toBe('sensor');
  });

  it('warnings are active on [t_s, lift_s); districts take their highest active level', () => {
    const ws = [warning('W1', 10, 50, 2, ['x']), warning('W2', 40, undefined, 4, ['x', 'y'])];
    expect(activeWarnings(ws, 49).map((w) => w.id)).toEqual(['W1', 'W2']);
    expect(activeWarnings(ws, 50).map((w) => w.id)).toEqual(['W2']);
    expect(Object.fromEntries(districtLevels(ws, 45))).toEqual({ x: 4, y: 4 });
    expect(Object.fromEntries(districtLevels(ws, 20))).toEqual({ x: 2 });
  });

  it('counts items per level at each step end; every step counts every item once', () => {
    const counts = levelCounts(run, ['A', 'B', 'C'], 100, 80);
    expect([counts[1][0], counts[2][0], counts[3][0], counts[4][0]]).toEqual([2, 1, 0, 0]);
    expect([counts[1][2], counts[2][2], counts[3][2], counts[4][2]]).toEqual([1, 0, 1, 1]);
    expect([counts[1][80], counts[2][80], counts[3][80], counts[4][80]]).toEqual([1, 1, 0, 1]);
    for (let j = 0; j <= 80; j++) expect(counts[1][j] + counts[2][j] + counts[3][j] + counts[4][j]).toBe(3);
    expect(valueAt([5, 6, 7], 900, 1799)).toBe(6);
  });
});

describe('people exposed per warning level', () => {
  it('counts each district once per step, at its highest active warning; totals are conserved', async () => {
    const { totalByDistrict, peopleByWarningLevel } = await import('../../models/scenario/timeline.ts');
    const people = totalByDistrict([10, 20, 0, 5.4], [0, 1, 1, 0], ['x', 'y']);
    expect(Object.fromEntries(people)).toEqual({ x: 15, y: 20 });
    const ws = [warning('W1', 100, 300, 2, ['x']), warning('W2', 200, undefined, 4, ['x', 'y'])];
    const byLevel = peopleByWarningLevel(ws, people, 100, 4); // step ends 100, 200, 300, 400
    expect(Array.from(byLevel[0])).toEqual([20, 0, 0, 0]);
    expect(Array.from(byLevel[2])).toEqual([15, 0, 0, 0]);
    expect(Array.from(byLevel[4])).toEqual([0, 35, 35, 35]);
    for (let j = 0; j < 4; j++) expect([0, 1, 2, 3, 4].reduce((s, l) => s + byLevel[l as 0][j], 0)).toBe(35);
    // District y evacuated at 300 s: its 20 residents leave the red count from that step end on.
    const evacuated = peopleByWarningLevel(ws, people, 100, 4, new Map([['y', 300]]));
    expect(Array.from(evacuated[4])).toEqual([0, 35, 15, 15]);
  });
});
