// The models' numerical warnings across an ensemble's members (capped routing, slopes run at the
// model's ceiling, fire spread clamps …). Each member's warnings travel beside its result, outside
// its hash: like `run`'s results_sha256, the products' bytes do not depend on diagnostics. They are
// grouped by model, place and code, so 100 members warning about the same reach make one line that
// says how many members did, not 100 lines that differ only in a number (and two different problems
// at one place, the network's sub-steps and its outflow below zero, stay two lines).
import { warningLine, type ModelWarning } from '../scenario/model-warnings.ts';

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
