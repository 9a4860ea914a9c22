// A grid landslide ensemble's folder (landslide fs --members) as the Ensemble tab reads it: the
// manifest's command and hashes, the grids placed on the open region by their georeference (other
// cells, no overlap or another CRS refused by file and field), output times in time order, and
// members.csv read by column name (the CLI may add or move columns).
import { describe, expect, it } from 'vitest';
import { ensembleFilesIn } from '../../models/ensemble/open-products.ts';
import { InputError } from '../../models/errors.ts';
import { MAX_TEXT_BYTES } from '../../models/limits.ts';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { sha256Hex } from '../../models/scenario/outputs.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { gridMembersTable, manifestCommand, openGridEnsemble } from '../../web/ensemble-grid-open.ts';
import { gridOffset, minPooled } from '../../web/ensemble-layers.ts';

const region = { crs: 'EPSG:32648 (WGS 84 / UTM zone 48N)', grid: { ncols: 100, nrows: 80, xllcorner: 640000, yllcorner: 3262000, cellsize_m: 20 } } as RegionManifest;
// 3 × 2 cells of 20 m whose north-west corner is region cell (col 10, row 5).
const at = { xllcorner: 640000 + 10 * 20, yllcorner: 3262000 + (80 - 5 - 2) * 20, cellsize: 20 };
const grid = (values: number[], where: Partial<Grid> = {}): string => formatAsciiGrid({ ncols: 3, nrows: 2, ...at, nodata: -9999, values: Float64Array.from(values), ...where });

async function folder(edit: (files: Record<string, string>) => void = () => {}, manifest: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    'p_fs_below_1.asc': grid([0, 0.25, 1, NaN, 0.5, 0.75]),
    'p_fs_below_1_t3600.asc': grid([0, 0, 0.5, NaN, 0.25, 0.75]),
    'p_fs_below_1_t10800.asc': grid([0, 0.25, 1, NaN, 0.5, 0.75]),
    'first_failure_t_s_q05.asc': grid([NaN, 10800, 3600, NaN, 3600, 3600]),
    'first_failure_t_s_q50.asc': grid([NaN, NaN, 3600, NaN, 10800, 3600]),
    'first_failure_t_s_q95.asc': grid([NaN, NaN, 10800, NaN, NaN, NaN]),
    'members.csv': 'member,soil_depth_m,friction_deg,cells_fs_below_1,status,problem\n0,1.5,31.2,3,ok,\n1,2.1,33.9,,bad,"fs not finite at (row 0, col 1), ""x"""\n',
  };
  edit(files);
  const hashes = Object.fromEntries(await Promise.all(Object.keys(files).sort().map(async (n) => [n, await sha256Hex(files[n])] as const)));
  files['manifest.json'] = JSON.stringify({ command: 'landslide fs', case_file: 'cases/city.json', ensemble: { run_id: 'abc123', members: 2, good_members: 1, seed: 7, perturbations: [] }, products_sha256: hashes, ...manifest });
  return files;
}

const refusal = async (files: Record<string, string>) => {
  const error = await openGridEnsemble(files, region).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems[0];
};

