// Regions opened from a link or from local files, kept in this browser for offline use: every
// file as a Blob in IndexedDB (the pattern of session-store.ts, in a database of its own so the
// session's schema is untouched), and which region was open last, reopened on reload.
import { inStore as inDbStore, openDatabase } from './idb.ts';

export const SCHEMA = 'sandtable.region-copy/1';
const DB = 'sandtable-regions';
const STORE = 'regions';
const LAST = 'last';

/** A scenario that came with a region: its JSON and the files it names beside itself, by that name. */
export interface StoredScenario { id: string; json: unknown; files: Record<string, Blob> }

export interface StoredRegion {
  schema: typeof SCHEMA;
  /** `link:<region.json URL>` or `files:<folder or zip name>`. */
  key: string;
  origin: 'link' | 'files';
  /** The link or the file name, as the trainer gave it. */
  source: string;
  saved: string;
  /** The region folder's files, by path inside it (region.json, dem.asc, radar/rain-h00.asc, …). */
  files: Record<string, Blob>;
  scenarios: StoredScenario[];
}

/** One request on the kept regions' store; the database is closed again after each. */
async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase(DB, STORE);
  try {
    return await inDbStore(db, STORE, mode, work);
  } finally {
    db.close();
  }
}

const isStoredRegion = (value: unknown): value is StoredRegion => {
  const v = value as Partial<StoredRegion> | undefined;
  return typeof v === 'object' && v !== null && v.schema === SCHEMA && typeof v.key === 'string' && typeof v.files === 'object' && Array.isArray(v.scenarios);
};

/** Keeps `region` and marks it the one open. */
export async function keepRegion(region: StoredRegion): Promise<void> {
  await inStore('readwrite', (s) => s.put(region, region.key));
  await inStore('readwrite', (s) => s.put(region.key, LAST));
}

export async function storedRegion(key: string): Promise<StoredRegion | undefined> {
  const value = await inStore('readonly', (s) => s.get(key) as IDBRequest<unknown>);
  return isStoredRegion(value) ? value : undefined;
}

/** The region open when the page was left, if it was not the shipped one. */
export async function lastRegion(): Promise<StoredRegion | undefined> {
  const key = await inStore('readonly', (s) => s.get(LAST) as IDBRequest<unknown>);
  return typeof key === 'string' ? storedRegion(key) : undefined;
}

/** Back to the shipped region on reload (the kept copies stay). */
export async function forgetLast(): Promise<void> {
  await inStore('readwrite', (s) => s.delete(LAST));
}
