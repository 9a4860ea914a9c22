// Reading an ensemble output folder back for the app, and the probability colours the map uses.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { MAX_MODEL_WARNING_TEXT } from '../../models/limits.ts';
import { MAX_ENSEMBLE_WARNINGS } from '../../models/ensemble/member-warnings.ts';
import { ensembleFilesIn, gridValueAt, openEnsemble } from '../../models/ensemble/open-products.ts';
import { sha256Hex } from '../../models/scenario/outputs.ts';
import { percent, PROBABILITY_CLASSES, probabilityClass, probabilityColour, probabilityRgba } from '../../web/probability-ramp.ts';

/** A small ensemble folder as `sandtable ensemble` lays it out (3 × 2 cells, 2 gauges' worth of one gauge). */
const products: Record<string, string> = {
  'flood/p_depth_over_0.3m.asc': 'ncols 3\nnrows 2\nxllcorner 1000\nyllcorner 2000\ncellsize 10\nNODATA_value -9999\n0 0.25 1\n-9999 0.5 0.05\n',
  'flood/gauge_quantiles.csv': 't_s,time,G-a_q05_m3_per_s,G-a_q50_m3_per_s,G-a_q95_m3_per_s\n0,2026-07-16T02:00:00+08:00,10,12,15.5\n900,2026-07-16T02:15:00+08:00,11,13.25,18\n',
  'risk/items.csv': 'item,category,district,p_level_1,p_level_2,p_level_3,p_level_4\nWL-001,waterlogging,jiangbei,1,0.75,0.5,0.25\n',
  'risk/districts.csv': 'district,p_warning_1,p_warning_2,p_warning_3,p_warning_4\nyuzhong,1,1,0.5,0\n',
  'members.csv': 'member,rain_scale,status,problem,result_sha256\n0,1.05,ok,,dbd623b1\n',
};

async function folder(files = products, patch: (m: Record<string, unknown>) => void = () => undefined): Promise<Record<string, string>> {
  const product_sha256 = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([n, t]) => [n, await sha256Hex(t)])));
  const manifest: Record<string, unknown> = { command: 'ensemble', scenario: 'storm', seed: 7, members: 4, good_members: 4, product_sha256 };
  patch(manifest);
  return { ...files, 'manifest.json': JSON.stringify(manifest) };
}

async function problemOf(files: Record<string, string>) {
  const error = await openEnsemble(files).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems[0];
}

