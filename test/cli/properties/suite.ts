// The three properties every command gets (issue 15, "Keep it fixed"): generated valid cases,
// generated mutations of them (of the JSON, or of an input grid's text), and a few of both through
// a real `node bin/sandtable.js` process, as users' scripts run it.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { applyHarmless, applyMutation, describeMutation, harmlessArb, mutationArb, retypedPath, type Harmless, type Json, type Mutation } from './arbitraries.ts';
import { check, CliChild, describeFailure, propertyOptions, sandbox, type CaseDirs, type CaseFiles, type Expect } from './harness.ts';

export interface Case {
  json: Json; grids?: Record<string, string>; links?: Record<string, string>; expect?: Expect;
  /** Binary input files (GeoTIFFs), not edited by the grid mutations. */
  binary?: Record<string, Uint8Array>;
  /** For the extra properties: a case that must run (exit 0), not only keep the common invariants. */
  valid?: boolean;
}

export interface CommandSpec {
  command: string;
  valid: fc.Arbitrary<Case>;
  /** The command line for a case file (data/case.json) in its folders. */
  argv: (caseFile: string, dirs: CaseDirs) => string[];
  /** Whether it writes to --out (then dirs.out is the one place it may write). */
  writesOut?: boolean;
  runs: { valid: number; mutated: number; subprocess: number; outFolders?: number };
  /** JSON paths where more than one type is valid (a number or a grid file name, …): no type check there. */
  polymorphic?: RegExp;
  /** More properties of hostile cases under the same invariants (e.g. ids that end up in file names). */
  extra?: { name: string; cases: fc.Arbitrary<Case>; runs: number; timeoutMs?: number }[];
  /** Output files the command writes, to plant users' files of the same names in --out. */
  outputs?: string[];
  /** The time bound of one case in the reused child; a fresh process gets 3 s more to start. */
  timeoutMs: number;
}

/** Hostile edits of an input grid's text: header values, cell values, truncation, encodings. */
type GridMutation = { file: number; op: 'header'; key: number; value: string } | { file: number; op: 'cell'; at: number; value: string } | { file: number; op: 'truncate'; fraction: number } | { file: number; op: 'bom' | 'empty' | 'binary' | 'extra-row' | 'crlf' };
const HEADER_KEYS = ['ncols', 'nrows', 'xllcorner', 'yllcorner', 'cellsize', 'NODATA_value'];
const gridMutationArb: fc.Arbitrary<GridMutation> = fc.oneof(
  fc.record({ file: fc.nat(), op: fc.constant('header' as const), key: fc.nat({ max: HEADER_KEYS.length - 1 }), value: fc.constantFrom('1000000000', '0', '-1', '1e999', '-1e999', 'NaN', 'abc', '', '2.5', '1e308', '99999') }),
  fc.record({ file: fc.nat(), op: fc.constant('cell' as const), at: fc.nat(), value: fc.constantFrom('NaN', 'abc', '1e999', '-1e999', 'inf', '1e308', '-1e308', '', '-9999', '1,5') }),
  fc.record({ file: fc.nat(), op: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ file: fc.nat(), op: fc.constantFrom('bom' as const, 'empty' as const, 'binary' as const, 'extra-row' as const, 'crlf' as const) }),
);

function mutateGrid(text: string, m: GridMutation): string {
  switch (m.op) {
    case 'header': return text.replace(new RegExp(`^${HEADER_KEYS[m.key]}\\s+\\S+`, 'mi'), `${HEADER_KEYS[m.key]} ${m.value}`);
    case 'cell': {
      const lines = text.split('\n');
      const body = lines.slice(6).join('\n');
      const cells = body.split(' ');
      cells[m.at % cells.length] = m.value + (cells[m.at % cells.length].endsWith('\n') ? '\n' : '');
      return [...lines.slice(0, 6), cells.join(' ')].join('\n');
    }
    case 'truncate': return text.slice(0, Math.floor(text.length * m.fraction));
    case 'bom': return '\uFEFF' + text;
    case 'empty': return '';
    case 'binary': return 'II*\u0000\u0008\u0000\u0000\u0000' + text.slice(0, 20);
    case 'extra-row': return text + text.split('\n')[6] + '\n';
    case 'crlf': return text.replace(/\n/g, '\r\n');
  }
}

