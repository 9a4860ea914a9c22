// A real PostgreSQL server for a test: Debian's PostgreSQL (initdb, pg_ctl) in a temporary folder
// owned by the `postgres` user (initdb refuses root), on a free port, trust auth on localhost
// only, stopped and removed afterwards. A missing server fails with the command that installs it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { postgresBin } from './postgres-bin.js';

function installed(program: string): string {
  const path = postgresBin(program);
  if (!existsSync(path)) throw new Error(`PostgreSQL's ${program} is missing (${path}): the PostgreSQL tests start a real server (apt-get install -y postgresql; npm test does it as root)`);
  return path;
}

export interface Postgres { url: string; port: number; /** The server's data folder (its postmaster.pid names the server's process). */ dataDir: string; stop(): Promise<void>; restart(): void;
  /** Stops the server only (`fast`: clean shutdown; `immediate`: no checkpoint, crash recovery at the next start), keeping its data. */
  down(mode: 'fast' | 'immediate'): void;
  /** Starts it again on the same data folder and port. */
  up(): void }

export async function startPostgres(): Promise<Postgres> {
  const asRoot = process.getuid?.() === 0;
  const parent = mkdtempSync(join(tmpdir(), 'sandtable-postgres-'));
  chmodSync(parent, 0o777);
  const data = join(parent, 'data');
  const port = await freePort();
  const run = (program: string, args: string[]) => {
    const command = asRoot ? ['runuser', ['-u', 'postgres', '--', installed(program), ...args]] as const : [installed(program), args] as const;
    const r = spawnSync(command[0], command[1], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${parent} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(parent, 'log'), '-w', 'start']);
  const stop = (mode: 'fast' | 'immediate' = 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDir: data,
    async stop() { try { stop(); } finally { rmSync(parent, { recursive: true, force: true }); } },
    restart() { stop(); start(); },
    down: (mode) => stop(mode),
    up: () => start(),
  };
}
