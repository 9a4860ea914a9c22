// Over ~400 lines on purpose: one event loop over one shared context (the rules, queues and log
// all read and write it between instants); split, each part would need the whole context anyway.
//
// Dynamic up/down grading of risk-list items (shared/design/RISKLIST.md), event-driven.
//
// The kernel advances a whole list from instant to instant. An instant is the earliest of: the
// next reading, warning action (start/lift), event, pin action (start/expiry), or timer (a hold
// or an on-delay running out). At each instant the inputs are applied in the order readings →
// warnings → events → pins, due timers mark their items, and then every touched item is
// evaluated once. Nothing is allocated: all state lives in regions the host allocates, and their
// addresses sit in one context block of i32 slots (CTX_* below).
//
// Timers are FIFO rings, one per distinct duration: a timer is always started "now" with a fixed
// duration, so within one ring due times never decrease and the head is the earliest. A timer
// that is cancelled is not removed; it is recognised as dead when it comes up (its item's
// `holdDue` no longer matches, or no level of its factor is still waiting for it) and when a full
// ring is compacted.
//
// Sensor levels: "below" factors are stored negated (value and thresholds), so every comparison
// is the "above" one: a level is reached at v ≥ thr and kept until v < thr − deadband.
// Staleness is evaluated lazily: a factor is stale at t when last + stale_after < t; a reading
// that arrives after such a gap restarts its item's hold.
import { f64At, i32Arg, i32At, pointerArg, setF64, setI32 } from "../memory";
import {
  BATCH_EVENT_COUNT, BATCH_EVENT_INDEX, BATCH_EVENT_ITEM, BATCH_EVENT_LEVEL, BATCH_EVENT_TIME, BATCH_PIN_COUNT, BATCH_PIN_INDEX, BATCH_PIN_ITEM, BATCH_PIN_LEVEL, BATCH_PIN_TIME, BATCH_READING_COUNT, BATCH_READING_FACTOR, BATCH_READING_TIME, BATCH_READING_VALUE, BATCH_WARN_COUNT, BATCH_WARN_DELTA, BATCH_WARN_INDEX, BATCH_WARN_ITEM, BATCH_WARN_TIME,
} from "./layout";
import {
  ADVANCE_DONE, ADVANCE_LOG_FULL, CTX_BASE, CTX_COMPACTIONS, CTX_DEADBAND, CTX_DIRECTION, CTX_DIRTY_COUNT,
  CTX_DIRTY_FLAG, CTX_DIRTY_LIST, CTX_EVALUATIONS, CTX_EVENT_CAUSE, CTX_EVENT_LEVEL, CTX_EVENT_POS, CTX_FACTOR_ITEM,
  CTX_FACTOR_START, CTX_HOLD_DUE, CTX_HOLD_PROFILE, CTX_HOLD_QUEUE, CTX_HOLD_SECONDS, CTX_INSTANTS, CTX_ITEMS,
  CTX_LAST_TIME, CTX_LEVEL, CTX_LOG, CTX_LOG_CAPACITY, CTX_LOG_COUNT, CTX_ON_DELAY, CTX_ON_DELAY_QUEUE, CTX_PIN_CAUSE,
  CTX_PIN_LEVEL, CTX_PIN_POS, CTX_QUEUES, CTX_QUEUE_TABLE, CTX_READ_POS, CTX_SENSOR_LEVEL, CTX_SINCE, CTX_STALE_AFTER,
  CTX_THRESHOLDS, CTX_VALUE, CTX_WARN_COUNT, CTX_WARN_FIRST, CTX_WARN_POS, LOG_CAUSE, LOG_FROM, LOG_ITEM, LOG_PAD,
  LOG_RULE, LOG_STRIDE, LOG_T, LOG_THRESHOLD, LOG_TO, LOG_VALUE, QUEUE_CAPACITY, QUEUE_DUE_PTR, QUEUE_HEAD,
  QUEUE_HOLD, QUEUE_KIND, QUEUE_SIZE, QUEUE_STRIDE, QUEUE_TARGET_PTR, RULE_EVENT, RULE_HOLD, RULE_PIN, RULE_SENSOR,
  RULE_WARNING,
} from "./layout";

let ctx: usize = 0;

