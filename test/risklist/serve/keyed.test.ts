// The writer's readings waiting for the clock, keyed by (factor index, time): one reading held
// directly, a second of the same factor turns it into a map of times; takeDue removes exactly
// those at or before the time given.
import { describe, expect, it } from 'vitest';
import { KeyedReadings } from '../../../models/risklist/serve/keyed.ts';

const reading = (f: number, t: number, value = 1) => ({ item: `I${f}`, factor: 'x', f, t, value });

describe('KeyedReadings', () => {
  it('keys by factor and time, several times per factor, and hands out the due ones', () => {
    const k = new KeyedReadings();
    k.add(reading(3, 10));
    k.add(reading(3, 12, 2));
    k.add(reading(3, 11));
    k.add(reading(7, 10.5));
    expect(k.size).toBe(4);
    expect(k.get(3, 12)?.value).toBe(2);
    expect(k.get(3, 13)).toBeUndefined();
    expect(k.get(7, 10.5)?.f).toBe(7);
    expect(k.get(7, 10)).toBeUndefined();
    expect(k.get(4, 10)).toBeUndefined();
    expect(k.takeDue(11).map((r) => [r.f, r.t]).sort()).toEqual([[3, 10], [3, 11], [7, 10.5]]);
    expect(k.size).toBe(1);
    expect(k.get(3, 10)).toBeUndefined();
    expect(k.takeDue(11)).toEqual([]);
    expect(k.takeDue(12).map((r) => r.t)).toEqual([12]);
    expect(k.size).toBe(0);
    k.add(reading(3, 20));
    expect(k.get(3, 20)?.t).toBe(20);
  });
});
