// Hand-worked sequences for every rule of RISKLIST.md and their interactions. Each expected log
// was worked out by hand from the rules (stated in the comment); the run checks both the wasm
// kernel and the plain-TS reference and that they agree exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { brief, depthItem, gradeBoth, HOLDS, readings } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const run = (c: unknown) => gradeBoth(kernels, c);

describe('sensor levels and up-moves', () => {
  it('a reading at or above a threshold raises the item at once, skipping levels', () => {
    // 15 ≥ 10 → 2 at 100; 35 ≥ 30 → 4 at 200 (skips 3); the threshold of the level reached is named.
    const out = run({ until_s: 250, hold_s: HOLDS, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[100, 15], [200, 35]]) });
    expect(brief(out)).toEqual([
      [100, 'UP-01', 1, 2, 'sensor', 'depth_cm=15≥10'],
      [200, 'UP-01', 2, 4, 'sensor', 'depth_cm=35≥30'],
    ]);
    expect(out.final).toEqual({ 'UP-01': 4 });
    expect(out.changes[1].reason).toEqual({ rule: 'sensor', factor: 'depth_cm', value: 35, threshold: 30 });
  });

  it('value equal to a threshold reaches it (≥), just below does not', () => {
    const out = run({ until_s: 100, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[10, 9.999], [20, 10]]) });
    expect(brief(out)).toEqual([[20, 'UP-01', 1, 2, 'sensor', 'depth_cm=10≥10']]);
  });

  it('`below` factors (oxygen): value ≤ threshold reaches, deadband clears above threshold + deadband', () => {
    // o2 thresholds 2: 19.5, 3: 18; deadband 0.3. 19.0 ≤ 19.5 → 2 at 10. 19.7 ≤ 19.5 + 0.3 keeps 2.
    // 17.5 ≤ 18 → 3 at 30. 19.9 > 19.8 clears everything at 40 → raw 1; hold 300 → 3→2 at 340,
    // fresh hold 200 → 2→1 at 540.
    const item = {
      id: 'UT-1', category: 'utility-tunnel',
      factors: [{ id: 'o2_pct', direction: 'below', thresholds: { 2: 19.5, 3: 18, 4: 16 }, deadband: 0.3, stale_after_s: 1e9 }],
    };
    const out = run({ until_s: 1000, hold_s: HOLDS, items: [item], readings: readings('UT-1', 'o2_pct', [[10, 19.0], [20, 19.7], [30, 17.5], [40, 19.9]]) });
    expect(brief(out)).toEqual([
      [10, 'UT-1', 1, 2, 'sensor', 'o2_pct=19≥19.5'],
      [30, 'UT-1', 2, 3, 'sensor', 'o2_pct=17.5≥18'],
      [340, 'UT-1', 3, 2, 'hold', 'hold 300'],
      [540, 'UT-1', 2, 1, 'hold', 'hold 200'],
    ]);
  });

  it('the highest factor counts: raw level is the max over factors', () => {
    const item = {
      id: 'ST-1', category: 'septic-tank',
      factors: [
        { id: 'ch4', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 35 }, stale_after_s: 1e9 },
        { id: 'h2s', direction: 'above', thresholds: { 2: 5, 3: 10, 4: 20 }, stale_after_s: 1e9 },
      ],
    };
    // ch4 12 → 2 at 10; h2s 11 → 3 at 20; ch4 falls to 0 at 30 but h2s still 3: no hold, stays 3.
    const out = run({
      until_s: 5000, hold_s: HOLDS, items: [item],
      readings: [...readings('ST-1', 'ch4', [[10, 12]]), ...readings('ST-1', 'h2s', [[20, 11]]), ...readings('ST-1', 'ch4', [[30, 0]])],
    });
    expect(brief(out)).toEqual([
      [10, 'ST-1', 1, 2, 'sensor', 'ch4=12≥10'],
      [20, 'ST-1', 2, 3, 'sensor', 'h2s=11≥10'],
    ]);
  });
});

