// Output folders (CONTRACT.md): `--out` of fire spread, landslide fs and run writes only into a
// new or empty folder or its own earlier output (unless --force), only inside it, never over an
// input, and all at once.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, cliWorkspace } from '../cli-harness.ts';
import { formatAsciiGrid } from '../../models/grid/ascii.ts';

const { sandtable, dir: work } = cliWorkspace('out-dir');
const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/mountain-city/', import.meta.url));

/** The shipped storm, for a copy written elsewhere: its items file named absolutely (the tests set region). */
function copiedScenario() {
  const scenario = JSON.parse(readFileSync(join(SCENARIO_DIR, 'storm-peak-24h.json'), 'utf8'));
  scenario.models.risklist.items = join(SCENARIO_DIR, 'region/risk-items.json');
  return scenario;
}

let folders = 0;
/** A fresh folder in the workspace holding `files` (name → text). */
function folder(files: Record<string, string> = {}): string {
  const dir = join(work, `f${++folders}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const fuelGrid = (code: number) => `ncols 21\nnrows 21\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value -9999\n${Array.from({ length: 21 }, () => Array(21).fill(code).join(' ')).join('\n')}\n`;
const spreadCase = (fuel: string | number = 'GR2') => JSON.stringify({
  grid: { ncols: 21, nrows: 21, cellsize_m: 10, xllcorner: 0, yllcorner: 0 },
  fuel_model: fuel, slope_deg: 0, aspect_deg: 0,
  moisture_percent: { d1h: 3, d10h: 3, d100h: 3, live_herb: 30, live_woody: 60 },
  wind: { midflame_m_per_s: 1.6, from_deg: 270 },
  ignitions: [{ x_m: 55, y_m: 105, t_s: 0 }], duration_s: 600, output_times_s: [600],
});
const SPREAD_FILES = ['arrival_time_s.asc', 'fireline_intensity_kw_per_m.asc', 'manifest.json', 'perimeters.geojson', 'ros_m_per_min.asc'];

const slopeGrid = formatAsciiGrid({ ncols: 2, nrows: 1, xllcorner: 0, yllcorner: 0, cellsize: 10, nodata: -9999, values: Float64Array.from([35, 40]) });
const landslideCase = (times: number[]) => JSON.stringify({
  grid: { slope_deg: 'slope.asc', soil_depth_m: 2.5, water_table_depth_m: 2, cohesion_pa: 2000, friction_deg: 30,
    unit_weight_soil_n_per_m3: 19000, ks_m_per_s: 1e-5, diffusivity_m2_per_s: 1e-4 },
  rain: { period_s: 3600, mm_per_h: [10, 20, 30, 20, 10, 5] }, output_times_s: times,
});

const listing = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('--out must be new, empty, or the same command\'s earlier output', () => {
  it('fire spread: a user\'s arrival_time_s.asc or perimeters.geojson in --out is exit 2 and left byte for byte', () => {
    for (const name of ['arrival_time_s.asc', 'perimeters.geojson']) {
      const out = folder({ [name]: 'my own work\n' });
      const caseFile = join(folder({ 'case.json': spreadCase() }), 'case.json');
      const r = sandtable(['fire', 'spread', caseFile, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`error: --out: is a folder of files \`sandtable fire spread\` did not write (1 entry, no manifest.json of this command) (got ${JSON.stringify(out)}, expected a new or empty folder, an earlier output of \`sandtable fire spread\`, or --force to write into it (inputs are never overwritten))\n`);
      expect(readFileSync(join(out, name), 'utf8')).toBe('my own work\n');
      expect(listing(out)).toEqual([name]);
    }
  });

  it('landslide fs: a user\'s fs_min_t21600.asc is exit 2 and unchanged', () => {
    const dir = folder({ 'case.json': landslideCase([21600]), 'slope.asc': slopeGrid });
    const out = folder({ 'fs_min_t21600.asc': 'keep\n' });
    const r = sandtable(['landslide', 'fs', join(dir, 'case.json'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --out: is a folder of files `sandtable landslide fs` did not write/);
    expect(readFileSync(join(out, 'fs_min_t21600.asc'), 'utf8')).toBe('keep\n');
  });

  it('run: a user\'s manifest.json, summary.json or flows.csv is exit 2 before the model runs, and unchanged', () => {
    const scenario = copiedScenario();
    const dir = folder();
    // Its region is missing: refused for --out rather than for the region shows the folder was
    // checked before the region was even read (a wall-clock bound said so less surely on a loaded CI).
    writeFileSync(join(dir, 's.json'), JSON.stringify({ ...scenario, region: 'no-such-region/region.json' }));
    for (const [name, text] of [['manifest.json', '{"command":"fire spread","files":[]}\n'], ['summary.json', '{}\n'], ['flows.csv', 'a,b\n']]) {
      const out = folder({ [name]: text });
      const r = sandtable(['run', join(dir, 's.json'), '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: --out: is a folder of files `sandtable run` did not write \(1 entry, no manifest.json of this command\)/);
      expect(readFileSync(join(out, name), 'utf8')).toBe(text);
    }
  });

  it('--out naming an existing file is exit 2, and the file is untouched', () => {
    const dir = folder({ 'case.json': spreadCase(), 'results.txt': 'precious\n' });
    const r = sandtable(['fire', 'spread', join(dir, 'case.json'), '--out', join(dir, 'results.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --out: names an existing file, not a folder (got ${JSON.stringify(join(dir, 'results.txt'))}, expected a new or empty folder)\n`);
    expect(readFileSync(join(dir, 'results.txt'), 'utf8')).toBe('precious\n');
    const under = sandtable(['fire', 'spread', join(dir, 'case.json'), '--out', join(dir, 'results.txt', 'sub')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toBe(`error: --out: lies under ${join(dir, 'results.txt')}, which is not a folder (got ${JSON.stringify(join(dir, 'results.txt', 'sub'))}, expected a new or empty folder)\n`);
  });

  it('a new folder (parents too) and an empty one are written, with a manifest naming the command and its files', () => {
    const caseFile = join(folder({ 'case.json': spreadCase() }), 'case.json');
    const fresh = join(folder(), 'a', 'b');
    expect(sandtable(['fire', 'spread', caseFile, '--out', fresh]).code).toBe(0);
    expect(listing(fresh)).toEqual(SPREAD_FILES);
    const manifest = JSON.parse(readFileSync(join(fresh, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ command: 'fire spread', engine_version: '0.1.0', case_file: caseFile, files: SPREAD_FILES.filter((f) => f !== 'manifest.json') });
    const empty = folder();
    expect(sandtable(['fire', 'spread', caseFile, '--out', empty]).code).toBe(0);
    expect(listing(empty)).toEqual(SPREAD_FILES);
    // No temporary folder is left beside them.
    expect(readdirSync(join(fresh, '..')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(join(empty, '..')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('--out . from inside an empty folder fills that same folder (the working directory stays valid)', () => {
    const caseFile = join(folder({ 'case.json': spreadCase() }), 'case.json');
    const here = folder();
    const inode = statSync(here).ino;
    const r = spawnSync(process.execPath, [CLI, 'fire', 'spread', caseFile, '--out', '.'], { cwd: here, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(listing(here)).toEqual(SPREAD_FILES);
    expect(statSync(here).ino).toBe(inode); // the same folder, not one renamed over it
  });

  it('rerun into its own output: exit 0; files the new run does not write go, the user\'s other files stay', () => {
    const dir = folder({ 'a.json': landslideCase([3600, 7200]), 'b.json': landslideCase([7200, 10800]), 'slope.asc': slopeGrid });
    const out = join(dir, 'out');
    expect(sandtable(['landslide', 'fs', join(dir, 'a.json'), '--out', out]).code).toBe(0);
    expect(listing(out)).toContain('fs_min_t3600.asc');
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const again = sandtable(['landslide', 'fs', join(dir, 'b.json'), '--out', out]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(listing(out)).toEqual(['first_fs_below_1_t_s.asc', 'fs_min_t10800.asc', 'fs_min_t7200.asc', 'manifest.json', 'notes.txt', 'z_at_fs_min_m_t10800.asc', 'z_at_fs_min_m_t7200.asc']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).files).toEqual(JSON.parse(again.stdout).files.sort());
  });

  it('in its own output, a user\'s file under a name the previous run did not write is refused without --force', () => {
    const dir = folder({ 'a.json': landslideCase([3600]), 'b.json': landslideCase([7200]), 'slope.asc': slopeGrid });
    const out = join(dir, 'out');
    expect(sandtable(['landslide', 'fs', join(dir, 'a.json'), '--out', out]).code).toBe(0);
    writeFileSync(join(out, 'fs_min_t7200.asc'), 'mine\n');
    const r = sandtable(['landslide', 'fs', join(dir, 'b.json'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --out: holds fs_min_t7200.asc, which the previous \`sandtable landslide fs\` did not write (got ${JSON.stringify(out)}, expected that file moved away, or --force to replace it)\n`);
    expect(readFileSync(join(out, 'fs_min_t7200.asc'), 'utf8')).toBe('mine\n');
    expect(listing(out)).toContain('fs_min_t3600.asc'); // the earlier output untouched
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('--force writes into a foreign folder and keeps the files it does not write', () => {
    const caseFile = join(folder({ 'case.json': spreadCase() }), 'case.json');
    const out = folder({ 'README.txt': 'theirs\n', 'perimeters.geojson': 'old\n' });
    const r = sandtable(['fire', 'spread', caseFile, '--out', out, '--force']);
    expect(r.code).toBe(0);
    expect(listing(out)).toEqual(['README.txt', ...SPREAD_FILES].sort());
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toBe('theirs\n');
    expect(JSON.parse(readFileSync(join(out, 'perimeters.geojson'), 'utf8')).type).toBe('FeatureCollection');
  });
});

describe('run into its own earlier output', () => {
  it('exit 0; the manifest keeps its fields, adds "command" and lists every file; the earlier run\'s other files go', () => {
    const scenario = copiedScenario();
    const dir = folder();
    writeFileSync(join(dir, 's.json'), JSON.stringify({ ...scenario, region: relative(dir, join(SCENARIO_DIR, 'region/region.json')) }));
    const out = folder({ 'manifest.json': JSON.stringify({ command: 'run', files: ['fire/area.csv', 'flows.csv'] }), 'fire/area.csv': 'old\n', 'flows.csv': 'old\n', 'notes.md': 'mine\n' });
    const r = sandtable(['run', join(dir, 's.json'), '--out', out]);
    // Nothing but the models' own warnings (`warning: <model>: …`, models/scenario/model-warnings.ts).
    expect(r.stderr.split('\n').filter((l) => l !== '' && !/^(warning|note): /.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest)).toEqual(['command', 'scenario', 'scenario_file', 'scenario_sha256', 'region', 'seed', 'engine_version', 'exercise', 'created', 'wall_ms', 'timings_ms', 'results_sha256', 'files', 'file_sha256']);
    expect(manifest.command).toBe('run');
    expect(manifest.files).toEqual([...Object.keys(manifest.file_sha256), 'summary.json'].sort());
    expect(listing(out).filter((f) => !f.endsWith('/') && f.includes('.'))).toEqual([...manifest.files, 'manifest.json', 'notes.md'].sort());
    expect(existsSync(join(out, 'fire'))).toBe(false); // this storm has no fire: the old fire/ is gone
    // No BOM: the run's tables are ASCII, and scripts read the first column as t_s (models/scenario/outputs.ts).
    expect(readFileSync(join(out, 'flows.csv'), 'utf8')).toMatch(/^t_s,time,/);
  }, 60_000);
});

describe('an input is never overwritten, --force or not', () => {
  it('fire spread --out <case folder> --force with a fuel grid named arrival_time_s.asc: exit 2, the grid unchanged, nothing written', () => {
    const grid = fuelGrid(102);
    const dir = folder({ 'case.json': spreadCase('arrival_time_s.asc'), 'arrival_time_s.asc': grid });
    for (const extra of [[], ['--force']]) {
      const r = sandtable(['fire', 'spread', join(dir, 'case.json'), '--out', dir, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(readFileSync(join(dir, 'arrival_time_s.asc'), 'utf8')).toBe(grid);
      expect(listing(dir)).toEqual(['arrival_time_s.asc', 'case.json']);
    }
    const forced = sandtable(['fire', 'spread', join(dir, 'case.json'), '--out', dir, '--force']);
    expect(forced.stderr).toBe(`error: --out: would overwrite the input file ${join(dir, 'arrival_time_s.asc')} with the output arrival_time_s.asc (got ${JSON.stringify(dir)}, expected an output folder that holds none of the command's inputs under an output's name (--force does not change this))\n`);
  });

  it('run --out <scenario folder> --force with an observations CSV named gauges.csv: exit 2 naming it; nothing written', () => {
    const scenario = copiedScenario();
    const observed = 'time,discharge_m3_per_s\n3600,32000\n7200,33500\n10800,35200\n';
    const dir = folder({ 'gauges.csv': observed });
    writeFileSync(join(dir, 's.json'), JSON.stringify({ ...scenario, region: relative(dir, join(SCENARIO_DIR, 'region/region.json')), observations: { 'G-outlet': { file: 'gauges.csv' } } }));
    const r = sandtable(['run', join(dir, 's.json'), '--out', dir, '--force']);
    expect(r.stderr).toBe(`error: --out: would overwrite the input file ${join(dir, 'gauges.csv')} with the output gauges.csv (got ${JSON.stringify(dir)}, expected an output folder that holds none of the command's inputs under an output's name (--force does not change this))\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'gauges.csv'), 'utf8')).toBe(observed);
    expect(listing(dir)).toEqual(['gauges.csv', 's.json']);
  }, 60_000);

  it('the case file itself named manifest.json, in its own --out folder with --force: exit 2, unchanged', () => {
    const dir = folder({ 'manifest.json': spreadCase() });
    const r = sandtable(['fire', 'spread', join(dir, 'manifest.json'), '--out', dir, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --out: would overwrite the input file .*manifest\.json with the output manifest\.json/);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(spreadCase());
  });

  it('a hard link to an input under an output name counts as the input', () => {
    const dir = folder({ 'case.json': spreadCase('fuel.asc'), 'fuel.asc': fuelGrid(102) });
    const out = join(dir, 'out');
    expect(sandtable(['fire', 'spread', join(dir, 'case.json'), '--out', out]).code).toBe(0);
    rmSync(join(out, 'ros_m_per_min.asc'));
    linkSync(join(dir, 'fuel.asc'), join(out, 'ros_m_per_min.asc'));
    const r = sandtable(['fire', 'spread', join(dir, 'case.json'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would overwrite the input file .*fuel\.asc with the output ros_m_per_min\.asc/);
    expect(readFileSync(join(dir, 'fuel.asc'), 'utf8')).toBe(fuelGrid(102));
  });
});

describe('fire spread without --out', () => {
  it('writes nothing (not into the current folder) and says so in the summary', () => {
    const dir = folder({ 'case.json': spreadCase() });
    const r = spawnSync(process.execPath, [CLI, 'fire', 'spread', 'case.json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual(['no --out DIR given: the grids and perimeters were computed but not written']);
    expect(listing(dir)).toEqual(['case.json']);
  });
});

describe('a scenario cannot write outside --out', () => {
  const scenario = copiedScenario();
  const issue = scenario.injects.findIndex((i: { action?: { type: string } }) => i.action?.type === 'warning-issue');

  it('a warning-issue action id ../../…/PWNED is exit 2 naming $.injects[k].action.id; nothing is written anywhere', () => {
    const dir = folder();
    const target = join(work, 'x', 'PWNED');
    const evil = structuredClone(scenario);
    evil.region = relative(dir, join(SCENARIO_DIR, 'region/region.json'));
    evil.injects[issue].action.id = `${'../'.repeat(12)}${target.slice(1)}`;
    writeFileSync(join(dir, 's.json'), JSON.stringify(evil));
    const r = sandtable(['run', join(dir, 's.json'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: $.injects[${issue}].action.id: cannot be used in file names (it names the warning's CAP files) (got ${JSON.stringify(evil.injects[issue].action.id.slice(0, 57) + '...')}, expected 1 to 64 letters, digits, "_", "-" or "." (no ".."), starting with a letter or digit)\n`);
    expect(existsSync(join(work, 'x'))).toBe(false);
    expect(listing(dir)).toEqual(['s.json']);
  });

  it('without an action id the inject\'s own id names the files: $.injects[k].id', () => {
    const dir = folder();
    const evil = structuredClone(scenario);
    evil.region = relative(dir, join(SCENARIO_DIR, 'region/region.json'));
    const lifts = evil.injects.filter((i: { action?: { type: string; id?: string } }) => i.action?.type === 'warning-lift' && i.action.id === evil.injects[issue].action.id);
    for (const lift of lifts) lift.action.id = '../evil';
    delete evil.injects[issue].action.id;
    evil.injects[issue].id = '../evil';
    writeFileSync(join(dir, 's.json'), JSON.stringify(evil));
    const r = sandtable(['run', join(dir, 's.json'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: $.injects[${issue}].id: cannot be used in file names (it names the warning's CAP files) (got "../evil"`);
    expect(listing(dir)).toEqual(['s.json']);
  });
});

describe('a symbolic link inside --out cannot lead the output elsewhere', () => {
  it('--out as a link to an empty folder writes into that folder', () => {
    const caseFile = join(folder({ 'case.json': spreadCase() }), 'case.json');
    const real = folder();
    const link = join(work, `link${folders}`);
    symlinkSync(real, link);
    expect(sandtable(['fire', 'spread', caseFile, '--out', link]).code).toBe(0);
    expect(listing(real)).toEqual(SPREAD_FILES);
  });
});
