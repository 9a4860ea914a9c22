// Property tests of `sandtable region build --out` (issue 18) under the common invariants of
// suite.ts: generated small cities (DEM in EPSG:4545 with a .prj, districts declared in the same
// CRS, an items CSV in UTF-8, UTF-8 with a BOM, or GB18030) and hostile mutations of them.
import fc from 'fast-check';
import { gb18030, WKT_4545 } from '../../region/fixture.ts';
import type { Json } from './arbitraries.ts';
import { commandProperties, type Case } from './suite.ts';

const encoder = new TextEncoder();
const NAMES = ['下穿道积水点', '西山滑坡', '甲', '乙'];

const cityArb: fc.Arbitrary<Case> = fc.record({
  ncols: fc.integer({ min: 6, max: 20 }), nrows: fc.integer({ min: 6, max: 20 }), cell: fc.constantFrom(10, 30, 90),
  x0: fc.integer({ min: 400, max: 600 }), y0: fc.integer({ min: 3000, max: 3500 }),
  tilt: fc.tuple(fc.double({ min: -0.2, max: 0.2, noNaN: true }), fc.double({ min: 0.001, max: 0.2, noNaN: true })),
  noise: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 400, maxLength: 400 }),
  items: fc.array(fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.constantFrom('waterlogging', 'slope', 'gas-main'), fc.nat({ max: 3 })), { minLength: 1, maxLength: 6 }),
  encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'gb18030'),
}).map(({ ncols, nrows, cell, x0, y0, tilt, noise, items, encoding }) => {
  const xll = x0 * 1000; const yll = y0 * 1000;
  const rows = Array.from({ length: nrows }, (_, r) => Array.from({ length: ncols }, (_, c) => (200 + tilt[0] * c * cell + tilt[1] * (nrows - r) * cell + noise[(r * ncols + c) % 400] / 100).toFixed(2)).join(' '));
  const dem = [`ncols ${ncols}`, `nrows ${nrows}`, `xllcorner ${xll}`, `yllcorner ${yll}`, `cellsize ${cell}`, 'NODATA_value -9999', ...rows, ''].join('\n');
  const w = ncols * cell; const h = nrows * cell;
  const square = (a: number, b: number) => [[[xll + a * w, yll], [xll + b * w, yll], [xll + b * w, yll + h], [xll + a * w, yll + h], [xll + a * w, yll]]];
  const districts = { type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { code: 'd1', name: 'One', name_zh: '甲' }, geometry: { type: 'Polygon', coordinates: square(0, 0.5) } },
    { type: 'Feature', properties: { code: 'd2', name: 'Two', name_zh: '乙' }, geometry: { type: 'Polygon', coordinates: square(0.5, 1) } },
  ] };
  const text = 'id,category,name,name_zh,x,y\r\n' + items.map(([u, v, category, k], i) => `I-${i},${category},Item ${i},${NAMES[k]},${(xll + u * w).toFixed(2)},${(yll + v * h).toFixed(2)}\r\n`).join('');
  const csv = encoding === 'gb18030' ? gb18030(text) : encoder.encode((encoding === 'utf-8-bom' ? '\uFEFF' : '') + text);
  const json: Json = {
    schema: 'sandtable.region-case/1', name: 'Generated', name_zh: '生成', dem: 'dem.asc',
    districts: { file: 'districts.geojson', id_field: 'code', name_field: 'name', name_zh_field: 'name_zh', crs: 'EPSG:4545' },
    items: { file: 'items.csv' },
    // Three cells' drainage: every generated DEM has a stream.
    streams: { threshold_km2: (3 * cell * cell) / 1e6 },
  };
  return { json, grids: { 'dem.asc': dem }, binary: { 'dem.prj': encoder.encode(WKT_4545), 'districts.geojson': encoder.encode(JSON.stringify(districts)), 'items.csv': csv } };
});

/** Hostile items files: each must be refused (exit 2) naming items.csv and its row and column. */
const HOSTILE_ROWS = ['I-x,slope,a,甲,abc,3000000', 'I-x,slope,a,甲,1e999,3000000', 'I-x,slope,a,甲,,', 'I-x,sinkhole,a,甲,400000,3000000', 'I-x,slope,a,甲,99000000,3000000', 'I-x,slope,"a,甲,400000,3000000'];
const hostileItems = fc.tuple(cityArb, fc.oneof(fc.constantFrom(...HOSTILE_ROWS), fc.constant('header'), fc.constant('garbage'))).map(([c, how]) => {
  const text = new TextDecoder().decode(c.binary!['items.csv']).replace(/^\uFEFF/, '');
  const csv = how === 'header' ? text.replace('category', 'kind') : how === 'garbage' ? String.fromCharCode(0xff, 0xfe, 0, 7, 0x81) : text + how + '\r\n';
  return { ...c, binary: { ...c.binary, 'items.csv': how === 'garbage' ? Uint8Array.from([0xff, 0xfe, 0, 7, 0x81, 0x30]) : encoder.encode(csv) }, expect: { invalidAt: 'items.csv' } };
});

commandProperties({
  command: 'region build --out',
  extra: [{ name: 'hostile items files (bad coordinates, categories, headers, quotes, bytes) are refused naming items.csv', cases: hostileItems, runs: 12 }],
  valid: cityArb,
  argv: (file, dirs) => ['region', 'build', file, '--out', dirs.out],
  writesOut: true,
  outputs: ['region.json', 'dem.asc', 'risk-items.json', 'build-report.json', 'manifest.json'],
  runs: { valid: 12, mutated: 40, subprocess: 2, outFolders: 6 },
  timeoutMs: 10_000,
});