describe('opening an ensemble output folder', () => {
  it('reads the probability grid, the gauge fans and the items\' and districts\' level probabilities', async () => {
    const view = await openEnsemble(await folder());
    expect(view).toMatchObject({ scenario: 'storm', seed: 7, members: 4, goodMembers: 4 });
    expect(Array.from(view.depth!.values)).toEqual([0, 0.25, 1, NaN, 0.5, 0.05]);
    // Top row is the north: (1025, 2015) is row 0, col 2; (1005, 2005) is row 1, col 0 (NODATA).
    expect(gridValueAt(view.depth!, 1025, 2015)).toBe(1);
    expect(gridValueAt(view.depth!, 1005, 2005)).toBeNaN();
    expect(gridValueAt(view.depth!, 999, 2005)).toBeUndefined();
    expect(view.gauges).toEqual([{ gauge: 'G-a', tS: [0, 900], q05: [10, 11], q50: [12, 13.25], q95: [15.5, 18] }]);
    expect(view.items).toEqual([{ id: 'WL-001', category: 'waterlogging', district: 'jiangbei', p: [1, 0.75, 0.5, 0.25] }]);
    expect(view.districts).toEqual([{ id: 'yuzhong', p: [1, 1, 0.5, 0] }]);
    expect(view.burn).toBeUndefined();
  });

  it('refuses a folder whose manifest is missing, of another command, or whose products are missing or changed', async () => {
    const { 'manifest.json': _m, ...noManifest } = await folder();
    expect(await problemOf(noManifest)).toMatchObject({ path: 'manifest.json', message: 'is missing' });
    expect(await problemOf(await folder(products, (m) => { m.command = 'run'; }))).toMatchObject({ path: 'manifest.json $.command', message: 'is not an ensemble output', value: 'run' });
    const { 'risk/items.csv': _i, ...lacking } = await folder();
    expect(await problemOf(lacking)).toMatchObject({ path: 'risk/items.csv', message: 'is missing' });
    const changed = await folder();
    changed['risk/districts.csv'] = changed['risk/districts.csv'].replace('0.5', '0.6');
    expect(await problemOf(changed)).toMatchObject({ path: 'risk/districts.csv', message: 'has changed since the ensemble wrote it' });
  });

  it('says how far it is (products checked, then grids parsed), and checks the SHA-256 a reader took from the bytes it read', async () => {
    const withGrids = { ...products, 'fire/burn_probability.asc': products['flood/p_depth_over_0.3m.asc'], 'landslide/first_failure_t_s_q50.asc': products['flood/p_depth_over_0.3m.asc'] };
    const files = await folder(withGrids);
    const steps: unknown[] = [];
    await openEnsemble(files, undefined, { progress: (p) => steps.push(p) });
    const checks = Object.keys(withGrids).map((_, k) => ({ stage: 'check', done: k + 1, total: 7 }));
    // Three grids of the seven first-failure, flame and P grids it knows (a lone quantile is parsed too, then left out).
    expect(steps).toEqual([...checks, ...[1, 2, 3].map((done) => ({ stage: 'parse', done, total: 3 }))]);
    const sha256 = Object.fromEntries(Object.keys(withGrids).map((n) => [n, sha256Hex(withGrids[n as keyof typeof withGrids])]));
    await expect(openEnsemble(files, undefined, { sha256 })).resolves.toMatchObject({ scenario: 'storm' });
    sha256['risk/items.csv'] = Promise.resolve('0'.repeat(64));
    const error = await openEnsemble(files, undefined, { sha256 }).catch((e: unknown) => e);
    expect((error as InputError).problems[0]).toMatchObject({ path: 'risk/items.csv', message: 'has changed since the ensemble wrote it', value: '000000000000' });
  });

  it('names the cell of a bad value and a probability outside [0, 1]', async () => {
    const bad = await folder({ ...products, 'flood/gauge_quantiles.csv': products['flood/gauge_quantiles.csv'].replace('13.25', 'x') });
    expect(await problemOf(bad)).toMatchObject({ path: 'flood/gauge_quantiles.csv:3:4', message: 'is not a number', value: 'x' });
    const over = await folder({ ...products, 'risk/districts.csv': products['risk/districts.csv'].replace('0.5', '1.5') });
    expect(await problemOf(over)).toMatchObject({ path: 'risk/districts.csv:2:4', message: 'is not a probability' });
  });

  it('reads the members\' model warnings the manifest records, and none from a folder that predates them', async () => {
    const warned = { model: 'flood', where: 'reach R089', what: 'split into 38 sub-reaches', members: 3, first_member: 1 };
    // With its severity, code and params (the app words it by its code), as the CLI writes them now.
    const coded = { ...warned, where: 'network', severity: 'info', code: 'flood.substeps', params: { substeps: 36, dt_s: 25 } };
    const view = await openEnsemble(await folder(products, (m) => { m.model_warnings = [warned, coded]; m.model_warnings_left_out = 5; }));
    expect(view.modelWarnings).toEqual({ warnings: [warned, coded], left_out: 5 });
    expect((await openEnsemble(await folder())).modelWarnings).toEqual({ warnings: [], left_out: 0 });
  });

  it('refuses a model warning the run could not have written, by its JSON path', async () => {
    const warned = { model: 'flood', where: 'network', what: 'capped', members: 1, first_member: 0 };
    const coded = { ...warned, severity: 'warning', code: 'flood.substeps_capped', params: { substeps: 100 } };
    const cases: [(m: Record<string, unknown>) => void, string, string][] = [
      [(m) => { m.model_warnings = { ...warned }; }, 'manifest.json $.model_warnings', 'must be an array'],
      [(m) => { m.model_warnings = [{ ...warned, members: 5 }]; }, 'manifest.json $.model_warnings[0].members', 'is not a count of this ensemble\'s members'],
      [(m) => { m.model_warnings = [warned, { ...warned, first_member: 4 }]; }, 'manifest.json $.model_warnings[1].first_member', 'is not a member of this ensemble'],
      [(m) => { m.model_warnings = [{ ...warned, model: 'quake' }]; }, 'manifest.json $.model_warnings[0].model', 'is not a model'],
      [(m) => { m.model_warnings = [{ ...warned, where: 7 }]; }, 'manifest.json $.model_warnings[0].where', 'must be a string'],
      [(m) => { m.model_warnings = []; m.model_warnings_left_out = -1; }, 'manifest.json $.model_warnings_left_out', 'must be a whole number'],
      [(m) => { m.model_warnings = [{ ...warned, severity: 'fatal' }]; }, 'manifest.json $.model_warnings[0].severity', 'is not a severity'],
      [(m) => { m.model_warnings = [{ ...warned, params: { n: [1] } }]; }, 'manifest.json $.model_warnings[0].params', 'must be an object of strings and numbers'],
      // A line with a code is in today's form: the shared reader's bounds (model-warnings-record.ts) hold too.
      [(m) => { m.model_warnings = [{ ...coded, params: { n: 'x'.repeat(MAX_MODEL_WARNING_TEXT + 1) } }]; }, 'manifest.json $.model_warnings[0].params.n', 'must be a number or a text'],
      [(m) => { m.model_warnings = [{ ...coded, what: 'x'.repeat(MAX_MODEL_WARNING_TEXT + 1) }]; }, 'manifest.json $.model_warnings[0].what', 'must be a text'],
      [(m) => { m.model_warnings = [{ ...coded, extra: 1 }]; }, 'manifest.json $.model_warnings[0].extra', 'unknown field'],
      [(m) => { m.model_warnings = Array.from({ length: MAX_ENSEMBLE_WARNINGS + 1 }, () => warned); }, 'manifest.json $.model_warnings', 'has too many places'],
    ];
    for (const [patch, path, message] of cases) expect(await problemOf(await folder(products, patch))).toMatchObject({ path, message });
  });

  it('finds the folder holding manifest.json among picked files, below any top folder', async () => {
    const files = await folder();
    const picked = new Map(Object.entries(files).map(([n, t]) => [`out/${n}`, new Blob([t])] as [string, Blob]));
    picked.set('out/notes.txt', new Blob(['x']));
    expect(await ensembleFilesIn(picked, 'out')).toEqual(files);
    const error = await ensembleFilesIn(new Map([['a.csv', new Blob([''])]]), 'stuff.zip').catch((e: InputError) => e.problems[0]);
    expect(error).toMatchObject({ path: 'stuff.zip', message: 'holds no manifest.json' });
  });
});

