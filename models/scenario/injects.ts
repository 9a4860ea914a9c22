// The master scenario events list (MSEL) of DRILLS.md: injects with triggers, states and, for
// model changes, the action they take on the engine. Validated at the boundary like any input.
import { childPath, InputError, type Problem } from '../errors.ts';
import { discharge } from '../flood/spec.ts';
import { checkKnownKeys, checkNumber, isRecord } from '../params.ts';
import { ACTION_TYPES, checkAction, type InjectAction, type PlacedAction } from './actions.ts';
import { checkFileId } from './ids.ts';
import { formatCsv, parseCsv } from './csv.ts';
import { isScenarioTime } from './schema.ts';

export { ACTION_TYPES };

export const INJECT_KINDS = ['information', 'model-change', 'decision-request'] as const;
export const INJECT_STATES = ['on-hold', 'scheduled', 'delivered', 'cancelled'] as const;

export type InjectKind = (typeof INJECT_KINDS)[number];
export type InjectState = (typeof INJECT_STATES)[number];

export type Trigger =
  | { type: 'time'; t_s: number }
  | { type: 'after'; inject: string; delay_s: number }
  /** `gauge <id> above <Q> m3/s` (conditionParts): fires at the first step end the modelled flow there passes Q. */
  | { type: 'condition'; condition: string }
  | { type: 'manual' };

/** A model change, typed by ACTION_FIELDS (models/scenario/actions.ts). */
export type { InjectAction } from './actions.ts';

export interface Inject extends InjectZhTexts {
  id: string;
  sequence: number;
  trigger: Trigger;
  title: string;
  description: string;
  from: string;
  to: string;
  kind: InjectKind;
  expected_action: string;
  objective: string;
  state: InjectState;
  action?: InjectAction;
}

/** The inject's texts a player or trainer reads, each with an optional `<field>_zh` beside it. */
export const INJECT_TEXTS = ['title', 'description', 'from', 'to', 'expected_action', 'objective'] as const;
export type InjectText = (typeof INJECT_TEXTS)[number];
/**
 * The texts in Chinese, where the scenario gives them (`title_zh`, …): the drill UI shows them in
 * zh-CN. Kept flat, as the file writes them, so a parsed inject reads back as it was.
 */
export type InjectZhTexts = { [F in InjectText as `${F}_zh`]?: string };

