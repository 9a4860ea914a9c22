// Index permutations sorted by keys, with module-level comparators instead of a comparator closure
// made at every call. V8 keeps a function's optimised code only while some closure of it lives: a
// comparator written inline dies with its call, so an ensemble compiled it again at every member
// (benchmarks/ensemble/compiles-per-member.ts). The comparators read the keys from module slots set
// for the length of one sort (sorts are synchronous and the comparators call nothing, so no sort
// can see another's keys). Ties fall to the index, so the order is total and does not depend on
// the sort algorithm: the same permutation as the inline `(a, b) => k[a] - k[b] || a - b`.

const NONE: readonly never[] = [];
let first: ArrayLike<number> = NONE;
let second: ArrayLike<number> = NONE;
let names: readonly string[] = NONE;

function byFirstThenIndex(a: number, b: number): number {
  return first[a] - first[b] || a - b;
}

function byFirstSecondThenIndex(a: number, b: number): number {
  return first[a] - first[b] || second[a] - second[b] || a - b;
}

function byNameThenIndex(a: number, b: number): number {
  const x = names[a]; const y = names[b];
  return x < y ? -1 : x > y ? 1 : a - b;
}

/** 0 … n−1. */
function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  return order;
}

/** Indices 0 … n−1 by `primary` ascending, then by `secondary` if given, then by index. Keys must not be NaN. */
export function orderByKeys(n: number, primary: ArrayLike<number>, secondary?: ArrayLike<number>): Int32Array {
  const order = identityOrder(n);
  first = primary;
  second = secondary ?? NONE;
  try {
    order.sort(secondary ? byFirstSecondThenIndex : byFirstThenIndex);
  } finally {
    first = NONE; second = NONE;
  }
  return order;
}

/** Indices of `keys` by string order (UTF-16 code units, as `<`), ties by index: a stable sort by name. */
export function orderByNames(keys: readonly string[]): Int32Array {
  const order = identityOrder(keys.length);
  names = keys;
  try {
    order.sort(byNameThenIndex);
  } finally {
    names = NONE;
  }
  return order;
}
