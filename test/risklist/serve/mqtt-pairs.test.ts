// The pairing of a reading's two MQTT copies (shared member and plain subscription, see
// models/risklist/serve/mqtt.ts): a copy from the other route is the twin and waits for the first
// copy's commit; another copy from the same route is a new publish (a device's redelivery) and is
// graded itself, so the service's duplicate count stays what it was with one route.
import { describe, expect, it } from 'vitest';
import { CopyPairs } from '../../../models/risklist/serve/mqtt.ts';

const settled = Promise.resolve('settled' as const);
const failed = Promise.resolve('failed' as const);

describe('CopyPairs', () => {
  it('pairs a copy with the earlier one from the other route, once', async () => {
    const pairs = new CopyPairs();
    pairs.add('k', 'shared', settled);
    expect(pairs.takeTwin('k', 'shared')).toBeUndefined();
    expect(await pairs.takeTwin('k', 'plain')).toBe('settled');
    // Its twin taken, a third copy is a new publish.
    expect(pairs.takeTwin('k', 'plain')).toBeUndefined();
    expect(pairs.size).toBe(0);
  });

  it('a device publishing the same reading twice: two pairs, in order, each with its outcome', async () => {
    const pairs = new CopyPairs();
    pairs.add('k', 'plain', failed);
    pairs.add('k', 'plain', settled);
    expect(await pairs.takeTwin('k', 'shared')).toBe('failed');
    expect(await pairs.takeTwin('k', 'shared')).toBe('settled');
    expect(pairs.takeTwin('k', 'shared')).toBeUndefined();
  });

  it('keys differ by topic and payload', () => {
    const pairs = new CopyPairs();
    pairs.add('sandtable/readings/a/rain\n{"value":1,"t_s":5}', 'shared', settled);
    expect(pairs.takeTwin('sandtable/readings/a/rain\n{"value":1,"t_s":6}', 'plain')).toBeUndefined();
    expect(pairs.takeTwin('sandtable/readings/b/rain\n{"value":1,"t_s":5}', 'plain')).toBeUndefined();
    expect(pairs.takeTwin('sandtable/readings/a/rain\n{"value":1,"t_s":5}', 'plain')).toBeDefined();
  });

  it('unpaired copies are forgotten after two generations of `limit` keys: memory stays bounded', () => {
    const pairs = new CopyPairs(3);
    for (let k = 0; k < 7; k++) pairs.add(`k${k}`, 'plain', settled);
    // k0–k5 filled two generations; k6 started a third, dropping k0–k2.
    expect(pairs.size).toBe(4);
    expect(pairs.takeTwin('k0', 'shared')).toBeUndefined();
    expect(pairs.takeTwin('k3', 'shared')).toBeDefined();
    expect(pairs.takeTwin('k6', 'shared')).toBeDefined();
  });
});
