import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import { beforeAll, describe, expect, it } from 'vitest';
import { epsgDefinition, parseCrs, regionCrs, utmCodeAt } from '../../models/geo/crs.ts';
import { InputError } from '../../models/errors.ts';
import { loadKernels } from '../../models/wasm-node.ts';

const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;
/** Metres per degree of latitude near 50° (for a tolerance in metres on a latitude). */
const M_PER_DEG = 111_200;

beforeAll(async () => { await loadKernels(); });

describe('CRS: published worked examples', () => {
  // IOGP Publication 373-7-2, Geomatics Guidance Note 7-2 (EPSG), §3.5.3.1 Transverse Mercator,
  // example: OSGB 1936 / British National Grid, 50°30′00″N 00°30′00″E → E 577 274.98 m, N 69 740.49 m
  // by the JHS formula of the current edition (the older USGS-series edition printed 577 274.99, 69 740.50).
  const bng = '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +a=6377563.396 +rf=299.3249646 +units=m +no_defs';

  it('EPSG Guidance Note 7-2 TM example (British National Grid): forward to the centimetre it is published to, round trip < 1 mm', () => {
    const crs = parseCrs(bng, 'test');
    const [e, n] = crs.fromLonLat(dms(0, 30, 0), dms(50, 30, 0));
    expect(Math.abs(e - 577274.98)).toBeLessThan(0.005);
    expect(Math.abs(n - 69740.49)).toBeLessThan(0.005);
    const [lon, lat] = crs.toLonLat(e, n);
    expect(Math.abs(lon - 0.5) * M_PER_DEG * Math.cos(50.5 * Math.PI / 180)).toBeLessThan(0.001);
    expect(Math.abs(lat - 50.5) * M_PER_DEG).toBeLessThan(0.001);
  });

  it('EPSG Guidance Note 7-2 TM example, inverse: E 577 274.98 N 69 740.49 → 50°30′N 0°30′E within the published centimetre', () => {
    const [lon, lat] = parseCrs(bng, 'test').toLonLat(577274.98, 69740.49);
    expect(Math.abs(lon - 0.5) * M_PER_DEG * Math.cos(50.5 * Math.PI / 180)).toBeLessThan(0.01);
    expect(Math.abs(lat - 50.5) * M_PER_DEG).toBeLessThan(0.01);
  });

  // Moritz, "Geodetic Reference System 1980", Bull. Géod. 54 (1980) and The Geodesist's Handbook:
  // meridian quadrant Q = 10 001 965.7293 m for GRS80 (the CGCS2000 ellipsoid). On the central
  // meridian a transverse Mercator maps the pole to (FE, k0·Q).
  it('EPSG:4545 point: the North Pole on CM 108°E is (500 000, Q = 10 001 965.7293 m, GRS80 meridian quadrant, Moritz 1980) to < 1 mm, and back', () => {
    const crs = parseCrs('EPSG:4545', 'test');
    expect(crs.name).toBe('EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)');
    const [e, n] = crs.fromLonLat(108, 90);
    expect(Math.abs(e - 500000)).toBeLessThan(0.001);
    expect(Math.abs(n - 10001965.7293)).toBeLessThan(0.001);
    const [, lat] = crs.toLonLat(500000, 10001965.7293);
    expect(Math.abs(lat - 90) * M_PER_DEG).toBeLessThan(0.001);
  });

  // NIMA TR8350.2 (WGS 84, 3rd ed.), Table 3.4: meridian quadrant 10 001 965.7293 m; UTM's k0 = 0.9996
  // (DMA TM 8358.2), so the pole in any northern zone is at northing 0.9996·Q = 9 997 964.9430 m.
  it('UTM point: the North Pole in WGS 84 / UTM 48N is (500 000, 0.9996 × 10 001 965.7293 m) (NIMA TR8350.2; DMA TM 8358.2) to < 1 mm', () => {
    const crs = parseCrs('EPSG:32648', 'test');
    const [e, n] = crs.fromLonLat(105, 90);
    expect(Math.abs(e - 500000)).toBeLessThan(0.001);
    expect(Math.abs(n - 0.9996 * 10001965.7293)).toBeLessThan(0.001);
  });

  it('UTM point: CN Tower 43°38′33.24″N 79°23′13.7″W = 17T 630084 4833438 (Wikipedia, "Universal Transverse Mercator coordinate system"), within its metre', () => {
    const [e, n] = parseCrs('EPSG:32617', 'test').fromLonLat(-dms(79, 23, 13.7), dms(43, 38, 33.24));
    expect(Math.floor(e)).toBe(630084);
    expect(Math.floor(n)).toBe(4833438);
  });
});

