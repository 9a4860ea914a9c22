// The service's state in SQL: the list (items, factors, thresholds), every input accepted
// (readings keyed by item, factor and time; warnings, events and pins in arrival order), the
// clock, the append-only change log, the current level of every item, and the audit log of
// operator actions. The grading state in wasm is derived: rebuilt from these tables at start,
// from the newest usable snapshot of it (./snapshot.ts) when there is one.
import { InputError } from '../../errors.ts';
import type { PackedDefs } from '../list.ts';
import type { Sql } from './sql.ts';

/** Versioned migrations: applied in order once, each recorded in schema_migrations. */
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE items (id text PRIMARY KEY, category text, area text, base_level int NOT NULL, hold_2_s float8, hold_3_s float8, hold_4_s float8);
CREATE TABLE factors (item text NOT NULL REFERENCES items (id), factor text NOT NULL, position int NOT NULL, direction text NOT NULL,
  deadband float8 NOT NULL, on_delay_s float8 NOT NULL, stale_after_s float8 NOT NULL, PRIMARY KEY (item, factor));
CREATE TABLE thresholds (item text NOT NULL, factor text NOT NULL, level int NOT NULL, value float8 NOT NULL,
  PRIMARY KEY (item, factor, level), FOREIGN KEY (item, factor) REFERENCES factors (item, factor));
CREATE TABLE readings (item text NOT NULL, factor text NOT NULL, t_s float8 NOT NULL, value float8 NOT NULL,
  arrival bigint NOT NULL, via text NOT NULL, PRIMARY KEY (item, factor, t_s));
CREATE INDEX readings_t_s ON readings (t_s);
CREATE TABLE actions (arrival bigint PRIMARY KEY, kind text NOT NULL, t_s float8 NOT NULL, body text NOT NULL);
CREATE TABLE changes (seq bigint PRIMARY KEY, t_s float8 NOT NULL, item text NOT NULL, from_level int NOT NULL, to_level int NOT NULL, reason text NOT NULL);
CREATE INDEX changes_item ON changes (item, seq);
CREATE TABLE item_state (item text PRIMARY KEY REFERENCES items (id), level int NOT NULL, changed_s float8, seq bigint);
CREATE TABLE late_readings (id bigserial PRIMARY KEY, item text NOT NULL, factor text NOT NULL, t_s float8 NOT NULL, value float8 NOT NULL,
  clock_s float8 NOT NULL, via text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), who text NOT NULL, action text NOT NULL, detail text NOT NULL);
-- The latest applied reading of every factor: readings up to the clock.
CREATE VIEW factor_state AS
  SELECT DISTINCT ON (item, factor) item, factor, t_s, value FROM readings
  WHERE t_s <= (SELECT value::float8 FROM meta WHERE key = 'clock_s')
  ORDER BY item, factor, t_s DESC;
`,
  },
  {
    // Snapshots of the grading state (./snapshot.ts). Chunks are written first, one statement
    // each; the header row, written last in one statement, is what makes a snapshot exist: chunks
    // without one are a write cut short, never read.
    version: 2,
    sql: `
CREATE TABLE snapshots (id bigint PRIMARY KEY, taken_at timestamptz NOT NULL DEFAULT now(),
  clock_s float8 NOT NULL, last_seq bigint NOT NULL, fed_arrival bigint NOT NULL, readings bigint NOT NULL,
  engine_sha256 text NOT NULL, list_sha256 text NOT NULL, bytes bigint NOT NULL, chunks int NOT NULL, sha256 text NOT NULL);
