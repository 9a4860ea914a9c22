// What a worker hands back by transfer rather than by copy. A landslide grid run returns two grids
// per output time (and more with pressure heads or warnings); structured-cloning them back cost
// about as much as parsing the case, so the worker gives up their buffers instead. Every output
// grid owns a fresh buffer (models/landslide/grid.ts), so nothing the worker keeps is detached.
import * as Comlink from 'comlink';
import type { Engine } from './engine.ts';
import type { Grid } from './grid/ascii.ts';

/** The distinct ArrayBuffers behind these grids' values (a transfer list must not repeat one). */
export function gridBuffers(grids: Iterable<Grid>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const g of grids) if (g.values.buffer instanceof ArrayBuffer) buffers.add(g.values.buffer);
  return [...buffers];
}

/** The engine as a worker exposes it: the same methods, grid outputs transferred to the caller. */
export function transferringEngine<E extends Engine>(engine: E): E {
  return {
    ...engine,
    async landslideGrid(input: unknown, grids: Record<string, Grid>) {
      const output = await engine.landslideGrid(input, grids);
      return Comlink.transfer(output, gridBuffers(Object.values(output.grids)));
    },
  };
}
