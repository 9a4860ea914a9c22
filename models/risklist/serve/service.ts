// The live risk list: one writer that groups whatever arrived (readings, operator inputs, clock
// advances) into one database transaction per cycle, grades on the wasm streaming session, and
// answers each caller only after that transaction committed. The grading state is rebuilt from
// the stored inputs at start (and after a failed commit), from the newest usable snapshot of it
// (./snapshot.ts) when there is one, and the rebuilt log must equal the stored one; when to take
// snapshots is ./snapshot-cadence.ts's decision.
// Over ~400 lines for a reason: the writer's state (queue, pending readings, sequence numbers) is
// changed only by this one class, so a cycle's commit and its effects stay in step.
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
import { engineKey, listKey, newestSnapshot, nextSnapshotId, removeTornChunks, unpackPayload, type SnapshotHeader, type SnapshotKey } from './snapshot.ts';
import { SnapshotCadence, type SnapshotHost } from './snapshot-cadence.ts';
import { findReadings, installList, loadActions, loadPosition, loadReadings, migrate, storedChangesAfter, writeCycle, type CycleWrite, type StoredAction } from './store.ts';

export interface Change extends ChangeOut { seq: number }
export type ActionKind = 'warning' | 'event' | 'pin';
export interface ReadingResult { accepted: number; duplicates: number; rejected: { index: number; error: string }[] }

type Entry =
  | { kind: 'readings'; readings: { index: number; reading: Reading }[]; via: string; resolve: (r: ReadingResult) => void; reject: (e: unknown) => void; received: number; handedOff?: () => void }
  | { kind: 'actions'; action: ActionKind; raw: unknown[]; who: string; resolve: (n: number) => void; reject: (e: unknown) => void }
  | { kind: 'advance'; until: number; who: string; resolve: (r: { now_s: number; changes: Change[] }) => void; reject: (e: unknown) => void };

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
  /** Operator inputs up to this arrival have been fed to the session (a prefix: they are fed in arrival order). */
  private fedArrival = 0;
  private readingsGraded = 0;
  private payloadBuffer: Uint8Array | undefined;
  private snapshots!: SnapshotCadence;
  /** The last snapshot written: its header, how long the capture held the writer and the write took. */
  get lastSnapshot() { return this.snapshots.lastWritten; }

  private constructor(readonly config: ServeConfig, readonly sql: Sql, private readonly kernels: Kernels, private readonly log: (fields: Record<string, unknown>) => void) {}

  static async open(config: ServeConfig, sql: Sql, kernels: Kernels, log: (fields: Record<string, unknown>) => void): Promise<RisklistService> {
    const s = new RisklistService(config, sql, kernels, log);
    await migrate(sql);
    s.openSession();
    ({ epochMs: s.epochMs } = await installList(sql, s.session.defs, config.listHash, config.epochMs ?? 0));
    s.snapshotKey = { engine: engineKey(await readKernelBytes()), list: listKey(s.defs) };
    const torn = await removeTornChunks(sql);
    if (torn > 0) log({ level: 'warn', msg: 'removed the chunks of a snapshot whose write was cut short', chunks: torn });
    s.snapshots = new SnapshotCadence(config.snapshots, sql, log, s.snapshotHost(), await nextSnapshotId(sql));
    await s.rebuild();
    if (config.clock === 'wall') s.tickTimer = setInterval(() => s.schedule(), config.limits.tickS * 1000);
    s.snapshots.arm();
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
    this.snapshots.restored(from);
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

  private snapshotHost(): SnapshotHost {
    return {
      capturable: () => this.ready && Number.isFinite(this.clock),
      inCycle: () => this.running !== undefined,
      position: () => ({ clock: this.clock, seq: this.nextSeq - 1, fed: this.fedArrival, readings: this.readingsGraded }),
      // One copy of the state into a buffer kept between snapshots (free again: one snapshot at a
      // time, and its deflate is done).
      capture: () => ({
        payload: this.session.saveState([this.levels, this.lastTime, this.lastValue], this.payloadBuffer).state,
        header: {
          clock_s: this.clock, last_seq: this.nextSeq - 1, fed_arrival: this.fedArrival, readings: this.readingsGraded,
          engine_sha256: this.snapshotKey.engine, list_sha256: this.snapshotKey.list,
        },
      }),
      wake: () => this.schedule(),
    };
  }

  /** A snapshot after the next committed cycle, whatever the triggers; resolves once written (undefined if it was not). */
  takeSnapshot(): Promise<SnapshotHeader | undefined> { return this.snapshots.take(); }

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
    this.snapshots.graded(due.length);
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
    this.snapshots.check();
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

  /** The seq of the last change graded: `levels` holds its effect (its commit may still be under way). */
  get lastSeq(): number { return this.nextSeq - 1; }

  async close(): Promise<void> {
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    while (this.running) await this.running;
    await this.snapshots.close();
    this.session?.close();
    await this.sql.close();
  }
}
