// Where Debian puts PostgreSQL's server programs (initdb, pg_ctl, postgres): a versioned folder
// outside PATH, /usr/lib/postgresql/<major>/bin. Plain JavaScript so that test/ensure-system.js
// (run by node before the suite, without tsx) and the TypeScript test services share it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

/** The newest installed major version's `program`, or the path it would have (`<version>` in it) when none is. */
export function postgresBin(program) {
  const versions = existsSync(ROOT) ? readdirSync(ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.length > 0 ? join(ROOT, versions[0], 'bin', program) : join(ROOT, '<version>', 'bin', program);
}
