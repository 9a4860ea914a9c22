// Readings keyed by (factor index, time), the service's identity of a reading. Keyed on numbers,
// not on an "item/factor/time" string: at 10 000 readings/s printing a float per reading costs
// more than the rest of the bookkeeping. A factor rarely has two readings waiting at once, so it
// holds its one reading directly and a map of times only when a second one comes.
import type { Reading } from './ingest.ts';

export class KeyedReadings {
  private readonly byFactor = new Map<number, Reading | Map<number, Reading>>();
  size = 0;

  get(f: number, t: number): Reading | undefined {
    const held = this.byFactor.get(f);
    if (held === undefined) return undefined;
    if (held instanceof Map) return held.get(t);
    return held.t === t ? held : undefined;
  }

  /** Adds a reading whose key is not held yet (callers check with `get` first). */
  add(r: Reading): void {
    const held = this.byFactor.get(r.f);
    if (held === undefined) this.byFactor.set(r.f, r);
    else if (held instanceof Map) held.set(r.t, r);
    else this.byFactor.set(r.f, new Map([[held.t, held], [r.t, r]]));
    this.size++;
  }

  clear(): void {
    this.byFactor.clear();
    this.size = 0;
  }

  /** Removes and returns every reading at or before `until`. */
  takeDue(until: number): Reading[] {
    const due: Reading[] = [];
    for (const [f, held] of this.byFactor) {
      if (!(held instanceof Map)) {
        if (held.t <= until) { due.push(held); this.byFactor.delete(f); }
        continue;
      }
      for (const [t, r] of held) if (t <= until) { due.push(r); held.delete(t); }
      if (held.size === 0) this.byFactor.delete(f);
    }
    this.size -= due.length;
    return due;
  }
}
