// What a run derives from the region alone is computed once per region object and shared by every
// later run on it (an ensemble worker's members, the app's reruns): the second run must give what
// a run on a fresh copy of the region gives, so nothing a run does leaks into the shared values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { perRegion } from '../../models/scenario/region-memo.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario, type ScenarioRun } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const engine = createNodeEngine();
const raw = JSON.parse(readFileSync(join(SCENARIO_DIR, 'storm-peak-24h.json'), 'utf8'));
let region: RegionData;

/** The parts of a run that read the memoised values (slope grid, rivers, flood, exposure), as bytes. */
function fingerprint(run: ScenarioRun): string {
  return JSON.stringify({
    route: run.route, gauges: run.gauges, warnings: run.warnings, risk: run.risk,
    flood: run.inundation && { ...run.inundation, maxDepthM: Array.from(run.inundation.maxDepthM) },
    slope: run.slopeGrid && { fsMin: Array.from(run.slopeGrid.fsMin.values), first: Array.from(run.slopeGrid.firstBelow1S.values), below: run.slopeGrid.cellsBelow1 },
    rainMap: Array.from(run.rainMap.mmPerH), residents: run.residentsByDistrict,
    people: Object.values(run.peopleByWarningLevel).map((a) => Array.from(a)),
  }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

beforeAll(async () => {
  await engine.ready();
  region = await loadRegion(SCENARIO_DIR, 'region/region.json');
}, 120_000);

describe('values derived from the region, once per region object', () => {
  it('computes once per owner and name, separately for another owner', () => {
    const a = {}; const b = {};
    let calls = 0;
    const compute = () => { calls++; return new Float64Array([calls]); };
    const first = perRegion(a, 'x', compute);
    expect(perRegion(a, 'x', compute)).toBe(first);
    expect(calls).toBe(1);
    expect(perRegion(a, 'y', compute)[0]).toBe(2);
    expect(perRegion(b, 'x', compute)[0]).toBe(3);
    expect(perRegion(a, 'x', compute)).toBe(first);
  });

  it('a run on a region another run has memoised equals a run on a fresh copy of the region', async () => {
    const first = fingerprint(await runScenario(engine, parseScenario(raw), region));
    // Another seed draws the slope grid's soil differently: a value left over from the first run would show.
    const other = parseScenario({ ...raw, seed: raw.seed + 17 });
    const memoised = fingerprint(await runScenario(engine, other, region));
    const fresh = fingerprint(await runScenario(engine, other, structuredClone(region)));
    expect(memoised).toBe(fresh);
    expect(memoised).not.toBe(first);
    // The runs did keep them on the region: none is computed again.
    const unexpected = () => { throw new Error('computed again'); };
    for (const name of ['basinDistrictCells', 'basinMajorityDistricts', 'urbanShare', 'totalAreas', 'residentsByDistrict', 'buildingsByDistrict', 'floodableBasins']) {
      expect(() => perRegion(region, name, unexpected), name).not.toThrow();
    }
    expect(() => perRegion(region.dem, 'slopeAspect', unexpected)).not.toThrow();
  }, 240_000);

  it('makes the rain layer when it is first read (an ensemble member never reads it), once, and a spread or clone carries it', async () => {
    const run = await runScenario(engine, parseScenario(raw), region);
    expect(Object.getOwnPropertyDescriptor(run, 'rainMap')?.get).toBeTypeOf('function');
    const map = run.rainMap;
    expect(map.periods).toBe(24);
    expect(run.rainMap).toBe(map);
    expect({ ...run }.rainMap).toBe(map);
    expect(Buffer.from(structuredClone(run).rainMap.mmPerH.buffer)).toEqual(Buffer.from(map.mmPerH.buffer));
  }, 240_000);
});
