// The streaming face of the risk list for the engine: open a list once (ids mapped to indices
// once), then feed readings, warnings, events and pins as the scenario clock advances and ask for
// the changes since a time. The list stays resident in wasm memory between calls.
import type { Problem } from '../errors.ts';
import { checkKnownKeys, isRecord, requireRecord, throwIfAny } from '../params.ts';
import { Arena, type Kernels } from '../wasm.ts';
import { describeChange, factorName, sortedOrder, type ChangeOut, type Describe, type StaleOut } from './grade.ts';
import { WasmGrading } from './kernel.ts';
import { packItems, type PackedDefs } from './list.ts';
import { ChangeLog, staleFactors, type GradingState } from './packed.ts';
import {
  buildBatch, eventActions, IdIndex, parseEvents, parseItems, parsePins, parseReadings, parseSettings, parseWarnings,
  pinActions, SETTING_KEYS, warningActions, type Action, type EventInfo, type PinInfo, type WarningInfo,
} from './parse.ts';
import { ReferenceGrading } from './reference.ts';

export interface RisklistOpened { items: number; factors: number; ids: string[] }
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
  private pending: { warn: Action[]; event: Action[]; pin: Action[] } = { warn: [], event: [], pin: [] };
  private now = -Infinity;
  private readonly describe: Describe;

  /** `kernels` undefined runs the plain-TS reference instead of wasm (tests, no-wasm hosts). */
  constructor(config: unknown, kernels?: Kernels) {
    const root = requireRecord(config, '$');
    const problems: Problem[] = [];
    checkKnownKeys(root, ['items', 'name', ...SETTING_KEYS], '$', problems);
    const settings = parseSettings(root, problems);
    const items = parseItems(root.items, '$.items', settings, problems);
    throwIfAny(problems);
    this.defs = packItems(items);
    this.index = new IdIndex(this.defs);
    this.state = kernels ? new WasmGrading(kernels, new Arena(kernels.exports), this.defs.list) : new ReferenceGrading(this.defs.list);
    this.describe = {
      defs: this.defs,
      warning: (k) => ({ id: this.warnings[k].id, hazard: this.warnings[k].hazard }),
      event: (k) => ({ kind: this.events[k].kind, id: this.events[k].id }),
      pin: (k) => ({ expires_s: this.pins[k].expires_s }),
    };
  }

  opened(): RisklistOpened {
    return { items: this.defs.list.items, factors: this.defs.list.factors, ids: this.defs.ids };
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

    this.pending.warn.push(...warningActions(warnings, this.warnings.length));
    this.pending.event.push(...eventActions(events, this.events.length));
    this.pending.pin.push(...pinActions(pins, this.pins.length));
    for (const w of warnings) { this.warnings.push(w); this.warningIds.add(w.id); }
    this.events.push(...events);
    this.pins.push(...pins);
    const due = (actions: Action[]) => {
      const now: Action[] = [];
      const later: Action[] = [];
      for (const a of actions) (a.t <= untilS ? now : later).push(a);
      return { now, later };
    };
    const w = due(this.pending.warn), e = due(this.pending.event), p = due(this.pending.pin);
    this.pending = { warn: w.later, event: e.later, pin: p.later };

    const fresh = new ChangeLog();
    this.state.advance(buildBatch(readings, w.now, e.now, p.now), untilS, fresh);
    this.now = untilS;
    const changes = Array.from(sortedOrder(fresh), (k) => describeChange(fresh, k, this.describe));
    this.ordered.push(...changes);
    return { now_s: untilS, changes };
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

  close(): void {
    this.state.release();
  }
}
