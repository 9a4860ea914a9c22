// The same engine API in-process and behind a worker_threads worker (Comlink).
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine, spawnEngineWorker } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { floodReference, singleReachCase } from '../flood/fixtures.ts';

const worker = spawnEngineWorker();
afterAll(() => worker.terminate());

describe('engine in a Node worker', () => {
  it('answers its first call at once, before the wasm has loaded', async () => {
    const info = await worker.engine.info();
    expect(info.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('routes Chow 8.4.1 exactly as the in-process engine does', async () => {
    const input = singleReachCase(floodReference.muskingum[0]);
    const [remote, local] = await Promise.all([worker.engine.floodRoute(input), createNodeEngine().floodRoute(input)]);
    expect(remote).toEqual(local);
  });

  it('carries an InputError across with its problems', async () => {
    const bad = singleReachCase(floodReference.muskingum[0]);
    bad.reaches[0].X = 0.7;
    const error = await worker.engine.floodRoute(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ path: '$.reaches[0].X', value: 0.7 });
  });
});
