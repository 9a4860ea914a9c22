// The cells form's case built from values a coupling already holds (models/scenario/slope-coupling.ts),
// rather than from a case file: no JSON written only to be parsed again. What protects the kernel
// stays: every value is checked against the same declared ranges (spec.ts), with the same JSON
// paths, and the same cell consistency as the file form, and the run options come from the same
// runOptionsOf, so both forms pack the same bytes for the same values (test/landslide/fs-typed.test.ts).
import { InputError, type Problem } from '../errors.ts';
import { checkNumber, checkParams } from '../params.ts';
import { CELL_STRIDE } from '../../assembly/landslide/layout.ts';
import { checkCellConsistency, defaultDepthFractions, runOptionsOf, type FsCase } from './fs.ts';
import { packCell, type CellProperties } from './packed.ts';
import { caseParams, cellParams, MAX_PROFILE_VALUES, outputTime, rainParams, rainRateMetresPerSecond } from './spec.ts';

export interface FsCells {
  /** Every cell parameter of spec.ts's cellParams, in its unit. */
  cells: readonly CellProperties[];
  /** One rain series for every cell: periods of `periodS`, m/s. */
  rain: { periodS: number; mPerS: Float64Array };
  /** Increasing. */
  outputTimesS: Float64Array;
  basalBoundary: 'finite' | 'infinite';
}

/** As parseFsCase of the same values in the file form (depths left to their default, no warning). */
export function fsCaseFromCells(a: FsCells): FsCase {
  const problems: Problem[] = [];
  if (a.cells.length === 0) problems.push({ path: '$.cells', message: 'must be a non-empty array', value: [], expected: 'at least one cell' });
  const cells = a.cells.map((given, i) => {
    const path = `$.cells[${i}]`;
    const cell = checkParams(cellParams, { ...given }, path, problems) as CellProperties;
    checkCellConsistency(cell, path, problems);
    return cell;
  });
  checkParams(rainParams, { period_s: a.rain.periodS }, '$.rain', problems);
  // Plain loops: a callback made per call was compiled again at every ensemble member.
  for (let n = 0; n < a.rain.mPerS.length; n++) checkNumber(rainRateMetresPerSecond, a.rain.mPerS[n], `$.rain.m_per_s[${n}]`, problems);
  for (let j = 0; j < a.outputTimesS.length; j++) {
    const t = a.outputTimesS[j];
    checkNumber(outputTime, t, `$.output_times_s[${j}]`, problems);
    if (j > 0 && !(t > a.outputTimesS[j - 1])) {
      problems.push({ path: `$.output_times_s[${j}]`, message: 'is not after the time before it', value: t, expected: `a time > ${a.outputTimesS[j - 1]} s (increasing order)` });
    }
  }
  if (a.outputTimesS.length === 0) problems.push({ path: '$.output_times_s', message: 'is empty', value: [], expected: 'at least one output time' });
  const depths = defaultDepthFractions();
  const values = cells.length * a.outputTimesS.length * depths.length;
  if (values > MAX_PROFILE_VALUES) {
    problems.push({ path: '$', message: 'asks for too many profile values', value: values, expected: `at most ${MAX_PROFILE_VALUES} cells × times × depths (use the grid form for large areas)` });
  }
  if (problems.length) throw new InputError(problems);

  const unitWeightWater = caseParams.unit_weight_water_n_per_m3.default;
  const options = runOptionsOf({
    unitWeightWater, periodS: a.rain.periodS, periodCount: a.rain.mPerS.length, intensity: Float64Array.from(a.rain.mPerS),
    times: Float64Array.from(a.outputTimesS), depths, depthsAreFractions: true, basal: a.basalBoundary, profiles: true, rainPerCell: false,
  });
  const packed = new Float64Array(cells.length * CELL_STRIDE);
  cells.forEach((cell, c) => packCell(cell, unitWeightWater, packed, c * CELL_STRIDE));
  return { ...options, cells, ids: cells.map(() => undefined), packed };
}
