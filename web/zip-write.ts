// A .zip written in the browser with no package, for a region built on the page: each entry
// deflated by the browser's CompressionStream (or stored), with its CRC-32 and sizes in a local
// header and the central directory after the data (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), so any
// unzip and the app's own reader (web/zip.ts) open it. No Zip64: an archive past 4 GB is refused.
import { InputError } from '../models/errors.ts';

const LOCAL_FILE_HEADER = 0x04034b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** General purpose bit 11: the name is UTF-8 (APPNOTE 4.4.4), so 区.asc stays 区.asc. */
const UTF8_NAMES = 0x0800;
const VERSION = 20;
// 1980-01-01 00:00, the earliest DOS time: the same files give the same zip bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const LIMIT = 0xffffffff;

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320) as zip stores it. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

async function deflated(bytes: Uint8Array): Promise<Blob> {
  return new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'))).blob();
}

interface Entry { name: Uint8Array; crc: number; method: number; compressed: number; size: number; offset: number }

/**
 * The files (by path, `/`-separated) as one zip, in the order given. `deflate: false` stores them
 * as they are (quicker, larger). Text grids deflate to a fifth or less.
 */
export async function writeZip(files: Iterable<[string, Uint8Array]>, { deflate = true, shownAs = 'the zip' } = {}): Promise<Blob> {
  const parts: BlobPart[] = [];
  const entries: Entry[] = [];
  let offset = 0;
  const encoder = new TextEncoder();
  for (const [path, bytes] of files) {
    const name = encoder.encode(path);
    const body = deflate ? await deflated(bytes) : new Blob([bytes as BlobPart]);
    // Deflate can grow incompressible data a little: store such an entry instead.
    const stored = !deflate || body.size >= bytes.byteLength;
    const data = stored ? new Blob([bytes as BlobPart]) : body;
    const entry: Entry = { name, crc: crc32(bytes), method: stored ? 0 : 8, compressed: data.size, size: bytes.byteLength, offset };
    if (entry.size > LIMIT || offset + 30 + name.length + data.size > LIMIT) throw InputError.single(shownAs, 'would be larger than 4 GB', `${path} at ${offset} bytes`, 'a region under 4 GB (a zip without Zip64)');
    const header = new DataView(new ArrayBuffer(30));
    header.setUint32(0, LOCAL_FILE_HEADER, true);
    writeCommon(header, 4, entry);
    parts.push(header, name as BlobPart, data);
    offset += 30 + name.length + data.size;
    entries.push(entry);
  }
  let directorySize = 0;
  for (const entry of entries) {
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, CENTRAL_FILE_HEADER, true);
    header.setUint16(4, VERSION, true); // made by: MS-DOS attributes, version 2.0
    writeCommon(header, 6, entry);
    // comment length, disk number, internal and external attributes: all zero.
    header.setUint32(42, entry.offset, true);
    parts.push(header, entry.name as BlobPart);
    directorySize += 46 + entry.name.length;
  }
  if (entries.length >= 0xffff) throw InputError.single(shownAs, 'would hold too many files', entries.length, 'under 65 535 files (a zip without Zip64)');
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, END_OF_CENTRAL_DIRECTORY, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directorySize, true);
  end.setUint32(16, offset, true);
  parts.push(end);
  return new Blob(parts, { type: 'application/zip' });
}

/** The fields a local header (at 4) and a central header (at 6) share, from "version needed" to the extra length. */
function writeCommon(view: DataView, at: number, entry: Entry): void {
  view.setUint16(at, VERSION, true);
  view.setUint16(at + 2, UTF8_NAMES, true);
  view.setUint16(at + 4, entry.method, true);
  view.setUint16(at + 6, DOS_TIME, true);
  view.setUint16(at + 8, DOS_DATE, true);
  view.setUint32(at + 10, entry.crc, true);
  view.setUint32(at + 14, entry.compressed, true);
  view.setUint32(at + 18, entry.size, true);
  view.setUint16(at + 22, entry.name.length, true);
  view.setUint16(at + 24, 0, true);
}
