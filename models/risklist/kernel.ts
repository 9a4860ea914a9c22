// Runs assembly/risklist/grade.ts: packs the list into wasm memory once, then feeds batches.
import type { Arena, Kernels, Region } from '../wasm.ts';
import { ChangeLog, type GradingState, type InputBatch, type PackedList } from './packed.ts';
import {
  ADVANCE_LOG_FULL, BATCH_EVENT_COUNT, BATCH_EVENT_INDEX, BATCH_EVENT_ITEM, BATCH_EVENT_LEVEL, BATCH_EVENT_TIME, BATCH_LENGTH, BATCH_PIN_COUNT, BATCH_PIN_INDEX,
  BATCH_PIN_ITEM, BATCH_PIN_LEVEL, BATCH_PIN_TIME, BATCH_READING_COUNT, BATCH_READING_FACTOR, BATCH_READING_TIME, BATCH_READING_VALUE,
  BATCH_WARN_COUNT, BATCH_WARN_DELTA, BATCH_WARN_INDEX, BATCH_WARN_ITEM, BATCH_WARN_TIME, CTX_BASE, CTX_COMPACTIONS, CTX_DEADBAND, CTX_DIRECTION, CTX_DIRTY_FLAG, CTX_DIRTY_LIST,
  CTX_EVALUATIONS, CTX_EVENT_CAUSE, CTX_EVENT_LEVEL, CTX_EVENT_POS, CTX_FACTORS, CTX_FACTOR_ITEM, CTX_FACTOR_START,
  CTX_HOLD_DUE, CTX_HOLD_PROFILE, CTX_HOLD_QUEUE, CTX_HOLD_SECONDS, CTX_INSTANTS, CTX_ITEMS, CTX_LAST_TIME,
  CTX_LENGTH, CTX_LEVEL, CTX_LOG, CTX_LOG_CAPACITY, CTX_LOG_COUNT, CTX_ON_DELAY, CTX_ON_DELAY_QUEUE, CTX_PIN_CAUSE,
  CTX_PIN_LEVEL, CTX_PIN_POS, CTX_QUEUES, CTX_QUEUE_TABLE, CTX_READ_POS, CTX_SENSOR_LEVEL, CTX_SINCE, CTX_STALE_AFTER,
  CTX_THRESHOLDS, CTX_VALUE, CTX_WARN_COUNT, CTX_WARN_FIRST, CTX_WARN_POS, LOG_CAUSE, LOG_FROM, LOG_ITEM, LOG_RULE,
  LOG_STRIDE, LOG_T, LOG_THRESHOLD, LOG_TO, LOG_VALUE, QUEUE_STRIDE, CTX_DIRTY_COUNT, QUEUE_CAPACITY, QUEUE_HEAD, QUEUE_SIZE,
} from '../../assembly/risklist/layout.ts';
import { StateReader, StateWriter } from './state-bytes.ts';

/** assembly/risklist/grade.ts as the host sees it: every argument a number or a pointer. */
export interface RisklistKernels {
  /** `batch`: f64[BATCH_LENGTH], the BATCH_* slots of assembly/risklist/layout.ts. */
  riskAdvance(context: number, until: number, batch: number): number;
}

/** Changes drained per round beyond one instant's worst case (every item changing once). */
const LOG_SLACK = 1 << 16;

/** A risk list resident in wasm memory; its regions live as long as `arena`. */
export class WasmGrading implements GradingState {
  private readonly context: Region<'i32'>;
  private readonly level: Region<'i32'>;
  private readonly lastTime: Region<'f64'>;
  private readonly log: Region<'f64'>;
  /** Every region the kernel writes between calls, in the order a saved state lists them. */
  private readonly mutable: Region[];
  private readonly queueTable: Region<'i32'>;
  private readonly rings: (readonly [Region<'f64'>, Region<'i32'>])[];

