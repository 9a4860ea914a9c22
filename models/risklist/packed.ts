// The risk list as the kernels see it: flat arrays of items, factors and thresholds, indices
// instead of ids; and the batches of inputs and the change log they exchange. Both the wasm
// kernel (assembly/risklist/grade.ts) and the plain-TS reference (./reference.ts) run on these.

import { QUEUE_HOLD, QUEUE_ON_DELAY, RULE_EVENT, RULE_HOLD, RULE_PIN, RULE_SENSOR, RULE_WARNING } from '../../assembly/risklist/layout.ts';

// The kernel's codes, re-exported for the host code and the reference that share these arrays.
export { QUEUE_HOLD, QUEUE_ON_DELAY, RULE_EVENT, RULE_HOLD, RULE_PIN, RULE_SENSOR, RULE_WARNING };

export const RULE_NAMES = ['', 'sensor', 'warning', 'event', 'pin', 'hold'] as const;

export interface TimerQueueSpec {
  kind: typeof QUEUE_HOLD | typeof QUEUE_ON_DELAY;
  durationS: number;
  /** Ring size; at least twice the live timers it can hold, so compaction is amortised O(1). */
  capacity: number;
}

export interface PackedList {
  items: number;
  factors: number;
  /** Factors of item i are [factorStart[i], factorStart[i + 1]). */
  factorStart: Int32Array;
  base: Int32Array;
  holdProfile: Int32Array;
  /** hold_s to leave level L under profile p at [p·4 + L − 1] (level 1 unused). */
  holdSeconds: Float64Array;
  /** Timer ring of that hold at [p·4 + L − 1]. */
  holdQueue: Int32Array;
  factorItem: Int32Array;
  /** Threshold of level L at [f·4 + L − 1] multiplied by the direction; NaN = the level has none. */
  thresholds: Float64Array;
  deadband: Float64Array;
  onDelay: Float64Array;
  /** Timer ring of the factor's on-delay, −1 when on_delay_s = 0. */
  onDelayQueue: Int32Array;
  staleAfter: Float64Array;
  /** +1 `above`, −1 `below`. */
  direction: Float64Array;
  queues: TimerQueueSpec[];
}

/** One sorted batch of inputs; every list sorted by time, equal times applied in list order. */
export interface InputBatch {
  readingFactor: Int32Array;
  readingTime: Float64Array;
  readingValue: Float64Array;
  /** Warning actions: +level at the start, −level at the lift, per item it applies to. */
  warnItem: Int32Array;
  warnTime: Float64Array;
  warnDelta: Int32Array;
  warnIndex: Int32Array;
  /** Events: level, or 0 for `verified`. */
  eventItem: Int32Array;
  eventTime: Float64Array;
  eventLevel: Int32Array;
  eventIndex: Int32Array;
  /** Pin actions: level at the start, 0 at the expiry. */
  pinItem: Int32Array;
  pinTime: Float64Array;
  pinLevel: Int32Array;
  pinIndex: Int32Array;
}

export function emptyBatch(): InputBatch {
  const i = () => new Int32Array(0);
  const f = () => new Float64Array(0);
  return {
    readingFactor: i(), readingTime: f(), readingValue: f(),
    warnItem: i(), warnTime: f(), warnDelta: i(), warnIndex: i(),
    eventItem: i(), eventTime: f(), eventLevel: i(), eventIndex: i(),
    pinItem: i(), pinTime: f(), pinLevel: i(), pinIndex: i(),
  };
}

export function readingsBatch(factor: Int32Array, time: Float64Array, value: Float64Array): InputBatch {
  return { ...emptyBatch(), readingFactor: factor, readingTime: time, readingValue: value };
}

/** One level change: `cause` is the factor, warning, event or pin index (−1 for a hold step). */
export interface Change {
  t: number;
  item: number;
  from: number;
  to: number;
  rule: number;
  cause: number;
  /** Sensor: the factor's latest reading. Hold: the hold time served. Else NaN. */
  value: number;
  /** Sensor: the threshold of the level reached. Else NaN. */
  threshold: number;
}

