// The .prj text written for a CRS known only by its EPSG code (a GeoTIFF's GeoKeys): ESRI WKT,
// byte-equal to GDAL's for every code the engine knows (test/reference/geo/epsg-esri-wkt.tsv, made
// with `gdalsrsinfo --single-line -o wkt_esri EPSG:<code>`, GDAL 3.6.2 / PROJ 9.1.1), read back as
// the same CRS, and nothing for a code the engine does not know.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { epsgDefinition, parseCrs, sameCrsOver } from '../../models/geo/crs.ts';
import { epsgEsriWkt } from '../../models/geo/epsg-wkt.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { referencePath } from '../reference.ts';

const gdal = readFileSync(referencePath('geo/epsg-esri-wkt.tsv'), 'utf8').trimEnd().split('\n').map((line) => {
  const [code, wkt] = line.split('\t');
  return { code: Number(code), wkt };
});

beforeAll(async () => { await loadKernels(); });

describe('EPSG code → ESRI WKT (.prj)', () => {
  it('is GDAL\'s text, byte for byte, for each of the 186 codes the engine knows', () => {
    expect(gdal).toHaveLength(186);
    const differing = gdal.filter(({ code, wkt }) => epsgEsriWkt(code) !== wkt).map((g) => g.code);
    expect(differing).toEqual([]);
    expect(epsgEsriWkt(32648)).toBe('PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
  });

  it('knows exactly the codes crs.ts computes with, and writes none for any other (Web Mercator, Xian 1980, UTM 61N)', () => {
    const computed: number[] = [];
    for (let code = 1; code < 40000; code++) if (epsgDefinition(code)) computed.push(code);
    expect(computed).toEqual(gdal.map((g) => g.code));
    for (const code of [3857, 4214, 4610, 2383, 32661, 32700, 0, -1]) expect(epsgEsriWkt(code)).toBeUndefined();
  });

  it('reads back as the code\'s own CRS: the same point to 1/100 of a 10 m cell', () => {
    for (const { code, wkt } of gdal) {
      const byCode = parseCrs(`EPSG:${code}`, 'code');
      const cm = /Central_Meridian",(-?[\d.]+)/.exec(wkt);
      // A 10 × 10 grid about the projection's centre at 30° N (or 30° S), in the CRS's own units.
      const [x, y] = byCode.geographic ? [105, 30] : byCode.fromLonLat(Number(cm![1]) + 1, code > 32700 ? -30 : 30);
      const cell = byCode.geographic ? 1e-4 : 10;
      const grid = { xllcorner: x, yllcorner: y, ncols: 10, nrows: 10, cellsize: cell };
      expect(sameCrsOver(byCode, parseCrs(wkt, `${code}.prj`), grid), `EPSG:${code}`).toBe(true);
    }
    // The check tells zones apart: the neighbouring zone's WKT is another CRS over the same cells.
    const utm48 = parseCrs('EPSG:32648', 'code');
    const [x, y] = utm48.fromLonLat(106, 30);
    expect(sameCrsOver(utm48, parseCrs(epsgEsriWkt(32649)!, '32649.prj'), { xllcorner: x, yllcorner: y, ncols: 10, nrows: 10, cellsize: 10 })).toBe(false);
  });
});
