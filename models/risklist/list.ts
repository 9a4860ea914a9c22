// Items and factors as plain definitions, and their packing into the kernels' flat arrays.
// Items are packed in id order (JavaScript string order), so "sorted by time then item id" is
// "sorted by time then item index" inside the kernels.
import { DEFAULT_HOLD_S } from './spec.ts';
import { QUEUE_HOLD, QUEUE_ON_DELAY, type PackedList, type TimerQueueSpec } from './packed.ts';
import { orderByNames } from '../index-order.ts';

export interface FactorDef {
  id: string;
  direction: 1 | -1;
  /** Threshold per level 1..4 in the reading's own sign, NaN where the level has none. */
  thresholds: [number, number, number, number];
  deadband: number;
  onDelayS: number;
  staleAfterS: number;
}

export interface ItemDef {
  id: string;
  category?: string;
  area?: string;
  /** Hazards whose warnings apply to the item; undefined = every hazard. */
  hazards?: readonly string[];
  base: number;
  /** hold_s to leave levels 2, 3, 4. */
  holdS: { 2: number; 3: number; 4: number };
  factors: FactorDef[];
}

export interface PackedDefs {
  list: PackedList;
  /** Item ids in kernel order (sorted). */
  ids: string[];
  /** Kernel index of the item at each input position. */
  indexOfInput: Int32Array;
  /** Kernel factor index of factor k of the item at input position i: factorBase[i] + k. */
  factorBase: Int32Array;
  items: ItemDef[];
  /** The item definition of each kernel item. */
  itemOfIndex: ItemDef[];
}

export function defaultHolds(): ItemDef['holdS'] {
  return { 2: DEFAULT_HOLD_S[2], 3: DEFAULT_HOLD_S[3], 4: DEFAULT_HOLD_S[4] };
}

export function packItems(items: ItemDef[]): PackedDefs {
  const n = items.length;
  // Plain loops and a module-level sort (index-order.ts): an ensemble packs the list at every
  // member, and callbacks made per call were compiled again each time.
  const inputIds: string[] = [];
  for (const item of items) inputIds.push(item.id);
  const order = orderByNames(inputIds);
  const indexOfInput = new Int32Array(n);
  const sortedIds: string[] = []; const itemOfIndex: ItemDef[] = [];
  for (let k = 0; k < n; k++) {
    indexOfInput[order[k]] = k;
    sortedIds.push(inputIds[order[k]]);
    itemOfIndex.push(items[order[k]]);
  }
  let factors = 0;
  for (const item of items) factors += item.factors.length;

  const factorStart = new Int32Array(n + 1);
  const base = new Int32Array(n);
  const holdProfile = new Int32Array(n);
  const factorItem = new Int32Array(factors);
  const thresholds = new Float64Array(4 * factors);
  const deadband = new Float64Array(factors);
  const onDelay = new Float64Array(factors);
  const onDelayQueue = new Int32Array(factors);
  const staleAfter = new Float64Array(factors);
  const direction = new Float64Array(factors);
  const factorBase = new Int32Array(n);

  const profiles = new Map<string, number>();
  const profileHolds: number[][] = [];
  const queues: TimerQueueSpec[] = [];
  const holdQueueByDuration = new Map<number, number>();
  const onDelayQueueByDuration = new Map<number, number>();
  const holdUsers = new Map<number, number>();
  const onDelayUsers = new Map<number, number>();

  let f = 0;
  for (let k = 0; k < n; k++) {
    const input = order[k];
    const item = items[input];
    factorStart[k] = f;
    factorBase[input] = f;
    base[k] = item.base;
    const key = `${item.holdS[2]},${item.holdS[3]},${item.holdS[4]}`;
    let profile = profiles.get(key);
    if (profile === undefined) {
      profile = profileHolds.length;
      profiles.set(key, profile);
      profileHolds.push([NaN, NaN, item.holdS[2], item.holdS[3], item.holdS[4]]); // by level
    }
    holdProfile[k] = profile;
    for (const d of [item.holdS[2], item.holdS[3], item.holdS[4]]) holdUsers.set(d, (holdUsers.get(d) ?? 0) + 1);
    for (const factor of item.factors) {
      factorItem[f] = k;
      direction[f] = factor.direction;
      for (let l = 0; l < 4; l++) thresholds[4 * f + l] = factor.thresholds[l] * factor.direction;
      deadband[f] = factor.deadband;
      onDelay[f] = factor.onDelayS;
      staleAfter[f] = factor.staleAfterS;
      if (factor.onDelayS > 0) onDelayUsers.set(factor.onDelayS, (onDelayUsers.get(factor.onDelayS) ?? 0) + 1);
      f++;
    }
  }
  factorStart[n] = f;

  // One ring per distinct duration; a ring holds at most one live hold per item, three live
  // on-delays (levels 2–4) per factor; twice that keeps compaction amortised O(1).
  for (const [duration, users] of [...holdUsers].sort((a, b) => a[0] - b[0])) {
    holdQueueByDuration.set(duration, queues.length);
    queues.push({ kind: QUEUE_HOLD, durationS: duration, capacity: 2 * Math.min(users, n) + 64 });
  }
  for (const [duration, users] of [...onDelayUsers].sort((a, b) => a[0] - b[0])) {
    onDelayQueueByDuration.set(duration, queues.length);
    queues.push({ kind: QUEUE_ON_DELAY, durationS: duration, capacity: 6 * users + 64 });
  }
  const holdSeconds = new Float64Array(4 * profileHolds.length);
  const holdQueue = new Int32Array(4 * profileHolds.length).fill(-1);
  profileHolds.forEach((holds, p) => {
    for (let level = 2; level <= 4; level++) {
      holdSeconds[4 * p + level - 1] = holds[level];
      holdQueue[4 * p + level - 1] = holdQueueByDuration.get(holds[level])!;
    }
  });
  for (let g = 0; g < factors; g++) onDelayQueue[g] = onDelay[g] > 0 ? onDelayQueueByDuration.get(onDelay[g])! : -1;

  return {
    list: {
      items: n, factors, factorStart, base, holdProfile, holdSeconds, holdQueue,
      factorItem, thresholds, deadband, onDelay, onDelayQueue, staleAfter, direction, queues,
    },
    ids: sortedIds,
    indexOfInput,
    factorBase,
    items,
    itemOfIndex,
  };
}
