// Embedded PostgreSQL (PGlite) data folders for tests. Creating one runs initdb in wasm (5–10 s on
// a busy 2-core machine); a closed folder copies in a fraction of a second. So the first test
// that needs one builds a template once per PGlite version (atomically: built aside, then
// renamed), and every test gets a private copy.
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pgliteVersion = (JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const TEMPLATE = join(tmpdir(), `sandtable-pglite-template-${pgliteVersion}`);

async function template(): Promise<string> {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return TEMPLATE;
  const building = mkdtempSync(join(tmpdir(), 'sandtable-pglite-building-'));
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(building);
  await db.close();
  try {
    renameSync(building, TEMPLATE);
  } catch {
    // Another test process won the race: its template is as good.
    rmSync(building, { recursive: true, force: true });
  }
  return TEMPLATE;
}

/** A fresh, empty PGlite data folder (removed by `remove`). */
export async function freshPgliteDir(): Promise<{ dir: string; remove(): void }> {
  const parent = mkdtempSync(join(tmpdir(), 'sandtable-pglite-'));
  const dir = join(parent, 'db');
  cpSync(await template(), dir, { recursive: true });
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
