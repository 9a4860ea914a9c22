// The trainer's session, saved in the browser as it changes and restored on reload (issue 17
// item 6): which scenario (as given, or as an imported record carried it), the MSEL as edited,
// deliveries, cancellations, decisions, ratings, the what-ifs run (and the comparison on show) and the clock. One IndexedDB record; no library.
// SCHEMA names the record's shape: a record of another shape is not restored (and not deleted),
// so a newer app never misreads an older session, nor an older app a newer one. Within that shape
// a stored value is not trusted blindly: each what-if is checked by the after-action record's own
// checker (parseWhatIfRecords), and what fails is dropped by its JSON path while the rest restores.
import type { Problem } from '../models/errors.ts';
import type { Decision } from '../models/scenario/aar.ts';
import type { Inject } from '../models/scenario/injects.ts';
import { parseWhatIfRecords, type WhatIfRecord } from '../models/scenario/whatif.ts';
import { inStore as inDbStore, openDatabase } from './idb.ts';
import { isKeptChart, type KeptChart } from './whatif-chart.ts';

export const SCHEMA = 'sandtable.session/1';
const DB = 'sandtable';
const STORE = 'session';
const KEY = 'current';

export interface Session {
  schema: typeof SCHEMA;
  saved: string;
  /** The scenario as given (a shipped one's JSON, or an imported record's scenario). */
  scenarioJson: unknown;
  injects: Inject[];
  delivered: [string, number][];
  cancelled: [string, number][];
  decisions: Decision[];
  ratings: [string, { id: string; rating: 'P' | 'S' | 'M' | 'U' | null; notes: string }][];
  clockS: number;
  /** The what-ifs run, as the record keeps them; absent in sessions saved before they were kept. */
  whatifs?: WhatIfRecord[];
  /** The what-if comparison on show, its variant's curves kept (bounded) so it returns after a reload. */
  whatif_chart?: KeptChart;
}

const openDb = (name: string) => openDatabase(name, STORE);
const inStore = <T>(db: IDBDatabase, mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>) => inDbStore(db, STORE, mode, work);

/** Whether a stored value is a session this app reads: its schema and the work it must have. */
export function isSession(value: unknown): value is Session {
  const v = value as Partial<Session> | undefined;
  return typeof v === 'object' && v !== null && v.schema === SCHEMA && typeof v.scenarioJson === 'object' && v.scenarioJson !== null
    && [v.injects, v.delivered, v.cancelled, v.decisions, v.ratings].every(Array.isArray) && typeof v.clockS === 'number';
}

/** A stored session as this app restores it, and what it dropped of it (JSON paths in the stored value). */
export interface ReadSession { session: Session; dropped: Problem[] }

/**
 * Reads a stored value: undefined when it is no session this app reads; else the session with
 * every what-if checked as an imported record's are (times within the scenario's length), those
 * that fail dropped, and the comparison on show kept only if it is well formed and its what-if stayed.
 */
export function readSession(value: unknown): ReadSession | undefined {
  if (!isSession(value)) return undefined;
  const { whatifs, whatif_chart: chart, ...rest } = value;
  const durationS = (value.scenarioJson as { duration_s?: unknown }).duration_s;
  const checked = parseWhatIfRecords(whatifs, '$.whatifs', typeof durationS === 'number' ? durationS : Infinity);
  const dropped = [...checked.problems];
  let kept: KeptChart | undefined;
  if (chart !== undefined) {
    // Checked once: a kept chart may hold up to MAX_KEPT_CHART_VALUES numbers.
    const wellFormed = isKeptChart(chart);
    const index = wellFormed ? checked.kept.indexOf(chart.index) : -1;
    if (!wellFormed) dropped.push({ path: '$.whatif_chart', message: 'is not a kept comparison', expected: '{ "base_results_sha256", "index", and "series" within the bound or "series_left_out" past it }' });
    else if (index < 0) dropped.push({ path: '$.whatif_chart.index', message: 'names no what-if kept', value: chart.index, expected: `one of the ${checked.records.length} what-ifs restored` });
    else kept = { ...chart, index };
  }
  const session: Session = { ...rest, ...(whatifs !== undefined ? { whatifs: checked.records } : {}), ...(kept ? { whatif_chart: kept } : {}) };
  return { session, dropped };
}

export class SessionStore {
  private db?: Promise<IDBDatabase>;

  constructor(private readonly name = DB) {}

  private async open(): Promise<IDBDatabase> {
    this.db ??= openDb(this.name);
    const db = await this.db;
    // Closed by a version change: open anew.
    try { db.transaction(STORE, 'readonly').abort(); } catch { this.db = openDb(this.name); return this.db; }
    return db;
  }

  async save(session: Omit<Session, 'schema' | 'saved'>): Promise<void> {
    const record: Session = { schema: SCHEMA, saved: new Date().toISOString(), ...session };
    await inStore(await this.open(), 'readwrite', (s) => s.put(record, KEY));
  }

  /** The saved session, if there is one of this schema, with what was dropped of it. */
  async read(): Promise<ReadSession | undefined> {
    return readSession(await inStore(await this.open(), 'readonly', (s) => s.get(KEY) as IDBRequest<unknown>));
  }

  /** The saved session as restored, if there is one of this schema. */
  async load(): Promise<Session | undefined> {
    return (await this.read())?.session;
  }

  async clear(): Promise<void> {
    await inStore(await this.open(), 'readwrite', (s) => s.delete(KEY));
  }

  /** Writes a raw value under the session's key (tests: an older schema). */
  async putRaw(value: unknown): Promise<void> {
    await inStore(await this.open(), 'readwrite', (s) => s.put(value, KEY));
  }
}
