// A saved grading state (the wasm regions, timer rings and the session's fed inputs) restored into
// a fresh session continues exactly as the uninterrupted session: the service's snapshots rest on it.
import { describe, expect, it } from 'vitest';
import { RisklistSession } from '../../models/risklist/session.ts';
import { randomCase } from '../../models/risklist/synthetic.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { loadKernels } from '../../models/wasm-node.ts';

const engine = createNodeEngine();
const kernels = await loadKernels();

describe('risk-list grading state saved and restored', () => {
  const c = randomCase(23, { items: 60, readings: 6000, warnings: 20, events: 30, pins: 30, timeStepS: 5, untilS: 12000 });
  const STEP = 1000;
  const inSpan = (xs: Record<string, unknown>[], t: number) => xs.filter((x) => (x.t_s as number) <= t && (x.t_s as number) > t - STEP);

  it.each([1000, 3000, 5000, 7000])('saved at %i s, restored into a new session: the changes after it are the whole grade\'s', async (cut) => {
    const whole = await engine.risklistGrade(c);
    const a = new RisklistSession({ items: c.items, hold_s: c.hold_s }, kernels);
    const fed = { warnings: [] as unknown[], events: [] as unknown[], pins: [] as unknown[] };
    for (let t = 0; t <= cut; t += STEP) {
      const step = { readings: inSpan(c.readings, t), warnings: inSpan(c.warnings, t), events: inSpan(c.events, t), pins: inSpan(c.pins, t) };
      a.advance(step, t);
      fed.warnings.push(...step.warnings); fed.events.push(...step.events); fed.pins.push(...step.pins);
    }
    const saved = a.saveState();
    a.close();
    const b = new RisklistSession({ items: c.items, hold_s: c.hold_s }, kernels);
    b.restoreState(saved, fed);
    const after = [];
    for (let t = cut + STEP; t <= c.until_s; t += STEP) {
      after.push(...b.advance({ readings: inSpan(c.readings, t), warnings: inSpan(c.warnings, t), events: inSpan(c.events, t), pins: inSpan(c.pins, t) }, t).changes);
    }
    const expected = whole.changes.filter((ch) => ch.t_s > cut);
    expect(expected.length).toBeGreaterThan(15);
    // Reasons name warnings, events and pins by id and index: restored with them.
    expect(expected.some((ch) => ch.reason.rule === 'warning') && expected.some((ch) => ch.reason.rule === 'hold')).toBe(true);
    expect(after).toEqual(expected);
    const end = b.snapshot();
    expect(end.levels).toEqual(whole.final);
    expect(end.stale).toEqual(whole.stale);
    b.close();
  });

  it('a state of another list does not load: its shape says so', () => {
    const a = new RisklistSession({ items: c.items, hold_s: c.hold_s }, kernels);
    const saved = a.saveState();
    a.close();
    const other = new RisklistSession({ items: c.items.slice(1), hold_s: c.hold_s }, kernels);
    expect(() => other.restoreState(saved, { warnings: [], events: [], pins: [] })).toThrow(/^grading state: saved for another list \(items, factors, rings, log, ring sizes 60 /);
    other.close();
  });
});
