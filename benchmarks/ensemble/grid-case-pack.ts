// CPU of packing the slope grid's case per ensemble member (a diagnostic, not a test): run with
//   node --expose-gc --import tsx benchmarks/ensemble/grid-case-pack.ts [--calls 12] [--root DIR]
// gridCaseFromArrays on the demo region's coarse grid (204 × 204 blocks, 6 per-block soil arrays,
// 3 constants, 72 hourly rain grids), once per "member": each call's argument an object spread
// (a shape of its own, as the slope grid made it until 5 Dec 2026), then a full collection, which
// drops that shape as the end of a member does. Prints the process CPU (every thread: the
// TurboFan compiler threads too) of each call and its collection, and the mean of the second half.
// --root takes the models from another checkout (a worktree of main) to compare before/after.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const arg = (name: string) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? process.argv[k + 1] : undefined; };
const root = resolve(arg('root') ?? fileURLToPath(new URL('../..', import.meta.url)));
const calls = Number(arg('calls') ?? 12);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const { loadKernels } = await import(pathToFileURL(join(root, 'models/wasm-node.ts')).href);
const { gridCaseFromArrays } = await import(pathToFileURL(join(root, 'models/landslide/grid-typed.ts')).href);
await loadKernels();

const side = 204;
const count = side * side;
const filled = (f: (i: number) => number) => Float64Array.from({ length: count }, (_, i) => f(i));
// Gentle ground is NODATA (NaN) as in the slope grid: about half the blocks are steep.
const slope = filled((i) => ((i * 7919) % 100 < 50 ? 15 + ((i * 31) % 45) : NaN));
const base = {
  geometry: { ncols: side, nrows: side, xllcorner: 640000, yllcorner: 3262000, cellsize: 100, nodata: -9999 },
  cells: {
    slope_deg: slope, soil_depth_m: filled((i) => 1.8 + (i % 17) / 10), water_table_depth_m: filled((i) => 1 + (i % 7) / 10),
    cohesion_pa: filled((i) => 4000 + (i % 97) * 100), friction_deg: filled((i) => 30 + (i % 60) / 10), ks_m_per_s: filled((i) => 2e-6 * (1 + (i % 9))),
    unit_weight_soil_n_per_m3: 19500, diffusivity_m2_per_s: 6e-5, background_infiltration_m_per_s: 2e-8,
  },
  rain: { periodS: 3600, mmPerHour: Array.from({ length: 72 }, (_, h) => filled((i) => ((h + i) % 13) * 1.5)) },
  outputTimesS: Array.from({ length: 72 }, (_, h) => (h + 1) * 3600),
  basalBoundary: 'finite',
  summaryOnly: true,
};
let lent: Float64Array | undefined;
const cpuMs: number[] = [];
for (let call = 0; call < calls; call++) {
  const before = process.cpuUsage();
  const gridCase = gridCaseFromArrays({ ...base, intensityInto: lent });
  lent = gridCase.setup.intensity;
  gc();
  const used = process.cpuUsage(before);
  cpuMs.push(Number(((used.user + used.system) / 1000).toFixed(1)));
}
const late = cpuMs.slice(Math.floor(calls / 2));
process.stdout.write(`${JSON.stringify({ root, calls, cells: count, cpu_ms_per_call: cpuMs, late_mean_cpu_ms: Number((late.reduce((a, b) => a + b, 0) / late.length).toFixed(1)) })}\n`);
