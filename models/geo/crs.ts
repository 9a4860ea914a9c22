// Coordinate reference systems: EPSG codes of the families a city's GIS office uses (WGS 84,
// CGCS2000 and its Gauss–Krüger zones, UTM), any WKT (1 or 2) or proj string, parsed by proj4.
// Every WGS 84 output (GeoJSON, CAP polygons, items) goes through `toLonLat` here.
//
// Transverse Mercator (UTM, Gauss–Krüger, most city grids) is evaluated with proj4's own Krüger
// coefficients (Poder/Engsager, 6th order, as PROJ's default tmerc) but through models/dmath.ts:
// proj4 calls V8's Math.sin, which differs in the last bits between Node and Chromium, and the
// run's results hash must not. Other projections and datum shifts use proj4's transform.
//
// CGCS2000 and WGS 84 are treated as one datum (they agree to a few centimetres, as ITRF
// realisations); any other datum is shifted to WGS 84 with the definition's towgs84.
import proj4 from 'proj4';
import { dmath } from '../dmath.ts';
import { InputError } from '../errors.ts';

export interface Crs {
  /** A readable name: `EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)`, or the WKT's name. */
  name: string;
  /** The proj string or WKT the CRS was made from (region.json keeps it as `crs_definition`). */
  definition: string;
  geographic: boolean;
  /** Metres per unit of the projected axes (1 for metres, 0.3048 for international feet). */
  metresPerUnit: number;
  toLonLat(x: number, y: number): [number, number];
  fromLonLat(lonDeg: number, latDeg: number): [number, number];
}

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';
const CGCS2000 = '+proj=longlat +ellps=GRS80 +no_defs';
const tm = (lon0: number, k: number, x0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=${k} +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;

/**
 * What an EPSG code of the supported families is, by formula (the EPSG dataset's definitions, not
 * a copy of the database):
 * - 4490 CGCS2000 geographic; 4326 WGS 84 geographic;
 * - 4491–4501 CGCS2000 6-degree Gauss–Krüger zones 13–23 (CM 75°E + 6°·k, zone number in the false easting);
 * - 4502–4512 the same zones, "CM" codes (false easting 500 000 m);
 * - 4513–4533 CGCS2000 3-degree Gauss–Krüger zones 25–45 (CM 3°·zone, false easting zone·10⁶ + 500 000 m);
 * - 4534–4554 the same, "CM 75E" … "CM 135E" (false easting 500 000 m);
 * - 32601–32660 / 32701–32760 WGS 84 / UTM zones north / south.
 * epsgDefinition and epsgEsriWkt (epsg-wkt.ts) only format it, so both know the same codes.
 */
export type EpsgFamily =
  | { kind: 'geographic'; datum: 'WGS 84' | 'CGCS2000' }
  /** `zone`: the zone number where the code names the zone (and the false easting carries it); undefined for the "CM" codes. */
  | { kind: 'gauss-kruger'; degrees: 6 | 3; zone: number | undefined; centralMeridian: number; falseEasting: number }
  | { kind: 'utm'; zone: number; south: boolean };

export function epsgFamily(code: number): EpsgFamily | undefined {
  if (code === 4326) return { kind: 'geographic', datum: 'WGS 84' };
  if (code === 4490) return { kind: 'geographic', datum: 'CGCS2000' };
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4478;
    return { kind: 'gauss-kruger', degrees: 6, zone, centralMeridian: zone * 6 - 3, falseEasting: zone * 1e6 + 500000 };
  }
  if (code >= 4502 && code <= 4512) return { kind: 'gauss-kruger', degrees: 6, zone: undefined, centralMeridian: 75 + 6 * (code - 4502), falseEasting: 500000 };
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4488;
    return { kind: 'gauss-kruger', degrees: 3, zone, centralMeridian: zone * 3, falseEasting: zone * 1e6 + 500000 };
  }
  if (code >= 4534 && code <= 4554) return { kind: 'gauss-kruger', degrees: 3, zone: undefined, centralMeridian: 75 + 3 * (code - 4534), falseEasting: 500000 };
  if ((code >= 32601 && code <= 32660) || (code >= 32701 && code <= 32760)) return { kind: 'utm', zone: code % 100, south: code > 32700 };
  return undefined;
}

