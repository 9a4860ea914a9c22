// Writes the bench's synthetic DEM (benchmarks/region/dem.ts) as raw little-endian f64 with an ENVI
// header beside it, which GDAL reads as it is and GRASS imports with r.in.bin: the peers time the
// same cells as ours. usage: node --import tsx benchmarks/region/write-dem.ts N out.bin
import { writeFileSync } from 'node:fs';
import { CELLSIZE_M, syntheticDem } from './dem.ts';

const [sizeArg, out] = process.argv.slice(2);
const n = Number(sizeArg);
if (!Number.isInteger(n) || n < 3 || !out) {
  process.stderr.write('usage: write-dem.ts N out.bin\n');
  process.exit(2);
}
const dem = syntheticDem(n);
writeFileSync(out, new Uint8Array(dem.values.buffer));
writeFileSync(out.replace(/\.bin$/, '') + '.hdr', [
  'ENVI', `samples = ${n}`, `lines = ${n}`, 'bands = 1', 'header offset = 0', 'file type = ENVI Standard',
  'data type = 5', 'interleave = bsq', 'byte order = 0',
  `map info = {UTM, 1, 1, 500000, ${4000000 + n * CELLSIZE_M}, ${CELLSIZE_M}, ${CELLSIZE_M}, 11, North, WGS-84}`, '',
].join('\n'));
