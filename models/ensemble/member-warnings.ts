// The models' numerical warnings across an ensemble's members (capped routing, slopes run at the
// model's ceiling, fire spread clamps …). Each member's warnings travel beside its result, outside
// its hash: like `run`'s results_sha256, the products' bytes do not depend on diagnostics. They are
// grouped by model, place and code, so 100 members warning about the same reach make one line that
// says how many members did, not 100 lines that differ only in a number (and two different problems
// at one place, the network's sub-steps and its outflow below zero, stay two lines).
import { InputError, type Problem } from '../errors.ts';
import { WARNING_MODELS, warningLine, type ModelWarning } from '../scenario/model-warnings.ts';
import { parseModelWarning } from '../scenario/model-warnings-record.ts';

export interface EnsembleWarning {
  model: ModelWarning['model'];
  where: string;
  /** The first member's wording (its numbers are that member's). */
  what: string;
  /** The code's severity, its code and the first member's params (models/scenario/warning-codes.ts); absent in folders written before them. */
  severity?: ModelWarning['severity'];
  code?: string;
  params?: ModelWarning['params'];
  /** How many members warned here, and the lowest such index. */
  members: number;
  first_member: number;
}

/** At most this many places go into the manifest; the rest are counted. */
export const MAX_ENSEMBLE_WARNINGS = 200;

/**
 * The warnings of `results`, one per (model, place), in the order of the first member that gave each
 * (and that member's order within its run). Independent of the order results arrived in.
 */
export function ensembleWarnings(results: readonly { index: number; warnings?: ModelWarning[] }[]): { warnings: EnsembleWarning[]; left_out: number } {
  const byPlace = new Map<string, EnsembleWarning>();
  const sorted = [...results].sort((a, b) => a.index - b.index);
  for (const r of sorted) {
    const seen = new Set<string>();
    for (const w of r.warnings ?? []) {
      const key = `${w.model}\u0000${w.where}\u0000${w.code}`;
      if (seen.has(key)) continue; // one member counts once per place and code
      seen.add(key);
      const entry = byPlace.get(key);
      if (entry) entry.members++;
      else byPlace.set(key, { model: w.model, where: w.where, what: w.what, severity: w.severity, code: w.code, params: w.params, members: 1, first_member: r.index });
    }
  }
  const all = [...byPlace.values()];
  return { warnings: all.slice(0, MAX_ENSEMBLE_WARNINGS), left_out: Math.max(0, all.length - MAX_ENSEMBLE_WARNINGS) };
}

/** stderr lines as `run` prints them, with the members that warned; at most `limit`, then a pointer to the manifest. */
export function ensembleWarningLines(grouped: { warnings: EnsembleWarning[]; left_out: number }, members: number, limit = 20): string[] {
  const lines = grouped.warnings.slice(0, limit).map((w) => `${warningLine(w)} (in ${w.members} of ${members} members; first: member ${w.first_member})`);
  const more = grouped.warnings.length - lines.length + grouped.left_out;
  if (more > 0) lines.push(`warning: … and ${more} more places: manifest.json's model_warnings`);
  return lines;
}

const MODELS: readonly string[] = WARNING_MODELS;

/**
 * manifest.json's `model_warnings` and `model_warnings_left_out` read back (the app shows them): none
 * when the folder predates them. A malformed entry is refused by its JSON path, as any product is:
 * a count the notice shows must be the one the run wrote.
 */
export function manifestWarnings(manifest: Record<string, unknown>, members: number, file = 'manifest.json'): { warnings: EnsembleWarning[]; left_out: number } {
  const list = manifest.model_warnings;
  const leftOut = manifest.model_warnings_left_out ?? 0;
  if (list === undefined) return { warnings: [], left_out: 0 };
  if (!Array.isArray(list)) throw InputError.single(`${file} $.model_warnings`, 'must be an array', list, 'the places members warned at: [{model, where, what, members, first_member}, …]');
  if (list.length > MAX_ENSEMBLE_WARNINGS) throw InputError.single(`${file} $.model_warnings`, 'has too many places', list.length, `at most ${MAX_ENSEMBLE_WARNINGS}, as the CLI writes them (the rest counted in model_warnings_left_out)`);
  if (!Number.isInteger(leftOut) || (leftOut as number) < 0) throw InputError.single(`${file} $.model_warnings_left_out`, 'must be a whole number', leftOut, 'an integer ≥ 0: the places past the first ' + MAX_ENSEMBLE_WARNINGS);
  const warnings = list.map((w: Record<string, unknown> | null, k): EnsembleWarning => {
    const at = `${file} $.model_warnings[${k}]`;
    if (!w || typeof w !== 'object' || Array.isArray(w)) throw InputError.single(at, 'must be an object', w, '{model, where, what, members, first_member}');
    if (!MODELS.includes(w.model as string)) throw InputError.single(`${at}.model`, 'is not a model', w.model, MODELS.map((m) => `"${m}"`).join(', '));
    for (const key of ['where', 'what'] as const) if (typeof w[key] !== 'string') throw InputError.single(`${at}.${key}`, 'must be a string', w[key], key === 'where' ? 'the place the warning concerns' : 'what the model could not honour');
    if (!Number.isInteger(w.members) || (w.members as number) < 1 || (w.members as number) > members) throw InputError.single(`${at}.members`, 'is not a count of this ensemble\'s members', w.members, `an integer in [1, ${members}]`);
    if (!Number.isInteger(w.first_member) || (w.first_member as number) < 0 || (w.first_member as number) >= members) throw InputError.single(`${at}.first_member`, 'is not a member of this ensemble', w.first_member, `a member index in [0, ${members - 1}]`);
    // Severity, code and params (the app says the line in the UI's language by its code) are absent in older folders.
    if (w.severity !== undefined && w.severity !== 'warning' && w.severity !== 'info') throw InputError.single(`${at}.severity`, 'is not a severity', w.severity, '"warning" or "info"');
    if (w.code !== undefined && typeof w.code !== 'string') throw InputError.single(`${at}.code`, 'must be a string', w.code, 'the warning\'s code (models/scenario/warning-codes.ts)');
    const params = w.params as Record<string, unknown> | undefined;
    if (params !== undefined && (!params || typeof params !== 'object' || Array.isArray(params) || Object.values(params).some((v) => typeof v !== 'string' && typeof v !== 'number'))) {
      throw InputError.single(`${at}.params`, 'must be an object of strings and numbers', params, 'the numbers and names of the warning, by name');
    }
    if (w.code !== undefined) {
      // A line in today's form (it has a code) is one `run` wrote: the shared reader's bounds hold too
      // (text lengths, params' count and finiteness, no unknown field).
      const { members: _members, first_member: _first, ...line } = w;
      const problems: Problem[] = [];
      parseModelWarning(line, at, problems);
      if (problems.length) throw new InputError(problems);
    }
    return {
      model: w.model as EnsembleWarning['model'], where: w.where as string, what: w.what as string,
      ...(w.severity !== undefined ? { severity: w.severity as EnsembleWarning['severity'] } : {}),
      ...(w.code !== undefined ? { code: w.code as string } : {}),
      ...(params !== undefined ? { params: params as EnsembleWarning['params'] } : {}),
      members: w.members as number, first_member: w.first_member as number,
    };
  });
  return { warnings, left_out: leftOut as number };
}
