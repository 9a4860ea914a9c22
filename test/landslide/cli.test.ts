// `sandtable landslide fs` as users' scripts call it (CONTRACT.md): output form, units, exit codes
// and the exact error lines for bad input.
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from '../cli-harness.ts';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseFsCase } from '../../models/landslide/fs.ts';
import { landslideReference as ref } from './fixtures.ts';

const { sandtable, caseFile } = cliWorkspace('landslide');



/** The contract's example case. */
function contractCase(): Record<string, any> {
  return {
    cells: [{ slope_deg: 30, soil_depth_m: 3.0, water_table_depth_m: 2.0, cohesion_pa: 5000, friction_deg: 30,
      unit_weight_soil_n_per_m3: 20000, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 7.5e-5, background_infiltration_m_per_s: 1e-7 }],
    rain: { period_s: 3600, m_per_s: [2.78e-6, 2.78e-6, 0] },
    output_times_s: [86400, 129600],
    depths_m: [0.5, 1.0, 1.5, 2.0, 2.5, 3.0],
    unit_weight_water_n_per_m3: 9810,
    basal_boundary: 'infinite',
  };
}

function minorCreekCase(): Record<string, any> {
  const mc = ref.minor_creek;
  return {
    cells: [{ slope_deg: mc.slope_deg, soil_depth_m: mc.soil_depth_m, water_table_depth_m: mc.water_table_depth_m,
      cohesion_pa: mc.cohesion_pa, friction_deg: mc.friction_deg, unit_weight_soil_n_per_m3: mc.gamma_s,
      ks_m_per_s: mc.ks_m_per_s, diffusivity_m2_per_s: mc.diffusivity_m2_per_s,
      background_infiltration_m_per_s: mc.background_infiltration_m_per_s }],
    rain: { period_s: mc.rain_duration_s, m_per_s: [mc.rain_m_per_s] },
    output_times_s: [0, mc.rain_duration_s],
    depths_m: [1.1408, 2.3406, 3.5404, 4.7402, 5.94],
    unit_weight_water_n_per_m3: 9800,
  };
}

