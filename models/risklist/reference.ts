// Plain-TypeScript reference of assembly/risklist/grade.ts: the same instants, the same order of
// application and evaluation, the same timer rings, so the change logs agree exactly (the only
// arithmetic is t + duration and value · direction, done in the same order on both sides).
import {
  ChangeLog, QUEUE_HOLD, RULE_EVENT, RULE_HOLD, RULE_PIN, RULE_SENSOR, RULE_WARNING,
  type GradingState, type InputBatch, type PackedList,
} from './packed.ts';

interface Ring { due: Float64Array; target: Int32Array; kind: number; head: number; size: number }

export class ReferenceGrading implements GradingState {
  private readonly level: Int32Array;
  private readonly holdDue: Float64Array;
  private readonly warnCount: Int32Array;
  private readonly warnFirst: Int32Array;
  private readonly eventLevel: Int32Array;
  private readonly eventCause: Int32Array;
  private readonly pinLevel: Int32Array;
  private readonly pinCause: Int32Array;
  private readonly dirtyFlag: Uint8Array;
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;
  private readonly value: Float64Array;
  private readonly lastTime: Float64Array;
  private readonly sensorLevel: Int32Array;
  private readonly since: Float64Array;
  private readonly rings: Ring[];
  private evaluations = 0;
  private instants = 0;
  private compactions = 0;

  constructor(private readonly list: PackedList) {
    const n = list.items;
    const f = list.factors;
    this.level = Int32Array.from(list.base);
    this.holdDue = new Float64Array(n).fill(Infinity);
    this.warnCount = new Int32Array(4 * n);
    this.warnFirst = new Int32Array(4 * n);
    this.eventLevel = new Int32Array(n);
    this.eventCause = new Int32Array(n);
    this.pinLevel = new Int32Array(n);
    this.pinCause = new Int32Array(n).fill(-1);
    this.dirtyFlag = new Uint8Array(n);
    this.dirtyList = new Int32Array(n);
    this.value = new Float64Array(f);
    this.lastTime = new Float64Array(f);
    this.sensorLevel = new Int32Array(f).fill(1);
    this.since = new Float64Array(4 * f).fill(Infinity);
    this.rings = list.queues.map((q) => ({
      due: new Float64Array(q.capacity), target: new Int32Array(q.capacity), kind: q.kind, head: 0, size: 0,
    }));
  }

  levels(): Int32Array { return this.level.slice(); }
  lastReadingTimes(): Float64Array { return this.lastTime.slice(); }
  statistics() { return { evaluations: this.evaluations, instants: this.instants, compactions: this.compactions }; }
  release(): void { /* garbage-collected */ }

  private markDirty(item: number): void {
    if (this.dirtyFlag[item] !== 0) return;
    this.dirtyFlag[item] = 1;
    this.dirtyList[this.dirtyCount++] = item;
  }

  private onDelayWaiting(factor: number, due: number): boolean {
    const delay = this.list.onDelay[factor];
    for (let level = 2; level <= 4; level++) {
      if (this.since[factor * 4 + level - 1] + delay === due) return true;
    }
    return false;
  }

  private timerAlive(kind: number, target: number, due: number): boolean {
    if (kind === QUEUE_HOLD) return this.holdDue[target] === due;
    return this.onDelayWaiting(target, due);
  }

  private compact(ring: Ring): void {
    const capacity = ring.due.length;
    let write = ring.head;
    let kept = 0;
    for (let k = 0; k < ring.size; k++) {
      let read = ring.head + k;
      if (read >= capacity) read -= capacity;
      const due = ring.due[read];
      const target = ring.target[read];
      if (!this.timerAlive(ring.kind, target, due)) continue;
      ring.due[write] = due;
      ring.target[write] = target;
      write++;
      if (write >= capacity) write = 0;
      kept++;
    }
    ring.size = kept;
    this.compactions++;
  }

  private pushTimer(queue: number, due: number, target: number): void {
    const ring = this.rings[queue];
    const capacity = ring.due.length;
    if (ring.size >= capacity) this.compact(ring);
    let at = ring.head + ring.size;
    if (at >= capacity) at -= capacity;
    ring.due[at] = due;
    ring.target[at] = target;
    ring.size++;
  }

