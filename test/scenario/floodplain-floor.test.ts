// The floodplain's slope floor (models/scenario/inundation.ts, MIN_FLOODPLAIN_SLOPE = 1e-5) is no
// longer silent: a coupled run whose overbank reach is flatter than the floor says so, with the reach
// and the cells its water wetted. Built regions floor reach slopes at 1e-4, so the shipped region
// is made flatter here, in memory: its outlet reach R001 overtops its banks in the 24-hour storm.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));

it('a run names the overbank reaches flatter than the floor and the cells they wet, as a warning', async () => {
  const scenario = parseScenario(JSON.parse(readFileSync(`${SCENARIO_DIR}storm-peak-24h.json`, 'utf8')));
  const region = await loadRegion(SCENARIO_DIR, scenario.region);
  const outlet = region.manifest.reaches.find((r) => r.id === 'R001')!;
  outlet.slope = 5e-6;
  const run = await runScenario(createNodeEngine(), scenario, region);
  const floored = run.modelWarnings.filter((w) => w.code === 'flood.floodplain_slope_floor');
  expect(floored).toHaveLength(1);
  const cells = Number(floored[0].params.cells);
  expect(floored[0]).toMatchObject({ model: 'flood', where: 'floodplain', severity: 'warning', params: { floor: 0.00001, reaches: 1, ids: 'R001' } });
  // The wetted cells are those of R001's sub-basin under water.
  let wet = 0;
  const k = region.manifest.reaches.indexOf(outlet);
  for (let i = 0; i < region.basins.values.length; i++) if (region.basins.values[i] === k && run.inundation!.maxDepthM[i] > 0) wet++;
  expect(cells).toBe(wet);
  expect(cells).toBeGreaterThan(0);
}, 90_000);
