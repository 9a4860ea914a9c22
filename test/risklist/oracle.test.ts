// An independent, deliberately naive implementation of RISKLIST.md for cases on whole seconds:
// it steps the clock one second at a time over every item and recomputes everything from the
// inputs, with no timers, rings, dirty lists or lazy staleness. The kernels must produce the
// same log on random cases; a disagreement means one of the two misreads the rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_HAZARDS } from '../../models/risklist/parse.ts';
import { randomCase } from '../../models/risklist/synthetic.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { brief, gradeBoth } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

// Cases as written in JSON: the oracle reads them untyped, as a user would write them.
type Json = Record<string, any>;

interface OracleFactor { id: string; dir: number; thr: number[]; db: number; od: number; sa: number; value: number; last: number; level: number; above: (number | null)[] }

function oracle(c: Json): (string | number)[][] {
  const holds = { 2: 1800, 3: 7200, 4: 21600, ...(c.hold_s ?? {}) };
  const items = (c.items as Json[]).map((it) => ({
    id: it.id as string, category: it.category as string | undefined, area: it.area as string | undefined,
    hazards: (it.hazards ?? (it.category !== undefined ? CATEGORY_HAZARDS.get(it.category) : undefined)) as readonly string[] | undefined,
    base: (it.base_level ?? 1) as number,
    hold: { ...holds, ...(it.hold_s ?? {}) } as Record<number, number>,
    factors: (it.factors as Json[]).map((f): OracleFactor => ({
      id: f.id, dir: f.direction === 'below' ? -1 : 1,
      thr: [1, 2, 3, 4].map((l) => (f.thresholds[String(l)] ?? NaN) as number),
      db: f.deadband ?? 0, od: f.on_delay_s ?? 0, sa: f.stale_after_s, value: NaN, last: 0, level: 1, above: [null, null, null, null, null],
    })),
    level: (it.base_level ?? 1) as number,
    countFrom: null as number | null,
    eventLevel: 0, eventCause: -1,
  }));
  const byId = new Map(items.map((it) => [it.id, it]));
  const warnings = (c.warnings ?? []) as Json[];
  const applies = (w: Json, it: (typeof items)[number]) => {
    if (w.items && !w.items.includes(it.id)) return false;
    if (w.categories && !w.categories.includes(it.category)) return false;
    if (w.area !== undefined && w.area !== it.area) return false;
    if (!w.items && it.hazards !== undefined && !it.hazards.includes(w.hazard)) return false;
    return true;
  };
  const events = [...((c.events ?? []) as Json[])].map((e, k): Json => ({ ...e, k })).sort((a, b) => a.t_s - b.t_s || a.k - b.k);
  const pins = ((c.pins ?? []) as Json[]).map((p, k): Json => ({ ...p, k }));
  const readings = c.readings as Json[];
  const out: (string | number)[][] = [];
  let r = 0;
  let e = 0;
  const sensed = (f: OracleFactor, v: number) => {
    const x = v * f.dir;
    for (let l = 4; l >= 2; l--) {
      const t = f.thr[l - 1] * f.dir;
      if (x >= t || (l <= f.level && x >= t - f.db)) return l;
    }
    return 1;
  };
  for (let t = 0; t <= c.until_s; t++) {
    const gapEnded = new Set<string>();
    for (; r < readings.length && readings[r].t_s === t; r++) {
      const it = byId.get(readings[r].item)!;
      const f = it.factors.find((x) => x.id === readings[r].factor)!;
      if (t - f.last > f.sa) gapEnded.add(it.id);
      f.last = t;
      f.value = readings[r].value;
      f.level = sensed(f, f.value);
      for (let l = 2; l <= 4; l++) {
        if (f.level >= l) f.above[l] ??= t;
        else f.above[l] = null;
      }
    }
    for (; e < events.length && events[e].t_s === t; e++) {
      const it = byId.get(events[e].item)!;
      if (events[e].kind === 'verified') it.eventLevel = 0;
      else if (events[e].level > it.eventLevel) { it.eventLevel = events[e].level; it.eventCause = events[e].k; }
    }
    for (const it of items) {
      let raw = it.base;
      let up = it.base;
      let reason: (string | number)[] = [];
      it.factors.forEach((f) => {
        raw = Math.max(raw, f.level);
        let delayed = 1;
        for (let l = 4; l >= 2; l--) if (f.above[l] !== null && f.above[l]! + f.od <= t) { delayed = l; break; }
        if (delayed > up) { up = delayed; reason = ['sensor', `${f.id}=${f.value}≥${f.thr[delayed - 1]}`]; }
      });
      const active = warnings.map((w, k) => ({ w, k })).filter(({ w }) => w.t_s <= t && (w.lift_s === undefined || t < w.lift_s) && applies(w, it));
      const warnLevel = Math.max(0, ...active.map(({ w }) => w.level));
      raw = Math.max(raw, warnLevel);
      if (warnLevel > up) {
        up = warnLevel;
        const top = active.filter(({ w }) => w.level === warnLevel);
        reason = ['warning', (top.find(({ w }) => w.t_s === t) ?? top[0]).w.id];
      }
      raw = Math.max(raw, it.eventLevel);
      if (it.eventLevel > up) { up = it.eventLevel; reason = ['event', events.find((x) => x.k === it.eventCause)!.kind]; }
      const started = pins.filter((p) => p.item === it.id && p.t_s <= t).sort((a, b) => a.t_s - b.t_s || a.k - b.k);
      const pin = started[started.length - 1];
      const pinLevel = pin && (pin.expires_s === undefined || t < pin.expires_s) ? pin.level : 0;
      raw = Math.max(raw, pinLevel);
      if (pinLevel > up) { up = pinLevel; reason = ['pin', 'pin']; }

      if (up > it.level) {
        out.push([t, it.id, it.level, up, ...reason]);
        it.level = up;
        it.countFrom = null;
        continue;
      }
      const stale = it.factors.some((f) => t - f.last > f.sa);
      if (raw >= it.level || stale) { it.countFrom = null; continue; }
      if (gapEnded.has(it.id) || it.countFrom === null) { it.countFrom = t; continue; }
      if (t - it.countFrom >= it.hold[it.level]) {
        out.push([t, it.id, it.level, it.level - 1, 'hold', `hold ${it.hold[it.level]}`]);
        it.level -= 1;
        it.countFrom = raw < it.level ? t : null;
      }
    }
  }
  return out.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

describe('kernels = a naive second-by-second reading of RISKLIST.md', () => {
  const cases = [
    { seed: 21, items: 40, readings: 8000, warnings: 15, events: 30, pins: 30, timeStepS: 1, untilS: 8000 },
    { seed: 22, items: 30, readings: 5000, warnings: 20, events: 30, pins: 30, timeStepS: 7, untilS: 9000 },
    { seed: 23, items: 20, readings: 6000, warnings: 30, events: 40, pins: 40, timeStepS: 3, untilS: 12000 },
  ];
  for (const { seed, ...options } of cases) {
    it(`seed ${seed}: ${options.items} items, ${options.readings} readings on whole seconds`, () => {
      const c = randomCase(seed, options);
      const expected = oracle(c);
      const got = brief(gradeBoth(kernels, c));
      expect(expected.length).toBeGreaterThan(80);
      expect(new Set(expected.map((x) => x[4]))).toEqual(new Set(['sensor', 'warning', 'event', 'pin', 'hold']));
      expect(got).toEqual(expected);
    });
  }
});
