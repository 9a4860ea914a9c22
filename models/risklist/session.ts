// The streaming face of the risk list for the engine: open a list once (ids mapped to indices
// once), then feed readings, warnings, events and pins as the scenario clock advances and ask for
// the changes since a time. The list stays resident in wasm memory between calls.
import type { Problem } from '../errors.ts';
import { checkKnownKeys, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { Arena, type Kernels } from '../wasm.ts';
import { describeChange, factorName, sortedOrder, type ChangeOut, type Describe, type StaleOut } from './grade.ts';
import { WasmGrading } from './kernel.ts';
import { packItems, type PackedDefs } from './list.ts';
import { ChangeLog, staleFactors, type GradingState, type PackedList } from './packed.ts';
import {
  buildBatch, eventActions, IdIndex, parseEvents, parseItems, parsePins, parseReadings, parseSettings, parseWarnings,
  pinActions, SETTING_KEYS, warningActions, type Action, type EventInfo, type PinInfo, type WarningInfo,
} from './parse.ts';

/**
 * `ids`: item ids in kernel order. The kernel index of factor j (in the item's `factors` order) of
 * the item ids[k] is factor_start[k] + j: what `advanceArrays` takes instead of ids.
 */
export interface RisklistOpened { items: number; factors: number; ids: string[]; factor_start: Int32Array }
/** Readings as parallel arrays (kernel factor indices), for feeds too fast for one object per reading. */
export interface RisklistReadingArrays { factor: Int32Array; t_s: Float64Array; value: Float64Array }
export interface RisklistFeed { readings?: unknown; warnings?: unknown; events?: unknown; pins?: unknown }
export interface RisklistAdvanced { now_s: number; changes: ChangeOut[] }
export interface RisklistSnapshot { now_s: number; levels: Record<string, number>; stale: StaleOut[] }

export class RisklistSession {
  readonly defs: PackedDefs;
  private readonly index: IdIndex;
  private readonly state: GradingState;
  /** Every change so far, sorted; instants already passed never gain changes, so appending keeps the order. */
  private readonly ordered: ChangeOut[] = [];
  private readonly warnings: WarningInfo[] = [];
  private readonly warningIds = new Set<string>();
  private readonly events: EventInfo[] = [];
  private readonly pins: PinInfo[] = [];
  /** Warning lifts, pin expiries and any input given ahead of the clock, not yet applied. */
  private readonly pending: { warn: Action[]; event: Action[]; pin: Action[] } = { warn: [], event: [], pin: [] };
  private now = -Infinity;
  private readonly describe: Describe;

  /**
   * `grading`: the wasm kernels, or a grading state of the caller's (tests pass the plain-TS twin,
   * `referenceGrading` in ./reference.ts, which production never imports).
   */
  constructor(config: unknown, grading: Kernels | ((list: PackedList) => GradingState)) {
    const root = requireRecord(config, '$');
    const problems: Problem[] = [];
    checkKnownKeys(root, ['items', 'name', ...SETTING_KEYS], '$', problems);
    const settings = parseSettings(root, problems);
    const items = parseItems(root.items, '$.items', settings, problems);
    throwIfAny(problems);
    this.defs = packItems(items);
    this.index = new IdIndex(this.defs);
    this.state = typeof grading === 'function' ? grading(this.defs.list) : new WasmGrading(grading, new Arena(grading.exports), this.defs.list);
    this.describe = {
      defs: this.defs,
      warning: (k) => ({ id: this.warnings[k].id, hazard: this.warnings[k].hazard }),
      event: (k) => ({ kind: this.events[k].kind, id: this.events[k].id }),
      pin: (k) => ({ expires_s: this.pins[k].expires_s }),
    };
  }

  opened(): RisklistOpened {
    return { items: this.defs.list.items, factors: this.defs.list.factors, ids: this.defs.ids, factor_start: this.defs.list.factorStart.slice() };
  }

  /**
   * Applies the inputs (all later than the clock so far; readings in time order) and advances the
   * clock to `untilS`, returning the changes of (previous clock, untilS]. Inputs later than
   * `untilS` wait for a later call.
   */
  advance(feed: unknown, untilS: number): RisklistAdvanced {
    const problems: Problem[] = [];
    if (typeof untilS !== 'number' || !Number.isFinite(untilS) || !(untilS >= this.now) || untilS < 0) {
      problems.push({ path: 'until_s', message: 'does not move the clock forward', value: untilS, expected: `a time ≥ ${Math.max(0, this.now)}` });
      throwIfAny(problems);
    }
    const root = feed === undefined ? {} : requireRecord(feed, '$');
    checkKnownKeys(root, ['readings', 'warnings', 'events', 'pins'], '$', problems);
    const window = { after: this.now, until: untilS };
    const readings = parseReadings(root.readings, '$.readings', this.index, window, problems);
    const lateReadings = Array.isArray(root.readings) && root.readings.some((r) => isRecord(r) && typeof r.t_s === 'number' && r.t_s > untilS);
    if (lateReadings) problems.push({ path: '$.readings', message: 'has readings after until_s', expected: `readings up to ${untilS}; feed later ones with a later until_s` });
    const open = { after: this.now, until: Infinity };
    const warnings = parseWarnings(root.warnings, '$.warnings', this.index, open, problems, new Set(this.warningIds));
    const events = parseEvents(root.events, '$.events', this.index, open, problems);
    const pins = parsePins(root.pins, '$.pins', this.index, open, problems);
    throwIfAny(problems);

    for (const a of warningActions(warnings, this.warnings.length)) this.pending.warn.push(a);
    for (const a of eventActions(events, this.events.length)) this.pending.event.push(a);
    for (const a of pinActions(pins, this.pins.length)) this.pending.pin.push(a);
    for (const w of warnings) { this.warnings.push(w); this.warningIds.add(w.id); }
    for (const e of events) this.events.push(e);
    for (const p of pins) this.pins.push(p);
    const w = this.takeDue(this.pending.warn, untilS), e = this.takeDue(this.pending.event, untilS), p = this.takeDue(this.pending.pin, untilS);
    const fresh = new ChangeLog();
    this.state.advance(buildBatch(readings, w, e, p), untilS, fresh);
    this.now = untilS;
    const changes = Array.from(sortedOrder(fresh), (k) => describeChange(fresh, k, this.describe));
    for (const c of changes) this.ordered.push(c);
    return { now_s: untilS, changes };
  }

  /**
   * `advance` for readings given as arrays of kernel factor indices: checked in one pass (index in
   * range, finite value, time after the clock, in order, not after untilS) and fed to the kernel as
   * they are. Pending warning lifts and pin expiries due by untilS apply as in `advance`.
   */
  advanceArrays(readings: RisklistReadingArrays, untilS: number): RisklistAdvanced {
    const { factor, t_s: time, value } = readings;
    const problems: Problem[] = [];
    if (!(factor instanceof Int32Array) || !(time instanceof Float64Array) || !(value instanceof Float64Array)
      || factor.length !== time.length || value.length !== time.length) {
      problems.push({ path: '$', message: 'must be three arrays of one length', expected: '{ factor: Int32Array, t_s: Float64Array, value: Float64Array }' });
      throwIfAny(problems);
    }
    if (typeof untilS !== 'number' || !Number.isFinite(untilS) || !(untilS >= this.now) || untilS < 0) {
      problems.push({ path: 'until_s', message: 'does not move the clock forward', value: untilS, expected: `a time ≥ ${Math.max(0, this.now)}` });
      throwIfAny(problems);
    }
    const factors = this.defs.list.factors;
    let previous = this.now;
    for (let k = 0; k < time.length && problems.length < 20; k++) {
      const f = factor[k];
      const t = time[k];
      if (!(f >= 0 && f < factors)) problems.push({ path: `$.factor[${k}]`, message: 'is not a factor index', value: f, expected: `an integer in [0, ${factors - 1}]` });
      if (!Number.isFinite(value[k])) problems.push({ path: `$.value[${k}]`, message: 'is not finite', value: value[k], expected: 'a finite reading' });
      if (!(t > this.now) || !(t <= untilS) || t < previous) {
        problems.push({ path: `$.t_s[${k}]`, message: 'is out of time order or outside the span', value: t, expected: `a time in (${this.now}, ${untilS}], not before ${previous}` });
      }
      if (t > previous) previous = t;
    }
    throwIfAny(problems);
    const w = this.takeDue(this.pending.warn, untilS), e = this.takeDue(this.pending.event, untilS), p = this.takeDue(this.pending.pin, untilS);
    const fresh = new ChangeLog();
    this.state.advance(buildBatch({ factor, time, value }, w, e, p), untilS, fresh);
    this.now = untilS;
    const changes = Array.from(sortedOrder(fresh), (k) => describeChange(fresh, k, this.describe));
    for (const c of changes) this.ordered.push(c);
    return { now_s: untilS, changes };
  }

  private takeDue(actions: Action[], untilS: number): Action[] {
    const now: Action[] = [];
    const later: Action[] = [];
    for (const a of actions) (a.t <= untilS ? now : later).push(a);
    // No spread: a city-wide warning is a million actions, past the engine's argument limit.
    actions.length = 0;
    for (const a of later) actions.push(a);
    return now;
  }

  /** Changes with t_s > sinceS, in log order (time, then item id). */
  changesSince(sinceS: number): ChangeOut[] {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ordered[mid].t_s > sinceS) hi = mid; else lo = mid + 1;
    }
    return this.ordered.slice(lo);
  }

  snapshot(): RisklistSnapshot {
    const levels: Record<string, number> = {};
    const current = this.state.levels();
    this.defs.ids.forEach((id, k) => { levels[id] = current[k]; });
    const now = Math.max(0, this.now);
    const stale = staleFactors(this.defs.list, this.state.lastReadingTimes(), now).map(({ factor, since }) => ({
      item: this.defs.ids[this.defs.list.factorItem[factor]], factor: factorName(this.defs, factor), since_s: since,
    }));
    return { now_s: now, levels, stale };
  }

  /** The grading state at the clock, for a snapshot (`restoreState` takes it back); `tail` and `into` as in WasmGrading.saveState. */
  saveState(tail?: ArrayBufferView[], into?: Uint8Array): { now_s: number; state: Uint8Array } {
    if (!this.state.saveState) throw new Error('this grading cannot save its state');
    return { now_s: this.now, state: this.state.saveState(tail, into) };
  }

  /**
   * Continues, in this fresh session, one whose state `saveState` gave: `fed` holds the warnings,
   * events and pins that session was fed, each list in feeding order (their ids, indices and
   * reasons come back as they were; their starts, lifts and expiries after now_s wait again).
   * `changesSince` then knows only the changes after now_s.
   */
  restoreState(saved: { now_s: number; state: Uint8Array }, fed: { warnings: unknown[]; events: unknown[]; pins: unknown[] }): void {
    if (this.now !== -Infinity || this.warnings.length + this.events.length + this.pins.length > 0) throw new Error('a state is restored only into a fresh session');
    if (!this.state.loadState) throw new Error('this grading cannot load a state');
    const problems: Problem[] = [];
    const open = { after: -Infinity, until: Infinity };
    const warnings = parseWarnings(fed.warnings, '$.warnings', this.index, open, problems, new Set());
    const events = parseEvents(fed.events, '$.events', this.index, open, problems);
    const pins = parsePins(fed.pins, '$.pins', this.index, open, problems);
    throwIfAny(problems);
    this.state.loadState(saved.state);
    for (const w of warnings) { this.warnings.push(w); this.warningIds.add(w.id); }
    for (const e of events) this.events.push(e);
    for (const p of pins) this.pins.push(p);
    // No spread: a city-wide warning is a million actions.
    const wait = (into: Action[], actions: Action[]) => { for (const a of actions) if (a.t > saved.now_s) into.push(a); };
    wait(this.pending.warn, warningActions(warnings, 0));
    wait(this.pending.event, eventActions(events, 0));
    wait(this.pending.pin, pinActions(pins, 0));
    this.now = saved.now_s;
  }

  close(): void {
    this.state.release();
  }
}
