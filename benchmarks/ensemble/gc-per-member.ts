// Garbage collections per ensemble member (a diagnostic, not a test): run with
//   node --import tsx benchmarks/ensemble/gc-per-member.ts [--members 10] [--workers 1] [--scenario FILE] [--single-threaded-gc]
// It runs `sandtable ensemble … --out <temp>` under `node --trace-gc` with the CLI's progress
// lines (SANDTABLE_PROGRESS) and CPU parts (SANDTABLE_CPU_PARTS) written unbuffered (coreutils'
// stdbuf) into one file, so each pool thread's collections fall between the progress lines of the
// members around them. Prints the pool threads' scavenges and mark-compacts (count and pause ms)
// per member, the mean over the second half (the steady state, after the first members' warm-up),
// and the CPU the cpu-parts line reports: each member's own, and V8's helper threads' while members
// ran. With --single-threaded-gc the collector works on the pool threads only, so the helpers'
// CPU left is the compilers': the difference between the two runs is the collector's helper CPU.
// Pause milliseconds stretch on a busy machine; counts and CPU seconds are what compare.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name: string) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? process.argv[k + 1] : undefined; };
const members = Number(arg('members') ?? 10);
const workers = Number(arg('workers') ?? 1);
const singleThreadedGc = process.argv.includes('--single-threaded-gc');
const scenario = arg('scenario') ?? join(root, 'scenarios/mountain-city/storm-72h.json');

interface Tally { scavenges: number; scavenge_ms: number; mark_compacts: number; mark_compact_ms: number }
const empty = (): Tally => ({ scavenges: 0, scavenge_ms: 0, mark_compacts: 0, mark_compact_ms: 0 });
const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: (Scavenge|Mark-Compact|Minor Mark-Compact)\b.*?MB, ([\d.]+) \/ [\d.]+ ms/;

const work = mkdtempSync(join(tmpdir(), 'sandtable-gc-'));
try {
  const log = join(work, 'trace.txt');
  const fd = openSync(log, 'w');
  const flags = ['--trace-gc', ...(singleThreadedGc ? ['--single-threaded-gc'] : [])];
  const r = spawnSync('stdbuf', ['-o0', '-e0', process.execPath, ...flags, join(root, 'bin/sandtable.js'),
    'ensemble', scenario, '--members', String(members), '--workers', String(workers), '--out', join(work, 'out')],
  { stdio: ['ignore', fd, fd], env: { ...process.env, SANDTABLE_PROGRESS: '1', SANDTABLE_CPU_PARTS: '1' } });
  closeSync(fd);
  if (r.status !== 0) throw new Error(`ensemble failed (${r.status ?? r.error?.message}): see ${log}`);
  const text = readFileSync(log, 'latin1');
  // The pool threads are the isolates that collect most (the coordinator only reads and reduces).
  const perIsolate = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = GC_LINE.exec(line);
    if (m) perIsolate.set(m[1], (perIsolate.get(m[1]) ?? 0) + 1);
  }
  const pool = new Set([...perIsolate].sort((a, b) => b[1] - a[1]).slice(0, workers).map(([id]) => id));
  // Segment 0 is the start and the first member; segment k (1 ≤ k < N) what happened while member
  // k + 1 ran, between the progress lines "k/N" and "k+1/N"; the last, the reduce.
  const segments = text.split(/\x1b\[Kensemble [^:]*: \d+\/\d+ members/).map((segment) => {
    const t = empty();
    for (const line of segment.split('\n')) {
      const m = GC_LINE.exec(line);
      if (!m || !pool.has(m[1])) continue;
      if (m[2] === 'Scavenge') { t.scavenges++; t.scavenge_ms += Number(m[3]); } else { t.mark_compacts++; t.mark_compact_ms += Number(m[3]); }
    }
    return t;
  });
  const perMember = segments.slice(1, members);
  const late = perMember.slice(Math.floor(perMember.length / 2));
  const mean = (ts: Tally[]) => {
    const sum = ts.reduce((a, t) => ({ scavenges: a.scavenges + t.scavenges, scavenge_ms: a.scavenge_ms + t.scavenge_ms, mark_compacts: a.mark_compacts + t.mark_compacts, mark_compact_ms: a.mark_compact_ms + t.mark_compact_ms }), empty());
    const n = Math.max(1, ts.length);
    return { scavenges: Number((sum.scavenges / n).toFixed(1)), scavenge_ms: Number((sum.scavenge_ms / n).toFixed(1)), mark_compacts: Number((sum.mark_compacts / n).toFixed(2)), mark_compact_ms: Number((sum.mark_compact_ms / n).toFixed(1)) };
  };
  const parts = JSON.parse(/^cpu-parts (.*)$/m.exec(text)![1]) as { helpers_during_members_s?: number; process_cpu_s: number; wall_s: number; workers?: { members: { cpu_s: number }[] } };
  const memberCpu = parts.workers?.members.map((m) => m.cpu_s) ?? [];
  process.stdout.write(JSON.stringify({
    scenario, members, workers, single_threaded_gc: singleThreadedGc,
    // With 2 workers a segment holds both threads' collections: only the means per member compare.
    gc_per_member: perMember.map((t, k) => ({ member: k + 2, ...mean([t]) })),
    gc_start_and_first_member: mean([segments[0]]),
    gc_mean_per_member_after_first: mean(perMember),
    gc_mean_per_member_second_half: mean(late),
    member_cpu_mean_s: Number((memberCpu.reduce((a, b) => a + b, 0) / Math.max(1, memberCpu.length)).toFixed(3)),
    helpers_during_members_s: parts.helpers_during_members_s,
    helpers_per_member_s: parts.helpers_during_members_s === undefined ? undefined : Number((parts.helpers_during_members_s / members).toFixed(3)),
    process_cpu_s: parts.process_cpu_s, wall_s: parts.wall_s,
  }, null, 1) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
