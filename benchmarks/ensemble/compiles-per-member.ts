// TurboFan compiles and deoptimisations per ensemble member (a diagnostic, not a test): run with
//   node --import tsx benchmarks/ensemble/compiles-per-member.ts [--members 10] [--scenario FILE]
// It runs `sandtable ensemble … --workers 1` under `node --trace-opt --trace-deopt`, with V8's
// trace and the CLI's progress lines (SANDTABLE_PROGRESS) written unbuffered (coreutils' stdbuf)
// into one file, so each compile falls between the progress lines of the members around it.
// Prints, per member, the compiles and deopts that happened while it ran, and the functions
// compiled again at most members of the second half (the steady state, after the first members'
// warm-up): what still recompiles per member. Anonymous functions are named by their V8 sfi.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name: string) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? process.argv[k + 1] : undefined; };
const members = Number(arg('members') ?? 10);
const scenario = arg('scenario') ?? join(root, 'scenarios/mountain-city/storm-72h.json');
const work = mkdtempSync(join(tmpdir(), 'sandtable-compiles-'));
try {
  const log = join(work, 'trace.txt');
  const fd = openSync(log, 'w');
  const r = spawnSync('stdbuf', ['-o0', '-e0', process.execPath, '--trace-opt', '--trace-deopt', join(root, 'bin/sandtable.js'),
    'ensemble', scenario, '--members', String(members), '--workers', '1', '--out', join(work, 'out')],
  { stdio: ['ignore', fd, fd], env: { ...process.env, SANDTABLE_PROGRESS: '1' } });
  closeSync(fd);
  if (r.status !== 0) throw new Error(`ensemble failed (${r.status ?? r.error?.message}): see ${log}`);
  const text = readFileSync(log, 'latin1');
  // Segment k (k ≥ 1) is what happened while member k ran: between the progress lines "k-1/N" and "k/N".
  const segments = text.split(/\x1b\[Kensemble [^:]*: \d+\/\d+ members/);
  const nameOf = (line: string) => {
    const m = /<JSFunction ([^ >(]*) ?\(sfi = (0x\w+)\)>/.exec(line);
    return m ? `${m[1] || `anonymous ${m[2]}`}${line.includes(' OSR') ? ' (OSR)' : ''}` : '?';
  };
  const perMember = segments.slice(1, members).map((segment, k) => {
    const lines = segment.split('\n');
    const compiled = lines.filter((l) => l.startsWith('[completed compiling')).map(nameOf);
    const deopts = lines.filter((l) => l.startsWith('[bailout')).length;
    return { member: k + 2, compiles: compiled.length, deopts, compiled };
  });
  const late = perMember.slice(Math.floor(perMember.length / 2));
  const counts = new Map<string, number>();
  for (const m of late) for (const name of new Set(m.compiled)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const again = [...counts].filter(([, n]) => n * 2 > late.length).sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name}: ${n}/${late.length}`);
  const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1));
  process.stdout.write(JSON.stringify({
    scenario, members,
    first_member_compiles: segments[0].split('\n').filter((l) => l.startsWith('[completed compiling')).length,
    per_member: perMember.map(({ member, compiles, deopts }) => ({ member, compiles, deopts })),
    late_members_mean: { compiles: mean(late.map((m) => m.compiles)), deopts: mean(late.map((m) => m.deopts)) },
    compiled_again_at_most_late_members: again,
  }, null, 1) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