describe('down-moves: one level at a time after a full hold at each level', () => {
  it('red → blue in three steps, each after a fresh hold counted from the previous step', () => {
    // 35 at 10 → 4. 0 at 100: raw 1 < 4, hold starts. 4→3 at 100+400 = 500; 3→2 at 500+300 = 800;
    // 2→1 at 800+200 = 1000.
    const out = run({ until_s: 2000, hold_s: HOLDS, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[10, 35], [100, 0]]) });
    expect(brief(out)).toEqual([
      [10, 'UP-01', 1, 4, 'sensor', 'depth_cm=35≥30'],
      [500, 'UP-01', 4, 3, 'hold', 'hold 400'],
      [800, 'UP-01', 3, 2, 'hold', 'hold 300'],
      [1000, 'UP-01', 2, 1, 'hold', 'hold 200'],
    ]);
    expect(out.changes[1].reason).toEqual({ rule: 'hold', hold_s: 400, since_s: 100 });
  });

  it('the contract defaults: 21600 s red→orange, 7200 s orange→yellow, 1800 s yellow→blue', () => {
    const out = run({ until_s: 40000, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[0, 30], [1000, 0]]) });
    expect(brief(out)).toEqual([
      [0, 'UP-01', 1, 4, 'sensor', 'depth_cm=30≥30'],
      [22600, 'UP-01', 4, 3, 'hold', 'hold 21600'],
      [29800, 'UP-01', 3, 2, 'hold', 'hold 7200'],
      [31600, 'UP-01', 2, 1, 'hold', 'hold 1800'],
    ]);
  });

  it('falls only to the raw level: a sensor still at 2 stops the descent at 2', () => {
    // 35 at 10 → 4; 15 at 100: raw 2; 4→3 at 500, 3→2 at 800, then raw 2 = level: no more holds.
    const out = run({ until_s: 5000, hold_s: HOLDS, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[10, 35], [100, 15]]) });
    expect(brief(out).map((c) => [c[0], c[3]])).toEqual([[10, 4], [500, 3], [800, 2]]);
  });

  it('a rise back to the level restarts the hold; a rise that stays below it does not', () => {
    // 25 at 10 → 3. 5 at 100: hold starts (due 400). 22 at 300: raw 3 = level → hold cancelled.
    // 5 at 350: hold restarts, due 650 → 3→2 at 650; 2→1 at 850.
    const out = run({
      until_s: 2000, hold_s: HOLDS, items: [depthItem()],
      readings: readings('UP-01', 'depth_cm', [[10, 25], [100, 5], [300, 22], [350, 5]]),
    });
    expect(brief(out).map((c) => [c[0], c[2], c[3]])).toEqual([[10, 1, 3], [650, 3, 2], [850, 2, 1]]);
    // At red, a rise to orange (raw 3 < 4) does not restart the red hold: 35 at 10 → 4; 0 at 100
    // (hold due 500); 25 at 300 (raw 3): still 4→3 at 500; raw 3 = level then: stays 3.
    const second = run({
      until_s: 2000, hold_s: HOLDS, items: [depthItem()],
      readings: readings('UP-01', 'depth_cm', [[10, 35], [100, 0], [300, 25]]),
    });
    expect(brief(second).map((c) => [c[0], c[2], c[3]])).toEqual([[10, 1, 4], [500, 4, 3]]);
  });

  it('the hold of the next step starts at the previous step, not at the first drop', () => {
    // 35 at 10 → 4; 0 at 100. 4→3 at 500. 25 at 600 (raw 3 = level: no hold); 0 at 700: hold at 3
    // counted from 700 → 3→2 at 1000; 2→1 at 1200.
    const out = run({
      until_s: 2000, hold_s: HOLDS, items: [depthItem()],
      readings: readings('UP-01', 'depth_cm', [[10, 35], [100, 0], [600, 25], [700, 0]]),
    });
    expect(brief(out).map((c) => [c[0], c[2], c[3]])).toEqual([[10, 1, 4], [500, 4, 3], [1000, 3, 2], [1200, 2, 1]]);
  });

  it('a hold due at until_s is emitted; one due after it is not', () => {
    const base = { hold_s: HOLDS, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[0, 15], [100, 0]]) };
    expect(brief(run({ ...base, until_s: 300 })).map((c) => c[0])).toEqual([0, 300]);
    expect(brief(run({ ...base, until_s: 299.999 })).map((c) => c[0])).toEqual([0]);
  });

  it('a reading at the very instant a hold ends is applied first (readings before evaluation)', () => {
    // 15 at 0 → 2; 0 at 100 (hold due 300); 12 at 300: raw 2 = level at 300 → no step.
    const out = run({ until_s: 1000, hold_s: HOLDS, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[0, 15], [100, 0], [300, 12]]) });
    expect(brief(out).map((c) => c[0])).toEqual([0]);
  });
});

