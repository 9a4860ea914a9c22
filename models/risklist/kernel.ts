// Runs assembly/risklist/grade.ts: packs the list into wasm memory once, then feeds batches.
import type { Arena, Kernels, Region } from '../wasm.ts';
import { ChangeLog, type GradingState, type InputBatch, type PackedList } from './packed.ts';

/** assembly/risklist/grade.ts as the host sees it: every argument a number or a pointer. */
export interface RisklistKernels {
  riskAdvance(
    context: number, until: number,
    readingCount: number, readingFactor: number, readingTime: number, readingValue: number,
    warnCount: number, warnItem: number, warnTime: number, warnDelta: number, warnIndex: number,
    eventCount: number, eventItem: number, eventTime: number, eventLevel: number, eventIndex: number,
    pinCount: number, pinItem: number, pinTime: number, pinLevel: number, pinIndex: number,
  ): number;
}

// Context slots: keep in step with CTX_* in assembly/risklist/grade.ts.
const CTX = {
  ITEMS: 0, FACTORS: 1, FACTOR_START: 2, BASE: 3, LEVEL: 4, HOLD_PROFILE: 5, HOLD_SECONDS: 6,
  HOLD_QUEUE: 7, HOLD_DUE: 8, WARN_COUNT: 9, WARN_FIRST: 10, EVENT_LEVEL: 11, EVENT_CAUSE: 12,
  PIN_LEVEL: 13, PIN_CAUSE: 14, DIRTY_FLAG: 15, DIRTY_LIST: 16, FACTOR_ITEM: 17, THRESHOLDS: 18,
  DEADBAND: 19, ON_DELAY: 20, ON_DELAY_QUEUE: 21, STALE_AFTER: 22, DIRECTION: 23, VALUE: 24,
  LAST_TIME: 25, SENSOR_LEVEL: 26, SINCE: 27, QUEUES: 28, QUEUE_TABLE: 29, LOG: 30,
  LOG_CAPACITY: 31, LOG_COUNT: 32, READ_POS: 33, WARN_POS: 34, EVENT_POS: 35, PIN_POS: 36,
  EVALUATIONS: 37, COMPACTIONS: 38, INSTANTS: 39, DIRTY_COUNT: 40, LENGTH: 41,
} as const;
const LOG_STRIDE = 48;
const ADVANCE_LOG_FULL = 1;
/** Changes drained per round beyond one instant's worst case (every item changing once). */
const LOG_SLACK = 1 << 16;

/** A risk list resident in wasm memory; its regions live as long as `arena`. */
export class WasmGrading implements GradingState {
  private readonly context: Region<'i32'>;
  private readonly level: Region<'i32'>;
  private readonly lastTime: Region<'f64'>;
  private readonly log: Region<'f64'>;

