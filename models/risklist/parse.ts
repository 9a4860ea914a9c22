// Reading the CONTRACT.md case form (`risklist grade`): settings, items and their factors into item
// definitions. Every problem is named by JSON path. The streaming inputs (readings, warnings,
// events, pins → kernel batches) are in parse-inputs.ts, re-exported here so importers keep one module.
import { childPath, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumber, checkParams, isCommentKey, isRecord } from '../params.ts';
import categoryData from './categories.json' with { type: 'json' };
import { type ItemDef, type FactorDef } from './list.ts';
import {
  caseParams, DEFAULT_HOLD_S, factorParams, holdParams, itemParams, LEVEL_KEYS, matrixParams, thresholdParam,
} from './spec.ts';
import { parseStringList } from './parse-inputs.ts';
import { DEFAULT_LEC_EDGES, DEFAULT_MATRIX_EDGES, LEC_C, LEC_E, LEC_L, lecLevel, matrixLevel, type BandEdges } from './static.ts';


export interface Settings {
  holdS: ItemDef['holdS'];
  lecEdges: BandEdges;
  matrixEdges: BandEdges;
  defaultIntervalS: number;
}

export const CATEGORY_HAZARDS: ReadonlyMap<string, readonly string[]> = new Map(
  categoryData.categories.map((c) => [c.id, c.hazards] as const),
);

export const CATEGORY_BY_ID = new Map(categoryData.categories.map((c) => [c.id, c] as const));

export const SETTING_KEYS = ['hold_s', 'lec_bands', 'matrix_bands', 'default_interval_s'];

function parseHolds(value: unknown, path: string, fallback: ItemDef['holdS'], problems: Problem[]): ItemDef['holdS'] {
  if (value === undefined) return { ...fallback };
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "4": s, "3": s, "2": s }' });
    return { ...fallback };
  }
  checkKnownKeys(value, ['2', '3', '4'], path, problems);
  const withFallback = {
    2: { ...holdParams[2], default: fallback[2] }, 3: { ...holdParams[3], default: fallback[3] }, 4: { ...holdParams[4], default: fallback[4] },
  };
  const p = checkParams(withFallback, value, path, problems);
  return { 2: p[2] ?? fallback[2], 3: p[3] ?? fallback[3], 4: p[4] ?? fallback[4] };
}

function parseEdges(value: unknown, path: string, fallback: BandEdges, problems: Problem[]): BandEdges {
  if (value === undefined) return fallback;
  const ok = Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v))
    && value[0] < value[1] && value[1] < value[2];
  if (!ok) {
    problems.push({ path, message: 'must be three increasing band edges', value, expected: `[upper edge of level 1, of 2, of 3], e.g. [${fallback.join(', ')}]` });
    return fallback;
  }
  return [value[0], value[1], value[2]];
}

export function parseSettings(root: Record<string, unknown>, problems: Problem[]): Settings {
  const { default_interval_s: defaultIntervalS } = checkParams({ default_interval_s: caseParams.default_interval_s }, root, '$', problems);
  return {
    holdS: parseHolds(root.hold_s, '$.hold_s', { 2: DEFAULT_HOLD_S[2], 3: DEFAULT_HOLD_S[3], 4: DEFAULT_HOLD_S[4] }, problems),
    lecEdges: parseEdges(root.lec_bands, '$.lec_bands', DEFAULT_LEC_EDGES, problems),
    matrixEdges: parseEdges(root.matrix_bands, '$.matrix_bands', DEFAULT_MATRIX_EDGES, problems),
    defaultIntervalS: defaultIntervalS ?? caseParams.default_interval_s.default,
  };
}

/** The settings of a case that sets none (a coupling's): parseSettings' defaults. */
export function defaultSettings(): Settings {
  return parseSettings({}, []);
}

function parseLevelKeyed(value: unknown, path: string, problems: Problem[]): [number, number, number, number] | undefined {
  if (!isRecord(value) || !Object.keys(value).some((key) => !isCommentKey(key))) {
    problems.push({ path, message: 'must give at least one threshold by level', value, expected: '{ "2": yellow, "3": orange, "4": red }' });
    return undefined;
  }
  const out: [number, number, number, number] = [NaN, NaN, NaN, NaN];
  for (const [key, v] of Object.entries(value)) {
    if (isCommentKey(key)) continue;
    const at = childPath(path, key);
    if (!(LEVEL_KEYS as readonly string[]).includes(key)) {
      problems.push({ path: at, message: 'is not a level', value: key, expected: 'a level 1, 2, 3 or 4' });
      continue;
    }
    const n = checkNumber(thresholdParam, v, at, problems);
    if (n !== undefined) out[Number(key) - 1] = n;
  }
  return out;
}

/** Thresholds must rise with the level for `above` and fall for `below`. */
function checkThresholdOrder(thresholds: number[], direction: 1 | -1, path: string, problems: Problem[]): void {
  let previous = NaN;
  let previousLevel = 0;
  for (let level = 1; level <= 4; level++) {
    const t = thresholds[level - 1];
    if (Number.isNaN(t)) continue;
    if (!Number.isNaN(previous) && !(direction * t > direction * previous)) {
      problems.push({
        path: childPath(path, String(level)),
        message: `is out of order for direction ${direction > 0 ? 'above' : 'below'}`,
        value: t,
        expected: `${direction > 0 ? 'more' : 'less'} than ${previous}, the threshold of level ${previousLevel}`,
      });
    }
    previous = t;
    previousLevel = level;
  }
}

