// The CLI as users' scripts call it: exit codes, stdout JSON, stderr lines (CONTRACT.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../cli-harness.ts';
import { floodReference, singleReachCase } from '../flood/fixtures.ts';

const { sandtable, caseFile, dir: work } = cliWorkspace('cli');



const chow = floodReference.muskingum[0];

describe('sandtable flood route', () => {
  it('reproduces Chow 8.4.1 within 0.5 m³/s and exits 0 with JSON only on stdout', () => {
    const r = sandtable(['flood', 'route', caseFile('chow.json', singleReachCase(chow))]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.dt_s).toBe(3600);
    out.reaches.R.outflow_m3_per_s.forEach((q: number, t: number) => expect(Math.abs(q - chow.expected_outflow_rounded![t])).toBeLessThanOrEqual(0.5));
    expect(out.mass_balance.relative_error).toBeLessThan(1e-12);
    // Printed to 0.01 m³/s as in CONTRACT.md's example.
    expect(out.reaches.R.outflow_m3_per_s.slice(0, 4)).toEqual([85, 91.04, 114.24, 159.5]);
    expect(out.reaches.R.peak_m3_per_s).toBe(641.75);
  });

  it('--full-precision prints the doubles as computed', () => {
    const r = sandtable(['flood', 'route', '--full-precision', caseFile('chow.json', singleReachCase(chow))]);
    expect(JSON.parse(r.stdout).reaches.R.outflow_m3_per_s[3]).toBeCloseTo(159.503728602055, 10);
  });

  it('reads the case from stdin with -', () => {
    const r = sandtable(['flood', 'route', '-'], JSON.stringify(singleReachCase(chow)));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).reaches.R.peak_time_s).toBe(36000);
  });

  it('X = 0.7: exit 2, one line naming $.reaches[0].X, no stack trace', () => {
    const bad = singleReachCase(chow);
    bad.reaches[0].X = 0.7;
    const r = sandtable(['flood', 'route', caseFile('bad-x.json', bad)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: $.reaches[0].X: out of range (got 0.7, expected a number in [0, 0.5])\n');
  });

  it('broken JSON is located as file:line:col', () => {
    const path = caseFile('broken.json', '{\n  "dt_s": 3600,\n  "reaches": [ }\n}');
    const r = sandtable(['flood', 'route', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${path}:3:16: not valid JSON (got "}", expected a value (object, array, string, number, true, false or null))\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing file exits 2 naming the file', () => {
    const r = sandtable(['flood', 'route', join(work, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json: no such file/);
  });
});

describe('sandtable commands', () => {
  it('--help lists every command of CONTRACT.md', () => {
    const r = sandtable(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['flood route', 'flood runoff', 'landslide fs', 'fire behavior', 'fire spread', 'risklist grade', 'run', 'bench']) {
      expect(r.stdout).toContain(`sandtable ${command} `);
    }
  });

  it('an unknown command exits 2; a known one with a missing file exits 2 naming it', () => {
    expect(sandtable(['flod', 'route']).code).toBe(2);
    const r = sandtable(['run', join(work, 'no-such-scenario.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-scenario\.json: no such file/);
  });

  it('bench --model flood --json prints the Muskingum row with wasm, TS and native throughputs', () => {
    const r = sandtable(['bench', '--model', 'flood', '--json', '--sizes', '2000', '--runs', '1']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.machine.cores).toBeGreaterThan(0);
    const row = out.results.find((x: { kernel: string }) => x.kernel === 'muskingum');
    expect(row).toMatchObject({ model: 'flood', unit: 'reach-steps', size: 2000, results_agree: true });
    expect(row.wasm_per_s).toBeGreaterThan(0);
    expect(row.ts_per_s).toBeGreaterThan(0);
    if (out.machine.gcc) expect(row.native_per_s).toBeGreaterThan(0);
    else expect(row.native_note).toMatch(/gcc/);
  });

  it('bench with an unknown model or a bad option exits 2', () => {
    expect(sandtable(['bench', '--model', 'volcano']).stderr).toMatch(/^error: --model: names no benchmarked model/);
    expect(sandtable(['bench', '--runs', '0']).code).toBe(2);
  });
});
