// A `risklist grade` case built from values a coupling already holds (models/scenario/run.ts: the
// region's items, the coupled readings, the issued warnings), rather than from a case file: no JSON
// written only to be parsed again. What protects the kernel stays: each item, factor, reading and
// warning goes through the same checked builders as the file form (itemDefOf, factorDefOf,
// readingsOf, warningsOf), with the same JSON paths, and the rest (packing, the batch) is the file
// form's own gradeCaseOf, so both forms give the same case for the same values
// (test/risklist/grade-typed.test.ts).
import type { Problem } from '../errors.ts';
import { checkParams, throwIfAny } from '../params.ts';
import { gradeCaseOf, type GradeCase } from './grade.ts';
import { defaultSettings, itemDefsOf, readingsOf, warningsOf, type ItemValues, type ReadingValues, type WarningValues } from './parse.ts';
import { caseParams } from './spec.ts';

export interface GradeCaseValues {
  untilS: number;
  /** In the order of the user's items file: a problem's path `$.items[k]` names its entry k. */
  items: readonly ItemValues[];
  readings: readonly ReadingValues[];
  warnings: readonly WarningValues[];
}

/** As parseGradeCase of the same values in the file form (default settings, no events or pins). */
export function gradeCaseFromValues(v: GradeCaseValues): GradeCase {
  const problems: Problem[] = [];
  const { until_s: untilS } = checkParams({ until_s: caseParams.until_s }, { until_s: v.untilS }, '$', problems);
  const items = itemDefsOf(v.items, '$.items', defaultSettings(), problems);
  throwIfAny(problems);
  return gradeCaseOf({
    untilS, items,
    inputs: (index, window, found) => ({
      readings: readingsOf(v.readings, '$.readings', index, window, found),
      warnings: warningsOf(v.warnings, '$.warnings', index, window, found),
      events: [],
      pins: [],
    }),
  });
}
