// The scenario's `models` block, declared once: every setting of every model with its kind, unit,
// range or choices and default. parseScenario validates the block against this into a typed
// object the couplings read, so a misspelt key or a value the run cannot honour is an error with
// its JSON path instead of a silent fallback. Where a setting is the same quantity as a model's own
// input, the range comes from that model's spec.
import { childPath, type Problem } from '../errors.ts';
import { channelReachParams, ROUTING_METHODS } from '../flood/spec.ts';
import { BASAL_BOUNDARIES } from '../landslide/spec.ts';
import { checkKnownKeys, checkNumber, isRecord, type DeclaredParam, type Label } from '../params.ts';

export type Setting =
  | (DeclaredParam & { default: number })
  | { kind: 'boolean'; default: boolean; description: string; label: Label }
  /** `file`: besides the choices, a file path matching it is taken (relative to the scenario's folder, or absolute). */
  | { kind: 'choice'; choices: readonly string[]; default: string; description: string; label: Label; file?: RegExp }
  /** A file path, relative to the scenario's folder or absolute; undefined when not given. */
  | { kind: 'file'; extension: RegExp; description: string; label: Label };

const enabled = { kind: 'boolean', default: true, description: 'false skips the model in the run', label: { en: 'Enabled', zh: '启用' } } as const;

/**
 * Routing methods a region can feed: plain Muskingum needs K and X per reach, which a region does
 * not carry (its reaches have hydraulic geometry), so the scenario offers the others.
 */
export const SCENARIO_ROUTING_METHODS = ROUTING_METHODS.filter((m): m is Exclude<typeof m, 'muskingum'> => m !== 'muskingum');

export const MODEL_SETTINGS = {
  flood: {
    enabled,
    routing: { kind: 'choice', choices: SCENARIO_ROUTING_METHODS, default: 'muskingum-cunge', description: 'How every reach routes its flow', label: { en: 'Routing method', zh: '河道演算方法' } },
    runoff: { kind: 'choice', choices: ['xinanjiang'] as const, default: 'xinanjiang', description: 'Rainfall–runoff model of the sub-basins (the coupling carries Xinanjiang parameters only)', label: { en: 'Runoff model', zh: '产流模型' } },
    manning_n: { ...channelReachParams.manning_n, default: 0.035 },
  },
  landslide: {
    enabled,
    targets: { kind: 'choice', choices: ['slope-items'] as const, default: 'slope-items', description: 'Where FS is computed as readings: the region\'s slope items (the region-wide grid runs as well)', label: { en: 'Targets', zh: '计算对象' } },
    basal_boundary: { kind: 'choice', choices: BASAL_BOUNDARIES, default: 'finite', description: 'Impermeable base at the soil depth (finite) or none (infinite)', label: { en: 'Basal boundary', zh: '底部边界条件' } },
  },
  fire: {
    enabled,
    spread: { kind: 'choice', choices: ['ellipse-minimum-travel-time'] as const, default: 'ellipse-minimum-travel-time', description: 'Fire spread method (Rothermel rates, elliptical minimum travel time)', label: { en: 'Spread method', zh: '火蔓延算法' } },
  },
  risklist: {
    items: { kind: 'file', extension: /\.json$/i, description: 'The risk-list items (default: risk-items.json beside the region manifest)', label: { en: 'Risk-list items', zh: '风险清单文件' } },
    categories: {
      kind: 'choice', choices: ['region', 'default'] as const, default: 'region', file: /\.json$/i,
      description: 'Category table the couplings feed and the risk list grades with: "region", the region\'s own (risk-categories.json, named by region.json\'s risk_categories) or the engine\'s default where it carries none; "default", the engine\'s (models/risklist/categories.json); or a table file of that form',
      label: { en: 'Category table', zh: '风险类别表' },
    },
  },
} as const satisfies Record<string, Record<string, Setting>>;

export type ModelName = keyof typeof MODEL_SETTINGS;
export const MODEL_NAMES = Object.keys(MODEL_SETTINGS) as ModelName[];

type ValueOf<S> = S extends { kind: 'boolean' } ? boolean
  : S extends { kind: 'choice'; choices: readonly (infer C)[]; file: RegExp } ? C | (string & {})
  : S extends { kind: 'choice'; choices: readonly (infer C)[] } ? C
    : S extends { kind: 'file' } ? string | undefined
      : number;

export type ModelSettings = { [M in ModelName]: { [K in keyof (typeof MODEL_SETTINGS)[M]]: ValueOf<(typeof MODEL_SETTINGS)[M][K]> } };

function expectedOf(setting: Setting): string {
  switch (setting.kind) {
    case 'boolean': return 'true or false';
    case 'choice': return `one of ${setting.choices.join(', ')}${setting.file ? `, or a file path (relative to the scenario's folder, or absolute) matching ${setting.file.source}` : ''}`;
    case 'file': return `a file path (relative to the scenario's folder, or absolute) matching ${setting.extension.source}`;
    default: return '';
  }
}

function checkSetting(setting: Setting, value: unknown, path: string, problems: Problem[]): unknown {
  if (value === undefined) return setting.kind === 'file' ? undefined : setting.default;
  switch (setting.kind) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      problems.push({ path, message: 'must be true or false', value, expected: expectedOf(setting) });
      return setting.default;
    case 'choice':
      if (typeof value === 'string' && (setting.choices.includes(value) || (setting.file?.test(value) && value.trim() !== ''))) return value;
      problems.push({ path, message: 'is not a known value', value, expected: expectedOf(setting) });
      return setting.default;
    case 'file':
      if (typeof value === 'string' && value.trim() !== '' && setting.extension.test(value)) return value;
      problems.push({ path, message: 'must name a file', value, expected: expectedOf(setting) });
      return undefined;
    default:
      return checkNumber(setting, value, path, problems) ?? setting.default;
  }
}

/** The `models` block with every default filled in; problems are collected by JSON path. */
export function parseModelSettings(value: unknown, path: string, problems: Problem[]): ModelSettings {
  const out: Record<string, Record<string, unknown>> = {};
  const block = value === undefined ? {} : value;
  if (!isRecord(block)) problems.push({ path, message: 'must be an object', value, expected: `{ ${MODEL_NAMES.map((m) => `"${m}": {…}`).join(', ')} }` });
  const record = isRecord(block) ? block : {};
  checkKnownKeys(record, MODEL_NAMES, path, problems);
  for (const model of MODEL_NAMES) {
    const at = childPath(path, model);
    const declared: Record<string, Setting> = MODEL_SETTINGS[model];
    const raw = record[model] ?? {};
    if (!isRecord(raw)) problems.push({ path: at, message: 'must be an object', value: raw, expected: `the model's settings: ${Object.keys(declared).join(', ')}` });
    const settings = isRecord(raw) ? raw : {};
    checkKnownKeys(settings, Object.keys(declared), at, problems);
    out[model] = Object.fromEntries(Object.entries(declared).map(([key, setting]) => [key, checkSetting(setting, settings[key], childPath(at, key), problems)]));
  }
  return out as ModelSettings;
}