  private liveHead(ring: Ring): number {
    const capacity = ring.due.length;
    while (ring.size > 0) {
      const due = ring.due[ring.head];
      if (this.timerAlive(ring.kind, ring.target[ring.head], due)) return due;
      ring.head++;
      if (ring.head >= capacity) ring.head = 0;
      ring.size--;
    }
    return Infinity;
  }

  private fireTimers(ring: Ring, now: number): void {
    const capacity = ring.due.length;
    while (ring.size > 0) {
      const due = ring.due[ring.head];
      if (due > now) break;
      const target = ring.target[ring.head];
      if (this.timerAlive(ring.kind, target, due)) this.markDirty(ring.kind === QUEUE_HOLD ? target : this.list.factorItem[target]);
      ring.head++;
      if (ring.head >= capacity) ring.head = 0;
      ring.size--;
    }
  }

  private sensorLevelOf(factor: number, value: number, previous: number): number {
    const deadband = this.list.deadband[factor];
    for (let level = 4; level >= 2; level--) {
      const threshold = this.list.thresholds[factor * 4 + level - 1];
      if (value >= threshold) return level;
      if (level <= previous && value >= threshold - deadband) return level;
    }
    return 1;
  }

  private applyReading(factor: number, t: number, value: number): void {
    const list = this.list;
    const item = list.factorItem[factor];
    const signed = value * list.direction[factor];
    this.value[factor] = signed;
    if (t - this.lastTime[factor] > list.staleAfter[factor]) this.holdDue[item] = Infinity;
    this.lastTime[factor] = t;
    const previous = this.sensorLevel[factor];
    const level = this.sensorLevelOf(factor, signed, previous);
    this.sensorLevel[factor] = level;
    if (level !== previous) {
      const queue = list.onDelayQueue[factor];
      const delay = list.onDelay[factor];
      for (let l = 2; l <= 4; l++) {
        const at = factor * 4 + l - 1;
        const wasSet = this.since[at] !== Infinity;
        if (l <= level) {
          if (!wasSet) {
            this.since[at] = t;
            if (queue >= 0) this.pushTimer(queue, t + delay, factor);
          }
        } else if (wasSet) {
          this.since[at] = Infinity;
        }
      }
    }
    this.markDirty(item);
  }

  private applyWarning(item: number, delta: number, warning: number): void {
    const level = delta > 0 ? delta : -delta;
    const at = item * 4 + level - 1;
    const count = this.warnCount[at];
    if (delta > 0) {
      if (count === 0) this.warnFirst[at] = warning;
      this.warnCount[at] = count + 1;
    } else {
      this.warnCount[at] = count - 1;
    }
    this.markDirty(item);
  }

  private applyEvent(item: number, level: number, event: number): void {
    if (level === 0) {
      this.eventLevel[item] = 0;
    } else if (level > this.eventLevel[item]) {
      this.eventLevel[item] = level;
      this.eventCause[item] = event;
    }
    this.markDirty(item);
  }

  private applyPin(item: number, level: number, pin: number): void {
    if (level === 0) {
      if (this.pinCause[item] !== pin) return;
      this.pinLevel[item] = 0;
    } else {
      this.pinLevel[item] = level;
      this.pinCause[item] = pin;
    }
    this.markDirty(item);
  }

  private delayedLevel(factor: number, now: number): number {
    const delay = this.list.onDelay[factor];
    for (let level = 4; level >= 2; level--) {
      if (this.since[factor * 4 + level - 1] + delay <= now) return level;
    }
    return 1;
  }

  private anyStale(first: number, end: number, now: number): boolean {
    for (let f = first; f < end; f++) {
      if (this.lastTime[f] + this.list.staleAfter[f] < now) return true;
    }
    return false;
  }

  private startHold(item: number, level: number, now: number): void {
    const at = this.list.holdProfile[item] * 4 + level - 1;
    const due = now + this.list.holdSeconds[at];
    this.holdDue[item] = due;
    this.pushTimer(this.list.holdQueue[at], due, item);
  }

