// Property tests of `sandtable landslide fs`, cells form and grid form with --out (issue 15): see suite.ts.
import { landslideCellsArb, landslideGridArb } from './arbitraries.ts';
import { commandProperties } from './suite.ts';

commandProperties({
  command: 'landslide fs',
  valid: landslideCellsArb.map((json) => ({ json })),
  argv: (file) => ['landslide', 'fs', file],
  runs: { valid: 40, mutated: 120, subprocess: 3 },
  timeoutMs: 10_000,
});

commandProperties({
  command: 'landslide fs --out',
  valid: landslideGridArb.map(({ json, grids }) => ({ json, grids })),
  argv: (file, dirs) => ['landslide', 'fs', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['fs_min_t3600.asc', 'manifest.json'],
  runs: { valid: 30, mutated: 120, subprocess: 3, outFolders: 20 },
  timeoutMs: 10_000,
});