function text(record: Record<string, unknown>, key: string, path: string, problems: Problem[], required = false): string {
  const value = record[key];
  if (value === undefined || value === null || value === '') {
    if (required) problems.push({ path: childPath(path, key), message: 'is required', value, expected: 'a non-empty string' });
    return '';
  }
  if (typeof value !== 'string') {
    problems.push({ path: childPath(path, key), message: 'must be a string', value, expected: 'text' });
    return '';
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, problems: Problem[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    problems.push({ path, message: 'is not a known value', value, expected: `one of ${allowed.join(', ')}` });
    return fallback;
  }
  return value as T;
}

const INJECT_KEYS = ['id', 'sequence', 'trigger', 'title', 'description', 'from', 'to', 'kind', 'expected_action', 'objective', 'state', 'action', ...INJECT_TEXTS.map((f) => `${f}_zh`)];
const TRIGGER_FIELDS: Record<Trigger['type'], string[]> = { time: ['t_s'], after: ['inject', 'delay_s'], condition: ['condition'], manual: [] };

/**
 * The condition grammar, strictly: `gauge <id> above <number> m3/s` (keywords in any case, m³/s
 * also written out). The id is checked against the region when it is loaded (references.ts); a
 * threshold that is not a plain number is refused here, as a condition that could never fire.
 */
const CONDITION = /^gauge\s+(\S+)\s+above\s+(\S+)\s*m(?:3|³)\/s$/i;
const CONDITION_FORM = 'gauge <reach or gauge id> above <flow> m3/s, e.g. "gauge R001 above 5000 m3/s"';
const conditionFlow = { ...discharge, max: 1e6, description: 'flow the gauge must pass' };

function checkCondition(value: unknown, path: string, problems: Problem[]): void {
  const match = typeof value === 'string' ? CONDITION.exec(value.trim()) : null;
  if (!match) {
    problems.push({ path, message: typeof value === 'string' && value !== '' ? 'is not a condition the engine reads' : 'must state the condition', value, expected: CONDITION_FORM });
    return;
  }
  checkNumber(conditionFlow, /^\d+(\.\d+)?$/.test(match[2]) ? Number(match[2]) : match[2], path, problems);
}

/**
 * The gauge (or reach) and flow of a condition parseInjects accepted. The trigger keeps only its
 * text, so a parsed inject written back out reads the same.
 */
export function conditionParts(condition: string): { gauge: string; aboveM3PerS: number } {
  const match = CONDITION.exec(condition.trim());
  return match ? { gauge: match[1], aboveM3PerS: Number(match[2]) } : { gauge: '', aboveM3PerS: NaN };
}

function parseTrigger(value: unknown, path: string, durationS: number, problems: Problem[]): Trigger {
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: '{ "type": "time", "t_s": … } or after / condition / manual' });
    return { type: 'manual' };
  }
  // A misspelt field ("delay": 3600) would otherwise fall back to its default without a word.
  const fields = TRIGGER_FIELDS[value.type as Trigger['type']];
  if (fields) checkKnownKeys(value, ['type', ...fields], path, problems);
  switch (value.type) {
    case 'time': {
      const t = value.t_s;
      if (!isScenarioTime(t, durationS)) {
        problems.push({ path: `${path}.t_s`, message: 'is outside the scenario', value: t, expected: `a time in [0, ${durationS}] s` });
      }
      return { type: 'time', t_s: t as number };
    }
    case 'after': {
      const delay = value.delay_s ?? 0;
      if (typeof value.inject !== 'string') problems.push({ path: `${path}.inject`, message: 'must name an inject', value: value.inject, expected: 'the id of another inject' });
      if (typeof delay !== 'number' || !(delay >= 0 && Number.isFinite(delay))) problems.push({ path: `${path}.delay_s`, message: 'must be a delay', value: delay, expected: 'a finite number ≥ 0 s' });
      return { type: 'after', inject: value.inject as string, delay_s: delay as number };
    }
    case 'condition':
      checkCondition(value.condition, `${path}.condition`, problems);
      return { type: 'condition', condition: value.condition as string };
    case 'manual':
      return { type: 'manual' };
    default:
      problems.push({ path: `${path}.type`, message: 'is not a trigger type', value: value.type, expected: 'one of time, after, condition, manual' });
      return { type: 'manual' };
  }
}

export function parseInjects(value: unknown, path: string, durationS: number): Inject[] {
  if (value === undefined) return [];
  const problems: Problem[] = [];
  if (!Array.isArray(value)) throw InputError.single(path, 'must be an array', value, 'a list of injects');
  const injects: Inject[] = [];
  const ids = new Map<string, number>();
  const warningFiles = new Map<string, { id: string; path: string }>();
  value.forEach((raw, k) => {
    const at = childPath(path, k);
    if (!isRecord(raw)) {
      problems.push({ path: at, message: 'must be an object', value: raw, expected: 'an inject' });
      return;
    }
    checkKnownKeys(raw, INJECT_KEYS, at, problems);
    const id = text(raw, 'id', at, problems, true);
    if (id && ids.has(id)) problems.push({ path: `${at}.id`, message: `repeats the id of ${path}[${ids.get(id)}]`, value: id, expected: 'a unique inject id' });
    ids.set(id, k);
    const kind = oneOf(raw.kind, INJECT_KINDS, `${at}.kind`, problems, 'information');
    let action: InjectAction | undefined;
    if (raw.action !== undefined && checkAction(raw.action, `${at}.action`, problems)) action = raw.action;
    if (action?.type === 'warning-issue') {
      // The warning's id (the inject's by default) names its CAP files: one file per id, whatever
      // the case (macOS and Windows do not tell W1 from w1).
      const own = action.id;
      const idPath = own !== undefined ? `${at}.action.id` : `${at}.id`;
      const warningId = String(own ?? id);
      checkFileId(warningId, idPath, problems, 'the warning\'s CAP files');
      const first = warningFiles.get(warningId.toLowerCase());
      if (first) problems.push({ path: idPath, message: `issues the warning ${first.id} again (${first.path}): its CAP files would replace the first's`, value: warningId, expected: 'a warning id of its own' });
      else warningFiles.set(warningId.toLowerCase(), { id: warningId, path: idPath });
    }
    if (kind === 'model-change' && !action && !problems.some((p) => p.path.startsWith(`${at}.action`))) {
      problems.push({ path: `${at}.action`, message: 'is required for a model-change inject', value: raw.action, expected: `{ "type": one of ${ACTION_TYPES.join(', ')}, … }` });
    }
    const sequence = raw.sequence ?? k + 1;
    if (typeof sequence !== 'number' || !Number.isInteger(sequence)) problems.push({ path: `${at}.sequence`, message: 'must be an integer', value: sequence, expected: 'the inject\'s place in the MSEL' });
    injects.push({
      id, sequence: sequence as number,
      trigger: parseTrigger(raw.trigger, `${at}.trigger`, durationS, problems),
      title: text(raw, 'title', at, problems, true),
      description: text(raw, 'description', at, problems),
      from: text(raw, 'from', at, problems),
      to: text(raw, 'to', at, problems),
      kind,
      expected_action: text(raw, 'expected_action', at, problems),
      objective: text(raw, 'objective', at, problems),
      state: oneOf(raw.state, INJECT_STATES, `${at}.state`, problems, 'scheduled'),
      ...(action ? { action } : {}),
      ...zhTexts(raw, at, problems),
    });
  });
  injects.forEach((inject, k) => {
    if (inject.trigger.type === 'after' && inject.trigger.inject !== undefined && !ids.has(inject.trigger.inject)) {
      problems.push({ path: `${childPath(path, k)}.trigger.inject`, message: 'names no inject', value: inject.trigger.inject, expected: 'the id of another inject' });
    }
  });
  if (problems.length === 0) scheduledTimes(injects, path);
  if (problems.length) throw new InputError(problems);
  return injects;
}

