// TurboFan compiles and deoptimisations per ensemble member (a diagnostic, not a test): run with
//   node --import tsx benchmarks/ensemble/compiles-per-member.ts [--members 10] [--scenario FILE]
//     [--node-flags '--a --b'] (more flags for the ensemble's node, e.g. V8's)
// It runs `sandtable ensemble … --workers 1` under `node --trace-opt --trace-deopt`, with V8's
// trace and the CLI's progress lines (SANDTABLE_PROGRESS) written unbuffered (coreutils' stdbuf)
// into one file, so each compile falls between the progress lines of the members around it.
// Prints, per member, the compiles (with TurboFan's own milliseconds) and deopts that happened
// while it ran, and the functions compiled again at most members of the second half (the steady
// state, after the first members' warm-up): what still recompiles per member. Each function is named by where it is in the
// source (V8's code log, --log-code: the TurboFan code's shared-function-info address, name and
// position in the loaded script, mapped back to the .ts line through tsx's inline source map).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
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
  const r = spawnSync('stdbuf', ['-o0', '-e0', process.execPath, '--trace-opt', '--trace-deopt',
    '--log-code', '--log-source-code', `--logfile=${join(work, 'v8.log')}`, ...(arg('node-flags')?.split(' ') ?? []), join(root, 'bin/sandtable.js'),
    'ensemble', scenario, '--members', String(members), '--workers', '1', '--out', join(work, 'out')],
  { stdio: ['ignore', fd, fd], env: { ...process.env, SANDTABLE_PROGRESS: '1' } });
  closeSync(fd);
  if (r.status !== 0) throw new Error(`ensemble failed (${r.status ?? r.error?.message}): see ${log}`);
  const text = readFileSync(log, 'latin1');
  // Segment k (k ≥ 1) is what happened while member k ran: between the progress lines "k-1/N" and "k/N".
  const segments = text.split(/\x1b\[Kensemble [^:]*: \d+\/\d+ members/);
  const where = sourcePlaces(work);
  const nameOf = (line: string) => {
    const m = /<JSFunction ([^ >(]*) ?\(sfi = (0x\w+)\)>/.exec(line);
    if (!m) return '?';
    const place = where.get(BigInt(m[2]) - 1n); // the trace prints the tagged pointer, the log the address
    return `${m[1] || 'anonymous'}${place ? ` ${place}` : ` sfi ${m[2]}`}${line.includes(' OSR') ? ' (OSR)' : ''}`;
  };
  // "took a, b, c ms": TurboFan's three phases (prepare, the concurrent compile, finalise).
  const msOf = (line: string) => (/took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
  const perMember = segments.slice(1, members).map((segment, k) => {
    const lines = segment.split('\n');
    const compiles = lines.filter((l) => l.startsWith('[completed compiling'));
    const compiled = compiles.map((l) => ({ name: nameOf(l), ms: msOf(l) }));
    const deopts = lines.filter((l) => l.startsWith('[bailout')).map((l) => `${nameOf(l)}: ${/reason: ([^)\]]*)/.exec(l)?.[1] ?? '?'}`);
    return { member: k + 2, compiles: compiled.length, compile_ms: Number(compiled.reduce((a, c) => a + c.ms, 0).toFixed(1)), deopts: deopts.length, compiled, deoptList: deopts };
  });
  const late = perMember.slice(Math.floor(perMember.length / 2));
  const counts = new Map<string, { members: number; ms: number }>();
  for (const m of late) {
    for (const name of new Set(m.compiled.map((c) => c.name))) {
      const entry = counts.get(name) ?? { members: 0, ms: 0 };
      entry.members++;
      counts.set(name, entry);
    }
    for (const c of m.compiled) counts.get(c.name)!.ms += c.ms;
  }
  const shown = ([name, c]: [string, { members: number; ms: number }]) => `${name}: ${c.members}/${late.length}, ${(c.ms / late.length).toFixed(1)} ms per member`;
  const byCount = [...counts].sort((a, b) => b[1].members - a[1].members || b[1].ms - a[1].ms);
  const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1));
  process.stdout.write(JSON.stringify({
    scenario, members,
    first_member_compiles: segments[0].split('\n').filter((l) => l.startsWith('[completed compiling')).length,
    per_member: perMember.map(({ member, compiles, compile_ms, deopts }) => ({ member, compiles, compile_ms, deopts })),
    late_members_mean: { compiles: mean(late.map((m) => m.compiles)), compile_ms: mean(late.map((m) => m.compile_ms)), deopts: mean(late.map((m) => m.deopts)) },
    compiled_again_at_most_late_members: byCount.filter(([, c]) => c.members * 2 > late.length).map(shown),
    compiled_at_fewer_late_members: byCount.filter(([, c]) => c.members * 2 <= late.length).map(shown),
    late_deopts: late.flatMap((m) => m.deoptList.map((d) => `member ${m.member}: ${d}`)),
  }, null, 1) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * Every TurboFan-compiled function in V8's code logs (one per isolate: the main thread's and the
 * pool thread's), by shared-function-info address: `file.ts:line:col`, the original position when
 * the script carries an inline source map (tsx's), else the position in the loaded script.
 */
export function sourcePlaces(dir: string): Map<bigint, string> {
  const places = new Map<bigint, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('v8.log'))) {
    const maps = new Map<string, SourceMap | undefined>();
    for (const line of readFileSync(join(dir, file), 'latin1').split('\n')) {
      if (line.startsWith('script-source,')) {
        const [, , url] = line.split(',', 3);
        const source = line.slice(line.indexOf(',', line.indexOf(',', 14) + 1) + 1);
        const inline = /sourceMappingURL=data:application\/json;base64(?:,|\\x2C)([A-Za-z0-9+/=]+)/.exec(source);
        maps.set(url, inline ? new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8'))) : undefined);
        continue;
      }
      if (!line.startsWith('code-creation,JS,') || !line.endsWith(',*')) continue;
      const fields = line.split(',');
      const place = /^(.*?)(?: |^)(\S+):(\d+):(\d+)$/.exec(fields[6]);
      if (!place) continue;
      const [, , url, lineNo, col] = place;
      const entry = maps.get(url)?.findEntry(Number(lineNo) - 1, Number(col) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
      const shown = entry?.originalSource
        ? `${entry.originalSource.replace(/^.*\/(models|bin|web)\//, '$1/')}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`
        : `${url.replace(/^.*\/(models|bin|web|node_modules)\//, '$1/')}:${lineNo}:${col}`;
      places.set(BigInt(fields[7]), shown);
    }
  }
  return places;
}
