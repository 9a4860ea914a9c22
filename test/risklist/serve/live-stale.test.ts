// The stale sensors' index (models/risklist/serve/live-stale.ts) against the plain scan it
// replaced (stalePageByScan), over random lists and random streams of what moves the answer:
// readings (a factor's last time moves forward, never past the clock, noted in a journal that may
// overflow), clock steps, level changes and rebuilds (new arrays, as after a restart or a failed commit), with pages asked for under
// random filters, limits and cursors (the `next` of the page before, or any cursor at all). The
// answers must be equal: total, rows in order, and whether there is more; and the whole list's
// count (/metrics) equal to the scan of every factor (/v1/stale's).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceGrading } from '../../../models/risklist/reference.ts';
import { staleFactors } from '../../../models/risklist/packed.ts';
import { RisklistSession } from '../../../models/risklist/session.ts';
import { LiveIndex, type Cursor, type LiveFilter } from '../../../models/risklist/serve/live-index.ts';
import { StaleIndex, stalePageByScan, TouchJournal, type StalePage } from '../../../models/risklist/serve/live-stale.ts';

const AREAS = ['north', 'south', 'east'];
const CATEGORIES = ['slope', 'tunnel'];

const itemArb = fc.record({
  area: fc.option(fc.constantFrom(...AREAS), { nil: undefined }),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
  staleAfter: fc.array(fc.integer({ min: 10, max: 200 }), { minLength: 1, maxLength: 4 }),
});

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('reading' as const), factor: fc.nat(), back: fc.integer({ min: 0, max: 150 }) }),
  fc.record({ kind: fc.constant('clock' as const), step: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ kind: fc.constant('level' as const), item: fc.nat(), level: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('rebuild' as const) }),
  fc.record({
    kind: fc.constant('query' as const),
    level: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    area: fc.option(fc.constantFrom(...AREAS, 'nowhere'), { nil: undefined }),
    category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 7 }),
    cursor: fc.option(fc.record({ level: fc.integer({ min: 1, max: 4 }), index: fc.integer({ min: 0, max: 200 }) }), { nil: undefined }),
  }),
);

function listOf(items: { area?: string; category?: string; staleAfter: number[] }[]) {
  return items.map((it, k) => ({
    id: `IT-${String(k).padStart(3, '0')}`, ...(it.area ? { area: it.area } : {}), ...(it.category ? { category: it.category } : {}),
    factors: it.staleAfter.map((s, j) => ({ id: `f${j}`, direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 }, stale_after_s: s })),
  }));
}

describe('the stale sensors, indexed = scanned', () => {
  it('every page under any filter and cursor, along random reading streams', () => {
    fc.assert(fc.property(fc.array(itemArb, { minLength: 1, maxLength: 40, size: 'medium' }), fc.array(opArb, { minLength: 1, maxLength: 150, size: 'max' }), fc.integer({ min: 1, max: 40 }), (items, ops, journal) => {
      const { defs } = new RisklistSession({ items: listOf(items) }, referenceGrading);
      const { list } = defs;
      // A small journal: it overflows now and then, as when nobody asks for a while.
      const source = { defs, levels: list.base.slice(), lastTime: new Float64Array(list.factors), clock: -Infinity, touched: new TouchJournal(journal) };
      const index = new LiveIndex(source);
      const stale = new StaleIndex(source, index);
      const both = (f: LiveFilter, after: Cursor | undefined, limit: number): StalePage => {
        const want = stalePageByScan(source, index, f, after, limit);
        expect(stale.page(f, after, limit)).toEqual(want);
        expect(stale.count()).toBe(staleFactors(list, source.lastTime, Math.max(0, source.clock)).length);
        return want;
      };
      let clock = 0;
      for (const op of ops) {
        if (op.kind === 'reading') {
          // As the service grades: a factor's last time only moves forward, up to the clock.
          const g = op.factor % list.factors;
          if (clock - op.back >= source.lastTime[g]) {
            source.lastTime[g] = clock - op.back;
            source.touched.note(g);
          }
        } else if (op.kind === 'clock') {
          clock += op.step;
          source.clock = clock;
        } else if (op.kind === 'level') {
          source.levels[op.item % list.items] = op.level;
        } else if (op.kind === 'rebuild') {
          source.lastTime = source.lastTime.slice();
          source.levels = source.levels.slice();
        } else {
          const f = { level: op.level, area: op.area, category: op.category };
          // Any cursor at all, then the pages one after another by their `next`.
          both(f, op.cursor, op.limit);
          let after: Cursor | undefined;
          for (let pages = 0; pages < 200; pages++) {
            const page = both(f, after, op.limit);
            if (!page.more) break;
            const last = page.rows.at(-1)!;
            after = { level: last.level, index: last.factor };
          }
        }
      }
    }), { numRuns: 150, seed: 19 });
  });
});