describe('deadband', () => {
  it('deadband vs hold: inside the deadband the level still counts and no hold starts', () => {
    // thresholds 10/20/30, deadband 2. 25 at 10 → 3. 19 at 100: ≥ 20 − 2, orange still counts, no
    // hold. 17.9 at 200: < 18 clears orange; ≥ 10 → sensor 2 → hold from 200 → 3→2 at 500.
    // 19 at 550: yellow, and orange is not re-reached from below inside the deadband: no change.
    // 21 at 600: ≥ 20 → 2→3 at 600.
    const out = run({
      until_s: 650, hold_s: HOLDS, items: [depthItem()],
      readings: readings('UP-01', 'depth_cm', [[10, 25], [100, 19], [200, 17.9], [550, 19], [600, 21]]),
    });
    expect(brief(out)).toEqual([
      [10, 'UP-01', 1, 3, 'sensor', 'depth_cm=25≥20'],
      [500, 'UP-01', 3, 2, 'hold', 'hold 300'],
      [600, 'UP-01', 2, 3, 'sensor', 'depth_cm=21≥20'],
    ]);
  });

  it('a reading back inside the deadband restarts the hold as a rise would', () => {
    // 25 at 10 → 3; 15 at 100: clears orange → hold due 400; 19 at 200: 19 < 20 and orange had
    // cleared → sensor 2, hold continues → 3→2 at 400.
    const out = run({ until_s: 450, hold_s: HOLDS, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[10, 25], [100, 15], [200, 19]]) });
    expect(brief(out).map((c) => [c[0], c[3]])).toEqual([[10, 3], [400, 2]]);
  });
});

describe('on-delay', () => {
  it('a sensor rise moves the item up only after it has lasted on_delay_s, at that exact instant', () => {
    // on_delay 60. 25 at 100 → 3 at 160 (between readings). 35 at 200, back to 25 at 230: the red
    // spike lasted 30 s < 60: no move to 4. 35 at 300 → 4 at 360 (value is the latest reading, 35).
    const out = run({
      until_s: 1000, hold_s: { 4: 1e6, 3: 1e6, 2: 1e6 }, items: [depthItem('UP-01', { on_delay_s: 60 })],
      readings: readings('UP-01', 'depth_cm', [[100, 25], [200, 35], [230, 25], [300, 35]]),
    });
    expect(brief(out)).toEqual([
      [160, 'UP-01', 1, 3, 'sensor', 'depth_cm=25≥20'],
      [360, 'UP-01', 3, 4, 'sensor', 'depth_cm=35≥30'],
    ]);
  });

  it('an on-delay that ends exactly at until_s is emitted at until_s', () => {
    const c = { hold_s: HOLDS, items: [depthItem('UP-01', { on_delay_s: 60 })], readings: readings('UP-01', 'depth_cm', [[40, 15]]) };
    expect(brief(run({ ...c, until_s: 100 }))).toEqual([[100, 'UP-01', 1, 2, 'sensor', 'depth_cm=15≥10']]);
    expect(run({ ...c, until_s: 99 }).changes).toEqual([]);
  });

  it('a rise that drops to a lower level during the delay moves up to the level held throughout', () => {
    // 35 at 0 (red), 25 at 30 (orange): at 60 orange (and yellow) have lasted 60 s, red has not → 1→3.
    const out = run({ until_s: 100, items: [depthItem('UP-01', { on_delay_s: 60 })], readings: readings('UP-01', 'depth_cm', [[0, 35], [30, 25]]) });
    expect(brief(out)).toEqual([[60, 'UP-01', 1, 3, 'sensor', 'depth_cm=25≥20']]);
  });

  it('a brief spike during a hold restarts it even though it was too short to move the item up', () => {
    // on_delay 60, level 2 from 15 at 0 → 2 at 60. 0 at 100: hold due 300. 15 at 200 (raw 2 =
    // level: hold cancelled), 0 at 210: hold from 210 → 2→1 at 410.
    const out = run({
      until_s: 1000, hold_s: HOLDS, items: [depthItem('UP-01', { on_delay_s: 60 })],
      readings: readings('UP-01', 'depth_cm', [[0, 15], [100, 0], [200, 15], [210, 0]]),
    });
    expect(brief(out).map((c) => [c[0], c[3]])).toEqual([[60, 2], [410, 1]]);
  });
});

