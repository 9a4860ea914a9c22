// Property tests of `sandtable risklist grade` (issue 15): see suite.ts.
import { risklistArb } from './arbitraries.ts';
import { commandProperties } from './suite.ts';

commandProperties({
  command: 'risklist grade',
  valid: risklistArb.map((json) => ({ json })),
  argv: (file) => ['risklist', 'grade', file],
  runs: { valid: 60, mutated: 150, subprocess: 3 },
  timeoutMs: 10_000,
});
