// The trainer's session, saved in the browser as it changes and restored on reload (issue 17
// item 6): which scenario (as given, or as an imported record carried it), the MSEL as edited,
// deliveries, cancellations, decisions, ratings, the what-ifs run (and the comparison on show) and the clock. One IndexedDB record; no library.
// SCHEMA names the record's shape: a record of another shape is not restored (and not deleted),
// so a newer app never misreads an older session, nor an older app a newer one.
import type { Decision } from '../models/scenario/aar.ts';
import type { Inject } from '../models/scenario/injects.ts';
import type { WhatIfRecord } from '../models/scenario/whatif.ts';
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

/** Whether a stored value is a session this app reads. */
export function isSession(value: unknown): value is Session {
  const v = value as Partial<Session> | undefined;
  return typeof v === 'object' && v !== null && v.schema === SCHEMA && typeof v.scenarioJson === 'object'
    && [v.injects, v.delivered, v.cancelled, v.decisions, v.ratings].every(Array.isArray) && typeof v.clockS === 'number'
    && (v.whatifs === undefined || Array.isArray(v.whatifs)) && (v.whatif_chart === undefined || isKeptChart(v.whatif_chart));
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

  /** The saved session, if there is one of this schema. */
  async load(): Promise<Session | undefined> {
    const value = await inStore(await this.open(), 'readonly', (s) => s.get(KEY) as IDBRequest<unknown>);
    return isSession(value) ? value : undefined;
  }

  async clear(): Promise<void> {
    await inStore(await this.open(), 'readwrite', (s) => s.delete(KEY));
  }

  /** Writes a raw value under the session's key (tests: an older schema). */
  async putRaw(value: unknown): Promise<void> {
    await inStore(await this.open(), 'readwrite', (s) => s.put(value, KEY));
  }
}