describe('staleness', () => {
  it('stale blocks down-moves and interrupts the hold; the count restarts from the next fresh reading', () => {
    // stale_after 100. 25 at 10 → 3. 5 at 50: hold due 350. Silent after 50: stale from 150, so
    // at 350 the hold is void. Readings every 50 s from 400 (fresh again at 400: hold due 700):
    // 3→2 at 700, 2→1 at 900. Last reading at 1000: stale again from 1100 (reported at 1200).
    const fresh: [number, number][] = [[10, 25], [50, 5]];
    for (let t = 400; t <= 1000; t += 50) fresh.push([t, 5]);
    const out = run({ until_s: 1200, hold_s: HOLDS, items: [depthItem('UP-01', { stale_after_s: 100 })], readings: readings('UP-01', 'depth_cm', fresh) });
    expect(brief(out).map((c) => [c[0], c[2], c[3], c[4]])).toEqual([[10, 1, 3, 'sensor'], [700, 3, 2, 'hold'], [900, 2, 1, 'hold']]);
    expect(out.stale).toEqual([{ item: 'UP-01', factor: 'depth_cm', since_s: 1100 }]);
    // Both spells: 150 (50 + 100) until the reading at 400, and the open one from 1100.
    expect(out.stale_spells).toEqual([
      { item: 'UP-01', factor: 'depth_cm', since_s: 150, fresh_s: 400 },
      { item: 'UP-01', factor: 'depth_cm', since_s: 1100 },
    ]);
  });

  it('a stale factor keeps its last level: missing data never lowers the item', () => {
    const out = run({ until_s: 100000, hold_s: HOLDS, items: [depthItem('UP-01', { stale_after_s: 100 })], readings: readings('UP-01', 'depth_cm', [[10, 25]]) });
    expect(out.final).toEqual({ 'UP-01': 3 });
    expect(out.stale).toEqual([{ item: 'UP-01', factor: 'depth_cm', since_s: 110 }]);
  });

  it('one stale factor blocks the item even when another factor reads low', () => {
    // a (stale_after 100) reads 25 at 10 → 3 then 0 at 20 and nothing more; b keeps reading 0.
    // a is stale from 120: the hold from 20 (due 320) is void; nothing moves until a reports at
    // 500: hold from 500 → 3→2 at 800 (a stale again from 600? no: a reads every 50 s from 500).
    const item = {
      id: 'X', factors: [
        { id: 'a', direction: 'above', thresholds: { 2: 10, 3: 20 }, stale_after_s: 100 },
        { id: 'b', direction: 'above', thresholds: { 2: 10, 3: 20 }, stale_after_s: 1e9 },
      ],
    };
    const rs = [...readings('X', 'a', [[10, 25], [20, 0]])];
    for (let t = 30; t < 500; t += 30) rs.push(...readings('X', 'b', [[t, 0]]));
    for (let t = 500; t <= 900; t += 50) rs.push(...readings('X', 'a', [[t, 0]]));
    const out = run({ until_s: 900, hold_s: HOLDS, items: [item], readings: rs });
    expect(brief(out).map((c) => [c[0], c[3]])).toEqual([[10, 3], [800, 2]]);
  });

  it('exactly stale_after_s without a reading is not stale ("more than"); a hold due then still ends', () => {
    // stale_after 300, 15 at 0 → 2, 0 at 100: hold due 300, last reading 100 + 300 = 400 ≥ 300 → 2→1 at 300.
    // With stale_after 199: stale from 299 < 300 → the hold is void.
    const rs = readings('UP-01', 'depth_cm', [[0, 15], [100, 0]]);
    expect(brief(run({ until_s: 1000, hold_s: HOLDS, items: [depthItem('UP-01', { stale_after_s: 200 })], readings: rs })).map((c) => c[0])).toEqual([0, 300]);
    expect(brief(run({ until_s: 1000, hold_s: HOLDS, items: [depthItem('UP-01', { stale_after_s: 199 })], readings: rs })).map((c) => c[0])).toEqual([0]);
  });

  it('a factor never heard from is stale from stale_after_s (the clock starts at 0) and is reported', () => {
    // Pin to 3 at 50, expires 100 → hold due 400, but the factor is stale from 100: the item stays 3.
    const out = run({
      until_s: 1000, hold_s: HOLDS, items: [depthItem('UP-01', { stale_after_s: 100 })],
      pins: [{ t_s: 50, item: 'UP-01', level: 3, expires_s: 100 }],
    });
    expect(brief(out)).toEqual([[50, 'UP-01', 1, 3, 'pin', 'pin']]);
    expect(out.stale).toEqual([{ item: 'UP-01', factor: 'depth_cm', since_s: 100 }]);
  });

  it('stale_after_s defaults to 2 × interval_s, else 2 × default_interval_s (300 s)', () => {
    const item = (extra: Record<string, unknown>) => ({ id: 'A', factors: [{ id: 'f', direction: 'above', thresholds: { 2: 1 }, ...extra }] });
    expect(run({ until_s: 1000, items: [item({ interval_s: 60 })] }).stale).toEqual([{ item: 'A', factor: 'f', since_s: 120 }]);
    expect(run({ until_s: 1000, items: [item({})] }).stale).toEqual([{ item: 'A', factor: 'f', since_s: 600 }]);
    // 2 × 500 = 1000 = until_s: not yet more than stale_after_s.
    expect(run({ until_s: 1000, default_interval_s: 500, items: [item({})] }).stale).toEqual([]);
  });
});