@inline function slot(index: i32): i32 {
  return i32At(ctx, index);
}

@inline function setSlot(index: i32, value: i32): void {
  setI32(ctx, index, value);
}

@inline function ptr(index: i32): usize {
  return <usize>i32At(ctx, index);
}

// Region addresses, read from the context once per riskAdvance call: the hot paths then use
// globals instead of reloading a pointer from the context block at every access.
let atBase: usize = 0;
let atDeadband: usize = 0;
let atDirection: usize = 0;
let atDirtyFlag: usize = 0;
let atDirtyList: usize = 0;
let atEventCause: usize = 0;
let atEventLevel: usize = 0;
let atFactorItem: usize = 0;
let atFactorStart: usize = 0;
let atHoldDue: usize = 0;
let atHoldProfile: usize = 0;
let atHoldQueue: usize = 0;
let atHoldSeconds: usize = 0;
let atLastTime: usize = 0;
let atLevel: usize = 0;
let atLog: usize = 0;
let atOnDelay: usize = 0;
let atOnDelayQueue: usize = 0;
let atPinCause: usize = 0;
let atPinLevel: usize = 0;
let atQueueTable: usize = 0;
let atSensorLevel: usize = 0;
let atSince: usize = 0;
let atStaleAfter: usize = 0;
let atThresholds: usize = 0;
let atValue: usize = 0;
let atWarnCount: usize = 0;
let atWarnFirst: usize = 0;
let dirtyCount: i32 = 0;
let logCount: i32 = 0;

function loadContext(): void {
  atBase = ptr(CTX_BASE);
  atDeadband = ptr(CTX_DEADBAND);
  atDirection = ptr(CTX_DIRECTION);
  atDirtyFlag = ptr(CTX_DIRTY_FLAG);
  atDirtyList = ptr(CTX_DIRTY_LIST);
  atEventCause = ptr(CTX_EVENT_CAUSE);
  atEventLevel = ptr(CTX_EVENT_LEVEL);
  atFactorItem = ptr(CTX_FACTOR_ITEM);
  atFactorStart = ptr(CTX_FACTOR_START);
  atHoldDue = ptr(CTX_HOLD_DUE);
  atHoldProfile = ptr(CTX_HOLD_PROFILE);
  atHoldQueue = ptr(CTX_HOLD_QUEUE);
  atHoldSeconds = ptr(CTX_HOLD_SECONDS);
  atLastTime = ptr(CTX_LAST_TIME);
  atLevel = ptr(CTX_LEVEL);
  atLog = ptr(CTX_LOG);
  atOnDelay = ptr(CTX_ON_DELAY);
  atOnDelayQueue = ptr(CTX_ON_DELAY_QUEUE);
  atPinCause = ptr(CTX_PIN_CAUSE);
  atPinLevel = ptr(CTX_PIN_LEVEL);
  atQueueTable = ptr(CTX_QUEUE_TABLE);
  atSensorLevel = ptr(CTX_SENSOR_LEVEL);
  atSince = ptr(CTX_SINCE);
  atStaleAfter = ptr(CTX_STALE_AFTER);
  atThresholds = ptr(CTX_THRESHOLDS);
  atValue = ptr(CTX_VALUE);
  atWarnCount = ptr(CTX_WARN_COUNT);
  atWarnFirst = ptr(CTX_WARN_FIRST);
  dirtyCount = slot(CTX_DIRTY_COUNT);
  logCount = slot(CTX_LOG_COUNT);
}

function markDirty(item: i32): void {
  const flags = atDirtyFlag;
  if (load<u8>(flags + <usize>item) != 0) return;
  store<u8>(flags + <usize>item, 1);
  setI32(atDirtyList, dirtyCount, item);
  dirtyCount++;
}

// ---- timer rings -------------------------------------------------------------------------

@inline function queueField(queue: i32, field: i32): usize {
  return atQueueTable + (<usize>(queue * QUEUE_STRIDE + field) << 2);
}

/** Whether some level of the factor is still waiting for the on-delay that ends at `due`. */
function onDelayWaiting(factor: i32, due: f64): bool {
  const since = atSince;
  const delay = f64At(atOnDelay, factor);
  for (let level = 2; level <= 4; level++) {
    if (f64At(since, factor * 4 + level - 1) + delay == due) return true;
  }
  return false;
}

