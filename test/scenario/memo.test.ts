// Rerunning after a model-change inject: only the models whose input changed run again, and the
// results are identical to a fresh run's (models are pure functions of their inputs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { createModelMemo, memoizeModels } from '../../models/scenario/memo.ts';
import { resultsHash, runOutputs } from '../../models/scenario/outputs.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario, type RunOptions } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const raw = JSON.parse(readFileSync(join(SCENARIO_DIR, 'fire-summer.json'), 'utf8'));
// The fire day with every model on, cut to 6 h so the test stays quick.
// A manual fire break 400 m downwind of the ignition, for the trainer to deliver.
const fireBreak = {
  id: 'FB', sequence: 9, trigger: { type: 'manual' }, kind: 'model-change', title: 'Fire break below the ignition', state: 'on-hold',
  action: { type: 'barrier', polyline_m: [[645600, 3273000], [645600, 3276000]] },
};
const scenario = parseScenario({ ...raw, duration_s: 21600, models: { ...raw.models, flood: {}, landslide: {} }, injects: [...raw.injects, fireBreak] });
const engine = createNodeEngine();
let region: RegionData;

beforeAll(async () => { region = await loadRegion(SCENARIO_DIR, 'region/region.json'); }, 60_000);

async function hashOf(e: typeof engine, options: RunOptions = {}) {
  return resultsHash(runOutputs(await runScenario(e, scenario, region, options), scenario, region));
}

describe('model memo for reruns', () => {
  it('a fire break reruns the fire and the risk list only, and every rerun equals a fresh run', async () => {
    const breakAt: RunOptions = { delivered: new Map([['FB', 1800]]) };
    const [fresh, freshWithBreak] = [await hashOf(engine), await hashOf(engine, breakAt)];
    expect(freshWithBreak).not.toBe(fresh);

    const memo = createModelMemo();
    const memoEngine = memoizeModels(engine, memo);
    expect(await hashOf(memoEngine)).toBe(fresh);
    const firstMisses = memo.misses;
    expect(memo.hits).toBe(0);
    expect(firstMisses).toBeGreaterThanOrEqual(3); // flood, slope cases, slope grid, fire

    expect(await hashOf(memoEngine, breakAt)).toBe(freshWithBreak);
    // The fire, and the risk list its warnings regrade (memoised since risklistGradeCase).
    expect(memo.misses - firstMisses).toBe(2);
    expect(memo.hits).toBe(firstMisses - 2);

    const misses = memo.misses;
    expect(await hashOf(memoEngine)).toBe(fresh); // back without the break: all remembered, unchanged
    expect(memo.misses).toBe(misses);
  }, 120_000);

  it('forgets the least recently used results beyond its capacity', async () => {
    const memo = createModelMemo(2);
    const e = memoizeModels(engine, memo);
    const route = (q: number) => e.floodRoute({ dt_s: 3600, steps: 2, reaches: [{ id: 'A', downstream: null, method: 'muskingum', K_s: 7200, X: 0.2 }], inflows: [{ reach: 'A', m3_per_s: [q, q, q] }] });
    await route(1); await route(2); await route(1); await route(3);
    expect(memo.entries.size).toBe(2);
    await route(2); // evicted (least recently used), so computed again
    expect([memo.hits, memo.misses]).toEqual([1, 4]);
  });
});
