// Fire spread, wasm against native only, in CPU seconds: on a shared machine the wall times of
// `sandtable bench` mostly measure the other processes, and the TS twin takes minutes at 4096².
// Old and new builds can be compared in the same conditions by passing their files.
//
//   node --import tsx benchmarks/fire/spread-cpu.ts --sizes 2048,4096 --runs 1 \
//     [--wasm build/sandtable.wasm] [--native benchmarks/.native/fire-spread] [--only wasm|native]
//     [--strip-shift 4]   (cells in column strips of 1 << shift; the default is the kernel's)
//
// Prints one JSON line per (size, engine): CPU and wall seconds of each timed run (after one
// untimed warm-up run, as the bench does), cells burned, the checksum, and the load average.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareSpreadRun, SPREAD_STRIP_SHIFT } from '../../models/fire/kernel.ts';
import { Kernels } from '../../models/wasm.ts';
import { WASM_FILE } from '../../models/wasm-node.ts';
import { buildNative } from '../harness.ts';
import { landscapeToBytes, syntheticLandscape } from './landscape.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1024' },
    runs: { type: 'string', default: '1' },
    wasm: { type: 'string' },
    native: { type: 'string' },
    only: { type: 'string' },
    'strip-shift': { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const stripShift = Number(values['strip-shift'] ?? SPREAD_STRIP_SHIFT);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

// Loaded even for --only native: the landscape's slope and aspect use the kernels' deterministic math.
const kernels = await Kernels.instantiate(readFileSync(values.wasm ?? WASM_FILE));
let nativeBinary = values.native;
if (!nativeBinary && values.only !== 'wasm') {
  const built = buildNative(new URL('./spread.c', import.meta.url), 'fire-spread');
  if (!('binary' in built)) throw new Error(built.error);
  nativeBinary = built.binary;
}

for (const n of sizes) {
  const landscape = syntheticLandscape(kernels, n);
  if (values.only !== 'native') {
    const result = kernels.withArena((arena) => {
      const run = prepareSpreadRun(kernels, arena, landscape, stripShift);
      const first = run();
      const cpu: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < runs; i++) {
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        run();
        wall.push((performance.now() - w0) / 1000);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1e6);
      }
      let checksum = 0;
      for (const t of first.arrival) if (Number.isFinite(t)) checksum += t;
      return { cpu, wall, burned: first.popped, checksum };
    });
    console.log(JSON.stringify({ engine: 'wasm', size: n, stripShift, ...result, load: load() }));
  }
  if (nativeBinary) {
    const dir = mkdtempSync(join(tmpdir(), 'sandtable-spread-cpu-'));
    try {
      const input = join(dir, 'input.bin');
      writeFileSync(input, landscapeToBytes(landscape));
      const out = spawnSync(nativeBinary, [input, String(runs), String(stripShift)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      const parsed = JSON.parse(out.stdout) as { seconds: number[]; cpu_seconds?: number[]; checksum: number };
      console.log(JSON.stringify({ engine: 'native', size: n, stripShift, cpu: parsed.cpu_seconds, wall: parsed.seconds, checksum: parsed.checksum, load: load() }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