/** The `<field>_zh` texts given (none when absent or empty). */
function zhTexts(raw: Record<string, unknown>, at: string, problems: Problem[]): InjectZhTexts {
  const zh: Record<string, string> = {};
  for (const field of INJECT_TEXTS) {
    const value = text(raw, `${field}_zh`, at, problems);
    if (value) zh[`${field}_zh`] = value;
  }
  return zh;
}

/** Every inject's action with its JSON path, for the checks that need the region. */
export function placedActions(injects: readonly Inject[], path = '$.injects'): PlacedAction[] {
  return injects.flatMap((inject, k) => (inject.action ? [{ path: `${childPath(path, k)}.action`, injectId: inject.id, action: inject.action }] : []));
}

/**
 * The scenario time each inject is due, following `after` chains; undefined for condition and
 * manual triggers (and for anything after one) until they fire. A chain that loops is an error.
 */
export function scheduledTimes(injects: readonly Inject[], path = '$.injects', fired: ReadonlyMap<string, number> = new Map()): Map<string, number | undefined> {
  const byId = new Map(injects.map((inject, k) => [inject.id, { inject, k }]));
  const times = new Map<string, number | undefined>();
  const visiting = new Set<string>();
  const resolve = (id: string): number | undefined => {
    if (times.has(id)) return times.get(id);
    if (fired.has(id)) { times.set(id, fired.get(id)); return fired.get(id); }
    const entry = byId.get(id)!;
    if (visiting.has(id)) {
      throw InputError.single(`${path}[${entry.k}].trigger`, 'forms a loop of after-triggers', id, 'a chain that starts at a time, condition or manual inject');
    }
    visiting.add(id);
    const t = entry.inject.trigger;
    const time = t.type === 'time' ? t.t_s : t.type === 'after' ? (resolve(t.inject) === undefined ? undefined : resolve(t.inject)! + t.delay_s) : undefined;
    visiting.delete(id);
    times.set(id, time);
    return time;
  };
  for (const inject of injects) resolve(inject.id);
  return times;
}

export const MSEL_COLUMNS = [
  'id', 'sequence', 'trigger', 'time_s', 'after_inject', 'delay_s', 'condition', 'title', 'description',
  'from', 'to', 'kind', 'expected_action', 'objective', 'state', 'action',
  // Chinese texts last: a sheet without them (older exports) still reads.
  'title_zh', 'description_zh', 'from_zh', 'to_zh', 'expected_action_zh', 'objective_zh',
] as const;

