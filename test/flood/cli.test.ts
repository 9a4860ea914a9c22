// `sandtable flood runoff` and the flood scenarios as users' scripts call them (CONTRACT.md conventions).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../cli-harness.ts';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const { sandtable, dir: work } = cliWorkspace('flood-cli');


describe('sandtable flood runoff', () => {
  it('runs the shipped two-basin case: exit 0, JSON on stdout only, balance closed, components add up', () => {
    const r = sandtable(['flood', 'runoff', join(SCENARIOS, 'flood-runoff-two-basins.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    const upper = out.basins.upper;
    expect(upper.model).toBe('xinanjiang');
    expect(upper.discharge_m3_per_s).toHaveLength(25);
    expect(Math.abs(upper.water_balance_mm.residual)).toBeLessThan(1e-9);
    upper.discharge_m3_per_s.forEach((q: number, t: number) =>
      expect(q).toBeCloseTo(upper.surface_m3_per_s[t] + upper.interflow_m3_per_s[t] + upper.groundwater_m3_per_s[t], 1));
    expect(out.basins.side.model).toBe('scs-cn');
  });

  it('KI + KG ≥ 1: exit 2, one line with the path', () => {
    const input = JSON.parse(readFileSync(join(SCENARIOS, 'flood-runoff-two-basins.json'), 'utf8'));
    input.basins[0].xinanjiang.KG = 0.7;
    const path = join(work, 'bad-kg.json');
    writeFileSync(path, JSON.stringify(input));
    const r = sandtable(['flood', 'runoff', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: $.basins[0].xinanjiang.KG: makes KI + KG = 1.1 ≥ 1 (got 0.7, expected KG < 1 − KI = 0.6 (free water cannot drain more than it holds in a day))\n');
  });
});

describe('sandtable flood route with mixed methods and basins', () => {
  it('routes the shipped mixed case with its runoff basin: exit 0, balance closed', () => {
    const r = sandtable(['flood', 'route', join(SCENARIOS, 'flood-route-mixed.json')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.reaches).sort()).toEqual(['A', 'C', 'T']);
    expect(out.reaches.A.peak_m3_per_s).toBe(641.75);
    expect(out.basins.side.model).toBe('scs-cn');
    expect(Math.abs(out.mass_balance.relative_error)).toBeLessThan(1e-9);
  });
});