  /** `logSlack`: changes the wasm log holds beyond one instant's worst case before the host drains it. */
  constructor(private readonly kernels: Kernels, private readonly arena: Arena, list: PackedList, logSlack = LOG_SLACK) {
    const n = list.items;
    const f = list.factors;
    const context = arena.allocate('i32', CTX_LENGTH);
    const slots: [number, number][] = [];
    const put = (slot: number, region: Region) => slots.push([slot, region.ptr]);
    put(CTX_FACTOR_START, arena.copyIn('i32', list.factorStart));
    put(CTX_BASE, arena.copyIn('i32', list.base));
    this.level = arena.copyIn('i32', list.base);
    put(CTX_LEVEL, this.level);
    put(CTX_HOLD_PROFILE, arena.copyIn('i32', list.holdProfile));
    put(CTX_HOLD_SECONDS, arena.copyIn('f64', list.holdSeconds));
    put(CTX_HOLD_QUEUE, arena.copyIn('i32', list.holdQueue));
    const holdDue = arena.allocate('f64', n);
    put(CTX_HOLD_DUE, holdDue);
    const warnCount = arena.allocate('i32', 4 * n), warnFirst = arena.allocate('i32', 4 * n);
    const eventLevel = arena.allocate('i32', n), eventCause = arena.allocate('i32', n), pinLevel = arena.allocate('i32', n);
    put(CTX_WARN_COUNT, warnCount);
    put(CTX_WARN_FIRST, warnFirst);
    put(CTX_EVENT_LEVEL, eventLevel);
    put(CTX_EVENT_CAUSE, eventCause);
    put(CTX_PIN_LEVEL, pinLevel);
    const pinCause = arena.allocate('i32', n);
    put(CTX_PIN_CAUSE, pinCause);
    put(CTX_DIRTY_FLAG, arena.allocate('u8', n));
    put(CTX_DIRTY_LIST, arena.allocate('i32', n));
    put(CTX_FACTOR_ITEM, arena.copyIn('i32', list.factorItem));
    put(CTX_THRESHOLDS, arena.copyIn('f64', list.thresholds));
    put(CTX_DEADBAND, arena.copyIn('f64', list.deadband));
    put(CTX_ON_DELAY, arena.copyIn('f64', list.onDelay));
    put(CTX_ON_DELAY_QUEUE, arena.copyIn('i32', list.onDelayQueue));
    put(CTX_STALE_AFTER, arena.copyIn('f64', list.staleAfter));
    put(CTX_DIRECTION, arena.copyIn('f64', list.direction));
    const value = arena.allocate('f64', f);
    put(CTX_VALUE, value);
    this.lastTime = arena.allocate('f64', f);
    put(CTX_LAST_TIME, this.lastTime);
    const sensorLevel = arena.allocate('i32', f);
    put(CTX_SENSOR_LEVEL, sensorLevel);
    const since = arena.allocate('f64', 4 * f);
    put(CTX_SINCE, since);
    const table = arena.allocate('i32', 6 * Math.max(1, list.queues.length));
    put(CTX_QUEUE_TABLE, table);
    const rings = list.queues.map((q) => [arena.allocate('f64', q.capacity), arena.allocate('i32', q.capacity)] as const);
    const logCapacity = n + Math.max(0, logSlack);
    this.log = arena.allocate('f64', (logCapacity * LOG_STRIDE) / 8);
    put(CTX_LOG, this.log);

    // Every allocation is done: views are safe from here on.
    const ctx = arena.view(context);
    for (const [slot, ptr] of slots) ctx[slot] = ptr;
    ctx[CTX_ITEMS] = n;
    ctx[CTX_FACTORS] = f;
    ctx[CTX_QUEUES] = list.queues.length;
    ctx[CTX_LOG_CAPACITY] = logCapacity;
    const tableView = arena.view(table);
    list.queues.forEach((q, k) => {
      tableView.set([rings[k][0].ptr, rings[k][1].ptr, q.capacity, q.kind, 0, 0], QUEUE_STRIDE * k);
    });
    arena.view(holdDue).fill(Infinity);
    arena.view(pinCause).fill(-1);
    arena.view(sensorLevel).fill(1);
    arena.view(since).fill(Infinity);
    this.context = context;
    this.mutable = [this.level, holdDue, warnCount, warnFirst, eventLevel, eventCause, pinLevel, pinCause, value, this.lastTime, sensorLevel, since];
    this.queueTable = table;
    this.rings = rings;
  }

