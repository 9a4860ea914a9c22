// `region build` → `region scenario` → `sandtable run` on a small synthetic city (fixture.ts):
// numbers checked against what the fixture was made to be.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionCrs } from '../../models/geo/crs.ts';
import { CLI } from '../cli-harness.ts';
import { spawnSync } from 'node:child_process';
import { CELL, KNOWN, lonLatOf, N, writeFixture, XLL, YLL, type Fixture } from './fixture.ts';

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
/** Metres between two lon/lat points a few km apart (local flat-earth is ample at this size). */
const metresApart = ([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]) =>
  Math.hypot((lon1 - lon2) * 111_320 * Math.cos((lat1 * Math.PI) / 180), (lat1 - lat2) * 110_574);

let fixture: Fixture;
let out: string;
let region: any;
let report: any;
let items: any[];
let built: ReturnType<typeof run>;

beforeAll(() => {
  fixture = writeFixture({ river_entries: [{ x_m: XLL + 32.5 * CELL, y_m: YLL + (N - 2) * CELL, upstream_area_km2: 150, name: 'Jade River', name_zh: '玉江' }] });
  out = join(fixture.dir, 'region');
  built = run(['region', 'build', fixture.caseFile, '--out', out]);
  region = JSON.parse(readFileSync(join(out, 'region.json'), 'utf8'));
  report = JSON.parse(readFileSync(join(out, 'build-report.json'), 'utf8'));
  items = JSON.parse(readFileSync(join(out, 'risk-items.json'), 'utf8')).items;
});
afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

describe('region build on a 64 × 64 EPSG:4545 DEM', () => {
  it('writes the shipped region\'s form plus build-report.json, and a summary on stderr', () => {
    expect(built.code, built.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['basins.asc', 'build-report.json', 'buildings.asc', 'dem.asc', 'districts.asc', 'fuel.asc', 'hand.asc', 'landcover.asc', 'manifest.json', 'population.asc', 'region.json', 'risk-items.json']);
    expect(region.grid).toEqual({ ncols: N, nrows: N, xllcorner: XLL, yllcorner: YLL, cellsize_m: CELL });
    expect(region.crs).toBe('CGCS2000_3_Degree_GK_CM_108E');
    expect(built.stderr).toContain('district   west 西区: 1.8432 km² (1.7856 km² inside its polygon)');
    expect(built.stderr).toContain('items      2 placed (gb18030)');
  });

  it('district areas: west is 32 × 64 cells less its 8 × 8 hole inside the polygon, the hole joining it; east is clipped to the DEM', () => {
    const byId = Object.fromEntries(report.districts.map((d: any) => [d.id, d]));
    expect(byId.west.in_polygon_km2).toBeCloseTo(((32 * 64 - 64) * CELL * CELL) / 1e6, 6);
    expect(byId.west.area_km2).toBeCloseTo((32 * 64 * CELL * CELL) / 1e6, 6);
    expect(byId.east.area_km2).toBeCloseTo((32 * 64 * CELL * CELL) / 1e6, 6);
    const cells = readFileSync(join(out, 'districts.asc'), 'utf8').split('\n').slice(6, 6 + N).map((l) => l.trim().split(/\s+/).map(Number));
    expect(cells[0][31]).toBe(0); expect(cells[0][32]).toBe(1); expect(cells[12][12]).toBe(0);
    expect(region.districts.map((d: any) => [d.id, d.name, d.name_zh])).toEqual([['west', 'West', '西区'], ['east', 'East', '东区']]);
  });

  it('the GB18030 CSV\'s items land on their cells, in their districts; the known point comes back within 1 mm', () => {
    expect(report.items.encoding).toBe('gb18030');
    const wl = items.find((i) => i.id === 'WL-1');
    expect(wl.name_zh).toBe('下穿道积水点');
    expect(wl.area).toBe('east');
    expect(Math.abs(wl.x_m - KNOWN.x)).toBeLessThan(0.001);
    expect(Math.abs(wl.y_m - KNOWN.y)).toBeLessThan(0.001);
    expect(metresApart(regionCrs(region).toLonLat(wl.x_m, wl.y_m), lonLatOf(KNOWN.x, KNOWN.y))).toBeLessThan(0.001);
    expect(items.find((i) => i.id === 'SL-1').area).toBe('west');
  });

  it('terrain: the 5 m pit is filled by 2 m to its lowest neighbour, and the stream runs down the valley floor', () => {
    // Pit 5 m below the plane; its lowest neighbour (one cell nearer the valley and one south) is 3.0 m below it.
    expect(report.depressions.pit_cells).toBe(1);
    expect(report.depressions.max_fill_m).toBeCloseTo(2, 3);
    const outlet = region.reaches.find((r: any) => r.downstream === null && r.drainage_area_km2 === Math.max(...region.reaches.map((x: any) => x.drainage_area_km2)));
    for (const [x] of outlet.path_m) expect(x).toBe(XLL + 32.5 * CELL);
  });

  it('a river entering at the valley head joins the valley\'s reach', () => {
    expect(region.rivers).toEqual([{ id: 'river-1', name: 'Jade River', name_zh: '玉江' }]);
    expect(region.river_entries[0]).toMatchObject({ river: 'river-1', upstream_area_km2: 150 });
    expect(region.reaches.map((r: any) => r.id)).toContain(region.river_entries[0].reach);
  });
});

