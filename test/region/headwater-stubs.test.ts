// A first-order stream one cell long that ends at a confluence is the threshold crossed just above
// the confluence, not a stream: left in, its Muskingum–Cunge stability limit sub-steps the whole
// network. On the real SRTM tile's transverse-Mercator copy a 42 m, 12 % stub took the storm's
// routing from 37 to 100 sub-steps and its flood stage to 8–12× the UTM copy's (README, "Run your
// own city"). Here the same shape on a synthetic DEM: a V valley with a steep side gully whose
// drainage area reaches the threshold only in its last cell.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { routeCaseFromValues, type RouteReachValues } from '../../models/flood/route-typed.ts';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { extractRiverNetwork, type ExtractedNetwork } from '../../models/region/network.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { WKT_4545, writeFixture, type Fixture } from './fixture.ts';
import { CELL, gullyAsc, gullyValley, NCOLS, NROWS, STUB, stubThresholdKm2 } from './gully.ts';

let dem: Grid;
/** The stub cell's drainage area: as the threshold, it makes the gully a stream in that one cell. */
let thresholdKm2: number;
beforeAll(async () => {
  await loadKernels();
  dem = gullyValley();
  thresholdKm2 = stubThresholdKm2(dem);
});

/** The planned sub-steps of a 900 s storm step over the network, every reach Muskingum–Cunge. */
function substepsOf(network: ExtractedNetwork): number {
  const reaches = network.reaches.map((r): RouteReachValues => ({
    id: r.id, downstream: r.downstream, method: 'muskingum-cunge', length_m: r.lengthM, slope: r.slope, manning_n: 0.035,
    section: { shape: 'trapezoid', bottom_width_m: 3, side_slope_h_per_v: 2 },
  }) as RouteReachValues);
  // Each sub-basin's runoff peaking at 5 m³/s per km² (a 2 km² creek at about 10 m³/s).
  const lateral = network.reaches.map((r) => ({
    reach: r.id, m3PerS: Float64Array.from({ length: 25 }, (_, j) => 5 * r.localAreaKm2 * Math.max(0.05, 1 - Math.abs(j - 10) / 8)),
  }));
  return routeCaseFromValues({ dtS: 900, steps: 24, reaches, inflows: [], lateral }).substeps;
}

describe('headwater stubs in the river network', () => {
  it('without pruning, the gully is a reach of one cell, 30 m at 12 %, splitting the main stem at its mouth', () => {
    const network = extractRiverNetwork(dem, thresholdKm2, 'R', 0);
    expect(network.prunedHeadwaters).toBe(0);
    expect(network.reaches).toHaveLength(3);
    const stub = network.reaches.find((r) => r.cells.length === 1)!;
    expect(stub.cells).toEqual([STUB]);
    expect(stub.lengthM).toBe(30);
    expect(stub.slope).toBeCloseTo(0.12, 9);
    expect(stub.downstream).toBe('R001');
  });

  it('pruned (fewer than 4 cells), the gully joins the main stem, which becomes one reach; no area is lost', () => {
    const kept = extractRiverNetwork(dem, thresholdKm2, 'R', 0);
    const network = extractRiverNetwork(dem, thresholdKm2, 'R', 4);
    expect(network.prunedHeadwaters).toBe(1);
    expect(network.reaches).toHaveLength(1);
    const [main] = network.reaches;
    expect(main.downstream).toBeNull();
    expect(main.cells).toEqual([...kept.reaches.find((r) => r.id === 'R002')!.cells, ...kept.reaches.find((r) => r.id === 'R001')!.cells]);
    expect(main.lengthM).toBe(57 * CELL);
    expect(main.drainageAreaKm2).toBeCloseTo(kept.reaches.find((r) => r.id === 'R001')!.drainageAreaKm2, 12);
    expect(main.localAreaKm2).toBeCloseTo(kept.reaches.reduce((s, r) => s + r.localAreaKm2, 0), 9);
    expect(network.isStream[STUB]).toBe(0);
    expect(kept.isStream[STUB]).toBe(1);
    // Every cell of the gully's sub-basin now drains to the main stem's.
    for (let i = 0; i < NCOLS * NROWS; i++) if (kept.basinOfCell[i] >= 0) expect(network.basinOfCell[i]).toBe(0);
  });

  it('the stub forces the whole network into 59 routing sub-steps of the 900 s step; pruned, 2', () => {
    // The 30 m reach keeps C − D ≤ 1 only for steps under (Δx + Q/(βTS0c))/v ≈ 15 s.
    expect(substepsOf(extractRiverNetwork(dem, thresholdKm2, 'R', 0))).toBe(59);
    expect(substepsOf(extractRiverNetwork(dem, thresholdKm2, 'R', 4))).toBe(2);
  });
});

describe('region build prunes headwater stubs', () => {
  const made: Fixture[] = [];
  afterAll(() => { for (const f of made) rmSync(f.dir, { recursive: true, force: true }); });
  async function build(streams: Record<string, unknown>) {
    const fixture = writeFixture({ dem: 'gully.asc', districts: undefined, items: undefined, streams: { threshold_km2: thresholdKm2, ...streams } });
    made.push(fixture);
    writeFileSync(join(fixture.dir, 'gully.asc'), gullyAsc(dem));
    writeFileSync(join(fixture.dir, 'gully.prj'), WKT_4545);
    return buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
  }

  it('by default (4 cells), and says so in the report', async () => {
    const { report } = await build({});
    expect(report.streams).toMatchObject({ min_headwater_cells: 4, pruned_headwaters: 1, reaches: 1, total_length_km: 1.71 });
  });

  it('"min_headwater_cells": 0 keeps every stream', async () => {
    const { report } = await build({ min_headwater_cells: 0 });
    expect(report.streams).toMatchObject({ min_headwater_cells: 0, pruned_headwaters: 0, reaches: 3 });
  });

  it('a count that is not a whole number of cells is refused at its JSON path', async () => {
    const error = await build({ min_headwater_cells: 2.5 }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0]).toMatchObject({ path: '$.streams.min_headwater_cells', message: 'must be a whole number of cells', value: 2.5, expected: 'an integer in [0, 1000] (0 keeps every stream)' });
  });
});
