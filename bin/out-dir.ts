// The output folder of every command that writes files (CONTRACT.md, "Output folders"):
// `--out DIR` is new, empty, or an earlier output of the same command (its manifest.json says so)
// unless --force; every file lands inside DIR; results are written to a temporary folder beside
// DIR first, so a failed run leaves nothing half-written; an input is never overwritten, --force
// or not. Commands call `outDirOf` before running the model and `commit` with everything at the end.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, readdir, readFile, realpath, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, type Problem } from '../models/errors.ts';

const MANIFEST = 'manifest.json';
/** One name segment: no leading dot (hidden files, `.` and `..`), no separators, nothing odd. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$/;
/** Output names are `file` or `folder/file`: the commands' layouts need no deeper nesting. */
const MAX_SEGMENTS = 2;

/** A file's content, or a function giving it, so large grids are formatted one at a time. */
export type OutContent = string | Uint8Array | (() => string | Uint8Array);

/** Whether `name` is a relative output name that stays inside its folder (see SEGMENT). */
export function isSafeOutputName(name: string): boolean {
  const segments = name.split('/');
  return segments.length <= MAX_SEGMENTS && segments.every((s) => SEGMENT.test(s) && !s.includes('..'));
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && resolve(root, rel) === path;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A folder the command cannot write to is the user's to fix (exit 2), found before the model runs. */
async function writable(folder: string, out: string): Promise<void> {
  try {
    await access(folder, constants.W_OK | constants.X_OK | constants.R_OK);
  } catch (error) {
    throw InputError.single('--out', `cannot be written: ${folder} is not writable (${(error as NodeJS.ErrnoException).code})`, out, 'a folder this user may write to');
  }
}

type Identity = string;
const identity = (s: { dev: number; ino: number }): Identity => `${s.dev}:${s.ino}`;

/** The previous manifest's file list, when DIR holds one written by `command`. */
async function ownFiles(dir: string, command: string): Promise<string[] | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { command?: unknown; files?: unknown; scenario_sha256?: unknown; results_sha256?: unknown };
    // `run` wrote manifests before the field existed: its scenario and results hashes identify them.
    const earlierRun = manifest?.command === undefined && command === 'run'
      && typeof manifest.scenario_sha256 === 'string' && typeof manifest.results_sha256 === 'string';
    if (manifest?.command !== command && !earlierRun) return undefined;
    return Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return undefined;
  }
}

export interface OutDirOptions {
  /** The command's words, as recorded in the manifest: `fire spread`, `run`, … */
  command: string;
  /** `--out` as the user gave it. */
  out: string;
  force: boolean;
}

/**
 * An output folder checked before the model runs. `commit` writes the results; nothing touches
 * DIR before it.
 */
export class OutDir {
  private constructor(
    readonly command: string,
    /** As the user wrote it, for messages. */
    readonly shown: string,
    /** Absolute; the real path when DIR exists. */
    readonly path: string,
    readonly state: 'new' | 'empty' | 'own' | 'forced',
    /** Files the previous run of this command wrote (state 'own'): a rerun may replace or remove them. */
    private readonly previous: readonly string[],
    private readonly force: boolean,
  ) {}

  /** Checks `--out` (fail fast, exit 2): a file, or a folder of someone else's files without --force, is refused. */
  static async prepare({ command, out, force }: OutDirOptions): Promise<OutDir> {
    if (out === '') throw InputError.single('--out', 'is empty', out, 'a folder path');
    const absolute = resolve(out);
    const seen = await lstatOrUndefined(absolute);
    if (!seen) {
      // Fail now, not after the model: the nearest existing ancestor must be a folder.
      let ancestor = dirname(absolute);
      while (!(await lstatOrUndefined(ancestor)) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
      if (!(await stat(ancestor).then((s) => s.isDirectory(), () => false))) {
        throw InputError.single('--out', `lies under ${ancestor}, which is not a folder`, out, 'a new or empty folder');
      }
      await writable(ancestor, out);
      return new OutDir(command, out, absolute, 'new', [], force);
    }
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      throw InputError.single('--out', 'is a symbolic link to nothing', out, 'a new or empty folder');
    }
    if (!(await stat(real)).isDirectory()) {
      throw InputError.single('--out', 'names an existing file, not a folder', out, 'a new or empty folder');
    }
    await writable(real, out);
    const entries = await readdir(real);
    if (entries.length === 0) return new OutDir(command, out, real, 'empty', [], force);
    const previous = await ownFiles(real, command);
    if (previous) return new OutDir(command, out, real, 'own', previous, force);
    if (!force) {
      throw InputError.single('--out', `is a folder of files \`sandtable ${command}\` did not write (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, no manifest.json of this command)`, out,
        `a new or empty folder, an earlier output of \`sandtable ${command}\`, or --force to write into it (inputs are never overwritten)`);
    }
    return new OutDir(command, out, real, 'forced', [], force);
  }

