// The streaming engine's inputs (readings, warnings, events, pins) → kernel batches, split from
// parse.ts (which re-exports all of this, so importers keep one module). Every problem is named
// by JSON path, and each list's problems are capped and summarised.
import { childPath, type Problem } from '../errors.ts';
import { checkKnownKeys, checkParams, isRecord } from '../params.ts';
import { type PackedDefs } from './list.ts';
import { emptyBatch, type InputBatch } from './packed.ts';
import { orderByKeys } from '../index-order.ts';
import {
  EVENT_KINDS, eventParams, pinParams, readingParams, WARNING_COLOURS, warningParams,
} from './spec.ts';

/** Problems listed per input list before the rest are summarised in one line. */
const MAX_PROBLEMS_PER_LIST = 20;

export function parseStringList(value: unknown, path: string, problems: Problem[], expected: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push({ path, message: 'must be an array of strings', value, expected });
    return undefined;
  }
  return value as string[];
}

/** Looks up items and their factors by id in a packed list. */
export class IdIndex {
  readonly item = new Map<string, number>();
  readonly factor: Map<string, number>[] = [];

  constructor(readonly defs: PackedDefs) {
    for (let k = 0; k < defs.ids.length; k++) this.item.set(defs.ids[k], k);
    for (let k = 0; k < defs.itemOfIndex.length; k++) {
      const start = defs.list.factorStart[k];
      const factors = new Map<string, number>();
      const defined = defs.itemOfIndex[k].factors;
      for (let j = 0; j < defined.length; j++) factors.set(defined[j].id, start + j);
      this.factor.push(factors);
    }
  }
}

/** Collects problems for one list, summarising beyond MAX_PROBLEMS_PER_LIST. */
class ListProblems {
  private count = 0;
  constructor(private readonly path: string, private readonly problems: Problem[]) {}
  add(p: Problem): void {
    if (this.count++ < MAX_PROBLEMS_PER_LIST) this.problems.push(p);
  }
  get any(): boolean { return this.count > 0; }
  finish(): void {
    if (this.count > MAX_PROBLEMS_PER_LIST) {
      this.problems.push({ path: this.path, message: `has ${this.count - MAX_PROBLEMS_PER_LIST} more problems not listed` });
    }
  }
}

function asList(value: unknown, path: string, problems: Problem[], expected: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be an array', value, expected });
    return [];
  }
  return value;
}

function itemRef(value: unknown, path: string, index: IdIndex, sink: ListProblems): number | undefined {
  const k = typeof value === 'string' ? index.item.get(value) : undefined;
  if (k === undefined) sink.add({ path, message: 'names no item', value, expected: 'the id of an item in $.items' });
  return k;
}

export interface TimeWindow {
  /** Inputs must be later than this (streaming: the clock so far); −∞ for a whole case. */
  after: number;
  /** Inputs later than this are not reached and are dropped. */
  until: number;
  /**
   * Readings in any order, sorted here by time (ties keep their input order). A whole case may be
   * a file exported per sensor, each sensor's readings together; a streaming session stays strict,
   * since a reading before its clock would rewrite what it has already answered.
   */
  anyOrder?: boolean;
}

export interface ParsedReadings { factor: Int32Array; time: Float64Array; value: Float64Array }

/** One reading as values, keyed as in the case file. */
export interface ReadingValues { t_s: number; item: string; factor: string; value: number }

/**
 * The file form's check of one list entry's shape: an object (else one problem in the list's
 * sink) with only the known keys (problems of the entry itself).
 */
type ShapeCheck = (raw: unknown, at: string, sink: ListProblems, local: Problem[]) => boolean;

function fileShape(keys: readonly string[], expected: string): ShapeCheck {
  return (raw, at, sink, local) => {
    if (!isRecord(raw)) {
      sink.add({ path: at, message: 'must be an object', value: raw, expected });
      return false;
    }
    checkKnownKeys(raw, keys, at, local);
    return true;
  };
}

export function parseReadings(value: unknown, path: string, index: IdIndex, window: TimeWindow, problems: Problem[]): ParsedReadings {
  const list = asList(value, path, problems, 'an array of { "t_s", "item", "factor", "value" }');
  return readingsFrom(list, path, index, window, problems, fileShape(['t_s', 'item', 'factor', 'value'], '{ "t_s", "item", "factor", "value" }'));
}

