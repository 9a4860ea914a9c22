// The MSEL as it really stands at the clock. The trainer's actions (deliveries, cancellations) are
// not the whole story: a condition-triggered inject ("gauge R001 above 30000 m3/s") is delivered by
// the model, when the run's flows cross the value. The run reports every inject's delivery time
// (run.delivered); the condition ones are taken from there, so I4 shows as delivered from T+36:00
// instead of "on condition · scheduled" with Deliver/Cancel long after it fired (issue 17).
import { injectStatesAt, scheduledTimes, type Inject, type MselActions } from '../models/scenario/injects.ts';

/** What the page knows of a run for this: each inject's delivery time in it. */
export interface RunDeliveries { delivered: readonly { id: string; t_s: number }[] }

/** When the run fired each condition-triggered inject (those it never fires are absent). */
export function conditionFired(injects: readonly Inject[], run: RunDeliveries | undefined): Map<string, number> {
  const conditions = new Set(injects.filter((i) => i.trigger.type === 'condition').map((i) => i.id));
  return new Map((run?.delivered ?? []).filter((d) => conditions.has(d.id)).map((d) => [d.id, d.t_s]));
}

/** The trainer's deliveries and the model's, the earlier winning. */
function allFired(injects: readonly Inject[], actions: MselActions, run: RunDeliveries | undefined): Map<string, number> {
  const fired = new Map(actions.delivered);
  for (const [id, t] of conditionFired(injects, run)) fired.set(id, Math.min(t, fired.get(id) ?? Infinity));
  return fired;
}

export interface MselAt {
  /** Each inject with its state at the clock. */
  injects: Inject[];
  /** Each inject's due time as far as it is known at the clock (undefined: not yet). */
  due: Map<string, number | undefined>;
  /** When the run will fire a condition inject that has not fired by the clock. */
  expected: Map<string, number>;
}

/**
 * The trainer's cancellations with what follows them: an inject "1 h after I3" never goes out once
 * I3 is cancelled (the engine drops it, models/scenario/run.ts), so it shows cancelled, from then.
 */
export function withFollowers(injects: readonly Inject[], actions: MselActions): MselActions {
  const cancelled = new Map(actions.cancelled);
  for (let grew = true; grew;) {
    grew = false;
    for (const i of injects) {
      const t = i.trigger;
      if (t.type === 'after' && cancelled.has(t.inject) && !cancelled.has(i.id) && !actions.delivered.has(i.id)) {
        cancelled.set(i.id, cancelled.get(t.inject)!);
        grew = true;
      }
    }
  }
  return { delivered: actions.delivered, cancelled };
}

export function mselAt(injects: readonly Inject[], tS: number, trainer: MselActions, run: RunDeliveries | undefined): MselAt {
  const actions = withFollowers(injects, trainer);
  const fired = allFired(injects, actions, run);
  const firedByNow = new Map([...fired].filter(([, at]) => at <= tS));
  const expected = new Map([...conditionFired(injects, run)].filter(([, at]) => at > tS));
  return {
    injects: injectStatesAt(injects, tS, { delivered: fired, cancelled: actions.cancelled }),
    due: scheduledTimes(injects, '$.injects', firedByNow),
    expected,
  };
}

/**
 * When each inject goes out by itself in this run — on time, after another, or on its condition —
 * for telling the trainer as it falls due. Injects held for the trainer, delivered by the trainer
 * or cancelled before their time are left out: nothing falls due there that the trainer did not do.
 */
export function selfDelivery(injects: readonly Inject[], trainer: MselActions, run: RunDeliveries | undefined): Map<string, number> {
  const actions = withFollowers(injects, trainer);
  const fired = allFired(injects, actions, run);
  const due = scheduledTimes(injects, '$.injects', fired);
  const out = new Map<string, number>();
  for (const inject of injects) {
    const at = due.get(inject.id);
    if (at === undefined || inject.state === 'cancelled' || actions.delivered.has(inject.id)) continue;
    if (inject.state === 'on-hold' && !fired.has(inject.id)) continue;
    const cancelledAt = actions.cancelled.get(inject.id);
    if (cancelledAt !== undefined && cancelledAt <= at) continue;
    out.set(inject.id, at);
  }
  return out;
}
