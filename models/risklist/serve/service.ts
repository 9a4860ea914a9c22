// The live risk list: one writer that groups whatever arrived (readings, operator inputs, clock
// advances) into one database transaction per cycle, grades on the wasm streaming session, and
// answers each caller only after that transaction committed. The grading state is rebuilt from
// the stored inputs at start (and after a failed commit), from the newest usable snapshot of it
// (./snapshot.ts) when there is one, and the rebuilt log must equal the stored one.
// Over ~400 lines for a reason: the writer's state (queue, pending readings, sequence numbers, the
// snapshot cadence) is changed only by this one class, so a cycle's commit and its effects stay in step.
import { InputError, type Problem } from '../../errors.ts';
import type { Kernels } from '../../wasm.ts';
import type { ChangeOut } from '../grade.ts';
import { staleFactors } from '../packed.ts';
import { IdIndex, parseEvents, parsePins, parseWarnings } from '../parse.ts';
import { RisklistSession } from '../session.ts';
import type { ServeConfig } from './config.ts';
import { type Reading, type RejectReason } from './ingest.ts';
import { KeyedReadings } from './keyed.ts';
import { TouchJournal } from './live-stale.ts';
import { Metrics } from './metrics.ts';
import { type Sql } from './sql.ts';
import { readKernelBytes } from '../../wasm-node.ts';
import { engineKey, listKey, newestSnapshot, nextSnapshotId, removeTornChunks, unpackPayload, writeLogged, type SnapshotHeader, type SnapshotKey } from './snapshot.ts';
import { snapshotParams } from './spec.ts';
import { findReadings, installList, loadActions, loadPosition, loadReadings, migrate, storedChangesAfter, writeCycle, type CycleWrite, type StoredAction } from './store.ts';

export interface Change extends ChangeOut { seq: number }
export type ActionKind = 'warning' | 'event' | 'pin';
export interface ReadingResult { accepted: number; duplicates: number; rejected: { index: number; error: string }[] }

type Entry =
  | { kind: 'readings'; readings: { index: number; reading: Reading }[]; via: string; resolve: (r: ReadingResult) => void; reject: (e: unknown) => void; received: number; handedOff?: () => void }
  | { kind: 'actions'; action: ActionKind; raw: unknown[]; who: string; resolve: (n: number) => void; reject: (e: unknown) => void }
  | { kind: 'advance'; until: number; who: string; resolve: (r: { now_s: number; changes: Change[] }) => void; reject: (e: unknown) => void };

/** Where the committed grading state stands: a snapshot is due only once the state moved past the last one. */
interface StatePosition { clock: number; seq: number; fed: number; readings: number }
const samePosition = (a: StatePosition | undefined, b: StatePosition) => a !== undefined && a.clock === b.clock && a.seq === b.seq && a.fed === b.fed && a.readings === b.readings;

const key = (item: string, factor: string, t: number) => `${item}\u0000${factor}\u0000${t}`;
const PARSERS = { warning: parseWarnings, event: parseEvents, pin: parsePins } as const;

