// The search of the live list (models/risklist/serve/live-search.ts) against a plain filter of
// every item: random ids and names (ASCII, Chinese, full-width forms, upper case) and random search
// texts, the list laid out in slices of any size (the service's are 16 384 items; slice edges
// must neither lose nor invent a match), and searched twice (the second answer is the kept one).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ItemSearch, normalised, searchProblem } from '../../../models/risklist/serve/live-search.ts';

const CHARS = ['a', 'B', 'c', '1', '2', '-', ' ', '#', '积', '水', '点', 'Ａ', '１', '－'];
const textArb = fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: 8 }).map((cs) => cs.join(''));

describe('search by id or name', () => {
  it('finds exactly the items whose id, name or name_zh holds the text, case and width folded, across slices', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ name: fc.option(textArb, { nil: null }), name_zh: fc.option(textArb, { nil: null }) }), { minLength: 1, maxLength: 60 }),
      fc.array(textArb.filter((q) => q.trim() !== ''), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 70 }),
      async (items, queries, slice) => {
        const ids = items.map((_, k) => `ID-${k}${CHARS[k % CHARS.length]}`);
        const search = new ItemSearch(ids, (id) => items[ids.indexOf(id)], slice);
        for (const q of [...queries, ...queries]) {
          const bits = await search.match(q);
          const got = ids.map((_, k) => (bits[k >>> 5] >>> (k & 31)) & 1);
          const want = ids.map((id, k) => [id, items[k].name ?? '', items[k].name_zh ?? ''].some((t) => t.normalize('NFKC').toLowerCase().includes(q.normalize('NFKC').toLowerCase())) ? 1 : 0);
          expect(got, q).toEqual(want);
        }
      }), { numRuns: 200, seed: 19 });
  });

  it('folds full-width forms and case; refuses long texts and control characters', () => {
    expect(normalised('ＷＬ－００４')).toBe('wl-004');
    expect(normalised('Underpass #4')).toBe('underpass #4');
    expect(normalised('沙坪坝')).toBe('沙坪坝');
    expect(searchProblem('测'.repeat(64))).toBeUndefined();
    expect(searchProblem('a'.repeat(65))).toBe('q must be at most 64 characters (got 65)');
    expect(searchProblem('a\tb')).toBe('q must not hold control characters');
  });
});
