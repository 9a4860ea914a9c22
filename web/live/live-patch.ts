// What one change from the feed does to what the page shows, without asking the service: the
// counts under the filter move by one, a row on show takes its new level. Whether the list's
// membership or order may have moved (so its first pages are fetched again, debounced) is told
// apart from changes that cannot touch it. Pure functions: state in, state out.

export interface LiveFilter { level: number; district: string; category: string }
/** A change from the feed asked with detail=item: the item's district and category ride along. */
export interface FeedChange { seq: number; item: string; from: number; to: number; area?: string | null; category?: string | null }
export interface LiveCounts { seq: number; total: number; levels: number[]; districts: Record<string, number>; categories: Record<string, number> }
export interface LiveRow { id: string; level: number }

const inLevel = (f: LiveFilter, level: number) => (f.level === 0 || f.level === level ? 1 : 0);
const inDistrict = (f: LiveFilter, c: FeedChange) => f.district === '' || f.district === c.area;
const inCategory = (f: LiveFilter, c: FeedChange) => f.category === '' || f.category === c.category;

/**
 * The counts after one change, each facet under the other filters (as /v1/live/counts gives them);
 * unchanged when the counts already stand for it (its seq is not after theirs) or the feed gave no
 * district and category.
 */
export function patchCounts(counts: LiveCounts, f: LiveFilter, c: FeedChange): LiveCounts {
  if (c.seq <= counts.seq || c.area === undefined || c.category === undefined) return counts;
  const moved = inLevel(f, c.to) - inLevel(f, c.from);
  const levels = counts.levels.slice();
  if (inDistrict(f, c) && inCategory(f, c)) { levels[c.from]--; levels[c.to]++; }
  const districts = { ...counts.districts };
  if (c.area !== null && inCategory(f, c) && c.area in districts) districts[c.area] += moved;
  const categories = { ...counts.categories };
  if (c.category !== null && inDistrict(f, c) && c.category in categories) categories[c.category] += moved;
  const total = counts.total + (inDistrict(f, c) && inCategory(f, c) ? moved : 0);
  return { seq: c.seq, total, levels, districts, categories };
}

/** Rows with the changed item's new level (the same array when it is not on show or already newer). */
export function patchRows<R extends LiveRow>(rows: R[], rowsSeq: number, c: FeedChange): R[] {
  if (c.seq <= rowsSeq) return rows;
  const at = rows.findIndex((r) => r.id === c.item);
  return at === -1 ? rows : rows.map((r, k) => (k === at ? { ...r, level: c.to } : r));
}

/**
 * An answer taken at `seq` with the feed's changes after it applied (`changes` newest first, as the
 * log keeps them). An answer can land after the feed already delivered a change it does not hold (a
 * poll in flight, a new filter's first answer); taken as it is, it would undo that change for good,
 * since the feed does not send a change twice.
 */
export function countsSince(counts: LiveCounts, f: LiveFilter, changes: readonly FeedChange[]): LiveCounts {
  let out = counts;
  for (let k = newerThan(changes, counts.seq) - 1; k >= 0; k--) out = patchCounts(out, f, changes[k]);
  return out;
}

/** Rows answered at `rowsSeq` with the levels of the feed's changes after it (`changes` newest first). */
export function rowsSince<R extends LiveRow>(rows: R[], rowsSeq: number, changes: readonly FeedChange[]): R[] {
  let out = rows;
  for (let k = newerThan(changes, rowsSeq) - 1; k >= 0; k--) out = patchRows(out, rowsSeq, changes[k]);
  return out;
}

/** How many changes at the head of a newest-first list come after `seq` (a long session's log is not walked whole). */
function newerThan(changes: readonly FeedChange[], seq: number): number {
  let n = 0;
  while (n < changes.length && changes[n].seq > seq) n++;
  return n;
}

/** Whether the change may move an item into, out of or within the list under the filter. */
export function touchesList(f: LiveFilter, c: FeedChange): boolean {
  if (c.area === undefined || c.category === undefined) return true;
  return inDistrict(f, c) && inCategory(f, c) && (inLevel(f, c.from) === 1 || inLevel(f, c.to) === 1);
}

/**
 * Calls `run` once after a burst: `quietMs` after the last call, but never later than `maxMs`
 * after the first one, so a steady flow of changes cannot postpone it forever.
 */
export function debounced(run: () => void, quietMs: number, maxMs: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = 0;
  const fire = () => { timer = undefined; first = 0; run(); };
  const call = () => {
    const now = Date.now();
    if (first === 0) first = now;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(quietMs, first + maxMs - now)));
  };
  call.cancel = () => { clearTimeout(timer); timer = undefined; first = 0; };
  return call;
}
