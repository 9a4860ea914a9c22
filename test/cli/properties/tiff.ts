// GeoTIFF inputs for the property tests (issue 15, "Grids read wrong or refused"): north-up files
// (tie point and scale, or a transform only) and south-up ones (mirrored) must be read; rotated or
// sheared ones must be refused, not read as north-up; corrupt ones (truncated, huge dimensions, strip offsets past
// the end, flipped bytes) must end in exit 2, never an internal failure.
import fc from 'fast-check';
import { writeArrayBuffer } from 'geotiff';
import { withTag } from '../../grid/tiff-fixtures.ts';

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

export function corrupt(tiff: Uint8Array, c: Corruption): Uint8Array {
  const bytes = new Uint8Array(tiff);
  const patched = (tag: number, value: number) => new Uint8Array(withTag(bytes.buffer, tag, value));
  switch (c.op) {
    case 'none': return bytes;
    case 'truncate': return bytes.slice(0, Math.floor(bytes.length * c.fraction));
    case 'huge-width': return patched(256, 1_000_000_000);
    case 'huge-height': return patched(257, 1_000_000_000);
    case 'strip-offset-past-end': return patched(273, bytes.length + 1_000_000);
    case 'flip': bytes[c.at % bytes.length] = c.byte; return bytes;
  }
}