export class RisklistService {
  session!: RisklistSession;
  index!: IdIndex;
  clock = -Infinity;
  epochMs = 0;
  ready = false;
  readonly metrics = new Metrics();
  levels!: Int32Array;
  lastTime!: Float64Array;
  lastValue!: Float64Array;
  /** Factors whose last reading time moved, for the live page's stale index (./live-stale.ts). */
  readonly touched = new TouchJournal();
  private pending = new KeyedReadings();
  private unfed: StoredAction[] = [];
  private warningIds = new Set<string>();
  private nextSeq = 1;
  private nextArrival = 1;
  private queue: Entry[] = [];
  private running: Promise<void> | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private listeners = new Set<(changes: Change[]) => void>();
  /** Wall time (t_s) each request or message still being read arrived: the wall clock waits for them. */
  private readonly arriving = new Map<number, number>();
  private nextArrivingId = 1;
  private closed = false;
  private sessionFresh = false;
  private snapshotKey!: SnapshotKey;
  private nextSnapshotId = 1;
  /** Operator inputs up to this arrival have been fed to the session (a prefix: they are fed in arrival order). */
  private fedArrival = 0;
  private readingsGraded = 0;
  private gradedSinceSnapshot = 0;
  private lastSnapshotAt = performance.now();
  private snapshotting: Promise<void> | undefined;
  private payloadBuffer: Uint8Array | undefined;
  private snapshotWaiters: ((header: SnapshotHeader | undefined) => void)[] = [];
  /** The state the newest snapshot written or restored holds. */
  private snapshotAt: StatePosition | undefined;
  /** The write under way: the state it holds, and whether it should stop at its next chunk. */
  private writing: { at: StatePosition; abandoned: boolean } | undefined;
  /** Every snapshot write stops at its next chunk once performance.now() passes this (the shutdown budget). */
  private snapshotDeadline = Infinity;
  private snapshotTimer: NodeJS.Timeout | undefined;
  /** The last snapshot written: its header, how long the capture held the writer and the write took. */
  lastSnapshot: { header: SnapshotHeader; captureMs: number; compressMs: number; writeMs: number; compressed: number } | undefined;

  private constructor(readonly config: ServeConfig, readonly sql: Sql, private readonly kernels: Kernels, private readonly log: (fields: Record<string, unknown>) => void) {}

  static async open(config: ServeConfig, sql: Sql, kernels: Kernels, log: (fields: Record<string, unknown>) => void): Promise<RisklistService> {
    const s = new RisklistService(config, sql, kernels, log);
    await migrate(sql);
    s.openSession();
    ({ epochMs: s.epochMs } = await installList(sql, s.session.defs, config.listHash, config.epochMs ?? 0));
    s.snapshotKey = { engine: engineKey(await readKernelBytes()), list: listKey(s.defs) };
    const torn = await removeTornChunks(sql);
    if (torn > 0) log({ level: 'warn', msg: 'removed the chunks of a snapshot whose write was cut short', chunks: torn });
    s.nextSnapshotId = await nextSnapshotId(sql);
    await s.rebuild();
    if (config.clock === 'wall') s.tickTimer = setInterval(() => s.schedule(), config.limits.tickS * 1000);
    s.armSnapshotTimer();
    return s;
  }

  private openSession(): void {
    this.session?.close();
    this.session = new RisklistSession(this.config.list, this.kernels);
    this.index = new IdIndex(this.session.defs);
    this.sessionFresh = true;
  }

  /** A session nothing was fed or restored into: the one open() made, else a new one (a city-sized list takes seconds to parse and pack). */
  private freshSession(): void {
    if (!this.sessionFresh) this.openSession();
    // Marked used before any use: a restore that fails half-way leaves it unfit for the next try.
    this.sessionFresh = false;
  }

  get defs() { return this.session.defs; }
  /** Wall clock in t_s. */
  wallS(): number { return (Date.now() - this.epochMs) / 1000; }