function timerAlive(kind: i32, target: i32, due: f64): bool {
  if (kind == QUEUE_HOLD) return f64At(atHoldDue, target) == due;
  return onDelayWaiting(target, due);
}

/** Drops dead timers from a full ring, keeping the order of the live ones. */
function compact(queue: i32): void {
  const duePtr = <usize>load<i32>(queueField(queue, QUEUE_DUE_PTR));
  const targetPtr = <usize>load<i32>(queueField(queue, QUEUE_TARGET_PTR));
  const capacity = load<i32>(queueField(queue, QUEUE_CAPACITY));
  const kind = load<i32>(queueField(queue, QUEUE_KIND));
  const head = load<i32>(queueField(queue, QUEUE_HEAD));
  const size = load<i32>(queueField(queue, QUEUE_SIZE));
  let write = head;
  let kept = 0;
  for (let k = 0; k < size; k++) {
    let read = head + k;
    if (read >= capacity) read -= capacity;
    const due = f64At(duePtr, read);
    const target = i32At(targetPtr, read);
    if (!timerAlive(kind, target, due)) continue;
    setF64(duePtr, write, due);
    setI32(targetPtr, write, target);
    write++;
    if (write >= capacity) write = 0;
    kept++;
  }
  store<i32>(queueField(queue, QUEUE_SIZE), kept);
  setSlot(CTX_COMPACTIONS, slot(CTX_COMPACTIONS) + 1);
}

function pushTimer(queue: i32, due: f64, target: i32): void {
  let size = load<i32>(queueField(queue, QUEUE_SIZE));
  const capacity = load<i32>(queueField(queue, QUEUE_CAPACITY));
  if (size >= capacity) {
    compact(queue);
    size = load<i32>(queueField(queue, QUEUE_SIZE));
  }
  let at = load<i32>(queueField(queue, QUEUE_HEAD)) + size;
  if (at >= capacity) at -= capacity;
  setF64(<usize>load<i32>(queueField(queue, QUEUE_DUE_PTR)), at, due);
  setI32(<usize>load<i32>(queueField(queue, QUEUE_TARGET_PTR)), at, target);
  store<i32>(queueField(queue, QUEUE_SIZE), size + 1);
}

/** Discards dead timers at the head of a ring; returns the head's due time or +∞. */
function liveHead(queue: i32): f64 {
  const duePtr = <usize>load<i32>(queueField(queue, QUEUE_DUE_PTR));
  const targetPtr = <usize>load<i32>(queueField(queue, QUEUE_TARGET_PTR));
  const capacity = load<i32>(queueField(queue, QUEUE_CAPACITY));
  const kind = load<i32>(queueField(queue, QUEUE_KIND));
  let head = load<i32>(queueField(queue, QUEUE_HEAD));
  let size = load<i32>(queueField(queue, QUEUE_SIZE));
  let result: f64 = Infinity;
  while (size > 0) {
    const due = f64At(duePtr, head);
    if (timerAlive(kind, i32At(targetPtr, head), due)) { result = due; break; }
    head++;
    if (head >= capacity) head = 0;
    size--;
  }
  store<i32>(queueField(queue, QUEUE_HEAD), head);
  store<i32>(queueField(queue, QUEUE_SIZE), size);
  return result;
}

/** Pops every timer of the ring due at or before `now` and marks the items they belong to. */
function fireTimers(queue: i32, now: f64): void {
  const duePtr = <usize>load<i32>(queueField(queue, QUEUE_DUE_PTR));
  const targetPtr = <usize>load<i32>(queueField(queue, QUEUE_TARGET_PTR));
  const capacity = load<i32>(queueField(queue, QUEUE_CAPACITY));
  const kind = load<i32>(queueField(queue, QUEUE_KIND));
  let head = load<i32>(queueField(queue, QUEUE_HEAD));
  let size = load<i32>(queueField(queue, QUEUE_SIZE));
  const factorItem = atFactorItem;
  while (size > 0) {
    const due = f64At(duePtr, head);
    if (due > now) break;
    const target = i32At(targetPtr, head);
    if (timerAlive(kind, target, due)) markDirty(kind == QUEUE_HOLD ? target : i32At(factorItem, target));
    head++;
    if (head >= capacity) head = 0;
    size--;
  }
  store<i32>(queueField(queue, QUEUE_HEAD), head);
  store<i32>(queueField(queue, QUEUE_SIZE), size);
}

