// One SQL dialect (PostgreSQL's) on two engines: PGlite embedded in the process (the default, no
// server needed) and a PostgreSQL server through `pg`. Everything above this file sends the same
// statements to both.
import { mkdirSync } from 'node:fs';
import { lockDir } from './dir-lock.ts';

export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** One statement that writes, atomic on its own (no BEGIN/COMMIT round trips), run only while this process is the database's one writer. */
  write(text: string, params?: unknown[]): Promise<void>;
  /** Several statements without parameters in one round trip (a migration). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly engine: 'pglite' | 'postgres';
}

export async function openPglite(dir: string): Promise<Sql> {
  mkdirSync(dir, { recursive: true });
  const unlock = lockDir(dir, `embedded:${dir}`);
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir).catch((error: unknown) => { unlock(); throw error; });
  type Q = { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }>; exec: (script: string) => Promise<unknown> };
  const wrap = (q: Q): Pick<Sql, 'query' | 'exec'> => ({
    async query<R>(text: string, params?: unknown[]) { return (await q.query(text, params)).rows as R[]; },
    async exec(script: string) { await q.exec(script); },
  });
  const nested = { engine: 'pglite' as const, transaction: () => { throw new Error('nested transaction'); }, write: () => { throw new Error('write inside a transaction'); }, close: async () => {} };
  return {
    engine: 'pglite',
    ...wrap(db),
    async write(text, params) { await db.query(text, params); },
    transaction: (work) => db.transaction((tx) => work({ ...wrap(tx), ...nested })),
    close: async () => { try { await db.close(); } finally { unlock(); } },
  };
}

/** Advisory lock key of the one service writing a database (any fixed 64-bit number). */
const WRITER_LOCK = 7_305_931_120;

export async function openPostgres(url: string): Promise<Sql> {
  const pg = (await import('pg')).default;
  // float8 and int8 come back as JS numbers, as PGlite gives them (seq and arrival stay < 2^53).
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 701 ? Number : pg.types.getTypeParser(oid, format ?? 'text')) };
  const pool = new pg.Pool({ connectionString: url, max: 4, types: types as never });
  // Fail at start, with the server's reason, not at the first reading. One writer per database:
  // a second service on it would number changes twice. The lock lives as long as this session.
  // A restart of the server ends the session and frees the lock: it is taken again before the
  // next write, and writes fail while another service holds it.
  let holder: InstanceType<typeof pg.Client> | undefined;
  const ensureLock = async () => {
    if (holder) return;
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => { if (holder === client) holder = undefined; });
    client.on('end', () => { if (holder === client) holder = undefined; });
    await client.connect();
    const [{ locked }] = (await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${WRITER_LOCK}) AS locked`)).rows;
    if (!locked) {
      await client.end();
      throw new Error('another risklist serve holds this database (advisory lock taken)');
    }
    holder = client;
  };
  await ensureLock();
  pool.on('error', () => { /* a dropped idle connection: the next query reconnects or fails visibly */ });
  // Statements with parameters are prepared once per connection (the write cycle's is parsed and
  // planned once, not on every cycle).
  const names = new Map<string, string>();
  const named = (text: string, values?: unknown[]) => {
    if (values === undefined) return { text };
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `sandtable_${names.size + 1}`));
    return { name, text, values };
  };
  const query = async <R>(text: string, params?: unknown[]) => (await pool.query(named(text, params))).rows as R[];
  return {
    engine: 'postgres',
    query,
    async write(text, params) {
      await ensureLock();
      await pool.query(named(text, params));
    },
    async exec(script) { await pool.query(script); },
    async transaction(work) {
      await ensureLock();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Sql = {
          engine: 'postgres',
          query: async <R>(text: string, params?: unknown[]) => (await client.query(named(text, params))).rows as R[],
          exec: async (script: string) => { await client.query(script); },
          transaction: () => { throw new Error('nested transaction'); },
          write: () => { throw new Error('write inside a transaction'); },
          close: async () => {},
        };
        const out = await work(tx);
        await client.query('COMMIT');
        return out;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => { await pool.end(); const h = holder; holder = undefined; await h?.end().catch(() => {}); },
  };
}