  /** `logSlack`: changes the wasm log holds beyond one instant's worst case before the host drains it. */
  constructor(private readonly kernels: Kernels, private readonly arena: Arena, list: PackedList, logSlack = LOG_SLACK) {
    const n = list.items;
    const f = list.factors;
    const context = arena.allocate('i32', CTX.LENGTH);
    const slots: [number, number][] = [];
    const put = (slot: number, region: Region) => slots.push([slot, region.ptr]);
    put(CTX.FACTOR_START, arena.copyIn('i32', list.factorStart));
    put(CTX.BASE, arena.copyIn('i32', list.base));
    this.level = arena.copyIn('i32', list.base);
    put(CTX.LEVEL, this.level);
    put(CTX.HOLD_PROFILE, arena.copyIn('i32', list.holdProfile));
    put(CTX.HOLD_SECONDS, arena.copyIn('f64', list.holdSeconds));
    put(CTX.HOLD_QUEUE, arena.copyIn('i32', list.holdQueue));
    const holdDue = arena.allocate('f64', n);
    put(CTX.HOLD_DUE, holdDue);
    put(CTX.WARN_COUNT, arena.allocate('i32', 4 * n));
    put(CTX.WARN_FIRST, arena.allocate('i32', 4 * n));
    put(CTX.EVENT_LEVEL, arena.allocate('i32', n));
    put(CTX.EVENT_CAUSE, arena.allocate('i32', n));
    put(CTX.PIN_LEVEL, arena.allocate('i32', n));
    const pinCause = arena.allocate('i32', n);
    put(CTX.PIN_CAUSE, pinCause);
    put(CTX.DIRTY_FLAG, arena.allocate('u8', n));
    put(CTX.DIRTY_LIST, arena.allocate('i32', n));
    put(CTX.FACTOR_ITEM, arena.copyIn('i32', list.factorItem));
    put(CTX.THRESHOLDS, arena.copyIn('f64', list.thresholds));
    put(CTX.DEADBAND, arena.copyIn('f64', list.deadband));
    put(CTX.ON_DELAY, arena.copyIn('f64', list.onDelay));
    put(CTX.ON_DELAY_QUEUE, arena.copyIn('i32', list.onDelayQueue));
    put(CTX.STALE_AFTER, arena.copyIn('f64', list.staleAfter));
    put(CTX.DIRECTION, arena.copyIn('f64', list.direction));
    put(CTX.VALUE, arena.allocate('f64', f));
    this.lastTime = arena.allocate('f64', f);
    put(CTX.LAST_TIME, this.lastTime);
    const sensorLevel = arena.allocate('i32', f);
    put(CTX.SENSOR_LEVEL, sensorLevel);
    const since = arena.allocate('f64', 4 * f);
    put(CTX.SINCE, since);
    const table = arena.allocate('i32', 6 * Math.max(1, list.queues.length));
    put(CTX.QUEUE_TABLE, table);
    const rings = list.queues.map((q) => [arena.allocate('f64', q.capacity), arena.allocate('i32', q.capacity)] as const);
    const logCapacity = n + Math.max(0, logSlack);
    this.log = arena.allocate('f64', (logCapacity * LOG_STRIDE) / 8);
    put(CTX.LOG, this.log);

    // Every allocation is done: views are safe from here on.
    const ctx = arena.view(context);
    for (const [slot, ptr] of slots) ctx[slot] = ptr;
    ctx[CTX.ITEMS] = n;
    ctx[CTX.FACTORS] = f;
    ctx[CTX.QUEUES] = list.queues.length;
    ctx[CTX.LOG_CAPACITY] = logCapacity;
    const tableView = arena.view(table);
    list.queues.forEach((q, k) => {
      tableView.set([rings[k][0].ptr, rings[k][1].ptr, q.capacity, q.kind, 0, 0], 6 * k);
    });
    arena.view(holdDue).fill(Infinity);
    arena.view(pinCause).fill(-1);
    arena.view(sensorLevel).fill(1);
    arena.view(since).fill(Infinity);
    this.context = context;
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
    return (until, log) => {
      const c = this.arena.view(this.context);
      c[CTX.READ_POS] = 0; c[CTX.WARN_POS] = 0; c[CTX.EVENT_POS] = 0; c[CTX.PIN_POS] = 0;
      const k = this.kernels.exportsAs<RisklistKernels>();
      for (;;) {
        const status = k.riskAdvance(
          this.context.ptr, until,
          b.readingTime.length, rf.ptr, rt.ptr, rv.ptr,
          b.warnTime.length, wi.ptr, wt.ptr, wd.ptr, wx.ptr,
          b.eventTime.length, ei.ptr, et.ptr, el.ptr, ex.ptr,
          b.pinTime.length, pi.ptr, pt.ptr, pl.ptr, px.ptr,
        );
        this.drain(log);
        if (status !== ADVANCE_LOG_FULL) break;
      }
    };
  }

  private drain(log: ChangeLog): void {
    const c = this.arena.view(this.context);
    const count = c[CTX.LOG_COUNT];
    if (count === 0) return;
    const f = this.arena.view(this.log);
    const i = new Int32Array(f.buffer, f.byteOffset, f.length * 2);
    log.reserve(count);
    const base = log.length;
    const { t, value, threshold, item, from, to, rule, cause } = log;
    for (let k = 0; k < count; k++) {
      const d = k * (LOG_STRIDE / 8);
      const w = k * (LOG_STRIDE / 4);
      const at = base + k;
      t[at] = f[d]; value[at] = f[d + 1]; threshold[at] = f[d + 2];
      item[at] = i[w + 6]; from[at] = i[w + 7]; to[at] = i[w + 8]; rule[at] = i[w + 9]; cause[at] = i[w + 10];
    }
    log.length = base + count;
    c[CTX.LOG_COUNT] = 0;
  }

  levels(): Int32Array { return this.arena.copyOut(this.level); }
  lastReadingTimes(): Float64Array { return this.arena.copyOut(this.lastTime); }

  statistics() {
    const c = this.arena.view(this.context);
    return { evaluations: c[CTX.EVALUATIONS] >>> 0, instants: c[CTX.INSTANTS] >>> 0, compactions: c[CTX.COMPACTIONS] >>> 0 };
  }

  release(): void { this.arena.release(); }
}
