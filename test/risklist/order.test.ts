// `risklist grade` takes readings in any order (issue 15): a file exported per sensor lists each
// sensor's readings together. The batch sorts them by time, ties in input order; the streaming
// session stays strict, since it has already answered for the time before its clock.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { RisklistSession } from '../../models/risklist/session.ts';
import { referenceGrading } from '../../models/risklist/reference.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { depthItem, gradeBoth } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

type Reading = { t_s: number; item: string; factor: string; value: number };
const storm = JSON.parse(readFileSync(new URL('../../scenarios/risklist-storm-night.json', import.meta.url), 'utf8')) as { readings: Reading[] };

describe('risklist grade: readings in any order', () => {
  it('the shipped storm night, regrouped sensor by sensor, grades exactly as in time order (before: exit 2, out of time order)', () => {
    const sensors = [...new Set(storm.readings.map((r) => `${r.item}/${r.factor}`))];
    expect(sensors.length).toBeGreaterThan(3);
    // Sensors in reverse order of first appearance, each one's readings together (still in time order within a sensor).
    const bySensor = sensors.reverse().flatMap((s) => storm.readings.filter((r) => `${r.item}/${r.factor}` === s));
    expect(bySensor).toHaveLength(storm.readings.length);
    expect(bySensor.map((r) => r.t_s)).not.toEqual(storm.readings.map((r) => r.t_s));
    const sorted = gradeBoth(kernels, storm);
    expect(sorted.changes.length).toBeGreaterThan(5);
    expect(gradeBoth(kernels, { ...storm, readings: bySensor })).toEqual(sorted);
    // Fully reversed (each sensor's series backwards too) is the same input once sorted.
    expect(gradeBoth(kernels, { ...storm, readings: [...storm.readings].reverse().sort((a, b) => a.t_s - b.t_s) })).toEqual(sorted);
  });

  it('ties keep their input order: the later-listed reading of one sensor at one time is the one that counts', () => {
    const c = (pairs: [number, number][]) => ({
      until_s: 1000, items: [depthItem('UP-01')],
      readings: pairs.map(([t_s, value]) => ({ t_s, item: 'UP-01', factor: 'depth_cm', value })),
    });
    const inOrder = gradeBoth(kernels, c([[100, 1], [200, 50], [200, 1]]));
    const shuffled = gradeBoth(kernels, c([[200, 50], [100, 1], [200, 1]]));
    expect(shuffled).toEqual(inOrder);
    const other = gradeBoth(kernels, c([[200, 1], [100, 1], [200, 50]]));
    expect(other.final).not.toEqual(inOrder.final);
  });
});

describe('risklist session: still strict', () => {
  it('readings out of time order in one advance are refused with both paths', () => {
    const s = new RisklistSession({ items: [depthItem('UP-01')] }, referenceGrading);
    try {
      s.advance({ readings: [{ t_s: 200, item: 'UP-01', factor: 'depth_cm', value: 1 }, { t_s: 100, item: 'UP-01', factor: 'depth_cm', value: 1 }] }, 300);
      throw new Error('expected an InputError');
    } catch (error) {
      expect((error as InputError).problems.map(formatProblem)).toEqual([
        'error: $.readings[1].t_s: is out of time order (got 100, expected a time ≥ 200, the time of $.readings[0])',
      ]);
    }
  });
});