/** Readings from values (a coupling's): parseReadings' checks after each entry's shape, with the same paths. */
export function readingsOf(list: readonly ReadingValues[], path: string, index: IdIndex, window: TimeWindow, problems: Problem[]): ParsedReadings {
  return readingsFrom(list, path, index, window, problems, valuesShape);
}

/** Values built by code have their shape by type (one function for every call, see readingsFrom). */
const valuesShape: ShapeCheck = () => true;

function readingsFrom(list: readonly unknown[], path: string, index: IdIndex, window: TimeWindow, problems: Problem[], shape: ShapeCheck): ParsedReadings {
  const sink = new ListProblems(path, problems);
  const factor = new Int32Array(list.length);
  const time = new Float64Array(list.length);
  const values = new Float64Array(list.length);
  // The loop alone in its own function: V8 compiled the loop on-stack at every ensemble member and
  // dropped that code at the first statement after it, compiled without type feedback.
  const kept = keepReadings(list, path, index, window, shape, sink, factor, time, values);
  sink.finish();
  if (window.anyOrder) return inTimeOrder(factor, time, values, kept);
  return { factor: factor.subarray(0, kept), time: time.subarray(0, kept), value: values.subarray(0, kept) };
}

/** Checks each reading and keeps those in the window into the columns; returns how many it kept. */
function keepReadings(list: readonly unknown[], path: string, index: IdIndex, window: TimeWindow, shape: ShapeCheck, sink: ListProblems, factor: Int32Array, time: Float64Array, values: Float64Array): number {
  let kept = 0;
  let latest = -Infinity;
  let latestAt = -1;
  // Plain loops, not callbacks: a callback made at every call is compiled again at every ensemble
  // member (V8 drops optimised code with the last closure of it), and readings are many.
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    const at = childPath(path, i);
    const local: Problem[] = [];
    if (!shape(entry, at, sink, local)) continue;
    const raw = entry as ReadingValues;
    const p = checkParams(readingParams, { ...raw }, at, local);
    for (const q of local) sink.add(q);
    const item = itemRef(raw.item, childPath(at, 'item'), index, sink);
    let f: number | undefined;
    if (item !== undefined) {
      f = typeof raw.factor === 'string' ? index.factor[item].get(raw.factor) : undefined;
      if (f === undefined) {
        const known = [...index.factor[item].keys()];
        sink.add({
          path: childPath(at, 'factor'), message: `names no factor of item ${raw.item}`, value: raw.factor,
          expected: known.length ? `one of ${known.join(', ')}` : 'a factor, but the item has none',
        });
      }
    }
    if (p.t_s === undefined) continue;
    if (!window.anyOrder && p.t_s < latest) {
      sink.add({ path: childPath(at, 't_s'), message: 'is out of time order', value: p.t_s, expected: `a time ≥ ${latest}, the time of ${childPath(path, latestAt)}` });
      continue;
    }
    latest = p.t_s;
    latestAt = i;
    if (!(p.t_s > window.after)) {
      sink.add({ path: childPath(at, 't_s'), message: 'is not after the engine clock', value: p.t_s, expected: `a time > ${window.after}` });
      continue;
    }
    if (f === undefined || p.value === undefined || p.t_s > window.until) continue;
    factor[kept] = f;
    time[kept] = p.t_s;
    values[kept] = p.value;
    kept++;
  }
  return kept;
}

/** The first `kept` readings by time, ties in input order. */
function inTimeOrder(factor: Int32Array, time: Float64Array, values: Float64Array, kept: number): ParsedReadings {
  const order = orderByKeys(kept, time);
  const out = { factor: new Int32Array(kept), time: new Float64Array(kept), value: new Float64Array(kept) };
  for (let k = 0; k < kept; k++) {
    const from = order[k];
    out.factor[k] = factor[from];
    out.time[k] = time[from];
    out.value[k] = values[from];
  }
  return out;
}

export interface WarningInfo { id: string; hazard: string; level: number; t_s: number; lift_s?: number; items: Int32Array }
export interface EventInfo { id?: string; kind: string; level: number; t_s: number; item: number }
export interface PinInfo { level: number; t_s: number; expires_s?: number; item: number }

