// A record's decisions as a history the drill could have written (web/decisions.ts): a decision
// is never deleted, only withdrawn once — by hand, or by a correction logged after it that keeps
// its time and names it in `corrects` while its withdrawal names the correction in `replaced_by`.
// An imported record goes back into the drill's log, which acts and prints on these links, so a
// broken one (a correction of nothing, of a later decision, two corrections of one, a cycle) is
// refused by its JSON path here rather than shown as a history that never happened.
import { childPath, unknownFields, type Problem } from '../errors.ts';
import { isRecord } from '../params.ts';
import { isIsoInstant, isScenarioTime } from './schema.ts';

const WITHDRAWAL_FIELDS = ['t_s', 'at', 'by', 'replaced_by'];

/** The fields every decision has; a decision without them is refused on its own (parseAar). */
export interface DecisionShape { id: string; t_s: number; role: string; text: string; withdrawn?: unknown; corrects?: unknown }

export const isDecisionShape = (d: unknown): d is DecisionShape & Record<string, unknown> =>
  isRecord(d) && typeof d.id === 'string' && typeof d.t_s === 'number' && typeof d.role === 'string' && typeof d.text === 'string';

/**
 * Checks decision `k` (at `path`) of `decisions` — its id, time, withdrawal and correction, and the links
 * between them — against the others. Only entries of a decision's shape (isDecisionShape) are
 * decisions: links to anything else find none, and the caller refuses those entries on their own.
 * Times are seconds of the scenario, up to `durationS`.
 */
export function decisionHistoryChecker(decisions: readonly unknown[], durationS: number) {
  // The first decision of each id: later ones of the same id are refused, so links stay unambiguous.
  const indexOf = new Map<string, number>();
  decisions.forEach((d, k) => { if (isDecisionShape(d) && !indexOf.has(d.id)) indexOf.set(d.id, k); });
  // indexOf holds only entries of a decision's shape.
  const decisionOf = (id: string) => decisions[indexOf.get(id)!] as DecisionShape;

  return (k: number, path: string, problems: Problem[]): void => {
    const d = decisions[k];
    if (!isDecisionShape(d)) return;
    if (indexOf.get(d.id) !== k) problems.push({ path: `${path}.id`, message: 'is the id of an earlier decision', value: d.id, expected: 'an id no other decision has' });
    // Its action is delivered to the replay at this time (decisionDeliveries): the drill only writes one in the scenario.
    if (!isScenarioTime(d.t_s, durationS)) problems.push({ path: `${path}.t_s`, message: 'is not a time in the scenario', value: d.t_s, expected: `seconds in [0, ${durationS}], the exercise time it was taken` });
    if (d.withdrawn !== undefined) checkWithdrawal(d, k, `${path}.withdrawn`, problems);
    if (d.corrects !== undefined) checkCorrection(d, k, path, problems);
  };

  function checkWithdrawal(d: DecisionShape, k: number, at: string, problems: Problem[]): void {
    const w = d.withdrawn;
    if (!isRecord(w)) {
      problems.push({ path: at, message: 'is not a withdrawal', value: w, expected: '{ "t_s", "at", "by" }, and "replaced_by" when a correction replaced it' });
      return;
    }
    unknownFields(w, WITHDRAWAL_FIELDS, at, problems);
    if (!isScenarioTime(w.t_s, durationS)) {
      problems.push({ path: `${at}.t_s`, message: 'is not a time in the scenario', value: w.t_s, expected: `seconds in [0, ${durationS}], the exercise time it was withdrawn` });
    }
    if (!isIsoInstant(w.at)) problems.push({ path: `${at}.at`, message: 'is not the wall-clock time it was withdrawn', value: w.at, expected: 'an ISO 8601 time with a UTC offset, e.g. "2026-07-14T12:00:00.000Z"' });
    if (typeof w.by !== 'string') problems.push({ path: `${at}.by`, message: 'must name the role that withdrew it', value: w.by, expected: 'a role, e.g. "Trainer"' });
    const by = w.replaced_by;
    if (by === undefined) return;
    const byAt = childPath(at, 'replaced_by');
    const expected = `the id of a later decision with "corrects": ${JSON.stringify(d.id)}, or no field when withdrawn by hand`;
    if (typeof by !== 'string') problems.push({ path: byAt, message: 'must name the decision that replaced it', value: by, expected });
    else if (!indexOf.has(by)) problems.push({ path: byAt, message: 'names no decision of the record', value: by, expected });
    else if (indexOf.get(by)! <= k) problems.push({ path: byAt, message: 'names a decision not listed after it', value: by, expected });
    else if (decisionOf(by).corrects !== d.id) problems.push({ path: byAt, message: 'names a decision that does not correct it', value: by, expected });
  }

  function checkCorrection(d: DecisionShape, k: number, path: string, problems: Problem[]): void {
    const at = `${path}.corrects`;
    const target = d.corrects;
    const expected = `the id of an earlier decision withdrawn with "replaced_by": ${JSON.stringify(d.id)}`;
    if (typeof target !== 'string') { problems.push({ path: at, message: 'must name the decision it corrects', value: target, expected: `${expected}, or no field` }); return; }
    if (!indexOf.has(target)) { problems.push({ path: at, message: 'names no decision of the record', value: target, expected }); return; }
    if (indexOf.get(target)! >= k) { problems.push({ path: at, message: 'names a decision not listed before it', value: target, expected }); return; }
    const corrected = decisionOf(target);
    const w = corrected.withdrawn;
    if (!isRecord(w)) problems.push({ path: at, message: 'names a decision that was not withdrawn', value: target, expected });
    else if (w.replaced_by === undefined) problems.push({ path: at, message: 'names a decision withdrawn by hand, not replaced', value: target, expected });
    else if (w.replaced_by !== d.id) problems.push({ path: at, message: 'names a decision another one replaced', value: target, expected });
    // The correction stands in the corrected decision's place: the same exercise time.
    if (corrected.t_s !== d.t_s) problems.push({ path: `${path}.t_s`, message: 'is not the time of the decision it corrects', value: d.t_s, expected: `${corrected.t_s}, the time of ${target} (a correction keeps it)` });
  }
}
