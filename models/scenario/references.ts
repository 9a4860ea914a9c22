// What the scenario names in its region, checked once the region is loaded and before any model
// runs: districts of the rain factors, rivers of the inflows, gauges and reaches of the inject
// conditions and of the observations. A name the region does not have would otherwise be ignored
// (a factor never applied, a condition that never fires), so each is an error with its JSON path.
import { childPath, type Problem } from '../errors.ts';
import { gaugeSites, regionHydraulics } from './flood-coupling.ts';
import { conditionParts } from './injects.ts';
import type { RegionData } from './region.ts';
import type { Scenario } from './schema.ts';

const list = (ids: readonly string[], max = 12) => ids.slice(0, max).join(', ') + (ids.length > max ? `, … (${ids.length} in all)` : '');

export function checkScenarioReferences(scenario: Scenario, region: RegionData): Problem[] {
  const problems: Problem[] = [];
  const districts = region.manifest.districts.map((d) => d.id);
  for (const district of Object.keys(scenario.rain.districtFactors)) {
    if (!districts.includes(district)) problems.push({ path: childPath('$.forcing.rain.district_factors', district), message: 'names no district of the region', value: district, expected: `one of ${list(districts)}` });
  }
  const rivers = region.manifest.river_entries.filter((e) => e.reach).map((e) => e.river);
  scenario.riverInflows.forEach(({ river }, k) => {
    if (!rivers.includes(river)) problems.push({ path: `$.forcing.river_inflows[${k}].river`, message: 'names no river entering the region', value: river, expected: rivers.length ? `one of ${list(rivers)}` : 'none: no river enters this region' });
  });

  const flood = scenario.models.flood.enabled;
  const gauges = gaugeSites(region, regionHydraulics(region)).map((g) => g.id);
  const reaches = region.manifest.reaches.map((r) => r.id);
  scenario.injects.forEach((inject, k) => {
    if (inject.trigger.type !== 'condition') return;
    const path = `$.injects[${k}].trigger.condition`;
    const { gauge } = conditionParts(inject.trigger.condition);
    if (!flood) problems.push({ path, message: 'watches a river flow, but the flood model is off', value: inject.trigger.condition, expected: 'models.flood.enabled true, or another trigger' });
    else if (!gauges.includes(gauge) && !reaches.includes(gauge)) problems.push({ path, message: `names no gauge or reach of the region (${gauge})`, value: inject.trigger.condition, expected: `a gauge (${list(gauges)}) or a reach id of region.json (${list(reaches, 5)})` });
  });
  for (const source of scenario.observations) {
    if (!flood) problems.push({ path: source.path, message: 'observes a gauge, but the flood model is off', value: source.gauge, expected: 'models.flood.enabled true, or no observations' });
    else if (!gauges.includes(source.gauge)) problems.push({ path: source.path, message: 'names no gauge of the region', value: source.gauge, expected: `one of ${list(gauges)}` });
  }
  return problems;
}