const WARNING_KEYS = ['id', 't_s', 'lift_s', 'level', 'colour', 'color', 'hazard', 'categories', 'items', 'area', 'areas', 'name'];

/** Items a warning applies to: every scope given must match; hazards filter unless items are named. */
export function warningItems(
  defs: PackedDefs, hazard: string,
  scope: { items?: string[]; categories?: string[]; areas?: string[] },
): Int32Array {
  const named = scope.items ? new Set(scope.items) : undefined;
  const out: number[] = [];
  for (let k = 0; k < defs.itemOfIndex.length; k++) {
    const item = defs.itemOfIndex[k];
    if (named && !named.has(item.id)) continue;
    if (scope.categories && !(item.category !== undefined && scope.categories.includes(item.category))) continue;
    if (scope.areas && !(item.area !== undefined && scope.areas.includes(item.area))) continue;
    if (!named && item.hazards !== undefined && !item.hazards.includes(hazard)) continue;
    out.push(k);
  }
  return Int32Array.from(out);
}

/** One warning as values, keyed as in the case file (a level or a colour; items, categories or areas). */
export interface WarningValues {
  id: string; t_s: number; lift_s?: number; level?: number; colour?: string; color?: string; hazard: string;
  items?: readonly string[]; categories?: readonly string[]; area?: string; areas?: readonly string[];
}

export function parseWarnings(value: unknown, path: string, index: IdIndex, window: TimeWindow, problems: Problem[], known = new Set<string>()): WarningInfo[] {
  const list = asList(value, path, problems, 'an array of warnings');
  return warningsFrom(list, path, index, window, problems, known, fileShape(WARNING_KEYS, 'a warning { "id", "t_s", "level", "hazard", ... }'));
}

/** Warnings from values (a coupling's): parseWarnings' checks after each entry's shape, with the same paths. */
export function warningsOf(list: readonly WarningValues[], path: string, index: IdIndex, window: TimeWindow, problems: Problem[], known = new Set<string>()): WarningInfo[] {
  return warningsFrom(list, path, index, window, problems, known, valuesShape);
}

function warningsFrom(list: readonly unknown[], path: string, index: IdIndex, window: TimeWindow, problems: Problem[], known: Set<string>, shape: ShapeCheck): WarningInfo[] {
  const sink = new ListProblems(path, problems);
  const out: WarningInfo[] = [];
  list.forEach((entry, i) => {
    const at = childPath(path, i);
    const local: Problem[] = [];
    if (!shape(entry, at, sink, local)) return;
    const raw = entry as WarningValues;
    const p = checkParams(warningParams, { ...raw }, at, local);
    const colourName = raw.colour ?? raw.color;
    let level = p.level;
    if (colourName !== undefined) {
      const fromColour = typeof colourName === 'string' ? WARNING_COLOURS[colourName] : undefined;
      if (fromColour === undefined) local.push({ path: childPath(at, raw.colour !== undefined ? 'colour' : 'color'), message: 'is not a warning colour', value: colourName, expected: 'blue, yellow, orange or red' });
      else if (level !== undefined && level !== fromColour) local.push({ path: childPath(at, 'level'), message: 'disagrees with the colour', value: level, expected: `${fromColour} for ${colourName as string}` });
      else level = fromColour;
    }
    if (raw.level === undefined && colourName === undefined) local.push({ path: childPath(at, 'level'), message: 'is required', expected: 'a level 1–4 (or "colour": blue/yellow/orange/red)' });
    if (typeof raw.id !== 'string' || raw.id.length === 0) local.push({ path: childPath(at, 'id'), message: 'must be a non-empty string', value: raw.id, expected: 'a unique warning id' });
    else if (known.has(raw.id)) local.push({ path: childPath(at, 'id'), message: 'repeats a warning id', value: raw.id, expected: 'a unique warning id' });
    if (typeof raw.hazard !== 'string' || raw.hazard.length === 0) local.push({ path: childPath(at, 'hazard'), message: 'must be a non-empty string', value: raw.hazard, expected: 'a hazard such as "rainstorm", "geohazard", "forest-fire", "flood"' });
    if (p.t_s !== undefined && p.lift_s !== undefined && !(p.lift_s > p.t_s)) local.push({ path: childPath(at, 'lift_s'), message: 'is not after t_s', value: p.lift_s, expected: `a time > ${p.t_s}` });
    const items = parseStringList(raw.items, childPath(at, 'items'), local, 'item ids');
    const categories = parseStringList(raw.categories, childPath(at, 'categories'), local, 'category ids');
    const areas = raw.area !== undefined
      ? (typeof raw.area === 'string' ? [raw.area] : (local.push({ path: childPath(at, 'area'), message: 'must be a string', value: raw.area, expected: 'an area name' }), undefined))
      : parseStringList(raw.areas, childPath(at, 'areas'), local, 'area names');
    if (items === undefined && categories === undefined && areas === undefined && raw.items === undefined && raw.categories === undefined && raw.area === undefined && raw.areas === undefined) {
      local.push({ path: at, message: 'says nothing of where it applies', expected: '"items", "categories" or "area"' });
    }
    items?.forEach((id, k) => { if (!index.item.has(id)) local.push({ path: childPath(childPath(at, 'items'), k), message: 'names no item', value: id, expected: 'the id of an item in $.items' }); });
    if (p.t_s !== undefined && !(p.t_s > window.after)) local.push({ path: childPath(at, 't_s'), message: 'is not after the engine clock', value: p.t_s, expected: `a time > ${window.after}` });
    local.forEach((q) => sink.add(q));
    if (local.length > 0 || p.t_s === undefined || level === undefined) return;
    known.add(raw.id as string);
    out.push({
      id: raw.id as string, hazard: raw.hazard as string, level, t_s: p.t_s, lift_s: p.lift_s,
      items: warningItems(index.defs, raw.hazard as string, { items, categories, areas }),
    });
  });
  sink.finish();
  return out;
}

