// Land cover classes → the region's land-cover codes and a fuel model. ESA WorldCover 10 m v200
// (Zanaga et al. 2022, product user manual §2: classes 10 tree cover … 100 moss and lichen) by
// default; CORINE Land Cover (preset "corine"); a city's own table in the case (code → land cover,
// optional fuel) or a mapping CSV: class,landcover,fuel (landcover one of LANDCOVER's keys).
// Fuel models are Scott & Burgan (2005) numbers, non-burnable NB1 91 urban, NB2 92 snow/ice,
// NB3 93 agriculture, NB8 98 water, NB9 99 bare; the burnable choices follow the shipped region
// (generate.ts: TU5 165 forest, SH5 145 shrub, GR2 102 grass) and are this project's choice.
import { InputError, type Problem } from '../../errors.ts';
import { decodeText, parseCsv } from './text.ts';

export const LANDCOVER = { river: 1, reservoir: 2, urban: 3, farmland: 4, grassShrub: 5, forest: 6, bare: 7 } as const;
export type LandcoverName = keyof typeof LANDCOVER;

export interface ClassMapping { landcover: LandcoverName; fuel: number }

export const ESA_WORLDCOVER: ReadonlyMap<number, ClassMapping> = new Map([
  [10, { landcover: 'forest', fuel: 165 }], // tree cover
  [20, { landcover: 'grassShrub', fuel: 145 }], // shrubland
  [30, { landcover: 'grassShrub', fuel: 102 }], // grassland
  [40, { landcover: 'farmland', fuel: 93 }], // cropland
  [50, { landcover: 'urban', fuel: 91 }], // built-up
  [60, { landcover: 'bare', fuel: 99 }], // bare / sparse vegetation
  [70, { landcover: 'bare', fuel: 92 }], // snow and ice
  [80, { landcover: 'river', fuel: 98 }], // permanent water bodies
  [90, { landcover: 'grassShrub', fuel: 101 }], // herbaceous wetland
  [95, { landcover: 'forest', fuel: 98 }], // mangroves: waterlogged, taken as non-burnable
  [100, { landcover: 'grassShrub', fuel: 101 }], // moss and lichen
]);

/** Fuel where no land-cover file says more: by the region's land-cover code. */
export const FUEL_OF_LANDCOVER: Record<number, number> = { 1: 98, 2: 98, 3: 91, 4: 93, 5: 102, 6: 165, 7: 99 };

/**
 * CORINE Land Cover level-3 nomenclature (EEA, Kosztra et al. 2019, "Updated CLC illustrated
 * nomenclature guidelines": 44 classes, 111 continuous urban fabric … 523 sea and ocean) by its
 * three-digit code, as the vector's CODE_18 and Google Earth Engine's band carry it (`corine`), or
 * by the EEA 100 m raster's value 1–44, the same classes in the same order (`corine-raster`; its 48
 * is NODATA and stays unmapped). Fuels as ESA WorldCover's for the same cover; heath, maquis and
 * woodland-shrub as shrub SH5, wetlands as GR1: this project's choice.
 */
const CORINE_CLASSES: readonly [number, LandcoverName, number][] = [
  [111, 'urban', 91], [112, 'urban', 91], [121, 'urban', 91], [122, 'urban', 91], [123, 'urban', 91], [124, 'urban', 91],
  [131, 'bare', 99], [132, 'bare', 99], [133, 'urban', 91], [141, 'urban', 91], [142, 'urban', 91],
  [211, 'farmland', 93], [212, 'farmland', 93], [213, 'farmland', 93], [221, 'farmland', 93], [222, 'farmland', 93], [223, 'farmland', 93],
  [231, 'grassShrub', 102], [241, 'farmland', 93], [242, 'farmland', 93], [243, 'farmland', 93], [244, 'grassShrub', 102],
  [311, 'forest', 165], [312, 'forest', 165], [313, 'forest', 165],
  [321, 'grassShrub', 102], [322, 'grassShrub', 145], [323, 'grassShrub', 145], [324, 'grassShrub', 145],
  [331, 'bare', 99], [332, 'bare', 99], [333, 'bare', 99], [334, 'bare', 99], [335, 'bare', 92],
  [411, 'grassShrub', 101], [412, 'grassShrub', 101], [421, 'grassShrub', 101], [422, 'bare', 98], [423, 'bare', 98],
  [511, 'river', 98], [512, 'reservoir', 98], [521, 'reservoir', 98], [522, 'river', 98], [523, 'reservoir', 98],
];

/** The class tables a case names by word (`"classes": "corine"`), as rows of the app's table editor. */
export const LANDCOVER_PRESETS = {
  'esa-worldcover': [...ESA_WORLDCOVER].map(([code, m]): ClassRow => ({ code, ...m })),
  corine: CORINE_CLASSES.map(([code, landcover, fuel]): ClassRow => ({ code, landcover, fuel })),
  'corine-raster': CORINE_CLASSES.map(([, landcover, fuel], k): ClassRow => ({ code: k + 1, landcover, fuel })),
};
export type LandcoverPreset = keyof typeof LANDCOVER_PRESETS;
export const isLandcoverPreset = (name: string): name is LandcoverPreset => Object.hasOwn(LANDCOVER_PRESETS, name);

