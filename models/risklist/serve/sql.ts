// One SQL dialect (PostgreSQL's) on two engines: PGlite embedded in the process (the default, no
// server needed) and a PostgreSQL server through `pg`. Everything above this file sends the same
// statements to both.
import { mkdirSync } from 'node:fs';

export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Several statements without parameters in one round trip (a migration). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly engine: 'pglite' | 'postgres';
}

export async function openPglite(dir: string): Promise<Sql> {
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  type Q = { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }>; exec: (script: string) => Promise<unknown> };
  const wrap = (q: Q): Pick<Sql, 'query' | 'exec'> => ({
    async query<R>(text: string, params?: unknown[]) { return (await q.query(text, params)).rows as R[]; },
    async exec(script: string) { await q.exec(script); },
  });
  return {
    engine: 'pglite',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work({ ...wrap(tx), engine: 'pglite', transaction: () => { throw new Error('nested transaction'); }, close: async () => {} })),
    close: () => db.close(),
  };
}

export async function openPostgres(url: string): Promise<Sql> {
  const pg = (await import('pg')).default;
  // float8 and int8 come back as JS numbers, as PGlite gives them (seq and arrival stay < 2^53).
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 701 ? Number : pg.types.getTypeParser(oid, format ?? 'text')) };
  const pool = new pg.Pool({ connectionString: url, max: 4, types: types as never });
  // Fail at start, with the server's reason, not at the first reading.
  const probe = await pool.connect();
  probe.release();
  pool.on('error', () => { /* a dropped idle connection: the next query reconnects or fails visibly */ });
  const query = async <R>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as R[];
  return {
    engine: 'postgres',
    query,
    async exec(script) { await pool.query(script); },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Sql = {
          engine: 'postgres',
          query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
          exec: async (script: string) => { await client.query(script); },
          transaction: () => { throw new Error('nested transaction'); },
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
    close: () => pool.end(),
  };
}
