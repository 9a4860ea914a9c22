// ESRI ASCII grids (the architecture's grid convention): row 0 is the northern edge, values
// row-major. NODATA cells are carried as NaN in `values` — never as 0 — and written back as the
// grid's `nodata` value. Every problem in a file is reported as `file:line:col`.
import { InputError, type Problem } from '../errors.ts';
import { checkGridCells } from '../limits.ts';

export interface Grid {
  ncols: number;
  nrows: number;
  /** Western edge of the grid, metres (a `xllcenter` header is converted to the corner). */
  xllcorner: number;
  /** Southern edge of the grid, metres. */
  yllcorner: number;
  cellsize: number;
  /** The value that marks a missing cell in the file; in `values` such cells are NaN. */
  nodata: number;
  values: Float64Array;
}

export const DEFAULT_NODATA = -9999;

interface Token { text: string; line: number; column: number }

function* tokens(text: string): Generator<Token> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const re = /\S+/g;
    for (let m = re.exec(lines[i]); m; m = re.exec(lines[i])) yield { text: m[0], line: i + 1, column: m.index + 1 };
  }
}

const HEADER_KEYS = ['ncols', 'nrows', 'xllcorner', 'xllcenter', 'yllcorner', 'yllcenter', 'cellsize', 'nodata_value'];
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Where a token starts in the text (its line's start plus its column). */
function offsetOf(text: string, token: Token): number {
  let offset = 0;
  for (let line = 1; line < token.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + token.column - 1;
}

// Exact powers of ten: every one up to 1e22 is a double, so m / 10^k below rounds once.
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The data section's `count` values, as the token path reads them (Number(token), NODATA → NaN),
 * ~5× faster: a region's eight 1024² grids took 1.2 s of CPU to parse, paid before any member or
 * run starts. A plain decimal with at most 15 digits and 22 decimals is m / 10^k with m and 10^k
 * exact doubles, so the one division rounds it correctly, as Number() does (Clinger's fast path);
 * longer ones and exponents go through Number(). Undefined at anything else (a stray character, a
 * value too many or too few): the token path then reports it where it is.
 */
export function scanValues(text: string, start: number, count: number, nodata: number): Float64Array | undefined {
  const values = new Float64Array(count);
  const end = text.length;
  let filled = 0;
  let i = start;
  for (;;) {
    let c = 0;
    while (i < end && ((c = text.charCodeAt(i)) === 32 || c === 10 || c === 13 || c === 9)) i++;
    if (i === end) break;
    if (filled === count) return undefined;
    const tokenStart = i;
    let negative = false;
    if (c === 45 || c === 43) { negative = c === 45; c = ++i < end ? text.charCodeAt(i) : 0; }
    let mantissa = 0; let digits = 0; let decimals = 0; let dot = false; let plain = true;
    for (; i < end; c = text.charCodeAt(++i)) {
      if (c >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); digits++; if (dot) decimals++; }
      else if (c === 46 && !dot) dot = true;
      else if (c === 32 || c === 10 || c === 13 || c === 9) break;
      else if (c === 101 || c === 69 || c === 43 || c === 45) plain = false; // exponents: Number() decides
      else return undefined;
    }
    if (digits === 0) return undefined;
    let v: number;
    if (plain && digits <= 15 && decimals <= 22) v = negative ? -(mantissa / POW10[decimals]) : mantissa / POW10[decimals];
    else {
      const token = text.slice(tokenStart, i);
      if (!NUMBER.test(token)) return undefined;
      v = Number(token);
      if (!Number.isFinite(v)) return undefined;
    }
    values[filled++] = v === nodata ? NaN : v;
  }
  return filled === count ? values : undefined;
}

export function parseAsciiGrid(text: string, fileName: string): Grid {
  const problems: Problem[] = [];
  const at = (t: Token | undefined) => (t ? `${fileName}:${t.line}:${t.column}` : `${fileName}:end`);
  const stream = tokens(text);
  const header = new Map<string, { value: number; token: Token }>();
  let next = stream.next();
  // The header is the leading run of `key value` pairs; the first numeric token starts the data.
  while (!next.done && !NUMBER.test(next.value.text)) {
    const keyToken = next.value;
    const key = keyToken.text.toLowerCase();
    if (!HEADER_KEYS.includes(key)) {
      throw InputError.single(at(keyToken), 'unknown header keyword', keyToken.text, `one of ncols, nrows, xllcorner/xllcenter, yllcorner/yllcenter, cellsize, NODATA_value`);
    }
    if (header.has(key)) throw InputError.single(at(keyToken), 'repeats a header keyword', keyToken.text, 'each keyword once');
    const valueResult = stream.next();
    const valueToken = valueResult.done ? undefined : valueResult.value;
    if (!valueToken || !NUMBER.test(valueToken.text)) {
      throw InputError.single(at(valueToken ?? keyToken), `${keyToken.text} needs a number`, valueToken?.text, 'a number after the keyword');
    }
    header.set(key, { value: Number(valueToken.text), token: valueToken });
    next = stream.next();
  }

  const need = (key: string, expected: string, valid: (v: number) => boolean): number => {
    const entry = header.get(key);
    if (!entry) {
      problems.push({ path: `${fileName}:1:1`, message: `header lacks ${key}`, expected });
      return NaN;
    }
    if (!valid(entry.value)) problems.push({ path: at(entry.token), message: `bad ${key}`, value: entry.value, expected });
    return entry.value;
  };
  const ncols = need('ncols', 'a positive integer', (v) => Number.isInteger(v) && v > 0);
  const nrows = need('nrows', 'a positive integer', (v) => Number.isInteger(v) && v > 0);
  const cellsize = need('cellsize', 'a positive number of metres', (v) => v > 0 && Number.isFinite(v));
  const corner = (name: 'x' | 'y') => {
    const cornerKey = `${name}llcorner`;
    const centerKey = `${name}llcenter`;
    if (header.has(cornerKey) && header.has(centerKey)) {
      problems.push({ path: at(header.get(centerKey)!.token), message: `gives both ${cornerKey} and ${centerKey}`, expected: 'one of them' });
    }
    if (header.has(centerKey)) return need(centerKey, 'a finite number', Number.isFinite) - cellsize / 2;
    return need(cornerKey, `a finite number (or ${centerKey})`, Number.isFinite);
  };
  const xllcorner = corner('x');
  const yllcorner = corner('y');
  const nodata = header.has('nodata_value') ? need('nodata_value', 'a finite number', Number.isFinite) : DEFAULT_NODATA;
  if (problems.length) throw new InputError(problems);
  checkGridCells(ncols, nrows, at(header.get('ncols')!.token));
  checkExtent(ncols, nrows, xllcorner, yllcorner, cellsize, at(header.get('cellsize')!.token));

  const count = ncols * nrows;
  // Well-formed data (every region grid) takes the scanner below; anything it does not vouch for
  // is read again token by token, which finds and reports the problem.
  const fast = next.done ? undefined : scanValues(text, offsetOf(text, next.value), count, nodata);
  if (fast) return { ncols, nrows, xllcorner, yllcorner, cellsize, nodata, values: fast };
  const values = new Float64Array(count);
  let filled = 0;
  let lastToken: Token | undefined;
  for (; !next.done; next = stream.next()) {
    const t = next.value;
    if (filled === count) {
      throw InputError.single(at(t), `has more values than ncols × nrows = ${ncols} × ${nrows}`, t.text, `${count} values`);
    }
    if (!NUMBER.test(t.text)) {
      const row = Math.floor(filled / ncols);
      problems.push({ path: at(t), message: `cell (row ${row}, col ${filled % ncols}) is not a number`, value: t.text, expected: `a number, or ${nodata} for NODATA` });
      if (problems.length >= 10) break;
    }
    const v = Number(t.text);
    if (!Number.isFinite(v) && problems.length < 10 && NUMBER.test(t.text)) {
      problems.push({ path: at(t), message: `cell (row ${Math.floor(filled / ncols)}, col ${filled % ncols}) is not a finite number`, value: t.text, expected: `a finite number, or ${nodata} for NODATA` });
    }
    values[filled++] = v === nodata ? NaN : v;
    lastToken = t;
  }
  if (problems.length) throw new InputError(problems);
  if (filled < count) {
    throw InputError.single(lastToken ? `${fileName}:${lastToken.line}:${lastToken.column + lastToken.text.length}` : at(undefined),
      `ends after ${filled} values`, filled, `ncols × nrows = ${ncols} × ${nrows} = ${count} values`);
  }
  return { ncols, nrows, xllcorner, yllcorner, cellsize, nodata, values };
}

/**
 * Refuses a grid whose far edges overflow, or whose cells are too small to tell apart at its
 * coordinates: every cell centre computed from it would then be wrong without a word.
 */
export function checkExtent(ncols: number, nrows: number, xllcorner: number, yllcorner: number, cellsize: number, path: string): void {
  const east = xllcorner + ncols * cellsize;
  const north = yllcorner + nrows * cellsize;
  if (!Number.isFinite(east) || !Number.isFinite(north)) {
    throw InputError.single(path, 'puts the grid edges beyond the largest number', `east ${east}, north ${north}`, 'finite edges');
  }
  const far = Math.max(Math.abs(xllcorner), Math.abs(yllcorner), Math.abs(east), Math.abs(north));
  if (cellsize < far * 1e-9) {
    throw InputError.single(path, 'is too small for the coordinates', cellsize, `at least 1e-9 of the largest coordinate (${far} m)`);
  }
}

/**
 * A cell's text in an ESRI ASCII grid; one definition, so a tile formatted apart
 * (models/ensemble/tile-text.ts) gives the whole grid's bytes. Many output grids hold few distinct
 * values (depths of the lowest FS, first-failure times, warning levels, NODATA): each value's text
 * is remembered (formatting a double is ≈ 0.3 µs, a lookup ≈ 0.02 µs), and the memory is dropped
 * on a grid whose first 4096 distinct values were mostly seen once (continuous FS: ≈ 5 % slower
 * until then, none after).
 */
export function asciiCellFormat(nodata: number, digits?: number): (v: number) => string {
  const format = (v: number) => (Number.isNaN(v) ? String(nodata) : digits ? String(Number(v.toPrecision(digits))) : String(v));
  // Keys compare by SameValueZero: -0 meets 0's text, which is its own ("0") in both forms.
  let seen: Map<number, string> | undefined = new Map();
  let hits = 0;
  return (v: number) => {
    if (!seen) return format(v);
    const known = seen.get(v);
    if (known !== undefined) { hits++; return known; }
    const text = format(v);
    if (seen.size < 4096) seen.set(v, text);
    else if (hits < seen.size) seen = undefined;
    return text;
  };
}

/** An ESRI ASCII grid's six header lines, each ended by a newline; one definition, so a stitched file (models/ensemble/tile-text.ts) starts as the whole grid's. */
export function asciiGridHeader(head: Pick<Grid, 'ncols' | 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize' | 'nodata'>): string {
  return `ncols ${head.ncols}\nnrows ${head.nrows}\nxllcorner ${head.xllcorner}\nyllcorner ${head.yllcorner}\ncellsize ${head.cellsize}\nNODATA_value ${head.nodata}\n`;
}

/** ESRI ASCII text; NaN cells become the grid's NODATA value. `digits` limits significant figures. */
export function formatAsciiGrid(grid: Grid, digits?: number): string {
  const format = asciiCellFormat(grid.nodata, digits);
  const lines: string[] = [];
  for (let r = 0; r < grid.nrows; r++) {
    const row: string[] = [];
    for (let c = 0; c < grid.ncols; c++) row.push(format(grid.values[r * grid.ncols + c]));
    lines.push(row.join(' '));
  }
  return asciiGridHeader(grid) + (lines.length ? lines.join('\n') + '\n' : '');
}

/** Centre of cell (row, col) in map metres: row 0 is the northern edge (CONTRACT.md). */
export function cellCentre(grid: Pick<Grid, 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>, row: number, col: number): { x: number; y: number } {
  return {
    x: grid.xllcorner + (col + 0.5) * grid.cellsize,
    y: grid.yllcorner + (grid.nrows - row - 0.5) * grid.cellsize,
  };
}

/** The cell holding map point (x, y), or undefined outside the grid. */
export function cellAt(grid: Pick<Grid, 'ncols' | 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>, x: number, y: number): { row: number; col: number } | undefined {
  const col = Math.floor((x - grid.xllcorner) / grid.cellsize);
  const row = grid.nrows - 1 - Math.floor((y - grid.yllcorner) / grid.cellsize);
  if (col < 0 || col >= grid.ncols || row < 0 || row >= grid.nrows) return undefined;
  return { row, col };
}

/** Reports (into `problems`) a grid whose geometry differs from the reference grid's. */
export function checkSameGeometry(grid: Grid, reference: Grid, path: string, referenceName: string, problems: Problem[]): void {
  const tolerance = 1e-6 * reference.cellsize;
  if (grid.ncols !== reference.ncols || grid.nrows !== reference.nrows) {
    problems.push({ path, message: 'has a different size', value: `${grid.ncols} × ${grid.nrows}`, expected: `${reference.ncols} × ${reference.nrows} cells like ${referenceName}` });
  } else if (Math.abs(grid.cellsize - reference.cellsize) > tolerance
    || Math.abs(grid.xllcorner - reference.xllcorner) > tolerance
    || Math.abs(grid.yllcorner - reference.yllcorner) > tolerance) {
    problems.push({
      path, message: 'is not aligned',
      value: `cellsize ${grid.cellsize} at (${grid.xllcorner}, ${grid.yllcorner})`,
      expected: `cellsize ${reference.cellsize} at (${reference.xllcorner}, ${reference.yllcorner}) like ${referenceName}`,
    });
  }
}
