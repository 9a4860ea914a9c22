// The set-up the kill and shutdown tests of `risklist serve` share (sigkill, snapshot-sigkill,
// snapshot-shutdown): a temp folder for the service file, a fresh embedded database, the child
// service running now and a restart under way; afterAll waits for that restart, so no child is left
// behind (nor the test worker waiting on it), kills what runs and removes folder and database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openPglite } from '../../../models/risklist/serve/sql.ts';
import { freshPgliteDir } from '../../services/pglite.ts';
import { tokens, type Child } from './harness.ts';
import type { equivalenceCase } from './streams.ts';

type Case = ReturnType<typeof equivalenceCase>;

export interface KillWorkspace {
  /** The service process running now: replaced at each restart. */
  current?: Child;
  /** A restart under way: requests wait for it, and so does afterAll. */
  restarting?: Promise<void>;
  db?: { dir: string; remove(): void };
  /** Writes serve.json on a fresh embedded database: the replay clock over the case's items, with `extra` settings. */
  serveFile(c: Case, extra?: Record<string, unknown>): Promise<string>;
}

/** A workspace whose clean-up is registered with the enclosing describe's afterAll. */
export function killWorkspace(prefix: string): KillWorkspace {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const ws: KillWorkspace = {
    async serveFile(c, extra = {}) {
      ws.db = await freshPgliteDir();
      const file = join(work, 'serve.json');
      writeFileSync(file, JSON.stringify({ clock: 'replay', items: c.items, hold_s: c.hold_s, tokens: tokens(), database: `embedded:${ws.db.dir}`, ...extra }));
      return file;
    },
  };
  afterAll(async () => {
    await ws.restarting?.catch(() => {});
    ws.current?.child.kill('SIGKILL');
    ws.db?.remove();
    rmSync(work, { recursive: true, force: true });
  });
  return ws;
}

/** The operator's inputs of a case, by endpoint: not idempotent, so posted before any kill matters. */
export const operatorInputs = (c: Case) => [['/v1/warnings', c.warnings], ['/v1/events', c.events], ['/v1/pins', c.pins]] as const;

type Sql = Awaited<ReturnType<typeof openPglite>>;

/** Runs `work` on the database of a stopped service, and closes it. */
export async function inDatabase<T>(dir: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = await openPglite(dir);
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

/** Every reading the database holds, by item/factor/time. */
export async function storedReadings(sql: Sql): Promise<Map<string, number>> {
  return new Map((await sql.query<{ item: string; factor: string; t_s: number; value: number }>('SELECT item, factor, t_s, value FROM readings'))
    .map((r) => [`${r.item}/${r.factor}/${r.t_s}`, r.value]));
}
