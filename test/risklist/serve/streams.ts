// The input streams of the equivalence checks: a seeded random case (models/risklist/synthetic.ts)
// reduced to one reading per (item, factor, time) — the dedup key of the service — in the order
// `risklist grade` is given them; and the arrival orders a network produces from it.
import { randomCase } from '../../../models/risklist/synthetic.ts';
import { createNodeEngine } from '../../../models/engine-node.ts';
import { chunks, shuffled, type Client, DEVICE_ALL } from './harness.ts';

export type Reading = { t_s: number; item: string; factor: string; value: number };

// The batch CLI's grading (`risklist grade`), through the engine's registry contract.
const engine = createNodeEngine();

/** A case whose readings are unique per key and sorted by time, item id, factor position. */
export function equivalenceCase(seed: number, size = { items: 40, readings: 3000 }) {
  const c = randomCase(seed, { ...size, warnings: 8, events: 10, pins: 10, timeStepS: 5, untilS: 6000 });
  const position = new Map<string, number>();
  for (const item of c.items) (item.factors as { id: string }[]).forEach((f, k) => position.set(`${item.id as string}/${f.id}`, k));
  const seen = new Set<string>();
  const readings = (c.readings as Reading[]).filter((r) => {
    const key = `${r.item}/${r.factor}/${r.t_s}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort((a, b) => a.t_s - b.t_s || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0) || position.get(`${a.item}/${a.factor}`)! - position.get(`${b.item}/${b.factor}`)!);
  return { ...c, readings };
}

export async function gradeSorted(c: ReturnType<typeof equivalenceCase>) {
  return engine.risklistGrade(c);
}

/** `readings` in a shuffled order with a fifth of them sent twice, in batches. */
export function arrivals(readings: readonly Reading[], seed: number, batch = 200): Reading[][] {
  const twice = readings.filter((_, k) => k % 5 === 0);
  return chunks(shuffled([...readings, ...twice], seed), batch);
}

export async function postAll(api: Client, batches: Reading[][]): Promise<{ accepted: number; rejected: unknown[] }> {
  let accepted = 0;
  const rejected: unknown[] = [];
  for (const b of batches) {
    const r = await api.call('POST', '/v1/readings', b, DEVICE_ALL);
    if (r.status !== 200) throw new Error(`POST /v1/readings answered ${r.status}: ${JSON.stringify(r.body)}`);
    accepted += r.body.accepted;
    rejected.push(...r.body.rejected);
  }
  return { accepted, rejected };
}

/** The change log without sequence numbers, after checking they count 1, 2, 3, … */
export async function changeLog(api: Client): Promise<unknown[]> {
  const r = await api.call('GET', '/v1/changes?after=0');
  if (r.status !== 200) throw new Error(`GET /v1/changes answered ${r.status}`);
  return (r.body.changes as { seq: number }[]).map(({ seq, ...change }, k) => {
    if (seq !== k + 1) throw new Error(`change ${k} has seq ${seq}`);
    return change;
  });
}
