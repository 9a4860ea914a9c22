// GeoTIFF inputs for the property tests (issue 15, "Grids read wrong or refused"): north-up files
// (tie point and scale, or a transform only) and south-up ones (mirrored) must be read; rotated or
// sheared ones must be refused, not read as north-up; corrupt ones (truncated, huge dimensions, strip offsets past
// the end, flipped bytes) must end in exit 2, never an internal failure.
import fc from 'fast-check';
import { writeArrayBuffer } from 'geotiff';

export type Placement = 'tiepoint' | 'transform-north-up' | 'rotated' | 'sheared' | 'south-up';
export type Corruption =
  | { op: 'none' } | { op: 'truncate'; fraction: number } | { op: 'huge-width' } | { op: 'huge-height' }
  | { op: 'strip-offset-past-end' } | { op: 'flip'; at: number; byte: number };

export const placementArb = fc.constantFrom<Placement>('tiepoint', 'transform-north-up', 'rotated', 'sheared', 'south-up');
export const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constant({ op: 'none' as const }),
  fc.record({ op: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 0.95, noNaN: true }) }),
  fc.constantFrom({ op: 'huge-width' as const }, { op: 'huge-height' as const }, { op: 'strip-offset-past-end' as const }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

/** A float GeoTIFF of the values (row 0 north), west edge 500000, north edge 3290000 + rows·cell. */
export function geoTiff(ncols: number, nrows: number, values: number[], cell: number, placement: Placement): Uint8Array {
  const north = 3290000 + nrows * cell;
  const c = Math.cos(Math.PI / 6) * cell;
  const s = Math.sin(Math.PI / 6) * cell;
  const where: Record<Placement, Record<string, unknown>> = {
    tiepoint: { ModelPixelScale: [cell, cell, 0], ModelTiepoint: [0, 0, 0, 500000, north, 0] },
    'transform-north-up': { ModelTransformation: [cell, 0, 0, 500000, 0, -cell, 0, north, 0, 0, 0, 0, 0, 0, 0, 1] },
    rotated: { ModelTransformation: [c, -s, 0, 500000, -s, -c, 0, north, 0, 0, 0, 0, 0, 0, 0, 1] },
    sheared: { ModelTransformation: [cell, cell / 2, 0, 500000, 0, -cell, 0, north, 0, 0, 0, 0, 0, 0, 0, 1] },
    'south-up': { ModelTransformation: [cell, 0, 0, 500000, 0, cell, 0, 3290000, 0, 0, 0, 0, 0, 0, 0, 1] },
  };
  const buffer = writeArrayBuffer(new Float32Array(values), {
    width: ncols, height: nrows, GDAL_NODATA: '-9999', ProjectedCSTypeGeoKey: 32648, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ...where[placement],
  }) as unknown as ArrayBuffer;
  return new Uint8Array(buffer);
}

/** Sets one tag's first value in the first IFD (either byte order). */
function patchTag(bytes: Uint8Array, tag: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const ifd = view.getUint32(4, le);
  const count = view.getUint16(ifd, le);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    if (view.getUint16(entry, le) !== tag) continue;
    const n = view.getUint32(entry + 4, le);
    const size = view.getUint16(entry + 2, le) === 3 ? 2 : 4;
    // One value sits in the entry; several sit where the entry points.
    const at = n * size <= 4 ? entry + 8 : view.getUint32(entry + 8, le);
    if (size === 2 && value > 0xffff) { view.setUint16(entry + 2, 4, le); view.setUint32(entry + 4, 1, le); view.setUint32(entry + 8, value, le); }
    else if (size === 2) view.setUint16(at, value, le);
    else view.setUint32(at, value, le);
  }
}

export function corrupt(tiff: Uint8Array, c: Corruption): Uint8Array {
  const bytes = new Uint8Array(tiff);
  switch (c.op) {
    case 'none': return bytes;
    case 'truncate': return bytes.slice(0, Math.floor(bytes.length * c.fraction));
    case 'huge-width': patchTag(bytes, 256, 1_000_000_000); return bytes;
    case 'huge-height': patchTag(bytes, 257, 1_000_000_000); return bytes;
    case 'strip-offset-past-end': patchTag(bytes, 273, bytes.length + 1_000_000); return bytes;
    case 'flip': bytes[c.at % bytes.length] = c.byte; return bytes;
  }
}
