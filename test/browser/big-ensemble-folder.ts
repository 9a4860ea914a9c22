// A scenario ensemble folder with grids of a million cells or more, made in the page: what
// `sandtable ensemble --out DIR` writes for a flood-and-fire ensemble on a big region (P(depth ≥ 0.3 m),
// P(burned) and conditional flame length on every cell), for the tests of opening one off the page's thread.
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { sha256Hex } from '../../models/scenario/outputs.ts';

/** The folder's files (side² cells on the region's cells, from its south-west corner), its manifest's hashes right. */
export async function bigEnsembleFolder(region: RegionManifest, side: number): Promise<Record<string, File>> {
  const grid = (f: (i: number) => number): string => formatAsciiGrid({
    ncols: side, nrows: side, xllcorner: region.grid.xllcorner, yllcorner: region.grid.yllcorner, cellsize: region.grid.cellsize_m, nodata: -9999,
    values: Float64Array.from({ length: side * side }, (_, i) => f(i)),
  } satisfies Grid);
  const files: Record<string, string> = {
    'flood/p_depth_over_0.3m.asc': grid((i) => ((i * 7) % 4 + 1) / 4),
    'fire/burn_probability.asc': grid((i) => (i % 13) / 12),
    'fire/conditional_flame_length_m.asc': grid((i) => (i % 13 ? (i % 97) / 20 : NaN)),
    'risk/districts.csv': 'district,p_warning_1,p_warning_2,p_warning_3,p_warning_4\nyuzhong,1,1,0.5,0\n',
    'members.csv': 'member,rain_scale,status,problem,result_sha256\n0,1.05,ok,,dbd623b1\n',
  };
  const product_sha256 = Object.fromEntries(await Promise.all(Object.keys(files).map(async (n) => [n, await sha256Hex(files[n])] as const)));
  files['manifest.json'] = JSON.stringify({ command: 'ensemble', scenario: 'big-storm', seed: 7, members: 4, good_members: 4, product_sha256 });
  return Object.fromEntries(Object.entries(files).map(([n, t]) => [n, new File([t], n.split('/').pop()!)]));
}
