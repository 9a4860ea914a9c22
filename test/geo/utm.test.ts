import { describe, expect, it } from 'vitest';
import { lonLatToUtm, utmToLonLat, utmZoneOf } from '../../models/geo/utm.ts';

describe('UTM ↔ WGS 84', () => {
  it('a zone\'s origin: 105°E on the equator is (500 000, 0) in zone 48N', () => {
    const [e, n] = lonLatToUtm(105, 0, 48);
    expect(e).toBeCloseTo(500000, 6);
    expect(n).toBeCloseTo(0, 6);
  });

  it('published point: CN Tower, 43°38′33.24″N 79°23′13.7″W = 17T 630084 4833438 (Wikipedia, "Universal Transverse Mercator coordinate system"), within the metre it is given to', () => {
    const [e, n] = lonLatToUtm(-(79 + 23 / 60 + 13.7 / 3600), 43 + 38 / 60 + 33.24 / 3600, 17);
    expect(Math.floor(e)).toBe(630084);
    expect(Math.floor(n)).toBe(4833438);
  });

  it('round-trips to a micro-degree across the zone', () => {
    for (const [lon, lat] of [[102.1, 21.5], [106.55, 29.56], [107.9, 45.2], [103, 0.5]]) {
      const [e, n] = lonLatToUtm(lon, lat, 48);
      const [lon2, lat2] = utmToLonLat(e, n, 48);
      expect(lon2).toBeCloseTo(lon, 9);
      expect(lat2).toBeCloseTo(lat, 9);
    }
    expect(utmZoneOf('EPSG:32648 (WGS 84 / UTM zone 48N)')).toEqual({ zone: 48, south: false });
  });
});