describe('region scenario and sandtable run on the built region', () => {
  it('storm: runs with every output; CAP and GeoJSON carry the districts and items in WGS 84', () => {
    const scenario = join(fixture.dir, 'storm.json');
    const made = run(['region', 'scenario', out, '--template', 'storm', '--out', scenario]);
    expect(made.code, made.stderr).toBe(0);
    const runOut = join(fixture.dir, 'run-storm');
    const ran = run(['run', scenario, '--out', runOut]);
    expect(ran.code, ran.stderr).toBe(0);
    for (const f of ['flows.csv', 'gauges.csv', 'rain.csv', 'exposure.csv', 'warnings.geojson', 'items.geojson', 'risk-log.json', 'slopes-fs.csv', 'flood/depth_max_m.asc']) expect(existsSync(join(runOut, f)), f).toBe(true);
    const cap = readdirSync(join(runOut, 'cap')).find((f) => f.includes('west'))!;
    const polygon = /<polygon>([^<]*)<\/polygon>/.exec(readFileSync(join(runOut, 'cap', cap), 'utf8'))![1];
    const [lat, lon] = polygon.split(' ')[0].split(',').map(Number);
    // The west district's first vertex: its north-west corner, the DEM's (written to 7 decimals, ~1 cm).
    expect(metresApart([lon, lat], lonLatOf(XLL, YLL + N * CELL))).toBeLessThan(0.01);
    // The entering river's gauge, fed by the starter's inflow (0.02 m³/s per km² of its 150 km², rising to 3×).
    const gauges = JSON.parse(ran.stdout).gauges;
    expect(gauges.map((g: any) => g.id)).toContain('G-river-1');
    expect(gauges.find((g: any) => g.id === 'G-river-1').peak_m3_per_s).toBeGreaterThanOrEqual(9);
    const geo = JSON.parse(readFileSync(join(runOut, 'items.geojson'), 'utf8'));
    const wl = geo.features.find((f: any) => f.properties.id === 'WL-1');
    expect(metresApart(wl.geometry.coordinates, lonLatOf(KNOWN.x, KNOWN.y))).toBeLessThan(0.01);
  });

  it('fire: the ignition is on a burnable ridge cell and the fire burns', () => {
    const scenario = join(fixture.dir, 'fire.json');
    expect(run(['region', 'scenario', out, '--template', 'fire', '--out', scenario]).code).toBe(0);
    const ignition = JSON.parse(readFileSync(scenario, 'utf8')).injects[0].action;
    // The V valley's highest ground above the stream is at the grid's west and east sides.
    expect(Math.abs(ignition.x_m - (XLL + 32.5 * CELL))).toBeGreaterThan(25 * CELL);
    const ran = run(['run', scenario, '--out', join(fixture.dir, 'run-fire')]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).fire.burned_area_km2).toBeGreaterThan(0.1);
  });

  it('refuses to overwrite an existing scenario without --force, and a region file even with it', () => {
    const scenario = join(fixture.dir, 'storm.json');
    const again = run(['region', 'scenario', out, '--template', 'storm', '--out', scenario]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('error: --out: exists');
    const onRegion = run(['region', 'scenario', out, '--template', 'storm', '--out', join(out, 'region.json'), '--force']);
    expect(onRegion.code).toBe(2);
    expect(onRegion.stderr).toContain('would overwrite a file of the region');
  });
});
