// The terrain benchmark as the lead reruns it, on a small DEM: a row per pass and one for all five,
// wasm, TS twin and native C agreeing on every checksum, wall and CPU seconds in each row.
import { describe, expect, it } from 'vitest';
import { terrainBenchmark } from '../../benchmarks/region/terrain.ts';

describe('region terrain benchmark', () => {
  it('rows for fill, D8, accumulation, HAND, slope and all passes agree across wasm, TS and native', async () => {
    const lines: string[] = [];
    const rows = await terrainBenchmark.run({ runs: 1, sizes: [96], log: (l) => lines.push(l) });
    expect(rows.map((r) => r.kernel)).toEqual(['fill', 'd8', 'accumulation', 'hand', 'slope', 'all passes']);
    for (const row of rows) {
      expect(row.model).toBe('region');
      expect(row.size).toBe(96 * 96);
      expect(row.results_agree, row.kernel).toBe(true);
      expect(row.wasm_per_s).toBeGreaterThan(0);
      expect(row.ts_per_s).toBeGreaterThan(0);
      expect(row.details!.wasm_cpu_s).toBeGreaterThanOrEqual(0);
      if (row.native_per_s === null) expect(row.native_note).toMatch(/gcc/);
    }
    const all = rows[5];
    const passes = rows.slice(0, 5);
    expect(96 * 96 / all.wasm_per_s).toBeCloseTo(passes.reduce((s, r) => s + 96 * 96 / r.wasm_per_s, 0), 9);
    expect(lines[0]).toMatch(/^region\/terrain: 96 × 96 synthetic DEM, \d+ cells filled \(max [\d.]+ m\), \d+ flat or pit cells$/);
  }, 60_000);
});
