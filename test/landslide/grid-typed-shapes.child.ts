// Child of grid-typed-shapes.test.ts: packs one grid case per call, each call's argument with a
// shape of its own that a full collection then drops (as the slope grid's object spread did per
// ensemble member), and prints a line after each call: V8's --trace-opt/--trace-deopt lines
// between them say what that call compiled and threw away.
import { gridCaseFromArrays, type GridArrays } from '../../models/landslide/grid-typed.ts';
import { loadKernels } from '../../models/wasm-node.ts';

await loadKernels();
const side = 150;
const count = side * side;
const filled = (f: (i: number) => number) => Float64Array.from({ length: count }, (_, i) => f(i));
const base: GridArrays = {
  geometry: { ncols: side, nrows: side, xllcorner: 0, yllcorner: 0, cellsize: 100, nodata: -9999 },
  cells: {
    slope_deg: filled((i) => 20 + (i % 30)), soil_depth_m: filled(() => 3), water_table_depth_m: filled(() => 2),
    cohesion_pa: filled((i) => 4000 + (i % 7) * 100), friction_deg: filled(() => 32), ks_m_per_s: filled(() => 1e-5),
    unit_weight_soil_n_per_m3: 19500, diffusivity_m2_per_s: 6e-5, background_infiltration_m_per_s: 2e-8,
  },
  rain: { periodS: 3600, mmPerHour: [filled(() => 10), filled(() => 20)] },
  outputTimesS: [3600, 7200],
  basalBoundary: 'finite',
};
const gc = (globalThis as { gc?: () => void }).gc!;
for (let call = 0; call < 8; call++) {
  gridCaseFromArrays({ ...base, summaryOnly: true, intensityInto: undefined });
  gc();
  process.stdout.write(`call ${call} done\n`);
}
