// A cancelled inject that another follows (`after`) ran into a TypeError in the engine, so
// cancelling I3 in the storm's MSEL (I5 follows it) failed every later run of the session.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import type { RegionData } from '../../models/scenario/region.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { parseScenario } from '../../models/scenario/schema.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const raw = JSON.parse(readFileSync(`${SCENARIO_DIR}storm-peak-24h.json`, 'utf8'));
const rain = (factor: number) => ({ type: 'rain', factor, areas: ['yuzhong'], duration_s: 3600 });
raw.injects.push(
  { id: 'XA', sequence: 20, trigger: { type: 'time', t_s: 3600 }, kind: 'model-change', title: 'A', action: rain(2) },
  { id: 'XB', sequence: 21, trigger: { type: 'after', inject: 'XA', delay_s: 3600 }, kind: 'model-change', title: 'B after A', action: rain(3) },
  { id: 'XC', sequence: 22, trigger: { type: 'after', inject: 'XB', delay_s: 3600 }, kind: 'information', title: 'C after B' },
);
const engine = createNodeEngine();
let region: RegionData;

beforeAll(async () => { region = await loadRegion(SCENARIO_DIR, 'region/region.json'); }, 60_000);

describe('cancelled injects and their followers', () => {
  it('an inject cancelled before it went out takes its after-chain with it; the run completes', async () => {
    const whole = await runScenario(engine, parseScenario(raw), region);
    expect(whole.delivered.filter((d) => d.id.startsWith('X')).map((d) => [d.id, d.t_s])).toEqual([['XA', 3600], ['XB', 7200], ['XC', 10800]]);
    const cancelled = { ...raw, injects: raw.injects.map((i: { id: string }) => (i.id === 'XA' ? { ...i, state: 'cancelled' } : i)) };
    const run = await runScenario(engine, parseScenario(cancelled), region);
    expect(run.delivered.map((d) => d.id).filter((id) => id.startsWith('X'))).toEqual([]);
  });
});