/** A growable column log of changes, so a long run does not make one object per change. */
export class ChangeLog {
  length = 0;
  t = new Float64Array(64);
  value = new Float64Array(64);
  threshold = new Float64Array(64);
  item = new Int32Array(64);
  from = new Int32Array(64);
  to = new Int32Array(64);
  rule = new Int32Array(64);
  cause = new Int32Array(64);

  /** Makes room for `extra` more changes at once (a drain of the wasm log). */
  reserve(extra: number): void {
    while (this.length + extra > this.t.length) this.grow();
  }

  private grow(): void {
    const size = this.t.length * 2;
    const f = (a: Float64Array) => { const b = new Float64Array(size); b.set(a); return b; };
    const i = (a: Int32Array) => { const b = new Int32Array(size); b.set(a); return b; };
    this.t = f(this.t); this.value = f(this.value); this.threshold = f(this.threshold);
    this.item = i(this.item); this.from = i(this.from); this.to = i(this.to); this.rule = i(this.rule); this.cause = i(this.cause);
  }

  push(t: number, item: number, from: number, to: number, rule: number, cause: number, value: number, threshold: number): void {
    if (this.length === this.t.length) this.grow();
    const k = this.length++;
    this.t[k] = t; this.item[k] = item; this.from[k] = from; this.to[k] = to;
    this.rule[k] = rule; this.cause[k] = cause; this.value[k] = value; this.threshold[k] = threshold;
  }

  get(k: number): Change {
    return {
      t: this.t[k], item: this.item[k], from: this.from[k], to: this.to[k],
      rule: this.rule[k], cause: this.cause[k], value: this.value[k], threshold: this.threshold[k],
    };
  }

  toArray(): Change[] {
    return Array.from({ length: this.length }, (_, k) => this.get(k));
  }

  /** Order-sensitive digest of every field (NaN hashed as one value): for agreement checks. */
  checksum(): number {
    let h = 0x811c9dc5;
    const mix = (x: number) => { h = Math.imul(h ^ (x | 0), 0x01000193) >>> 0; };
    const scratch = new Float64Array(1);
    const words = new Int32Array(scratch.buffer);
    const mixF = (x: number) => { scratch[0] = Number.isNaN(x) ? NaN : x; mix(words[0]); mix(words[1]); };
    for (let k = 0; k < this.length; k++) {
      mixF(this.t[k]); mixF(this.value[k]); mixF(this.threshold[k]);
      mix(this.item[k]); mix(this.from[k]); mix(this.to[k]); mix(this.rule[k]); mix(this.cause[k]);
    }
    return h;
  }
}

/** What a grading backend (wasm or plain TS) offers: advance the clock, read the state. */
export interface GradingState {
  /** Applies every input of `batch` and every timer up to and including `until`; appends to `log`. */
  advance(batch: InputBatch, until: number, log: ChangeLog): void;
  levels(): Int32Array;
  /** Time of each factor's latest reading (0 before any). */
  lastReadingTimes(): Float64Array;
  /** Work done so far: item evaluations, instants processed, ring compactions. */
  statistics(): { evaluations: number; instants: number; compactions: number };
  /** The state between two calls as bytes, and its restoration into a fresh grading of the same list (the wasm grading has them). */
  saveState?(tail?: ArrayBufferView[], into?: Uint8Array): Uint8Array;
  loadState?(bytes: Uint8Array): void;
  release(): void;
}

/** Stale factors at `now`: stale from last reading + stale_after_s (0 counts as a reading). */
export function staleFactors(list: PackedList, lastTimes: Float64Array, now: number): { factor: number; since: number }[] {
  const out: { factor: number; since: number }[] = [];
  for (let f = 0; f < list.factors; f++) {
    const since = lastTimes[f] + list.staleAfter[f];
    if (since < now) out.push({ factor: f, since });
  }
  return out;
}
