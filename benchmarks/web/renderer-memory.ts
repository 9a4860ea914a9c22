// How much memory the browser's pages take, read from /proc: the renderer processes Chromium
// started under this benchmark (its descendants), summed. Used by the web benchmarks.
import { readdirSync, readFileSync } from 'node:fs';

/** Resident memory of the Chromium renderer processes started under this script, MiB. */
export function rendererMiB(): number {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try { const stat = readFileSync(`/proc/${name}/stat`, 'utf8'); parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])); } catch { /* gone */ }
  }
  const ours = (pid: number) => { for (let p = pid, k = 0; p > 1 && k < 20; p = parents.get(p) ?? 0, k++) if (p === process.pid) return true; return false; };
  let kib = 0;
  for (const pid of parents.keys()) {
    try {
      if (!ours(pid) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return Math.round(kib / 1024);
}
