// The model changes an inject (or a player's decision, which runs as one) can take, each declared
// once: its fields, their units and ranges. An action is checked twice at the boundary: its form
// when the MSEL is read (checkAction), and what it names — districts, items, the reservoir, points
// on the map — once the region is known (checkActionReferences). Nothing a trainer types is dropped
// silently: a rain factor of "abc" or a district that does not exist is an error with its path.
import { DEFAULT_CATEGORY_TABLE } from '../risklist/category-table.ts';
import { categoryTableOf, fedFactorsOf } from './readings.ts';
import { childPath, type Problem } from '../errors.ts';
import { discharge } from '../flood/spec.ts';
import { checkNumber, isCommentKey, isRecord, type NumberParam } from '../params.ts';
import type { RegionData } from './region.ts';

export const ACTION_TYPES = [
  'rain', 'ignition', 'dam-release', 'barrier', 'sensor-reading', 'warning-issue', 'warning-lift', 'evacuation',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const WARNING_HAZARDS = ['rainstorm', 'flood', 'geohazard', 'forest-fire'] as const;

type Field =
  | NumberParam
  | { kind: 'text'; description: string; optional?: boolean }
  | { kind: 'choice'; choices: readonly string[]; description: string; optional?: boolean }
  /** District ids of the region. */
  | { kind: 'districts'; description: string; optional?: boolean }
  /** "all" or one district id. */
  | { kind: 'district-or-all'; description: string; optional?: boolean }
  /** Projected map coordinates [[x, y], …], m, at least two points. */
  | { kind: 'polyline'; description: string; optional?: boolean };

// Declared `as const` so the action types below read each field's kind and optionality.
const duration = { kind: 'number', unit: 's', min: 0, exclusiveMin: true, optional: true, description: 'how long the change lasts from its delivery (default: to the end)' } as const;
const areas = { kind: 'districts', optional: true, description: 'the districts it applies to' } as const;
const area = { kind: 'district-or-all', optional: true, description: 'one district, or "all" (the older form of areas)' } as const;

export const ACTION_FIELDS = {
  rain: {
    factor: { kind: 'number', unit: '1', min: 0, max: 10, description: 'multiplies the rain over the areas' },
    areas, area, duration_s: duration,
  },
  ignition: {
    x_m: { kind: 'number', unit: 'm', description: 'easting of the ignition, in the region\'s projection' },
    y_m: { kind: 'number', unit: 'm', description: 'northing of the ignition' },
  },
  'dam-release': {
    reservoir: { kind: 'text', optional: true, description: 'the region\'s reservoir id' },
    // The flood model's discharge, with its range: a release is routed like any inflow.
    m3_per_s: { ...discharge, description: 'release below the dam' },
    duration_s: duration,
  },
  barrier: {
    polyline_m: { kind: 'polyline', description: 'the fire break, road or river line, map coordinates in m' },
  },
  'sensor-reading': {
    item: { kind: 'text', description: 'the risk-list item reporting' },
    factor: { kind: 'text', description: 'the item\'s factor the reading is for' },
    value: { kind: 'number', unit: 'factor unit', description: 'the reading' },
  },
  'warning-issue': {
    id: { kind: 'text', optional: true, description: 'the warning\'s id (default: the inject\'s)' },
    hazard: { kind: 'choice', choices: WARNING_HAZARDS, optional: true, description: 'what the warning is for (default rainstorm)' },
    level: { kind: 'number', unit: '1', min: 1, max: 4, integer: true, optional: true, description: 'blue 1 … red 4 (default 2)' },
    areas, area,
  },
  'warning-lift': {
    id: { kind: 'text', description: 'the id of a warning an inject or decision issued' },
  },
  evacuation: { areas, area },
} as const satisfies Record<ActionType, Record<string, Field>>;

/** The value a field of each kind holds once checkAction has passed it. */
type FieldValue<F> =
  F extends { kind: 'number' } ? number
  : F extends { kind: 'choice'; choices: readonly (infer C)[] } ? C
  : F extends { kind: 'districts' } ? readonly string[]
  : F extends { kind: 'polyline' } ? [number, number][]
  : string;
type Fields<T extends ActionType> = (typeof ACTION_FIELDS)[T];
type OptionalKeys<T extends ActionType> = { [K in keyof Fields<T>]: Fields<T>[K] extends { optional: true } ? K : never }[keyof Fields<T>];

/** One action type's checked form, derived from its ACTION_FIELDS declaration. */
export type ActionOf<T extends ActionType> =
  { type: T }
  & { [K in Exclude<keyof Fields<T>, OptionalKeys<T>>]: FieldValue<Fields<T>[K]> }
  & { [K in OptionalKeys<T>]?: FieldValue<Fields<T>[K]> };

/** A model change as checkAction lets it through: narrowed by `type`, never cast. */
export type InjectAction = { [T in ActionType]: ActionOf<T> }[ActionType];

/** The districts an action names: `areas`, or the older `area` (one district; "all" or none: every district). */
export function actionAreas(action: { areas?: readonly string[]; area?: string }): readonly string[] | 'all' {
  return action.areas ?? (action.area && action.area !== 'all' ? [action.area] : 'all');
}

const isActionType = (value: unknown): value is ActionType => ACTION_TYPES.some((t) => t === value);

/** The action's form: known type, known fields, each of its kind and range. */
export function checkAction(action: unknown, path: string, problems: Problem[]): action is InjectAction {
  const before = problems.length;
  if (!isRecord(action) || !isActionType(action.type)) {
    problems.push({ path: `${path}.type`, message: 'is not a model change the engine knows', value: isRecord(action) ? action.type : action, expected: `one of ${ACTION_TYPES.join(', ')}` });
    return false;
  }
  const fields: Record<string, Field> = ACTION_FIELDS[action.type];
  for (const key of Object.keys(action)) {
    if (key !== 'type' && !(key in fields) && !isCommentKey(key)) problems.push({ path: childPath(path, key), message: `is not a field of a ${action.type} action`, value: action[key], expected: `one of ${Object.keys(fields).join(', ')}` });
  }
  for (const [key, field] of Object.entries(fields)) checkField(field, action[key], childPath(path, key), problems);
  if (action.areas !== undefined && action.area !== undefined) {
    problems.push({ path: childPath(path, 'area'), message: 'cannot stand beside areas', value: action.area, expected: 'either areas or area' });
  }
  return problems.length === before;
}

function checkField(field: Field, value: unknown, path: string, problems: Problem[]): void {
  if (value === undefined) {
    if (!field.optional) problems.push({ path, message: 'is required', value, expected: field.description });
    return;
  }
  switch (field.kind) {
    case 'number': checkNumber(field, value, path, problems); return;
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') problems.push({ path, message: 'must be a non-empty string', value, expected: field.description });
      return;
    case 'choice':
      if (!field.choices.includes(value as string)) problems.push({ path, message: 'is not a known value', value, expected: `one of ${field.choices.join(', ')}` });
      return;
    case 'district-or-all':
      if (typeof value !== 'string' || value === '') problems.push({ path, message: 'must be a district id or "all"', value, expected: field.description });
      return;
    case 'districts':
      if (!Array.isArray(value) || value.length === 0 || value.some((d) => typeof d !== 'string')) {
        problems.push({ path, message: 'must be a non-empty list of district ids', value, expected: field.description });
      }
      return;
    case 'polyline':
      if (!Array.isArray(value) || value.length < 2) {
        problems.push({ path, message: 'must hold at least two points', value, expected: '[[x_m, y_m], [x_m, y_m], …]' });
        return;
      }
      value.forEach((point, k) => {
        if (!Array.isArray(point) || point.length !== 2 || !point.every((c) => typeof c === 'number' && Number.isFinite(c))) {
          problems.push({ path: childPath(path, k), message: 'must be a point [x_m, y_m]', value: point, expected: 'two finite numbers, m' });
        }
      });
  }
}

/** The factors each default category's items are fed by the couplings: the only ones a reading can report. */
export const FED_FACTORS: Record<string, string[]> = Object.fromEntries(
  [...DEFAULT_CATEGORY_TABLE.categories.values()].map((c) => [c.id, fedFactorsOf(c)]).filter(([, fed]) => fed.length > 0),
);

/** A well-formed action where it stands: its JSON path and the id of the inject that takes it. */
export interface PlacedAction { path: string; injectId: string; action: InjectAction }

/**
 * What well-formed actions name, against the region: district ids, the reservoir, items and their
 * fed factors, ignitions inside the grid, warnings lifted that an inject issued.
 */
export function checkActionReferences(placed: readonly PlacedAction[], region: Pick<RegionData, 'manifest' | 'items' | 'categories'>): Problem[] {
  const table = categoryTableOf(region);
  const problems: Problem[] = [];
  const districts = region.manifest.districts.map((d) => d.id);
  const items = new Map(region.items.map((i) => [i.id, i]));
  const g = region.manifest.grid;
  // A warning an inject issues without an id of its own takes the inject's.
  const issued = new Set(placed.map((p) => (p.action.type === 'warning-issue' ? p.action.id ?? p.injectId : undefined)).filter((id) => id !== undefined));
  const district = (value: unknown, path: string) => {
    if (!districts.includes(value as string)) problems.push({ path, message: 'names no district of the region', value, expected: `one of ${districts.join(', ')}` });
  };
  for (const { path, action } of placed) {
    if ('areas' in action && action.areas) action.areas.forEach((d, k) => district(d, childPath(childPath(path, 'areas'), k)));
    if ('area' in action && action.area !== undefined && action.area !== 'all') district(action.area, childPath(path, 'area'));
    if (action.type === 'dam-release' && (!region.manifest.reservoir || (action.reservoir !== undefined && action.reservoir !== region.manifest.reservoir.id))) {
      problems.push({ path: childPath(path, 'reservoir'), message: 'names no reservoir of the region', value: action.reservoir, expected: region.manifest.reservoir?.id ?? 'none: this region has no reservoir' });
    }
    if (action.type === 'ignition') {
      const east = g.xllcorner + g.ncols * g.cellsize_m;
      const north = g.yllcorner + g.nrows * g.cellsize_m;
      const { x_m: x, y_m: y } = action;
      if (!(x >= g.xllcorner && x < east)) problems.push({ path: childPath(path, 'x_m'), message: 'ignites outside the region', value: x, expected: `an easting in [${g.xllcorner}, ${east}) m` });
      if (!(y >= g.yllcorner && y < north)) problems.push({ path: childPath(path, 'y_m'), message: 'ignites outside the region', value: y, expected: `a northing in [${g.yllcorner}, ${north}) m` });
    }
    if (action.type === 'sensor-reading') {
      const item = items.get(action.item);
      if (!item) problems.push({ path: childPath(path, 'item'), message: 'names no risk-list item of the region', value: action.item, expected: 'an item id of risk-items.json' });
      else {
        const known = fedFactorsOf(table.categories.get(item.category));
        if (!known.includes(action.factor)) problems.push({ path: childPath(path, 'factor'), message: `is not a sensor factor of ${item.id} (${item.category})`, value: action.factor, expected: known.length ? `one of ${known.join(', ')}` : 'none: this category has no coupled sensor' });
      }
    }
    if (action.type === 'warning-lift' && !issued.has(action.id)) {
      problems.push({ path: childPath(path, 'id'), message: 'names no warning an inject or decision issues', value: action.id, expected: issued.size ? `one of ${[...issued].join(', ')}` : 'the id of a warning-issue action' });
    }
  }
  return problems;
}
