import { dmath } from '../dmath.ts';

// UTM (WGS 84) ↔ geographic coordinates, for GeoJSON (RFC 7946 is always WGS 84 lon/lat) and CAP
// area polygons. Krüger series to the 4th order (Karney 2011): well under a millimetre in a zone.

const A = 6378137;
const F = 1 / 298.257223563;
const K0 = 0.9996;
const N = F / (2 - F);
// Powers as products: exact arithmetic, the same bits on every engine (see models/dmath.ts).
const N2 = N * N; const N3 = N2 * N; const N4 = N3 * N;
const A_RECT = (A / (1 + N)) * (1 + N2 / 4 + N4 / 64);
const ALPHA = [N / 2 - (2 / 3) * N2 + (5 / 16) * N3 + (41 / 180) * N4, (13 / 48) * N2 - (3 / 5) * N3 + (557 / 1440) * N4, (61 / 240) * N3 - (103 / 140) * N4, (49561 / 161280) * N4];
const BETA = [N / 2 - (2 / 3) * N2 + (37 / 96) * N3 - (1 / 360) * N4, (1 / 48) * N2 + (1 / 15) * N3 - (437 / 1440) * N4, (17 / 480) * N3 - (37 / 840) * N4, (4397 / 161280) * N4];
const E = Math.sqrt(F * (2 - F));

function centralMeridianRad(zone: number): number {
  return ((zone * 6 - 183) * Math.PI) / 180;
}

/** Longitude and latitude (degrees) of a point in UTM zone `zone` (northern hemisphere unless south). */
export function utmToLonLat(easting: number, northing: number, zone: number, south = false): [number, number] {
  const xi = (northing - (south ? 10000000 : 0)) / (K0 * A_RECT);
  const eta = (easting - 500000) / (K0 * A_RECT);
  let xiPrime = xi; let etaPrime = eta;
  for (let j = 1; j <= 4; j++) {
    xiPrime -= BETA[j - 1] * dmath.sin(2 * j * xi) * dmath.cosh(2 * j * eta);
    etaPrime -= BETA[j - 1] * dmath.cos(2 * j * xi) * dmath.sinh(2 * j * eta);
  }
  const chi = dmath.asin(dmath.sin(xiPrime) / dmath.cosh(etaPrime));
  // Conformal latitude → geodetic latitude by fixed-point iteration on the isometric latitude.
  let phi = chi;
  for (let k = 0; k < 8; k++) {
    const s = E * dmath.sin(phi);
    phi = 2 * dmath.atan(dmath.tan(Math.PI / 4 + chi / 2) * dmath.pow((1 + s) / (1 - s), E / 2)) - Math.PI / 2;
  }
  const lambda = centralMeridianRad(zone) + dmath.atan(dmath.sinh(etaPrime) / dmath.cos(xiPrime));
  return [(lambda * 180) / Math.PI, (phi * 180) / Math.PI];
}

/** UTM easting and northing (m) of a longitude and latitude (degrees) in the given zone. */
export function lonLatToUtm(lonDeg: number, latDeg: number, zone: number): [number, number] {
  const phi = (latDeg * Math.PI) / 180;
  const lambda = (lonDeg * Math.PI) / 180 - centralMeridianRad(zone);
  const t = dmath.sinh(dmath.atanh(dmath.sin(phi)) - E * dmath.atanh(E * dmath.sin(phi)));
  const xiPrime = dmath.atan(t / dmath.cos(lambda));
  const etaPrime = dmath.atanh(dmath.sin(lambda) / Math.sqrt(1 + t * t));
  let xi = xiPrime; let eta = etaPrime;
  for (let j = 1; j <= 4; j++) {
    xi += ALPHA[j - 1] * dmath.sin(2 * j * xiPrime) * dmath.cosh(2 * j * etaPrime);
    eta += ALPHA[j - 1] * dmath.cos(2 * j * xiPrime) * dmath.sinh(2 * j * etaPrime);
  }
  return [500000 + K0 * A_RECT * eta, K0 * A_RECT * xi + (latDeg < 0 ? 10000000 : 0)];
}

/** The zone of an EPSG:326xx / 327xx code, as the region manifest names its CRS. */
export function utmZoneOf(crs: string): { zone: number; south: boolean } | undefined {
  const match = /EPSG:32([67])(\d{2})/.exec(crs);
  return match ? { zone: Number(match[2]), south: match[1] === '7' } : undefined;
}