// ---- inputs ------------------------------------------------------------------------------

/** The sensor level of a signed reading, keeping the levels reached before until they clear. */
@inline function sensorLevelOf(factor: i32, value: f64, previous: i32): i32 {
  const thresholds = atThresholds + (<usize>factor << 5);
  const deadband = f64At(atDeadband, factor);
  for (let level = 4; level >= 2; level--) {
    const threshold = f64At(thresholds, level - 1);
    // NaN (no threshold for this level) fails both comparisons.
    if (value >= threshold) return level;
    if (level <= previous && value >= threshold - deadband) return level;
  }
  return 1;
}

function applyReading(factor: i32, t: f64, value: f64): void {
  const item = i32At(atFactorItem, factor);
  const signed = value * f64At(atDirection, factor);
  setF64(atValue, factor, signed);
  const lastTime = atLastTime;
  if (t - f64At(lastTime, factor) > f64At(atStaleAfter, factor)) {
    // The factor was stale until now: the stale spell interrupted any hold, which restarts
    // from this fresh reading (evaluation decides whether one can start).
    setF64(atHoldDue, item, Infinity);
  }
  setF64(lastTime, factor, t);
  const sensorLevels = atSensorLevel;
  const previous = i32At(sensorLevels, factor);
  const level = sensorLevelOf(factor, signed, previous);
  setI32(sensorLevels, factor, level);
  if (level != previous) {
    const since = atSince + (<usize>factor << 5);
    const queue = i32At(atOnDelayQueue, factor);
    const delay = f64At(atOnDelay, factor);
    for (let l = 2; l <= 4; l++) {
      const wasSet = f64At(since, l - 1) != Infinity;
      if (l <= level) {
        if (!wasSet) {
          setF64(since, l - 1, t);
          if (queue >= 0) pushTimer(queue, t + delay, factor);
        }
      } else if (wasSet) {
        setF64(since, l - 1, Infinity);
      }
    }
  }
  markDirty(item);
}

function applyWarning(item: i32, delta: i32, warning: i32): void {
  const counts = atWarnCount;
  const level = delta > 0 ? delta : -delta;
  const at = item * 4 + level - 1;
  const count = i32At(counts, at);
  if (delta > 0) {
    if (count == 0) setI32(atWarnFirst, at, warning);
    setI32(counts, at, count + 1);
  } else {
    setI32(counts, at, count - 1);
  }
  markDirty(item);
}

function applyEvent(item: i32, level: i32, event: i32): void {
  const levels = atEventLevel;
  if (level == 0) {
    setI32(levels, item, 0); // verified: rectification confirmed
  } else if (level > i32At(levels, item)) {
    setI32(levels, item, level);
    setI32(atEventCause, item, event);
  }
  markDirty(item);
}

function applyPin(item: i32, level: i32, pin: i32): void {
  const causes = atPinCause;
  if (level == 0) {
    // Expiry: only the pin still in force on the item ends; a later pin replaced it otherwise.
    if (i32At(causes, item) != pin) return;
    setI32(atPinLevel, item, 0);
  } else {
    setI32(atPinLevel, item, level);
    setI32(causes, item, pin);
  }
  markDirty(item);
}

// ---- evaluation --------------------------------------------------------------------------

function writeLog(t: f64, item: i32, from: i32, to: i32, rule: i32, cause: i32, value: f64, threshold: f64): void {
  const at = atLog + <usize>logCount * <usize>LOG_STRIDE;
  store<f64>(at, t, LOG_T);
  store<f64>(at, value, LOG_VALUE);
  store<f64>(at, threshold, LOG_THRESHOLD);
  store<i32>(at, item, LOG_ITEM);
  store<i32>(at, from, LOG_FROM);
  store<i32>(at, to, LOG_TO);
  store<i32>(at, rule, LOG_RULE);
  store<i32>(at, cause, LOG_CAUSE);
  store<i32>(at, 0, LOG_PAD);
  logCount++;
}

