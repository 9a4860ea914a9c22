// When the grading state is snapshotted (./snapshot.ts says how it is written and read): after a
// committed cycle once `every_readings` readings were graded or `every_s` passed, provided the
// state moved since the last snapshot; from a timer when no cycle comes to check (a replay clock
// left idle); on request (tests, benchmarks); and once more at a graceful shutdown, within the
// `at_shutdown_s` budget. One write at a time; the service captures, this decides and writes.
import type { SnapshotConfig } from './config.ts';
import { writeLogged, type SnapshotHeader } from './snapshot.ts';
import { snapshotParams } from './spec.ts';
import type { Sql } from './sql.ts';

/** Where the committed grading state stands: a snapshot is due only once the state moved past the last one. */
export interface StatePosition { clock: number; seq: number; fed: number; readings: number }
const samePosition = (a: StatePosition | undefined, b: StatePosition) => a !== undefined && a.clock === b.clock && a.seq === b.seq && a.fed === b.fed && a.readings === b.readings;

export type CapturedHeader = Omit<SnapshotHeader, 'id' | 'bytes' | 'chunks' | 'sha256'>;

/** What the cadence needs of the service. */
export interface SnapshotHost {
  /** The committed state may be captured: rebuilt, and the clock started. */
  capturable(): boolean;
  /** A write cycle is under way (its state is not committed yet). */
  inCycle(): boolean;
  position(): StatePosition;
  /** One copy of the committed state (the only part on the writer's path) and its header. */
  capture(): { payload: Uint8Array; header: CapturedHeader };
  /** Runs a cycle soon (a requested snapshot is taken after it). */
  wake(): void;
}

export class SnapshotCadence {
  /** The last snapshot written: its header, how long the capture held the writer and the write took. */
  lastWritten: { header: SnapshotHeader; captureMs: number; compressMs: number; writeMs: number; compressed: number } | undefined;
  private gradedSince = 0;
  private lastAt = performance.now();
  /** The state the newest snapshot written or restored holds. */
  private at: StatePosition | undefined;
  private snapshotting: Promise<void> | undefined;
  /** The write under way: the state it holds, and whether it should stop at its next chunk. */
  private writing: { at: StatePosition; abandoned: boolean } | undefined;
  /** Every write stops at its next chunk once performance.now() passes this (the shutdown budget). */
  private deadline = Infinity;
  private timer: NodeJS.Timeout | undefined;
  private waiters: ((header: SnapshotHeader | undefined) => void)[] = [];
  private closed = false;

  constructor(
    private readonly config: SnapshotConfig | undefined, private readonly sql: Sql, private readonly log: (fields: Record<string, unknown>) => void,
    private readonly host: SnapshotHost, private nextId: number,
  ) {}

  graded(readings: number): void { this.gradedSince += readings; }

  /** After a rebuild: the snapshot it started from (or none), and nothing graded since. */
  restored(from: SnapshotHeader | undefined): void {
    this.gradedSince = 0;
    this.at = from ? { clock: from.clock_s, seq: from.last_seq, fed: from.fed_arrival, readings: from.readings } : undefined;
  }

  /**
   * Between cycles (after a commit, or from the timer): a snapshot when one is asked for, or when
   * the state moved since the last one and either trigger is due. Moving includes the clock alone:
   * on an idle clock hold steps and stale spells still change the state.
   */
  check(): void {
    const s = this.config;
    if (this.snapshotting || this.closed || !this.host.capturable()) return;
    if (this.waiters.length === 0) {
      if (!s || samePosition(this.at, this.host.position())) return;
      if (this.gradedSince < s.everyReadings && performance.now() - this.lastAt < s.everyS * 1000) return;
    }
    this.start();
  }

  /** A snapshot after the next committed cycle, whatever the triggers; resolves once written (undefined if it was not). */
  take(): Promise<SnapshotHeader | undefined> {
    return new Promise((resolve) => { this.waiters.push(resolve); this.host.wake(); });
  }

  /** Captures the committed state now and writes it in the background. */
  private start(): void {
    const s = this.config;
    const t = performance.now();
    const { payload, header } = this.host.capture();
    const captureMs = performance.now() - t;
    this.gradedSince = 0;
    this.lastAt = performance.now();
    const waiters = this.waiters.splice(0);
    const options = { chunkBytes: s?.chunkBytes ?? snapshotParams.chunk_bytes.default!, keep: s?.keep ?? snapshotParams.keep.default! };
    const writing = { at: this.host.position(), abandoned: false };
    this.writing = writing;
    const abandon = () => writing.abandoned || performance.now() > this.deadline;
    this.snapshotting = writeLogged(this.sql, payload, { id: this.nextId++, ...header }, options, abandon, this.log, captureMs).then((written) => {
      if (written) { this.lastWritten = { ...written, captureMs }; this.at = writing.at; }
      this.snapshotting = undefined;
      this.writing = undefined;
      for (const w of waiters) w(written?.header);
      if (this.waiters.length > 0) this.host.wake();
      this.arm();
    });
  }

  /**
   * The time trigger when no cycle comes to check it (a replay clock nobody advances after its
   * last readings): due every_s after the last snapshot, it takes one between cycles if the state
   * moved, else looks again every_s later. Unref'd: it never keeps the process alive.
   */
  arm(): void {
    const s = this.config;
    clearTimeout(this.timer);
    if (!s || this.closed) return;
    const left = s.everyS * 1000 - (performance.now() - this.lastAt);
    this.timer = setTimeout(() => {
      // During a cycle the state is not committed yet; the cycle's end checks the triggers itself.
      if (!this.host.inCycle()) this.check();
      this.arm();
    }, left > 1 ? left : s.everyS * 1000);
    this.timer.unref();
  }

  /**
   * At a graceful shutdown, after the last commit: a snapshot of the final state, so the next
   * start restores it and regrades nothing. Bounded by `at_shutdown_s`: past it every write stops
   * at its next chunk and the shutdown goes on (chunks without a header are removed at the next
   * start, and the previous snapshot serves). A write under way finishes if it already holds the
   * final state, else gives way. Requested snapshots still waiting are answered undefined.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const budgetS = this.config?.atShutdownS ?? 0;
    const started = performance.now();
    this.deadline = started + budgetS * 1000;
    const final = this.host.position();
    const wanted = budgetS > 0 && this.host.capturable() && !samePosition(this.at, final);
    if (this.writing && !(wanted && samePosition(this.writing.at, final))) this.writing.abandoned = true;
    const withinBudget = async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.snapshotting, new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, this.deadline - performance.now())); })]);
      clearTimeout(timer);
    };
    await withinBudget();
    if (wanted) {
      if (!this.snapshotting && !samePosition(this.at, final) && performance.now() < this.deadline) {
        this.start();
        await withinBudget();
      }
      const seconds = Math.round(performance.now() - started) / 1000;
      if (samePosition(this.at, final)) {
        this.log({ msg: 'final snapshot written: the next start regrades nothing', snapshot: this.lastWritten?.header.id, clock_s: final.clock, last_seq: final.seq, seconds });
      } else {
        // A writer still under way (a slow statement) stops at its next chunk; the database closes after it.
        if (this.writing) this.writing.abandoned = true;
        this.log({ level: 'warn', msg: 'final snapshot abandoned: not written within snapshots.at_shutdown_s; the next start restores the one before and regrades after it', budget_s: budgetS, seconds });
      }
    }
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
