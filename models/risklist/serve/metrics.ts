// Counters and recent timings for /metrics (Prometheus text format 0.0.4).
import type { RejectReason } from './ingest.ts';

/** A ring of the latest samples, for quantiles without unbounded memory. */
class Recent {
  private readonly values: Float64Array;
  private n = 0;
  constructor(size: number) { this.values = new Float64Array(size); }
  add(v: number): void { this.values[this.n++ % this.values.length] = v; }
  quantile(q: number): number {
    const count = Math.min(this.n, this.values.length);
    if (count === 0) return NaN;
    const sorted = this.values.slice(0, count).sort();
    return sorted[Math.min(count - 1, Math.floor(q * count))];
  }
}

export class Metrics {
  readingsAccepted = 0;
  readingsDuplicate = 0;
  readingsStored = 0;
  changes = 0;
  cycles = 0;
  readonly rejects = new Map<RejectReason, number>();
  readonly requests = new Map<string, number>();
  /** Reading received → its cycle committed, ms. */
  readonly ackMs = new Recent(8192);
  readonly cycleMs = new Recent(1024);
  /** The wasm grading part of a cycle (the rest is SQL and bookkeeping). */
  readonly gradeMs = new Recent(1024);
  /** (time ms, readings stored so far) once a second, for readings/s. */
  private readonly rate: [number, number][] = [];

  rejected(reason: RejectReason, n = 1): void { this.rejects.set(reason, (this.rejects.get(reason) ?? 0) + n); }
  request(route: string, status: number): void {
    const k = `route="${route}",code="${status}"`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
  }

  readingsDone(r: { accepted: number; duplicates: number }, receivedMs: number): void {
    this.readingsAccepted += r.accepted;
    this.readingsDuplicate += r.duplicates;
    this.ackMs.add(performance.now() - receivedMs);
  }

  cycleDone(ms: number, stored: number, changes: number): void {
    this.cycles++;
    this.readingsStored += stored;
    this.changes += changes;
    this.cycleMs.add(ms);
    const now = Date.now();
    if (this.rate.length === 0 || now - this.rate[this.rate.length - 1][0] >= 1000) {
      this.rate.push([now, this.readingsStored]);
      if (this.rate.length > 11) this.rate.shift();
    }
  }

  /** Readings stored per second over the last ten seconds. */
  readingsPerS(): number {
    if (this.rate.length < 2) return 0;
    const [t0, n0] = this.rate[0];
    const [t1, n1] = this.rate[this.rate.length - 1];
    return t1 > t0 ? ((n1 - n0) * 1000) / (t1 - t0) : 0;
  }

  text(gauges: { clockS: number; lagS: number; pending: number; stale: number; items: number; ready: boolean }): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of samples) lines.push(`${name}${labels ? `{${labels}}` : ''} ${Number.isFinite(v) ? v : 'NaN'}`);
    };
    metric('sandtable_readings_accepted_total', 'counter', 'Readings acknowledged (duplicates included)', [['', this.readingsAccepted]]);
    metric('sandtable_readings_duplicate_total', 'counter', 'Readings acknowledged as repeats of a stored one', [['', this.readingsDuplicate]]);
    metric('sandtable_readings_rejected_total', 'counter', 'Readings refused, by reason', [...this.rejects].map(([r, n]) => [`reason="${r}"`, n] as [string, number]));
    metric('sandtable_readings_per_second', 'gauge', 'Readings stored per second, last 10 s', [['', this.readingsPerS()]]);
    metric('sandtable_changes_total', 'counter', 'Level changes logged', [['', this.changes]]);
    metric('sandtable_ack_ms', 'summary', 'Reading received to acknowledged (its cycle committed), recent', [['quantile="0.5"', this.ackMs.quantile(0.5)], ['quantile="0.99"', this.ackMs.quantile(0.99)]]);
    metric('sandtable_cycle_ms', 'summary', 'One write cycle (grade + commit), recent', [['quantile="0.5"', this.cycleMs.quantile(0.5)], ['quantile="0.99"', this.cycleMs.quantile(0.99)]]);
    metric('sandtable_grade_ms', 'summary', 'Grading on the wasm session within a cycle, recent', [['quantile="0.5"', this.gradeMs.quantile(0.5)], ['quantile="0.99"', this.gradeMs.quantile(0.99)]]);
    metric('sandtable_clock_seconds', 'gauge', 'Grading clock, s from the epoch', [['', gauges.clockS]]);
    metric('sandtable_lag_seconds', 'gauge', 'Wall clock minus grading clock (wall clock only)', [['', gauges.lagS]]);
    metric('sandtable_pending_readings', 'gauge', 'Readings stored ahead of the clock', [['', gauges.pending]]);
    metric('sandtable_stale_factors', 'gauge', 'Factors without a fresh reading', [['', gauges.stale]]);
    metric('sandtable_items', 'gauge', 'Items on the list', [['', gauges.items]]);
    metric('sandtable_ready', 'gauge', '1 when serving', [['', gauges.ready ? 1 : 0]]);
    metric('sandtable_http_requests_total', 'counter', 'HTTP requests by route and status', [...this.requests]);
    return lines.join('\n') + '\n';
  }
}
