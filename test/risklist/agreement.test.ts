// The wasm kernel and the plain-TS reference agree exactly (every field of every change, final
// levels) on long random streams that exercise every rule, also when the timer rings are so
// small that they must compact dead timers over and over.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGradeCase, runGrade } from '../../models/risklist/grade.ts';
import { WasmGrading } from '../../models/risklist/kernel.ts';
import { ChangeLog, QUEUE_HOLD, type PackedList } from '../../models/risklist/packed.ts';
import { ReferenceGrading } from '../../models/risklist/reference.ts';
import { randomCase } from '../../models/risklist/synthetic.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

/** Rings just large enough for the live timers they can hold (one hold per item, 3 on-delays per factor). */
function tightRings(list: PackedList): PackedList {
  const onDelayUsers = new Map<number, number>();
  list.onDelayQueue.forEach((q) => { if (q >= 0) onDelayUsers.set(q, (onDelayUsers.get(q) ?? 0) + 1); });
  return { ...list, queues: list.queues.map((q, k) => ({ ...q, capacity: q.kind === QUEUE_HOLD ? list.items + 1 : 3 * (onDelayUsers.get(k) ?? 0) + 1 })) };
}

describe('wasm kernel = plain-TS reference on random streams', () => {
  const cases = [
    { seed: 1, items: 50, readings: 20000, warnings: 40, events: 60, pins: 60, timeStepS: 10, untilS: 20000 },
    { seed: 2, items: 400, readings: 30000, warnings: 30, events: 200, pins: 200, timeStepS: 1, untilS: 50000 },
    { seed: 3, items: 8, readings: 20000, warnings: 100, events: 100, pins: 100, timeStepS: 30, untilS: 100000 },
  ];
  for (const { seed, ...options } of cases) {
    it(`seed ${seed}: ${options.items} items, ${options.readings} readings, identical logs with default and tight rings`, () => {
      const c = parseGradeCase(randomCase(seed, options));
      const ts = runGrade(c, new ReferenceGrading(c.defs.list));
      const wasm = kernels.withArena((arena) => runGrade(c, new WasmGrading(kernels, arena, c.defs.list)));
      const tight = tightRings(c.defs.list);
      const reference = new ReferenceGrading(tight);
      const tsTight = runGrade(c, reference);
      const wasmTightState = (arena: Parameters<Parameters<Kernels['withArena']>[0]>[0]) => new WasmGrading(kernels, arena, tight);
      const wasmTight = kernels.withArena((arena) => {
        const state = wasmTightState(arena);
        const out = runGrade(c, state);
        return { ...out, stats: state.statistics() };
      });
      // Not vacuous: plenty of changes of every kind, and the tight rings did compact.
      expect(ts.log.length).toBeGreaterThan(100);
      const rules = new Set(Array.from(ts.log.rule.subarray(0, ts.log.length)));
      expect([...rules].sort()).toEqual([1, 2, 3, 4, 5]);
      if (options.items <= 50) expect(wasmTight.stats.compactions).toBeGreaterThan(0);
      expect(reference.statistics().compactions).toBe(wasmTight.stats.compactions);
      const expected = ts.log.toArray();
      expect(wasm.log.toArray()).toEqual(expected);
      expect(tsTight.log.toArray()).toEqual(expected);
      expect(wasmTight.log.toArray()).toEqual(expected);
      expect(Array.from(wasm.levels)).toEqual(Array.from(ts.levels));
      expect(wasm.log.checksum()).toBe(ts.log.checksum());
      // A wasm log with no slack makes the kernel stop and resume between almost every instant.
      const drained = kernels.withArena((arena) => runGrade(c, new WasmGrading(kernels, arena, c.defs.list, 0)));
      expect(drained.log.toArray()).toEqual(expected);
    });
  }

  it('feeding the same stream in many small batches gives the same log as one batch', () => {
    const c = parseGradeCase(randomCase(4, { items: 100, readings: 10000, warnings: 0, events: 0, pins: 0, timeStepS: 5, untilS: 20000 }));
    const whole = runGrade(c, new ReferenceGrading(c.defs.list));
    const chunked = kernels.withArena((arena) => {
      const state = new WasmGrading(kernels, arena, c.defs.list);
      const log = new (whole.log.constructor as typeof whole.log.constructor & (new () => typeof whole.log))();
      const b = c.batch;
      // Cut between instants at every 1000 s: readings at or before the cut go in that batch.
      let from = 0;
      for (let cut = 1000; cut <= c.untilS; cut += 1000) {
        let to = from;
        while (to < b.readingTime.length && b.readingTime[to] <= cut) to++;
        state.advance({ ...b, readingFactor: b.readingFactor.subarray(from, to), readingTime: b.readingTime.subarray(from, to), readingValue: b.readingValue.subarray(from, to) }, cut, log);
        from = to;
      }
      return log;
    });
    expect(whole.log.length).toBeGreaterThan(100);
    expect(chunked.toArray()).toEqual(whole.log.toArray());
  });
});

describe('no allocation per reading', () => {
  it('wasm memory does not grow while a prepared batch of 200 000 readings is graded', () => {
    const c = parseGradeCase(randomCase(5, { items: 2000, readings: 200000, warnings: 10, events: 50, pins: 50, timeStepS: 1, untilS: 50000 }));
    const grown = kernels.withArena((arena) => {
      const state = new WasmGrading(kernels, arena, c.defs.list);
      return kernels.withArena((batchArena) => {
        const run = state.prepareBatch(batchArena, c.batch);
        const before = kernels.exports.memory.buffer.byteLength;
        const log = new ChangeLog();
        run(c.untilS, log);
        expect(log.length).toBeGreaterThan(1000);
        return kernels.exports.memory.buffer.byteLength - before;
      });
    });
    expect(grown).toBe(0);
  });
});
