// A run's model warnings as an after-action record keeps them: the base run's and each what-if's, so
// the report says which run warned of what (a what-if with more rain may cap its routing where the
// base did not). Bounded, warnings before information (the bound drops information first), and
// checked field by field when a record comes back: a hand-edited record carries nothing else.
import { childPath, unknownFields, type Problem } from '../errors.ts';
import { isRecord } from '../params.ts';
import { MAX_MODEL_WARNING_TEXT, MAX_RECORD_RUN_WARNINGS } from '../limits.ts';
import { WARNING_MODELS, type ModelWarning } from './model-warnings.ts';

export interface RecordedWarnings {
  model_warnings?: ModelWarning[];
  /** Lines past MAX_RECORD_RUN_WARNINGS, counted. */
  model_warnings_left_out?: number;
}

const MODELS: readonly string[] = WARNING_MODELS;
const FIELDS = ['model', 'where', 'what', 'severity', 'code', 'params'];
const MAX_PARAMS = 24;

/** The fields a record carries for a run's warnings (none: no fields). */
export function recordedWarnings(warnings: readonly ModelWarning[] | undefined): RecordedWarnings {
  if (!warnings?.length) return {};
  const ordered = [...warnings.filter((w) => w.severity !== 'info'), ...warnings.filter((w) => w.severity === 'info')];
  const kept = ordered.slice(0, MAX_RECORD_RUN_WARNINGS).map((w) => ({ ...w, params: { ...w.params } }));
  return { model_warnings: kept, ...(ordered.length > kept.length ? { model_warnings_left_out: ordered.length - kept.length } : {}) };
}

const isText = (v: unknown, max = MAX_MODEL_WARNING_TEXT): v is string => typeof v === 'string' && v.length <= max;

/** One line as `run` writes it, every field checked (any reader of a recorded warning: a record, a manifest). */
export function parseModelWarning(raw: unknown, at: string, problems: Problem[]): ModelWarning | undefined {
  const before = problems.length;
  if (!isRecord(raw)) { problems.push({ path: at, message: 'is not a model warning', value: raw, expected: '{ "model", "where", "what", "severity", "code", "params" }' }); return undefined; }
  unknownFields(raw, FIELDS, at, problems);
  if (!MODELS.includes(raw.model as string)) problems.push({ path: `${at}.model`, message: 'is not a model', value: raw.model, expected: MODELS.join(', ') });
  for (const key of ['where', 'what', 'code'] as const) if (!isText(raw[key])) problems.push({ path: `${at}.${key}`, message: 'must be a text', value: raw[key], expected: `a string of at most ${MAX_MODEL_WARNING_TEXT} characters` });
  if (raw.severity !== 'info' && raw.severity !== 'warning') problems.push({ path: `${at}.severity`, message: 'is not a severity', value: raw.severity, expected: '"info" or "warning"' });
  const params: Record<string, string | number> = {};
  if (!isRecord(raw.params) || Object.keys(raw.params).length > MAX_PARAMS) {
    problems.push({ path: `${at}.params`, message: 'must be an object of names and values', value: raw.params, expected: `at most ${MAX_PARAMS} entries` });
  } else {
    for (const [name, value] of Object.entries(raw.params)) {
      if ((typeof value === 'number' && Number.isFinite(value)) || isText(value)) params[name] = value;
      else problems.push({ path: childPath(`${at}.params`, name), message: 'must be a number or a text', value, expected: `a finite number or a string of at most ${MAX_MODEL_WARNING_TEXT} characters` });
    }
  }
  if (problems.length > before) return undefined;
  return { model: raw.model as ModelWarning['model'], where: raw.where as string, what: raw.what as string, severity: raw.severity as ModelWarning['severity'], code: raw.code as string, params };
}

/** A record's `model_warnings` and `model_warnings_left_out` at `at` (an object holding them), rebuilt. */
export function parseRecordedWarnings(raw: Record<string, unknown>, at: string, problems: Problem[]): RecordedWarnings {
  const out: RecordedWarnings = {};
  const list = raw.model_warnings;
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length > MAX_RECORD_RUN_WARNINGS) {
      problems.push({ path: `${at}.model_warnings`, message: Array.isArray(list) ? 'has too many lines' : 'must be an array', value: Array.isArray(list) ? list.length : list, expected: `a run's model warnings, at most ${MAX_RECORD_RUN_WARNINGS} lines` });
    } else {
      const parsed = list.map((w, k) => parseModelWarning(w, childPath(`${at}.model_warnings`, k), problems));
      if (parsed.every((w) => w)) out.model_warnings = parsed as ModelWarning[];
    }
  }
  const left = raw.model_warnings_left_out;
  if (left !== undefined) {
    if (Number.isInteger(left) && (left as number) > 0) out.model_warnings_left_out = left as number;
    else problems.push({ path: `${at}.model_warnings_left_out`, message: 'is not a count', value: left, expected: 'a whole number > 0' });
  }
  return out;
}
