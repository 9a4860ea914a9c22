// Search of the live list by item id or name (`q=` on /v1/live/items): the items whose id, name or
// name_zh contains the text, ignoring case and the width of characters (NFKC: a full-width "ＷＬ－０１"
// typed through a Chinese input method finds "WL-01"). The searchable text of every item is laid
// end to end once, at the first search, so a search is one indexOf pass over it (ms at 520 000
// items) instead of 520 000 string calls; the names never change while the service runs, so the
// last few answers are kept as bitmaps for the next pages of the same search.

/** Longest search text accepted, in characters. */
export const SEARCH_MAX = 64;

/** Items' fields are separated by this (no control character is ever searched for). */
const SEPARATOR = '\u0000';
const KEPT = 8;

export const normalised = (text: string) => text.normalize('NFKC').toLowerCase();

/** Why a search text is refused, or undefined when it is fine. */
export function searchProblem(q: string): string | undefined {
  if ([...q].length > SEARCH_MAX) return `q must be at most ${SEARCH_MAX} characters (got ${[...q].length})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(q)) return 'q must not hold control characters';
  return undefined;
}

export class ItemSearch {
  private text: string | undefined;
  /** Where each item's text starts in `text` (one more entry: the end). */
  private starts: Int32Array | undefined;
  private readonly kept = new Map<string, Uint32Array>();

  constructor(private readonly ids: readonly string[], private readonly names: (id: string) => { name: string | null; name_zh: string | null }) {}

  private build(): { text: string; starts: Int32Array } {
    const parts: string[] = [];
    const starts = new Int32Array(this.ids.length + 1);
    let at = 0;
    this.ids.forEach((id, k) => {
      const n = this.names(id);
      const part = normalised(`${id}${SEPARATOR}${n.name ?? ''}${SEPARATOR}${n.name_zh ?? ''}${SEPARATOR}`);
      starts[k] = at;
      at += part.length;
      parts.push(part);
    });
    starts[this.ids.length] = at;
    this.text = parts.join('');
    this.starts = starts;
    return { text: this.text, starts };
  }

  /** A bitmap over the items (kernel order) of those matching `q` (already checked by searchProblem, not empty). */
  match(q: string): Uint32Array {
    const needle = normalised(q);
    const known = this.kept.get(needle);
    if (known) {
      this.kept.delete(needle);
      this.kept.set(needle, known);
      return known;
    }
    const { text, starts } = this.text !== undefined ? { text: this.text, starts: this.starts! } : this.build();
    const bits = new Uint32Array((this.ids.length + 31) >>> 5);
    let item = 0;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, starts[item + 1])) {
      // The item holding this position: the last start at or before it (starts only grow).
      let lo = item, hi = this.ids.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid] <= at) lo = mid; else hi = mid - 1;
      }
      item = lo;
      bits[item >>> 5] |= 1 << (item & 31);
      if (item + 1 >= this.ids.length) break;
    }
    this.kept.set(needle, bits);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return bits;
  }
}
