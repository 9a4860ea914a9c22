// Members' model warnings are grouped by (model, place) whatever order the results arrive in; the
// count says how many members warned there; the manifest's list is bounded.
import { describe, expect, it } from 'vitest';
import { ensembleWarningLines, ensembleWarnings, MAX_ENSEMBLE_WARNINGS } from '../../models/ensemble/member-warnings.ts';
import { modelWarning, type ModelWarning } from '../../models/scenario/model-warnings.ts';

const reach = (id: string, what: string): ModelWarning => modelWarning('flood', `reach ${id}`, what);
const other = (text: string) => ({ severity: 'warning', code: 'other', params: { text } });

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
        { model: 'flood', where: 'reach R1', what: 'dips to -4.2 m3/s', ...other('dips to -4.2 m3/s'), members: 2, first_member: 0 },
        { model: 'flood', where: 'reach R2', what: 'capped', ...other('capped'), members: 1, first_member: 2 },
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

  it('two problems at one place stay two lines, each with its severity; information prints as `note:`', () => {
    const network = (what: string) => modelWarning('flood', 'network', what);
    const substeps = 'the network was routed in 35 sub-steps of 25.7143 s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s';
    const grouped = ensembleWarnings([
      { index: 0, warnings: [network(substeps), network('outflow fell below zero at 1122 reach-steps (minimum -4.17149 m³/s): see the coefficient warnings')] },
      { index: 1, warnings: [network(substeps), network('outflow fell below zero at 263 reach-steps (minimum -1.5 m³/s): see the coefficient warnings')] },
    ]);
    expect(grouped.warnings.map((w) => [w.code, w.severity, w.members, w.params])).toEqual([
      ['flood.substeps', 'info', 2, { substeps: 35, sub_dt_s: 25.7143 }],
      ['flood.negative_outflow', 'warning', 2, { reach_steps: 1122, min_m3_per_s: -4.17149 }],
    ]);
    expect(ensembleWarningLines(grouped, 2).map((l) => l.slice(0, 40))).toEqual(['note: flood: network: the network was ro', 'warning: flood: network: outflow fell be']);
  });
});