const FACTOR_KEYS = ['id', 'direction', 'thresholds', 'unit', 'name', 'source', ...Object.keys(factorParams)];

/** A factor's fields as values, keyed as in the case file. */
export interface FactorValues {
  id: string;
  direction: 'above' | 'below';
  thresholds: Readonly<Record<string, number>>;
  deadband?: number; on_delay_s?: number; stale_after_s?: number; interval_s?: number;
}

function parseFactor(value: unknown, path: string, settings: Settings, problems: Problem[]): FactorDef | undefined {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: 'a factor { "id", "direction", "thresholds", ... }' });
    return undefined;
  }
  checkKnownKeys(value, FACTOR_KEYS, path, problems);
  return factorDefOf(value as unknown as FactorValues, path, settings, problems);
}

/** One factor's checked definition from its values: the file form's checks after its keys, with the same paths. */
export function factorDefOf(value: FactorValues, path: string, settings: Settings, problems: Problem[]): FactorDef | undefined {
  if (typeof value.id !== 'string' || value.id.length === 0) {
    problems.push({ path: childPath(path, 'id'), message: 'must be a non-empty string', value: value.id, expected: 'a factor id unique within the item' });
  }
  const directionName = value.direction;
  if (directionName !== 'above' && directionName !== 'below') {
    problems.push({ path: childPath(path, 'direction'), message: 'is not a direction', value: directionName, expected: '"above" or "below"' });
  }
  const direction: 1 | -1 = directionName === 'below' ? -1 : 1;
  const thresholds = parseLevelKeyed(value.thresholds, childPath(path, 'thresholds'), problems);
  if (thresholds && (directionName === 'above' || directionName === 'below')) {
    checkThresholdOrder(thresholds, direction, childPath(path, 'thresholds'), problems);
  }
  const p = checkParams(factorParams, { ...value }, path, problems);
  const staleAfterS = p.stale_after_s ?? 2 * (p.interval_s ?? settings.defaultIntervalS);
  if (typeof value.id !== 'string' || !thresholds) return undefined;
  return {
    id: value.id, direction, thresholds,
    deadband: p.deadband ?? 0, onDelayS: p.on_delay_s ?? 0, staleAfterS,
  };
}

function optionalString(value: unknown, path: string, problems: Problem[], expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.push({ path, message: 'must be a string', value, expected });
    return undefined;
  }
  return value;
}


function parseLec(value: unknown, path: string, edges: BandEdges, problems: Problem[]): number | undefined {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "L", "E", "C" }' });
    return undefined;
  }
  checkKnownKeys(value, ['L', 'E', 'C'], path, problems);
  const tables: [string, readonly number[]][] = [['L', LEC_L], ['E', LEC_E], ['C', LEC_C]];
  const got: number[] = [];
  for (const [key, allowed] of tables) {
    const v = value[key];
    if (typeof v !== 'number' || !allowed.includes(v)) {
      problems.push({ path: childPath(path, key), message: 'is not a tabulated LEC value', value: v, expected: `one of ${allowed.join(', ')}` });
    } else {
      got.push(v);
    }
  }
  return got.length === 3 ? lecLevel(got[0], got[1], got[2], edges) : undefined;
}

/** The matrix form's base level (likelihood × severity), with the file form's checks and paths. */
function parseMatrix(value: unknown, path: string, edges: BandEdges, problems: Problem[]): number | undefined {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "likelihood": 1–5, "severity": 1–5 }' });
    return undefined;
  }
  checkKnownKeys(value, Object.keys(matrixParams), path, problems);
  const m = checkParams(matrixParams, value, path, problems);
  return m.likelihood !== undefined && m.severity !== undefined ? matrixLevel(m.likelihood, m.severity, edges) : undefined;
}

const ITEM_KEYS = ['id', 'category', 'area', 'name', 'hazards', 'base_level', 'lec', 'matrix', 'hold_s', 'factors'];

/**
 * An item's fields as values, keyed as in the case file. lec, matrix and hold_s keep their own
 * checks (keys included) in both forms: a coupling copies them from the user's items file.
 */
export interface ItemValues {
  id: string;
  category?: string;
  area?: string;
  hazards?: readonly string[];
  base_level?: number;
  lec?: { L: number; E: number; C: number };
  matrix?: { likelihood: number; severity: number };
  hold_s?: Readonly<Record<string, number>>;
  /** "category": the shipped category's factors and hold times (categories.json). */
  factors?: readonly FactorValues[] | 'category';
}

/** How one factor of an item's own list is read: from the file (shape and keys checked) or from values. */
type FactorReader = (value: unknown, path: string, settings: Settings, problems: Problem[]) => FactorDef | undefined;

