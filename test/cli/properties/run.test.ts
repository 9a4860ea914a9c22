// Property tests of `sandtable run --out` on the shipped demo region (issue 15): see suite.ts.
// The region is linked into each case's folder, so the scenario names it as users do
// ("region/region.json", relative to the scenario).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { idValues, scenarioArb, type Json } from './arbitraries.ts';
import { commandProperties } from './suite.ts';

const CITY = fileURLToPath(new URL('../../../scenarios/mountain-city/', import.meta.url));
const storm = JSON.parse(readFileSync(`${CITY}storm-peak-24h.json`, 'utf8')) as Record<string, Json>;
const fire = JSON.parse(readFileSync(`${CITY}fire-summer.json`, 'utf8')) as { injects: { id: string; [key: string]: Json }[] };
const ignition = { ...fire.injects.find((i) => i.id === 'F1')!, trigger: { type: 'time', t_s: 600 } } as Json;

const valid = scenarioArb(storm, ignition).map((json) => ({ json, links: { region: `${CITY}region` } }));
const warningInject = (storm.injects as { action?: { type: string } }[]).find((i) => i.action?.type === 'warning-issue') as Record<string, Json>;

/** A scenario whose warning inject (its id becomes a CAP file name) or own id is one of the hostile ids. */
const climbing = idValues.filter((id) => typeof id === 'string' && (id.includes('..') || id.startsWith('@@')));
const hostileIds = fc.tuple(valid, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...climbing) }, { weight: 2, arbitrary: fc.constantFrom(...idValues) }), fc.boolean())
  .map(([c, id, onWarning]) => {
  const json = structuredClone(c.json) as Record<string, Json>;
  const inject = { ...warningInject, id: 'I-hostile', trigger: { type: 'time', t_s: 300 }, action: { ...(warningInject.action as Record<string, Json>), id } };
  if (onWarning) json.injects = [...(json.injects as Json[]), inject];
  else json.id = id;
  return { ...c, json };
});

commandProperties({
  command: 'run --out',
  valid,
  argv: (file, dirs) => ['run', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['flows.csv', 'manifest.json', 'summary.json'],
  runs: { valid: 4, mutated: 16, subprocess: 2, outFolders: 3 },
  extra: [{ name: 'ids that become file names (a warning inject, the scenario id) never lead outside --out', cases: hostileIds, runs: 6 }],
  timeoutMs: 30_000,
});
