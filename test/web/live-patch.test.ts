// What one change from the feed does to the live page without a request (web/live/live-patch.ts):
// the counts under the filter move by one in each facet as /v1/live/counts would count them, rows
// on show take the new level, changes the counts or rows already stand for are skipped, an answer
// taken before changes the feed already brought takes them, and a burst of changes fetches the list
// once, not once per change.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countsSince, debounced, patchCounts, patchRows, rowsSince, touchesList, type LiveCounts, type LiveFilter } from '../../web/live/live-patch.ts';

const ALL: LiveFilter = { level: 0, district: '', category: '' };
const counts = (): LiveCounts => ({
  seq: 10, total: 100, levels: [0, 70, 20, 7, 3],
  districts: { jiangbei: 60, nanan: 40 }, categories: { slope: 30, waterlogging: 70 },
});
const change = { seq: 11, item: 'WL-1', from: 1, to: 4, area: 'jiangbei', category: 'waterlogging' };

describe('patchCounts', () => {
  it('moves one item between levels with no filter: totals per district and category stay', () => {
    expect(patchCounts(counts(), ALL, change)).toEqual({ ...counts(), seq: 11, levels: [0, 69, 20, 7, 4] });
  });

  it('under a level filter the item enters: the total, its district and its category grow', () => {
    const f = { ...ALL, level: 4 };
    const c = { ...counts(), total: 3, districts: { jiangbei: 2, nanan: 1 }, categories: { slope: 1, waterlogging: 2 } };
    expect(patchCounts(c, f, change)).toEqual({ seq: 11, total: 4, levels: [0, 69, 20, 7, 4], districts: { jiangbei: 3, nanan: 1 }, categories: { slope: 1, waterlogging: 3 } });
    // And leaves it going back down.
    expect(patchCounts(c, f, { ...change, from: 4, to: 1 })).toMatchObject({ total: 2, levels: [0, 71, 20, 7, 2], districts: { jiangbei: 1 }, categories: { waterlogging: 1 } });
  });

  it('an item of another district moves neither the level boxes nor the total, only its own district\'s count', () => {
    const f = { ...ALL, district: 'nanan', level: 4 };
    const c = { ...counts(), total: 1 };
    expect(patchCounts(c, f, change)).toEqual({ ...c, seq: 11, districts: { jiangbei: 61, nanan: 40 } });
  });

  it('skips a change the counts already stand for, and one without district and category', () => {
    const c = counts();
    expect(patchCounts(c, ALL, { ...change, seq: 10 })).toBe(c);
    expect(patchCounts(c, ALL, { seq: 11, item: 'WL-1', from: 1, to: 4 })).toBe(c);
  });
});

describe('patchRows and touchesList', () => {
  it('recolours the row on show, leaves others, skips what the rows already stand for', () => {
    const rows = [{ id: 'A', level: 4 }, { id: 'WL-1', level: 1 }];
    expect(patchRows(rows, 10, change)).toEqual([{ id: 'A', level: 4 }, { id: 'WL-1', level: 4 }]);
    expect(patchRows(rows, 11, change)).toBe(rows);
    expect(patchRows(rows, 10, { ...change, item: 'B' })).toBe(rows);
  });

  it('says when the list may move: a change in the filter\'s district and category, into or out of its level', () => {
    expect(touchesList(ALL, change)).toBe(true);
    expect(touchesList({ ...ALL, district: 'nanan' }, change)).toBe(false);
    expect(touchesList({ ...ALL, level: 2 }, change)).toBe(false);
    expect(touchesList({ ...ALL, level: 1 }, change)).toBe(true);
    expect(touchesList({ ...ALL, level: 2 }, { seq: 11, item: 'X', from: 1, to: 4 })).toBe(true);
  });
});

describe('an answer that lands after the feed moved on (countsSince, rowsSince)', () => {
  // The log as the page keeps it, newest first: changes 11 and 12 came by the feed.
  const log = [
    { seq: 12, item: 'SL-2', from: 2, to: 3, area: 'nanan', category: 'slope' },
    change,
    { seq: 10, item: 'WL-1', from: 4, to: 1, area: 'jiangbei', category: 'waterlogging' },
  ];

  it('counts taken at seq 10 take changes 11 and 12, in order, and only those', () => {
    const shown = patchCounts(patchCounts(counts(), ALL, log[1]), ALL, log[0]);
    expect(countsSince(counts(), ALL, log)).toEqual(shown);
    expect(shown).toMatchObject({ seq: 12, levels: [0, 69, 19, 8, 4] });
    // Counts that already hold every change are left as they are.
    expect(countsSince(shown, ALL, log)).toBe(shown);
  });

  it('a new filter\'s first counts, taken before a change the feed brought, count it under that filter', () => {
    const f = { ...ALL, district: 'jiangbei' };
    const jiangbei = { ...counts(), total: 60, levels: [0, 45, 10, 4, 1] };
    expect(countsSince(jiangbei, f, log)).toMatchObject({ seq: 12, total: 60, levels: [0, 44, 10, 4, 2], districts: { jiangbei: 60, nanan: 40 } });
  });

  it('rows taken at seq 10 take the later levels; older changes do not undo what the rows say', () => {
    const rows = [{ id: 'SL-2', level: 2 }, { id: 'WL-1', level: 1 }];
    expect(rowsSince(rows, 10, log)).toEqual([{ id: 'SL-2', level: 3 }, { id: 'WL-1', level: 4 }]);
    expect(rowsSince(rows, 12, log)).toBe(rows);
  });
});

describe('debounced', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('runs once after a burst, and at the latest maxMs after its first call under a steady flow', () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const call = debounced(run, 800, 3000);
    for (let k = 0; k < 10; k++) { call(); vi.advanceTimersByTime(100); }
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(800);
    expect(run).toHaveBeenCalledTimes(1);
    // A change every 500 ms for 6 s: never 800 ms quiet, yet the list is fetched every 3 s.
    for (let k = 0; k < 12; k++) { call(); vi.advanceTimersByTime(500); }
    expect(run).toHaveBeenCalledTimes(3);
    call.cancel();
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(3);
  });
});
