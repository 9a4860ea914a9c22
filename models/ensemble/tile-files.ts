// A tile's grids as one binary file in a shared results folder, so they need not cross Redis: a
// 10 M-cell run's grids as base64 job return values were ≈ 0.9 GB in Redis. The queue worker writes
// the file (temporary name, then rename: a worker killed mid-write leaves no half file, a retry
// replaces it) and its job returns only the path and the file's SHA-256; the coordinator reads the
// file and refuses it unless the hash matches. Indexed runs (--index I --results DIR) of the grid
// ensemble write the same files; their header holds the SHA-256 of the data, so a reduce that has
// no job to ask checks that.
//
// Layout: "STTILE01", u32 header length (LE), the JSON header, zero padding to 8 bytes, then each
// section in the header's order: a grid's float64 values (little-endian; entry [name, count]) or
// bytes (a tile's ASCII text; entry [name, byte count, "u8"], zero-padded to 8 bytes).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { Grid } from '../grid/ascii.ts';

const MAGIC = 'STTILE01';

/** `tile-text`: a queue tile's output grids as ESRI ASCII rows (tile-text.ts). `tile-input`, `fs-probability-input`: a queue tile's input grids, cut by the coordinator (tile-inputs.ts, fs-grid-inputs.ts). */
export type TileFileKind = 'tile' | 'tile-text' | 'fs-probability-tile' | 'tile-input' | 'fs-probability-input';

/** What a queue job returns instead of the grids. */
export interface TileFileRef { index: number; path: string; sha256: string }

export const tileFileName = (kind: TileFileKind, index: number) => `${kind}-${String(index).padStart(6, '0')}.bin`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Kinds an indexed run's reduce reads with no job to give it the file's hash: their header holds the
 * data's. A queue tile's files (`tile`, `tile-input`) are only read with their job's hash of the
 * whole file, so their writer hashes them once, not twice (on the 10 M-cell benchmark, ≈ 1 GB of
 * SHA-256 a run, ≈ 0.9 s of CPU, taken from the tiles).
 */
const SELF_CHECKED: ReadonlySet<TileFileKind> = new Set(['fs-probability-tile']);

/**
 * A file section written in place: `doubles` float64 values that `fill` puts straight into the
 * file's buffer (a coordinator cuts a tile's rows there, with no array of its own in between).
 */
export interface FilledSection { doubles: number; fill(into: Float64Array): void }

/** A section of a tile file: doubles, doubles filled in place, or bytes (a tile's ESRI ASCII text; tile-text.ts). */
export type TileSection = Float64Array | FilledSection | Uint8Array;

const sectionBytes = (s: TileSection) => (s instanceof Uint8Array ? Math.ceil(s.byteLength / 8) * 8 : s instanceof Float64Array ? s.byteLength : s.doubles * 8);
// Doubles sections keep the entry they always had ([name, length]): the files' bytes are unchanged.
const sectionEntry = (name: string, s: TileSection) => (s instanceof Uint8Array ? [name, s.byteLength, 'u8'] : [name, s instanceof Float64Array ? s.length : s.doubles]);

export async function writeTileFile(dir: string, kind: TileFileKind, runId: string, index: number, meta: unknown, grids: Record<string, TileSection>): Promise<TileFileRef> {
  const names = Object.keys(grids);
  const headerOf = (dataSha256?: string) => Buffer.from(JSON.stringify({ run_id: runId, kind, index, meta, grids: names.map((n) => sectionEntry(n, grids[n])), ...(dataSha256 === undefined ? {} : { data_sha256: dataSha256 }) }));
  // A hash is 64 hex digits whatever it is: the header is sized before the data are hashed, so the data are copied once, into the file.
  let header = headerOf(SELF_CHECKED.has(kind) ? '0'.repeat(64) : undefined);
  const padded = Math.ceil((12 + header.length) / 8) * 8;
  // A buffer of its own (offset 0): every section starts at a multiple of 8 bytes, so doubles are filled in place.
  const file = Buffer.allocUnsafeSlow(padded + names.reduce((sum, n) => sum + sectionBytes(grids[n]), 0));
  file.fill(0, 0, padded);
  let at = padded;
  for (const n of names) {
    const section = grids[n];
    if (section instanceof Uint8Array) {
      file.set(section, at);
      file.fill(0, at + section.byteLength, at + sectionBytes(section));
    } else if (section instanceof Float64Array) file.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), at);
    else section.fill(new Float64Array(file.buffer, at, section.doubles));
    at += sectionBytes(section);
  }
  if (SELF_CHECKED.has(kind)) header = headerOf(sha256(file.subarray(padded)));
  file.write(MAGIC, 0, 'latin1');
  file.writeUInt32LE(header.length, 8);
  header.copy(file, 12);
  await mkdir(dir, { recursive: true });
  const path = resolve(join(dir, tileFileName(kind, index)));
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, file);
  await rename(temp, path);
  return { index, path, sha256: sha256(file) };
}