describe('the probability ramp', () => {
  it('puts each probability in its class, and leaves 0 and NaN clear', () => {
    expect([0, NaN, 0.001, 0.0999, 0.1, 0.3, 0.5, 0.6999, 0.7, 0.9, 1, 1.01].map(probabilityClass)).toEqual([-1, -1, 0, 0, 1, 2, 3, 3, 4, 5, 5, -1]);
    expect(probabilityColour(1)).toBe('rgb(68,1,84)');
    expect(probabilityColour(0.05, 0.5)).toBe('rgba(253,231,37,0.5)');
    expect(probabilityColour(0)).toBeUndefined();
    // Darker with probability: relative luminance falls class by class, so order survives greyscale.
    const luminance = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const l = PROBABILITY_CLASSES.map((c) => luminance(c.rgb));
    expect(l.every((v, k) => k === 0 || v < l[k - 1])).toBe(true);
  });

  it('renders a grid to RGBA cell by cell', () => {
    const rgba = probabilityRgba({ ncols: 2, nrows: 1, values: Float64Array.of(0.95, 0) }, 200);
    expect(Array.from(rgba)).toEqual([68, 1, 84, 200, 0, 0, 0, 0]);
  });

  it('reads as a percentage', () => {
    expect([0, 0.004, 0.37, 0.995, 1, NaN, undefined].map(percent)).toEqual(['0 %', '< 1 %', '37 %', '> 99 %', '100 %', '—', '—']);
  });
});

describe('the browser\'s member cap', () => {
  it('refuses more than 50 members before loading anything, naming the field', async () => {
    const { prepareEnsemble } = await import('../../web/ensemble-worker.ts');
    const { createNodeEngine } = await import('../../models/engine-node.ts');
    const storm = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../ensemble/fixtures/storm-6h.json', import.meta.url), 'utf8'));
    const nothing = () => { throw new Error('loaded an input of a refused ensemble'); };
    const error = await prepareEnsemble(createNodeEngine(), storm, { members: 51 }, { region: nothing, rainGrids: nothing, grid: nothing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ path: 'members', message: 'is more than the browser runs', value: 51 });
  });
});