/** The level a factor has held without a break for its whole on-delay at `now`. */
@inline function delayedLevel(factor: i32, now: f64): i32 {
  const since = atSince + (<usize>factor << 5);
  const delay = f64At(atOnDelay, factor);
  for (let level = 4; level >= 2; level--) {
    if (f64At(since, level - 1) + delay <= now) return level;
  }
  return 1;
}

function anyStale(first: i32, end: i32, now: f64): bool {
  const lastTime = atLastTime;
  const staleAfter = atStaleAfter;
  for (let f = first; f < end; f++) {
    if (f64At(lastTime, f) + f64At(staleAfter, f) < now) return true;
  }
  return false;
}

function startHold(item: i32, level: i32, now: f64): void {
  const at = i32At(atHoldProfile, item) * 4 + level - 1;
  const due = now + f64At(atHoldSeconds, at);
  setF64(atHoldDue, item, due);
  pushTimer(i32At(atHoldQueue, at), due, item);
}

function evaluate(item: i32, now: f64): void {
  const levels = atLevel;
  const level = i32At(levels, item);
  let raw = i32At(atBase, item);
  let target = raw;
  let rule: i32 = 0;
  let cause: i32 = -1;
  const first = i32At(atFactorStart, item);
  const end = i32At(atFactorStart, item + 1);
  const sensorLevels = atSensorLevel;
  for (let f = first; f < end; f++) {
    const sensed = i32At(sensorLevels, f);
    if (sensed > raw) raw = sensed;
    if (sensed > target) {
      const delayed = delayedLevel(f, now);
      if (delayed > target) { target = delayed; rule = RULE_SENSOR; cause = f; }
    }
  }
  const counts = atWarnCount + (<usize>item << 4);
  for (let l = 4; l >= 1; l--) {
    if (i32At(counts, l - 1) > 0) {
      if (l > raw) raw = l;
      if (l > target) { target = l; rule = RULE_WARNING; cause = i32At(atWarnFirst, item * 4 + l - 1); }
      break;
    }
  }
  const eventLevel = i32At(atEventLevel, item);
  if (eventLevel > raw) raw = eventLevel;
  if (eventLevel > target) { target = eventLevel; rule = RULE_EVENT; cause = i32At(atEventCause, item); }
  const pinLevel = i32At(atPinLevel, item);
  if (pinLevel > raw) raw = pinLevel;
  if (pinLevel > target) { target = pinLevel; rule = RULE_PIN; cause = i32At(atPinCause, item); }

  const holdDue = atHoldDue;
  if (target > level) {
    let value: f64 = NaN;
    let threshold: f64 = NaN;
    if (rule == RULE_SENSOR) {
      const direction = f64At(atDirection, cause);
      value = f64At(atValue, cause) * direction;
      threshold = f64At(atThresholds, cause * 4 + target - 1) * direction;
    }
    writeLog(now, item, level, target, rule, cause, value, threshold);
    setI32(levels, item, target);
    setF64(holdDue, item, Infinity);
    return;
  }
  if (raw >= level || anyStale(first, end, now)) {
    setF64(holdDue, item, Infinity);
    return;
  }
  const due = f64At(holdDue, item);
  if (due == Infinity) {
    startHold(item, level, now);
    return;
  }
  if (due <= now) {
    const holdSeconds = f64At(atHoldSeconds, i32At(atHoldProfile, item) * 4 + level - 1);
    writeLog(now, item, level, level - 1, RULE_HOLD, -1, holdSeconds, NaN);
    setI32(levels, item, level - 1);
    if (raw < level - 1) startHold(item, level - 1, now);
    else setF64(holdDue, item, Infinity);
  }
}

// ---- the driver --------------------------------------------------------------------------

/**
 * Processes every instant up to and including `until` of the given sorted batches, continuing
 * from the positions in CTX_*_POS. Returns ADVANCE_LOG_FULL (between two instants, state
 * consistent) when the log might not hold another instant's changes: drain it and call again.
 *
 * Batches: readings (factor i32, t f64, value f64); warning actions (item, t, ±level, warning
 * index); events (item, t, level or 0 = verified, index); pin actions (item, t, level or 0 =
 * expiry, pin index). Each batch sorted by time; at equal times applied in the given order.
 */