export function parseEvents(value: unknown, path: string, index: IdIndex, window: TimeWindow, problems: Problem[]): EventInfo[] {
  const list = asList(value, path, problems, 'an array of events');
  const sink = new ListProblems(path, problems);
  const out: EventInfo[] = [];
  list.forEach((raw, i) => {
    const at = childPath(path, i);
    if (!isRecord(raw)) {
      sink.add({ path: at, message: 'must be an object', value: raw, expected: 'an event { "t_s", "item", "kind", "level" }' });
      return;
    }
    const local: Problem[] = [];
    checkKnownKeys(raw, ['id', 't_s', 'item', 'kind', 'level', 'note'], at, local);
    const p = checkParams(eventParams, raw, at, local);
    const kind = raw.kind;
    if (!(EVENT_KINDS as readonly unknown[]).includes(kind)) {
      local.push({ path: childPath(at, 'kind'), message: 'is not an event kind', value: kind, expected: EVENT_KINDS.join(', ') });
    } else if (kind === 'verified' && p.level !== undefined) {
      local.push({ path: childPath(at, 'level'), message: 'is not used by a verified event', value: p.level, expected: 'no level: verified ends the event hold' });
    } else if (kind !== 'verified' && p.level === undefined && raw.level === undefined) {
      local.push({ path: childPath(at, 'level'), message: 'is required', expected: 'a level 1–4' });
    }
    if (raw.id !== undefined && typeof raw.id !== 'string') local.push({ path: childPath(at, 'id'), message: 'must be a string', value: raw.id, expected: 'an event id' });
    if (p.t_s !== undefined && !(p.t_s > window.after)) local.push({ path: childPath(at, 't_s'), message: 'is not after the engine clock', value: p.t_s, expected: `a time > ${window.after}` });
    local.forEach((q) => sink.add(q));
    const item = itemRef(raw.item, childPath(at, 'item'), index, sink);
    if (local.length > 0 || item === undefined || p.t_s === undefined) return;
    out.push({ id: raw.id as string | undefined, kind: kind as string, level: kind === 'verified' ? 0 : p.level!, t_s: p.t_s, item });
  });
  sink.finish();
  return out;
}

