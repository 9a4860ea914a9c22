// Member m of a grid ensemble, for one tile: the tile's case with each perturbed input replaced by
// its draws. A per-cell draw is u = H(seed, m, field, global cell index) and a per-member one
// H(seed, m, field) (models/ensemble/draw.ts), so a cell's inputs are the same whatever tile holds
// it: cutting the grid differently never changes a draw, hence never a product.
import { dmath } from '../dmath.ts';
import type { Grid } from '../grid/ascii.ts';
import { isRecord } from '../params.ts';
import { uniformAt } from './draw.ts';
import type { GridDistribution, GridEnsembleSpec } from './fs-grid-block.ts';

/** The inverse CDF of the distribution at u (and, for a lognormal, a second uniform u2: Box–Muller). */
function quantileOf(d: GridDistribution, u: number, u2: number): number {
  switch (d.distribution) {
    case 'uniform': return d.min + (d.max - d.min) * u;
    case 'triangular': {
      const span = d.max - d.min;
      if (span === 0) return d.min;
      const left = (d.mode - d.min) / span;
      return u < left ? d.min + Math.sqrt(u * span * (d.mode - d.min)) : d.max - Math.sqrt((1 - u) * span * (d.max - d.mode));
    }
    case 'lognormal': return d.median * dmath.exp(d.sigma_log * Math.sqrt(-2 * dmath.log(u)) * dmath.cos(2 * Math.PI * u2));
  }
}

/** Drawn scalars are recorded to 9 significant digits and applied as recorded, as draw.ts does: members.csv reruns a member. */
const recorded = (v: number) => Number(v.toPrecision(9));

export function memberScalar(d: GridDistribution, seed: number, member: number, field: string): number {
  return recorded(quantileOf(d, uniformAt(seed, member, field, 0), uniformAt(seed, member, field, 1)));
}

/** The value of a per-cell draw at global cell g: counters 2g and 2g + 1, so a lognormal's pair is the cell's own. */
export function cellDraw(d: GridDistribution, seed: number, member: number, field: string, g: number): number {
  return quantileOf(d, uniformAt(seed, member, field, 2 * g), d.distribution === 'lognormal' ? uniformAt(seed, member, field, 2 * g + 1) : 0.5);
}

/** Where a tile sits in the whole grid: its first row and column and the whole grid's width. */
export interface TileOrigin { row0: number; col0: number; ncols: number }

export interface MemberTileCase {
  input: Record<string, unknown>;
  /** Only the grids this member changed (the tile's others are shared by every member). */
  drawn: Record<string, Grid>;
  /** Per-member draws, by field (members.csv's columns). */
  scalars: Record<string, number>;
}

/** The name under which a member's drawn grid replaces an input (never a file name: it has no extension). */
export const drawnGridName = (field: string) => `ensemble draw of ${field}`;

/**
 * The member's case for a tile whose grids are `grids` (the reference grid `reference` gives the
 * tile's size). `input` is the tile's case with no ensemble block; it is never changed.
 */
export function memberTileCase(input: Record<string, unknown>, grids: Record<string, Grid>, reference: Grid, origin: TileOrigin, spec: GridEnsembleSpec, member: number): MemberTileCase {
  const caseInput = structuredClone(input) as Record<string, unknown> & { grid: Record<string, unknown> };
  // Warning levels and pressure heads are not part of the probability products: not computed.
  delete caseInput.warning;
  delete caseInput.output;
  const drawn: Record<string, Grid> = {};
  const scalars: Record<string, number> = {};
  const { ncols: cols, nrows: rows } = reference;
  for (const { quantity, scope, distribution } of spec.perturbations) {
    if (quantity === 'rain_scale') {
      const scale = memberScalar(distribution, spec.seed, member, quantity);
      scalars[quantity] = scale;
      const rain = caseInput.rain;
      if (!isRecord(rain)) continue;
      for (const form of ['mm_per_h', 'm_per_s']) {
        if (Array.isArray(rain[form])) rain[form] = (rain[form] as unknown[]).map((v) => (typeof v === 'number' ? v * scale : v));
      }
      for (const form of ['grids_mm_per_h', 'grids_m_per_s']) {
        if (!Array.isArray(rain[form])) continue;
        rain[form] = (rain[form] as unknown[]).map((name, n) => {
          const g = typeof name === 'string' ? grids[name] : undefined;
          if (!g) return name;
          const scaled = drawnGridName(`rain_scale[${n}]`);
          drawn[scaled] = { ...g, values: g.values.map((v) => v * scale) };
          return scaled;
        });
      }
      continue;
    }
    const source = caseInput.grid[quantity];
    const holes = typeof source === 'string' && grids[source]?.values.length === rows * cols ? grids[source].values : undefined;
    const values = new Float64Array(rows * cols);
    if (scope === 'member') {
      const v = memberScalar(distribution, spec.seed, member, quantity);
      scalars[quantity] = v;
      values.fill(v);
    } else {
      for (let r = 0; r < rows; r++) {
        const g0 = (origin.row0 + r) * origin.ncols + origin.col0;
        for (let c = 0; c < cols; c++) values[r * cols + c] = cellDraw(distribution, spec.seed, member, quantity, g0 + c);
      }
    }
    // A NODATA cell of the input grid the draw replaces stays NODATA.
    if (holes) for (let i = 0; i < values.length; i++) if (Number.isNaN(holes[i])) values[i] = NaN;
    const name = drawnGridName(quantity);
    drawn[name] = { ...reference, values };
    caseInput.grid[quantity] = name;
    if (Array.isArray(caseInput.grid.zone_table)) {
      caseInput.grid.zone_table = caseInput.grid.zone_table.map((row) => {
        if (!isRecord(row)) return row;
        const { [quantity]: _, ...rest } = row;
        return rest;
      });
    }
  }
  return { input: caseInput, drawn, scalars };
}
