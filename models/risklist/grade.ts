// `risklist grade`: the contract's case → packed list and one sorted batch → kernel → the
// contract's output (changes sorted by time then item id, final levels, stale factors).
import type { Problem } from '../errors.ts';
import { checkKnownKeys, checkParams, requireRecord, throwIfAny } from '../params.ts';
import { packItems, type ItemDef, type PackedDefs } from './list.ts';
import { ChangeLog, RULE_EVENT, RULE_HOLD, RULE_NAMES, RULE_PIN, RULE_SENSOR, RULE_WARNING, staleFactors, type GradingState, type InputBatch } from './packed.ts';
import {
  buildBatch, eventActions, IdIndex, parseEvents, parseItems, parsePins, parseReadings, parseSettings, parseWarnings,
  pinActions, SETTING_KEYS, warningActions, type EventInfo, type ParsedReadings, type PinInfo, type TimeWindow, type WarningInfo,
} from './parse.ts';
import { caseParams } from './spec.ts';
import { orderByKeys } from '../index-order.ts';

export interface GradeCase {
  untilS: number;
  defs: PackedDefs;
  batch: InputBatch;
  warnings: WarningInfo[];
  events: EventInfo[];
  pins: PinInfo[];
}

export type Reason =
  | { rule: 'sensor'; factor: string; value: number; threshold: number }
  | { rule: 'warning'; id: string; hazard: string }
  | { rule: 'event'; kind: string; id?: string }
  | { rule: 'pin'; expires_s?: number }
  | { rule: 'hold'; hold_s: number; since_s: number };

export interface ChangeOut { t_s: number; item: string; from: number; to: number; reason: Reason }
export interface StaleOut { item: string; factor: string; since_s: number }
export interface StaleSpellOut { item: string; factor: string; since_s: number; fresh_s?: number }
export interface GradeOutput { changes: ChangeOut[]; final: Record<string, number>; stale: StaleOut[]; stale_spells: StaleSpellOut[] }

const CASE_KEYS = ['until_s', 'items', 'readings', 'warnings', 'events', 'pins', 'name', 'description', ...SETTING_KEYS];

export function parseGradeCase(input: unknown): GradeCase {
  const root = requireRecord(input, '$');
  const problems: Problem[] = [];
  checkKnownKeys(root, CASE_KEYS, '$', problems);
  const { until_s: untilS } = checkParams({ until_s: caseParams.until_s }, root, '$', problems);
  const settings = parseSettings(root, problems);
  const items = parseItems(root.items, '$.items', settings, problems);
  throwIfAny(problems);
  return gradeCaseOf({
    untilS, items,
    inputs: (index, window, found) => ({
      readings: parseReadings(root.readings, '$.readings', index, window, found),
      warnings: parseWarnings(root.warnings, '$.warnings', index, window, found),
      events: parseEvents(root.events, '$.events', index, window, found),
      pins: parsePins(root.pins, '$.pins', index, window, found),
    }),
  });
}

/** A grade case's checked items, and its timed inputs read once the items are packed (their ids are looked up there). */
export interface GradeValues {
  untilS: number;
  items: ItemDef[];
  /** Readings, warnings, events, pins in that order: from the file (parseGradeCase) or a coupling's values (./grade-typed.ts). */
  inputs(index: IdIndex, window: TimeWindow, problems: Problem[]): { readings: ParsedReadings; warnings: WarningInfo[]; events: EventInfo[]; pins: PinInfo[] };
}

/** What both forms do once the items are checked: pack them, read the timed inputs against them, build the batch. */
export function gradeCaseOf(values: GradeValues): GradeCase {
  const { untilS } = values;
  const problems: Problem[] = [];
  const defs = packItems(values.items);
  const index = new IdIndex(defs);
  const window = { after: -Infinity, until: untilS, anyOrder: true };
  const { readings, warnings, events, pins } = values.inputs(index, window, problems);
  throwIfAny(problems);
  const batch = buildBatch(readings, warningActions(warnings, 0), eventActions(events, 0), pinActions(pins, 0));
  return { untilS, defs, batch, warnings, events, pins };
}

/** Order of log entries by time, then item index (= item id order); stable otherwise. */
export function sortedOrder(log: ChangeLog): Int32Array {
  return orderByKeys(log.length, log.t, log.item);
}

export interface Describe {
  defs: PackedDefs;
  warning(index: number): { id: string; hazard: string };
  event(index: number): { kind: string; id?: string };
  pin(index: number): { expires_s?: number };
}

export function factorName(defs: PackedDefs, factor: number): string {
  const item = defs.list.factorItem[factor];
  return defs.itemOfIndex[item].factors[factor - defs.list.factorStart[item]].id;
}

