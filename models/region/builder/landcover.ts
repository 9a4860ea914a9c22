// Land cover classes → the region's land-cover codes and a fuel model. ESA WorldCover 10 m v200
// (Zanaga et al. 2022, product user manual §2: classes 10 tree cover … 100 moss and lichen) by
// default, or a city's own mapping CSV: class,landcover,fuel (landcover one of LANDCOVER's keys).
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
    else if (!(Number.isInteger(fuel) && fuel >= 1 && fuel <= 256)) problems.push({ path: `${file}:${row.line}:${col('fuel') + 1}`, message: 'is not a fuel model number', value: row.cells[col('fuel')], expected: 'a standard fuel model number (1–13, 91–204)' });
    else out.set(cls, { landcover: lc as LandcoverName, fuel });
  }
  if (problems.length) throw new InputError(problems.slice(0, 20));
  return out;
}
