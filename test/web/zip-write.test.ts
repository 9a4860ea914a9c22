// The app's zip writer (web/zip-write.ts): what it writes Info-ZIP's `unzip -t` tests clean and
// the app's own reader (web/zip.ts) reads back byte for byte, deflated or stored.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip } from '../../web/zip.ts';
import { crc32, writeZip } from '../../web/zip-write.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandtable-zip-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Incompressible bytes (a fixed xorshift stream): deflate would grow them, so they are stored.
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n); let x = 2463534242;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff; }
  return out;
}
const text = (s: string) => new TextEncoder().encode(s);
const FILES: [string, Uint8Array][] = [
  ['region/region.json', text('{ "name": "Test Valley", "name_zh": "测试河谷" }\n')],
  ['region/dem.asc', text('ncols 3\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 30\nNODATA_value -9999\n' + '300.5 301 302.25 '.repeat(2000) + '\n')],
  ['region/区/noise.bin', noise(5000)],
  ['empty.txt', new Uint8Array(0)],
];

async function check(deflate: boolean) {
  const zip = await writeZip(FILES, { deflate });
  const file = join(dir, `test-${deflate}.zip`);
  writeFileSync(file, new Uint8Array(await zip.arrayBuffer()));
  const tested = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
  expect(tested.stderr).toBe('');
  expect(tested.status).toBe(0);
  expect(tested.stdout).toContain('No errors detected in compressed data');
  const read = await readZip(zip, 'test.zip');
  expect([...read.keys()]).toEqual(FILES.map(([name]) => name));
  for (const [name, bytes] of FILES) expect(new Uint8Array(await read.get(name)!.arrayBuffer())).toEqual(bytes);
  return { zip, listing: spawnSync('unzip', ['-v', file], { encoding: 'utf8' }).stdout };
}

describe('writeZip', () => {
  it('CRC-32 gives the check value of "123456789" (0xCBF43926, the CRC catalogue\'s CRC-32/ISO-HDLC) and zlib\'s CRC of any bytes', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    const bytes = noise(10_000);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });

  it('deflated: unzip -t passes, the app reads every file back; text deflates, noise is stored', async () => {
    const { zip, listing } = await check(true);
    expect(listing).toMatch(/\d+\s+Defl:N\s+\d+\s+\d+%.*region\/dem\.asc/);
    expect(listing).toMatch(/5000\s+Stored\s+5000\s+0%.*region\/.*\/noise\.bin/);
    expect(zip.size).toBeLessThan(FILES.reduce((s, [, b]) => s + b.length, 0));
  });

  it('stored: unzip -t passes and the app reads it back; the same files give the same bytes', async () => {
    const { zip } = await check(false);
    const again = await writeZip(FILES, { deflate: false });
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(new Uint8Array(await zip.arrayBuffer()));
  });
});