export function parsePins(value: unknown, path: string, index: IdIndex, window: TimeWindow, problems: Problem[]): PinInfo[] {
  const list = asList(value, path, problems, 'an array of pins');
  const sink = new ListProblems(path, problems);
  const out: PinInfo[] = [];
  list.forEach((raw, i) => {
    const at = childPath(path, i);
    if (!isRecord(raw)) {
      sink.add({ path: at, message: 'must be an object', value: raw, expected: 'a pin { "t_s", "item", "level", "expires_s" }' });
      return;
    }
    const local: Problem[] = [];
    checkKnownKeys(raw, ['t_s', 'item', 'level', 'expires_s', 'note'], at, local);
    const p = checkParams(pinParams, raw, at, local);
    if (p.t_s !== undefined && p.expires_s !== undefined && !(p.expires_s > p.t_s)) {
      local.push({ path: childPath(at, 'expires_s'), message: 'is not after t_s', value: p.expires_s, expected: `a time > ${p.t_s}` });
    }
    if (p.t_s !== undefined && !(p.t_s > window.after)) local.push({ path: childPath(at, 't_s'), message: 'is not after the engine clock', value: p.t_s, expected: `a time > ${window.after}` });
    local.forEach((q) => sink.add(q));
    const item = itemRef(raw.item, childPath(at, 'item'), index, sink);
    if (local.length > 0 || item === undefined || p.t_s === undefined || p.level === undefined) return;
    out.push({ level: p.level, t_s: p.t_s, expires_s: p.expires_s, item });
  });
  sink.finish();
  return out;
}

/** A timed action of a warning, event or pin, before packing into a batch. */
export interface Action { t: number; phase: number; order: number; item: number; value: number; index: number }

// Module-level, not a closure per call: V8 compiled such closures again at every ensemble member.
const byTimePhaseOrderItem = (a: Action, b: Action) => a.t - b.t || a.phase - b.phase || a.order - b.order || a.item - b.item;

export function sortActions(actions: Action[]): Action[] {
  return actions.sort(byTimePhaseOrderItem);
}

/** Warning starts and lifts (lifts first at an equal time), per item it applies to. */
export function warningActions(warnings: WarningInfo[], firstIndex: number): Action[] {
  const out: Action[] = [];
  for (let k = 0; k < warnings.length; k++) {
    const w = warnings[k];
    const index = firstIndex + k;
    for (const item of w.items) {
      out.push({ t: w.t_s, phase: 1, order: index, item, value: w.level, index });
      if (w.lift_s !== undefined) out.push({ t: w.lift_s, phase: 0, order: index, item, value: -w.level, index });
    }
  }
  return out;
}

export function eventActions(events: EventInfo[], firstIndex: number): Action[] {
  return events.map((e, k) => ({ t: e.t_s, phase: 0, order: firstIndex + k, item: e.item, value: e.level, index: firstIndex + k }));
}

/** Pin starts and expiries (expiries first at an equal time). */
export function pinActions(pins: PinInfo[], firstIndex: number): Action[] {
  const out: Action[] = [];
  pins.forEach((p, k) => {
    const index = firstIndex + k;
    out.push({ t: p.t_s, phase: 1, order: index, item: p.item, value: p.level, index });
    if (p.expires_s !== undefined) out.push({ t: p.expires_s, phase: 0, order: index, item: p.item, value: 0, index });
  });
  return out;
}

/** Actions' fields as columns. */
function packActions(actions: readonly Action[]): { item: Int32Array; time: Float64Array; value: Int32Array; index: Int32Array } {
  const n = actions.length;
  const out = { item: new Int32Array(n), time: new Float64Array(n), value: new Int32Array(n), index: new Int32Array(n) };
  for (let k = 0; k < n; k++) {
    const a = actions[k];
    out.item[k] = a.item; out.time[k] = a.t; out.value[k] = a.value; out.index[k] = a.index;
  }
  return out;
}

export function buildBatch(readings: ParsedReadings, warns: Action[], events: Action[], pins: Action[]): InputBatch {
  const w = packActions(sortActions(warns));
  const e = packActions(sortActions(events));
  const p = packActions(sortActions(pins));
  return {
    ...emptyBatch(),
    readingFactor: readings.factor, readingTime: readings.time, readingValue: readings.value,
    warnItem: w.item, warnTime: w.time, warnDelta: w.value, warnIndex: w.index,
    eventItem: e.item, eventTime: e.time, eventLevel: e.value, eventIndex: e.index,
    pinItem: p.item, pinTime: p.time, pinLevel: p.value, pinIndex: p.index,
  };
}