  private evaluate(item: number, now: number, log: ChangeLog): void {
    const list = this.list;
    const level = this.level[item];
    let raw = list.base[item];
    let target = raw;
    let rule = 0;
    let cause = -1;
    const first = list.factorStart[item];
    const end = list.factorStart[item + 1];
    for (let f = first; f < end; f++) {
      const sensed = this.sensorLevel[f];
      if (sensed > raw) raw = sensed;
      if (sensed > target) {
        const delayed = this.delayedLevel(f, now);
        if (delayed > target) { target = delayed; rule = RULE_SENSOR; cause = f; }
      }
    }
    for (let l = 4; l >= 1; l--) {
      if (this.warnCount[item * 4 + l - 1] > 0) {
        if (l > raw) raw = l;
        if (l > target) { target = l; rule = RULE_WARNING; cause = this.warnFirst[item * 4 + l - 1]; }
        break;
      }
    }
    const eventLevel = this.eventLevel[item];
    if (eventLevel > raw) raw = eventLevel;
    if (eventLevel > target) { target = eventLevel; rule = RULE_EVENT; cause = this.eventCause[item]; }
    const pinLevel = this.pinLevel[item];
    if (pinLevel > raw) raw = pinLevel;
    if (pinLevel > target) { target = pinLevel; rule = RULE_PIN; cause = this.pinCause[item]; }

    if (target > level) {
      let value = NaN;
      let threshold = NaN;
      if (rule === RULE_SENSOR) {
        const direction = list.direction[cause];
        value = this.value[cause] * direction;
        threshold = list.thresholds[cause * 4 + target - 1] * direction;
      }
      log.push(now, item, level, target, rule, cause, value, threshold);
      this.level[item] = target;
      this.holdDue[item] = Infinity;
      return;
    }
    if (raw >= level || this.anyStale(first, end, now)) {
      this.holdDue[item] = Infinity;
      return;
    }
    const due = this.holdDue[item];
    if (due === Infinity) {
      this.startHold(item, level, now);
      return;
    }
    if (due <= now) {
      const holdSeconds = list.holdSeconds[list.holdProfile[item] * 4 + level - 1];
      log.push(now, item, level, level - 1, RULE_HOLD, -1, holdSeconds, NaN);
      this.level[item] = level - 1;
      if (raw < level - 1) this.startHold(item, level - 1, now);
      else this.holdDue[item] = Infinity;
    }
  }

  advance(b: InputBatch, until: number, log: ChangeLog): void {
    let r = 0, w = 0, e = 0, p = 0;
    const nr = b.readingTime.length, nw = b.warnTime.length, ne = b.eventTime.length, np = b.pinTime.length;
    for (;;) {
      let now = Infinity;
      if (r < nr) now = b.readingTime[r];
      if (w < nw && b.warnTime[w] < now) now = b.warnTime[w];
      if (e < ne && b.eventTime[e] < now) now = b.eventTime[e];
      if (p < np && b.pinTime[p] < now) now = b.pinTime[p];
      for (const ring of this.rings) {
        const head = this.liveHead(ring);
        if (head < now) now = head;
      }
      if (!(now <= until)) break;
      this.instants++;
      while (r < nr && b.readingTime[r] === now) { this.applyReading(b.readingFactor[r], now, b.readingValue[r]); r++; }
      while (w < nw && b.warnTime[w] === now) { this.applyWarning(b.warnItem[w], b.warnDelta[w], b.warnIndex[w]); w++; }
      while (e < ne && b.eventTime[e] === now) { this.applyEvent(b.eventItem[e], b.eventLevel[e], b.eventIndex[e]); e++; }
      while (p < np && b.pinTime[p] === now) { this.applyPin(b.pinItem[p], b.pinLevel[p], b.pinIndex[p]); p++; }
      for (const ring of this.rings) this.fireTimers(ring, now);
      const count = this.dirtyCount;
      for (let k = 0; k < count; k++) {
        const item = this.dirtyList[k];
        this.dirtyFlag[item] = 0;
        this.evaluate(item, now, log);
      }
      this.evaluations += count;
      this.dirtyCount = 0;
    }
  }
}

/** The twin as a session's grading state: `new RisklistSession(config, referenceGrading)` (tests). */
export const referenceGrading = (list: PackedList): GradingState => new ReferenceGrading(list);