/** A row of a class table written in the case: `fuel` left out takes its land cover's usual fuel. */
export interface ClassRow { code: number; landcover: LandcoverName; fuel?: number }


const FUEL_EXPECTED = 'a standard fuel model number (1–13, 91–204)';
const isFuel = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 256;

/**
 * A class table written in the case (`$.landcover.classes` as an array), checked by JSON path:
 * each row an integer `code` (once), a `landcover` of the region's and an optional `fuel`.
 */
export function checkClassRows(value: readonly unknown[], path: string, problems: Problem[]): ClassRow[] {
  const rows: ClassRow[] = [];
  const seen = new Map<number, number>();
  if (value.length === 0) problems.push({ path, message: 'is an empty class table', value: 0, expected: 'at least one { "code", "landcover" } row' });
  if (value.length > MAX_CLASS_ROWS) { problems.push({ path, message: 'has too many rows', value: value.length, expected: `at most ${MAX_CLASS_ROWS}` }); return rows; }
  value.forEach((row, k) => {
    const at = `${path}[${k}]`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) { problems.push({ path: at, message: 'must be an object', value: row, expected: '{ "code": 111, "landcover": "urban", "fuel": 91 }' }); return; }
    const r = row as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!['code', 'landcover', 'fuel'].includes(key)) problems.push({ path: `${at}.${key}`, message: 'unknown field', value: r[key], expected: 'code, landcover, fuel' });
    const before = problems.length;
    if (!(Number.isInteger(r.code) && (r.code as number) >= -2147483648 && (r.code as number) <= 2147483647)) problems.push({ path: `${at}.code`, message: 'is not a class number', value: r.code, expected: 'an integer, as the land-cover raster stores it' });
    else if (seen.has(r.code as number)) problems.push({ path: `${at}.code`, message: `repeats the code of ${path}[${seen.get(r.code as number)}]`, value: r.code, expected: 'each code once' });
    if (!(typeof r.landcover === 'string' && r.landcover in LANDCOVER)) problems.push({ path: `${at}.landcover`, message: 'is not a land cover of the region', value: r.landcover, expected: Object.keys(LANDCOVER).join(', ') });
    if (r.fuel !== undefined && !isFuel(r.fuel)) problems.push({ path: `${at}.fuel`, message: 'is not a fuel model number', value: r.fuel, expected: FUEL_EXPECTED });
    if (problems.length > before) return;
    seen.set(r.code as number, k);
    rows.push({ code: r.code as number, landcover: r.landcover as LandcoverName, ...(r.fuel !== undefined ? { fuel: r.fuel as number } : {}) });
  });
  return rows;
}

export const MAX_CLASS_ROWS = 1000;

export function classesOfRows(rows: readonly ClassRow[]): Map<number, ClassMapping> {
  return new Map(rows.map((r) => [r.code, { landcover: r.landcover, fuel: r.fuel ?? FUEL_OF_LANDCOVER[LANDCOVER[r.landcover]] }]));
}

/** A city's own mapping CSV: class,landcover,fuel. */
export function readClassMapping(bytes: Uint8Array, file: string): Map<number, ClassMapping> {
  const table = parseCsv(decodeText(bytes).text, file);
  const col = (name: string) => table.header.indexOf(name);
  if (col('class') < 0 || col('landcover') < 0 || col('fuel') < 0) throw InputError.single(`${file}:1:1`, 'has no class, landcover and fuel columns', table.header.join(','), 'class,landcover,fuel');
  const problems: Problem[] = [];
  const out = new Map<number, ClassMapping>();
  for (const row of table.rows) {
    const cls = Number(row.cells[col('class')]); const lc = row.cells[col('landcover')]?.trim(); const fuel = Number(row.cells[col('fuel')]);
    if (!Number.isInteger(cls)) problems.push({ path: `${file}:${row.line}:${col('class') + 1}`, message: 'is not a class number', value: row.cells[col('class')], expected: 'an integer' });
    else if (!(lc in LANDCOVER)) problems.push({ path: `${file}:${row.line}:${col('landcover') + 1}`, message: 'is not a land cover of the region', value: lc, expected: Object.keys(LANDCOVER).join(', ') });
    else if (!isFuel(fuel)) problems.push({ path: `${file}:${row.line}:${col('fuel') + 1}`, message: 'is not a fuel model number', value: row.cells[col('fuel')], expected: FUEL_EXPECTED });
    else out.set(cls, { landcover: lc as LandcoverName, fuel });
  }
  if (problems.length) throw new InputError(problems.slice(0, 20));
  return out;
}
