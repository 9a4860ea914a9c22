// Member m of a grid ensemble, for one tile: the tile's case with each perturbed input replaced by
// its draws. A per-cell draw is u = H(seed, m, field, global cell index) and a per-member one
// H(seed, m, field) (models/ensemble/draw.ts), so a cell's inputs are the same whatever tile holds
// it: cutting the grid differently never changes a draw, hence never a product.
import { dmath } from '../dmath.ts';
import type { Grid } from '../grid/ascii.ts';
import { InputError } from '../errors.ts';
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
    case 'normal': return d.mean + d.sd * Math.sqrt(-2 * dmath.log(u)) * dmath.cos(2 * Math.PI * u2);
  }
}

/** Drawn scalars are recorded to 9 significant digits and applied as recorded, as draw.ts does: members.csv reruns a member. */
const recorded = (v: number) => Number(v.toPrecision(9));

export function memberScalar(d: GridDistribution, seed: number, member: number, field: string): number {
  return recorded(quantileOf(d, uniformAt(seed, member, field, 0), uniformAt(seed, member, field, 1)));
}

/** The value of a per-cell draw at global cell g: counters 2g and 2g + 1, so a Box–Muller pair is the cell's own. */
export function cellDraw(d: GridDistribution, seed: number, member: number, field: string, g: number): number {
  const paired = d.distribution === 'lognormal' || d.distribution === 'normal';
  return quantileOf(d, uniformAt(seed, member, field, 2 * g), paired ? uniformAt(seed, member, field, 2 * g + 1) : 0.5);
}

/** Where a perturbation's draws are named in errors: the ensemble block's field, at a global row and column. */
export const perturbationPath = (field: string) => `$.ensemble.perturbations.${field}`;

/**
 * The initial water table of a member whose soil depth was drawn: d′ = min(d, Z) per cell, the
 * table raised to the drawn base where the soil came out shallower than the case's table. Why not
 * refuse the draw: the drawn depth is a sample of the uncertain soil thickness, and leaving out (or
 * redrawing) the thin ones would censor its distribution — and a lognormal draws some thin cell
 * on any large grid, so the run could never finish. Why not deepen the soil to the table: that
 * changes the distribution drawn. Why the table at the base: the base is the impermeable lower
 * boundary of the TRIGRS column (Baum et al. 2008), so no water table can stand below it inside
 * the soil; water reaching the base perches on it, and the steady initial head is Iverson's
 * ψ₀(Z) = (Z − d′)β (Iverson 2000) with ψ₀ = 0 at the base and suction above, which the FS does not
 * count: the thin column starts drained, as a table deeper than it implies. Returns the table per
 * cell and how many cells were raised; undefined when the case gives the table in no form this can
 * read (the deterministic case reports that).
 */
function waterTableOnDrawnBase(grid: Record<string, unknown>, grids: Record<string, Grid>, soil: Float64Array): { values: Float64Array; raised: number } | undefined {
  const source = grid.water_table_depth_m;
  const values = new Float64Array(soil.length);
  if (typeof source === 'number') values.fill(source);
  else if (typeof source === 'string' && grids[source]?.values.length === soil.length) values.set(grids[source].values);
  else {
    const zones = typeof grid.zones === 'string' ? grids[grid.zones] : undefined;
    if (source !== undefined || !zones || !Array.isArray(grid.zone_table)) return undefined;
    const byZone = new Map(grid.zone_table.filter(isRecord).map((row) => [row.zone, row.water_table_depth_m]));
    for (let i = 0; i < soil.length; i++) {
      const d = byZone.get(zones.values[i]);
      values[i] = typeof d === 'number' ? d : NaN;
    }
  }
  let raised = 0;
  // A depth at or below 0 m is refused by its own range check, at its cell: not a table to move.
  for (let i = 0; i < soil.length; i++) if (soil[i] > 0 && soil[i] < values[i]) { values[i] = soil[i]; raised++; }
  return { values, raised };
}

/**
 * Depths given as metres ($.depths_m) must reach into every drawn soil column: depths below a
 * cell's base are skipped, and a cell whose base lies above all of them has no FS at all, which
 * would be counted as a bad member. Refused at the first such cell, by its global row and column.
 */
function checkDepthsInsideSoil(depths: unknown, soil: Float64Array, cols: number, origin: TileOrigin): void {
  if (!Array.isArray(depths) || !depths.every((z) => typeof z === 'number')) return;
  const shallowest = Math.min(...(depths as number[]));
  for (let i = 0; i < soil.length; i++) {
    if (!(soil[i] > 0 && soil[i] < shallowest)) continue;
    const row = origin.row0 + Math.floor(i / cols);
    const col = origin.col0 + (i % cols);
    throw InputError.single(`${perturbationPath('soil_depth_m')} (row ${row}, col ${col})`, 'draws a soil base above every depth of $.depths_m', soil[i],
      `a depth ≥ ${shallowest} m, the shallowest of $.depths_m (or leave $.depths_m out: 20 depths down to each cell's own base)`);
  }
}

/** Where a tile sits in the whole grid: its first row and column and the whole grid's width. */
export interface TileOrigin { row0: number; col0: number; ncols: number }

export interface MemberTileCase {
  input: Record<string, unknown>;
  /** Only the grids this member changed (the tile's others are shared by every member). */
  drawn: Record<string, Grid>;
  /** Per-member draws, by field (members.csv's columns). */
  scalars: Record<string, number>;
  /** With a drawn soil depth: cells of the tile whose water table was raised to the drawn base. */
  waterTableAtBase?: number;
}

/** The name under which a member's drawn grid replaces an input (never a file name: it has no extension). */
export const drawnGridName = (field: string) => `ensemble draw of ${field}`;

/**
 * The member's case for a tile whose grids are `grids` (the reference grid `reference` gives the
 * tile's size). `input` is the tile's case with no ensemble block; it is never changed.
 */
export function memberTileCase(input: Record<string, unknown>, grids: Record<string, Grid>, reference: Omit<Grid, 'values'>, origin: TileOrigin, spec: GridEnsembleSpec, member: number): MemberTileCase {
  const caseInput = structuredClone(input) as Record<string, unknown> & { grid: Record<string, unknown> };
  // Warning levels and pressure heads are not part of the probability products: not computed.
  delete caseInput.warning;
  delete caseInput.output;
  const drawn: Record<string, Grid> = {};
  const scalars: Record<string, number> = {};
  let waterTableAtBase: number | undefined;
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
    const replaced = [quantity as string];
    if (quantity === 'soil_depth_m') {
      checkDepthsInsideSoil(caseInput.depths_m, values, cols, origin);
      const table = waterTableOnDrawnBase(caseInput.grid, grids, values);
      if (table) {
        drawn[drawnGridName('water_table_depth_m')] = { ...reference, values: table.values };
        caseInput.grid.water_table_depth_m = drawnGridName('water_table_depth_m');
        waterTableAtBase = table.raised;
        replaced.push('water_table_depth_m');
      }
    }
    const name = drawnGridName(quantity);
    drawn[name] = { ...reference, values };
    caseInput.grid[quantity] = name;
    if (Array.isArray(caseInput.grid.zone_table)) {
      caseInput.grid.zone_table = caseInput.grid.zone_table.map((row) => {
        if (!isRecord(row)) return row;
        return Object.fromEntries(Object.entries(row).filter(([key]) => !replaced.includes(key)));
      });
    }
  }
  return { input: caseInput, drawn, scalars, ...(waterTableAtBase !== undefined ? { waterTableAtBase } : {}) };
}
