// Property tests of `sandtable fire behavior` and `fire spread --out` (issue 15): see suite.ts.
import fc from 'fast-check';
import { fireBehaviorArb, fireSpreadArb, type Json } from './arbitraries.ts';
import { commandProperties } from './suite.ts';

commandProperties({
  command: 'fire behavior',
  valid: fireBehaviorArb.map((json) => ({ json })),
  argv: (file) => ['fire', 'behavior', file],
  runs: { valid: 60, mutated: 150, subprocess: 3 },
  timeoutMs: 10_000,
});

/**
 * Far coordinates: geometry must be clipped to the grid (or refused), never traced point by point.
 * A 24 × 24 grid spreads in well under a second, so 4 s is a hang (on main each costs its 4 s).
 */
const far = fc.constantFrom(1e9, -1e9, 1e300, -1e300, 1e15, 5e-324, 4e6);
const farGeometry = fc.tuple(fireSpreadArb, far, far, fc.constantFrom('ignition-line', 'barrier-polyline', 'barrier-cells')).map(([json, x, y, where]) => {
  const c = structuredClone(json) as Record<string, Json>;
  const inside = (c.ignitions as { x_m?: number; y_m?: number; line_m?: number[][] }[])[0];
  const start = inside.line_m ? inside.line_m[0] : [inside.x_m!, inside.y_m!];
  if (where === 'ignition-line') (c.ignitions as Json[]).push({ line_m: [start, [x, y]], t_s: 0 });
  else if (where === 'barrier-polyline') c.barriers = [{ polyline_m: [[x, start[1] + 1], [-x, y]] }];
  else c.barriers = [{ cells: [[Math.round(x), Math.round(y)]] }];
  return { json: c as Json };
});

commandProperties({
  command: 'fire spread --out',
  extra: [{ name: 'geometry far outside the grid (ignition lines, barriers) is clipped or refused within the time bound', cases: farGeometry, runs: 6, timeoutMs: 4000 }],
  valid: fireSpreadArb.map((json) => ({ json })),
  argv: (file, dirs) => ['fire', 'spread', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['arrival_time_s.asc', 'ros_m_per_min.asc', 'fireline_intensity_kw_per_m.asc', 'perimeters.geojson'],
  runs: { valid: 30, mutated: 120, subprocess: 3, outFolders: 20 },
  timeoutMs: 5_000,
});