  /**
   * Restores the newest usable snapshot, then regrades every stored input after it up to the
   * stored clock; the log this gives must be the stored log after the snapshot's seq.
   */
  private async rebuild(): Promise<void> {
    this.ready = false;
    const started = performance.now();
    // Where a restart's time goes (seconds since the rebuild began), for the log.
    const phases: Record<string, number> = {};
    const phase = (name: string) => { phases[name] = Math.round(performance.now() - started) / 1000; };
    const { list } = this.defs;
    const position = await loadPosition(this.sql);
    const actions = await loadActions(this.sql);
    phase('position');
    const restored = await newestSnapshot(this.sql, this.snapshotKey, position, this.log, (h, payload) => {
      const parts = unpackPayload(payload, list.items, list.factors);
      const fed: Record<string, unknown[]> = { warnings: [], events: [], pins: [] };
      for (const a of actions) if (a.arrival <= h.fed_arrival) fed[`${a.kind}s`].push(JSON.parse(a.body));
      this.freshSession();
      this.session.restoreState({ now_s: h.clock_s, state: parts.state }, fed as { warnings: unknown[]; events: unknown[]; pins: unknown[] });
      return parts;
    });
    const from = restored?.header;
    phase('snapshot');
    if (!restored) this.freshSession();
    this.clock = position.clock;
    this.nextArrival = position.lastArrival + 1;
    this.nextSeq = (from?.last_seq ?? 0) + 1;
    this.levels = restored?.used.levels ?? list.base.slice();
    this.lastTime = restored?.used.lastTime ?? new Float64Array(list.factors);
    this.lastValue = restored?.used.lastValue ?? new Float64Array(list.factors).fill(NaN);
    this.fedArrival = from?.fed_arrival ?? 0;
    this.readingsGraded = from?.readings ?? 0;
    this.gradedSinceSnapshot = 0;
    this.snapshotAt = from ? { clock: from.clock_s, seq: from.last_seq, fed: from.fed_arrival, readings: from.readings } : undefined;
    this.pending.clear();
    this.warningIds.clear();
    const stored = await loadReadings(this.sql, from?.clock_s ?? -Infinity);
    phase('readings_loaded');
    const due: Reading[] = [];
    for (const r of stored) {
      const k = this.index.item.get(r.item)!;
      const reading = { item: r.item, factor: r.factor, f: this.index.factor[k].get(r.factor)!, t: r.t_s, value: r.value };
      if (r.t_s <= this.clock) due.push(reading); else this.pending.add(reading);
    }
    this.unfed = actions.filter((a) => a.arrival > this.fedArrival);
    for (const a of actions) if (a.kind === 'warning') this.warningIds.add((JSON.parse(a.body) as { id: string }).id);
    if (Number.isFinite(this.clock)) {
      const regraded = this.grade(due, this.clock);
      phase('regraded');
      const base = from?.last_seq ?? 0;
      const storedLog = await storedChangesAfter(this.sql, base);
      const same = storedLog.length === regraded.length && storedLog.every((c, k) => {
        const r = regraded[k];
        return Number(c.seq) === base + k + 1 && c.t_s === r.t_s && c.item === r.item && c.from_level === r.from && c.to_level === r.to && c.reason === JSON.stringify(r.reason);
      });
      if (!same) throw new Error(`the change log in the database (${base + storedLog.length} changes) disagrees with a regrade of its inputs (${base + regraded.length}): refusing to serve a log that cannot be reproduced`);
      this.nextSeq = base + regraded.length + 1;
    }
    // The buffer snapshots are copied into, allocated now: the first allocation of a city-sized one
    // (90 MB at 520 000 items) costs the garbage collector most of a second, at start rather than mid-stream.
    // Long enough for every timer ring full: the state's length varies with the timers running.
    if (this.config.snapshots && this.payloadBuffer === undefined) {
      const now = this.session.saveState([this.levels, this.lastTime, this.lastValue]).state.length;
      this.payloadBuffer = new Uint8Array(now + 12 * list.queues.reduce((s, q) => s + q.capacity, 0));
    }
    this.ready = true;
    this.log({
      msg: 'state rebuilt', clock_s: this.clock, snapshot: from ? { id: from.id, clock_s: from.clock_s, last_seq: from.last_seq } : null,
      readings_regraded: due.length, pending: this.pending.size, changes: this.nextSeq - 1, seconds: Math.round(performance.now() - started) / 1000, phases,
    });
  }

  private position(): StatePosition {
    return { clock: this.clock, seq: this.nextSeq - 1, fed: this.fedArrival, readings: this.readingsGraded };
  }

  /**
   * Between cycles (after a commit, or from the timer): a snapshot when one is asked for, or when
   * the state moved since the last one and either trigger is due. Moving includes the clock alone:
   * on an idle clock hold steps and stale spells still change the state.
   */
  private maybeSnapshot(): void {
    const s = this.config.snapshots;
    if (this.snapshotting || this.closed || !this.ready || !Number.isFinite(this.clock)) return;
    if (this.snapshotWaiters.length === 0) {
      if (!s || samePosition(this.snapshotAt, this.position())) return;
      if (this.gradedSinceSnapshot < s.everyReadings && performance.now() - this.lastSnapshotAt < s.everyS * 1000) return;
    }
    this.startSnapshot();
  }

