// The category table a scenario grades with (`models.risklist.categories`) for a region that is
// not on disk: the browser's regions are blobs and URLs, so the file reader is passed in. Same
// choices and messages as `sandtable run` (region-node.ts): "region" (the region's own table where
// region.json names one, else the engine's), "default", or a table file beside the scenario.
import { InputError } from '../errors.ts';
import { DEFAULT_CATEGORY_TABLE, parseCategoryTable } from '../risklist/category-table.ts';
import { checkItemCategories, type RegionData } from './region.ts';

/** Reads a file by the name region.json or the scenario uses; undefined when it is not there. */
export type NamedFileReader = (name: string, from: 'region' | 'scenario') => Promise<string | undefined>;

export async function withCategoryTable(region: RegionData, setting: string, read: NamedFileReader, itemsShown = 'risk-items.json'): Promise<RegionData> {
  const own = setting === 'region' ? region.manifest.risk_categories : undefined;
  let categories = DEFAULT_CATEGORY_TABLE;
  if (own !== undefined || (setting !== 'region' && setting !== 'default')) {
    const [name, from, path, expected] = own !== undefined
      ? [own, 'region' as const, 'region.json $.risk_categories', 'the category table region build wrote beside region.json']
      : [setting, 'scenario' as const, '$.models.risklist.categories', 'a category table opened beside the scenario'];
    const text = await read(name, from);
    if (text === undefined) throw InputError.single(path, 'names a file that is not there', name, expected);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw InputError.single(name, 'is not valid JSON', (error as Error).message, 'a category table in the form of models/risklist/categories.json');
    }
    categories = parseCategoryTable(json, name);
  }
  checkItemCategories(region.items, itemsShown, categories);
  return { ...region, categories };
}
