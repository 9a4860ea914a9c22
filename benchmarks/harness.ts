// Shared benchmark machinery: timing by median of runs, the machine description, and building and
// running the native C yardstick of a kernel with the machine's gcc.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  model: string;
  kernel: string;
  size: number;
  size_label: string;
  unit: string;
  wasm_per_s: number;
  ts_per_s: number;
  native_per_s: number | null;
  native_note?: string;
  wasm_to_native: number | null;
  runs: number;
  /** wasm, TS and native produced the same checksum: the three ran the same algorithm. */
  results_agree: boolean;
  /** The wasm result's checksum (the TS and native ones agree with it when results_agree): a refactor that changes no result leaves it as it was. */
  checksum?: number;
  /** Measurements a row has beyond the throughputs (e.g. the multi-worker rows' start-up and CPU time). */
  details?: Record<string, number>;
}

export interface BenchOptions {
  runs: number;
  sizes?: number[];
  /** Cells of the landslide grid-form rows (`--grid-cells`). */
  gridCells?: number;
  log: (line: string) => void;
}

export interface Benchmark {
  model: string;
  kernel: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

/** Median seconds of `runs` calls (after one warm-up call whose result is returned). */
export function timeRuns<T>(runs: number, fn: () => T): { seconds: number; result: T } {
  const result = fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push((performance.now() - start) / 1000);
  }
  return { seconds: median(times), result };
}

function commandVersion(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return null;
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    gcc: commandVersion('gcc', ['--version']),
  };
}

const NATIVE_DIR = fileURLToPath(new URL('./.native/', import.meta.url));
/** The same flags for every kernel; no FMA contraction so results match wasm bit for bit. */
export const NATIVE_FLAGS = ['-O3', '-march=native', '-ffp-contract=off', '-std=c11'];

/** Compiles `source` (a .c file next to a benchmark) once; returns the binary or why not. */
export function buildNative(source: URL, name: string): { binary: string } | { error: string } {
  if (commandVersion('gcc', ['--version']) === null) return { error: 'no gcc on this machine' };
  mkdirSync(NATIVE_DIR, { recursive: true });
  const binary = `${NATIVE_DIR}${name}`;
  const sourcePath = fileURLToPath(source);
  try {
    if (statSync(binary).mtimeMs > statSync(sourcePath).mtimeMs) return { binary };
  } catch { /* not built yet */ }
  const built = spawnSync('gcc', [...NATIVE_FLAGS, '-o', binary, sourcePath, '-lm'], { encoding: 'utf8' });
  if (built.status !== 0) return { error: `gcc failed: ${built.stderr.trim().split('\n').slice(0, 3).join(' ')}` };
  return { binary };
}

/** Runs a native benchmark binary that prints one JSON line `{ "seconds": [...], "checksum": x }`. */
export function runNative(binary: string, args: string[]): { seconds: number; checksum: number } {
  const out = execFileSync(binary, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const parsed = JSON.parse(out) as { seconds: number[]; checksum: number };
  return { seconds: median(parsed.seconds), checksum: parsed.checksum };
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return 'n/a';
  return perSecond.toExponential(3);
}

/** The native yardstick's timing and checksum, or why there is none. */
export type NativeMeasurement = { seconds: number; checksum: number } | { note: string };

/**
 * Runs a native benchmark binary on `input` (written to a temporary file, removed afterwards);
 * `args` receives the file's path and returns the binary's arguments.
 */
export function measureNative(native: ReturnType<typeof buildNative>, input: Uint8Array, args: (inputPath: string) => string[]): NativeMeasurement {
  if (!('binary' in native)) return { note: native.error };
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-bench-'));
  try {
    const path = join(dir, 'input.bin');
    writeFileSync(path, input);
    return runNative(native.binary, args(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One row of `bench --json`, throughputs as `work` units per second. */
export function benchRow(fields: {
  model: string; kernel: string; size: number; sizeLabel: string; unit: string; work: number;
  wasmSeconds: number; tsSeconds: number; native: NativeMeasurement; runs: number; agree: boolean; checksum?: number;
}): BenchResult {
  const wasmPerSecond = fields.work / fields.wasmSeconds;
  const nativePerSecond = 'seconds' in fields.native ? fields.work / fields.native.seconds : null;
  return {
    model: fields.model, kernel: fields.kernel, size: fields.size, size_label: fields.sizeLabel, unit: fields.unit,
    wasm_per_s: wasmPerSecond, ts_per_s: fields.work / fields.tsSeconds, native_per_s: nativePerSecond,
    ...('note' in fields.native ? { native_note: fields.native.note } : {}),
    wasm_to_native: nativePerSecond === null ? null : nativePerSecond / wasmPerSecond,
    runs: fields.runs, results_agree: fields.agree, ...(fields.checksum === undefined ? {} : { checksum: fields.checksum }),
  };
}

/** The native checksum when there is one: agreement checks skip a missing yardstick. */
export function nativeChecksum(native: NativeMeasurement): number | null {
  return 'checksum' in native ? native.checksum : null;
}