describe('warnings', () => {
  const slope = { id: 'SL-03', category: 'slope', area: 'yuzhong', factors: [] };

  it('raises at the start, and after the lift the item falls by holds', () => {
    // W1 orange from 100 to 300 → 1→3 at 100; lifted at 300 → 3→2 at 600, 2→1 at 800.
    const out = run({
      until_s: 2000, hold_s: HOLDS, items: [slope],
      warnings: [{ id: 'W1', t_s: 100, lift_s: 300, level: 3, hazard: 'geohazard', categories: ['slope'] }],
    });
    expect(brief(out)).toEqual([
      [100, 'SL-03', 1, 3, 'warning', 'W1'],
      [600, 'SL-03', 3, 2, 'hold', 'hold 300'],
      [800, 'SL-03', 2, 1, 'hold', 'hold 200'],
    ]);
    expect(out.changes[0].reason).toEqual({ rule: 'warning', id: 'W1', hazard: 'geohazard' });
  });

  it('lifted while a sensor still reads high: the item falls only to the sensor level', () => {
    // 15 at 50 → 2 (sensor); W1 orange 100–300 → 2→3 at 100; lift at 300: raw 2 → 3→2 at 600; stays 2.
    const out = run({
      until_s: 5000, hold_s: HOLDS, items: [depthItem()],
      readings: readings('UP-01', 'depth_cm', [[50, 15], [2000, 15]]),
      warnings: [{ id: 'W1', t_s: 100, lift_s: 300, level: 3, hazard: 'rainstorm', area: 'shapingba' }],
    });
    expect(brief(out)).toEqual([
      [50, 'UP-01', 1, 2, 'sensor', 'depth_cm=15≥10'],
      [100, 'UP-01', 2, 3, 'warning', 'W1'],
      [600, 'UP-01', 3, 2, 'hold', 'hold 300'],
    ]);
  });

  it('applies only where hazard and area fit; explicit items skip the hazard check; colours work', () => {
    const items = [
      slope,
      { id: 'SL-04', category: 'slope', area: 'nanan', factors: [] },
      { id: 'ST-01', category: 'septic-tank', area: 'yuzhong', factors: [] },
    ];
    const out = run({
      until_s: 1000, hold_s: HOLDS, items,
      warnings: [
        { id: 'F', t_s: 10, level: 4, hazard: 'forest-fire', categories: ['slope'] }, // slopes do not take forest-fire
        { id: 'R', t_s: 20, colour: 'yellow', hazard: 'rainstorm', area: 'yuzhong' }, // septic tanks take no rainstorm
        { id: 'G', t_s: 30, level: 3, hazard: 'forest-fire', items: ['ST-01'] }, // named: applies regardless
      ],
    });
    expect(brief(out)).toEqual([
      [20, 'SL-03', 1, 2, 'warning', 'R'],
      [30, 'ST-01', 1, 3, 'warning', 'G'],
    ]);
  });

  it('overlapping warnings: the highest active one counts; a lower one lifting changes nothing', () => {
    // Y (2) 100–1000, O (3) 200–400. 1→2 at 100, 2→3 at 200; O lifts at 400 → raw 2 → 3→2 at 700;
    // Y lifts at 1000 → 2→1 at 1200.
    const out = run({
      until_s: 2000, hold_s: HOLDS, items: [slope],
      warnings: [
        { id: 'Y', t_s: 100, lift_s: 1000, level: 2, hazard: 'geohazard', categories: ['slope'] },
        { id: 'O', t_s: 200, lift_s: 400, level: 3, hazard: 'geohazard', categories: ['slope'] },
      ],
    });
    expect(brief(out).map((c) => [c[0], c[3], c[5]])).toEqual([[100, 2, 'Y'], [200, 3, 'O'], [700, 2, 'hold 300'], [1200, 1, 'hold 200']]);
  });
});

