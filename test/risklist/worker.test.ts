// The risk-list methods through a worker_threads worker (Comlink), as the browser's worker serves
// them: the same answers as in process, sessions living in the worker, input errors intact.
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine, spawnEngineWorker } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { depthItem, readings } from './helpers.ts';

const worker = spawnEngineWorker();
afterAll(() => worker.terminate());

describe('risk list behind a worker', () => {
  const c = { until_s: 2000, hold_s: { 4: 400, 3: 300, 2: 200 }, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[10, 35], [100, 0]]) };

  it('grades as in process, and streams a session held in the worker', async () => {
    const [remote, local] = await Promise.all([worker.engine.risklistGrade(c), createNodeEngine().risklistGrade(c)]);
    expect(remote).toEqual(local);
    expect(remote.changes.map((ch) => [ch.t_s, ch.to])).toEqual([[10, 4], [500, 3], [800, 2], [1000, 1]]);
    const { session } = await worker.engine.risklistOpen({ items: c.items, hold_s: c.hold_s });
    const first = await worker.engine.risklistAdvance(session, { readings: c.readings }, 600);
    expect(first.changes.map((ch) => [ch.t_s, ch.to])).toEqual([[10, 4], [500, 3]]);
    const second = await worker.engine.risklistAdvance(session, {}, 2000);
    expect(second.changes.map((ch) => [ch.t_s, ch.to])).toEqual([[800, 2], [1000, 1]]);
    expect((await worker.engine.risklistChanges(session, 500)).map((ch) => ch.t_s)).toEqual([800, 1000]);
    await worker.engine.risklistClose(session);
  });

  it('carries an InputError across with its path', async () => {
    const error = await worker.engine.risklistGrade({ ...c, readings: [{ t_s: 1, item: 'X', factor: 'depth_cm', value: 1 }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ path: '$.readings[0].item', value: 'X' });
  });
});
