// Rasters onto the DEM's grid, from any grid and CRS: categories by nearest cell, counts (people,
// buildings) by spreading each source cell over sub-cells so sums are kept, elevations bilinear.
// Positions are transformed exactly on a lattice every LATTICE cells and interpolated between
// (a projection bends far less than a cell over 16 cells), so a 16 M-cell grid needs ~65 k
// transforms, not 16 M.
import type { Grid } from '../../grid/ascii.ts';
import type { Crs } from '../../geo/crs.ts';

export interface Located { grid: Grid; crs: Crs }

const LATTICE = 16;

/**
 * (u, v) in `from`'s cell units (u east from the west edge, v south from the north edge) → the same
 * in `to`'s, written into `out[0]`, `out[1]`: the resamplers call it once per (sub-)cell, so it
 * returns nothing new (a 16 M-cell grid would otherwise make 16 M short-lived arrays).
 */
export type Mapper = (u: number, v: number, out: Float64Array) => void;

export function makeMapper(from: Located, to: Located): Mapper {
  const f = from.grid; const t = to.grid;
  const mapX = (u: number) => f.xllcorner + u * f.cellsize;
  const mapY = (v: number) => f.yllcorner + (f.nrows - v) * f.cellsize;
  if (from.crs.definition === to.crs.definition) {
    return (u, v, out) => { out[0] = (mapX(u) - t.xllcorner) / t.cellsize; out[1] = t.nrows - (mapY(v) - t.yllcorner) / t.cellsize; };
  }
  const nu = Math.ceil(f.ncols / LATTICE) + 1; const nv = Math.ceil(f.nrows / LATTICE) + 1;
  const lu = new Float64Array(nu * nv); const lv = new Float64Array(nu * nv);
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const [lon, lat] = from.crs.toLonLat(mapX(i * LATTICE), mapY(j * LATTICE));
      const [x, y] = to.crs.fromLonLat(lon, lat);
      lu[j * nu + i] = (x - t.xllcorner) / t.cellsize; lv[j * nu + i] = t.nrows - (y - t.yllcorner) / t.cellsize;
    }
  }
  return (u, v, out) => {
    const gi = Math.min(nu - 2, Math.max(0, Math.floor(u / LATTICE))); const gj = Math.min(nv - 2, Math.max(0, Math.floor(v / LATTICE)));
    const a = u / LATTICE - gi; const b = v / LATTICE - gj;
    const k = gj * nu + gi;
    const w00 = (1 - a) * (1 - b); const w10 = a * (1 - b); const w01 = (1 - a) * b; const w11 = a * b;
    out[0] = lu[k] * w00 + lu[k + 1] * w10 + lu[k + nu] * w01 + lu[k + nu + 1] * w11;
    out[1] = lv[k] * w00 + lv[k + 1] * w10 + lv[k + nu] * w01 + lv[k + nu + 1] * w11;
  };
}

function emptyLike(target: Grid): Grid {
  return { ...target, values: new Float64Array(target.ncols * target.nrows).fill(NaN) };
}

/** Nearest source cell to each target cell centre (land cover, fuel models): NaN outside the source. */
export function resampleNearest(source: Located, target: Located): Grid {
  const out = emptyLike(target.grid);
  const map = makeMapper(target, source);
  const s = source.grid;
  const at = new Float64Array(2);
  for (let r = 0; r < out.nrows; r++) {
    for (let c = 0; c < out.ncols; c++) {
      map(c + 0.5, r + 0.5, at);
      const sc = Math.floor(at[0]); const sr = Math.floor(at[1]);
      if (sc >= 0 && sc < s.ncols && sr >= 0 && sr < s.nrows) out.values[r * out.ncols + c] = s.values[sr * s.ncols + sc];
    }
  }
  return out;
}

/** Bilinear between source cell centres (elevation): NaN where any of the four is NODATA or outside. */
export function resampleBilinear(source: Located, target: Located): Grid {
  const out = emptyLike(target.grid);
  const map = makeMapper(target, source);
  const s = source.grid;
  const at = new Float64Array(2);
  for (let r = 0; r < out.nrows; r++) {
    for (let c = 0; c < out.ncols; c++) {
      map(c + 0.5, r + 0.5, at);
      const x = at[0] - 0.5; const y = at[1] - 0.5;
      const c0 = Math.floor(x); const r0 = Math.floor(y);
      if (c0 < 0 || r0 < 0 || c0 + 1 >= s.ncols || r0 + 1 >= s.nrows) continue;
      const a = x - c0; const b = y - r0; const k = r0 * s.ncols + c0;
      out.values[r * out.ncols + c] = (1 - a) * (1 - b) * s.values[k] + a * (1 - b) * s.values[k + 1] + (1 - a) * b * s.values[k + s.ncols] + a * b * s.values[k + s.ncols + 1];
    }
  }
  return out;
}

/**
 * Counts per cell (residents, buildings): each source cell is split into sub-cells no larger than
 * a target cell, each carrying its share to the target cell its centre falls in. What lies inside
 * the target is kept exactly (sum in = sum out); `outside` is what fell beyond it.
 */
export function resampleCounts(source: Located, target: Located): { grid: Grid; inside: number; outside: number } {
  const out = { ...target.grid, values: new Float64Array(target.grid.ncols * target.grid.nrows) };
  const map = makeMapper(source, target);
  const s = source.grid;
  const split = Math.min(16, Math.max(1, Math.ceil(s.cellsize / target.grid.cellsize)));
  const at = new Float64Array(2);
  let inside = 0; let outside = 0;
  for (let r = 0; r < s.nrows; r++) {
    for (let c = 0; c < s.ncols; c++) {
      const value = s.values[r * s.ncols + c];
      if (!(value > 0)) continue;
      const share = value / (split * split);
      for (let j = 0; j < split; j++) {
        for (let i = 0; i < split; i++) {
          map(c + (i + 0.5) / split, r + (j + 0.5) / split, at);
          const tc = Math.floor(at[0]); const tr = Math.floor(at[1]);
          if (tc >= 0 && tc < out.ncols && tr >= 0 && tr < out.nrows) { out.values[tr * out.ncols + tc] += share; inside += share; } else outside += share;
        }
      }
    }
  }
  return { grid: out, inside, outside };
}