export function parseItems(value: unknown, path: string, settings: Settings, problems: Problem[]): ItemDef[] {
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be an array', value, expected: 'an array of items' });
    return [];
  }
  const seen = new Map<string, number>();
  const out: ItemDef[] = [];
  value.forEach((raw, i) => {
    const at = childPath(path, i);
    if (!isRecord(raw)) {
      problems.push({ path: at, message: 'must be an object', value: raw, expected: 'an item { "id", "category", "factors", ... }' });
      return;
    }
    checkKnownKeys(raw, ITEM_KEYS, at, problems);
    const item = itemDefOf(raw as unknown as ItemValues, path, i, seen, settings, problems, parseFactor);
    if (item) out.push(item);
  });
  return out;
}

/** Items from values (a coupling's list): each through itemDefOf, as parseItems does after its shape checks. */
export function itemDefsOf(items: readonly ItemValues[], path: string, settings: Settings, problems: Problem[]): ItemDef[] {
  const seen = new Map<string, number>();
  const out: ItemDef[] = [];
  items.forEach((values, i) => {
    const item = itemDefOf(values, path, i, seen, settings, problems, factorDefOf as FactorReader);
    if (item) out.push(item);
  });
  return out;
}

/**
 * Item i of the list at `path` from its values: the file form's checks after its keys (id, base
 * level by one way only, lec, matrix, holds, factors), with the same paths. `seen` holds the ids so far.
 */
export function itemDefOf(
  raw: ItemValues, path: string, i: number, seen: Map<string, number>, settings: Settings, problems: Problem[], factorOf: FactorReader,
): ItemDef | undefined {
  const at = childPath(path, i);
  const id = raw.id;
  if (typeof id !== 'string' || id.length === 0) {
    problems.push({ path: childPath(at, 'id'), message: 'must be a non-empty string', value: id, expected: 'a unique item id' });
    return undefined;
  }
  if (seen.has(id)) {
    problems.push({ path: childPath(at, 'id'), message: `repeats the id of ${childPath(path, seen.get(id)!)}`, value: id, expected: 'a unique item id' });
    return undefined;
  }
  seen.set(id, i);
  const category = optionalString(raw.category, childPath(at, 'category'), problems, 'a category id');
  const area = optionalString(raw.area, childPath(at, 'area'), problems, 'an area name');
  const hazards = parseStringList(raw.hazards, childPath(at, 'hazards'), problems, 'hazard names, e.g. ["rainstorm"]')
    ?? (category !== undefined ? CATEGORY_HAZARDS.get(category) : undefined);
  const ways = (['base_level', 'lec', 'matrix'] as const).filter((k) => raw[k] !== undefined);
  if (ways.length > 1) {
    problems.push({ path: childPath(at, ways[1]), message: `conflicts with ${ways[0]}`, value: raw[ways[1]], expected: 'one of base_level, lec or matrix' });
  }
  let base = 1;
  if (raw.base_level !== undefined) {
    base = checkParams(itemParams, { ...raw }, at, problems).base_level ?? 1;
  } else if (raw.lec !== undefined) {
    base = parseLec(raw.lec, childPath(at, 'lec'), settings.lecEdges, problems) ?? 1;
  } else if (raw.matrix !== undefined) {
    base = parseMatrix(raw.matrix, childPath(at, 'matrix'), settings.matrixEdges, problems) ?? 1;
  }
  // "factors": "category" takes the shipped category's factors and hold times (categories.json).
  const template = raw.factors === 'category' ? CATEGORY_BY_ID.get(category ?? '') : undefined;
  if (raw.factors === 'category' && !template) {
    problems.push({ path: childPath(at, 'factors'), message: 'asks for the category defaults of an unknown category', value: category, expected: `a category of categories.json: ${[...CATEGORY_BY_ID.keys()].join(', ')}` });
    return undefined;
  }
  const holdS = parseHolds(raw.hold_s, childPath(at, 'hold_s'), template ? parseHolds(template.hold_s, '(categories.json)', settings.holdS, problems) : settings.holdS, problems);
  const factors: FactorDef[] = [];
  const factorList: unknown = template ? template.factors : raw.factors;
  if (factorList !== undefined && !Array.isArray(factorList)) {
    problems.push({ path: childPath(at, 'factors'), message: 'must be an array', value: raw.factors, expected: 'an array of factors' });
  } else {
    const factorIds = new Set<string>();
    // The shipped categories are JSON: read as the file form reads its factors.
    const readFactor = template ? parseFactor : factorOf;
    ((factorList as unknown[] | undefined) ?? []).forEach((f, k) => {
      const fPath = template ? `categories.json:${template.id}.factors[${k}]` : childPath(childPath(at, 'factors'), k);
      const factor = readFactor(f, fPath, settings, problems);
      if (!factor) return;
      if (factorIds.has(factor.id)) {
        problems.push({ path: childPath(fPath, 'id'), message: 'repeats a factor id of this item', value: factor.id, expected: 'a factor id unique within the item' });
        return;
      }
      factorIds.add(factor.id);
      factors.push(factor);
    });
  }
  return { id, category, area, hazards, base, holdS, factors };
}

export * from './parse-inputs.ts';
