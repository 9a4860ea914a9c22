// Search of the live list by item id or name (`q=` on /v1/live/items): the items whose id, name or
// name_zh contains the text, ignoring case and the width of characters (NFKC: a full-width "ＷＬ－０１"
// typed through a Chinese input method finds "WL-01"). The searchable text of every item is laid
// end to end once, at the first search, in slices of a few thousand items, so a search is an
// indexOf pass per slice (10–35 ms of CPU in all at 520 000 items) instead of 520 000 string calls.
// Building (0.7 s of CPU at 520 000 items) and searching yield to the event loop between slices:
// the service's writer never waits behind a search. The names never change while the service
// runs, so the last few answers are kept as bitmaps for the next pages of the same search.

/** Longest search text accepted, in characters. */
export const SEARCH_MAX = 64;

/** Items' fields are separated by this (no control character is ever searched for). */
const SEPARATOR = '\u0000';
const KEPT = 8;
const SLICE = 16_384;

/** ASCII is its own NFKC form: only other text pays for normalising. */
export const normalised = (text: string) => (/[^\x00-\x7f]/.test(text) ? text.normalize('NFKC') : text).toLowerCase();

/** Why a search text is refused, or undefined when it is fine. */
export function searchProblem(q: string): string | undefined {
  if ([...q].length > SEARCH_MAX) return `q must be at most ${SEARCH_MAX} characters (got ${[...q].length})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(q)) return 'q must not hold control characters';
  return undefined;
}

/** The text of items first … first + starts.length − 2, and where each one's starts in it. */
interface Slice { first: number; text: string; starts: Int32Array }

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ItemSearch {
  private slices: Promise<Slice[]> | undefined;
  private readonly kept = new Map<string, Uint32Array>();

  constructor(
    private readonly ids: readonly string[], private readonly names: (id: string) => { name: string | null; name_zh: string | null },
    private readonly slice = SLICE,
  ) {}

  private async build(): Promise<Slice[]> {
    const slices: Slice[] = [];
    for (let first = 0; first < this.ids.length; first += this.slice) {
      const end = Math.min(this.ids.length, first + this.slice);
      const starts = new Int32Array(end - first + 1);
      const parts: string[] = [];
      let at = 0;
      for (let k = first; k < end; k++) {
        const n = this.names(this.ids[k]);
        const part = `${normalised(this.ids[k])}${SEPARATOR}${normalised(n.name ?? '')}${SEPARATOR}${normalised(n.name_zh ?? '')}${SEPARATOR}`;
        starts[k - first] = at;
        at += part.length;
        parts.push(part);
      }
      starts[end - first] = at;
      slices.push({ first, text: parts.join(''), starts });
      await yieldToEvents();
    }
    return slices;
  }

  /** A bitmap over the items (kernel order) of those matching `q` (already checked by searchProblem, not empty). */
  async match(q: string): Promise<Uint32Array> {
    const needle = normalised(q);
    const known = this.kept.get(needle);
    if (known) {
      this.kept.delete(needle);
      this.kept.set(needle, known);
      return known;
    }
    const slices = await (this.slices ??= this.build());
    const bits = new Uint32Array((this.ids.length + 31) >>> 5);
    for (const { first, text, starts } of slices) {
      const count = starts.length - 1;
      let item = 0;
      for (let at = text.indexOf(needle); at !== -1; at = item + 1 < count ? text.indexOf(needle, starts[item + 1]) : -1) {
        // The item holding this position: the last start at or before it (starts only grow).
        let lo = item, hi = count - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid] <= at) lo = mid; else hi = mid - 1;
        }
        item = lo;
        bits[(first + item) >>> 5] |= 1 << ((first + item) & 31);
      }
      await yieldToEvents();
    }
    this.kept.set(needle, bits);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return bits;
  }
}
