// One writer per embedded database: a second `risklist serve` on a folder another one has open is
// refused at start (exit 2, the folder and the other process's pid named), and a lock left behind
// by a killed service does not keep the next one out.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDir, LOCK_FILE } from '../../../models/risklist/serve/dir-lock.ts';
import { CLI } from '../../cli-harness.ts';
import { freshPgliteDir } from '../../services/pglite.ts';
import { serveChild, tokens, type Child } from './harness.ts';

const items = [{ id: 'UP-01', category: 'waterlogging', factors: [{ id: 'depth_cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 } }] }];

function runCli(file: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'risklist', 'serve', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('risklist serve: one writer per embedded database', () => {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-serve-lock-'));
  const children: Child[] = [];
  let db: { dir: string; remove(): void } | undefined;
  afterAll(async () => {
    for (const c of children) { c.child.kill('SIGKILL'); await c.exited; }
    db?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('a second service on the same folder: exit 2 naming the folder and the first one\'s pid; after a SIGKILL the next start takes over', async () => {
    db = await freshPgliteDir();
    const file = join(work, 'serve.json');
    writeFileSync(file, JSON.stringify({ clock: 'replay', items, tokens: tokens(), database: `embedded:${db.dir}` }));
    const first = await serveChild(file);
    children.push(first);
    const second = await runCli(file);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`error: $.database: is in use by another risklist serve (pid ${first.child.pid}): one writer per embedded database (got "embedded:${db.dir}", expected a database folder no running service has open)\n`);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(readFileSync(join(db.dir, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${first.child.pid} `));
    const next = await serveChild(file);
    children.push(next);
    expect(readFileSync(join(db.dir, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${next.child.pid} `));
    // Services started one after another on an embedded database: 35–71 s at load 20–25 on 2 cores.
  }, 240_000);

  it('a lock naming a live process with another start time (a reused pid) is stale', () => {
    const dir = mkdtempSync(join(work, 'reused-'));
    writeFileSync(join(dir, LOCK_FILE), `${process.pid} 1\n`);
    const unlock = lockDir(dir, 'embedded:x');
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid} \\d+\\n$`));
    expect(() => lockDir(dir, 'embedded:x')).toThrow(`$.database: is in use by another risklist serve (pid ${process.pid})`);
    unlock();
    lockDir(dir, 'embedded:x')();
  });
});
