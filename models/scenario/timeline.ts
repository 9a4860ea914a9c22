// A finished run seen at one scenario time: what the map, the risk-list table and the warning feed
// show when the clock stands at t. Pure functions over the run's logs, so seeking is instant.
import type { ScenarioRun, RiskChange } from './run.ts';
import type { IssuedWarning } from './warning-rules.ts';

/** Each item's level at t: its last change at or before t, else its level before the first change. */
export function levelsAt(run: Pick<ScenarioRun, 'risk'>, tS: number, items: readonly string[]): Map<string, number> {
  const firstFrom = new Map<string, number>();
  const current = new Map<string, number>();
  for (const change of run.risk.changes) {
    if (!firstFrom.has(change.item)) firstFrom.set(change.item, change.from);
    if (change.t_s <= tS) current.set(change.item, change.to);
  }
  return new Map(items.map((id) => [id, current.get(id) ?? firstFrom.get(id) ?? run.risk.final[id] ?? 1]));
}

/** The latest change of each item at or before t (the cause shown beside its level). */
export function lastChanges(run: Pick<ScenarioRun, 'risk'>, tS: number): Map<string, RiskChange> {
  const out = new Map<string, RiskChange>();
  for (const change of run.risk.changes) if (change.t_s <= tS) out.set(change.item, change);
  return out;
}

export function activeWarnings(warnings: readonly IssuedWarning[], tS: number): IssuedWarning[] {
  return warnings.filter((w) => w.t_s <= tS && (w.lift_s === undefined || tS < w.lift_s));
}

/** The highest active warning level per district at t. */
export function districtLevels(warnings: readonly IssuedWarning[], tS: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of activeWarnings(warnings, tS)) for (const area of w.areas) out.set(area, Math.max(out.get(area) ?? 0, w.level));
  return out;
}

/** How many items stand at each level at every step end: the "items per level" chart. */
export function levelCounts(run: Pick<ScenarioRun, 'risk'>, items: readonly string[], stepS: number, steps: number): Record<1 | 2 | 3 | 4, Float64Array> {
  const counts = { 1: new Float64Array(steps + 1), 2: new Float64Array(steps + 1), 3: new Float64Array(steps + 1), 4: new Float64Array(steps + 1) };
  const level = levelsAt(run, -1, items);
  const changes = [...run.risk.changes].sort((a, b) => a.t_s - b.t_s);
  let next = 0;
  for (let j = 0; j <= steps; j++) {
    const t = j * stepS;
    while (next < changes.length && changes[next].t_s <= t) { level.set(changes[next].item, changes[next].to); next++; }
    for (const l of level.values()) counts[l as 1 | 2 | 3 | 4][j]++;
  }
  return counts;
}

/** A value of a series given at the step boundaries t = 0, Δt, … at time t (the step it is in). */
export function valueAt(series: ArrayLike<number>, stepS: number, tS: number): number {
  return series[Math.max(0, Math.min(series.length - 1, Math.floor(tS / stepS)))];
}

/**
 * Residents under each warning level at every step end: each district's population counted at its
 * highest active warning (0: none). The "people exposed per level" the emergency centre reports.
 * Districts evacuated (by id → order time) drop out from the order on.
 */
export function peopleByWarningLevel(
  warnings: Parameters<typeof districtLevels>[0], peopleByDistrict: ReadonlyMap<string, number>, stepS: number, steps: number,
  evacuatedFrom: ReadonlyMap<string, number> = new Map(),
): Record<0 | 1 | 2 | 3 | 4, Float64Array> {
  const out = { 0: new Float64Array(steps), 1: new Float64Array(steps), 2: new Float64Array(steps), 3: new Float64Array(steps), 4: new Float64Array(steps) };
  for (let j = 0; j < steps; j++) {
    const t = (j + 1) * stepS;
    const levels = districtLevels(warnings, t);
    for (const [district, people] of peopleByDistrict) {
      // An evacuated district's residents have left: from the order on they are under no warning.
      if ((evacuatedFrom.get(district) ?? Infinity) <= t) continue;
      out[(levels.get(district) ?? 0) as 0 | 1 | 2 | 3 | 4][j] += people;
    }
  }
  return out;
}

/** Residents (or buildings) of each district, from a count grid and the district grid. */
export function totalByDistrict(population: ArrayLike<number>, districtIndex: ArrayLike<number>, districtIds: readonly string[]): Map<string, number> {
  const totals = new Float64Array(districtIds.length);
  for (let i = 0; i < population.length; i++) if (population[i] > 0) totals[districtIndex[i]] += population[i];
  return new Map(districtIds.map((id, k) => [id, Math.round(totals[k])]));
}