  /**
   * The whole grading state between two calls, as bytes: every region the kernel writes, each
   * timer ring's live window (head first, so a restored ring starts at 0: positions only decide
   * when a full ring is compacted, never which timer fires) and the statistics, then the `tail`
   * arrays (the caller's own state, in the same one copy); written into `into` when it is long
   * enough (a buffer kept between snapshots: fresh pages cost more than the copy). Loaded into a
   * grading of the same list, the next calls give exactly the changes this one would.
   */
  saveState(tail: ArrayBufferView[] = [], into?: Uint8Array): Uint8Array {
    const c = this.arena.view(this.context);
    if (c[CTX_DIRTY_COUNT] !== 0 || c[CTX_LOG_COUNT] !== 0) throw new Error('the grading state is saved only between two calls');
    const table = this.arena.view(this.queueTable);
    const sizes = this.rings.map((_, q) => table[QUEUE_STRIDE * q + QUEUE_SIZE]);
    const length = 16 + 4 * this.rings.length + this.mutable.reduce((s, r) => s + this.bytesOf(r).length, 0) + sizes.reduce((s, k) => s + 4 + 12 * k, 0) + 12;
    const out = new StateWriter(length + tail.reduce((s, a) => s + a.byteLength, 0), into);
    for (const x of this.shape()) out.i32(x);
    for (const r of this.mutable) out.bytes(this.bytesOf(r));
    this.rings.forEach(([due, target], q) => {
      const head = table[QUEUE_STRIDE * q + QUEUE_HEAD];
      const capacity = table[QUEUE_STRIDE * q + QUEUE_CAPACITY];
      const size = sizes[q];
      out.i32(size);
      const d = this.arena.view(due), t = this.arena.view(target);
      const first = Math.min(size, capacity - head);
      out.f64s(d.subarray(head, head + first)); out.f64s(d.subarray(0, size - first));
      out.i32s(t.subarray(head, head + first)); out.i32s(t.subarray(0, size - first));
    });
    out.i32(c[CTX_EVALUATIONS]); out.i32(c[CTX_COMPACTIONS]); out.i32(c[CTX_INSTANTS]);
    for (const a of tail) out.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return out.done();
  }

  /** Restores `saveState`'s bytes (of a grading of the same list); throws when they do not fit it. */
  loadState(bytes: Uint8Array): void {
    const input = new StateReader(bytes);
    const shape = this.shape();
    const saved = shape.map(() => input.i32());
    if (saved.some((x, k) => x !== shape[k])) throw new Error(`grading state: saved for another list (items, factors, rings, log, ring sizes ${saved.join(' ')}; this list ${shape.join(' ')})`);
    for (const r of this.mutable) this.bytesOf(r).set(input.bytes(this.bytesOf(r).length));
    const table = this.arena.view(this.queueTable);
    this.rings.forEach(([due, target], q) => {
      const size = input.i32();
      const capacity = table[QUEUE_STRIDE * q + QUEUE_CAPACITY];
      if (!(size >= 0 && size <= capacity)) throw new Error(`grading state: timer ring ${q}: ${size} timers do not fit its ${capacity}`);
      this.arena.view(due).set(input.f64s(size));
      this.arena.view(target).set(input.i32s(size));
      table[QUEUE_STRIDE * q + QUEUE_HEAD] = 0;
      table[QUEUE_STRIDE * q + QUEUE_SIZE] = size;
    });
    const c = this.arena.view(this.context);
    c[CTX_EVALUATIONS] = input.i32(); c[CTX_COMPACTIONS] = input.i32(); c[CTX_INSTANTS] = input.i32();
    input.end();
  }

  /** What a saved state must match: the sizes of the regions and rings it fills. */
  private shape(): number[] {
    const c = this.arena.view(this.context);
    const table = this.arena.view(this.queueTable);
    return [c[CTX_ITEMS], c[CTX_FACTORS], this.rings.length, c[CTX_LOG_CAPACITY], ...this.rings.map((_, q) => table[QUEUE_STRIDE * q + QUEUE_CAPACITY])];
  }

  private bytesOf(region: Region): Uint8Array {
    const view = this.arena.view(region);
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }

  advance(b: InputBatch, until: number, log: ChangeLog): void {
    // The batch lives in its own arena, freed when the call ends; the list's regions stay.
    this.kernels.withArena((batch) => this.prepareBatch(batch, b)(until, log));
  }

