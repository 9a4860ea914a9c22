// CAP district areas of a built region in a non-UTM CRS (EPSG:4545, fixture.ts): a district with a
// hole and a district in two parts, one reaching past the DEM. CAP 1.2 §3.2.4 (OASIS, 2010): a
// <polygon> is "a paired set of points" lat,lon (WGS 84) "with the first and last pair identical",
// at least four pairs; an <area> may hold several. Expected corners come from proj4 directly
// (fixture.ts lonLatOf, not models/geo/crs.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionFromCase } from '../../models/region/builder/node.ts';
import { districtCapAreas, warningsToCap } from '../../models/scenario/cap.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { CELL, lonLatOf, N, writeFixture, XLL, YLL, type Fixture } from './fixture.ts';

const corner = (c: number, r: number) => lonLatOf(XLL + c * CELL, YLL + (N - r) * CELL);
const ring = (c0: number, r0: number, c1: number, r1: number) => [corner(c0, r0), corner(c0, r1), corner(c1, r1), corner(c1, r0), corner(c0, r0)];
const DISTRICTS = {
  type: 'FeatureCollection',
  features: [
    // Columns 0–32, a hole at columns 8–16, rows 8–16.
    { type: 'Feature', properties: { code: 'west', name: 'West', name_zh: '西区' }, geometry: { type: 'Polygon', coordinates: [ring(0, 0, 32, 64), ring(8, 8, 16, 16)] } },
    // Two parts: the north one runs 6 columns past the DEM's east edge; the south one is smaller.
    { type: 'Feature', properties: { code: 'east', name: 'East', name_zh: '东区' }, geometry: { type: 'MultiPolygon', coordinates: [[ring(32, 0, 70, 30)], [ring(40, 40, 64, 64)]] } },
  ],
};

let fixture: Fixture;
let manifest: RegionManifest;
beforeAll(async () => {
  fixture = writeFixture({ items: undefined });
  writeFileSync(join(fixture.dir, 'districts.geojson'), JSON.stringify(DISTRICTS));
  const { files } = await buildRegionFromCase(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), fixture.dir);
  manifest = JSON.parse(files['region.json']);
});
afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

const pairs = (polygon: string) => polygon.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
/** Each "lat,lon" pair against proj4's lon/lat of a grid corner: 7 decimals and the outline's centimetre rounding, < 2e-7°. */
function expectCorners(polygon: string, corners: [number, number][]) {
  const got = pairs(polygon);
  expect(got.length).toBe(corners.length);
  got.forEach(([lat, lon], k) => {
    expect(Math.abs(lat - corners[k][1]), `lat of point ${k}`).toBeLessThan(2e-7);
    expect(Math.abs(lon - corners[k][0]), `lon of point ${k}`).toBeLessThan(2e-7);
  });
}

describe('CAP areas of districts with holes and parts (EPSG:4545)', () => {
  it('the holed district is one polygon, its outer ring: the hole cannot be said in CAP and is covered', () => {
    const west = districtCapAreas(manifest).get('west')!;
    expect(west.polygons).toHaveLength(1);
    expectCorners(west.polygons[0], [corner(0, 0), corner(0, 64), corner(32, 64), corner(32, 0), corner(0, 0)]);
    expect(manifest.districts.find((d) => d.id === 'west')!.outlines_m).toBeUndefined();
  });

  it('the two-part district is two polygons, the larger first, the part past the DEM clipped at its edge', () => {
    const east = districtCapAreas(manifest).get('east')!;
    expect(east.polygons).toHaveLength(2);
    // 32 × 30 cells (clipped at column 64) before 24 × 24.
    expectCorners(east.polygons[0], [corner(32, 0), corner(32, 30), corner(64, 30), corner(64, 0), corner(32, 0)]);
    expectCorners(east.polygons[1], [corner(40, 40), corner(40, 64), corner(64, 64), corner(64, 40), corner(40, 40)]);
  });

  it('every polygon is closed, ≥ 4 pairs, lat,lon inside the DEM\'s WGS 84 bounds; the alert carries one <polygon> per part', () => {
    const areas = districtCapAreas(manifest);
    const lons = [corner(0, 0), corner(64, 0), corner(0, 64), corner(64, 64)].map((p) => p[0]);
    const lats = [corner(0, 0), corner(64, 0), corner(0, 64), corner(64, 64)].map((p) => p[1]);
    for (const { polygons } of areas.values()) {
      for (const polygon of polygons) {
        const p = pairs(polygon);
        expect(p.length).toBeGreaterThanOrEqual(4);
        expect(p[0]).toEqual(p[p.length - 1]);
        for (const [lat, lon] of p) {
          expect(lat).toBeGreaterThanOrEqual(Math.min(...lats) - 1e-7); expect(lat).toBeLessThanOrEqual(Math.max(...lats) + 1e-7);
          expect(lon).toBeGreaterThanOrEqual(Math.min(...lons) - 1e-7); expect(lon).toBeLessThanOrEqual(Math.max(...lons) + 1e-7);
        }
      }
    }
    const [alert] = warningsToCap([{ id: 'W1', t_s: 0, level: 3, hazard: 'rainstorm', areas: ['west', 'east'], reason: 'test', source: 'rule' }],
      { sender: 'test@example', exercise: true, timeAt: () => '2026-07-01T00:00:00+08:00', areas, scenarioId: 's' });
    const blocks = [...alert.xml.matchAll(/<area>(.*?)<\/area>/g)].map((m) => (m[1].match(/<polygon>/g) ?? []).length);
    expect(blocks).toEqual([1, 2]);
  });
});
