// The native C yardstick of the benchmark runs the same algorithm: its checksum equals the wasm and
// TS checksums bit for bit on a small run (skipped where the machine has no gcc).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNative, runNative } from '../../benchmarks/harness.ts';
import { benchmarkCells, benchmarkSetup, checksum, runBytes } from '../../benchmarks/landslide/iverson.ts';
import { runReference } from '../../models/landslide/reference.ts';
import { runLandslideWasm } from '../../models/landslide/kernel.ts';
import { loadKernels } from '../../models/wasm-node.ts';

const native = buildNative(new URL('../../benchmarks/landslide/iverson.c', import.meta.url), 'landslide-iverson');

describe('native C landslide yardstick', () => {
  it.skipIf(!('binary' in native))('checksum of 300 cells × 72 hourly periods × 10 depths equals wasm and TS exactly', async () => {
    const cells = benchmarkCells(300, 77);
    const setup = benchmarkSetup(true);
    const dir = mkdtempSync(join(tmpdir(), 'sandtable-landslide-native-'));
    writeFileSync(join(dir, 'run.bin'), runBytes(cells, setup));
    const c = runNative((native as { binary: string }).binary, [join(dir, 'run.bin'), '1']).checksum;
    const wasm = checksum([runLandslideWasm(await loadKernels(), cells, setup)]);
    expect(wasm).toBe(checksum([runReference(cells, setup)]));
    expect(c).toBe(wasm);
    // Some of these cells fail during the storm, so first-failure times are part of the sum.
    expect(Array.from(runReference(cells, setup).firstFailure).some((t) => !Number.isNaN(t))).toBe(true);
  });
});
