// Districts from a GeoJSON FeatureCollection of Polygons and MultiPolygons (holes allowed): into
// the DEM's CRS, rasterised to the districts grid by cell centre (even–odd, so holes stay out),
// and each district's outline kept for CAP areas and maps.
import { InputError, type Problem } from '../../errors.ts';
import type { Grid } from '../../grid/ascii.ts';
import { parseCrs, type Crs } from '../../geo/crs.ts';
import { isRecord } from '../../params.ts';
import { FILE_ID_EXPECTED, isFileId } from '../../scenario/ids.ts';

export type Ring = [number, number][];

export interface DistrictShape { id: string; name: string; name_zh: string; feature: number; polygons: Ring[][] }

export interface DistrictSpec { id_field: string; name_field: string; name_zh_field: string; crs?: string }

/** The CRS a GeoJSON file declares: the case's, else the old `crs` member, else RFC 7946's WGS 84. */
function declaredCrs(value: Record<string, unknown>, spec: { crs?: string }, file: string, casePath: string): { crs: Crs; said: string } {
  if (spec.crs) return { crs: parseCrs(spec.crs, `${casePath}.crs`), said: `the case's ${casePath}.crs` };
  const member = isRecord(value.crs) && isRecord(value.crs.properties) ? value.crs.properties.name : undefined;
  if (typeof member === 'string') {
    const code = /EPSG:+(\d+)/i.exec(member)?.[1] ?? (/CRS84$/i.test(member) ? '4326' : undefined);
    if (code) return { crs: parseCrs(`EPSG:${code}`, `${file} $.crs.properties.name`), said: `its "crs" member (${member})` };
  }
  return { crs: parseCrs('EPSG:4326', file), said: 'RFC 7946 (GeoJSON is WGS 84 longitude/latitude unless declared)' };
}

/** Polygons of each feature, checked against the declared CRS and carried into the DEM's. */
export function readDistrictShapes(value: unknown, file: string, spec: DistrictSpec, demCrs: Crs, casePath = '$.districts'): DistrictShape[] {
  if (!isRecord(value) || value.type !== 'FeatureCollection' || !Array.isArray(value.features)) {
    throw InputError.single(`${file} $`, 'is not a GeoJSON FeatureCollection', isRecord(value) ? value.type : value, '{ "type": "FeatureCollection", "features": [Polygon or MultiPolygon features] }');
  }
  const { crs, said } = declaredCrs(value, spec, file, casePath);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const shapes: DistrictShape[] = [];
  value.features.forEach((feature: unknown, k: number) => {
    const at = `${file} $.features[${k}]`;
    if (problems.length >= 20) return;
    if (!isRecord(feature) || !isRecord(feature.geometry)) { problems.push({ path: `${at}.geometry`, message: 'is not a feature with a geometry', value: isRecord(feature) ? feature.geometry : feature, expected: 'a Polygon or MultiPolygon feature' }); return; }
    const g = feature.geometry;
    const props = isRecord(feature.properties) ? feature.properties : {};
    const rawId = props[spec.id_field];
    const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : rawId;
    if (typeof id !== 'string' || !isFileId(id)) { problems.push({ path: `${at}.properties.${spec.id_field}`, message: typeof id === 'string' ? 'cannot be a district id (ids name warning and CAP files)' : 'is missing', value: rawId, expected: FILE_ID_EXPECTED }); return; }
    if (seen.has(id)) { problems.push({ path: `${at}.properties.${spec.id_field}`, message: 'repeats an earlier district\'s id', value: id, expected: 'one feature per district' }); return; }
    seen.add(id);
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : undefined;
    if (!Array.isArray(polygons)) { problems.push({ path: `${at}.geometry.type`, message: 'is not a polygon', value: g.type, expected: '"Polygon" or "MultiPolygon"' }); return; }
    const out: Ring[][] = [];
    polygons.forEach((polygon: unknown, p: number) => {
      const rings: Ring[] = [];
      (Array.isArray(polygon) ? polygon : []).forEach((ring: unknown, q: number) => {
        const path = g.type === 'Polygon' ? `${at}.geometry.coordinates[${q}]` : `${at}.geometry.coordinates[${p}][${q}]`;
        if (!Array.isArray(ring) || ring.length < 4) { problems.push({ path, message: 'is not a closed ring', value: ring, expected: 'a ring of at least 4 positions, first = last' }); return; }
        const mapped: Ring = [];
        for (let i = 0; i < ring.length; i++) {
          const pos = ring[i];
          const x = Array.isArray(pos) ? pos[0] : undefined; const y = Array.isArray(pos) ? pos[1] : undefined;
          if (!(typeof x === 'number' && Number.isFinite(x) && typeof y === 'number' && Number.isFinite(y))) { problems.push({ path: `${path}[${i}]`, message: 'is not a position', value: pos, expected: '[x, y] numbers' }); return; }
          if (crs.geographic && (Math.abs(x) > 180 || Math.abs(y) > 90)) {
            problems.push({ path: `${path}[${i}]`, message: `is not a longitude/latitude, though the file is WGS 84 by ${said}: it looks projected`, value: `[${x}, ${y}]`, expected: 'longitude in [-180, 180], latitude in [-90, 90]; or declare the file\'s CRS with "crs" in the case\'s districts' });
            return;
          }
          if (!crs.geographic && Math.abs(x) <= 180 && Math.abs(y) <= 90) {
            problems.push({ path: `${path}[${i}]`, message: `looks like a longitude/latitude, though the file is in ${crs.name} by ${said}`, value: `[${x}, ${y}]`, expected: `metres in ${crs.name}, or drop the declared crs` });
            return;
          }
          const [lon, lat] = crs.toLonLat(x, y);
          mapped.push(demCrs.fromLonLat(lon, lat));
        }
        rings.push(mapped);
      });
      if (rings.length) out.push(rings);
    });
    const name = props[spec.name_field]; const nameZh = props[spec.name_zh_field];
    shapes.push({ id, name: typeof name === 'string' && name ? name : id, name_zh: typeof nameZh === 'string' && nameZh ? nameZh : typeof name === 'string' && name ? name : id, feature: k, polygons: out });
  });
  if (problems.length) throw new InputError(problems.slice(0, 20));
  if (shapes.length === 0) throw InputError.single(`${file} $.features`, 'holds no district', value.features.length, 'at least one Polygon or MultiPolygon feature');
  return shapes;
}

