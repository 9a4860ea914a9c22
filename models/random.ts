// A small seeded generator (mulberry32): the same seed gives the same stream in Node and in the
// browser, which Math.random cannot promise.
export function seededRandom(seed: number): () => number {
  const generator = new SeededRandom(seed);
  return () => generator.next();
}

/**
 * The same stream as seededRandom, as a method: code run at every ensemble member draws through
 * this, since a closure made per call dies with its call and V8 compiled it again at every member.
 */
export class SeededRandom {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    return mulberry32(this.state);
  }
}

/**
 * The first `out.length` draws of seededRandom(seed), into `out`. A loop with no call through a
 * closure: a hot loop that calls a closure made afresh at every ensemble member is compiled again
 * at every member, as V8's optimised code holds on to the closure it saw.
 */
export function fillSeededRandom(seed: number, out: Float64Array): void {
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    out[i] = mulberry32(state);
  }
}

function mulberry32(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
