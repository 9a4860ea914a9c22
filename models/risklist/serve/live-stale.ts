// The stale sensors of /v1/live/stale at the city's scale. Scanning every factor of every item
// under the filter on each call cost 80–130 ms at 520 000 items (910 000 factors). Here the stale
// factors are a bitmap kept up to date as readings arrive and as the clock moves, with the count
// per item, a bitmap of the items that have any, and the count per cell of the LiveIndex (level ×
// district × category): a page walks only items with a stale sensor, a total sums a few cells.
// - Readings: the service notes each factor whose last reading time it moved (TouchJournal);
//   the index looks at those factors only.
// - The clock: the fresh factors wait in a min-heap by the time they go stale; a clock step pops
//   those now past it.
// - Anything else (a rebuild's new arrays, a journal that overflowed because nobody asked for a
//   while): one pass over every factor, 32 at a time.
// `stalePageByScan` is the plain scan it replaced, kept as the reference the tests and the
// benchmark compare it with.
import type { PackedList } from '../packed.ts';
import type { Cursor, LiveFilter, LiveIndex } from './live-index.ts';

/**
 * Factors whose last reading time moved since the stale index last looked, bounded: beyond its
 * capacity it only remembers that it overflowed (the index then makes one full pass).
 */
export class TouchJournal {
  private readonly entries: Int32Array;
  private length = 0;
  private overflowed = false;
  constructor(capacity = 1 << 16) { this.entries = new Int32Array(capacity); }

  note(factor: number): void {
    if (this.length < this.entries.length) this.entries[this.length++] = factor;
    else this.overflowed = true;
  }

  /** Hands the noted factors to `each` and forgets them; false (and nothing handed) after an overflow. */
  drain(each: (factor: number) => void): boolean {
    const complete = !this.overflowed;
    if (complete) for (let k = 0; k < this.length; k++) each(this.entries[k]);
    this.clear();
    return complete;
  }

  clear(): void { this.length = 0; this.overflowed = false; }
  get empty(): boolean { return this.length === 0 && !this.overflowed; }
}

/** What the index reads from the service (RisklistService has all of it). */
export interface StaleSource {
  readonly defs: { list: PackedList };
  readonly lastTime: Float64Array;
  readonly clock: number;
  readonly touched: TouchJournal;
}

/** One page: the stale factors (item index, factor index, the item's level), most urgent first. */
export interface StalePage { total: number; rows: { item: number; factor: number; level: number }[]; more: boolean }

const words = (n: number) => (n + 31) >>> 5;

export const staleNow = (source: StaleSource) => Math.max(0, source.clock);

/** A binary min-heap of factors keyed by the time each goes stale, with each factor's place in it. */
class StaleHeap {
  readonly key: Float64Array;
  private readonly heap: Int32Array;
  private readonly place: Int32Array;
  size = 0;
  constructor(factors: number) {
    this.key = new Float64Array(factors);
    this.heap = new Int32Array(factors);
    this.place = new Int32Array(factors).fill(-1);
  }

  has(g: number): boolean { return this.place[g] >= 0; }
  top(): number { return this.heap[0]; }