describe('CRS: definitions by formula', () => {
  it('CGCS2000 3-degree GK: 4513–4533 carry the zone in the false easting, 4534–4554 do not (EPSG dataset)', () => {
    expect(epsgDefinition(4513)!.definition).toContain('+lon_0=75 +k=1 +x_0=25500000');
    expect(epsgDefinition(4533)!.definition).toContain('+lon_0=135 +k=1 +x_0=45500000');
    expect(epsgDefinition(4534)!.definition).toContain('+lon_0=75 +k=1 +x_0=500000 ');
    expect(epsgDefinition(4545)!.definition).toContain('+lon_0=108 +k=1 +x_0=500000 ');
    expect(epsgDefinition(4554)!.definition).toContain('+lon_0=135 +k=1 +x_0=500000 ');
    expect(epsgDefinition(4527)!.name).toBe('CGCS2000 / 3-degree Gauss-Kruger zone 39');
    expect(epsgDefinition(4527)!.definition).toContain('+lon_0=117 ');
    expect(epsgDefinition(4555)).toBeUndefined();
    expect(epsgDefinition(32760)!.definition).toContain('+zone=60 +south');
    expect(epsgDefinition(32661)).toBeUndefined();
  });

  it('the same point in EPSG:4527 (zone 39) and EPSG:4548 (CM 117E) differs by exactly 39 000 000 m in easting', () => {
    const [e1, n1] = parseCrs('EPSG:4527', 't').fromLonLat(117.3, 36.2);
    const [e2, n2] = parseCrs('EPSG:4548', 't').fromLonLat(117.3, 36.2);
    expect(e1 - e2).toBeCloseTo(39_000_000, 6);
    expect(n1).toBe(n2);
  });

  it('the deterministic series agrees with proj4\'s own transform to 0.1 µm across a zone', () => {
    for (const code of [4545, 32648, 4527]) {
      const crs = parseCrs(`EPSG:${code}`, 't');
      const ref = proj4(epsgDefinition(code)!.definition, '+proj=longlat +datum=WGS84');
      for (const [lon, lat] of [[106.55, 29.56], [109.4, 45.2], [104.7, 21.5], [110.9, 33]]) {
        const adj = code === 4527 ? lon + 9 : lon;
        const ours = crs.fromLonLat(adj, lat);
        const theirs = ref.inverse([adj, lat]);
        expect(Math.abs(ours[0] - theirs[0])).toBeLessThan(1e-7);
        expect(Math.abs(ours[1] - theirs[1])).toBeLessThan(1e-7);
        const [lon2, lat2] = crs.toLonLat(ours[0], ours[1]);
        expect(Math.abs(lon2 - adj) * M_PER_DEG).toBeLessThan(1e-6);
        expect(Math.abs(lat2 - lat) * M_PER_DEG).toBeLessThan(1e-6);
      }
    }
  });

  it('reads WKT 1 (an ESRI .prj) and WKT 2, with units', () => {
    const prj = 'PROJCS["WGS_1984_UTM_Zone_11N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const a = parseCrs(prj, 'dem.prj');
    const b = parseCrs('EPSG:32611', 't');
    expect(a.name).toBe('WGS_1984_UTM_Zone_11N');
    expect(a.metresPerUnit).toBe(1);
    const p = a.toLonLat(376313.65, 3788627.83); const q = b.toLonLat(376313.65, 3788627.83);
    expect(p[0]).toBeCloseTo(q[0], 10); expect(p[1]).toBeCloseTo(q[1], 10);
    const feet = parseCrs(prj.replace('UNIT["Meter",1.0]', 'UNIT["Foot",0.3048]'), 'dem.prj');
    expect(feet.metresPerUnit).toBeCloseTo(0.3048, 12);
    expect(parseCrs('EPSG:4490', 't').geographic).toBe(true);
  });

  it('refuses what it cannot know, naming the field', () => {
    expect(() => parseCrs('EPSG:2000', '$.crs')).toThrow(InputError);
    expect(() => parseCrs('EPSG:2000', '$.crs')).toThrow(/EPSG code this engine has no definition for/);
    expect(() => parseCrs('Gauss zone 36', '$.crs')).toThrow(/is not a coordinate reference system/);
  });

  it('a geographic DEM goes to its centre\'s UTM zone; the shipped region\'s CRS is read from its name', () => {
    expect(utmCodeAt(106.5, 29.5)).toBe(32648);
    expect(utmCodeAt(-117.2, 34)).toBe(32611);
    expect(utmCodeAt(151.2, -33.9)).toBe(32756);
    const [lon, lat] = regionCrs({ crs: 'EPSG:32648 (WGS 84 / UTM zone 48N)' }).toLonLat(500000, 0);
    expect(lon).toBeCloseTo(105, 12); expect(lat).toBeCloseTo(0, 12);
  });

  it('parsing a CRS needs no kernels (a region loads before they do; only conversions need dmath)', () => {
    const crsModule = fileURLToPath(new URL('../../models/geo/crs.ts', import.meta.url));
    const script = `const m = await import(${JSON.stringify(crsModule)}); for (const c of ['EPSG:32648', 'EPSG:4545', '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy']) m.parseCrs(c, 'x'); console.log('parsed');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('parsed');
  });
});
