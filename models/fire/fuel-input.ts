// A fuel model named in a case: a standard code ("GR2"), its number (102 or "102"), or a custom
// model written in the published table's columns and units.
import { childPath, type Problem } from '../errors.ts';
import { checkKnownKeys, checkParams, isRecord } from '../params.ts';
import { findStandardFuel, STANDARD_FUEL_MODELS, type FuelModelEnglish } from './fuels.ts';
import { customFuelParams } from './spec.ts';

export const FUEL_EXPECTED = 'a fuel model code (FM1..FM13, GR1..SB4, NB1..NB9), its number, or a custom model object';

const CUSTOM_KEYS = ['code', 'name', 'dynamic', ...Object.keys(customFuelParams)];

export function parseCustomFuel(value: Record<string, unknown>, path: string, problems: Problem[]): FuelModelEnglish | undefined {
  const before = problems.length;
  checkKnownKeys(value, CUSTOM_KEYS, path, problems);
  const p = checkParams(customFuelParams, value, path, problems);
  if (value.dynamic !== undefined && typeof value.dynamic !== 'boolean') {
    problems.push({ path: childPath(path, 'dynamic'), message: 'must be true or false', value: value.dynamic, expected: 'a boolean (Scott & Burgan herb curing)' });
  }
  if (value.code !== undefined && typeof value.code !== 'string') {
    problems.push({ path: childPath(path, 'code'), message: 'must be a string', value: value.code, expected: 'a fuel model code' });
  }
  if (problems.length > before) return undefined;
  const dead = p.load_1h_lb_ft2 + p.load_10h_lb_ft2 + p.load_100h_lb_ft2;
  if (dead + p.load_herb_lb_ft2 + p.load_woody_lb_ft2 <= 0) {
    problems.push({ path, message: 'carries no fuel', value: 0, expected: 'a positive load in at least one class (use NB1..NB9 for non-burnable)' });
    return undefined;
  }
  return {
    number: p.number ?? 0, code: typeof value.code === 'string' ? value.code : 'custom',
    name: typeof value.name === 'string' ? value.name : 'custom fuel model',
    depth_ft: p.depth_ft, mx_dead: p.mx_dead, heat_dead_btu_lb: p.heat_dead_btu_lb, heat_live_btu_lb: p.heat_live_btu_lb,
    load_1h_lb_ft2: p.load_1h_lb_ft2, load_10h_lb_ft2: p.load_10h_lb_ft2, load_100h_lb_ft2: p.load_100h_lb_ft2,
    load_herb_lb_ft2: p.load_herb_lb_ft2, load_woody_lb_ft2: p.load_woody_lb_ft2,
    sav_1h_ft: p.sav_1h_ft, sav_herb_ft: p.sav_herb_ft, sav_woody_ft: p.sav_woody_ft,
    dynamic: value.dynamic === true,
  };
}

/** Custom models a case defines once (`custom_fuel_models`), looked up by code or number before the standard set. */
export class FuelCatalogue {
  private readonly byCode = new Map<string, FuelModelEnglish>();
  private readonly byNumber = new Map<number, FuelModelEnglish>();

  add(model: FuelModelEnglish): void {
    this.byCode.set(model.code.toUpperCase(), model);
    if (model.number) this.byNumber.set(model.number, model);
  }

  find(key: unknown): FuelModelEnglish | undefined {
    if (typeof key === 'number') return this.byNumber.get(key) ?? findStandardFuel(key);
    if (typeof key === 'string') {
      const t = key.trim();
      if (/^\d+$/.test(t)) return this.byNumber.get(Number(t)) ?? findStandardFuel(t);
      return this.byCode.get(t.toUpperCase()) ?? findStandardFuel(t);
    }
    return undefined;
  }

  static parse(value: unknown, path: string, problems: Problem[]): FuelCatalogue {
    const catalogue = new FuelCatalogue();
    if (value === undefined) return catalogue;
    if (!Array.isArray(value)) {
      problems.push({ path, message: 'must be an array', value, expected: 'an array of custom fuel models' });
      return catalogue;
    }
    const firstByCode = new Map<string, number>();
    const firstByNumber = new Map<number, number>();
    value.forEach((item, i) => {
      const itemPath = childPath(path, i);
      if (!isRecord(item)) {
        problems.push({ path: itemPath, message: 'must be an object', value: item, expected: 'a custom fuel model' });
        return;
      }
      const model = parseCustomFuel(item, itemPath, problems);
      if (!model) return;
      if (typeof item.code !== 'string') {
        problems.push({ path: childPath(itemPath, 'code'), message: 'is required', value: item.code, expected: 'a code to refer to the model by' });
        return;
      }
      if (STANDARD_FUEL_MODELS.some((s) => s.code.toUpperCase() === model.code.toUpperCase() || (model.number && s.number === model.number))) {
        problems.push({ path: itemPath, message: 'reuses a standard fuel model code or number', value: item.code, expected: 'a new code and number' });
        return;
      }
      // A second model under one code or number would silently replace the first in every lookup.
      const code = model.code.toUpperCase();
      const first = firstByCode.get(code);
      if (first !== undefined) {
        problems.push({ path: childPath(itemPath, 'code'), message: `repeats the code of ${childPath(path, first)}`, value: item.code, expected: 'a code no other custom model uses' });
        return;
      }
      firstByCode.set(code, i);
      const twin = model.number ? firstByNumber.get(model.number) : undefined;
      if (twin !== undefined) {
        problems.push({ path: childPath(itemPath, 'number'), message: `repeats the number of ${childPath(path, twin)}`, value: model.number, expected: 'a number no other custom model uses' });
        return;
      }
      if (model.number) firstByNumber.set(model.number, i);
      catalogue.add(model);
    });
    return catalogue;
  }
}

/** The model a `fuel_model` field names, or a problem saying what was expected. */
export function resolveFuel(value: unknown, path: string, catalogue: FuelCatalogue, problems: Problem[]): FuelModelEnglish | undefined {
  if (isRecord(value)) return parseCustomFuel(value, path, problems);
  const found = catalogue.find(value);
  if (!found) {
    problems.push({
      path, message: value === undefined ? 'is required' : typeof value === 'string' || typeof value === 'number' ? 'names no fuel model' : 'must be a code or number',
      value, expected: FUEL_EXPECTED,
    });
  }
  return found;
}
