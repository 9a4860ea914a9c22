// A category table: the engine's default (categories.json) or a city's own in the same form. Read
// once, checked by JSON path (`<file> $.categories[k].factors[j].thresholds`), and carried with the
// region so the builder, the couplings and the grading all use the same table.
import { childPath, InputError, type Problem } from '../errors.ts';
import { isRecord } from '../params.ts';
import defaultTable from './categories.json' with { type: 'json' };

export interface FactorDefinition {
  id: string; unit?: string; direction: 'above' | 'below'; thresholds: Record<string, number>;
  deadband?: number; on_delay_s?: number; interval_s?: number;
}

export interface CategoryDefinition { id: string; name?: string; hazards: string[]; hold_s?: Record<string, number>; factors: FactorDefinition[] }

export interface CategoryTable {
  /** Where the table came from, for messages. */
  file: string;
  categories: ReadonlyMap<string, CategoryDefinition>;
}

const LEVELS = ['2', '3', '4'];

/** The table's categories, every problem named `<file> <JSON path>`. */
export function parseCategoryTable(value: unknown, file: string): CategoryTable {
  const problems: Problem[] = [];
  const at = (path: string) => `${file} ${path}`;
  const expected = '{ "categories": [{ "id", "hazards", "factors": [{ "id", "direction", "thresholds" }] }] } as models/risklist/categories.json';
  if (!isRecord(value) || !Array.isArray(value.categories)) throw InputError.single(at('$.categories'), 'is not a category table', isRecord(value) ? value.categories : value, expected);
  const categories = new Map<string, CategoryDefinition>();
  value.categories.forEach((raw: unknown, k: number) => {
    const path = `$.categories[${k}]`;
    if (!isRecord(raw)) { problems.push({ path: at(path), message: 'must be an object', value: raw, expected: 'a category { "id", "hazards", "factors" }' }); return; }
    const id = raw.id;
    if (typeof id !== 'string' || id.trim() === '') problems.push({ path: at(`${path}.id`), message: 'must be a non-empty string', value: id, expected: 'the category\'s id, as items name it' });
    else if (categories.has(id)) problems.push({ path: at(`${path}.id`), message: 'repeats an earlier category\'s id', value: id, expected: 'a unique id' });
    const hazards = raw.hazards ?? [];
    if (!Array.isArray(hazards) || !hazards.every((h) => typeof h === 'string')) problems.push({ path: at(`${path}.hazards`), message: 'must be a list of hazard names', value: raw.hazards, expected: 'e.g. ["rainstorm", "flood"]' });
    if (raw.hold_s !== undefined && !(isRecord(raw.hold_s) && Object.entries(raw.hold_s).every(([l, s]) => LEVELS.includes(l) && typeof s === 'number' && s >= 0))) {
      problems.push({ path: at(`${path}.hold_s`), message: 'must give seconds per level', value: raw.hold_s, expected: '{ "4": s, "3": s, "2": s }' });
    }
    const factors: FactorDefinition[] = [];
    if (!Array.isArray(raw.factors)) problems.push({ path: at(`${path}.factors`), message: 'must be a list of factors', value: raw.factors, expected: '[{ "id", "direction", "thresholds" }]' });
    else raw.factors.forEach((f: unknown, j: number) => {
      const fPath = `${path}.factors[${j}]`;
      if (!isRecord(f)) { problems.push({ path: at(fPath), message: 'must be an object', value: f, expected: '{ "id", "unit", "direction", "thresholds" }' }); return; }
      const before = problems.length;
      if (typeof f.id !== 'string' || f.id === '') problems.push({ path: at(`${fPath}.id`), message: 'must be a non-empty string', value: f.id, expected: 'the factor\'s id with its unit, e.g. depth_cm' });
      if (f.direction !== 'above' && f.direction !== 'below') problems.push({ path: at(`${fPath}.direction`), message: 'is not a direction', value: f.direction, expected: '"above" (higher is worse) or "below"' });
      if (!isRecord(f.thresholds) || Object.keys(f.thresholds).length === 0 || !Object.entries(f.thresholds).every(([l, v]) => LEVELS.includes(l) && typeof v === 'number' && Number.isFinite(v))) {
        problems.push({ path: at(`${fPath}.thresholds`), message: 'must give a threshold per level', value: f.thresholds, expected: '{ "2": yellow, "3": orange, "4": red } in the factor\'s unit' });
      }
      for (const key of ['deadband', 'on_delay_s', 'interval_s']) {
        const v = f[key];
        if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) problems.push({ path: at(childPath(fPath, key)), message: 'must be a number ≥ 0', value: v, expected: key === 'deadband' ? 'the factor\'s unit' : 'seconds' });
      }
      if (problems.length === before) factors.push(f as unknown as FactorDefinition);
    });
    if (typeof id === 'string' && id.trim() !== '' && !categories.has(id)) {
      categories.set(id, { id, ...(typeof raw.name === 'string' ? { name: raw.name } : {}), hazards: Array.isArray(hazards) ? hazards as string[] : [], ...(isRecord(raw.hold_s) ? { hold_s: raw.hold_s as Record<string, number> } : {}), factors });
    }
  });
  if (problems.length) throw new InputError(problems.slice(0, 20));
  return { file, categories };
}

export const DEFAULT_CATEGORY_FILE = 'models/risklist/categories.json';
export const DEFAULT_CATEGORY_TABLE: CategoryTable = parseCategoryTable(defaultTable, DEFAULT_CATEGORY_FILE);