export function injectsToCsv(injects: readonly Inject[]): string {
  return formatCsv(MSEL_COLUMNS, injects.map((inject) => {
    const t = inject.trigger;
    return [
      inject.id, String(inject.sequence), t.type,
      t.type === 'time' ? String(t.t_s) : '', t.type === 'after' ? t.inject : '', t.type === 'after' ? String(t.delay_s) : '',
      t.type === 'condition' ? t.condition : '',
      inject.title, inject.description, inject.from, inject.to, inject.kind, inject.expected_action, inject.objective,
      inject.state, inject.action ? JSON.stringify(inject.action) : '',
      ...INJECT_TEXTS.map((f) => inject[`${f}_zh`] ?? ''),
    ];
  }));
}

/** Reads an MSEL CSV (columns as MSEL_COLUMNS, any order); problems are named `file.csv:line`. */
export function injectsFromCsv(csv: string, fileName: string, durationS: number): Inject[] {
  const rows = parseCsv(csv);
  if (rows.length === 0) throw InputError.single(`${fileName}:1`, 'is empty', undefined, `a header row: ${MSEL_COLUMNS.join(',')}`);
  const header = rows[0].fields.map((h) => h.trim());
  const missing = MSEL_COLUMNS.filter((c) => !header.includes(c) && ['id', 'trigger', 'title'].includes(c));
  if (missing.length) throw InputError.single(`${fileName}:1`, `lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, header.join(','), `a header with ${MSEL_COLUMNS.join(',')}`);
  const problems: Problem[] = [];
  const records = rows.slice(1).map((row) => {
    const cell = (name: string) => row.fields[header.indexOf(name)] ?? '';
    const number = (name: string) => (cell(name) === '' ? undefined : Number(cell(name)));
    let action: unknown;
    if (cell('action') !== '') {
      try { action = JSON.parse(cell('action')); } catch { problems.push({ path: `${fileName}:${row.line}`, message: 'action is not JSON', value: cell('action'), expected: 'a JSON object such as {"type":"rain","factor":1.5}' }); }
    }
    const type = cell('trigger');
    const trigger = type === 'time' ? { type, t_s: number('time_s') }
      : type === 'after' ? { type, inject: cell('after_inject'), delay_s: number('delay_s') ?? 0 }
        : type === 'condition' ? { type, condition: cell('condition') } : { type };
    return {
      id: cell('id'), sequence: number('sequence'), trigger, title: cell('title'), description: cell('description'),
      from: cell('from'), to: cell('to'), kind: cell('kind') || undefined, expected_action: cell('expected_action'),
      objective: cell('objective'), state: cell('state') || undefined, ...(action !== undefined ? { action } : {}),
      ...Object.fromEntries(INJECT_TEXTS.map((f) => [`${f}_zh`, cell(`${f}_zh`)]).filter(([, v]) => v !== '')),
    };
  });
  if (problems.length) throw new InputError(problems);
  try {
    return parseInjects(records, '$', durationS);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // Re-address `$[k].field` to the CSV line the record came from.
    throw new InputError(error.problems.map((p) => {
      const match = /^\$\[(\d+)\](.*)$/.exec(p.path);
      return match ? { ...p, path: `${fileName}:${rows[Number(match[1]) + 1].line} (${match[2].replace(/^\./, '') || 'row'})` } : p;
    }));
  }
}

/** What the trainer did to the MSEL during a run: manual deliveries and cancellations, by time. */
export interface MselActions {
  delivered: ReadonlyMap<string, number>;
  cancelled: ReadonlyMap<string, number>;
}

export const NO_ACTIONS: MselActions = { delivered: new Map(), cancelled: new Map() };

/**
 * Each inject's state at scenario time `tS`, derived from the MSEL and the trainer's actions alone,
 * so seeking back and replaying always show the same thing. An on-hold inject waits for the trainer;
 * a cancellation counts from its own time on.
 */
export function injectStatesAt(injects: readonly Inject[], tS: number, actions: MselActions = NO_ACTIONS): Inject[] {
  const fired = new Map([...actions.delivered].filter(([, at]) => at <= tS));
  const due = scheduledTimes(injects, '$.injects', fired);
  return injects.map((inject) => {
    const cancelledAt = actions.cancelled.get(inject.id);
    if (inject.state === 'cancelled' || (cancelledAt !== undefined && cancelledAt <= tS)) return { ...inject, state: 'cancelled' };
    const heldBack = inject.state === 'on-hold' && !fired.has(inject.id);
    const at = due.get(inject.id);
    if (!heldBack && at !== undefined && at <= tS) return { ...inject, state: 'delivered' };
    return { ...inject, state: heldBack ? 'on-hold' : 'scheduled' };
  });
}
