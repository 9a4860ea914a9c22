// A grid ensemble's queue tile reads only its own inputs, cut by the coordinator into the shared
// results folder, as the deterministic queue tiles do (tile-inputs.ts): without them every queue
// worker read and parsed the case's whole ASCII grids (and took a DEM's slope) once per run,
// duplicated by each worker and serial before its first tile. The file holds the tile's rectangle
// of every grid its members read (not a DEM once turned into slope), the case, the ensemble block as the coordinator parsed it, and where the tile sits
// in the whole grid, so each cell draws what it draws in any other run of the case (fs-grid-members.ts).
import type { GridEnsembleSpec } from './fs-grid-block.ts';
import type { ProbabilityTileCase } from './fs-grid-prob.ts';
import { joinGrids, readTileFile, writeTileFile, type GridHead, type TileFileRef } from './tile-files.ts';
import { tileInputSections } from './tile-inputs.ts';
import { referenceTileHead, type Tile, type TiledCase } from './tiles.ts';

interface ProbabilityInputMeta { input: Record<string, unknown>; heads: Record<string, GridHead>; reference: GridHead; tile: Tile; ncols: number; spec: GridEnsembleSpec }

/**
 * Tile `index`'s own inputs into `dir` (the same bytes every time: a restarted coordinator's cut
 * leaves queued refs valid): the grids the tile's members read, as probabilityTileCase cuts them
 * (a DEM turned into slope is not among them), each row copied from the whole grid straight into
 * the file; the reference grid's head alone gives drawn grids their place.
 */
export function writeProbabilityInput(dir: string, runId: string, prepared: TiledCase, spec: GridEnsembleSpec, index: number): Promise<TileFileRef> {
  const tile = prepared.tiles[index];
  const [{ heads }, sections] = tileInputSections(prepared, index);
  const meta: ProbabilityInputMeta = { input: prepared.input, heads, reference: referenceTileHead(prepared, tile), tile, ncols: prepared.reference.ncols, spec };
  return writeTileFile(dir, 'fs-probability-input', runId, index, meta, sections);
}

/** A tile's inputs as its coordinator cut them (the file's SHA-256 checked against the job's). */
export async function readProbabilityInput(ref: TileFileRef, runId: string): Promise<{ tileCase: ProbabilityTileCase; spec: GridEnsembleSpec }> {
  const { meta, grids: values } = await readTileFile(ref.path, 'fs-probability-input', runId, ref.index, ref.sha256);
  const { input, heads, reference, tile, ncols, spec } = meta as ProbabilityInputMeta;
  return { tileCase: { input, grids: joinGrids(heads, values), reference, tile, ncols }, spec };
}
