// wasm32 memory past 2 GiB: the grid budget (models/limits.ts) lets the heaviest kernel use
// ~2.4 GiB, so regions above 2 GiB must work from the host.
import { describe, expect, it } from 'vitest';
import { readKernelBytes } from '../../models/wasm-node.ts';
import { Kernels } from '../../models/wasm.ts';

describe('Arena regions', () => {
  it('a region past 2 GiB has a positive offset and round-trips its values', async () => {
    // A fresh instance, so the 2 GiB it grows to is dropped with this test.
    const kernels = await Kernels.instantiate(await readKernelBytes());
    kernels.withArena((arena) => {
      // Two regions just under the allocator's 1 GiB block limit push the next one past 2 GiB.
      arena.allocate('u8', 2 ** 30 - 1024);
      arena.allocate('u8', 2 ** 30 - 1024);
      const high = arena.copyIn('f64', [1.5, -2, 3]);
      expect(high.ptr).toBeGreaterThan(2 ** 31);
      expect(Array.from(arena.copyOut(high))).toEqual([1.5, -2, 3]);
    });
  });

  it('a region of 4 GiB or more is refused, not wrapped to a small one', async () => {
    const kernels = await Kernels.instantiate(await readKernelBytes());
    expect(() => kernels.withArena((arena) => arena.allocate('f64', 2 ** 29))).toThrow("wasm allocation of 4294967296 bytes exceeds wasm32's 4 GiB");
  });
});
