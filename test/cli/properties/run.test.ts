// Property tests of `sandtable run --out` on the shipped demo region (issue 15): see suite.ts.
// The region is linked into each case's folder, so the scenario names it as users do
// ("region/region.json", relative to the scenario).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { idValues, jsonPath, scenarioArb, type Json } from './arbitraries.ts';
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

/**
 * Settings that look plausible but are wrong, from the issue: each must be refused (exit 2) naming
 * its path in the scenario, not run with the default or ignored.
 */
const BAD_SETTINGS: [path: (string | number)[], value: Json][] = [
  [['models', 'flood', 'runoff'], 'magic'], [['models', 'flood', 'routing'], 'teleport'], [['models', 'flood', 'manning_n'], 'rough'],
  [['models', 'flood', 'enabled'], 'no'], [['models', 'landslide', 'basal_boundary'], 'bedrock'], [['models', 'landslide', 'surprise'], 1],
  [['models', 'risklist', 'items'], 'region/nope.json'], [['models', 'fire', 'spread'], 'teleport'],
  [['forcing', 'rain', 'district_factors', 'atlantis'], 2], [['start_time'], '2026-02-30T02:00:00+08:00'],
  [['injects', 0, 'trigger', 'condition'], 'gauge G-main above banana'], [['injects', 0, 'trigger', 'condition'], 'gauge G-nowhere above 100 m3/s'],
];
const conditionInject = (storm.injects as { trigger: { type: string } }[]).find((i) => i.trigger.type === 'condition') as Json;
const badSettings = fc.tuple(valid, fc.nat({ max: BAD_SETTINGS.length - 1 })).map(([c, k]) => {
  const json = structuredClone(c.json) as Record<string, Json>;
  const [path, value] = BAD_SETTINGS[k];
  if (path[0] === 'injects') json.injects = [structuredClone(conditionInject), ...(json.injects as Json[]).filter((i) => (i as { id: string }).id !== (conditionInject as { id: string }).id)];
  let node = json as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string | number, Json>;
  node[path[path.length - 1]] = value;
  return { ...c, json, expect: { invalidAt: jsonPath(path) } };
});

commandProperties({
  command: 'run --out',
  valid,
  argv: (file, dirs) => ['run', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['flows.csv', 'manifest.json', 'summary.json'],
  runs: { valid: 4, mutated: 12, subprocess: 2, outFolders: 3 },
  extra: [
    { name: 'ids that become file names (a warning inject, the scenario id) never lead outside --out', cases: hostileIds, runs: 6 },
    { name: 'plausible but wrong settings (models block, district factors, dates, inject conditions) are refused naming their path', cases: badSettings, runs: 6 },
  ],
  timeoutMs: 30_000,
});