/** The proj definition and name of an EPSG code of the supported families (epsgFamily). */
export function epsgDefinition(code: number): { definition: string; name: string } | undefined {
  const family = epsgFamily(code);
  if (!family) return undefined;
  switch (family.kind) {
    case 'geographic':
      return family.datum === 'WGS 84' ? { definition: WGS84, name: 'WGS 84' } : { definition: CGCS2000, name: 'China Geodetic Coordinate System 2000' };
    case 'gauss-kruger': {
      const { degrees, zone, centralMeridian: cm, falseEasting } = family;
      const which = zone === undefined ? `CM ${cm}E` : `zone ${zone}`;
      return { definition: tm(cm, 1, falseEasting), name: `CGCS2000 / ${degrees === 3 ? '3-degree ' : ''}Gauss-Kruger ${which}` };
    }
    case 'utm': {
      const { zone, south } = family;
      return { definition: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`, name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}` };
    }
  }
}

/** The UTM zone's EPSG code whose central meridian is nearest a longitude (for reprojecting a geographic DEM). */
export function utmCodeAt(lonDeg: number, latDeg: number): number {
  const zone = Math.min(60, Math.max(1, Math.floor((lonDeg + 180) / 6) + 1));
  return (latDeg < 0 ? 32700 : 32600) + zone;
}

const SUPPORTED = 'an EPSG code (4326, 4490, 4491–4554 CGCS2000 Gauss–Krüger, 326xx/327xx UTM), a WKT or a proj string';

/**
 * A CRS from what a user wrote: `EPSG:4545` (anything after the code, such as the name in
 * parentheses, is ignored), a WKT (1 or 2), or a proj string. `where` names the field for errors.
 */
