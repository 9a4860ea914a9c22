// What a run derives from the region alone (slope, basin × district tallies, urban shares, district
// totals) is the same for every run on that region: an ensemble worker runs tens of members on one
// region object, the app reruns a scenario on one. Kept per region object (a WeakMap: it goes with
// the region), computed on first use. Each pass over the whole grid that is not repeated is also a
// loop TurboFan no longer has to compile again at every member.
// Callers treat what comes back as read-only: it is shared by every later run on the region.

const memos = new WeakMap<object, Map<string, unknown>>();

/** `compute()` once per (`owner`, `name`); later calls on the same owner object get the same value. */
export function perRegion<T>(owner: object, name: string, compute: () => T): T {
  let memo = memos.get(owner);
  if (!memo) memos.set(owner, (memo = new Map()));
  if (memo.has(name)) return memo.get(name) as T;
  const value = compute();
  memo.set(name, value);
  return value;
}