export function describeChange(log: ChangeLog, k: number, d: Describe): ChangeOut {
  const rule = log.rule[k];
  const cause = log.cause[k];
  let reason: Reason;
  switch (rule) {
    case RULE_SENSOR:
      reason = { rule: 'sensor', factor: factorName(d.defs, cause), value: log.value[k], threshold: log.threshold[k] };
      break;
    case RULE_WARNING:
      reason = { rule: 'warning', ...d.warning(cause) };
      break;
    case RULE_EVENT: {
      const e = d.event(cause);
      reason = e.id !== undefined ? { rule: 'event', kind: e.kind, id: e.id } : { rule: 'event', kind: e.kind };
      break;
    }
    case RULE_PIN: {
      const p = d.pin(cause);
      reason = p.expires_s !== undefined ? { rule: 'pin', expires_s: p.expires_s } : { rule: 'pin' };
      break;
    }
    case RULE_HOLD:
      reason = { rule: 'hold', hold_s: log.value[k], since_s: log.t[k] - log.value[k] };
      break;
    default:
      throw new Error(`kernel wrote an unknown rule ${rule} (${RULE_NAMES[rule] ?? '?'})`);
  }
  return { t_s: log.t[k], item: d.defs.ids[log.item[k]], from: log.from[k], to: log.to[k], reason };
}

export function runGrade(c: GradeCase, state: GradingState): { log: ChangeLog; levels: Int32Array; lastTimes: Float64Array } {
  const log = new ChangeLog();
  state.advance(c.batch, c.untilS, log);
  return { log, levels: state.levels(), lastTimes: state.lastReadingTimes() };
}

/** A whole case's causes (a class, not closures per call: an ensemble grades once per member, see index-order.ts). */
class CaseDescribe implements Describe {
  readonly defs: PackedDefs;
  constructor(private readonly c: GradeCase) { this.defs = c.defs; }
  warning(k: number) { return { id: this.c.warnings[k].id, hazard: this.c.warnings[k].hazard }; }
  event(k: number) { return { kind: this.c.events[k].kind, id: this.c.events[k].id }; }
  pin(k: number) { return { expires_s: this.c.pins[k].expires_s }; }
}

export function formatGradeOutput(c: GradeCase, run: { log: ChangeLog; levels: Int32Array; lastTimes: Float64Array }): GradeOutput {
  const d = new CaseDescribe(c);
  const order = sortedOrder(run.log);
  const changes: ChangeOut[] = [];
  for (let j = 0; j < order.length; j++) changes.push(describeChange(run.log, order[j], d));
  const final: Record<string, number> = {};
  for (let k = 0; k < c.defs.ids.length; k++) final[c.defs.ids[k]] = run.levels[k];
  const stale: StaleOut[] = [];
  for (const { factor, since } of staleFactors(c.defs.list, run.lastTimes, c.untilS)) {
    stale.push({ item: c.defs.ids[c.defs.list.factorItem[factor]], factor: factorName(c.defs, factor), since_s: since });
  }
  return { changes, final, stale, stale_spells: staleSpells(c) };
}

/**
 * Every stale spell of the run (extension to the contract's `stale`): from last reading +
 * stale_after_s to the reading that ended it (`fresh_s`), or open at until_s. The clock starts at
 * 0 as if every factor had just been read. Sorted by since_s, then item id, then factor order.
 */
export function staleSpells(c: GradeCase): StaleSpellOut[] {
  const { list } = c.defs;
  const last = new Float64Array(list.factors);
  // Spells as columns (fresh NaN: still open at until_s): records of two shapes made the loops
  // polymorphic, and their code was dropped and compiled again at every ensemble member.
  const factors: number[] = []; const since: number[] = []; const fresh: number[] = [];
  const b = c.batch;
  for (let k = 0; k < b.readingTime.length; k++) {
    const f = b.readingFactor[k];
    const t = b.readingTime[k];
    if (t - last[f] > list.staleAfter[f]) { factors.push(f); since.push(last[f] + list.staleAfter[f]); fresh.push(t); }
    last[f] = t;
  }
  for (let f = 0; f < list.factors; f++) {
    if (last[f] + list.staleAfter[f] < c.untilS) { factors.push(f); since.push(last[f] + list.staleAfter[f]); fresh.push(NaN); }
  }
  // By since, then factor: factors are numbered in item order (packItems), so factor order is
  // item order, then the factor's place in its item.
  const order = orderByKeys(factors.length, since, factors);
  const out: StaleSpellOut[] = [];
  for (let j = 0; j < order.length; j++) {
    const k = order[j];
    const spell: StaleSpellOut = { item: c.defs.ids[list.factorItem[factors[k]]], factor: factorName(c.defs, factors[k]), since_s: since[k] };
    if (!Number.isNaN(fresh[k])) spell.fresh_s = fresh[k];
    out.push(spell);
  }
  return out;
}
