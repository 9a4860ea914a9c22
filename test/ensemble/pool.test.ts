// The local pool does not change the products: 1 or 2 worker threads, same bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliWorkspace } from '../cli-harness.ts';

const scenario = join(import.meta.dirname, 'fixtures/storm-6h.json');
const { dir } = cliWorkspace('ensemble-pool');

function ensemble(out: string, extra: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'ensemble', scenario, '--out', join(dir, out), ...extra], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return { summary: JSON.parse(r.stdout), manifest: JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8')) };
}

describe('sandtable ensemble on the local pool', () => {
  it('writes the same products on 1 and 2 workers, with their hashes in the manifest', () => {
    const one = ensemble('one', ['--workers', '1']);
    const two = ensemble('two', ['--workers', '2']);
    expect(two.manifest.product_sha256).toEqual(one.manifest.product_sha256);
    expect(two.summary.products_sha256).toBe(one.summary.products_sha256);
    expect(one.manifest).toMatchObject({ command: 'ensemble', seed: 7, members: 3, good_members: 3, bad_members: [], execution: { workers: 1 } });
    expect(one.manifest.scenario_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(one.manifest.product_sha256)).toEqual(expect.arrayContaining([
      'members.csv', 'flood/p_flow_over_warning.csv', 'flood/gauge_quantiles.csv', 'flood/p_depth_over_0.3m.asc',
      'landslide/p_fs_below_1.asc', 'landslide/first_failure_t_s_q50.asc', 'risk/items.csv', 'risk/districts.csv', 'exposure_quantiles.csv',
    ]));
    const members = readFileSync(join(dir, 'one', 'members.csv'), 'utf8').trim().split('\n');
    expect(members[0].split(',').slice(0, 5)).toEqual(['member', 'rain_scale', 'river_inflow_scale[0]', 'river_inflow_scale[1]', 'soil_seed']);
    expect(members.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '1', '2']);
  });
});
