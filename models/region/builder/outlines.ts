// District outlines for CAP areas and maps, from the user's polygons (already in the DEM's CRS).
// CAP 1.2 <polygon> is one closed ring of ≥ 4 "lat,lon" points and has no way to say "minus this
// hole"; an <area> may carry several polygons. So a district becomes one ring per outer ring (every
// part of a MultiPolygon), and its holes are left out of the outline: the alert area then also
// covers the hole, which warns a few more people rather than none too few. The district grid
// (districts.asc) still keeps the hole's cells out, so exposure counts are exact.
import type { DistrictShape, Ring } from './districts.ts';

export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

/** Douglas–Peucker: drops vertices closer than `tolerance` to the simplified line. */
function simplify(ring: Ring, tolerance: number): Ring {
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack: [number, number][] = [[0, ring.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = ring[a]; const [bx, by] = ring[b];
    const len = Math.hypot(bx - ax, by - ay);
    let worst = -1; let at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = ring[i];
      const d = len > 0 ? Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len : Math.hypot(px - ax, py - ay);
      if (d > worst) { worst = d; at = i; }
    }
    if (worst > tolerance) { keep[at] = 1; stack.push([a, at], [at, b]); }
  }
  return ring.filter((_, i) => keep[i]);
}

export interface Extent { x0: number; y0: number; x1: number; y1: number }

/**
 * An open ring (no repeated last point) clipped to a rectangle (Sutherland–Hodgman, one edge at a
 * time): the region simulates nothing beyond its DEM, so no alert area reaches past it.
 */
function clipToExtent(ring: Ring, e: Extent): Ring {
  const edges: [(p: [number, number]) => number][] = [[(p) => p[0] - e.x0], [(p) => e.x1 - p[0]], [(p) => p[1] - e.y0], [(p) => e.y1 - p[1]]];
  let out = ring;
  for (const [inside] of edges) {
    const input = out; out = [];
    for (let i = 0; i < input.length; i++) {
      const a = input[i]; const b = input[(i + 1) % input.length];
      const fa = inside(a); const fb = inside(b);
      if (fa >= 0) out.push(a);
      if ((fa >= 0) !== (fb >= 0)) {
        const t = fa / (fa - fb);
        out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

const closed = (ring: Ring): Ring => (ring.length && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1]) ? [...ring, ring[0]] : ring);

/**
 * Every outer ring of the district, clipped to the DEM, counter-clockwise, simplified to within
 * half a cell (never below 4 points, closed), to the centimetre; the largest first. Parts wholly
 * beyond the DEM are dropped.
 */
export function districtOutlineParts(shape: DistrictShape, extent: Extent, cellsize: number): Ring[] {
  const parts: { ring: Ring; area: number }[] = [];
  for (const polygon of shape.polygons) {
    const outer = polygon[0];
    const open = outer.slice(0, outer[0][0] === outer[outer.length - 1][0] && outer[0][1] === outer[outer.length - 1][1] ? -1 : undefined);
    let ring = clipToExtent(open, extent).map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100] as [number, number]);
    // Consecutive equal points (left where a clip edge meets a vertex) say nothing.
    ring = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
    ring = closed(ring);
    const area = ringArea(ring);
    if (ring.length < 4 || Math.abs(area) < 1e-6) continue;
    if (area < 0) ring.reverse();
    const simple = simplify(ring, cellsize / 2);
    parts.push({ ring: simple.length >= 4 ? closed(simple) : ring, area: Math.abs(area) });
  }
  return parts.sort((a, b) => b.area - a.area).map((p) => p.ring);
}
