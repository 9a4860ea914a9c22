// A small city's GIS files for building a region on the page: a 64 × 64 ESRI ASCII DEM of 30 m cells
// in EPSG:4545 (CGCS2000 / 3-degree Gauss–Krüger CM 108E, WKT in a .prj beside it), a V valley
// draining south; two districts and two items in WGS 84. The same city as test/region/fixture.ts,
// made here without node: so the browser test can hand it to a file input.
import { writeArrayBuffer } from 'geotiff';
import proj4 from 'proj4';

const XLL = 480000; const YLL = 3300000; const CELL = 30; const N = 64;
/** EPSG:4545's WKT as the EPSG dataset gives it (https://epsg.io/4545.prj, ESRI form). */
const WKT_4545 = 'PROJCS["CGCS2000_3_Degree_GK_CM_108E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",108.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const GK = '+proj=tmerc +lat_0=0 +lon_0=108 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
const lonLat = (x: number, y: number) => proj4(GK, '+proj=longlat +ellps=GRS80 +no_defs', [x, y]) as [number, number];

function demText(elevation: (c: number, r: number) => number): string {
  const rows: string[] = [];
  for (let r = 0; r < N; r++) rows.push(Array.from({ length: N }, (_, c) => String(elevation(c, r))).join(' '));
  return [`ncols ${N}`, `nrows ${N}`, `xllcorner ${XLL}`, `yllcorner ${YLL}`, `cellsize ${CELL}`, 'NODATA_value -9999', ...rows, ''].join('\n');
}
const valley = (c: number, r: number) => Math.round((300 + 0.08 * Math.abs((c + 0.5) * CELL - 975) + 0.02 * (N - r - 0.5) * CELL) * 1000) / 1000;

const corner = (c: number, r: number) => lonLat(XLL + c * CELL, YLL + (N - r) * CELL);
const ring = (c0: number, r0: number, c1: number, r1: number) => [corner(c0, r0), corner(c0, r1), corner(c1, r1), corner(c1, r0), corner(c0, r0)];

export function cityFiles() {
  const districts = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { code: 'west', name: 'West', name_zh: '西区' }, geometry: { type: 'Polygon', coordinates: [ring(0, 0, 32, 64)] } },
      { type: 'Feature', properties: { code: 'east', name: 'East', name_zh: '东区' }, geometry: { type: 'Polygon', coordinates: [ring(32, 0, 64, 64)] } },
    ],
  };
  const [lon1, lat1] = lonLat(XLL + 40.5 * CELL, YLL + 53.5 * CELL);
  const [lon2, lat2] = lonLat(XLL + 10.5 * CELL, YLL + 50.5 * CELL);
  const items = `id,category,name,name_zh,lon,lat\nWL-1,waterlogging,Underpass,下穿道积水点,${lon1.toFixed(12)},${lat1.toFixed(12)}\nSL-1,slope,West slope,西山滑坡,${lon2.toFixed(12)},${lat2.toFixed(12)}\n`;
  return {
    dem: new File([demText(valley)], 'dem.asc'),
    prj: new File([WKT_4545], 'dem.prj'),
    districts: new File([JSON.stringify(districts)], 'districts.geojson'),
    items: new File([items], 'items.csv'),
    // An elevation in feet by mistake, 30 000 at the top-left corner: beyond any place on Earth.
    badDem: new File([demText((c, r) => (c === 0 && r === 0 ? 30000 : valley(c, r)))], 'dem.asc'),
  };
}

/**
 * The same DEM as a GeoTIFF whose geokeys say its CRS (ProjectedCSTypeGeoKey 4545, metres), with no
 * .prj beside it: float32 cells, so each elevation is the float nearest the ASCII one.
 */
export async function cityTiff(): Promise<File> {
  const values = Float32Array.from({ length: N * N }, (_, i) => valley(i % N, Math.floor(i / N)));
  // The writer's types list fewer geokeys than it writes.
  const keys: Record<string, number> = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 4545, ProjLinearUnitsGeoKey: 9001 };
  const bytes = await writeArrayBuffer(values, { width: N, height: N, ModelPixelScale: [CELL, CELL, 0], ModelTiepoint: [0, 0, 0, XLL, YLL + N * CELL, 0], ...keys });
  return new File([bytes], 'dem.tif');
}