  /** Empties it and takes `fresh` (their keys set), in O(n). */
  rebuild(fresh: Int32Array, n: number): void {
    this.place.fill(-1);
    this.size = n;
    for (let i = 0; i < n; i++) { this.heap[i] = fresh[i]; this.place[fresh[i]] = i; }
    for (let i = (n >>> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Puts g in with key t, or moves it to key t. */
  set(g: number, t: number): void {
    if (this.place[g] < 0) {
      this.heap[this.size] = g;
      this.place[g] = this.size++;
    }
    this.key[g] = t;
    this.down(this.up(this.place[g]));
  }

  remove(g: number): void {
    const i = this.place[g];
    const last = this.heap[--this.size];
    this.place[g] = -1;
    if (i === this.size) return;
    this.heap[i] = last;
    this.place[last] = i;
    this.down(this.up(i));
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i], b = this.heap[j];
    this.heap[i] = b; this.place[b] = i;
    this.heap[j] = a; this.place[a] = j;
  }

  private up(i: number): number {
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!(this.key[this.heap[i]] < this.key[this.heap[parent]])) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let least = i;
      if (l < this.size && this.key[this.heap[l]] < this.key[this.heap[least]]) least = l;
      if (r < this.size && this.key[this.heap[r]] < this.key[this.heap[least]]) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}

export class StaleIndex {
  private readonly staleBits: Uint32Array;
  private readonly staleOfItem: Int32Array;
  private readonly itemBits: Uint32Array;
  /** Stale factors per cell of the LiveIndex (level × district × category), so a total is a sum of a few cells. */
  private readonly cube: Int32Array;
  private readonly fresh: StaleHeap;
  private syncedNow = NaN;
  private syncedTimes: Float64Array | undefined;

  constructor(private readonly source: StaleSource, private readonly index: LiveIndex) {
    const { list } = source.defs;
    this.staleBits = new Uint32Array(words(list.factors));
    this.staleOfItem = new Int32Array(list.items);
    this.itemBits = new Uint32Array(words(list.items));
    this.cube = new Int32Array(index.cells);
    this.fresh = new StaleHeap(list.factors);
    // An item's stale factors follow it to its new level's cell.
    index.onMove((k, from, to) => {
      const n = this.staleOfItem[k];
      if (n === 0) return;
      if (from >= 0) this.cube[index.cellOf(from, k)] -= n;
      this.cube[index.cellOf(to, k)] += n;
    });
  }

  /** Marks factor g stale (step 1) or fresh again (step −1) in the bitmaps and counts. */
  private flip(g: number, step: 1 | -1): void {
    this.staleBits[g >>> 5] ^= 1 << (g & 31);
    const k = this.source.defs.list.factorItem[g];
    const count = (this.staleOfItem[k] += step);
    if (count === (step > 0 ? 1 : 0)) this.itemBits[k >>> 5] ^= 1 << (k & 31);
    const level = this.index.levelOf(k);
    if (level >= 0) this.cube[this.index.cellOf(level, k)] += step;
  }

  private isStale(g: number): boolean { return (this.staleBits[g >>> 5] & (1 << (g & 31))) !== 0; }

  /** One factor after its reading time moved: stale or fresh by the time it goes stale, in the heap while fresh. */
  private touch(g: number, now: number): void {
    const { lastTime } = this.source;
    const since = lastTime[g] + this.source.defs.list.staleAfter[g];
    const stale = since < now;
    if (stale !== this.isStale(g)) this.flip(g, stale ? 1 : -1);
    if (stale) { if (this.fresh.has(g)) this.fresh.remove(g); } else this.fresh.set(g, since);
  }

  /** Every factor again: after a rebuild, or when the journal lost track. */
  private fullPass(now: number): void {
    const { factors, staleAfter } = this.source.defs.list;
    const times = this.source.lastTime;
    const bits = this.staleBits;
    const fresh = new Int32Array(factors);
    let n = 0;
    // 32 factors at a time: a word of new stale bits, compared with the old one; only flips cost more.
    for (let w = 0, g0 = 0; g0 < factors; w++, g0 += 32) {
      const end = Math.min(32, factors - g0);
      let word = 0;
      for (let j = 0; j < end; j++) {
        const since = times[g0 + j] + staleAfter[g0 + j];
        if (since < now) word |= 1 << j;
        else { this.fresh.key[g0 + j] = since; fresh[n++] = g0 + j; }
      }
      let flips = word ^ bits[w];
      while (flips !== 0) {
        const low = flips & -flips;
        flips ^= low;
        this.flip(g0 + 31 - Math.clz32(low), (word & low) !== 0 ? 1 : -1);
      }
    }
    this.fresh.rebuild(fresh, n);
  }

  /** Brings the index up to the service's clock and reading times. */
  sync(): void {
    const { source, index } = this;
    index.sync();
    const now = staleNow(source);
    const times = source.lastTime;
    if (now === this.syncedNow && times === this.syncedTimes && source.touched.empty) return;
    const known = times === this.syncedTimes && !(now < this.syncedNow) && source.touched.drain((g) => this.touch(g, now));
    if (!known) {
      source.touched.clear();
      this.fullPass(now);
    } else {
      // The clock moved: the fresh factors whose time came are stale now.
      while (this.fresh.size > 0 && this.fresh.key[this.fresh.top()] < now) {
        const g = this.fresh.top();
        this.fresh.remove(g);
        this.flip(g, 1);
      }
    }
    this.syncedNow = now;
    this.syncedTimes = times;
  }

  /** Every stale factor of the list (the metrics' count): the same number as a scan of all factors. */
  count(): number {
    this.sync();
    let n = 0;
    for (let cell = 0; cell < this.cube.length; cell++) n += this.cube[cell];
    return n;
  }

  /** The page after `after` (a factor index at a level) of the stale factors under the filter, and their total. */
  page(filter: LiveFilter, after: Cursor | undefined, limit: number): StalePage {
    this.sync();
    const { factorStart, factorItem, factors, items } = this.source.defs.list;
    let total = 0;
    for (const cell of this.index.cellsUnder(filter)) total += this.cube[cell];
    const rows: StalePage['rows'] = [];
    let more = false;
    // The cursor's factor belongs to an item: the walk starts at that item, skipping its factors up to the cursor.
    const from = after ? { level: after.level, index: (after.index < factors ? factorItem[after.index] : items) - 1 } : undefined;
    this.index.walk(filter, from, (k, level) => {
      for (let g = factorStart[k]; g < factorStart[k + 1]; g++) {
        if ((this.staleBits[g >>> 5] & (1 << (g & 31))) === 0) continue;
        if (after && level === after.level && g <= after.index) continue;
        if (rows.length === limit) { more = true; return false; }
        rows.push({ item: k, factor: g, level });
      }
      return true;
    }, this.itemBits);
    return { total, rows, more };
  }
}

/** The scan the index replaced: every factor of every item under the filter, on each call. */
export function stalePageByScan(source: StaleSource, index: LiveIndex, filter: LiveFilter, after: Cursor | undefined, limit: number): StalePage {
  const { list } = source.defs;
  const now = staleNow(source);
  const rows: StalePage['rows'] = [];
  let total = 0;
  let more = false;
  index.walk(filter, undefined, (k, level) => {
    // Every stale factor under the filter counts; the page holds those after the cursor.
    const shown = after ? level < after.level ? -1 : level === after.level ? after.index : Infinity : -1;
    for (let g = list.factorStart[k]; g < list.factorStart[k + 1]; g++) {
      if (!(source.lastTime[g] + list.staleAfter[g] < now)) continue;
      total++;
      if (g <= shown) continue;
      if (rows.length < limit) rows.push({ item: k, factor: g, level });
      else more = true;
    }
    return true;
  });
  return { total, rows, more };
}