type OutVariant = 'existing-file' | 'users-files' | 'case-folder' | 'no-out';
const outVariantArb = fc.constantFrom<OutVariant>('existing-file', 'users-files', 'case-folder', 'no-out');

/** The same valid case with an --out that must be refused (or none at all, then nothing may be written). */
function outVariant(spec: CommandSpec, files: CaseFiles, variant: OutVariant): CaseFiles {
  const argv = (dirs: CaseDirs) => {
    const full = files.argv(dirs);
    const k = full.indexOf('--out');
    if (variant === 'no-out') return [...full.slice(0, k), ...full.slice(k + 2)];
    return variant === 'case-folder' ? [...full.slice(0, k + 1), dirs.data, ...full.slice(k + 2)] : full;
  };
  const prepare = (dirs: CaseDirs) => {
    if (variant === 'existing-file') writeFileSync(dirs.out, 'a user\'s file, not a folder\n');
    if (variant === 'users-files') {
      mkdirSync(dirs.out, { recursive: true });
      for (const name of [...(spec.outputs ?? []), 'notes.txt']) {
        mkdirSync(join(dirs.out, name, '..'), { recursive: true });
        writeFileSync(join(dirs.out, name), `a user's ${name}\n`);
      }
    }
    // The case folder gets a file named like an output, as a user's input grid might be.
    if (variant === 'case-folder' && spec.outputs?.length) writeFileSync(join(dirs.data, spec.outputs[0].split('/').pop()!), 'ncols 1\n');
  };
  return { ...files, argv, prepare, writable: variant === 'no-out' ? () => [] : files.writable };
}

type Edit = { on: 'json'; m: Mutation } | { on: 'grid'; m: GridMutation };

function caseFiles(spec: CommandSpec, c: Case, caseText: string, grids = c.grids ?? {}): CaseFiles & { expect?: { retyped?: string } } {
  const files: CaseFiles['files'] = { 'case.json': caseText, ...grids, ...c.binary };
  for (const [name, target] of Object.entries(c.links ?? {})) files[name] = { symlink: target };
  return {
    files,
    argv: (dirs) => spec.argv(join(dirs.data, 'case.json'), dirs),
    writable: (dirs) => (spec.writesOut ? [dirs.out] : []),
  };
}

function mutated(spec: CommandSpec, c: Case, edit: Edit): { files: CaseFiles & { expect?: { retyped?: string } }; label: string } {
  if (edit.on === 'grid' && c.grids && Object.keys(c.grids).length) {
    const names = Object.keys(c.grids);
    const name = names[edit.m.file % names.length];
    return { files: caseFiles(spec, c, JSON.stringify(c.json, null, 1), { ...c.grids, [name]: mutateGrid(c.grids[name], edit.m) }), label: `grid ${name}: ${JSON.stringify(edit.m)}` };
  }
  const m = (edit.m as Mutation);
  const files = caseFiles(spec, c, applyMutation(c.json, m));
  if (m.op === 'retype') {
    const path = retypedPath(c.json, m);
    if (path && !spec.polymorphic?.test(path)) files.expect = { retyped: path };
  }
  return { files, label: describeMutation(c.json, m) };
}