/** `grids`: the doubles sections; `bytes`: the byte sections (views into the file). */
export interface TileFile { meta: unknown; grids: Record<string, Float64Array>; bytes: Record<string, Uint8Array> }

/** A grid without its values: what a tile file keeps in its JSON part. */
export type GridHead = Omit<Grid, 'values'>;

/** Grids from a tile file's heads (a grid without its values) and doubles. */
export function joinGrids(heads: Record<string, GridHead>, values: Record<string, Float64Array>): Record<string, Grid> {
  return Object.fromEntries(Object.entries(heads).map(([name, head]) => [name, { ...head, values: values[name] }]));
}

/**
 * The tile's grids from its file, checked: the whole file against `expectedSha256` when a job gave
 * it, the data against the header's hash always, and the run and index against the header.
 */
export async function readTileFile(path: string, kind: TileFileKind, runId: string, index: number, expectedSha256?: string): Promise<TileFile> {
  let file: Buffer;
  // A tile's input is the coordinator's file for a worker; every other kind, a worker's for the coordinator.
  const [what, writer] = kind === 'tile-input' || kind === 'fs-probability-input' ? ['input', 'coordinator'] : ['result', 'worker'];
  try {
    file = await readFile(path);
  } catch (error) {
    throw new Error(`tile ${index}'s ${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code}): is the results folder shared by every worker?`);
  }
  if (expectedSha256 !== undefined && sha256(file) !== expectedSha256) {
    throw new Error(`tile ${index}'s ${what} ${path} is not the file its ${writer} wrote (SHA-256 differs): changed or overwritten since`);
  }
  const bad = (why: string) => InputError.single(path, why, undefined, `a ${kind} file written by a run of the same case (run ${runId}), tile ${index}`);
  if (file.length < 12 || file.toString('latin1', 0, 8) !== MAGIC) throw bad('is not a tile result file');
  const headerLength = file.readUInt32LE(8);
  let header: { run_id?: string; kind?: string; index?: number; meta?: unknown; grids?: [string, number, 'u8'?][]; data_sha256?: string };
  try { header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)); } catch { throw bad('is not a tile result file'); }
  if (header.run_id !== runId) throw InputError.single(path, 'is the result of another run', header.run_id, `run ${runId} (the same case, members, seed and tile size)`);
  if (header.kind !== kind || header.index !== index || !Array.isArray(header.grids)) throw bad(`is not the ${kind} ${index}`);
  const start = Math.ceil((12 + headerLength) / 8) * 8;
  const data = file.subarray(start);
  // The whole file's hash, when a job gave it, already vouches for the data.
  if (expectedSha256 === undefined) {
    if (header.data_sha256 === undefined) throw bad('carries no SHA-256 of its data (a queue job\'s file: it is checked against the hash its job returned)');
    if (sha256(data) !== header.data_sha256) throw bad('is damaged (its data does not match the SHA-256 in its header)');
  }
  const grids: Record<string, Float64Array> = {};
  const bytes: Record<string, Uint8Array> = {};
  let at = 0;
  // A file read into a buffer of its own (as large files are) is viewed in place: its data start at a multiple of 8 bytes.
  const ownBuffer = file.byteOffset === 0 && file.buffer.byteLength === file.length;
  for (const [name, length, form] of header.grids) {
    if (form === 'u8') {
      bytes[name] = data.subarray(at, at + length);
      at += Math.ceil(length / 8) * 8;
      continue;
    }
    // Otherwise a copy into an aligned buffer: a Buffer may sit at any offset of Node's pool.
    const values = ownBuffer ? new Float64Array(file.buffer, start + at, length) : new Float64Array(length);
    if (!ownBuffer) new Uint8Array(values.buffer).set(data.subarray(at, at + length * 8));
    at += length * 8;
    grids[name] = values;
  }
  return { meta: header.meta, grids, bytes };
}
