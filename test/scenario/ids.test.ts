// Ids that become file names (a warning's CAP files) are refused where the user wrote them when
// they could leave `--out`: inject and warning ids in a scenario or an MSEL CSV, and the region's
// district and river ids that rule warnings are named from.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { isFileId } from '../../models/scenario/ids.ts';
import { injectsFromCsv, parseInjects } from '../../models/scenario/injects.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { parseScenario } from '../../models/scenario/schema.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));
const EXPECTED = 'expected 1 to 64 letters, digits, "_", "-" or "." (no ".."), starting with a letter or digit';

function problemsOf(run: () => unknown): string[] {
  try { run(); } catch (error) { if (error instanceof InputError) return error.problems.map(formatProblem); throw error; }
  throw new Error('expected an InputError');
}

const issue = (id: string, action: Record<string, unknown> = {}) => ({ id, title: 'warn', trigger: { type: 'time', t_s: 60 }, kind: 'model-change', action: { type: 'warning-issue', level: 3, ...action } });

describe('ids that name files', () => {
  it('the safe set: letters, digits, _ - . up to 64, no .., no leading dot or dash', () => {
    for (const ok of ['I1', 'W-RAIN-ORANGE', 'W-DEC-3', 'yuzhong', 'G-main', '500103', 'a.b_c-d', 'x'.repeat(64)]) expect(isFileId(ok), ok).toBe(true);
    for (const bad of ['', '../x', '..', 'a..b', '.hidden', '-x', 'a/b', 'a\\b', '/abs', 'x'.repeat(65), 'a b', '渝中', 'a\0', 'C:x']) expect(isFileId(bad), bad).toBe(false);
  });

  it('a warning-issue action id is refused at $.injects[k].action.id; without one, the inject id at $.injects[k].id', () => {
    expect(problemsOf(() => parseInjects([issue('I1', { id: '../../../../tmp/x/PWNED' })], '$.injects', 3600))).toEqual([
      `error: $.injects[0].action.id: cannot be used in file names (it names the warning's CAP files) (got "../../../../tmp/x/PWNED", ${EXPECTED})`,
    ]);
    expect(problemsOf(() => parseInjects([issue('ok'), issue('/etc/x')], '$.injects', 3600))).toEqual([
      `error: $.injects[1].id: cannot be used in file names (it names the warning's CAP files) (got "/etc/x", ${EXPECTED})`,
    ]);
    // An inject that issues no warning names no file: its id is free.
    expect(parseInjects([{ id: 'Étape 1/2', title: 'note', trigger: { type: 'manual' } }, issue('1/2', { id: 'W1' })], '$.injects', 3600)).toHaveLength(2);
  });

  it('two warnings whose ids differ only in case would share CAP files: the second is refused', () => {
    expect(problemsOf(() => parseInjects([issue('I1', { id: 'W1' }), issue('I2'), issue('I3', { id: 'w1' })], '$.injects', 3600))).toEqual([
      'error: $.injects[2].action.id: issues the warning W1 again ($.injects[0].action.id): its CAP files would replace the first\'s (got "w1", expected a warning id of its own)',
    ]);
    expect(problemsOf(() => parseInjects([issue('I1', { id: 'I2' }), issue('I2')], '$.injects', 3600))).toEqual([
      'error: $.injects[1].id: issues the warning I2 again ($.injects[0].action.id): its CAP files would replace the first\'s (got "I2", expected a warning id of its own)',
    ]);
  });

  it('from an MSEL CSV the problem names the file and line', () => {
    const csv = 'id,trigger,time_s,title,kind,action\nI1,time,60,warn,model-change,"{""type"":""warning-issue"",""id"":""../up""}"\n';
    expect(problemsOf(() => injectsFromCsv(csv, 'msel.csv', 3600))).toEqual([
      `error: msel.csv:2 (action.id): cannot be used in file names (it names the warning's CAP files) (got "../up", ${EXPECTED})`,
    ]);
  });

  it('every shipped scenario keeps its ids', () => {
    for (const name of readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json'))) {
      expect(() => parseScenario(JSON.parse(readFileSync(join(SCENARIO_DIR, name), 'utf8'))), name).not.toThrow();
    }
  });
});

describe('a region\'s ids that name warning files', () => {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-ids-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a district or entering-river id that cannot name a file is refused by file and JSON path, before the grids are read', async () => {
    const manifest = JSON.parse(readFileSync(join(SCENARIO_DIR, 'region/region.json'), 'utf8'));
    manifest.districts[2].id = '../../nanan';
    manifest.river_entries[1].river = 'a/b';
    mkdirSync(join(work, 'region'));
    writeFileSync(join(work, 'region', 'region.json'), JSON.stringify(manifest));
    const problems = await loadRegion(work, 'region/region.json').then(() => [], (e: InputError) => e.problems.map(formatProblem));
    expect(problems).toEqual([
      `error: region/region.json $.districts[2].id: cannot be used in file names (it names the CAP files of its warnings) (got "../../nanan", ${EXPECTED})`,
      `error: region/region.json $.river_entries[1].river: cannot be used in file names (it names the CAP files of its gauge's flood warnings) (got "a/b", ${EXPECTED})`,
    ]);
  });
});