export function parseCrs(spec: string, where: string): Crs {
  const text = spec.trim();
  const epsg = /^EPSG:(\d+)\b/i.exec(text);
  if (epsg) {
    const known = epsgDefinition(Number(epsg[1]));
    if (!known) throw InputError.single(where, 'is an EPSG code this engine has no definition for', spec, SUPPORTED + ' (give its WKT instead)');
    return makeCrs(known.definition, `EPSG:${epsg[1]} (${known.name})`);
  }
  if (!/^(\+proj=|[A-Z_]+(CRS|CS)\s*\[)/i.test(text)) throw InputError.single(where, 'is not a coordinate reference system', spec.slice(0, 80), SUPPORTED);
  return makeCrs(text, /^[A-Z_]+\s*\[\s*"([^"]*)"/i.exec(text)?.[1] ?? text.slice(0, 80), where);
}

interface ProjParams {
  projName?: string; a: number; es: number; k0?: number; lat0?: number; long0?: number; x0?: number; y0?: number; to_meter?: number; units?: string;
  cgb?: number[]; cbg?: number[]; utg?: number[]; gtu?: number[]; Qn?: number; approx?: boolean;
  datum?: { datum_type: number; datum_params?: number[] };
}

const TM_NAMES = new Set(['Transverse Mercator', 'Extended_Transverse_Mercator', 'etmerc', 'tmerc', 'utm', 'Universal Transverse Mercator System']);
// proj4's datum types: 1 and 2 carry a shift to WGS 84 (3 and 7 parameters); 4 is WGS 84; 5 none.
const SHIFTED_DATUM = (p: ProjParams) => (p.datum?.datum_type === 1 || p.datum?.datum_type === 2) && (p.datum.datum_params ?? []).some((v) => v !== 0);

function makeCrs(definition: string, name: string, where = name): Crs {
  let params: ProjParams;
  let converter: proj4.Converter;
  try {
    params = proj4.Proj(definition) as unknown as ProjParams;
    converter = proj4(definition, WGS84);
  } catch (error) {
    throw InputError.single(where, 'is a coordinate reference system proj4 cannot read', (error as Error).message, SUPPORTED);
  }
  const geographic = params.projName === 'longlat';
  const metresPerUnit = geographic ? 1 : params.to_meter ?? 1;
  const base = { name, definition, geographic, metresPerUnit };
  if (geographic && !SHIFTED_DATUM(params)) return { ...base, toLonLat: (x, y) => [x, y], fromLonLat: (lon, lat) => [lon, lat] };
  const tmerc = !geographic && !SHIFTED_DATUM(params) && !params.approx && TM_NAMES.has(params.projName ?? '') && params.cgb?.length === 6 ? new KrugerTm(params) : undefined;
  if (tmerc) return { ...base, toLonLat: (x, y) => tmerc.inverse(x * metresPerUnit, y * metresPerUnit), fromLonLat: (lon, lat) => tmerc.forward(lon, lat).map((v) => v / metresPerUnit) as [number, number] };
  return {
    ...base,
    toLonLat: (x, y) => converter.forward([x, y]) as [number, number],
    fromLonLat: (lon, lat) => converter.inverse([lon, lat]) as [number, number],
  };
}

const DEG = Math.PI / 180;

/** Clenshaw sum of a sine series, real argument (PROJ's gatg/clens). */
function sineSeries(coefficients: readonly number[], angle: number): number {
  const twoCos = 2 * dmath.cos(angle);
  let h1 = coefficients[coefficients.length - 1]; let h2 = 0; let h = h1;
  for (let i = coefficients.length - 2; i >= 0; i--) { h = -h2 + twoCos * h1 + coefficients[i]; h2 = h1; h1 = h; }
  return dmath.sin(angle) * h;
}

/** Clenshaw sum of a sine series, complex argument (PROJ's clens_cmplx): [real, imaginary]. */
function complexSineSeries(coefficients: readonly number[], re: number, im: number): [number, number] {
  const sinR = dmath.sin(re); const cosR = dmath.cos(re); const sinhI = dmath.sinh(im); const coshI = dmath.cosh(im);
  const r = 2 * cosR * coshI; const i = -2 * sinR * sinhI;
  let hr = coefficients[coefficients.length - 1]; let hi = 0; let hr1 = 0; let hi1 = 0;
  for (let j = coefficients.length - 2; j >= 0; j--) {
    const hr2 = hr1; const hi2 = hi1;
    hr1 = hr; hi1 = hi;
    hr = -hr2 + r * hr1 - i * hi1 + coefficients[j];
    hi = -hi2 + i * hr1 + r * hi1;
  }
  const sr = sinR * coshI; const si = cosR * sinhI;
  return [sr * hr - si * hi, sr * hi + si * hr];
}

const asinh = (x: number) => dmath.atanh(x / Math.sqrt(1 + x * x));

/** Transverse Mercator by Krüger's series (Poder/Engsager's form, PROJ and proj4's etmerc). */
class KrugerTm {
  private readonly a: number; private readonly lon0: number; private readonly x0: number; private readonly y0: number;
  private readonly cgb: number[]; private readonly cbg: number[]; private readonly utg: number[]; private readonly gtu: number[];
  private readonly qn: number; private readonly lat0: number; private zbCached: number | undefined;
  constructor(p: ProjParams) {
    // k0 is in proj4's Qn (the scaled rectifying radius over a).
    this.a = p.a; this.lon0 = p.long0 ?? 0; this.x0 = p.x0 ?? 0; this.y0 = p.y0 ?? 0; this.lat0 = p.lat0 ?? 0;
    this.cgb = p.cgb!; this.cbg = p.cbg!; this.utg = p.utg!; this.gtu = p.gtu!; this.qn = p.Qn!;
  }

  /**
   * The origin's northing offset, on first use: parsing a CRS (when a region loads) must not need
   * dmath, which is there only once the kernels have loaded.
   */
  private get zb(): number {
    if (this.zbCached === undefined) {
      const z = this.lat0 + sineSeries(this.cbg, 2 * this.lat0);
      this.zbCached = -this.qn * (z + sineSeries(this.gtu, 2 * z));
    }
    return this.zbCached;
  }

  forward(lonDeg: number, latDeg: number): [number, number] {
    let lam = lonDeg * DEG - this.lon0;
    if (Math.abs(lam) > Math.PI) lam -= Math.sign(lam) * 2 * Math.PI;
    const phi = latDeg * DEG;
    const chi = phi + sineSeries(this.cbg, 2 * phi);
    const sinChi = dmath.sin(chi); const cosChi = dmath.cos(chi); const sinLam = dmath.sin(lam); const cosLam = dmath.cos(lam);
    const xiP = dmath.atan2(sinChi, cosLam * cosChi);
    const etaP = asinh(dmath.tan(dmath.atan2(sinLam * cosChi, Math.hypot(sinChi, cosChi * cosLam))));
    const [dXi, dEta] = complexSineSeries(this.gtu, 2 * xiP, 2 * etaP);
    return [this.a * this.qn * (etaP + dEta) + this.x0, this.a * (this.qn * (xiP + dXi) + this.zb) + this.y0];
  }

  inverse(x: number, y: number): [number, number] {
    const xi0 = ((y - this.y0) / this.a - this.zb) / this.qn;
    const eta0 = (x - this.x0) / this.a / this.qn;
    const [dXi, dEta] = complexSineSeries(this.utg, 2 * xi0, 2 * eta0);
    const xi = xi0 + dXi;
    const eta = dmath.atan(dmath.sinh(eta0 + dEta));
    const sinXi = dmath.sin(xi); const cosXi = dmath.cos(xi); const sinEta = dmath.sin(eta); const cosEta = dmath.cos(eta);
    const chi = dmath.atan2(sinXi * cosEta, Math.hypot(sinEta, cosEta * cosXi));
    let lam = dmath.atan2(sinEta, cosEta * cosXi) + this.lon0;
    if (Math.abs(lam) > Math.PI) lam -= Math.sign(lam) * 2 * Math.PI;
    const phi = chi + sineSeries(this.cgb, 2 * chi);
    return [lam / DEG, phi / DEG];
  }
}

const cache = new Map<string, Crs>();

/**
 * The CRS of a region manifest: its `crs_definition` (written by `region build`) or else the EPSG
 * code its `crs` starts with (the shipped region's `EPSG:32648 (WGS 84 / UTM zone 48N)`).
 */
export function regionCrs(manifest: { crs: string; crs_definition?: string }, file = 'region.json'): Crs {
  const key = manifest.crs_definition ?? manifest.crs;
  let crs = cache.get(key);
  if (!crs) {
    crs = manifest.crs_definition !== undefined ? { ...parseCrs(manifest.crs_definition, `${file} $.crs_definition`), name: manifest.crs } : parseCrs(manifest.crs, `${file} $.crs`);
    cache.set(key, crs);
  }
  return crs;
}

/**
 * Whether `other` names the same CRS as `target` over a grid: the grid's centre, taken through
 * WGS 84 from `other` into `target`, moves by less than a hundredth of a cell (a WKT and an EPSG
 * code of one projection differ in text only). A transform that fails (NaN) is not the same.
 */
export function sameCrsOver(target: Crs, other: Crs, grid: { xllcorner: number; yllcorner: number; ncols: number; nrows: number; cellsize: number }): boolean {
  if (target.definition === other.definition) return true;
  const x = grid.xllcorner + (grid.ncols * grid.cellsize) / 2;
  const y = grid.yllcorner + (grid.nrows * grid.cellsize) / 2;
  const [tx, ty] = target.fromLonLat(...other.toLonLat(x, y));
  return Math.hypot(tx - x, ty - y) < grid.cellsize / 100;
}