describe('a grid landslide ensemble folder in the app', () => {
  it('reads P(FS < 1), P per output time in time order, the first-failure quantiles and members.csv by column name', async () => {
    const { view, info } = await openGridEnsemble(await folder(), region);
    expect([view.scenario, view.seed, view.members, view.goodMembers]).toEqual(['city.json', 7, 2, 1]);
    expect(Array.from(view.slope!.values)).toEqual([0, 0.25, 1, NaN, 0.5, 0.75]);
    expect(info.atTimes.map((a) => a.tS)).toEqual([3600, 10800]); // not the names' order (t10800 sorts first)
    expect(Array.from(view.firstFailure!.q50.values)).toEqual([NaN, NaN, 3600, NaN, 10800, 3600]);
    expect([info.runId, info.prj, info.cellsOutside]).toEqual(['abc123', undefined, 0]);
    expect(view.memberRows!.inputs).toEqual(['soil_depth_m', 'friction_deg']);
    expect(view.memberRows!.headlines).toEqual(['cells_fs_below_1']);
    expect(view.memberRows!.rows[1]).toEqual({ member: 1, bad: true, problem: 'fs not finite at (row 0, col 1), "x"', hash: '', cells: { soil_depth_m: '2.1', friction_deg: '33.9', cells_fs_below_1: '' } });
    expect(gridOffset(view.slope!, region.grid)).toEqual({ col0: 10, row0: 5 });
    expect(manifestCommand((await folder())['manifest.json'])).toBe('landslide fs');
  });

  it('reads members.csv whatever the order of its columns', () => {
    // soil_depth_m drawn per member brings cells_water_table_at_base (models/ensemble/fs-grid-prob.ts membersCsv): an outcome.
    const table = gridMembersTable('status,member,problem,cells_fs_below_1,rain_scale,soil_depth_m,cells_water_table_at_base\nok,0,,12,1.2,2.5,40\n');
    expect([table.inputs, table.headlines, table.rows[0].member]).toEqual([['rain_scale', 'soil_depth_m'], ['cells_fs_below_1', 'cells_water_table_at_base'], 0]);
    expect(table.rows[0].cells).toEqual({ rain_scale: '1.2', soil_depth_m: '2.5', cells_fs_below_1: '12', cells_water_table_at_base: '40' });
    expect(() => gridMembersTable('member,cells_fs_below_1,problem\n0,1,\n')).toThrow(/has no status column/);
  });

  it('reads the members\' model warnings when the manifest records them, refusing one of another member by its path', async () => {
    const warned = { model: 'landslide', where: 'grid', what: 'rain ratio clamped', members: 2, first_member: 0 };
    expect((await openGridEnsemble(await folder(() => {}, { model_warnings: [warned] }), region)).view.modelWarnings).toEqual({ warnings: [warned], left_out: 0 });
    expect((await openGridEnsemble(await folder(), region)).view.modelWarnings).toEqual({ warnings: [], left_out: 0 });
    expect(await refusal(await folder(() => {}, { model_warnings: [{ ...warned, first_member: 2 }] }))).toMatchObject({ path: 'manifest.json $.model_warnings[0].first_member', message: 'is not a member of this ensemble' });
  });

  it('refuses a manifest that is not JSON by its line and column, and a case file or run id that is not a string by its path', async () => {
    const broken = await folder();
    broken['manifest.json'] = '{\n  "command": "landslide fs",\n  "case_file": oops\n}';
    expect(await refusal(broken)).toMatchObject({ path: 'manifest.json:3:16' });
    expect(await refusal(await folder(() => {}, { case_file: { x: 1 } }))).toMatchObject({ path: 'manifest.json $.case_file', message: 'must be a string' });
    const runId = await folder();
    const m = JSON.parse(runId['manifest.json']);
    m.ensemble.run_id = 42;
    runId['manifest.json'] = JSON.stringify(m);
    expect(await refusal(runId)).toMatchObject({ path: 'manifest.json $.ensemble.run_id', message: 'must be a string' });
  });

  it('refuses a changed product, a folder of another command and a deterministic run, naming the file and field', async () => {
    const files = await folder();
    files['first_failure_t_s_q50.asc'] = files['first_failure_t_s_q50.asc'].replace('10800', '7200');
    expect(await refusal(files)).toMatchObject({ path: 'first_failure_t_s_q50.asc', message: 'has changed since landslide fs wrote it' });
    expect(await refusal(await folder(() => {}, { command: 'ensemble' }))).toMatchObject({ path: 'manifest.json $.command', value: 'ensemble' });
    expect(await refusal(await folder(() => {}, { ensemble: undefined }))).toMatchObject({ path: 'manifest.json $.ensemble', message: 'is missing: this is a deterministic run' });
    expect(await refusal(await folder((f) => { delete f['first_failure_t_s_q95.asc']; }))).toMatchObject({ path: 'manifest.json $.products_sha256', message: 'does not list first_failure_t_s_q95.asc' });
  });

  it('places a grid by its georeference: other cells or no overlap refused at the header line, cells off the map counted', async () => {
    const tenMetre = (f: Record<string, string>) => { for (const n of Object.keys(f)) if (n.endsWith('.asc')) f[n] = f[n].replace('cellsize 20', 'cellsize 10'); };
    expect(await refusal(await folder(tenMetre))).toEqual({
      path: 'p_fs_below_1.asc:5:1 cellsize', message: 'differs from the open region\'s cell size', value: 10, expected: '20 m, the cells of the region map (EPSG:32648 (WGS 84 / UTM zone 48N))',
    });
    const east = (x: number) => (f: Record<string, string>) => { for (const n of Object.keys(f)) if (n.endsWith('.asc')) f[n] = f[n].replace(/^xllcorner .*$/m, `xllcorner ${x}`); };
    expect(await refusal(await folder(east(642000)))).toEqual({
      path: 'p_fs_below_1.asc:3:1 xllcorner/yllcorner', message: 'puts the grid outside the open region',
      value: 'x 642000–642060, y 3263460–3263500', expected: 'an overlap with x 640000–642000, y 3262000–3263600 m (EPSG:32648 (WGS 84 / UTM zone 48N))',
    });
    // The last of its three columns past the region's east edge: shown, and the cells off the map said.
    const { info } = await openGridEnsemble(await folder(east(641960)), region);
    expect(info.cellsOutside).toBe(2);
  });

  it('takes a .prj of the region\'s CRS in any spelling and refuses another', async () => {
    const same = await folder((f) => { f['p_fs_below_1.prj'] = '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs'; });
    expect((await openGridEnsemble(same, region)).info.prj).toBe('+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs');
    const other = await folder((f) => { f['p_fs_below_1.prj'] = 'EPSG:4545'; });
    expect(await refusal(other)).toMatchObject({ path: 'p_fs_below_1.prj', message: 'names another coordinate reference system than the open region\'s', value: 'EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)' });
  });

  it('keeps the earliest failure of each block in the zoomed-out overview', () => {
    expect(Array.from(minPooled({ ncols: 3, nrows: 2, values: Float64Array.of(7200, NaN, NaN, 3600, 10800, NaN) }, 2).values)).toEqual([3600, NaN]);
  });

  it('reads the folder\'s .prj with its products, and refuses a file past the text limit before reading it', async () => {
    const text = (t: string) => new Blob([t]);
    const picked = new Map<string, Blob>([['out/manifest.json', text('{}')], ['out/p_fs_below_1.prj', text('EPSG:32648')], ['out/notes.txt', text('x')]]);
    expect(await ensembleFilesIn(picked, 'out')).toEqual({ 'manifest.json': '{}', 'p_fs_below_1.prj': 'EPSG:32648' });
    let read = false;
    const huge = { size: MAX_TEXT_BYTES + 1, text: async () => { read = true; return ''; } } as unknown as Blob;
    const error = await ensembleFilesIn(new Map([['out/manifest.json', text('{}')], ['out/p_fs_below_1.asc', huge]]), 'out').catch((e: unknown) => e);
    expect((error as InputError).problems[0]).toEqual({ path: 'p_fs_below_1.asc', message: 'is too large for the app to read', value: `${MAX_TEXT_BYTES + 1} bytes`, expected: 'at most 500 MiB' });
    expect(read).toBe(false);
  });
});