CREATE TABLE snapshot_chunks (snapshot bigint NOT NULL, k int NOT NULL, data bytea NOT NULL, PRIMARY KEY (snapshot, k));
`,
  },
];

export async function migrate(sql: Sql): Promise<number> {
  await sql.query('CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const done = new Set((await sql.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await sql.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
    });
  }
  return Math.max(...MIGRATIONS.map((m) => m.version));
}

const CHUNK = 20_000;
async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let k = 0; k < rows.length; k += CHUNK) await write(rows.slice(k, k + CHUNK));
}
const col = <T, V>(rows: T[], f: (r: T) => V): V[] => rows.map(f);

/** Writes the list into a fresh database, or checks that the database holds this very list. */
export async function installList(sql: Sql, defs: PackedDefs, listHash: string, epochMs: number): Promise<{ epochMs: number }> {
  const meta = new Map((await sql.query<{ key: string; value: string }>('SELECT key, value FROM meta')).map((r) => [r.key, r.value]));
  if (meta.has('list_sha256')) {
    if (meta.get('list_sha256') !== listHash) {
      throw InputError.single('$.items', 'differ from the list this database was started with', undefined, 'the same items and settings as before, or a new database (its log is graded against the old list)');
    }
    const stored = Number(meta.get('epoch_ms'));
    if (epochMs !== stored) throw InputError.single('$.epoch', 'differs from the epoch this database was started with', new Date(epochMs).toISOString(), new Date(stored).toISOString());
    return { epochMs: stored };
  }
  const epoch = epochMs;
  await sql.transaction(async (tx) => {
    const items = defs.itemOfIndex;
    await inChunks(items, (c) => tx.query(
      `INSERT INTO items SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[])`,
      [col(c, (i) => i.id), col(c, (i) => i.category ?? null), col(c, (i) => i.area ?? null), col(c, (i) => i.base), col(c, (i) => i.holdS[2]), col(c, (i) => i.holdS[3]), col(c, (i) => i.holdS[4])],
    ));
    const factors = items.flatMap((item) => item.factors.map((f, position) => ({ item: item.id, f, position })));
    await inChunks(factors, (c) => tx.query(
      `INSERT INTO factors SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::float8[], $6::float8[], $7::float8[])`,
      [col(c, (r) => r.item), col(c, (r) => r.f.id), col(c, (r) => r.position), col(c, (r) => (r.f.direction > 0 ? 'above' : 'below')),
        col(c, (r) => r.f.deadband), col(c, (r) => r.f.onDelayS), col(c, (r) => r.f.staleAfterS)],
    ));
    const thresholds = factors.flatMap((r) => r.f.thresholds.map((value, l) => ({ item: r.item, factor: r.f.id, level: l + 1, value })).filter((t) => !Number.isNaN(t.value)));
    await inChunks(thresholds, (c) => tx.query(
      `INSERT INTO thresholds SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[])`,
      [col(c, (t) => t.item), col(c, (t) => t.factor), col(c, (t) => t.level), col(c, (t) => t.value)],
    ));
    await inChunks(items, (c) => tx.query(`INSERT INTO item_state (item, level) SELECT * FROM unnest($1::text[], $2::int[])`, [col(c, (i) => i.id), col(c, (i) => i.base)]));
    await tx.query(`INSERT INTO meta VALUES ('list_sha256', $1), ('epoch_ms', $2), ('clock_s', '-Infinity')`, [listHash, String(epoch)]);
  });
  return { epochMs: epoch };
}

export interface StoredReading { item: string; factor: string; t_s: number; value: number; arrival: number }
export interface StoredAction { arrival: number; kind: 'warning' | 'event' | 'pin'; t_s: number; body: string }
export interface StoredChange { seq: number; t_s: number; item: string; from: number; to: number; reason: string }

/** The stored clock, the last change's seq and the last input's arrival number. */
export async function loadPosition(sql: Sql) {
  const clock = Number((await sql.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'clock_s'`))[0].value);
  const last = await sql.query<{ seq: number | null; arrival: number | null }>(
    'SELECT (SELECT max(seq) FROM changes) AS seq, greatest((SELECT max(arrival) FROM readings), (SELECT max(arrival) FROM actions)) AS arrival');
  return { clock, lastSeq: Number(last[0].seq ?? 0), lastArrival: Number(last[0].arrival ?? 0) };
}

export async function loadActions(sql: Sql): Promise<StoredAction[]> {
  return sql.query<StoredAction>('SELECT arrival, kind, t_s, body FROM actions ORDER BY arrival');
}

/** The stored readings after `after` (a snapshot's clock covers the rest; -Infinity: all). */
export async function loadReadings(sql: Sql, after = -Infinity): Promise<StoredReading[]> {
  return after === -Infinity
    ? sql.query<StoredReading>('SELECT item, factor, t_s, value, arrival FROM readings')
    : sql.query<StoredReading>('SELECT item, factor, t_s, value, arrival FROM readings WHERE t_s > $1', [after]);
}

export interface CycleWrite {
  readings: (StoredReading & { via: string })[];
  /** Refused as late: `clock_s` is the clock each one missed. */
  late: { item: string; factor: string; t_s: number; value: number; clock_s: number; via: string }[];
  actions: StoredAction[];
  audit: { who: string; action: string; detail: string }[];
  changes: StoredChange[];
  /** The new clock, when it moved. */
  clock?: number;
}

