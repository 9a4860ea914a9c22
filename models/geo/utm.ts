// UTM (WGS 84) ↔ geographic coordinates, for GeoJSON (RFC 7946 is always WGS 84 lon/lat) and CAP
// area polygons. Krüger series to the 4th order (Karney 2011): well under a millimetre in a zone.

const A = 6378137;
const F = 1 / 298.257223563;
const K0 = 0.9996;
const N = F / (2 - F);
const A_RECT = (A / (1 + N)) * (1 + N ** 2 / 4 + N ** 4 / 64);
const ALPHA = [N / 2 - (2 / 3) * N ** 2 + (5 / 16) * N ** 3 + (41 / 180) * N ** 4, (13 / 48) * N ** 2 - (3 / 5) * N ** 3 + (557 / 1440) * N ** 4, (61 / 240) * N ** 3 - (103 / 140) * N ** 4, (49561 / 161280) * N ** 4];
const BETA = [N / 2 - (2 / 3) * N ** 2 + (37 / 96) * N ** 3 - (1 / 360) * N ** 4, (1 / 48) * N ** 2 + (1 / 15) * N ** 3 - (437 / 1440) * N ** 4, (17 / 480) * N ** 3 - (37 / 840) * N ** 4, (4397 / 161280) * N ** 4];
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
    xiPrime -= BETA[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    etaPrime -= BETA[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  const chi = Math.asin(Math.sin(xiPrime) / Math.cosh(etaPrime));
  // Conformal latitude → geodetic latitude by fixed-point iteration on the isometric latitude.
  let phi = chi;
  for (let k = 0; k < 8; k++) {
    const s = E * Math.sin(phi);
    phi = 2 * Math.atan(Math.tan(Math.PI / 4 + chi / 2) * ((1 + s) / (1 - s)) ** (E / 2)) - Math.PI / 2;
  }
  const lambda = centralMeridianRad(zone) + Math.atan(Math.sinh(etaPrime) / Math.cos(xiPrime));
  return [(lambda * 180) / Math.PI, (phi * 180) / Math.PI];
}

/** UTM easting and northing (m) of a longitude and latitude (degrees) in the given zone. */
export function lonLatToUtm(lonDeg: number, latDeg: number, zone: number): [number, number] {
  const phi = (latDeg * Math.PI) / 180;
  const lambda = (lonDeg * Math.PI) / 180 - centralMeridianRad(zone);
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - E * Math.atanh(E * Math.sin(phi)));
  const xiPrime = Math.atan(t / Math.cos(lambda));
  const etaPrime = Math.atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
  let xi = xiPrime; let eta = etaPrime;
  for (let j = 1; j <= 4; j++) {
    xi += ALPHA[j - 1] * Math.sin(2 * j * xiPrime) * Math.cosh(2 * j * etaPrime);
    eta += ALPHA[j - 1] * Math.cos(2 * j * xiPrime) * Math.sinh(2 * j * etaPrime);
  }
  return [500000 + K0 * A_RECT * eta, K0 * A_RECT * xi + (latDeg < 0 ? 10000000 : 0)];
}

/** The zone of an EPSG:326xx / 327xx code, as the region manifest names its CRS. */
export function utmZoneOf(crs: string): { zone: number; south: boolean } | undefined {
  const match = /EPSG:32([67])(\d{2})/.exec(crs);
  return match ? { zone: Number(match[2]), south: match[1] === '7' } : undefined;
}
