// A .zip of a region folder, read in the browser with no package: the central directory names
// every entry and where its data starts (APPNOTE.TXT 6.3.10, sections 4.3.12 and 4.3.16), and the
// browser's DecompressionStream inflates deflated entries. Stored (0) and deflated (8) entries
// only: what every zip tool writes for ordinary files. Zip64 (a region over 4 GB) is not read.
import { InputError } from '../models/errors.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The zip's files by path (folders left out), inflated. */
export async function readZip(zip: Blob, shownAs: string): Promise<Map<string, Blob>> {
  // The end record sits in the last 22 bytes plus a comment of up to 65 535 bytes.
  const tailStart = Math.max(0, zip.size - 22 - 0xffff);
  const tail = new DataView(await zip.slice(tailStart).arrayBuffer());
  let end = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) if (tail.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) { end = i; break; }
  if (end < 0) throw InputError.single(shownAs, 'is not a zip file (no central directory)', `${zip.size} bytes`, 'a .zip of the region folder');
  const count = tail.getUint16(end + 10, true);
  const size = tail.getUint32(end + 12, true);
  const offset = tail.getUint32(end + 16, true);
  if (offset === 0xffffffff || count === 0xffff) throw InputError.single(shownAs, 'is a Zip64 archive', `${zip.size} bytes`, 'a zip under 4 GB with under 65 535 files');
  const directory = new DataView(await zip.slice(offset, offset + size).arrayBuffer());
  const names = new TextDecoder();
  const files = new Map<string, Blob>();
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (directory.getUint32(at, true) !== CENTRAL_FILE_HEADER) throw InputError.single(shownAs, `has a damaged central directory (entry ${k})`, `offset ${offset + at}`, 'a zip written by an ordinary zip tool');
    const method = directory.getUint16(at + 10, true);
    const compressed = directory.getUint32(at + 20, true);
    const nameLength = directory.getUint16(at + 28, true);
    const extraLength = directory.getUint16(at + 30, true);
    const commentLength = directory.getUint16(at + 32, true);
    const local = directory.getUint32(at + 42, true);
    const name = names.decode(new Uint8Array(directory.buffer, directory.byteOffset + at + 46, nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/') || name.startsWith('__MACOSX/')) continue;
    if (method !== 0 && method !== 8) throw InputError.single(`${shownAs} ${name}`, 'is compressed with a method this app does not read', method, 'stored (0) or deflated (8)');
    files.set(name, await entryBlob(zip, local, compressed, method, `${shownAs} ${name}`));
  }
  return files;
}

/** One entry's bytes: its local header has its own name and extra lengths before the data. */
async function entryBlob(zip: Blob, local: number, compressed: number, method: number, shownAs: string): Promise<Blob> {
  const header = new DataView(await zip.slice(local, local + 30).arrayBuffer());
  if (header.getUint32(0, true) !== LOCAL_FILE_HEADER) throw InputError.single(shownAs, 'has a damaged local header', `offset ${local}`, 'a zip written by an ordinary zip tool');
  const start = local + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const raw = zip.slice(start, start + compressed);
  if (method === 0) return raw;
  try {
    return await new Response(raw.stream().pipeThrough(new DecompressionStream('deflate-raw'))).blob();
  } catch {
    throw InputError.single(shownAs, 'cannot be inflated (the zip is damaged)', `${compressed} bytes`, 'a zip written by an ordinary zip tool');
  }
}
