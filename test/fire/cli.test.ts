// `sandtable fire …` as users' scripts call it (CONTRACT.md): exit codes, stdout JSON, stderr lines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/sandtable.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sandtable-fire-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

export function sandtable(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: stdin, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const contractExample = {
  fuel_model: 'FM1', moisture_percent: { d1h: 6, d10h: 7, d100h: 8, live_herb: 60, live_woody: 90 },
  midflame_wind_m_per_s: 2.2352, wind_from_deg: 0, slope_percent: 0, aspect_deg: 0,
};

describe('sandtable fire behavior', () => {
  it('the contract example: FM1 at 5 mi/h gives behave’s 31.479787 m/min, exit 0, JSON only on stdout', () => {
    const path = join(work, 'fm1.json');
    writeFileSync(path, JSON.stringify(contractExample));
    const r = sandtable(['fire', 'behavior', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining([
      'ros_head_m_per_min', 'ros_backing_m_per_min', 'ros_flanking_m_per_min', 'fireline_intensity_kw_per_m', 'flame_length_m',
      'length_to_width', 'direction_of_max_spread_deg', 'reaction_intensity_kw_per_m2', 'heat_per_area_kj_per_m2',
    ]));
    expect(Math.abs(out.ros_head_m_per_min - 31.479787)).toBeLessThan(1e-6);
    expect(out.direction_of_max_spread_deg).toBe(180); // wind from the north drives it south
  });

  it('an array in (stdin) gives an array out; fuel by number works', () => {
    const r = sandtable(['fire', 'behavior', '-'], JSON.stringify([contractExample, { ...contractExample, fuel_model: 102 }]));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[1].fuel_model).toBe('GR2');
  });

  it('bad input: exit 2, one line per problem, nothing on stdout', () => {
    const r = sandtable(['fire', 'behavior', '-'], JSON.stringify([{ ...contractExample, fuel_model: 'FM14', moisture_percent: { ...contractExample.moisture_percent, d10h: 120 } }]));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'error: $[0].fuel_model: names no fuel model (got "FM14", expected a fuel model code (FM1..FM13, GR1..SB4, NB1..NB9), its number, or a custom model object)',
      'error: $[0].moisture_percent.d10h: out of range (got 120, expected a number in [1, 100] %)',
      '',
    ].join('\n'));
  });
});