describe('events and pins', () => {
  it('an accident holds its level until verified, however long; then the item falls by holds', () => {
    const out = run({
      until_s: 5000, hold_s: HOLDS, items: [depthItem()],
      readings: readings('UP-01', 'depth_cm', [[50, 0], [3000, 0]]),
      events: [{ t_s: 100, item: 'UP-01', kind: 'accident', level: 4 }, { t_s: 2000, item: 'UP-01', kind: 'verified' }],
    });
    expect(brief(out)).toEqual([
      [100, 'UP-01', 1, 4, 'event', 'accident'],
      [2400, 'UP-01', 4, 3, 'hold', 'hold 400'],
      [2700, 'UP-01', 3, 2, 'hold', 'hold 300'],
      [2900, 'UP-01', 2, 1, 'hold', 'hold 200'],
    ]);
  });

  it('a hidden danger then a worse accident: the higher level holds; one verified clears both', () => {
    const out = run({
      until_s: 1500, hold_s: HOLDS, items: [{ id: 'B', factors: [] }],
      events: [
        { t_s: 10, item: 'B', kind: 'hidden-danger', level: 2 },
        { t_s: 20, item: 'B', kind: 'accident', level: 4, id: 'ACC-7' },
        { t_s: 30, item: 'B', kind: 'hidden-danger', level: 3 },
        { t_s: 100, item: 'B', kind: 'verified' },
      ],
    });
    expect(brief(out).map((c) => [c[0], c[3]])).toEqual([[10, 2], [20, 4], [500, 3], [800, 2], [1000, 1]]);
    expect(out.changes[1].reason).toEqual({ rule: 'event', kind: 'accident', id: 'ACC-7' });
  });

  it('a pin raises at once; after its expiry the item falls by holds', () => {
    // pin 3 at 100 until 500 → 1→3 at 100; 3→2 at 800; 2→1 at 1000.
    const out = run({ until_s: 2000, hold_s: HOLDS, items: [{ id: 'P', factors: [] }], pins: [{ t_s: 100, item: 'P', level: 3, expires_s: 500 }] });
    expect(brief(out)).toEqual([[100, 'P', 1, 3, 'pin', 'pin'], [800, 'P', 3, 2, 'hold', 'hold 300'], [1000, 'P', 2, 1, 'hold', 'hold 200']]);
    expect(out.changes[0].reason).toEqual({ rule: 'pin', expires_s: 500 });
  });

  it('a later pin replaces the earlier one, and the earlier expiry then does nothing', () => {
    // A: 4 at 100 until 1000; B: 2 at 200, no expiry → raw 2 from 200: 4→3 at 600, 3→2 at 900; stays 2.
    const out = run({
      until_s: 3000, hold_s: HOLDS, items: [{ id: 'P', factors: [] }],
      pins: [{ t_s: 100, item: 'P', level: 4, expires_s: 1000 }, { t_s: 200, item: 'P', level: 2 }],
    });
    expect(brief(out).map((c) => [c[0], c[3]])).toEqual([[100, 4], [600, 3], [900, 2]]);
    expect(out.final).toEqual({ P: 2 });
  });
});

