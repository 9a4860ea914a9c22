// Static levels (RISKLIST.md §Static): every cell of the 5×5 matrix, all 252 LEC combinations.
import { describe, expect, it } from 'vitest';
import { bandOf, LEC_C, LEC_E, LEC_L, lecLevel, matrixLevel } from '../../models/risklist/static.ts';

describe('risk matrix R = likelihood × severity', () => {
  it('every cell, as the bands 1–3 → 1, 4–8 → 2, 9–16 → 3, 20–25 → 4 give it (table written out by hand)', () => {
    // rows: likelihood 1..5; columns: severity 1..5
    const expected = [
      [1, 1, 1, 2, 2], // 1 2 3 4 5
      [1, 2, 2, 2, 3], // 2 4 6 8 10
      [1, 2, 3, 3, 3], // 3 6 9 12 15
      [2, 2, 3, 3, 4], // 4 8 12 16 20
      [2, 3, 3, 4, 4], // 5 10 15 20 25
    ];
    for (let l = 1; l <= 5; l++) for (let s = 1; s <= 5; s++) expect([l, s, matrixLevel(l, s)]).toEqual([l, s, expected[l - 1][s - 1]]);
  });

  it('band edges are settings', () => {
    expect(matrixLevel(2, 4, [3, 7, 16])).toBe(3); // R = 8 moved up a band by a lower second edge
  });
});

describe('LEC D = L × E × C', () => {
  // Exact rational D = (10L)(2E)C / 20 with integer numerators, independent of the module's code.
  const exactTimes20 = (l: number, e: number, c: number) => Math.round(l * 10) * Math.round(e * 2) * c;
  const edges20 = [400, 1400, 3200]; // 20, 70, 160 × 20

  it('has 252 combinations, each in exactly one half-open band, and the one exact arithmetic gives', () => {
    let count = 0;
    const perBand = [0, 0, 0, 0];
    for (const l of LEC_L) for (const e of LEC_E) for (const c of LEC_C) {
      count++;
      const d20 = exactTimes20(l, e, c);
      const inBand = [d20 <= edges20[0], d20 > edges20[0] && d20 <= edges20[1], d20 > edges20[1] && d20 <= edges20[2], d20 > edges20[2]];
      expect(inBand.filter(Boolean)).toHaveLength(1);
      const band = inBand.indexOf(true) + 1;
      expect([l, e, c, lecLevel(l, e, c)]).toEqual([l, e, c, band]);
      perBand[band - 1]++;
    }
    expect(count).toBe(252);
    expect(perBand.reduce((a, b) => a + b)).toBe(252);
  });

  it('the combinations exactly on an edge (listed by hand) land in the lower band', () => {
    // D = 20: (10, 2, 1), (1, 0.5, 40), (0.5, 1, 40), (0.2, 1, 100), (0.1, 2, 100) → 1.
    for (const [l, e, c] of [[10, 2, 1], [1, 0.5, 40], [0.5, 1, 40], [0.2, 1, 100], [0.1, 2, 100]]) expect(lecLevel(l, e, c)).toBe(1);
    // D = 70: (10, 1, 7), (1, 10, 7) → 2. No combination gives exactly 160.
    for (const [l, e, c] of [[10, 1, 7], [1, 10, 7]]) expect(lecLevel(l, e, c)).toBe(2);
    let on160 = 0;
    for (const l of LEC_L) for (const e of LEC_E) for (const c of LEC_C) if (exactTimes20(l, e, c) === 3200) on160++;
    expect(on160).toBe(0);
    // Past the edges: 21 = (3, 1, 7) → 2; 90 = (3, 2, 15) → 3; 180 = (6, 2, 15) → 4.
    expect(lecLevel(3, 1, 7)).toBe(2);
    expect(lecLevel(3, 2, 15)).toBe(3);
    expect(lecLevel(6, 2, 15)).toBe(4);
  });

  it('edges are settings, compared exactly', () => {
    expect(lecLevel(10, 1, 7, [20, 69.5, 160])).toBe(3); // D = 70 > 69.5
    expect(lecLevel(0.1, 2, 100, [19.9, 70, 160])).toBe(2); // D = 20 > 19.9
    expect(bandOf(160, [20, 70, 160])).toBe(3);
    expect(bandOf(160.0000001, [20, 70, 160])).toBe(4);
  });
});
