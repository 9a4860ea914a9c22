// The ensemble products the app shows beside the probability layers: reaches' P(flow > warning
// flow) over time, first-failure time quantiles, conditional flame length, exposure quantiles and
// members.csv. Read from a folder whose hashes open-products.ts has already checked; a bad cell is
// an InputError naming the file, row and column ("members.csv:3:2").
import { InputError } from '../errors.ts';
import { parseAsciiGrid, type Grid } from '../grid/ascii.ts';
import { parseCsv } from '../scenario/csv.ts';

/** Per reach, P(flow > the reach's warning flow) at each step boundary `tS`. */
export interface ReachProbabilities { tS: number[]; reaches: { id: string; p: number[] }[] }

/** One row of exposure_quantiles.csv: a headline's 5/50/95 % over the good members. */
export interface ExposureRow { metric: string; members: number; q05: number; q50: number; q95: number }

/** One row of members.csv; cells as written (text from a file: shown escaped, never as markup). */
export interface MemberRow { member: number; cells: Record<string, string>; bad: boolean; problem: string; hash: string }

export interface MembersTable {
  /** Drawn inputs' columns, in the file's order. */
  inputs: string[];
  /** Headline outcomes' columns (the metrics exposure_quantiles.csv lists), in the file's order. */
  headlines: string[];
  rows: MemberRow[];
}

export interface MoreProducts {
  reachP?: ReachProbabilities;
  /** Per slope block: 5/50/95 % of the first time FS < 1, seconds; NaN where the quantile is "never". */
  firstFailure?: { q05: Grid; q50: Grid; q95: Grid };
  /** Per region cell: mean Byram flame length over the members that burned it, m; NaN where none did. */
  flame?: Grid;
  exposure?: ExposureRow[];
  memberRows?: MembersTable;
}

export const FAILURE_QUANTILES = ['q05', 'q50', 'q95'] as const;
export type FailureQuantile = (typeof FAILURE_QUANTILES)[number];

function rowsOf(text: string): string[][] {
  return parseCsv(text).map((r) => r.fields);
}

function numberAt(rows: string[][], name: string, r: number, c: number, check: (v: number) => boolean = () => true, expected = 'a finite number'): number {
  const cell = rows[r]?.[c];
  const v = cell === undefined || cell === '' ? NaN : Number(cell);
  if (!Number.isFinite(v) || !check(v)) throw InputError.single(`${name}:${r + 1}:${c + 1}`, 'is not a number it can be', cell, expected);
  return v;
}

export function reachProbabilities(text: string, name = 'flood/p_flow_over_warning.csv'): ReachProbabilities {
  const rows = rowsOf(text);
  const header = rows[0] ?? [];
  if (header[0] !== 't_s' || header[1] !== 'time' || header.slice(2).some((h) => !h.endsWith('_p'))) {
    throw InputError.single(`${name}:1:1`, 'has an unexpected header', header.join(',').slice(0, 60), 't_s,time,<reach>_p,…');
  }
  const body = rows.slice(1);
  return {
    tS: body.map((_, k) => numberAt(rows, name, k + 1, 0)),
    reaches: header.slice(2).map((h, j) => ({
      id: h.slice(0, -2),
      p: body.map((_, k) => numberAt(rows, name, k + 1, j + 2, (v) => v >= 0 && v <= 1, 'a probability in [0, 1]')),
    })),
  };
}

export function exposureRows(text: string, name = 'exposure_quantiles.csv'): ExposureRow[] {
  const rows = rowsOf(text);
  const expected = ['metric', 'members', 'q05', 'q50', 'q95'];
  if ((rows[0] ?? []).join(',') !== expected.join(',')) throw InputError.single(`${name}:1:1`, 'has an unexpected header', (rows[0] ?? []).join(','), expected.join(','));
  return rows.slice(1).map((row, k) => ({
    metric: row[0], members: numberAt(rows, name, k + 1, 1),
    q05: numberAt(rows, name, k + 1, 2), q50: numberAt(rows, name, k + 1, 3), q95: numberAt(rows, name, k + 1, 4),
  }));
}

/** members.csv split into drawn inputs and headlines; `headlineNames` are exposure_quantiles.csv's metrics. */
export function membersTable(text: string, headlineNames: readonly string[], name = 'members.csv'): MembersTable {
  const rows = rowsOf(text);
  const header = rows[0] ?? [];
  const tail = ['status', 'problem', 'result_sha256'];
  if (header[0] !== 'member' || header.slice(-3).join(',') !== tail.join(',')) {
    throw InputError.single(`${name}:1:1`, 'has an unexpected header', header.join(',').slice(0, 60), 'member,<inputs>,<headlines>,status,problem,result_sha256');
  }
  const middle = header.slice(1, -3);
  const known = new Set(headlineNames);
  return {
    inputs: middle.filter((h) => !known.has(h)),
    headlines: middle.filter((h) => known.has(h)),
    rows: rows.slice(1).map((row, k) => {
      const status = row[header.length - 3];
      if (status !== 'ok' && status !== 'bad') throw InputError.single(`${name}:${k + 2}:${header.length - 2}`, 'is not a member status', status, '"ok" or "bad"');
      return {
        member: numberAt(rows, name, k + 1, 0, (v) => Number.isInteger(v) && v >= 0, 'a member index'),
        cells: Object.fromEntries(middle.map((h, j) => [h, row[j + 1] ?? ''])),
        bad: status === 'bad', problem: row[header.length - 2] ?? '', hash: row[header.length - 1] ?? '',
      };
    }),
  };
}

const failureGrid = (q: FailureQuantile) => `landslide/first_failure_t_s_${q}.asc`;
const FLAME_GRID = 'fire/conditional_flame_length_m.asc';
/** The ESRI ASCII grids among these products. */
export const GRID_MORE_PRODUCTS = [...FAILURE_QUANTILES.map(failureGrid), FLAME_GRID];

/**
 * Every product of this file among an ensemble's files (absent ones left undefined); `grid` parses
 * a grid product by name (the caller's, to count them).
 */
export function openMoreProducts(files: Record<string, string>, grid = (name: string): Grid | undefined => (files[name] === undefined ? undefined : parseAsciiGrid(files[name], name))): MoreProducts {
  const failure = FAILURE_QUANTILES.map((q) => grid(failureGrid(q)));
  const exposure = files['exposure_quantiles.csv'] === undefined ? [] : exposureRows(files['exposure_quantiles.csv']);
  return {
    reachP: files['flood/p_flow_over_warning.csv'] === undefined ? undefined : reachProbabilities(files['flood/p_flow_over_warning.csv']),
    firstFailure: failure.every((g) => g) ? { q05: failure[0]!, q50: failure[1]!, q95: failure[2]! } : undefined,
    flame: grid(FLAME_GRID),
    exposure,
    memberRows: files['members.csv'] === undefined ? undefined : membersTable(files['members.csv'], exposure.map((e) => e.metric)),
  };
}
