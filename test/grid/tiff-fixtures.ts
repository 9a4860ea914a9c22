// Small GeoTIFFs for the grid tests, written with geotiff.js, and a patcher that rewrites one tag
// of the first IFD in place, for the hostile files no writer would produce (huge sizes, strips
// past the end of the file).
import { writeArrayBuffer } from 'geotiff';

/** The 3 × 2 grid of test/grid's ESRI ASCII sample: west 100, south 200, 10 m cells, one NODATA. */
export const SAMPLE_ASCII = 'ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 10\nNODATA_value -9999\n1 2 3\n4 -9999 6\n';
export const SAMPLE_ROWS = [[1, 2, 3], [4, -9999, 6]];

/** A 3 × 2 Float32 GeoTIFF in UTM 48N with the given rows (first row first in the file). */
export function tiffOf(rows: number[][], georeference: Record<string, unknown>): ArrayBuffer {
  return writeArrayBuffer(Float32Array.from(rows.flat()), {
    width: rows[0].length, height: rows.length,
    GDAL_NODATA: '-9999',
    // Without a projected CRS the writer adds a whole-globe tie point of its own.
    ProjectedCSTypeGeoKey: 32648, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1,
    ...georeference,
  }) as unknown as ArrayBuffer;
}

/** ModelTransformation (row-major 4 × 4) of x = a·col + b·row + d, y = e·col + f·row + h. */
export function transform(a: number, b: number, d: number, e: number, f: number, h: number): number[] {
  return [a, b, 0, d, e, f, 0, h, 0, 0, 0, 0, 0, 0, 0, 1];
}

/** The byte offset of tag `tag`'s 12-byte entry in the first IFD of `view`, and the byte order. */
function tagEntry(view: DataView, tag: number): { entry: number; little: boolean } {
  const little = view.getUint8(0) === 0x49;
  const ifd = view.getUint32(4, little);
  for (let k = 0; k < view.getUint16(ifd, little); k++) {
    const entry = ifd + 2 + 12 * k;
    if (view.getUint16(entry, little) === tag) return { entry, little };
  }
  throw new Error(`tag ${tag} not in the first IFD`);
}

/** A copy of `tiff` with tag `tag` of the first IFD set to one LONG `value`. */
export function withTag(tiff: ArrayBuffer, tag: number, value: number): ArrayBuffer {
  const copy = tiff.slice(0);
  const view = new DataView(copy);
  const { entry, little } = tagEntry(view, tag);
  view.setUint16(entry + 2, 4, little);
  view.setUint32(entry + 4, 1, little);
  view.setUint32(entry + 8, value, little);
  return copy;
}

/** A copy of `tiff` with element `index` of the SHORT array tag `tag` (stored out of line) set to `value`. */
export function withShortAt(tiff: ArrayBuffer, tag: number, index: number, value: number): ArrayBuffer {
  const copy = tiff.slice(0);
  const view = new DataView(copy);
  const { entry, little } = tagEntry(view, tag);
  view.setUint16(view.getUint32(entry + 8, little) + 2 * index, value, little);
  return copy;
}

export const TAG = { ImageWidth: 256, ImageLength: 257, StripOffsets: 273, RowsPerStrip: 278, StripByteCounts: 279, GeoKeyDirectory: 34735 } as const;
