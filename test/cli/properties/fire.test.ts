// Property tests of `sandtable fire behavior` and `fire spread --out` (issue 15): see suite.ts.
import { fireBehaviorArb, fireSpreadArb } from './arbitraries.ts';
import { commandProperties } from './suite.ts';

commandProperties({
  command: 'fire behavior',
  valid: fireBehaviorArb.map((json) => ({ json })),
  argv: (file) => ['fire', 'behavior', file],
  runs: { valid: 60, mutated: 150, subprocess: 3 },
  timeoutMs: 10_000,
});

commandProperties({
  command: 'fire spread --out',
  valid: fireSpreadArb.map((json) => ({ json })),
  argv: (file, dirs) => ['fire', 'spread', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['arrival_time_s.asc', 'ros_m_per_min.asc', 'fireline_intensity_kw_per_m.asc', 'perimeters.geojson'],
  runs: { valid: 30, mutated: 120, subprocess: 3, outFolders: 20 },
  timeoutMs: 10_000,
});
