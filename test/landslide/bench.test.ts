// The landslide benchmark as the lead reruns it: kernel rows agree across wasm, TS and native, and
// the grid rows (at a size from --grid-cells) carry what a scaling claim needs: start-up apart from
// the runs, wall and CPU time, speed-up and efficiency over one worker.
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../cli-harness.ts';
import { landslideBenchmark } from '../../benchmarks/landslide/iverson.ts';

const { sandtable } = cliWorkspace('landslide-bench');

describe('landslide benchmark', () => {
  it('grid rows at the asked size report start-up, first run, wall, CPU, speed-up and efficiency', async () => {
    const lines: string[] = [];
    const rows = await landslideBenchmark.run({ runs: 1, sizes: [30], gridCells: 250, log: (l) => lines.push(l) });
    const kernel = rows.find((r) => r.kernel === 'iverson')!;
    expect(kernel.results_agree).toBe(true);
    const one = rows.find((r) => r.kernel === 'grid-1-worker')!;
    const two = rows.find((r) => r.kernel === 'grid-2-workers')!;
    for (const row of [one, two]) {
      expect(row.size).toBe(300); // whole rows of 100 cells
      expect(row.results_agree).toBe(true);
      for (const key of ['start_ms', 'start_cpu_ms', 'first_run_s', 'wall_s', 'cpu_s', 'cpu_us_per_cell', 'main_thread_busy_ms']) {
        expect(row.details![key]).toBeGreaterThan(0);
      }
      expect(row.wasm_per_s).toBeCloseTo(300 / row.details!.wall_s, 6);
    }
    expect(one.details!.speedup).toBe(1);
    expect(one.details!.efficiency).toBe(1);
    expect(two.details!.speedup).toBeCloseTo(one.details!.wall_s / two.details!.wall_s, 12);
    expect(two.details!.efficiency).toBeCloseTo(two.details!.speedup / 2, 12);
    expect(lines.some((l) => /2 worker\(s\), 300 cells: start-up \d+ ms/.test(l))).toBe(true);
  }, 60_000);

  it('--grid-cells must be a positive integer', () => {
    const r = sandtable(['bench', '--model', 'landslide', '--grid-cells', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--grid-cells/);
  });
});
