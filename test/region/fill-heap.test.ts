// The fill kernel's heap is sized by the host (models/region/terrain.ts): first an eighth of the grid,
// since a flood front is usually far smaller; a front larger than that must make the kernel say so
// and the host retry with one entry per cell, never overrun memory or return a half-filled surface.
import { describe, expect, it } from 'vitest';
import { FILL_HEAP_FULL, HEAP_ENTRY_BYTES } from '../../assembly/region/layout.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import { fillDepressions, type RegionKernels } from '../../models/region/terrain.ts';
import { installedKernels } from '../../models/wasm.ts';

/**
 * 800 × 800 comb: even columns are valleys rising southward from the north edge (z = row), odd
 * columns walls 10 km higher. The flood runs down every valley at once and pushes each wall cell it
 * passes, so the heap ends up holding nearly every wall cell: about half the grid, four times the
 * first heap. Nothing is a depression, so the filled surface is the DEM itself.
 */
function comb(size: number): Grid {
  const values = new Float64Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) values[r * size + c] = (c % 2 ? 10_000 : 0) + r;
  return { ncols: size, nrows: size, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values };
}

describe('a flood front larger than the first heap', () => {
  const size = 800;
  const dem = comb(size);
  const n = size * size;

  it('the kernel reports a full heap at an eighth of the grid instead of writing past it', () => {
    const kernels = installedKernels();
    const flooded = kernels.withArena((arena) => {
      const input = arena.copyIn('f64', dem.values);
      const filled = arena.allocate('f64', n);
      const done = arena.allocate('u8', n);
      const pit = arena.allocate('i32', n);
      const heap = arena.allocate('u8', (n >> 3) * HEAP_ENTRY_BYTES);
      return kernels.exportsAs<RegionKernels>().regionFill(size, size, input.ptr, 1e-4, filled.ptr, done.ptr, heap.ptr, n >> 3, pit.ptr);
    });
    expect(flooded).toBe(FILL_HEAP_FULL);
  });

  it('fillDepressions retries with room for every cell and returns the DEM unchanged', () => {
    const filled = fillDepressions(dem);
    let changed = 0;
    for (let i = 0; i < n; i++) if (filled[i] !== dem.values[i]) changed++;
    expect(changed).toBe(0);
  });
});
