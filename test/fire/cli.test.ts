// `sandtable fire …` as users' scripts call it (CONTRACT.md): exit codes, stdout JSON, stderr lines.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliWorkspace } from '../cli-harness.ts';

const { sandtable, dir: work } = cliWorkspace('fire-cli');


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

describe('sandtable fire spread', () => {
  const spreadCase = {
    grid: { ncols: 101, nrows: 101, cellsize_m: 10, xllcorner: 0, yllcorner: 0 },
    fuel_model: 'GR2', slope_deg: 0, aspect_deg: 0,
    moisture_percent: { d1h: 3, d10h: 3, d100h: 3, live_herb: 30, live_woody: 60 },
    wind: { midflame_m_per_s: 1.6187, from_deg: 270 },
    ignitions: [{ x_m: 305, y_m: 505, t_s: 0 }],
    barriers: [{ cells: [[10, 12], [11, 12]] }],
    duration_s: 1800, output_times_s: [900, 1800],
  };

  it('the contract form: writes the four files into --out and prints the summary', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseAsciiGrid } = await import('../../models/grid/ascii.ts');
    const path = join(work, 'spread.json');
    writeFileSync(path, JSON.stringify(spreadCase));
    const out = join(work, 'out');
    const r = sandtable(['fire', 'spread', path, '--out', out]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.burned_area_m2.map((b: { t_s: number }) => b.t_s)).toEqual([900, 1800]);
    expect(summary.warnings).toEqual([]);
    const arrival = parseAsciiGrid(readFileSync(join(out, 'arrival_time_s.asc'), 'utf8'), 'arrival_time_s.asc');
    expect(arrival.values[50 * 101 + 30]).toBe(0); // the ignition cell (row 50, col 30)
    expect(Number.isNaN(arrival.values[0])).toBe(true); // unburned: NODATA
    const burned = arrival.values.filter((v) => v <= 1800).length;
    expect(summary.cells_burned).toBe(burned);
    expect(summary.burned_area_m2[1].area_m2).toBe(burned * 100);
    for (const f of ['ros_m_per_min.asc', 'fireline_intensity_kw_per_m.asc']) {
      expect(parseAsciiGrid(readFileSync(join(out, f), 'utf8'), f).values.filter((v) => v > 0).length).toBe(burned);
    }
    const geo = JSON.parse(readFileSync(join(out, 'perimeters.geojson'), 'utf8'));
    expect(geo.features.map((f: { properties: { t_s: number } }) => f.properties.t_s)).toEqual([900, 1800]);
  });

  it('a fuel grid file relative to the case; an ignition outside the grid is exit 2 with one line', () => {
    const values = Array.from({ length: 101 }, () => Array(101).fill(102).join(' ')).join('\n');
    writeFileSync(join(work, 'fuel.asc'), `ncols 101\nnrows 101\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value -9999\n${values}\n`);
    const good = join(work, 'grid-case.json');
    writeFileSync(good, JSON.stringify({ ...spreadCase, fuel_model: 'fuel.asc' }));
    const r = sandtable(['fire', 'spread', good, '--out', join(work, 'out2')]);
    expect(r.code).toBe(0);
    const bad = join(work, 'bad-spread.json');
    writeFileSync(bad, JSON.stringify({ ...spreadCase, ignitions: [{ x_m: -5, y_m: 505 }] }));
    const b = sandtable(['fire', 'spread', bad, '--out', join(work, 'out3')]);
    expect(b.code).toBe(2);
    expect(b.stdout).toBe('');
    expect(b.stderr).toBe('error: $.ignitions[0]: is outside the grid (got "(-5, 505)", expected x in [0, 1010) and y in [0, 1010) m (the grid))\n');
  });

  // Before clipping these traced the segment at 8 samples per cell of its length: 1e9 m on a
  // 10 m grid did not finish in 60 s, ±1e300 never. Ten seconds is generous for a 3 × 3 grid.
  it('geometry far off a 3 × 3 grid answers within 10 s: a far ignition line is exit 2, a far barrier is clipped', () => {
    const run = (name: string, c: unknown) => {
      const path = join(work, name);
      writeFileSync(path, JSON.stringify(c));
      return spawnSync(process.execPath, [CLI, 'fire', 'spread', path, '--out', join(work, `${name}.out`)], { encoding: 'utf8', timeout: 10_000 });
    };
    const tiny = { ...spreadCase, grid: { ncols: 3, nrows: 3, cellsize_m: 10, xllcorner: 0, yllcorner: 0 }, barriers: undefined, output_times_s: undefined, duration_s: 600 };
    const line = run('far-line.json', { ...tiny, ignitions: [{ line_m: [[5, 5], [1e9, 5]], t_s: 0 }] });
    expect(line.error).toBeUndefined();
    expect(line.status).toBe(2);
    expect(line.stderr).toBe('error: $.ignitions[0].line_m[1]: is outside the grid (got "(1000000000, 5)", expected x in [0, 30) and y in [0, 30) m (the grid))\n');
    const barrier = run('far-barrier.json', { ...tiny, ignitions: [{ x_m: 5, y_m: 5 }], barriers: [{ polyline_m: [[-1e300, 15], [1e300, 15]] }] });
    expect(barrier.error).toBeUndefined();
    expect(barrier.status).toBe(0);
    // The barrier fills the middle row: only the ignition's row burns.
    expect(JSON.parse(barrier.stdout).cells_burned).toBe(3);
  });
});