describe('sandtable landslide fs: the contract form', () => {
  it('the contract example: exit 0, JSON only on stdout, cells[].times[] with fs_min, z_at_fs_min_m, depths[]', () => {
    const r = sandtable(['landslide', 'fs', caseFile('contract.json', contractCase())]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.cells).toHaveLength(1);
    expect(out.cells[0].times.map((t: any) => t.t_s)).toEqual([86400, 129600]);
    const t0 = out.cells[0].times[0];
    expect(Object.keys(t0)).toEqual(['t_s', 'fs_min', 'z_at_fs_min_m', 'depths']);
    expect(t0.depths.map((d: any) => d.z_m)).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(Object.keys(t0.depths[0])).toEqual(['z_m', 'pressure_head_m', 'fs']);
    // fs_min is the smallest FS over the depths, at the depth it names.
    const fs = t0.depths.map((d: any) => d.fs);
    expect(t0.fs_min).toBe(Math.min(...fs));
    expect(t0.z_at_fs_min_m).toBe(t0.depths[fs.indexOf(Math.min(...fs))].z_m);
  });

  it('Minor Creek (TRIGRS tr_in_mc) through the CLI: ψ and FS within 0.2% of the reference at t = 7 257 600 s', () => {
    const out = JSON.parse(sandtable(['landslide', 'fs', caseFile('mc.json', minorCreekCase())]).stdout);
    const late = out.cells[0].times[1].depths;
    const expected = ref.minor_creek.expected.filter((e) => e.t_s > 0);
    expected.forEach((e, k) => {
      expect(late[k].z_m).toBe(e.Z_m);
      expect(Math.abs(late[k].pressure_head_m - e.psi_m) / e.psi_m).toBeLessThanOrEqual(0.002);
      expect(Math.abs(late[k].fs - e.FS) / e.FS).toBeLessThanOrEqual(0.002);
    });
    expect(out.cells[0].first_fs_below_1_t_s).toBe(ref.minor_creek.rain_duration_s);
  });

  it('rain in mm_per_h gives what the same rain in m_per_s gives', () => {
    const si = contractCase();
    si.rain = { period_s: 3600, m_per_s: [10 / 3.6e6, 10 / 3.6e6, 0] };
    const mm = contractCase();
    mm.rain = { period_s: 3600, mm_per_h: [10, 10, 0] };
    const a = sandtable(['landslide', 'fs', '--full-precision', caseFile('si.json', si)]);
    const b = sandtable(['landslide', 'fs', '--full-precision', caseFile('mm.json', mm)]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('without depths_m: 20 evenly spaced depths down to the soil base (0.15 … 3.0 m for 3 m of soil)', () => {
    const c = contractCase();
    delete c.depths_m;
    const out = JSON.parse(sandtable(['landslide', 'fs', caseFile('default-depths.json', c)]).stdout);
    const z = out.cells[0].times[0].depths.map((d: any) => d.z_m);
    expect(z).toHaveLength(20);
    z.forEach((v: number, k: number) => expect(v).toBeCloseTo(0.15 * (k + 1), 9));
  });

  it('basal_boundary finite holds more water than infinite above an impermeable base (ψ at the base higher)', () => {
    const c = contractCase();
    c.rain = { period_s: 3600, mm_per_h: Array(48).fill(20) };
    c.output_times_s = [48 * 3600];
    const inf = JSON.parse(sandtable(['landslide', 'fs', caseFile('inf.json', c)]).stdout);
    const fin = JSON.parse(sandtable(['landslide', 'fs', caseFile('fin.json', { ...c, basal_boundary: 'finite' })]).stdout);
    const base = (o: any) => o.cells[0].times[0].depths[5].pressure_head_m;
    expect(base(fin)).toBeGreaterThan(base(inf) + 0.01);
  });

  it('hourly rain with hourly output times takes the lag-convolution path; off-lattice times take the direct one', () => {
    expect(parseFsCase(contractCase()).setup.lagged?.timeSteps).toEqual(Int32Array.of(24, 36));
    const off = contractCase();
    off.output_times_s = [5400];
    expect(parseFsCase(off).setup.lagged).toBeUndefined();
  });
});

describe('sandtable landslide fs: bad input, exit 2, one exact line per problem', () => {
  const cases: [string, (c: Record<string, any>) => void, string[]][] = [
    ['slope of 90°', (c) => { c.cells[0].slope_deg = 90; }, ['error: $.cells[0].slope_deg: out of range (got 90, expected a number in [0.000001, 90) °)']],
    // Issue 15: a denormal slope passed "> 0" and ended in NumericalError (FS = 0/0), exit 1.
    ['a slope too gentle for an infinite slope', (c) => { c.cells[0].slope_deg = 5e-324; }, ['error: $.cells[0].slope_deg: out of range (got 5e-324, expected a number in [0.000001, 90) °)']],
    ['negative soil depth', (c) => { c.cells[0].soil_depth_m = -1; }, ['error: $.cells[0].soil_depth_m: out of range (got -1, expected a number in (0, 1000] m)']],
    ['water table below the soil base', (c) => { c.cells[0].water_table_depth_m = 3.5; },
      ['error: $.cells[0].water_table_depth_m: puts the water table below the soil base (got 3.5, expected a depth ≤ soil_depth_m (3 m))']],
    ['background infiltration above Ks·cos²δ', (c) => { c.cells[0].background_infiltration_m_per_s = 1e-5; },
      ['error: $.cells[0].background_infiltration_m_per_s: leaves no steady water table (β = cos²δ − I_ZLT/Ks ≤ 0) (got 0.00001, expected less than ks_m_per_s·cos²(slope) = 0.0000075 m/s)']],
    ['a missing Ks', (c) => { delete c.cells[0].ks_m_per_s; }, ['error: $.cells[0].ks_m_per_s: is required (got nothing, expected a number in (0, 1] m/s)']],
    ['negative rain', (c) => { c.rain.m_per_s[1] = -1e-6; }, ['error: $.rain.m_per_s[1]: out of range (got -0.000001, expected a number in [0, 0.01] m/s)']],
    ['both rain units', (c) => { c.rain.mm_per_h = [1]; }, ['error: $.rain: gives both m_per_s and mm_per_h (expected exactly one of "m_per_s", "mm_per_h")']],
    ['output times out of order', (c) => { c.output_times_s = [7200, 3600]; }, ['error: $.output_times_s[1]: is not after the time before it (got 3600, expected a time > 7200 s (increasing order))']],
    ['a depth below the soil base', (c) => { c.depths_m = [1, 4]; }, ['error: $.depths_m: reaches below the soil base of $.cells[0] (got 4, expected depths ≤ 3 m, the shallowest soil_depth_m)']],
    ['an unknown basal boundary', (c) => { c.basal_boundary = 'bedrock'; }, ['error: $.basal_boundary: is not a basal boundary (got "bedrock", expected one of infinite, finite)']],
    ['a misspelt field', (c) => { c.cells[0].Ks = 1; }, [`error: $.cells[0].Ks: unknown field (expected one of slope_deg, soil_depth_m, water_table_depth_m, cohesion_pa, friction_deg, unit_weight_soil_n_per_m3, ks_m_per_s, diffusivity_m2_per_s, background_infiltration_m_per_s, id)`]],
    ['two problems at once', (c) => { c.cells[0].slope_deg = 120; c.cells[0].friction_deg = 0; }, [
      'error: $.cells[0].slope_deg: out of range (got 120, expected a number in [0.000001, 90) °)',
      'error: $.cells[0].friction_deg: out of range (got 0, expected a number in (0, 90) °)']],
  ];
  // A few through the CLI (exit code, nothing on stdout); the rest in-process, same lines.
  const throughCli = new Set(['slope of 90°', 'water table below the soil base', 'two problems at once']);
  for (const [what, spoil, lines] of cases) {
    it(`${what}${throughCli.has(what) ? ' (CLI)' : ''}`, () => {
      const c = contractCase();
      spoil(c);
      if (throughCli.has(what)) {
        const r = sandtable(['landslide', 'fs', caseFile('bad.json', c)]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(lines.join('\n') + '\n');
        return;
      }
      let problems: string[] = [];
      try {
        parseFsCase(c);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems = e.problems.map(formatProblem);
      }
      expect(problems).toEqual(lines);
    });
  }
});