  /** Captures the committed state now and writes it in the background. */
  private startSnapshot(): void {
    const s = this.config.snapshots;
    // The only part on the writer's path: one copy of the state into a buffer kept between
    // snapshots (free again: one snapshot at a time, and its deflate is done).
    const t = performance.now();
    const payload = this.session.saveState([this.levels, this.lastTime, this.lastValue], this.payloadBuffer).state;
    const captureMs = performance.now() - t;
    const header = {
      id: this.nextSnapshotId++, clock_s: this.clock, last_seq: this.nextSeq - 1, fed_arrival: this.fedArrival, readings: this.readingsGraded,
      engine_sha256: this.snapshotKey.engine, list_sha256: this.snapshotKey.list,
    };
    this.gradedSinceSnapshot = 0;
    this.lastSnapshotAt = performance.now();
    const waiters = this.snapshotWaiters.splice(0);
    const options = { chunkBytes: s?.chunkBytes ?? snapshotParams.chunk_bytes.default!, keep: s?.keep ?? snapshotParams.keep.default! };
    const writing = { at: this.position(), abandoned: false };
    this.writing = writing;
    const abandon = () => writing.abandoned || performance.now() > this.snapshotDeadline;
    this.snapshotting = writeLogged(this.sql, payload, header, options, abandon, this.log, captureMs).then((written) => {
      if (written) { this.lastSnapshot = { ...written, captureMs }; this.snapshotAt = writing.at; }
      this.snapshotting = undefined;
      this.writing = undefined;
      for (const w of waiters) w(written?.header);
      if (this.snapshotWaiters.length > 0) this.schedule();
      this.armSnapshotTimer();
    });
  }

  /**
   * The time trigger when no cycle comes to check it (a replay clock nobody advances after its
   * last readings): due every_s after the last snapshot, it takes one between cycles if the state
   * moved, else looks again every_s later. Unref'd: it never keeps the process alive.
   */
  private armSnapshotTimer(): void {
    const s = this.config.snapshots;
    clearTimeout(this.snapshotTimer);
    if (!s || this.closed) return;
    const left = s.everyS * 1000 - (performance.now() - this.lastSnapshotAt);
    this.snapshotTimer = setTimeout(() => {
      // During a cycle the state is not committed yet; the cycle's end checks the triggers itself.
      if (!this.running) this.maybeSnapshot();
      this.armSnapshotTimer();
    }, left > 1 ? left : s.everyS * 1000);
    this.snapshotTimer.unref();
  }

  /** A snapshot after the next committed cycle, whatever the triggers; resolves once written (undefined if it was not). */
  takeSnapshot(): Promise<SnapshotHeader | undefined> {
    return new Promise((resolve) => { this.snapshotWaiters.push(resolve); this.schedule(); });
  }

  /** Feeds due readings (and every unfed operator input) to the session up to `until`. */
  private grade(due: Reading[], until: number): Change[] {
    due.sort((a, b) => a.t - b.t || a.f - b.f);
    let out: ChangeOut[];
    if (this.unfed.length > 0) {
      const feed: Record<string, unknown[]> = { readings: due.map((r) => ({ t_s: r.t, item: r.item, factor: r.factor, value: r.value })), warnings: [], events: [], pins: [] };
      for (const a of this.unfed) feed[`${a.kind}s`].push(JSON.parse(a.body));
      out = this.session.advance(feed, until).changes;
      for (const a of this.unfed) if (a.arrival > this.fedArrival) this.fedArrival = a.arrival;
      this.unfed = [];
    } else {
      out = this.session.advanceArrays({ factor: Int32Array.from(due, (r) => r.f), t_s: Float64Array.from(due, (r) => r.t), value: Float64Array.from(due, (r) => r.value) }, until).changes;
    }
    this.readingsGraded += due.length;
    this.gradedSinceSnapshot += due.length;
    for (const r of due) {
      if (r.t >= this.lastTime[r.f]) { this.lastTime[r.f] = r.t; this.lastValue[r.f] = r.value; this.touched.note(r.f); }
    }
    this.clock = until;
    return out.map((c) => {
      this.levels[this.index.item.get(c.item)!] = c.to;
      return { seq: this.nextSeq++, ...c };
    });
  }

