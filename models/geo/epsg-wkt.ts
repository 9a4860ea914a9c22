// The ESRI WKT (WKT 1, ESRI flavour) of the EPSG codes crs.ts knows, for the .prj written beside an
// ESRI ASCII grid whose CRS came as a code (a GeoTIFF's GeoKeys). ESRI's flavour is what ArcGIS
// and GDAL's AAIGrid driver write in a grid's .prj, and what QGIS reads there. Made by formula for
// crs.ts's epsgFamily, as epsgDefinition is, so a code crs.ts can compute with is a code it can write;
// test/reference/geo/epsg-esri-wkt.tsv holds GDAL's text of every one, byte for byte.
import { epsgFamily } from './crs.ts';

/** ESRI's numbers: integers with ".0" (500000.0, -177.0), others as they are (0.9996). */
const num = (value: number) => (Number.isInteger(value) ? `${value}.0` : String(value));

const DEGREE = 'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]';
const WGS84_GEOGCS = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],${DEGREE}]`;
const CGCS2000_GEOGCS = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],${DEGREE}]`;

function projected(name: string, geogcs: string, projection: string, p: { falseEasting: number; falseNorthing: number; centralMeridian: number; scale: number }): string {
  const parameters = [['False_Easting', p.falseEasting], ['False_Northing', p.falseNorthing], ['Central_Meridian', p.centralMeridian], ['Scale_Factor', p.scale], ['Latitude_Of_Origin', 0]] as const;
  return `PROJCS["${name}",${geogcs},PROJECTION["${projection}"],${parameters.map(([k, v]) => `PARAMETER["${k}",${num(v)}]`).join(',')},UNIT["Meter",1.0]]`;
}

/**
 * The ESRI WKT of an EPSG code of crs.ts's families (4326, 4490, 4491–4554 CGCS2000 Gauss–Krüger,
 * 32601–32660 and 32701–32760 WGS 84 / UTM), or undefined for any other code: never a guess.
 */
export function epsgEsriWkt(code: number): string | undefined {
  const family = epsgFamily(code);
  if (!family) return undefined;
  switch (family.kind) {
    case 'geographic':
      return family.datum === 'WGS 84' ? WGS84_GEOGCS : CGCS2000_GEOGCS;
    case 'gauss-kruger': {
      const { degrees, zone, centralMeridian, falseEasting } = family;
      const name = `CGCS2000_${degrees === 3 ? '3_Degree_' : ''}GK_${zone === undefined ? `CM_${centralMeridian}E` : `Zone_${zone}`}`;
      return projected(name, CGCS2000_GEOGCS, 'Gauss_Kruger', { falseEasting, falseNorthing: 0, centralMeridian, scale: 1 });
    }
    case 'utm': {
      const { zone, south } = family;
      return projected(`WGS_1984_UTM_Zone_${zone}${south ? 'S' : 'N'}`, WGS84_GEOGCS, 'Transverse_Mercator', { falseEasting: 500000, falseNorthing: south ? 10000000 : 0, centralMeridian: zone * 6 - 183, scale: 0.9996 });
    }
  }
}
