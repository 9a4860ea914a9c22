// ESRI ASCII output for the builder's grids, fast: every value is rounded to a fixed number of
// decimals and written from integers (V8's shortest-float printing of 16 M non-integers takes
// ~7–16 s; integer printing a fifth of that). The text equals formatAsciiGrid's for values that
// already have at most `decimals` decimals.
import type { Grid } from '../../grid/ascii.ts';

const SCALES = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** `decimals`: 0 to 6. */
export function formatGridFixed(grid: Grid, decimals: number): string {
  const scale = SCALES[decimals];
  const nodata = String(grid.nodata);
  // Codes, ids and most counts are small integers: their text is looked up, not printed.
  const small = Array.from({ length: 1026 }, (_, k) => String(k - 1));
  const format = (v: number): string => {
    if (Number.isNaN(v)) return nodata;
    if (v >= -1 && v <= 1024 && v === Math.floor(v)) return small[v + 1];
    const m = Math.round(v * scale);
    const negative = m < 0;
    const a = negative ? -m : m;
    const whole = Math.floor(a / scale);
    const part = a - whole * scale;
    if (part === 0) return negative ? `-${whole}` : String(whole);
    let digits = String(part + scale).slice(1);
    let end = digits.length;
    while (digits.charCodeAt(end - 1) === 48) end--;
    digits = digits.slice(0, end);
    return `${negative ? '-' : ''}${whole}.${digits}`;
  };
  const lines = [`ncols ${grid.ncols}`, `nrows ${grid.nrows}`, `xllcorner ${grid.xllcorner}`, `yllcorner ${grid.yllcorner}`, `cellsize ${grid.cellsize}`, `NODATA_value ${grid.nodata}`];
  const row: string[] = new Array(grid.ncols);
  for (let r = 0; r < grid.nrows; r++) {
    const base = r * grid.ncols;
    for (let c = 0; c < grid.ncols; c++) row[c] = format(grid.values[base + c]);
    lines.push(row.join(' '));
  }
  return lines.join('\n') + '\n';
}
