import { describe, expect, it } from 'vitest';
import { cellAt, cellCentre, checkSameGeometry, formatAsciiGrid, parseAsciiGrid } from '../../models/grid/ascii.ts';
import { formatProblem, InputError, type Problem } from '../../models/errors.ts';

const sample = `ncols 3
nrows 2
xllcorner 100
yllcorner 200
cellsize 10
NODATA_value -9999
1 2 3
4 -9999 6
`;

function errorsOf(text: string): string[] {
  try {
    parseAsciiGrid(text, 'g.asc');
  } catch (error) {
    return (error as InputError).problems.map(formatProblem);
  }
  throw new Error('expected an InputError');
}

describe('ESRI ASCII grids', () => {
  it('parses header and values row-major, NODATA as NaN, and writes them back unchanged', () => {
    const grid = parseAsciiGrid(sample, 'g.asc');
    expect(grid).toMatchObject({ ncols: 3, nrows: 2, xllcorner: 100, yllcorner: 200, cellsize: 10, nodata: -9999 });
    expect(Array.from(grid.values)).toEqual([1, 2, 3, 4, NaN, 6]);
    expect(formatAsciiGrid(grid)).toBe(sample.replace('NODATA_value', 'NODATA_value'));
    expect(parseAsciiGrid(formatAsciiGrid(grid), 'again.asc')).toEqual(grid);
  });

  it('accepts xllcenter/yllcenter, any keyword case, and values wrapped across lines', () => {
    const grid = parseAsciiGrid('NCOLS 2\nNROWS 2\nXLLCENTER 5\nYLLCENTER 15\nCELLSIZE 10\n1 2\n3\n4\n', 'c.asc');
    expect(grid.xllcorner).toBe(0);
    expect(grid.yllcorner).toBe(10);
    expect(grid.nodata).toBe(-9999);
    expect(Array.from(grid.values)).toEqual([1, 2, 3, 4]);
  });

  it('locates bad values, short and long files, and bad headers as file:line:col', () => {
    expect(errorsOf(sample.replace('4 -9999 6', '4 x 6'))).toEqual(['error: g.asc:8:3: cell (row 1, col 1) is not a number (got "x", expected a number, or -9999 for NODATA)']);
    expect(errorsOf(sample.replace('4 -9999 6', '4 5'))).toEqual(['error: g.asc:8:4: ends after 5 values (got 5, expected ncols × nrows = 3 × 2 = 6 values)']);
    expect(errorsOf(sample + '7\n')).toEqual(['error: g.asc:9:1: has more values than ncols × nrows = 3 × 2 (got "7", expected 6 values)']);
    expect(errorsOf(sample.replace('ncols 3', 'ncols 0'))).toEqual(['error: g.asc:1:7: bad ncols (got 0, expected a positive integer)']);
    expect(errorsOf(sample.replace('cellsize 10', 'dx 10'))[0]).toBe('error: g.asc:5:1: unknown header keyword (got "dx", expected one of ncols, nrows, xllcorner/xllcenter, yllcorner/yllcenter, cellsize, NODATA_value)');
  });

  it('maps cells to map coordinates with row 0 at the northern edge (CONTRACT.md)', () => {
    const grid = parseAsciiGrid(sample, 'g.asc');
    expect(cellCentre(grid, 0, 0)).toEqual({ x: 105, y: 215 });
    expect(cellCentre(grid, 1, 2)).toEqual({ x: 125, y: 205 });
    expect(cellAt(grid, 105, 215)).toEqual({ row: 0, col: 0 });
    expect(cellAt(grid, 129.9, 200.1)).toEqual({ row: 1, col: 2 });
    expect(cellAt(grid, 130, 205)).toBeUndefined();
    expect(cellAt(grid, 99.9, 205)).toBeUndefined();
  });

  it('flags grids that do not line up with the reference grid', () => {
    const grid = parseAsciiGrid(sample, 'g.asc');
    const problems: Problem[] = [];
    checkSameGeometry({ ...grid, ncols: 4, values: new Float64Array(8) }, grid, '$.slope_deg', 'dem.asc', problems);
    checkSameGeometry({ ...grid, xllcorner: 105 }, grid, '$.soil_depth_m', 'dem.asc', problems);
    checkSameGeometry(grid, grid, '$.ok', 'dem.asc', problems);
    expect(problems.map(formatProblem)).toEqual([
      'error: $.slope_deg: has a different size (got "4 × 2", expected 3 × 2 cells like dem.asc)',
      'error: $.soil_depth_m: is not aligned (got "cellsize 10 at (105, 200)", expected cellsize 10 at (100, 200) like dem.asc)',
    ]);
  });
});
