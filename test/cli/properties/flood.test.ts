// Property tests of `sandtable flood route` and `flood runoff` (issue 15): see suite.ts.
import { floodRouteArb, floodRunoffArb } from './arbitraries.ts';
import { commandProperties } from './suite.ts';

commandProperties({
  command: 'flood route',
  valid: floodRouteArb.map((json) => ({ json })),
  argv: (file) => ['flood', 'route', file],
  runs: { valid: 60, mutated: 150, subprocess: 4 },
  timeoutMs: 10_000,
});

commandProperties({
  command: 'flood runoff',
  valid: floodRunoffArb.map((json) => ({ json })),
  argv: (file) => ['flood', 'runoff', file],
  runs: { valid: 60, mutated: 150, subprocess: 4 },
  timeoutMs: 10_000,
});
