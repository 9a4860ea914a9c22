// The ensemble run's figures and announcements (web/ensemble-progress.ts) and the pool's size
// (web/ensemble-pool.ts): plain functions, checked here without a browser.
import { describe, expect, it } from 'vitest';
import { MAX_POOL_WORKERS, poolSizeFor, type PoolProgress } from '../../web/ensemble-pool.ts';
import { duration, progressFigures, progressLine, quarterPassed } from '../../web/ensemble-progress.ts';

const progress = (done: number, bad = 0): PoolProgress => ({
  done, total: 10, bad: Array.from({ length: bad }, (_, index) => ({ index, problem: 'x' })), workers: 2, startedMs: 1000, membersFromMs: 3000,
});

describe('an ensemble run\'s progress', () => {
  it('estimates the time left from the members\' pace, the shared inputs\' loading left out', () => {
    // 4 members in 8 s after the 2 s of loading: 2 s a member, 6 left → 12 s.
    expect(progressFigures(progress(4, 1), 11_000)).toEqual({ done: 4, total: 10, bad: 1, elapsedS: 10, remainingS: 12 });
    // No member done yet: no estimate rather than a guess.
    expect(progressFigures(progress(0), 5000)).toEqual({ done: 0, total: 10, bad: 0, elapsedS: 4 });
  });

  it('says it on one line in either language', () => {
    expect(progressLine('en', { done: 4, total: 10, bad: 1, elapsedS: 10, remainingS: 125.4 })).toBe('4/10 members done · 1 bad · 10 s elapsed · about 2 min 05 s left');
    expect(progressLine('zh-CN', { done: 0, total: 10, bad: 0, elapsedS: 3.6 })).toBe('0/10 个成员完成 · 无效 0 个 · 已用 4 秒 · 剩余时间待估');
    expect([duration('en', 59.4), duration('en', 60), duration('zh-CN', 3725)]).toEqual(['59 s', '1 min 00 s', '62 分 05 秒']);
  });

  it('announces each quarter once, not every member (the end has its own message)', () => {
    const said = [];
    for (let done = 1; done <= 10; done++) said.push(quarterPassed(done - 1, done, 10));
    expect(said).toEqual([undefined, undefined, 25, undefined, 50, undefined, undefined, 75, undefined, undefined]);
    // Two workers finishing together may pass a quarter in one step; 100 % is never a quarter.
    expect([quarterPassed(1, 3, 4), quarterPassed(3, 4, 4), quarterPassed(0, 1, 1)]).toEqual([75, undefined, undefined]);
  });
});

describe('the pool size', () => {
  it('is the machine\'s logical cores, at least 1 and at most MAX_POOL_WORKERS', () => {
    expect(MAX_POOL_WORKERS).toBe(4);
    expect([undefined, 0, 1, 2, 3.5, 8, 64].map(poolSizeFor)).toEqual([1, 1, 1, 2, 3, 4, 4]);
  });
});