/**
 * A cycle's whole write as one statement (data-modifying CTEs, rows as JSON parameters): one
 * round trip and one implicit transaction, atomic as a statement is, instead of BEGIN, an INSERT
 * or UPDATE per table and COMMIT. JSON numbers are printed shortest-round-trip by JSON.stringify
 * and read back by float8in: the stored doubles are the graded ones.
 */
const CYCLE_SQL = `WITH
  r AS (INSERT INTO readings SELECT * FROM json_to_recordset($1::json) AS x(item text, factor text, t_s float8, value float8, arrival int8, via text) ON CONFLICT DO NOTHING),
  l AS (INSERT INTO late_readings (item, factor, t_s, value, clock_s, via) SELECT * FROM json_to_recordset($2::json) AS x(item text, factor text, t_s float8, value float8, clock_s float8, via text)),
  a AS (INSERT INTO actions SELECT * FROM json_to_recordset($3::json) AS x(arrival int8, kind text, t_s float8, body text)),
  au AS (INSERT INTO audit (who, action, detail) SELECT * FROM json_to_recordset($4::json) AS x(who text, action text, detail text)),
  c AS (INSERT INTO changes SELECT * FROM json_to_recordset($5::json) AS x(seq int8, t_s float8, item text, from_level int, to_level int, reason text)),
  s AS (UPDATE item_state s SET level = u.level, changed_s = u.t_s, seq = u.seq FROM json_to_recordset($6::json) AS u(item text, level int, t_s float8, seq int8) WHERE s.item = u.item),
  m AS (UPDATE meta SET value = $7 WHERE key = 'clock_s' AND $7::text IS NOT NULL)
SELECT 1`;

export async function writeCycle(sql: Sql, w: CycleWrite): Promise<void> {
  const lastOfItem = new Map<string, StoredChange>();
  for (const c of w.changes) lastOfItem.set(c.item, c);
  await sql.write(CYCLE_SQL, [
    JSON.stringify(w.readings),
    JSON.stringify(w.late),
    JSON.stringify(w.actions),
    JSON.stringify(w.audit),
    JSON.stringify(w.changes.map((c) => ({ seq: c.seq, t_s: c.t_s, item: c.item, from_level: c.from, to_level: c.to, reason: c.reason }))),
    JSON.stringify([...lastOfItem.values()].map((c) => ({ item: c.item, level: c.to, t_s: c.t_s, seq: c.seq }))),
    w.clock === undefined ? null : String(w.clock),
  ]);
}

/** Stored readings with these keys (a late arrival may be a redelivery of one already applied). */
export async function findReadings(tx: Sql, keys: { item: string; factor: string; t_s: number }[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.query<{ item: string; factor: string; t_s: number; value: number }>(
    `SELECT r.item, r.factor, r.t_s, r.value FROM readings r JOIN unnest($1::text[], $2::text[], $3::float8[]) AS k(item, factor, t_s)
     ON r.item = k.item AND r.factor = k.factor AND r.t_s = k.t_s`,
    [col(keys, (k) => k.item), col(keys, (k) => k.factor), col(keys, (k) => k.t_s)],
  );
  return new Map(rows.map((r) => [`${r.item}\u0000${r.factor}\u0000${r.t_s}`, r.value]));
}

/** The stored change log after `seq`, in order (what a regrade from that point must reproduce). */
export async function storedChangesAfter(sql: Sql, seq: number) {
  return sql.query<{ seq: number; t_s: number; item: string; from_level: number; to_level: number; reason: string }>(
    'SELECT seq, t_s, item, from_level, to_level, reason FROM changes WHERE seq > $1 ORDER BY seq', [seq]);
}

export async function changesAfter(sql: Sql, after: number, limit: number, item?: string): Promise<StoredChange[]> {
  const rows = await sql.query<{ seq: number; t_s: number; item: string; from_level: number; to_level: number; reason: string }>(
    item === undefined
      ? 'SELECT seq, t_s, item, from_level, to_level, reason FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2'
      : 'SELECT seq, t_s, item, from_level, to_level, reason FROM changes WHERE seq > $1 AND item = $3 ORDER BY seq LIMIT $2',
    item === undefined ? [after, limit] : [after, limit, item],
  );
  return rows.map((r) => ({ seq: Number(r.seq), t_s: r.t_s, item: r.item, from: r.from_level, to: r.to_level, reason: r.reason }));
}
