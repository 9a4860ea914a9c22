// One writer per embedded database folder. PGlite has no server to refuse a second process, and
// two services writing one folder would corrupt it and number changes twice: the first holds a
// lock file naming its process; a second start is refused with that pid. A lock left by a process
// that is gone (SIGKILL) is taken over; the process's start time guards against a reused pid.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.ts';

export const LOCK_FILE = 'sandtable-serve.lock';

/** A process's start time (clock ticks since boot) from /proc, or '' where there is no /proc. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function alive(pid: number, started: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return started === '' || startTime(pid) === '' || startTime(pid) === started;
}

/** Takes `dir`'s writer lock for this process; the function returned releases it. */
export function lockDir(dir: string, shownAs: string): () => void {
  const path = join(dir, LOCK_FILE);
  const mine = `${process.pid} ${startTime(process.pid)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let held = '';
      try { held = readFileSync(path, 'utf8'); } catch { continue; }
      const [pid, started = ''] = held.trim().split(' ');
      if (Number(pid) > 0 && alive(Number(pid), started)) {
        throw InputError.single('$.database', `is in use by another risklist serve (pid ${pid}): one writer per embedded database`, shownAs, 'a database folder no running service has open');
      }
      // Its holder is gone: remove the stale lock and try again (another starter may win the race).
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, mine);
    closeSync(fd);
    return () => {
      try { if (readFileSync(path, 'utf8') === mine) rmSync(path, { force: true }); } catch { /* already gone */ }
    };
  }
  throw InputError.single('$.database', 'has a writer lock that keeps changing hands', shownAs, 'a database folder no running service has open');
}
