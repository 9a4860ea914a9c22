// The category table a scenario grades with (`models.risklist.categories`): "region" (the region's
// own table where region.json names one, else the engine's), "default", or a table file beside the
// scenario. One rule for `sandtable run` (region-node.ts reads the disk) and the app (the worker
// reads blobs and URLs): only the reader differs, so the choice and every message are the same.
import { InputError } from '../errors.ts';
import { parseJson } from '../json.ts';
import { DEFAULT_CATEGORY_TABLE, parseCategoryTable, type CategoryTable } from '../risklist/category-table.ts';
import { checkItemCategories, type RegionData, type RegionManifest } from './region.ts';

/**
 * Reads a file by the name region.json or the scenario uses: undefined when it is not there. A
 * read that fails otherwise throws; an error with a system `code` (EACCES, EISDIR) is the user's
 * file and is reported at the setting, anything else is the reader's own failure.
 */
export type NamedFileReader = (name: string, from: 'region' | 'scenario') => Promise<string | undefined>;

const TABLE_FORM = '(the form of models/risklist/categories.json)';

/**
 * The table `setting` chooses for the region `manifest`. `manifestShown` is region.json as the user
 * names it (the scenario's `region` field on the CLI); a region's own table is shown beside it.
 */
export async function chooseCategoryTable(manifest: RegionManifest, setting: string, read: NamedFileReader, manifestShown = 'region.json'): Promise<CategoryTable> {
  const own = setting === 'region' ? manifest.risk_categories : undefined;
  if (setting === 'default' || (setting === 'region' && own === undefined)) return DEFAULT_CATEGORY_TABLE;
  const ownPath = `${manifestShown} $.risk_categories`;
  // The region's table is a sibling of region.json: a path in it could reach any file the reader can.
  if (own !== undefined && !(typeof own === 'string' && /^[^/\\]+\.json$/i.test(own))) {
    throw InputError.single(ownPath, 'must name a file beside region.json', own, 'a file name such as "risk-categories.json"');
  }
  const [name, from, path, shown, expected] = own !== undefined
    ? [own, 'region' as const, ownPath, manifestShown.replace(/[^/\\]*$/, '') + own, `the category table region build wrote beside region.json ${TABLE_FORM}`]
    : [setting, 'scenario' as const, '$.models.risklist.categories', setting, `a category table file, relative to the scenario's folder ${TABLE_FORM}`];
  let text: string | undefined;
  try {
    text = await read(name, from);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    throw InputError.single(path, `names a file that cannot be read (${code})`, name, expected);
  }
  if (text === undefined) throw InputError.single(path, MISSING_FILE, name, expected);
  return parseCategoryTable(parseJson(text, shown), shown);
}

/** The one wording for a table file that is not there, on the CLI and in the app. */
export const MISSING_FILE = 'names a file that does not exist';

/** The region with the table `setting` chooses, its items checked against it (as `sandtable run` does). */
export async function withCategoryTable(region: RegionData, setting: string, read: NamedFileReader, itemsShown = 'risk-items.json'): Promise<RegionData> {
  const categories = await chooseCategoryTable(region.manifest, setting, read);
  checkItemCategories(region.items, itemsShown, categories);
  return { ...region, categories };
}
