// Members' model warnings are grouped by (model, place) whatever order the results arrive in; the
// count says how many members warned there; the manifest's list is bounded.
import { describe, expect, it } from 'vitest';
import { ensembleWarningLines, ensembleWarnings, MAX_ENSEMBLE_WARNINGS } from '../../models/ensemble/member-warnings.ts';
import type { ModelWarning } from '../../models/scenario/model-warnings.ts';

const reach = (id: string, what: string): ModelWarning => ({ model: 'flood', where: `reach ${id}`, what });

describe('ensembleWarnings', () => {
  const results = [
    { index: 2, warnings: [reach('R1', 'dips to -0.3 m3/s'), reach('R2', 'capped')] },
    { index: 0, warnings: [reach('R1', 'dips to -4.2 m3/s'), reach('R1', 'second line, same reach')] },
    { index: 1 }, // a bad member: it did not run
    { index: 3, warnings: [] },
  ];

  it('one entry per place, the first member\'s wording, each member counted once', () => {
    expect(ensembleWarnings(results)).toEqual({
      warnings: [
        { model: 'flood', where: 'reach R1', what: 'dips to -4.2 m3/s', members: 2, first_member: 0 },
        { model: 'flood', where: 'reach R2', what: 'capped', members: 1, first_member: 2 },
      ],
      left_out: 0,
    });
  });

  it('does not depend on the order results arrived in', () => {
    expect(ensembleWarnings([...results].reverse())).toEqual(ensembleWarnings(results));
  });

  it(`keeps at most ${MAX_ENSEMBLE_WARNINGS} places and counts the rest`, () => {
    const many = [{ index: 0, warnings: Array.from({ length: MAX_ENSEMBLE_WARNINGS + 7 }, (_, k) => reach(`R${k}`, 'x')) }];
    const grouped = ensembleWarnings(many);
    expect(grouped.warnings).toHaveLength(MAX_ENSEMBLE_WARNINGS);
    expect(grouped.left_out).toBe(7);
    const lines = ensembleWarningLines(grouped, 1, 3);
    expect(lines).toEqual([
      'warning: flood: reach R0: x (in 1 of 1 members; first: member 0)',
      'warning: flood: reach R1: x (in 1 of 1 members; first: member 0)',
      'warning: flood: reach R2: x (in 1 of 1 members; first: member 0)',
      `warning: … and ${MAX_ENSEMBLE_WARNINGS - 3 + 7} more places: manifest.json's model_warnings`,
    ]);
  });
});
