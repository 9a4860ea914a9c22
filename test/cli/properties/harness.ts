// The property tests' runner and invariants: one CLI child process reused across cases (killed and
// restarted on a hang), a sandbox folder per case whose tree is compared before and after, and the
// checks every outcome must pass. Known failures on main are listed in known-failures.ts.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { CASE_ROOT } from './arbitraries.ts';
import { classify, type Violation } from './known-failures.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
export const CLI = fileURLToPath(new URL('../../../bin/sandtable.js', import.meta.url));

/** Runs per property: SANDTABLE_PROPS_RUNS scales every default (e.g. 10 for a big sweep by hand). */
const SCALE = Number(process.env.SANDTABLE_PROPS_RUNS ?? 1);
/** Fixed by default so CI is deterministic; set SANDTABLE_PROPS_SEED to explore. */
export const SEED = Number(process.env.SANDTABLE_PROPS_SEED ?? 15);
/** SANDTABLE_PROPS_STRICT=1: known failures fail too (and shrink), to find their minimal cases. */
export const STRICT = process.env.SANDTABLE_PROPS_STRICT === '1';
/** SANDTABLE_PROPS_ONLY=<known id>: only that known class fails, so fast-check shrinks it alone. */
const ONLY = process.env.SANDTABLE_PROPS_ONLY;