  /**
   * Marks an input as arrived but not yet handed to the writer (its body still being read and
   * checked); call the function returned once it is answered. On the wall clock the clock stays
   * lateness_s behind the oldest such arrival, so time spent queueing inside the service never
   * turns a punctual reading into a late one.
   */
  arrived(): () => void {
    const id = this.nextArrivingId++;
    this.arriving.set(id, this.wallS());
    return () => { this.arriving.delete(id); };
  }

  onChanges(listener: (changes: Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `handedOff` is called once the writer has taken the readings into a cycle (see `arrived`). */
  submitReadings(readings: { index: number; reading: Reading }[], via: string, handedOff?: () => void): Promise<ReadingResult> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'readings', readings, via, resolve, reject, received: performance.now(), handedOff }));
  }

  submitActions(action: ActionKind, raw: unknown[], who: string): Promise<number> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'actions', action, raw, who, resolve, reject }));
  }

  advance(until: number, who: string): Promise<{ now_s: number; changes: Change[] }> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'advance', until, who, resolve, reject }));
  }

  private enqueue(entry: Entry): void {
    if (this.closed) { entry.reject(new Error('the service is shutting down')); return; }
    this.queue.push(entry);
    this.schedule();
  }

  /** Runs cycles until the queue is empty; one at a time. */
  schedule(): void {
    if (this.running || !this.ready) return;
    this.running = (async () => {
      try {
        // Whatever arrives in the same turn of the event loop (a burst of MQTT messages, several
        // requests' bodies) joins the first cycle instead of waiting for the next one.
        await new Promise((resolve) => setImmediate(resolve));
        do { await this.cycle(); } while (this.queue.length > 0 && this.ready);
      } finally {
        this.running = undefined;
      }
    })();
  }

  private async cycle(): Promise<void> {
    // Up to and including the first advance: inputs posted before it are applied by it.
    const cut = this.queue.findIndex((e) => e.kind === 'advance');
    const entries = this.queue.splice(0, cut === -1 ? this.queue.length : cut + 1);
    // Readings in this cycle are stored before the clock moves in it: the clock need not wait for them.
    for (const e of entries) if (e.kind === 'readings') e.handedOff?.();
    const started = performance.now();
    const clockBefore = this.clock;
    const write: CycleWrite = { readings: [], late: [], actions: [], audit: [], changes: [] };
    const outcomes: (() => void)[] = [];
    let advanced: Change[] = [];
    try {
      // One writer (the advisory or file lock): the look-up of late readings may precede the
      // cycle's single write statement without a transaction around both.
      await (async (tx: Sql) => {
        const lateEntries: { entry: Entry & { kind: 'readings' }; result: ReadingResult; index: number; reading: Reading }[] = [];
        for (const entry of entries) {
          if (entry.kind === 'readings') {
            const result: ReadingResult = { accepted: 0, duplicates: 0, rejected: [] };
            for (const { index, reading: r } of entry.readings) {
              // Stored readings wait in `pending` until the clock reaches them (a failed write rebuilds it).
              const earlier = this.pending.get(r.f, r.t);
              if (earlier) {
                if (earlier.value === r.value) { result.accepted++; result.duplicates++; } else result.rejected.push({ index, error: this.reject('conflict', `$[${index}]: repeats the time of an earlier reading of ${r.item}/${r.factor} with another value (got ${r.value}, expected ${earlier.value}, the value kept)`) });
              } else if (r.t <= this.clock) {
                lateEntries.push({ entry, result, index, reading: r });
              } else {
                this.pending.add(r);
                write.readings.push({ item: r.item, factor: r.factor, t_s: r.t, value: r.value, arrival: this.nextArrival++, via: entry.via });
                result.accepted++;
              }
            }
            outcomes.push(() => { this.metrics.readingsDone(result, entry.received); entry.resolve(result); });
          } else if (entry.kind === 'actions') {
            const problems: Problem[] = [];
            const parsed = PARSERS[entry.action](entry.raw, '$', this.index, { after: this.clock, until: Infinity }, problems, new Set(this.warningIds)) as { t_s: number }[];
            if (problems.length > 0) { const e = new InputError(problems); outcomes.push(() => entry.reject(e)); continue; }
            entry.raw.forEach((raw, k) => {
              const action = { arrival: this.nextArrival++, kind: entry.action, t_s: parsed[k].t_s, body: JSON.stringify(raw) };
              write.actions.push(action);
              this.unfed.push(action);
              if (entry.action === 'warning') this.warningIds.add((raw as { id: string }).id);
            });
            write.audit.push({ who: entry.who, action: `post ${entry.action}s`, detail: JSON.stringify(entry.raw) });
            outcomes.push(() => entry.resolve(entry.raw.length));
          }
        }
        // A reading at or before the clock rewrites nothing: a redelivery of a stored one is acknowledged, anything else is logged as late.
        const stored = await findReadings(tx, lateEntries.map((l) => ({ item: l.reading.item, factor: l.reading.factor, t_s: l.reading.t })));
        for (const { entry, result, index, reading: r } of lateEntries) {
          const value = stored.get(key(r.item, r.factor, r.t));
          if (value === r.value) { result.accepted++; result.duplicates++; continue; }
          write.late.push({ item: r.item, factor: r.factor, t_s: r.t, value: r.value, clock_s: this.clock, via: entry.via });
          result.rejected.push({ index, error: this.reject(value === undefined ? 'late' : 'conflict', value === undefined
            ? `$[${index}].t_s: is not after the clock: a late reading is logged, never applied (got ${r.t}, expected a time > ${this.clock})`
            : `$[${index}]: repeats the time of an applied reading of ${r.item}/${r.factor} with another value (got ${r.value}, expected ${value})`) });
        }
        const advance = entries.find((e) => e.kind === 'advance');
        let target: number | undefined;
        if (advance?.kind === 'advance') {
          if (!(advance.until >= Math.max(0, this.clock))) {
            const e = InputError.single('$.until_s', 'does not move the clock forward', advance.until, `a time ≥ ${Math.max(0, this.clock)}`);
            outcomes.push(() => advance.reject(e));
          } else {
            target = advance.until;
            write.audit.push({ who: advance.who, action: 'advance', detail: JSON.stringify({ until_s: advance.until }) });
          }
        } else if (this.config.clock === 'wall') {
          let oldest = this.wallS();
          for (const t of this.arriving.values()) if (t < oldest) oldest = t;
          const wall = oldest - this.config.limits.latenessS;
          if (wall > this.clock) target = wall;
        }
        if (target !== undefined) {
          const due = this.pending.takeDue(target);
          const gradeStart = performance.now();
          advanced = this.grade(due, target);
          this.metrics.gradeMs.add(performance.now() - gradeStart);
          write.changes = advanced.map((c) => ({ seq: c.seq, t_s: c.t_s, item: c.item, from: c.from, to: c.to, reason: JSON.stringify(c.reason) }));
          write.clock = target;
          if (advance?.kind === 'advance') outcomes.push(() => advance.resolve({ now_s: target!, changes: advanced }));
        }
        await writeCycle(tx, write);
      })(this.sql);
    } catch (error) {
      this.log({ level: 'error', msg: 'commit failed; rebuilding from the database', error: (error as Error).message });
      for (const e of entries) e.reject(new Error('the database did not commit this input; send it again'));
      this.clock = clockBefore;
      await this.recover();
      return;
    }
    this.metrics.cycleDone(performance.now() - started, write.readings.length, advanced.length);
    for (const done of outcomes) done();
    if (advanced.length > 0) for (const l of this.listeners) l(advanced);
    this.maybeSnapshot();
  }

  /** Rebuilds from the database, retrying while it is unreachable (a restart of the server). */
  private async recover(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.rebuild();
        return;
      } catch (error) {
        this.log({ level: 'error', msg: 'rebuild failed; retrying', attempt, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * attempt)));
      }
    }
  }

  private reject(reason: RejectReason, error: string): string {
    this.metrics.rejected(reason);
    return error;
  }

  /** Current state of one item: level, factors with their latest applied reading and staleness. */
  item(id: string) {
    const k = this.index.item.get(id);
    if (k === undefined) return undefined;
    const { list, itemOfIndex } = this.defs;
    const def = itemOfIndex[k];
    const now = Math.max(0, this.clock);
    return {
      id, category: def.category ?? null, area: def.area ?? null, base_level: list.base[k], level: this.levels[k], clock_s: Number.isFinite(this.clock) ? this.clock : null,
      factors: def.factors.map((f, j) => {
        const g = list.factorStart[k] + j;
        const since = this.lastTime[g] + list.staleAfter[g];
        return {
          id: f.id, direction: f.direction > 0 ? 'above' : 'below', stale_after_s: f.staleAfterS,
          last: Number.isNaN(this.lastValue[g]) ? null : { t_s: this.lastTime[g], value: this.lastValue[g] },
          stale: since < now, ...(since < now ? { stale_since_s: since } : {}),
        };
      }),
    };
  }

  stale(): { item: string; factor: string; since_s: number }[] {
    const { list, ids } = this.defs;
    return staleFactors(list, this.lastTime, Math.max(0, this.clock)).map(({ factor, since }) => ({
      item: ids[list.factorItem[factor]], factor: this.defs.itemOfIndex[list.factorItem[factor]].factors[factor - list.factorStart[list.factorItem[factor]]].id, since_s: since,
    }));
  }

  pendingCount(): number { return this.pending.size; }

  /**
   * At a graceful shutdown, after the last commit: a snapshot of the final state, so the next
   * start restores it and regrades nothing. Bounded by `at_shutdown_s`: past it every write stops
   * at its next chunk and the shutdown goes on (chunks without a header are removed at the next
   * start, and the previous snapshot serves). A write under way finishes if it already holds the
   * final state, else gives way.
   */
  private async finalSnapshot(): Promise<void> {
    const budgetS = this.config.snapshots?.atShutdownS ?? 0;
    const started = performance.now();
    this.snapshotDeadline = started + budgetS * 1000;
    const final = this.position();
    const wanted = budgetS > 0 && this.ready && Number.isFinite(this.clock) && !samePosition(this.snapshotAt, final);
    if (this.writing && !(wanted && samePosition(this.writing.at, final))) this.writing.abandoned = true;
    const withinBudget = async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.snapshotting, new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, this.snapshotDeadline - performance.now())); })]);
      clearTimeout(timer);
    };
    await withinBudget();
    if (!wanted) return;
    if (!this.snapshotting && !samePosition(this.snapshotAt, final) && performance.now() < this.snapshotDeadline) {
      this.startSnapshot();
      await withinBudget();
    }
    const seconds = Math.round(performance.now() - started) / 1000;
    if (samePosition(this.snapshotAt, final)) {
      this.log({ msg: 'final snapshot written: the next start regrades nothing', snapshot: this.lastSnapshot?.header.id, clock_s: final.clock, last_seq: final.seq, seconds });
    } else {
      // A writer still under way (a slow statement) stops at its next chunk; the database closes after it.
      if (this.writing) this.writing.abandoned = true;
      this.log({ level: 'warn', msg: 'final snapshot abandoned: not written within snapshots.at_shutdown_s; the next start restores the one before and regrades after it', budget_s: budgetS, seconds });
    }
  }

  /** The seq of the last change graded: `levels` holds its effect (its commit may still be under way). */
  get lastSeq(): number { return this.nextSeq - 1; }

  async close(): Promise<void> {
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    clearTimeout(this.snapshotTimer);
    while (this.running) await this.running;
    await this.finalSnapshot();
    for (const w of this.snapshotWaiters.splice(0)) w(undefined);
    this.session?.close();
    await this.sql.close();
  }
}
