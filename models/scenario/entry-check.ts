// Checks what a trainer or player enters during an exercise against the region at once, with the
// engine's own check (checkActionReferences) and so the CLI's messages: a decision to evacuate a
// district that does not exist is refused when it is typed, not logged to fail every later run.
// Only the entry's own problems are reported; the rest of the MSEL and the standing decisions take
// part because a warning lifted must have been issued somewhere.
import { InputError, type Problem } from '../errors.ts';
import { checkActionReferences, type PlacedAction } from './actions.ts';
import { decisionInjectId, standing, type Decision } from './aar.ts';
import { parseCsv } from './csv.ts';
import { placedActions, type Inject } from './injects.ts';
import type { RegionData } from './region.ts';

export type RegionRefs = Pick<RegionData, 'manifest' | 'items'>;

/** The path a decision's action is named by in messages, as checkDecisionAction names it. */
export const decisionActionPath = (id: string) => `decision ${id}.action`;

function placedDecisions(decisions: readonly Decision[]): PlacedAction[] {
  return decisions.flatMap((d) => (d.action && standing(d) ? [{ path: decisionActionPath(d.id), injectId: decisionInjectId(d), action: d.action }] : []));
}

function referenceProblems(injects: readonly Inject[], decisions: readonly Decision[], region: RegionRefs, own: (path: string) => boolean): Problem[] {
  const placed = [...placedActions(injects), ...placedDecisions(decisions)];
  return checkActionReferences(placed, region).filter((p) => own(p.path));
}

const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** Throws the problems of decision `id`'s action (it is among `decisions`) against the region. */
export function checkDecisionReferences(injects: readonly Inject[], decisions: readonly Decision[], id: string, region: RegionRefs): void {
  const problems = referenceProblems(injects, decisions, region, under(decisionActionPath(id)));
  if (problems.length) throw new InputError(problems);
}

/** Throws the problems of the MSEL's inject at `index` against the region, by its `$.injects[k]` path. */
export function checkInjectReferences(injects: readonly Inject[], decisions: readonly Decision[], index: number, region: RegionRefs): void {
  const problems = referenceProblems(injects, decisions, region, under(`$.injects[${index}]`));
  if (problems.length) throw new InputError(problems);
}

/**
 * Throws the problems of an imported MSEL CSV against the region, each by the file and line its
 * inject came from, as injectsFromCsv names a problem of form: `msel.csv:4 (action.areas[0])`.
 */
export function checkCsvReferences(injects: readonly Inject[], decisions: readonly Decision[], csv: string, fileName: string, region: RegionRefs): void {
  const lines = parseCsv(csv).slice(1).map((row) => row.line);
  const problems = referenceProblems(injects, decisions, region, (path) => path.startsWith('$.injects[')).map((p) => {
    const match = /^\$\.injects\[(\d+)\]\.?(.*)$/.exec(p.path)!;
    return { ...p, path: `${fileName}:${lines[Number(match[1])]} (${match[2] || 'row'})` };
  });
  if (problems.length) throw new InputError(problems);
}