/** District index per cell by cell centre (−1: in none); a cell in two districts goes to the first. */
export function rasterizeDistricts(shapes: readonly DistrictShape[], grid: Grid): Int32Array {
  const { ncols, nrows, xllcorner, yllcorner, cellsize } = grid;
  const index = new Int32Array(ncols * nrows).fill(-1);
  shapes.forEach((shape, d) => {
    for (const polygon of shape.polygons) {
      const rings = polygon.map((ring) => ring.map(([x, y]) => [(x - xllcorner) / cellsize, nrows - (y - yllcorner) / cellsize] as [number, number]));
      let top = Infinity; let bottom = -Infinity;
      for (const ring of rings) for (const [, v] of ring) { top = Math.min(top, v); bottom = Math.max(bottom, v); }
      const crossings: number[] = [];
      for (let r = Math.max(0, Math.floor(top)); r < Math.min(nrows, Math.ceil(bottom)); r++) {
        const yc = r + 0.5;
        crossings.length = 0;
        for (const ring of rings) {
          for (let i = 0; i + 1 < ring.length; i++) {
            const [u1, v1] = ring[i]; const [u2, v2] = ring[i + 1];
            if ((v1 <= yc) !== (v2 <= yc)) crossings.push(u1 + ((yc - v1) / (v2 - v1)) * (u2 - u1));
          }
        }
        crossings.sort((a, b) => a - b);
        for (let k = 0; k + 1 < crossings.length; k += 2) {
          const from = Math.max(0, Math.ceil(crossings[k] - 0.5)); const to = Math.min(ncols, Math.ceil(crossings[k + 1] - 0.5));
          for (let c = from; c < to; c++) if (index[r * ncols + c] < 0) index[r * ncols + c] = d;
        }
      }
    }
  });
  return index;
}

/** Cells in no district join the nearest one (breadth-first, 8 neighbours): the run needs a district everywhere. Returns how many. */
export function fillToNearest(index: Int32Array, ncols: number, nrows: number): number {
  let queue: number[] = [];
  for (let i = 0; i < index.length; i++) if (index[i] >= 0) queue.push(i);
  if (queue.length === 0) return 0;
  let filled = 0;
  while (queue.length) {
    const next: number[] = [];
    for (const i of queue) {
      const r = Math.floor(i / ncols); const c = i % ncols;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr; const cc = c + dc;
          if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
          const j = rr * ncols + cc;
          if (index[j] < 0) { index[j] = index[i]; filled++; next.push(j); }
        }
      }
    }
    queue = next;
  }
  return filled;
}
