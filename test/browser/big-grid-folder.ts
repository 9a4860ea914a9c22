// A grid landslide ensemble folder of a million cells or more, made in the page: what a city's
// `landslide fs --members` run writes, for the tests of opening one off the page's thread.
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { sha256Hex } from '../../models/scenario/outputs.ts';

/** A grid ensemble folder of side² cells on the region's cells, from its south-west corner, its manifest's hashes right. */
export async function bigFolder(region: RegionManifest, side: number): Promise<Record<string, File>> {
  const grid = (f: (i: number) => number): string => formatAsciiGrid({
    ncols: side, nrows: side, xllcorner: region.grid.xllcorner, yllcorner: region.grid.yllcorner, cellsize: region.grid.cellsize_m, nodata: -9999,
    values: Float64Array.from({ length: side * side }, (_, i) => f(i)),
  } satisfies Grid);
  const files: Record<string, string> = {
    'p_fs_below_1.asc': grid((i) => (i % 13) / 12),
    'p_fs_below_1_t3600.asc': grid((i) => (i % 7) / 12),
    'first_failure_t_s_q05.asc': grid((i) => (i % 5 ? 3600 * (i % 5) : NaN)),
    'first_failure_t_s_q50.asc': grid((i) => (i % 3 ? 7200 : NaN)),
    'first_failure_t_s_q95.asc': grid((i) => (i % 2 ? 10800 : NaN)),
    'members.csv': 'member,friction_deg,cells_fs_below_1,status,problem\n0,31,5,ok,\n',
  };
  const hashes = Object.fromEntries(await Promise.all(Object.keys(files).map(async (n) => [n, await sha256Hex(files[n])] as const)));
  files['manifest.json'] = JSON.stringify({ command: 'landslide fs', case_file: 'big.json', ensemble: { run_id: 'big00000', members: 1, good_members: 1, seed: 1 }, products_sha256: hashes });
  return Object.fromEntries(Object.entries(files).map(([n, t]) => [n, new File([t], n)]));
}