export function commandProperties(spec: CommandSpec): void {
  describe(`sandtable ${spec.command}: properties (issue 15)`, () => {
    const box = sandbox(spec.command.replace(/\s+/g, '-'));
    const cli = new CliChild();
    afterAll(() => cli.stop());
    const editArb: fc.Arbitrary<Edit> = fc.oneof(
      { weight: 4, arbitrary: mutationArb.map((m) => ({ on: 'json' as const, m })) },
      { weight: 1, arbitrary: gridMutationArb.map((m) => ({ on: 'grid' as const, m })) },
    );
    const long = (n: number) => Math.max(120_000, n * spec.timeoutMs * 2);

    it('generated valid cases (with a BOM, CRLF or `_note` keys too): exit 0, JSON on stdout, every number finite, writes only to --out', async () => {
      await fc.assert(fc.asyncProperty(spec.valid, harmlessArb, async (c, h: Harmless) => {
        const files = caseFiles(spec, c, applyHarmless(c.json, h));
        const r = await check(box, cli, spec.command, files, true, spec.timeoutMs);
        if (r.unknown.length) throw new Error(describeFailure(files.argv(r.dirs), files.files, r.unknown, r.outcome));
      }), propertyOptions(spec.runs.valid));
    }, long(spec.runs.valid));

    it('generated mutations: exit 0 or 2 with `error: <path>:` lines; never 1, a stack trace, a hang, a file outside --out', async () => {
      await fc.assert(fc.asyncProperty(spec.valid, editArb, async (c, edit) => {
        const { files, label } = mutated(spec, c, edit);
        const r = await check(box, cli, spec.command, files, false, spec.timeoutMs, files.expect);
        if (r.unknown.length) throw new Error(`mutation: ${label}\n${describeFailure(files.argv(r.dirs), files.files, r.unknown, r.outcome)}`);
      }), propertyOptions(spec.runs.mutated));
    }, long(spec.runs.mutated));

    for (const extra of spec.extra ?? []) {
      it(extra.name, async () => {
        await fc.assert(fc.asyncProperty(extra.cases, async (c) => {
          const files = caseFiles(spec, c, JSON.stringify(c.json, null, 1));
          const r = await check(box, cli, spec.command, files, c.valid ?? false, extra.timeoutMs ?? spec.timeoutMs, c.expect);
          if (r.unknown.length) throw new Error(describeFailure(files.argv(r.dirs), files.files, r.unknown, r.outcome));
        }), propertyOptions(extra.runs));
      }, Math.max(120_000, extra.runs * (extra.timeoutMs ?? spec.timeoutMs) * 4));
    }

    if (spec.writesOut) {
      it('output folders: --out naming a file, a folder with users\' files, or the case folder is refused and changes nothing; no --out writes nothing', async () => {
        await fc.assert(fc.asyncProperty(spec.valid, outVariantArb, async (c, variant) => {
          const files = outVariant(spec, caseFiles(spec, c, JSON.stringify(c.json, null, 1)), variant);
          const r = await check(box, cli, spec.command, files, false, spec.timeoutMs, variant === 'no-out' ? undefined : { refused: variant });
          if (r.unknown.length) throw new Error(`--out variant: ${variant}\n${describeFailure(files.argv(r.dirs), files.files, r.unknown, r.outcome)}`);
        }), propertyOptions(spec.runs.outFolders ?? 10));
      }, long(spec.runs.outFolders ?? 10));
    }

    it('as a real process: valid and mutated cases keep the exit-code and stderr contract', async () => {
      await fc.assert(fc.asyncProperty(spec.valid, fc.option(editArb, { freq: 3 }), async (c, edit) => {
        const { files, label } = edit ? mutated(spec, c, edit) : { files: caseFiles(spec, c, JSON.stringify(c.json, null, 1)), label: 'none' };
        const r = await check(box, 'subprocess', spec.command, files, edit === null, spec.timeoutMs + 3000);
        if (r.unknown.length) throw new Error(`mutation: ${label}\n${describeFailure(files.argv(r.dirs), files.files, r.unknown, r.outcome)}`);
      }), propertyOptions(spec.runs.subprocess));
    }, long(spec.runs.subprocess));
  });
}
