// A small synthetic city for the region builder's tests: a 64 × 64 ESRI ASCII DEM of 30 m cells in
// EPSG:4545 (CGCS2000 / 3-degree Gauss–Krüger CM 108E, WKT in a .prj beside it), a valley draining
// south with one closed pit, two districts in WGS 84 GeoJSON (the western one with a hole), and a
// GB18030 items CSV as Excel in China saves it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';

export const XLL = 480000;
export const YLL = 3300000;
export const CELL = 30;
export const N = 64;
/** EPSG:4545's WKT as the EPSG dataset gives it (https://epsg.io/4545.prj, ESRI form). */
export const WKT_4545 = 'PROJCS["CGCS2000_3_Degree_GK_CM_108E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",108.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const GK = '+proj=tmerc +lat_0=0 +lon_0=108 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';

/** Longitude/latitude (proj4, independent of models/geo/crs.ts) of a point of the grid. */
export function lonLatOf(x: number, y: number): [number, number] {
  return proj4(GK, '+proj=longlat +ellps=GRS80 +no_defs', [x, y]) as [number, number];
}

/** Elevation: a V valley along x = centre, falling 0.02 m/m southward, with a 5 m pit at (20, 40). */
export function elevation(c: number, r: number): number {
  const x = (c + 0.5) * CELL; const y = (N - r - 0.5) * CELL;
  const pit = c === 20 && r === 40 ? -5 : 0;
  return Math.round((300 + 0.08 * Math.abs(x - 975) + 0.02 * y + pit) * 1000) / 1000;
}

export function asciiDem(): string {
  const rows: string[] = [];
  for (let r = 0; r < N; r++) rows.push(Array.from({ length: N }, (_, c) => String(elevation(c, r))).join(' '));
  return [`ncols ${N}`, `nrows ${N}`, `xllcorner ${XLL}`, `yllcorner ${YLL}`, `cellsize ${CELL}`, 'NODATA_value -9999', ...rows, ''].join('\n');
}

const corner = (c: number, r: number) => lonLatOf(XLL + c * CELL, YLL + (N - r) * CELL);
const ring = (c0: number, r0: number, c1: number, r1: number) => [corner(c0, r0), corner(c0, r1), corner(c1, r1), corner(c1, r0), corner(c0, r0)];

export function districtsGeoJson(): object {
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { code: 'west', name: 'West', name_zh: '西区' }, geometry: { type: 'Polygon', coordinates: [ring(0, 0, 32, 64), ring(8, 8, 16, 16)] } },
      // Reaches beyond the DEM to the east and south: only cell centres inside the DEM count.
      { type: 'Feature', properties: { code: 'east', name: 'East', name_zh: '东区' }, geometry: { type: 'MultiPolygon', coordinates: [[ring(32, 0, 70, 70)]] } },
    ],
  };
}

/** The known point: the centre of cell (col 40, row 10), in the east district. */
export const KNOWN = { x: XLL + 40.5 * CELL, y: YLL + (N - 10.5) * CELL };

export function itemsCsvGb18030(): Uint8Array {
  const [lon, lat] = lonLatOf(KNOWN.x, KNOWN.y);
  const [lon2, lat2] = lonLatOf(XLL + 10.5 * CELL, YLL + 50.5 * CELL);
  const text = 'id,category,name,name_zh,lon,lat\r\n' +
    `WL-1,waterlogging,Underpass,下穿道积水点,${lon.toFixed(12)},${lat.toFixed(12)}\r\n` +
    `SL-1,slope,West slope,西山滑坡,${lon2.toFixed(12)},${lat2.toFixed(12)}\r\n`;
  return gb18030(text);
}

/** GB18030 bytes of a text (Node decodes GB18030 but has no encoder): ASCII as is, the few Chinese characters by table. */
export function gb18030(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) { out.push(ch.charCodeAt(0)); continue; }
    const bytes = GB_TABLE.get(ch);
    if (!bytes) throw new Error(`no GB18030 bytes for ${ch} in the fixture's table`);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

// Built by decoding every two-byte GBK code with TextDecoder('gb18030') and keeping the characters used.
const GB_TABLE = (() => {
  const wanted = new Set('下穿道积水点西山滑坡甲乙');
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe && table.size < wanted.size; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      const ch = decoder.decode(Uint8Array.from([a, b]));
      if (wanted.has(ch) && !table.has(ch)) table.set(ch, [a, b]);
    }
  }
  return table;
})();

export interface Fixture { dir: string; caseFile: string }

/** Writes the case and its files into a new temporary folder. */
export function writeFixture(overrides: Record<string, unknown> = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-region-'));
  writeFileSync(join(dir, 'dem.asc'), asciiDem());
  writeFileSync(join(dir, 'dem.prj'), WKT_4545);
  writeFileSync(join(dir, 'districts.geojson'), JSON.stringify(districtsGeoJson()));
  writeFileSync(join(dir, 'items.csv'), itemsCsvGb18030());
  const regionCase = {
    schema: 'sandtable.region-case/1', name: 'Test Valley', name_zh: '测试河谷', dem: 'dem.asc',
    districts: { file: 'districts.geojson', id_field: 'code', name_field: 'name', name_zh_field: 'name_zh' },
    items: { file: 'items.csv' }, streams: { threshold_km2: 0.1 },
    ...overrides,
  };
  const caseFile = join(dir, 'case.json');
  writeFileSync(caseFile, JSON.stringify(regionCase, null, 1));
  return { dir, caseFile };
}
