// bin/out-dir.ts on its own: what a failure mid-write leaves (nothing), names that would leave
// the folder (refused as internal failures), and old manifests or links that point outside.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isSafeOutputName, OutDir } from '../../bin/out-dir.ts';
import { formatProblem, InputError } from '../../models/errors.ts';

// A rename that fails on the n-th call into a chosen folder: a disk error part-way through moving
// the results in.
const failing = vi.hoisted(() => ({ into: '', after: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof real.rename = async (from, to) => {
    if (failing.into && String(to).startsWith(failing.into) && failing.after-- === 0) throw Object.assign(new Error('EIO (simulated)'), { code: 'EIO' });
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, rename }, rename };
});

const root = mkdtempSync(join(tmpdir(), 'sandtable-out-commit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `case${++n}`);
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
const problemsOf = (error: unknown) => (error instanceof InputError ? error.problems.map(formatProblem) : [String(error)]);
const prepare = (out: string, force = false) => OutDir.prepare({ command: 'test write', out, force });

describe('output names', () => {
  it('plain names and one subfolder pass; absolute, .., hidden, separators and deeper nesting do not', () => {
    for (const ok of ['flows.csv', 'cap/W-rainstorm-yuzhong-1.alert.xml', 'pressure_head_m_z0.5_t3600.asc', 'fs_min_t1e+21.asc']) expect(isSafeOutputName(ok), ok).toBe(true);
    for (const bad of ['', '/tmp/x', '../x', 'cap/../../x', 'a/b/c', '.hidden', 'cap/.x', 'a\\b', 'a//b', 'x..y', 'cap/', './x', 'a\0b']) expect(isSafeOutputName(bad), bad).toBe(false);
  });

  it('an unsafe name is an internal failure (ids are checked upstream) and nothing is written', async () => {
    const parent = fresh();
    mkdirSync(parent);
    for (const name of ['../escaped.txt', '/tmp/abs.txt', 'a/b/c.txt', 'manifest.json']) {
      const out = await prepare(join(parent, 'out'));
      const error = await out.commit({ 'ok.txt': 'x', [name]: 'y' }, {}, []).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(InputError);
      expect(listing(parent)).toEqual([]);
    }
    expect(readdirSync(root)).not.toContain('escaped.txt');
  });
});

describe('a failure while writing leaves nothing half-written', () => {
  it('into a new folder (and new parents): neither the folder, its parents nor a temporary folder remain', async () => {
    const base = fresh();
    mkdirSync(base);
    const out = await prepare(join(base, 'new', 'deeper', 'out'));
    const boom = () => { throw new Error('disk full (simulated)'); };
    await expect(out.commit({ 'a.txt': 'first', 'b.txt': boom, 'c.txt': 'third' }, {}, [])).rejects.toThrow('disk full (simulated)');
    expect(listing(base)).toEqual([]);
  });

  it('into its own earlier output: every earlier file keeps its bytes, no temporary folder remains', async () => {
    const base = fresh();
    mkdirSync(base);
    const dir = join(base, 'out');
    await (await prepare(dir)).commit({ 'a.txt': 'old a', 'sub/b.txt': 'old b' }, { run: 1 }, []);
    const before = Object.fromEntries(listing(dir).filter((f) => f.endsWith('.txt') || f.endsWith('.json')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const again = await prepare(dir);
    expect(again.state).toBe('own');
    await expect(again.commit({ 'a.txt': 'new a', 'sub/b.txt': () => { throw new Error('simulated'); } }, { run: 2 }, [])).rejects.toThrow('simulated');
    expect(Object.fromEntries(Object.keys(before).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(before);
    expect(readdirSync(base)).toEqual(['out']);
  });

  it('a disk error while moving into its own earlier output puts every earlier file back, and removes nothing', async () => {
    const base = fresh();
    mkdirSync(base);
    const dir = join(base, 'out');
    await (await prepare(dir)).commit({ 'a.txt': 'old a', 'b.txt': 'old b', 'gone.txt': 'old gone', 'sub/c.txt': 'old c' }, { run: 1 }, []);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const before = Object.fromEntries(listing(dir).filter((f) => f.includes('.')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    // Into DIR: a.txt, b.txt, new/d.txt, sub/c.txt, manifest.json; into the temporary folder:
    // the four earlier files set aside, then gone.txt (stale).
    const temp = join(base, '.out.tmp-');
    for (const [into, after] of [[dir, 0], [dir, 1], [dir, 2], [dir, 3], [dir, 4], [temp, 0], [temp, 3], [temp, 4]] as const) {
      failing.into = into;
      failing.after = after;
      const error = await (await prepare(dir)).commit({ 'a.txt': 'new a', 'b.txt': 'new b', 'new/d.txt': 'd', 'sub/c.txt': 'new c' }, { run: 2 }, []).catch((e) => e);
      failing.into = '';
      expect(String(error), `failing rename ${after} into ${into}`).toContain('EIO (simulated)');
      expect(listing(dir)).toEqual(Object.keys(before).concat('sub').sort());
      expect(Object.fromEntries(Object.keys(before).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(before);
      expect(readdirSync(base)).toEqual(['out']);
    }
    // And with no failure the same commit goes through: gone.txt (the earlier run's) goes, notes.txt stays.
    await (await prepare(dir)).commit({ 'a.txt': 'new a', 'b.txt': 'new b', 'new/d.txt': 'd', 'sub/c.txt': 'new c' }, { run: 2 }, []);
    expect(listing(dir)).toEqual(['a.txt', 'b.txt', 'manifest.json', 'new', 'new/d.txt', 'notes.txt', 'sub', 'sub/c.txt']);
  });

  it('a refusal found only at commit (an output name taken by a folder) changes nothing and leaves no temporary folder', async () => {
    const base = fresh();
    mkdirSync(base);
    const dir = join(base, 'out');
    await (await prepare(dir)).commit({ 'a.txt': 'old a' }, {}, []);
    mkdirSync(join(dir, 'b.txt'));
    const error = await (await prepare(dir)).commit({ 'a.txt': 'new a', 'b.txt': 'b' }, {}, []).catch((e) => e);
    expect(problemsOf(error)).toEqual([`error: --out: holds a folder named like the output b.txt (got ${JSON.stringify(dir)}, expected a plain file or nothing at each output name)`]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old a');
    expect(readdirSync(base)).toEqual(['out']);
  });
});

describe('nothing outside the folder is written or removed', () => {
  it('an earlier manifest listing ../victim does not make a rerun remove it', async () => {
    const base = fresh();
    mkdirSync(base);
    const dir = join(base, 'out');
    await (await prepare(dir)).commit({ 'a.txt': 'a' }, {}, []);
    writeFileSync(join(base, 'victim.txt'), 'keep');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ command: 'test write', files: ['a.txt', '../victim.txt', `${base}/victim.txt`, 'sub/../../victim.txt'] }));
    await (await prepare(dir)).commit({ 'b.txt': 'b' }, {}, []);
    expect(readFileSync(join(base, 'victim.txt'), 'utf8')).toBe('keep');
    expect(listing(dir)).toEqual(['b.txt', 'manifest.json']); // a.txt was its own, and went
  });

  it('a subfolder that is a link to elsewhere is refused, and elsewhere stays as it was', async () => {
    const base = fresh();
    mkdirSync(join(base, 'elsewhere'), { recursive: true });
    const dir = join(base, 'out');
    await (await prepare(dir)).commit({ 'a.txt': 'a' }, {}, []);
    symlinkSync(join(base, 'elsewhere'), join(dir, 'cap'));
    for (const force of [false, true]) {
      const error = await (await prepare(dir, force)).commit({ 'cap/x.xml': 'x' }, {}, []).catch((e) => e);
      expect(problemsOf(error)).toEqual([`error: --out: cap/ leads outside the output folder (to ${join(base, 'elsewhere')}) (got ${JSON.stringify(dir)}, expected a folder whose subfolders are its own)`]);
      expect(readdirSync(join(base, 'elsewhere'))).toEqual([]);
    }
  });

  it('an empty --out, an own --out: the states prepare reports', async () => {
    const base = fresh();
    mkdirSync(join(base, 'empty'), { recursive: true });
    expect((await prepare(join(base, 'empty'))).state).toBe('empty');
    expect((await prepare(join(base, 'nothing-yet'))).state).toBe('new');
    writeFileSync(join(base, 'empty', 'manifest.json'), JSON.stringify({ command: 'another command', files: [] }));
    await expect(prepare(join(base, 'empty'))).rejects.toThrow(/is a folder of files `sandtable test write` did not write/);
    expect((await prepare(join(base, 'empty'), true)).state).toBe('forced');
    await expect(prepare('')).rejects.toThrow('error: --out: is empty');
  });
});

describe('manifests written before the "command" field', () => {
  it('an earlier `run` output (scenario and results hashes, no command) is run\'s own; for another command it is foreign', async () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify({ scenario: 's', scenario_sha256: 'a'.repeat(64), results_sha256: 'b'.repeat(64), files: ['flows.csv'] }));
    writeFileSync(join(out, 'flows.csv'), 'old\n');
    await expect(OutDir.prepare({ command: 'run', out, force: false })).resolves.toBeInstanceOf(OutDir);
    const foreign = await OutDir.prepare({ command: 'fire spread', out, force: false }).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(InputError);
  });
});