  /**
   * Writes `files` (name → content) and manifest.json (`command`, then `manifest`'s fields, then
   * `files`: every name written besides the manifest) into DIR, never over `inputs` (files the
   * command read). Returns the names written, manifest last.
   */
  async commit(files: Record<string, OutContent>, manifest: Record<string, unknown>, inputs: readonly string[]): Promise<string[]> {
    const names = Object.keys(files).sort();
    for (const name of [...names, MANIFEST]) {
      // Ids that reach file names are checked where the user wrote them; this is the backstop.
      if (!isSafeOutputName(name)) throw new Error(`output name ${JSON.stringify(name)} would not stay inside --out`);
    }
    if (names.includes(MANIFEST)) throw new Error(`${MANIFEST} is written by the output folder, not by the command`);
    const written = [...names, MANIFEST];
    const manifestText = JSON.stringify({ command: this.command, ...manifest, files: names }, null, 1) + '\n';
    const parent = dirname(this.path);
    const created = this.state === 'new' ? await mkdir(parent, { recursive: true }) : undefined;
    let temp: string | undefined;
    try {
      const work = temp = await this.tempFolder(parent);
      for (const name of names) await this.writeInto(work, name, files[name]);
      await this.writeInto(work, MANIFEST, manifestText);
      if (this.state === 'new') {
        // One rename: the whole result appears at once.
        try {
          await rename(work, this.path);
          temp = undefined;
          return written;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
          // The folder appeared meanwhile: into it file by file, with its checks.
        }
      }
      // An existing folder stays (its owner, permissions, anyone's working directory in it): the
      // files move in one by one, the manifest last, each earlier file set aside in the temporary
      // folder first, so a failure part-way puts everything back as it was.
      const { stale } = await this.plan(names, inputs);
      await this.moveIn(work, written, stale);
      return written;
    } catch (error) {
      if (created) await rm(created, { recursive: true, force: true });
      throw error;
    } finally {
      if (temp) await rm(temp, { recursive: true, force: true });
    }
  }

  private async moveIn(work: string, names: readonly string[], stale: readonly string[]): Promise<void> {
    const aside = join(work, '.previous');
    const journal: { name: string; replaced: boolean; added: boolean }[] = [];
    const subfolders: string[] = [];
    const setAside = async (name: string) => {
      if (!(await lstatOrUndefined(join(this.path, name)))) return false;
      await mkdir(dirname(join(aside, name)), { recursive: true });
      await rename(join(this.path, name), join(aside, name));
      return true;
    };
    try {
      for (const name of names) {
        const made = await mkdir(dirname(join(this.path, name)), { recursive: true });
        if (made) subfolders.push(made);
        const entry = { name, replaced: await setAside(name), added: true };
        journal.push(entry);
        await rename(join(work, name), join(this.path, name));
      }
      for (const name of stale) journal.push({ name, replaced: await setAside(name), added: false });
    } catch (error) {
      for (const { name, replaced, added } of journal.reverse()) {
        if (added) await rm(join(this.path, name), { force: true });
        if (replaced) await rename(join(aside, name), join(this.path, name));
      }
      for (const folder of subfolders.reverse()) await rmdir(folder).catch(() => undefined);
      throw error;
    }
    // Subfolders the stale files leave empty go too.
    for (const name of stale) if (name.includes('/')) await rmdir(join(this.path, dirname(name))).catch(() => undefined);
  }

