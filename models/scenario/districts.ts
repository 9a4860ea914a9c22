// District outlines: each district is the Voronoi cell of its centre within the region (how the
// generator assigns cells), clipped from the region's rectangle by half-planes; or, in a built
// region, the outline region.json gives.
import type { RegionManifest } from './region.ts';

type Ring = [number, number][];

function clipByHalfPlane(polygon: Ring, keep: (p: [number, number]) => number): Ring {
  const out: Ring = [];
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]; const b = polygon[(i + 1) % polygon.length];
    const fa = keep(a); const fb = keep(b);
    if (fa >= 0) out.push(a);
    if ((fa >= 0) !== (fb >= 0)) {
      const t = fa / (fa - fb);
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

/** The outline of every district, in map metres, counter-clockwise, closed (first = last). */
export function districtOutlines(manifest: RegionManifest): Map<string, Ring> {
  const { xllcorner: x0, yllcorner: y0, ncols, nrows, cellsize_m: cs } = manifest.grid;
  const box: Ring = [[x0, y0], [x0 + ncols * cs, y0], [x0 + ncols * cs, y0 + nrows * cs], [x0, y0 + nrows * cs]];
  const out = new Map<string, Ring>();
  for (const district of manifest.districts) {
    // A built region carries each district's own outline (from the user's polygons).
    if (district.outline_m && district.outline_m.length >= 4) { out.set(district.id, district.outline_m); continue; }
    const [cx, cy] = district.centre_m;
    let ring = box;
    for (const other of manifest.districts) {
      if (other === district) continue;
      const [ox, oy] = other.centre_m;
      // Keep the side nearer this centre: (p − midpoint) · (c − o) ≥ 0.
      const mx = (cx + ox) / 2; const my = (cy + oy) / 2;
      ring = clipByHalfPlane(ring, ([px, py]) => (px - mx) * (cx - ox) + (py - my) * (cy - oy));
    }
    out.set(district.id, [...ring, ring[0]]);
  }
  return out;
}

/** Every part of every district (outer rings, holes left out: see models/region/builder/outlines.ts), map metres. */
export function districtOutlineParts(manifest: RegionManifest): Map<string, Ring[]> {
  const single = districtOutlines(manifest);
  return new Map(manifest.districts.map((d) => [d.id, d.outlines_m && d.outlines_m.length > 1 ? d.outlines_m : [single.get(d.id)!]]));
}
