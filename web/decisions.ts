// The players' decisions as the trainer logs them: each checked in full before it is logged — its
// action's form (checkDecisionAction) and what it names in the region (entry-check.ts), with the
// CLI's messages — so one typo cannot fail every later run. A decision is never deleted: it is
// withdrawn, or corrected by a new one that withdraws it and keeps its time, and the record says
// who did it and when.
import { InputError } from '../models/errors.ts';
import { checkDecisionAction, standing, type Decision, type DecisionState } from '../models/scenario/aar.ts';
import { checkDecisionReferences, decisionActionPath, type RegionRefs } from '../models/scenario/entry-check.ts';
import type { Inject } from '../models/scenario/injects.ts';

export interface DecisionEntry { role: string; text: string; action?: unknown; corrects?: string }

export interface EntryContext {
  nowS: number;
  durationS: number;
  injects: readonly Inject[];
  /** The region's districts and items; undefined while they load (nothing is logged unchecked). */
  region?: RegionRefs;
  /** The model state now, recorded with a new decision. */
  state?: DecisionState;
  /** Wall-clock time, ISO 8601, for withdrawals. */
  at: string;
}

/** The decisions with `entry` logged (or correcting the one it names); throws InputError if refused. */
export function enterDecision(decisions: readonly Decision[], entry: DecisionEntry, ctx: EntryContext): Decision[] {
  const id = `D${decisions.length + 1}`;
  const path = decisionActionPath(id);
  const action = entry.action === undefined ? undefined : checkDecisionAction(entry.action, path, ctx.durationS);
  const corrected = entry.corrects === undefined ? undefined : decisions.find((d) => d.id === entry.corrects);
  if (entry.corrects !== undefined && (!corrected || !standing(corrected))) {
    throw InputError.single(`decision ${entry.corrects}`, 'cannot be corrected', entry.corrects, 'a decision that has not been withdrawn');
  }
  const decision: Decision = corrected
    ? { id, t_s: corrected.t_s, role: entry.role, text: entry.text, ...(action ? { action } : {}), ...(corrected.state ? { state: corrected.state } : {}), corrects: corrected.id }
    : { id, t_s: ctx.nowS, role: entry.role, text: entry.text, ...(action ? { action } : {}), ...(ctx.state ? { state: ctx.state } : {}) };
  const next = [
    ...decisions.map((d) => (d === corrected ? { ...d, withdrawn: { t_s: ctx.nowS, at: ctx.at, by: entry.role, replaced_by: id } } : d)),
    decision,
  ];
  if (action) {
    if (!ctx.region) throw new InputError([{ path, message: 'cannot be checked yet: the region is still loading', expected: 'a moment, then the decision again' }]);
    checkDecisionReferences(ctx.injects, next, id, ctx.region);
  }
  return next;
}

/**
 * The decisions with `id` withdrawn now by `by`. Refused (InputError) when a standing decision
 * depends on it: lifting the warning it issued would then fail the run.
 */
export function withdrawDecision(decisions: readonly Decision[], id: string, by: string, ctx: EntryContext): Decision[] {
  const next = decisions.map((d) => (d.id === id && standing(d) ? { ...d, withdrawn: { t_s: ctx.nowS, at: ctx.at, by } } : d));
  if (ctx.region) for (const d of next) if (d.action && standing(d)) checkDecisionReferences(ctx.injects, next, d.id, ctx.region);
  return next;
}

/** Whether a change to the decisions changes what the engine runs. */
export function actsDifferently(before: readonly Decision[], after: readonly Decision[]): boolean {
  const acting = (list: readonly Decision[]) => JSON.stringify(list.filter((d) => d.action && standing(d)).map((d) => [d.id, d.t_s, d.action]));
  return acting(before) !== acting(after);
}