  /**
   * Beside DIR (same filesystem, so renames are atomic); inside DIR when its parent is not
   * writable. Made with mkdir, not mkdtemp, so the folder renamed into place gets the usual
   * permissions (umask) rather than mkdtemp's 0700.
   */
  private async tempFolder(parent: string): Promise<string> {
    const attempt = async (where: string, prefix: string) => {
      const path = join(where, `${prefix}${randomBytes(6).toString('hex')}`);
      await mkdir(path);
      return path;
    };
    try {
      return await attempt(parent, `.${basename(this.path)}.tmp-`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (this.state === 'new' || !['EACCES', 'EPERM', 'EROFS'].includes(code ?? '')) throw error;
      return attempt(this.path, '.sandtable-tmp-');
    }
  }

  private async writeInto(root: string, name: string, content: OutContent): Promise<void> {
    const path = resolve(root, name);
    if (!inside(root, path)) throw new Error(`output ${JSON.stringify(name)} resolves outside ${root}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'function' ? content() : content, { flag: 'wx' });
  }

  /**
   * Before anything moves into an existing DIR: every destination is a plain file (or absent),
   * inside DIR by its real path, not an input, and not a user's file unless --force.
   */
  private async plan(names: readonly string[], inputs: readonly string[]): Promise<{ stale: string[] }> {
    const inputIds = new Map<Identity, string>();
    for (const input of inputs) {
      for (const s of await Promise.all([lstatOrUndefined(resolve(input)), stat(resolve(input)).catch(() => undefined)])) {
        if (s) inputIds.set(identity(s), input);
      }
    }
    const owned = new Set([...this.previous, MANIFEST]);
    const problems: Problem[] = [];
    for (const name of [...names, MANIFEST]) {
      const target = join(this.path, name);
      const folder = await this.realFolder(dirname(target));
      if (folder !== undefined && folder !== this.path && !inside(this.path, folder)) {
        problems.push({ path: '--out', message: `${dirname(name)}/ leads outside the output folder (to ${folder})`, value: this.shown, expected: 'a folder whose subfolders are its own' });
        continue;
      }
      if (folder !== undefined && !(await stat(folder)).isDirectory()) {
        problems.push({ path: '--out', message: `holds a file named like the output folder ${dirname(name)}/`, value: this.shown, expected: 'a folder or nothing there' });
        continue;
      }
      const existing = await lstatOrUndefined(target);
      if (!existing) continue;
      const input = inputIds.get(identity(existing));
      if (input !== undefined) {
        problems.push({ path: '--out', message: `would overwrite the input file ${input} with the output ${name}`, value: this.shown, expected: 'an output folder that holds none of the command\'s inputs under an output\'s name (--force does not change this)' });
      } else if (existing.isDirectory()) {
        problems.push({ path: '--out', message: `holds a folder named like the output ${name}`, value: this.shown, expected: 'a plain file or nothing at each output name' });
      } else if (!this.force && !owned.has(name)) {
        problems.push({ path: '--out', message: `holds ${name}, which the previous \`sandtable ${this.command}\` did not write`, value: this.shown, expected: 'that file moved away, or --force to replace it' });
      }
    }
    if (problems.length) throw new InputError(problems);
    const next = new Set(names);
    const stale: string[] = [];
    for (const name of this.previous) {
      // An old manifest is a file like any other: only safe names, never an input, never a folder.
      if (next.has(name) || name === MANIFEST || !isSafeOutputName(name)) continue;
      const target = join(this.path, name);
      const folder = await this.realFolder(dirname(target));
      const existing = await lstatOrUndefined(target);
      if (folder !== this.path && !(folder && inside(this.path, folder))) continue;
      if (!existing || existing.isDirectory() || inputIds.has(identity(existing))) continue;
      stale.push(name);
    }
    return { stale };
  }

  private async realFolder(folder: string): Promise<string | undefined> {
    try {
      return await realpath(folder);
    } catch {
      return undefined;
    }
  }
}

/** `--out` and `--force` from parsed options: undefined when no --out was given. */
export async function outDirOf(command: string, options: Map<string, string | true>): Promise<OutDir | undefined> {
  const out = options.get('out');
  if (out === undefined) return undefined;
  if (out === true) throw InputError.single('--out', 'needs a value', undefined, '--out DIR');
  return OutDir.prepare({ command, out, force: options.has('force') });
}