export function runs(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

export function propertyOptions(n: number): fc.Parameters<unknown> {
  return { numRuns: runs(n), seed: SEED };
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut?: boolean;
  crashed?: string;
  nonFinite: string[];
}

/** The CLI in a reusable child process; a case past its time bound kills it (a new one starts next). */
export class CliChild {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private next = 0;

  private start(): Promise<void> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr!.resume();
    this.child = child;
    this.ready = new Promise((resolve) => child.once('message', () => resolve()));
    child.once('exit', () => { if (this.child === child) this.child = undefined; });
    return this.ready;
  }

  async run(argv: string[], cwd: string, timeoutMs: number): Promise<Outcome> {
    if (!this.child) await this.start(); else await this.ready;
    const child = this.child!;
    const id = ++this.next;
    const started = performance.now();
    return new Promise<Outcome>((resolve) => {
      const done = (o: Outcome) => { clearTimeout(timer); child.off('message', onMessage); child.off('exit', onExit); resolve(o); };
      const onMessage = (m: Outcome & { id: number }) => { if (m.id === id) done(m); };
      const onExit = (code: number | null) => done({ code: 1, stdout: '', stderr: '', ms: performance.now() - started, crashed: `child exited with ${code}`, nonFinite: [] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        this.child = undefined;
        done({ code: null, stdout: '', stderr: '', ms: timeoutMs, timedOut: true, nonFinite: [] });
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, argv, cwd });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

/** The real thing, for a few cases per command: a fresh `node bin/sandtable.js`, as users run it. */
export function runSubprocess(argv: string[], cwd: string, timeoutMs: number): Outcome {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - started, timedOut, nonFinite: [] };
}

/** A file tree under the sandbox: path → sha256 (folders as "dir"). */
export type Tree = Map<string, string>;

export function snapshot(root: string): Tree {
  const tree: Tree = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const key = relative(root, path);
      if (entry.isSymbolicLink()) tree.set(key, 'link');
      else if (entry.isDirectory()) { tree.set(key, 'dir'); walk(path); } else tree.set(key, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return tree;
}

/** One case's folders: `data/` holds the case and its grids, `work/` is the cwd, `work/out` the --out folder. */
export interface CaseDirs { root: string; data: string; work: string; out: string }

export interface CaseFiles {
  /** Relative to data/; strings are written as UTF-8 (CASE_ROOT replaced by the case's folder). */
  files: Record<string, string | Uint8Array | { symlink: string }>;
  /** The command line, given the case's folders (the case file is data/<caseName>). */
  argv: (dirs: CaseDirs) => string[];
  /** Paths relative to the case root where the command may write (the --out folder). */
  writable: (dirs: CaseDirs) => string[];
  /** Files put in place after the case is laid out and before the snapshot (users' files in --out). */
  prepare?: (dirs: CaseDirs) => void;
}

/** What a mutation must lead to beyond the common invariants. */
export interface Expect {
  /** A wrong JSON type at this path: exit 2, naming the path (or a path inside or around it). */
  retyped?: string;
  /** A value the command must refuse (exit 2), naming this path (or one inside or around it), or this file. */
  invalidAt?: string;
  /** An --out that must be refused (exit 2). */
  refused?: string;
}

/** One sandbox per test file: every case gets a numbered folder inside it, and the whole tree is watched. */
export function sandbox(prefix: string) {
  const base = mkdtempSync(join(tmpdir(), `sandtable-props-${prefix}-`));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  let n = 0;
  return {
    base,
    /** Lays out a case in a fresh folder and returns its folders. */
    lay(c: CaseFiles): CaseDirs {
      const root = join(base, `case-${++n}`);
      const dirs = { root, data: join(root, 'data'), work: join(root, 'work'), out: join(root, 'work', 'out') };
      mkdirSync(dirs.work, { recursive: true });
      for (const [name, content] of Object.entries(c.files)) {
        mkdirSync(dirname(join(dirs.data, name)), { recursive: true });
        if (typeof content === 'object' && 'symlink' in content) symlinkSync(content.symlink, join(dirs.data, name));
        else writeFileSync(join(dirs.data, name), typeof content === 'string' ? content.replaceAll(CASE_ROOT, root) : content);
      }
      return dirs;
    },
    /** Removes the case folders made so far (kept on failure for a look, when SANDTABLE_PROPS_KEEP is set). */
    clean(dirs: CaseDirs) {
      if (!process.env.SANDTABLE_PROPS_KEEP) rmSync(dirs.root, { recursive: true, force: true });
    },
  };
}

export interface Judged { violations: Violation[]; outcome: Outcome }

const ERROR_LINE = /^error: \S.*: \S/;

/**
 * The invariants of issue 15. A valid case: exit 0, one JSON document on stdout, every number
 * finite. Any case (a mutation may stay valid): exit 0 or 2, never 1, never a stack trace, never
 * past the time bound; on exit 2 every stderr line is `error: <path>: …`. Files: nothing new or
 * changed in the sandbox outside the writable folders, and no file that was there changes.
 */
export function judge(outcome: Outcome, before: Tree, after: Tree, writable: string[], valid: boolean, expect: Expect = {}): Violation[] {
  const v: Violation[] = [];
  if (expect.retyped && outcome.code === 0) v.push({ kind: 'wrong-type-accepted', detail: expect.retyped });
  if (expect.invalidAt && outcome.code === 0) v.push({ kind: 'invalid-accepted', detail: expect.invalidAt });
  const mustName = expect.retyped ?? expect.invalidAt;
  if (mustName && outcome.code === 2) {
    const named = outcome.stderr.split('\n').some((l) => {
      if (!mustName.startsWith('$')) return l.startsWith(`error: ${mustName}`) || l.includes(`/${mustName}`);
      const path = l.match(/^error: (\$\S*?):? /)?.[1] ?? '';
      return path !== '' && (path.startsWith(mustName) || mustName.startsWith(path.replace(/ \(.*$/, '')));
    });
    if (!named) v.push({ kind: 'path-not-named', detail: `${mustName}: ${outcome.stderr.split('\n')[0].slice(0, 200)}` });
  }
  if (expect.refused && outcome.code === 0) v.push({ kind: 'out-not-refused', detail: expect.refused });
  const first = (outcome.stderr.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
  if (outcome.timedOut) v.push({ kind: 'hang', detail: `no answer in ${Math.round(outcome.ms)} ms` });
  else if (outcome.crashed) v.push({ kind: 'crash', detail: `${outcome.crashed}: ${first}` });
  else if (outcome.code === 1) v.push({ kind: 'exit1', detail: first });
  else if (outcome.code !== 0 && outcome.code !== 2) v.push({ kind: 'exit-other', detail: `exit ${outcome.code}: ${first}` });
  if (/\n\s+at \S/.test(outcome.stderr) || /^\s+at \S.*:\d+:\d+\)?$/m.test(outcome.stderr)) v.push({ kind: 'stack-trace', detail: first });
  if (outcome.code === 2) {
    if (valid) v.push({ kind: 'valid-refused', detail: first });
    const bad = outcome.stderr.split('\n').filter((l) => l !== '' && !ERROR_LINE.test(l));
    if (bad.length || outcome.stderr === '') v.push({ kind: 'error-format', detail: (bad[0] ?? '(empty stderr)').slice(0, 300) });
    if (outcome.stdout !== '') v.push({ kind: 'stdout-on-error', detail: outcome.stdout.slice(0, 200) });
  }
  if (outcome.code === 0) {
    try {
      JSON.parse(outcome.stdout);
    } catch {
      v.push({ kind: 'stdout-not-json', detail: outcome.stdout.slice(0, 200) });
    }
    if (outcome.nonFinite.length) v.push({ kind: 'non-finite', detail: outcome.nonFinite.join('; ') });
  }
  const inside = (path: string) => writable.some((w) => path === w || path.startsWith(w + sep));
  for (const [path, hash] of after) {
    const was = before.get(path);
    if (was === undefined && !inside(path)) v.push({ kind: 'wrote-outside', detail: path });
    else if (was !== undefined && was !== hash && was !== 'dir') v.push({ kind: 'changed-file', detail: path });
  }
  for (const path of before.keys()) if (!after.has(path)) v.push({ kind: 'removed-file', detail: path });
  if (outcome.code === 0) {
    for (const [path, hash] of after) {
      if (hash === 'dir' || before.has(path) || !inside(path)) continue;
      // Output grids and files: a non-finite number there is a silent wrong answer too.
      if (/(^|[\s,[:])(-?Infinity|NaN)([\s,\]]|$)/m.test(readTextSafely(path))) v.push({ kind: 'non-finite', detail: `in ${path}` });
    }
  }
  return v.map((x) => ({ ...x, detail: x.detail }));
}

let currentRoot = '';
function readTextSafely(rel: string): string {
  try {
    const path = join(currentRoot, rel);
    return statSync(path).size < 20 << 20 ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}

/** Runs one case in the child (or a subprocess), judges it, and classifies what went wrong. */
export async function check(
  box: ReturnType<typeof sandbox>, cli: CliChild | 'subprocess', command: string, c: CaseFiles, valid: boolean, timeoutMs: number, expect?: Expect,
): Promise<{ unknown: Violation[]; known: Violation[]; outcome: Outcome; dirs: CaseDirs }> {
  const dirs = box.lay(c);
  c.prepare?.(dirs);
  const before = snapshot(box.base);
  const argv = c.argv(dirs);
  const outcome = cli === 'subprocess' ? runSubprocess(argv, dirs.work, timeoutMs) : await cli.run(argv, dirs.work, timeoutMs);
  const after = snapshot(box.base);
  currentRoot = box.base;
  const writable = c.writable(dirs).map((w) => relative(box.base, w));
  const violations = judge(outcome, before, after, writable, valid, expect);
  // Ids that climb all the way up (../../../../tmp/sandtable-PWNED) land beside the sandbox.
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('sandtable-PWNED'))) {
    violations.push({ kind: 'wrote-outside', detail: join(tmpdir(), name) });
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  const { known, unknown } = classify(command, violations);
  tally(command, valid, known, unknown, outcome);
  if (SURVEY) survey(command, valid, [...known, ...unknown], argv, c.files, outcome);
  box.clean(dirs);
  const failing = ONLY ? [...known, ...unknown].filter((v) => v.known === ONLY) : SURVEY ? [] : STRICT ? [...known, ...unknown] : unknown;
  return { unknown: failing, known, outcome, dirs };
}

/**
 * SANDTABLE_PROPS_SURVEY=<file>: nothing fails; every violation is appended to the file as a JSON
 * line (its class, the command line and the case), to list the classes of a sweep at once.
 */
const SURVEY = process.env.SANDTABLE_PROPS_SURVEY;
function survey(command: string, valid: boolean, violations: Violation[], argv: string[], files: CaseFiles['files'], outcome: Outcome) {
  for (const v of violations) {
    const cls = `${command} | ${v.kind} | ${v.detail.replace(/\/tmp\/\S+/g, 'FILE').replace(/"[^"]*"/g, '"…"').replace(/-?\d[\d.e+-]*/g, 'N').slice(0, 160)}`;
    const shown = Object.fromEntries(Object.entries(files).map(([k, c]) => [k, typeof c === 'string' ? (c.length > 4000 ? c.slice(0, 4000) + `…(${c.length})` : c) : 'symlink' in c ? c : `<${c.length} bytes>`]));
    appendFileSync(SURVEY!, JSON.stringify({ cls, known: v.known, valid, detail: v.detail, argv, stderr: outcome.stderr.slice(0, 500), size: JSON.stringify(shown).length, files: shown }) + '\n');
  }
}

/** Cases tried and failures seen, per command, printed at the end of each file (the closing note's numbers). */
const counts = new Map<string, { tried: number; known: Map<string, number>; unknown: number; ms: number; exits: Map<string, number> }>();
function tally(command: string, valid: boolean, known: Violation[], unknown: Violation[], outcome: Outcome) {
  const key = `${command} (${valid ? 'valid' : 'mutated'})`;
  const c = counts.get(key) ?? { tried: 0, known: new Map(), unknown: 0, ms: 0, exits: new Map() };
  c.tried++;
  c.ms += outcome.ms;
  const exit = outcome.timedOut ? 'hang' : String(outcome.code);
  c.exits.set(exit, (c.exits.get(exit) ?? 0) + 1);
  for (const k of known) c.known.set(k.known!, (c.known.get(k.known!) ?? 0) + 1);
  if (unknown.length) c.unknown++;
  counts.set(key, c);
}
afterAll(() => {
  if (!process.env.SANDTABLE_PROPS_REPORT) return;
  for (const [key, c] of counts) {
    const known = [...c.known].map(([k, n]) => `${k} ×${n}`).join(', ');
    const exits = [...c.exits].map(([k, n]) => `exit ${k} ×${n}`).join(', ');
    process.stderr.write(`props: ${key}: ${c.tried} cases (${exits}; mean ${Math.round(c.ms / c.tried)} ms), ${c.unknown} with new failures${known ? `; known: ${known}` : ''}\n`);
  }
});

/** A failure message that shows the case, so a shrunk counterexample can be read off the test log. */
export function describeFailure(argv: string[], files: CaseFiles['files'], unknown: Violation[], outcome: Outcome): string {
  const shown = Object.entries(files).map(([name, content]) => {
    const text = typeof content === 'string' ? content : 'symlink' in content ? `-> ${content.symlink}` : `<${content.length} bytes>`;
    return `--- ${name}\n${text.length > 1500 ? text.slice(0, 1500) + `… (${text.length} chars)` : text}`;
  }).join('\n');
  return `${unknown.map((u) => `${u.kind}: ${u.detail}`).join('\n')}\nargv: ${argv.join(' ')}\nexit ${outcome.code}; stderr: ${outcome.stderr.slice(0, 600)}\n${shown}`;
}