export function riskAdvance(context: usize, until: f64, batch: usize): i32 {
  const readingCount = i32Arg(batch, BATCH_READING_COUNT);
  const readingFactor = pointerArg(batch, BATCH_READING_FACTOR);
  const readingTime = pointerArg(batch, BATCH_READING_TIME);
  const readingValue = pointerArg(batch, BATCH_READING_VALUE);
  const warnCount = i32Arg(batch, BATCH_WARN_COUNT);
  const warnItem = pointerArg(batch, BATCH_WARN_ITEM);
  const warnTime = pointerArg(batch, BATCH_WARN_TIME);
  const warnDelta = pointerArg(batch, BATCH_WARN_DELTA);
  const warnIndex = pointerArg(batch, BATCH_WARN_INDEX);
  const eventCount = i32Arg(batch, BATCH_EVENT_COUNT);
  const eventItem = pointerArg(batch, BATCH_EVENT_ITEM);
  const eventTime = pointerArg(batch, BATCH_EVENT_TIME);
  const eventLevel = pointerArg(batch, BATCH_EVENT_LEVEL);
  const eventIndex = pointerArg(batch, BATCH_EVENT_INDEX);
  const pinCount = i32Arg(batch, BATCH_PIN_COUNT);
  const pinItem = pointerArg(batch, BATCH_PIN_ITEM);
  const pinTime = pointerArg(batch, BATCH_PIN_TIME);
  const pinLevel = pointerArg(batch, BATCH_PIN_LEVEL);
  const pinIndex = pointerArg(batch, BATCH_PIN_INDEX);
  ctx = context;
  loadContext();
  const items = slot(CTX_ITEMS);
  const logCapacity = slot(CTX_LOG_CAPACITY);
  const queues = slot(CTX_QUEUES);
  let r = slot(CTX_READ_POS);
  let w = slot(CTX_WARN_POS);
  let e = slot(CTX_EVENT_POS);
  let p = slot(CTX_PIN_POS);
  let status = ADVANCE_DONE;
  for (;;) {
    let now: f64 = Infinity;
    if (r < readingCount) now = f64At(readingTime, r);
    if (w < warnCount && f64At(warnTime, w) < now) now = f64At(warnTime, w);
    if (e < eventCount && f64At(eventTime, e) < now) now = f64At(eventTime, e);
    if (p < pinCount && f64At(pinTime, p) < now) now = f64At(pinTime, p);
    for (let q = 0; q < queues; q++) {
      const head = liveHead(q);
      if (head < now) now = head;
    }
    if (!(now <= until)) break;
    if (logCapacity - logCount < items) { status = ADVANCE_LOG_FULL; break; }
    setSlot(CTX_INSTANTS, slot(CTX_INSTANTS) + 1);

    while (r < readingCount && f64At(readingTime, r) == now) {
      applyReading(i32At(readingFactor, r), now, f64At(readingValue, r));
      r++;
    }
    while (w < warnCount && f64At(warnTime, w) == now) {
      applyWarning(i32At(warnItem, w), i32At(warnDelta, w), i32At(warnIndex, w));
      w++;
    }
    while (e < eventCount && f64At(eventTime, e) == now) {
      applyEvent(i32At(eventItem, e), i32At(eventLevel, e), i32At(eventIndex, e));
      e++;
    }
    while (p < pinCount && f64At(pinTime, p) == now) {
      applyPin(i32At(pinItem, p), i32At(pinLevel, p), i32At(pinIndex, p));
      p++;
    }
    for (let q = 0; q < queues; q++) fireTimers(q, now);

    const touched = dirtyCount;
    for (let k = 0; k < touched; k++) {
      const item = i32At(atDirtyList, k);
      store<u8>(atDirtyFlag + <usize>item, 0);
      evaluate(item, now);
    }
    setSlot(CTX_EVALUATIONS, slot(CTX_EVALUATIONS) + touched);
    dirtyCount = 0;
  }
  setSlot(CTX_DIRTY_COUNT, dirtyCount);
  setSlot(CTX_LOG_COUNT, logCount);
  setSlot(CTX_READ_POS, r);
  setSlot(CTX_WARN_POS, w);
  setSlot(CTX_EVENT_POS, e);
  setSlot(CTX_PIN_POS, p);
  return status;
}
