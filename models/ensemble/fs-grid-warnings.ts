// The model warnings of a grid ensemble's members (`landslide fs --members`), as `sandtable
// ensemble` records its members' (member-warnings.ts: grouped by model, place and code, with how
// many members warned). A member runs tile by tile, so each tile records the lines its members
// wrote, each with the members that wrote it as ranges (every member usually writes the same line:
// one range, not a list of 100 000 indices). Stitching gives each member its whole-grid lines as an
// untiled run writes them: a line seen in several tiles once, the flat cells summed (as
// models/landslide/parallel.ts merges row bands), so the warnings are the same for any tiling.
import { modelWarning, type ModelWarning } from '../scenario/model-warnings.ts';
import { flatCellsIn, flatCellsWarning } from '../landslide/grid.ts';

/** One line a tile's members wrote, and which members wrote it: inclusive [first, last] ranges, ascending. */
export interface TileWarning { what: string; members: [number, number][] }

/** Where a grid member's warnings are placed: the whole grid, as `run` places a model's whole-area lines. */
const GRID_PLACE = 'grid';

/** A tile's lines as its members are run, in member order. */
export class TileWarningRecorder {
  private readonly lines = new Map<string, [number, number][]>();

  add(member: number, lines: readonly string[]): void {
    for (const what of new Set(lines)) {
      const ranges = this.lines.get(what) ?? [];
      const last = ranges.at(-1);
      if (last && last[1] === member - 1) last[1] = member;
      else if (!last || last[1] < member) ranges.push([member, member]);
      this.lines.set(what, ranges);
    }
  }

  /** The lines in the order first written; none when no member warned. */
  finish(): TileWarning[] {
    return [...this.lines].map(([what, members]) => ({ what, members }));
  }
}

/**
 * Each member's warnings over the whole grid, from every tile's records (in tile order): its other
 * lines in the order first seen, then its flat cells summed over the tiles. Members with none are
 * left out.
 */
export function gridMemberWarnings(tiles: readonly { warnings?: readonly TileWarning[] }[], members: number): { index: number; warnings: ModelWarning[] }[] {
  // Flat cells per member by a difference array over the ranges: O(ranges + members), not O(tiles × members).
  const flatDelta = new Float64Array(members + 1);
  const others = new Map<string, Uint8Array>();
  for (const tile of tiles) {
    for (const { what, members: ranges } of tile.warnings ?? []) {
      const cells = flatCellsIn(what);
      if (cells !== undefined) {
        for (const [first, last] of ranges) { flatDelta[first] += cells; flatDelta[last + 1] -= cells; }
        continue;
      }
      let wrote = others.get(what);
      if (!wrote) others.set(what, wrote = new Uint8Array(members));
      for (const [first, last] of ranges) wrote.fill(1, first, last + 1);
    }
  }
  const lineOf = new Map<string, ModelWarning>();
  const placed = (what: string) => {
    let line = lineOf.get(what);
    if (!line) lineOf.set(what, line = modelWarning('landslide', GRID_PLACE, what));
    return line;
  };
  const result: { index: number; warnings: ModelWarning[] }[] = [];
  let flat = 0;
  for (let m = 0; m < members; m++) {
    flat += flatDelta[m];
    const lines: ModelWarning[] = [];
    for (const [what, wrote] of others) if (wrote[m]) lines.push(placed(what));
    if (flat > 0) lines.push(placed(flatCellsWarning(flat)));
    if (lines.length) result.push({ index: m, warnings: lines });
  }
  return result;
}