  /** Copies a batch into `batchArena` once; the function returned grades it (benchmarks time only that). */
  prepareBatch(batchArena: Arena, b: InputBatch): (until: number, log: ChangeLog) => void {
    const rf = batchArena.copyIn('i32', b.readingFactor), rt = batchArena.copyIn('f64', b.readingTime), rv = batchArena.copyIn('f64', b.readingValue);
    const wi = batchArena.copyIn('i32', b.warnItem), wt = batchArena.copyIn('f64', b.warnTime), wd = batchArena.copyIn('i32', b.warnDelta), wx = batchArena.copyIn('i32', b.warnIndex);
    const ei = batchArena.copyIn('i32', b.eventItem), et = batchArena.copyIn('f64', b.eventTime), el = batchArena.copyIn('i32', b.eventLevel), ex = batchArena.copyIn('i32', b.eventIndex);
    const pi = batchArena.copyIn('i32', b.pinItem), pt = batchArena.copyIn('f64', b.pinTime), pl = batchArena.copyIn('i32', b.pinLevel), px = batchArena.copyIn('i32', b.pinIndex);
    const args = batchArena.allocate('f64', BATCH_LENGTH);
    const a = batchArena.view(args);
    a[BATCH_READING_COUNT] = b.readingTime.length;
    a[BATCH_READING_FACTOR] = rf.ptr;
    a[BATCH_READING_TIME] = rt.ptr;
    a[BATCH_READING_VALUE] = rv.ptr;
    a[BATCH_WARN_COUNT] = b.warnTime.length;
    a[BATCH_WARN_ITEM] = wi.ptr;
    a[BATCH_WARN_TIME] = wt.ptr;
    a[BATCH_WARN_DELTA] = wd.ptr;
    a[BATCH_WARN_INDEX] = wx.ptr;
    a[BATCH_EVENT_COUNT] = b.eventTime.length;
    a[BATCH_EVENT_ITEM] = ei.ptr;
    a[BATCH_EVENT_TIME] = et.ptr;
    a[BATCH_EVENT_LEVEL] = el.ptr;
    a[BATCH_EVENT_INDEX] = ex.ptr;
    a[BATCH_PIN_COUNT] = b.pinTime.length;
    a[BATCH_PIN_ITEM] = pi.ptr;
    a[BATCH_PIN_TIME] = pt.ptr;
    a[BATCH_PIN_LEVEL] = pl.ptr;
    a[BATCH_PIN_INDEX] = px.ptr;
    return (until, log) => {
      const c = this.arena.view(this.context);
      c[CTX_READ_POS] = 0; c[CTX_WARN_POS] = 0; c[CTX_EVENT_POS] = 0; c[CTX_PIN_POS] = 0;
      const k = this.kernels.exportsAs<RisklistKernels>();
      for (;;) {
        const status = k.riskAdvance(this.context.ptr, until, args.ptr);
        this.drain(log);
        if (status !== ADVANCE_LOG_FULL) break;
      }
    };
  }

  private drain(log: ChangeLog): void {
    const c = this.arena.view(this.context);
    const count = c[CTX_LOG_COUNT];
    if (count === 0) return;
    const f = this.arena.view(this.log);
    const i = new Int32Array(f.buffer, f.byteOffset, f.length * 2);
    log.reserve(count);
    const base = log.length;
    const { t, value, threshold, item, from, to, rule, cause } = log;
    for (let k = 0; k < count; k++) {
      const d = (k * LOG_STRIDE) / 8;
      const w = (k * LOG_STRIDE) / 4;
      const at = base + k;
      t[at] = f[d + LOG_T / 8]; value[at] = f[d + LOG_VALUE / 8]; threshold[at] = f[d + LOG_THRESHOLD / 8];
      item[at] = i[w + LOG_ITEM / 4]; from[at] = i[w + LOG_FROM / 4]; to[at] = i[w + LOG_TO / 4];
      rule[at] = i[w + LOG_RULE / 4]; cause[at] = i[w + LOG_CAUSE / 4];
    }
    log.length = base + count;
    c[CTX_LOG_COUNT] = 0;
  }

  levels(): Int32Array { return this.arena.copyOut(this.level); }
  lastReadingTimes(): Float64Array { return this.arena.copyOut(this.lastTime); }

  statistics() {
    const c = this.arena.view(this.context);
    return { evaluations: c[CTX_EVALUATIONS] >>> 0, instants: c[CTX_INSTANTS] >>> 0, compactions: c[CTX_COMPACTIONS] >>> 0 };
  }

  release(): void { this.arena.release(); }
}
