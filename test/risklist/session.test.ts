// The streaming API of the engine: feeding a case piece by piece as the clock advances gives the
// same changes as grading it whole, and inputs behind the clock are refused.
import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { RisklistSession } from '../../models/risklist/session.ts';
import { referenceGrading } from '../../models/risklist/reference.ts';
import { randomCase } from '../../models/risklist/synthetic.ts';
import { createNodeEngine } from '../../models/engine-node.ts';

// The risk list's part of the Engine: grade (the registry's contract) and the streaming sessions.
const engine = createNodeEngine();

describe('risk-list streaming sessions', () => {
  it('fed in 1000 s steps (warnings, events and pins given when they happen) = graded whole', async () => {
    const c = randomCase(11, { items: 60, readings: 6000, warnings: 20, events: 30, pins: 30, timeStepS: 5, untilS: 12000 });
    const whole = await engine.risklistGrade(c);
    const { session, items } = await engine.risklistOpen({ items: c.items, hold_s: c.hold_s });
    expect(items).toBe(60);
    const streamed = [];
    for (let t = 0; t <= c.until_s; t += 1000) {
      const inSpan = (xs: Record<string, unknown>[]) => xs.filter((x) => (x.t_s as number) <= t && (x.t_s as number) > t - 1000);
      const step = await engine.risklistAdvance(session, {
        readings: inSpan(c.readings), warnings: inSpan(c.warnings), events: inSpan(c.events), pins: inSpan(c.pins),
      }, t);
      streamed.push(...step.changes);
    }
    expect(whole.changes.length).toBeGreaterThan(50);
    expect(streamed).toEqual(whole.changes);
    expect(await engine.risklistChanges(session, -1)).toEqual(whole.changes);
    const since = whole.changes[Math.floor(whole.changes.length / 2)].t_s;
    expect(await engine.risklistChanges(session, since)).toEqual(whole.changes.filter((ch) => ch.t_s > since));
    const snapshot = await engine.risklistSnapshot(session);
    expect(snapshot.levels).toEqual(whole.final);
    expect(snapshot.stale).toEqual(whole.stale);
    await engine.risklistClose(session);
    await expect(engine.risklistSnapshot(session)).rejects.toThrow(/names no open risk-list session/);
  });

  it('an input at or before the clock is refused with its path; the session stays usable', () => {
    const s = new RisklistSession({ items: [{ id: 'A', factors: [{ id: 'f', direction: 'above', thresholds: { 2: 1 }, stale_after_s: 1e9 }] }] }, referenceGrading);
    expect(s.advance({ readings: [{ t_s: 10, item: 'A', factor: 'f', value: 5 }] }, 100).changes.map((c) => [c.t_s, c.to])).toEqual([[10, 2]]);
    try {
      s.advance({ readings: [{ t_s: 100, item: 'A', factor: 'f', value: 0 }] }, 200);
      throw new Error('expected an InputError');
    } catch (error) {
      expect((error as InputError).problems.map(formatProblem)).toEqual(['error: $.readings[0].t_s: is not after the engine clock (got 100, expected a time > 100)']);
    }
    // A pin given ahead of time waits for its instant; the hold then runs across calls.
    expect(s.advance({ pins: [{ t_s: 500, item: 'A', level: 4, expires_s: 600 }] }, 400).changes).toEqual([]);
    expect(s.advance({}, 550).changes.map((c) => [c.t_s, c.to, c.reason.rule])).toEqual([[500, 4, 'pin']]);
    expect(s.advance({}, 30000).changes.map((c) => [c.t_s, c.to])).toEqual([[600 + 21600, 3], [600 + 21600 + 7200, 2]]);
  });

  it('readings as arrays of kernel factor indices give the same changes as readings by id', () => {
    const c = randomCase(12, { items: 80, readings: 5000, warnings: 0, events: 0, pins: 0, timeStepS: 3, untilS: 8000 });
    const byId = new RisklistSession({ items: c.items, hold_s: c.hold_s }, referenceGrading);
    const byIndex = new RisklistSession({ items: c.items, hold_s: c.hold_s }, referenceGrading);
    const { ids, factor_start } = byIndex.opened();
    const items = new Map((c.items as { id: string; factors: { id: string }[] }[]).map((it) => [it.id, it]));
    const index = (item: string, factor: string) => factor_start[ids.indexOf(item)] + items.get(item)!.factors.findIndex((f) => f.id === factor);
    const rs = c.readings as { t_s: number; item: string; factor: string; value: number }[];
    for (let t = 2000; t <= 8000; t += 2000) {
      const span = rs.filter((r) => r.t_s <= t && r.t_s > t - 2000);
      const a = byId.advance({ readings: span }, t);
      const b = byIndex.advanceArrays({
        factor: Int32Array.from(span, (r) => index(r.item, r.factor)),
        t_s: Float64Array.from(span, (r) => r.t_s),
        value: Float64Array.from(span, (r) => r.value),
      }, t);
      expect(b).toEqual(a);
    }
    expect(byIndex.changesSince(-1).length).toBeGreaterThan(50);
    try {
      byIndex.advanceArrays({ factor: Int32Array.of(999999), t_s: Float64Array.of(8000), value: Float64Array.of(NaN) }, 9000);
      throw new Error('expected an InputError');
    } catch (error) {
      expect((error as InputError).problems.map(formatProblem)).toEqual([
        `error: $.factor[0]: is not a factor index (got 999999, expected an integer in [0, ${byIndex.opened().factors - 1}])`,
        'error: $.value[0]: is not finite (got NaN, expected a finite reading)',
        'error: $.t_s[0]: is out of time order or outside the span (got 8000, expected a time in (8000, 9000], not before 8000)',
      ]);
    }
  });

  it('a city-wide warning over 100 000 items is applied and lifted in a session', () => {
    const items = Array.from({ length: 100000 }, (_, k) => ({ id: `U${k}`, category: 'waterlogging', area: 'city', factors: [] }));
    const s = new RisklistSession({ items, hold_s: { 4: 100, 3: 100, 2: 100 } }, referenceGrading);
    const up = s.advance({ warnings: [{ id: 'RS', t_s: 10, lift_s: 50, colour: 'orange', hazard: 'rainstorm', area: 'city' }] }, 20);
    expect(up.changes).toHaveLength(100000);
    expect(up.changes[0]).toMatchObject({ t_s: 10, item: 'U0', from: 1, to: 3 });
    const down = s.advance({}, 1000);
    expect(down.changes).toHaveLength(200000); // 3 → 2 at 150, 2 → 1 at 250, for every item
    expect(new Set(down.changes.map((c) => c.t_s))).toEqual(new Set([150, 250]));
  });
});