describe('simultaneous changes and tie order', () => {
  it('several items at one instant come out sorted by item id, whatever the input order', () => {
    const items = ['C', 'A', 'B'].map((id) => ({ id, category: 'slope', area: 'north', factors: [] }));
    const out = run({ until_s: 100, items, warnings: [{ id: 'W', t_s: 50, level: 2, hazard: 'rainstorm', area: 'north' }] });
    expect(brief(out)).toEqual([[50, 'A', 1, 2, 'warning', 'W'], [50, 'B', 1, 2, 'warning', 'W'], [50, 'C', 1, 2, 'warning', 'W']]);
    expect(Object.keys(out.final)).toEqual(['A', 'B', 'C']);
  });

  it('readings → warnings → events → pins, then one evaluation: equal levels name the earliest kind', () => {
    // At 100: a reading (3), a warning (3), an event (3) and a pin (3) on one item → one change, sensor.
    // At 200 on another item: a reading (2) and a pin (4) → one change 1→4 by the pin.
    const items = [depthItem('A'), depthItem('B')];
    const out = run({
      until_s: 300, items,
      readings: [...readings('A', 'depth_cm', [[100, 25]]), ...readings('B', 'depth_cm', [[200, 15]])],
      warnings: [{ id: 'W', t_s: 100, level: 3, hazard: 'rainstorm', items: ['A'] }],
      events: [{ t_s: 100, item: 'A', kind: 'accident', level: 3 }],
      pins: [{ t_s: 100, item: 'A', level: 3 }, { t_s: 200, item: 'B', level: 4 }],
    });
    expect(brief(out)).toEqual([[100, 'A', 1, 3, 'sensor', 'depth_cm=25≥20'], [200, 'B', 1, 4, 'pin', 'pin']]);
  });

  it('two readings of one factor at one instant: only the state after both is evaluated', () => {
    const out = run({ until_s: 300, items: [depthItem()], readings: readings('UP-01', 'depth_cm', [[100, 25], [100, 5]]) });
    expect(out.changes).toEqual([]);
  });

  it('a hold step on one item and a rise on another at the same instant', () => {
    // A: 15 at 0 → 2, 0 at 100 → 2→1 at 300. B: 35 at 300 → 1→4 at 300.
    const out = run({
      until_s: 400, hold_s: HOLDS, items: [depthItem('B'), depthItem('A')],
      readings: [...readings('A', 'depth_cm', [[0, 15], [100, 0]]), ...readings('B', 'depth_cm', [[300, 35]])],
    });
    expect(brief(out).map((c) => [c[0], c[1], c[3]])).toEqual([[0, 'A', 2], [300, 'A', 1], [300, 'B', 4]]);
  });
});

describe('base levels', () => {
  it('the item starts and ends no lower than its static level (matrix / LEC / direct)', () => {
    const items = [
      { id: 'M', matrix: { likelihood: 4, severity: 3 }, factors: [] }, // 12 → 3
      { id: 'L', lec: { L: 3, E: 6, C: 7 }, factors: [] }, // 126 → 3
      { id: 'D', base_level: 2, factors: [] },
    ];
    const out = run({ until_s: 5000, hold_s: HOLDS, items, pins: [{ t_s: 0, item: 'D', level: 4, expires_s: 10 }] });
    expect(out.final).toEqual({ D: 2, L: 3, M: 3 });
    expect(brief(out).map((c) => [c[0], c[1], c[2], c[3]])).toEqual([[0, 'D', 2, 4], [410, 'D', 4, 3], [710, 'D', 3, 2]]);
  });
});
